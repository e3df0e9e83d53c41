package report_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/ledger/xlsxwrite"
	"shequ/ui/report"
)

// sampleStats are a community's figures: every table fits beside its chart.
func sampleStats() *app.Stats {
	s := &app.Stats{At: "2026-12-01", Total: 2386, AreaKind: "grid"}
	for _, k := range []string{"total", "elderly", "minors", "floating", "alone"} {
		s.Headlines = append(s.Headlines, app.Count{Key: k, N: 100 + len(k)*37})
	}
	for i := range app.PyramidBands {
		s.Pyramid.Bands = append(s.Pyramid.Bands, fmt.Sprintf("%d–%d", i*5, i*5+4))
		s.Pyramid.Men = append(s.Pyramid.Men, 40+i*3%17)
		s.Pyramid.Women = append(s.Pyramid.Women, 42+i*5%19)
	}
	s.Pyramid.Unknown = 7
	for i, n := range []int{1336, 512, 388, 150} {
		s.Areas = append(s.Areas, app.Count{Key: fmt.Sprint(i + 1), Label: fmt.Sprintf("第%d网格", i+1), N: n})
	}
	for i, n := range []int{212, 96, 61, 30, 12} {
		s.Tags = append(s.Tags, app.Count{Key: fmt.Sprint(i), Label: []string{"志愿者", "独居老人", "党员", "低保", "残疾"}[i], N: n})
	}
	s.Kinds = []app.Count{{Key: "registered", N: 1600}, {Key: "foreign", N: 500}, {Key: "floating", N: 286}}
	s.Statuses = []app.Count{{Key: "present", N: 2200}, {Key: "away", N: 186}}
	for m := 1; m <= 12; m++ {
		s.Moves.Months = append(s.Moves.Months, fmt.Sprintf("2026-%02d", m))
		s.Moves.In = append(s.Moves.In, 10+m)
		s.Moves.Out = append(s.Moves.Out, 12-m/2)
	}
	return s
}

// keep is where a test leaves the files it wrote for a person to look at
// (SHEQU_PAPER_DIR), or a temporary folder.
func keep(t *testing.T) string {
	if d := os.Getenv("SHEQU_PAPER_DIR"); d != "" {
		return d
	}
	return t.TempDir()
}

// TestReportPrintsAndKeepsSharesAsNumbers: every sheet of the 分析报告 has
// a page setup (the summary portrait on one page, each chart sheet
// landscape, fitted to its width, its header repeated); its figures are
// ruled; shares are numbers (0.56) shown in percent, not text.
func TestReportPrintsAndKeepsSharesAsNumbers(t *testing.T) {
	path := filepath.Join(keep(t), "report.xlsx")
	s := sampleStats()
	if err := report.Write(path, s, "德源社区"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != report.Pages {
		t.Fatalf("%d sheets %v", len(sheets), sheets)
	}
	for i, sh := range sheets {
		pl, err := f.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		want := "landscape"
		if i == 0 {
			want = "portrait"
		}
		if pl.Size == nil || *pl.Size != 9 || *pl.Orientation != want || *pl.FitToWidth != 1 {
			t.Errorf("%s: size %v orientation %v fit width %v", sh, pl.Size, *pl.Orientation, *pl.FitToWidth)
		}
		hf, _ := f.GetHeaderFooter(sh)
		if hf == nil || !regexp.MustCompile(`&P.*&N`).MatchString(hf.OddFooter) {
			t.Errorf("%s: footer %+v", sh, hf)
		}
		if i == 0 {
			continue
		}
		titles := ""
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sh {
				titles = dn.RefersTo
			}
		}
		if titles != "'"+sh+"'!$1:$1" {
			t.Errorf("%s: print titles %q", sh, titles)
		}
		if pics, _ := f.GetPictureCells(sh); len(pics) != 1 {
			t.Errorf("%s: pictures at %v", sh, pics)
		}
		if !cellRuled(t, f, sh, "A2") || !cellRuled(t, f, sh, "B1") {
			t.Errorf("%s: the figures are not ruled", sh)
		}
	}
	// The area sheet: 第1网格 holds 1336 of 2386, 56.0%.
	sh := sheets[2]
	raw, _ := f.GetCellValue(sh, "C2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sh, "C2")
	if typ, _ := f.GetCellType(sh, "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("share stored as text %q", raw)
	}
	if raw[:6] != "0.5599" || shown != "56.0%" {
		t.Errorf("share raw %q shown %q", raw, shown)
	}
	id, _ := f.GetCellStyle(sh, "C2")
	st, _ := f.GetStyle(id)
	if st.CustomNumFmt == nil || *st.CustomNumFmt != xlsxwrite.PercentFormat {
		t.Errorf("share format %+v", st.CustomNumFmt)
	}
	if n, _ := f.GetCellValue(sh, "B2", excelize.Options{RawCellValue: true}); n != "1336" {
		t.Errorf("count %q", n)
	}
}

func cellRuled(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, _ := f.GetCellStyle(sheet, cell)
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(st.Border) == 4
}

// TestReportPDFHasOnePagePerChart prints the 分析报告 with LibreOffice
// (skipped where it is not installed): the summary and each chart on a
// page of their own, report.Pages in all (before, 16 pages with every
// chart cut in two).
func TestReportPDFHasOnePagePerChart(t *testing.T) {
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Skip("libreoffice is not installed")
	}
	dir := keep(t)
	path := filepath.Join(dir, "report.xlsx")
	if err := report.Write(path, sampleStats(), "德源社区"); err != nil {
		t.Fatal(err)
	}
	pdf := toPDF(t, office, path)
	if n := pdfPages(pdf); n != report.Pages {
		t.Errorf("the report prints on %d pages, want %d", n, report.Pages)
	}
}

