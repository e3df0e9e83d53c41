package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
)

// paperDir is where these tests leave their workbooks for a person to
// print and look at (SHEQU_PAPER_DIR), or a temporary folder.
func paperDir(t *testing.T) string {
	if d := os.Getenv("SHEQU_PAPER_DIR"); d != "" {
		return d
	}
	return t.TempDir()
}

// ruledByRule reports whether a cell lies in a conditional format that is
// always true and rules its cells on four sides (the table's empty cells).
func ruledByRule(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	cfs, err := f.GetConditionalFormats(sheet)
	if err != nil {
		t.Fatal(err)
	}
	c, r, _ := excelize.CellNameToCoordinates(cell)
	for ref, opts := range cfs {
		for _, o := range opts {
			if o.Type != "formula" || o.Criteria != "TRUE" || o.Format == nil {
				continue
			}
			st, err := f.GetConditionalStyle(*o.Format)
			if err != nil || len(st.Border) != 4 {
				continue
			}
			for _, rg := range strings.Fields(ref) {
				from, to, _ := strings.Cut(rg, ":")
				c1, r1, _ := excelize.CellNameToCoordinates(from)
				c2, r2, _ := excelize.CellNameToCoordinates(to)
				if c1 <= c && c <= c2 && r1 <= r && r <= r2 {
					return true
				}
			}
		}
	}
	return false
}

// isRuled reports whether a cell has a line on all four sides.
func isRuled(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range st.Border {
		if b.Style > 0 {
			n++
		}
	}
	return n == 4
}

// checkPrinted asserts a sheet's page setup (A4 in the orientation,
// fitted to the page's width, the first headRows repeated, page numbers in
// the footer) and that the table from A1 to last is ruled cell by cell, by
// its style or by the table's rule.
func checkPrinted(t *testing.T, f *excelize.File, sheet, orientation string, headRows int, last string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != orientation || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("%s: page %v %v fit %v", sheet, pl.Size, pl.Orientation, pl.FitToWidth)
	}
	titles := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			titles = dn.RefersTo
		}
	}
	if want := "'" + sheet + "'!$1:$" + string(rune('0'+headRows)); titles != want {
		t.Errorf("%s: print titles %q, want %q", sheet, titles, want)
	}
	if hf, _ := f.GetHeaderFooter(sheet); hf == nil || hf.OddFooter == "" {
		t.Errorf("%s: no footer", sheet)
	}
	cols, rows, _ := excelize.CellNameToCoordinates(last)
	for r := headRows; r <= rows; r++ {
		for c := 1; c <= cols; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			if !isRuled(t, f, sheet, cell) && !ruledByRule(t, f, sheet, cell) {
				t.Errorf("%s: %s is not ruled", sheet, cell)
				return
			}
		}
	}
}

// TestTemplatePrintsRuledEmptyRows: the blank template is a form to fill
// by hand: TemplateRows ruled empty rows under title and header, tall
// enough to write in, nothing ruled under them, printed landscape with
// title and header on every page; its instructions print portrait.
func TestTemplatePrintsRuledEmptyRows(t *testing.T) {
	t.Parallel()
	path := filepath.Join(paperDir(t), "template.xlsx")
	if err := app.WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	width := len(app.LedgerHeader)
	last, _ := excelize.CoordinatesToCellName(width, 2+app.TemplateRows)
	checkPrinted(t, f, "居民台账", "landscape", 2, last)
	below, _ := excelize.CoordinatesToCellName(1, 3+app.TemplateRows)
	if isRuled(t, f, "居民台账", below) || ruledByRule(t, f, "居民台账", below) {
		t.Errorf("%s under the form is ruled", below)
	}
	if h, _ := f.GetRowHeight("居民台账", 2+app.TemplateRows); h < 20 {
		t.Errorf("blank rows %v points tall", h)
	}
	if rows, _ := f.GetRows("居民台账"); len(rows) != 2 {
		t.Errorf("the template has %d rows with text", len(rows))
	}
	if pl, _ := f.GetPageLayout("填表说明"); pl.Orientation == nil || *pl.Orientation != "portrait" {
		t.Error("the instructions do not print portrait")
	}
}

// TestListsPrintRuled: a residents' ledger, the work logs and the audit
// export print ruled with a page setup (the ledger's other lists —
// visits, activities, coupons — go through the same writer).
func TestListsPrintRuled(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 30, 5)
	ctx := context.Background()
	dir := paperDir(t)
	path := filepath.Join(dir, "ledger.xlsx")
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "printer", Password: adminPassword, Role: model.RoleWorker,
		Areas: []int64{ta.grids(t)[0].ParentID}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	worker, err := ta.Login(ctx, "printer", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ta.ExportResidents(ctx, worker, path, app.ExportOptions{Title: "德源社区"})
	if err != nil || n == 0 {
		t.Fatal(n, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last, _ := excelize.CoordinatesToCellName(len(app.LedgerHeader), 2+n)
	checkPrinted(t, f, "居民台账", "landscape", 2, last)
	id, _ := f.GetCellStyle("居民台账", "B3")
	if st, _ := f.GetStyle(id); st.Font == nil || st.Font.Family != xlsxwrite.BodyFont {
		t.Errorf("body font %+v", st.Font)
	}

	audit := filepath.Join(dir, "audit.xlsx")
	an, err := ta.ExportAudit(ctx, ta.admin, model.AuditFilter{}, audit)
	if err != nil || an == 0 {
		t.Fatal(an, err)
	}
	x, err := excelize.OpenFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	last, _ = excelize.CoordinatesToCellName(6, 1+an)
	checkPrinted(t, x, "审计日志", "landscape", 1, last)
	footer, _ := excelize.CoordinatesToCellName(1, 3+an)
	if isRuled(t, x, "审计日志", footer) {
		t.Error("the line under the audit table is ruled")
	}
}
