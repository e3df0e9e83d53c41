package xlsxwrite

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

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

// ruled reports whether a cell has a thin line on all four sides.
func ruled(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	sides := map[string]bool{}
	for _, b := range st.Border {
		if b.Style > 0 {
			sides[b.Type] = true
		}
	}
	return len(sides) == 4
}

func fontOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Font == nil {
		return ""
	}
	return st.Font.Family
}

// TestPrintedLedgerIsRuled: every cell of the table a ledger prints —
// header, values, empty values of every kind, the blank rows under them —
// is ruled, in named fonts; nothing past the table is; the sheet prints on
// landscape A4 fitted to its width with title and header repeated.
func TestPrintedLedgerIsRuled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.xlsx")
	const rows, blank = 3, 5
	w, err := Create(path, ledgerCols(), Options{Sheet: "台账", Title: "德源社区 居民台账", Rows: rows, BlankRows: blank, Footer: "德源社区"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		r := ledgerRow(i)
		if i == 1 {
			r[0], r[4], r[5], r[14] = "", "", "", "" // empty number, date and text cells
		}
		if i == 2 {
			r[4] = "不详" // a date column's text
		}
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	last := 2 + rows + blank
	empty := map[string]bool{"A4": true, "E4": true, "F4": true, "O3": true, "O4": true, "O5": true}
	for r := 2; r <= last; r++ {
		for c := 1; c <= len(ledgerCols()); c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			// Written cells (the header, values, the blank rows) are ruled
			// by their style; the data rows' empty cells are not written
			// and are ruled by the table's conditional format, as are all
			// of its cells.
			if empty[cell] {
				if id, _ := f.GetCellStyle("台账", cell); id != 0 && ruled(t, f, "台账", cell) {
					t.Errorf("empty %s was written", cell)
				}
			} else if !ruled(t, f, "台账", cell) {
				t.Errorf("%s is not ruled", cell)
			}
			if r > 2 && !ruledByRule(t, f, "台账", cell) {
				t.Errorf("%s is outside the ruled table", cell)
			}
		}
	}
	for _, cell := range []string{"A" + strconv.Itoa(last+1), "P3"} {
		if ruled(t, f, "台账", cell) || ruledByRule(t, f, "台账", cell) {
			t.Errorf("%s outside the table is ruled", cell)
		}
	}
	if h, _ := f.GetRowHeight("台账", last); h != blankRowHeight {
		t.Errorf("blank row height %v, want %v", h, blankRowHeight)
	}
	if got := fontOf(t, f, "台账", "A1"); got != TitleFont {
		t.Errorf("title font %q", got)
	}
	for _, c := range []string{"B2", "B3", "E3", "E5", "O4"} {
		if got := fontOf(t, f, "台账", c); got != BodyFont {
			t.Errorf("%s font %q", c, got)
		}
	}
	// The date stays a date, the number a number, under their rules.
	if v, _ := f.GetCellValue("台账", "E3", excelize.Options{RawCellValue: true}); v != "32874" {
		t.Errorf("date raw %q", v)
	}
	if typ, _ := f.GetCellType("台账", "A3"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("number cell type %v", typ)
	}
	pl, err := f.GetPageLayout("台账")
	if err != nil {
		t.Fatal(err)
	}
	if *pl.Size != paperA4 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
		t.Errorf("page layout size %d %s fit %d×%d", *pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight)
	}
	props, _ := f.GetSheetProps("台账")
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page is off")
	}
	titles := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == "台账" {
			titles = dn.RefersTo
		}
	}
	if titles != "'台账'!$1:$2" {
		t.Errorf("print titles %q", titles)
	}
	hf, _ := f.GetHeaderFooter("台账")
	if hf.OddFooter != "&L德源社区&C第 &P 页，共 &N 页" {
		t.Errorf("footer %q", hf.OddFooter)
	}
}

// TestNarrowListPrintsPortrait: a list of a few narrow columns prints on
// portrait A4, its sheet name in the page header as it has no title row.
func TestNarrowListPrintsPortrait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.xlsx")
	w, err := Create(path, []Column{{Header: "序号", Kind: Number}, {Header: "姓名"}}, Options{Sheet: "名单", Rows: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Row([]string{"1", "张三"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	pl, _ := f.GetPageLayout("名单")
	hf, _ := f.GetHeaderFooter("名单")
	if *pl.Orientation != "portrait" || hf.OddHeader != "&C名单" {
		t.Errorf("orientation %s, header %q", *pl.Orientation, hf.OddHeader)
	}
	if !ruled(t, f, "名单", "B2") || !ruled(t, f, "名单", "A1") {
		t.Error("not ruled")
	}
}

// TestBlankRowsMustFit: blank rows past the sheet's row limit are refused
// before anything is written.
func TestBlankRowsMustFit(t *testing.T) {
	_, err := Create(filepath.Join(t.TempDir(), "b.xlsx"), ledgerCols(), Options{Sheet: "S", Rows: 5, MaxRows: 10, BlankRows: 5})
	if err == nil {
		t.Fatal("5 + 5 rows under a header fit in 10")
	}
}