// toPDF converts a workbook with LibreOffice and returns the PDF.
func toPDF(t *testing.T, office, path string) []byte {
	t.Helper()
	dir := filepath.Dir(path)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "-env:UserInstallation=file://"+filepath.Join(t.TempDir(), "lo"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(path[:len(path)-len(filepath.Ext(path))] + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// pdfPages counts the page objects of a PDF (LibreOffice writes them
// uncompressed).
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// TestFiguresPrintRuledWithRatesAsNumbers: a sheet of figures (the
// appeals') is ruled, its rates numbers in percent and its counts numbers;
// under a table too long to leave room for it, the chart gets a page (a
// sheet) of its own.
func TestFiguresPrintRuledWithRatesAsNumbers(t *testing.T) {
	s := &app.AppealStats{From: "2026-11-01", To: "2026-11-30", By: "grid", All: app.AppealGroup{Received: 40, Answered: 30, Closed: 20,
		AcceptHours: 1.5, AnswerHours: -1, CloseHours: -1}}
	for i := range 20 {
		s.Groups = append(s.Groups, app.AppealGroup{Label: fmt.Sprintf("第%d网格", i+1), Received: 2 + i, Answered: 1 + i,
			AcceptHours: -1, AnswerHours: -1, CloseHours: -1})
	}
	path := filepath.Join(keep(t), "appeals.xlsx")
	if err := report.WriteAppealStats(path, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets %v", sheets)
	}
	sh := sheets[0]
	// Rows: title, period, blank, header (row 4), the whole (row 5), groups.
	rate, _ := f.GetCellValue(sh, "C5", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sh, "C5")
	received, _ := f.GetCellValue(sh, "B5", excelize.Options{RawCellValue: true})
	if rate != "0.75" || shown != "75.0%" || received != "40" {
		t.Errorf("rate %q shown %q, received %q", rate, shown, received)
	}
	if !cellRuled(t, f, sh, "I25") || !cellRuled(t, f, sh, "A4") || cellRuled(t, f, sh, "A2") {
		t.Error("the table is not ruled, or the lines above it are")
	}
	pl, _ := f.GetPageLayout(sh)
	if *pl.Orientation != "landscape" || *pl.FitToWidth != 1 {
		t.Errorf("page %v fit %v", *pl.Orientation, *pl.FitToWidth)
	}
	if pics, _ := f.GetPictureCells(sh); len(pics) != 0 {
		t.Errorf("a chart under the table at %v", pics)
	}
	if pics, _ := f.GetPictureCells(sheets[1]); len(pics) != 1 || pics[0] != "A1" {
		t.Errorf("the chart's sheet has pictures at %v", pics)
	}
	if office, err := exec.LookPath("libreoffice"); err == nil {
		// The table fills the first page; the chart, whole, the second.
		if n := pdfPages(toPDF(t, office, path)); n != 2 {
			t.Errorf("%d pages, want 2", n)
		}
	}
}
