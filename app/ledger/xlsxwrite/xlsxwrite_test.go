package xlsxwrite

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func ledgerCols() []Column {
	return []Column{
		{Header: "序号", Kind: Number},
		{Header: "姓名"},
		{Header: "性别", List: []string{"男", "女"}},
		{Header: "公民身份号码", Width: 22},
		{Header: "出生日期", Kind: Date},
		{Header: "民族"},
		{Header: "联系电话", Width: 14},
		{Header: "小区"},
		{Header: "楼栋"},
		{Header: "单元"},
		{Header: "房号"},
		{Header: "与户主关系", List: []string{"户主", "配偶", "子女", "父母", "其他"}},
		{Header: "人员类别", List: []string{"户籍", "常住", "流动"}},
		{Header: "标签"},
		{Header: "备注"},
	}
}

func ledgerRow(i int) []string {
	return []string{
		strconv.Itoa(i + 1), "张三" + strconv.Itoa(i), "男", "11010519491231002X", "1990-01-01",
		"汉族", "13800138000", "德源小区", "3栋", "2单元", "0" + strconv.Itoa(100+i%900),
		"户主", "户籍", "党员", "",
	}
}

func openBook(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// sheetXML returns the raw XML of the n-th worksheet part (sheets are
// created in order, so sheet n is xl/worksheets/sheet<n>.xml).
func sheetXML(t *testing.T, path string, n int) string {
	t.Helper()
	return zipPart(t, path, "xl/worksheets/sheet"+strconv.Itoa(n)+".xml")
}

func zipPart(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name != name {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("%s has no part %s", path, name)
	return ""
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q", what, sub)
		}
	}
}

func writeLedger(t *testing.T, path string, opt Options, rows [][]string) {
	t.Helper()
	w, err := Create(path, ledgerCols(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	created := time.Date(2026, 11, 29, 10, 30, 0, 0, time.UTC)
	opt := Options{
		Sheet:   "居民台账",
		Title:   "德源社区 居民台账 2026-11-29",
		Rows:    3,
		Creator: "zhangsan",
		Created: created,
		Subject: "小区=德源小区",
		Footer:  "德源社区 · 导出：zhangsan 2026-11-29 10:30 R&D",
	}
	rows := [][]string{ledgerRow(0), ledgerRow(1), ledgerRow(2)}
	rows[1][4] = ""           // empty date → no cell
	rows[2][4] = "1990-13-01" // unparseable date → text
	rows[2][0] = "十二"         // unparseable number → text
	writeLedger(t, path, opt, rows)

	f := openBook(t, path)
	const sh = "居民台账"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sh {
		t.Fatalf("sheets %v", got)
	}

	// Values as Excel shows them, row by row.
	got, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d rows, want 5", len(got))
	}
	if got[0][0] != opt.Title {
		t.Errorf("title %q", got[0][0])
	}
	for c, col := range ledgerCols() {
		if got[1][c] != col.Header {
			t.Errorf("header %d = %q, want %q", c, got[1][c], col.Header)
		}
	}
	want0 := ledgerRow(0)
	for c := range want0 {
		if v := at(got[2], c); v != want0[c] {
			t.Errorf("row 3 col %d = %q, want %q", c, v, want0[c])
		}
	}

	// Cell types: ID number and phone are strings, date and 序号 numbers.
	types := map[string]excelize.CellType{
		"A3": excelize.CellTypeUnset, // number: no t attribute
		"D3": excelize.CellTypeInlineString,
		"G3": excelize.CellTypeInlineString,
		"E3": excelize.CellTypeUnset,
		"E5": excelize.CellTypeInlineString, // bad date kept as text
		"A5": excelize.CellTypeInlineString, // bad number kept as text
	}
	for cell, want := range types {
		if got, err := f.GetCellType(sh, cell); err != nil || got != want {
			t.Errorf("%s type %v, %v; want %v", cell, got, err, want)
		}
	}
	if v, _ := f.GetCellValue(sh, "D3"); v != "11010519491231002X" {
		t.Errorf("ID %q", v)
	}
	if v, _ := f.GetCellValue(sh, "G3"); v != "13800138000" {
		t.Errorf("phone %q", v)
	}
	if v, _ := f.GetCellValue(sh, "E3", excelize.Options{RawCellValue: true}); v != "32874" {
		t.Errorf("raw date %q, want serial 32874", v)
	}
	if v, _ := f.GetCellValue(sh, "E3"); v != "1990-01-01" {
		t.Errorf("formatted date %q", v)
	}
	if v, _ := f.GetCellValue(sh, "E4"); v != "" {
		t.Errorf("empty date cell %q", v)
	}
	if v, _ := f.GetCellValue(sh, "E5"); v != "1990-13-01" {
		t.Errorf("bad date %q", v)
	}

	// Styles: text cells "@" (49), date cells yyyy-mm-dd, header bold with
	// fill and borders, title bold and larger.
	styleOf := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, cell := range []string{"D3", "G3", "B3", "E5", "A5"} {
		if s := styleOf(cell); s.NumFmt != 49 {
			t.Errorf("%s NumFmt %d, want 49", cell, s.NumFmt)
		}
	}
	if s := styleOf("E3"); s.CustomNumFmt == nil || *s.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date style %+v", s)
	}
	hs := styleOf("D2")
	if hs.Font == nil || !hs.Font.Bold || hs.Fill.Pattern != 1 || len(hs.Fill.Color) == 0 || len(hs.Border) != 4 {
		t.Errorf("header style %+v font %+v", hs, hs.Font)
	}
	for _, b := range hs.Border {
		if b.Style != 1 {
			t.Errorf("header border %+v not thin", b)
		}
	}
	if ts := styleOf("A1"); ts.Font == nil || !ts.Font.Bold || ts.Font.Size <= 11 {
		t.Errorf("title style %+v", ts.Font)
	}

	// Merged title over A1:O1.
	mc, err := f.GetMergeCells(sh)
	if err != nil || len(mc) != 1 || mc[0].GetStartAxis() != "A1" || mc[0].GetEndAxis() != "O1" {
		t.Errorf("merged cells %v, %v", mc, err)
	}

	// Frozen below the header.
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.XSplit != 0 || panes.TopLeftCell != "A3" {
		t.Errorf("panes %+v, %v", panes, err)
	}

	// Widths: ID column as asked, auto columns from the header (CJK = 2).
	for col, want := range map[string]float64{"D": 22, "B": 6, "L": 12, "E": 12, "A": 6} {
		if w, err := f.GetColWidth(sh, col); err != nil || w != want {
			t.Errorf("width %s = %v, %v; want %v", col, w, err, want)
		}
	}

	// Page setup.
	pl, err := f.GetPageLayout(sh)
	if err != nil {
		t.Fatal(err)
	}
	if *pl.Orientation != "landscape" || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
		pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %s size %d fit %v×%v", *pl.Orientation, *pl.Size, pl.FitToWidth, pl.FitToHeight)
	}
	props, err := f.GetSheetProps(sh)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("fitToPage %v, %v", props.FitToPage, err)
	}
	m, err := f.GetPageMargins(sh)
	if err != nil || *m.Left != 0.4 || *m.Top != 0.6 || *m.Footer != 0.3 || !*m.Horizontally {
		t.Errorf("margins %+v, %v", m, err)
	}
	hf, err := f.GetHeaderFooter(sh)
	wantFooter := "&L德源社区 · 导出：zhangsan 2026-11-29 10:30 R&&D&C第 &P 页，共 &N 页"
	if err != nil || hf == nil || hf.OddFooter != wantFooter {
		t.Errorf("footer %+v, %v", hf, err)
	}

	// Defined names: print titles rows 1–2, autofilter database.
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name+"@"+dn.Scope] = dn.RefersTo
	}
	if got := names["_xlnm.Print_Titles@"+sh]; got != "'居民台账'!$1:$2" {
		t.Errorf("Print_Titles %q (all: %v)", got, names)
	}
	if got := names["_xlnm._FilterDatabase@"+sh]; got != "'居民台账'!$A$2:$O$5" {
		t.Errorf("_FilterDatabase %q (all: %v)", got, names)
	}

	// Document properties.
	dp, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if dp.Creator != "zhangsan" || dp.LastModifiedBy != "zhangsan" || dp.Title != opt.Title ||
		dp.Subject != opt.Subject || dp.Description != opt.Subject || dp.Created != "2026-11-29T10:30:00Z" {
		t.Errorf("doc props %+v", dp)
	}

	// Raw XML: what readers that trust it see.
	x := sheetXML(t, path, 1)
	mustContain(t, "sheet1.xml", x,
		`<dimension ref="A1:O5"></dimension>`,
		`<autoFilter ref="$A$2:$O$5"></autoFilter>`, // excelize writes it absolute
		`<pageSetUpPr fitToPage="true"></pageSetUpPr>`,
		`fitToHeight="0"`, `fitToWidth="1"`, `paperSize="9"`, `orientation="landscape"`,
		`<mergeCell ref="A1:O1"/>`,
		`state="frozen"`,
	)
	colsAscending(t, x)
	if strings.Contains(x, "<dataValidations") {
		t.Error("data validations without Options.Validation")
	}
	if sd, _ := f.GetSheetDimension(sh); sd != "A1:O5" {
		t.Errorf("dimension %q", sd)
	}
}

func TestFormulaGuard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.xlsx")
	cols := []Column{{Header: "备注"}, {Header: "数量", Kind: Number}, {Header: "日期", Kind: Date}}
	in := []string{"=1+1", "+86", "-5", "@x", "\t=1", "\r=1", "'quoted", "a=1", "普通"}
	w, err := Create(path, cols, Options{Sheet: "S", Rows: len(in)})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range in {
		// Number and Date columns fall back to text for these; "-5" and
		// "+86" are numbers there and must stay numbers.
		if err := w.Row([]string{v, v, v}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	x := sheetXML(t, path, 1)
	if strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
		t.Fatal("sheet contains a formula")
	}
	f := openBook(t, path)
	for i, v := range in {
		r := strconv.Itoa(i + 2)
		want := v
		if strings.ContainsAny(v[:1], "=+-@\t\r'") {
			want = "'" + v // what Excel displays; the importer strips one apostrophe
		}
		for _, col := range []string{"A", "C"} {
			got, err := f.GetCellValue("S", col+r)
			if err != nil || got != want {
				t.Errorf("%s%s = %q, %v; want %q", col, r, got, err, want)
			}
			if typ, _ := f.GetCellType("S", col+r); typ != excelize.CellTypeInlineString {
				t.Errorf("%s%s type %v, want inline string", col, r, typ)
			}
			if strings.TrimPrefix(want, "'") != v {
				t.Errorf("stripping one apostrophe from %q does not give %q", want, v)
			}
		}
		num, _ := f.GetCellValue("S", "B"+r)
		switch v {
		case "+86":
			want = "86"
		case "-5":
			want = "-5"
		}
		if num != want {
			t.Errorf("B%s = %q, want %q", r, num, want)
		}
	}
	if typ, _ := f.GetCellType("S", "B4"); typ != excelize.CellTypeUnset {
		t.Errorf("-5 in a Number column has type %v, want a number", typ)
	}
}

func TestNumbersAndDates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.xlsx")
	cols := []Column{{Header: "n", Kind: Number}, {Header: "d", Kind: Date}}
	cases := []struct{ n, d, wantN, wantD string }{
		{"42", "1900-01-01", "42", "1"},
		{"3.25", "1900-02-28", "3.25", "59"},
		{"1e3", "1900-03-01", "1000", "61"},
		{"1234567890123456", "2000-02-29", "1234567890123456", "36585"},
		{"Inf", "2001-02-29", "Inf", "2001-02-29"},
		{"0x10", "1899-12-31", "0x10", "1899-12-31"},
		{"12 ", "2026/11/29", "12 ", "2026/11/29"},
		{"", "", "", ""},
	}
	w, err := Create(path, cols, Options{Sheet: "S", Rows: len(cases)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if err := w.Row([]string{c.n, c.d}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	raw := excelize.Options{RawCellValue: true}
	for i, c := range cases {
		r := strconv.Itoa(i + 2)
		if got, _ := f.GetCellValue("S", "A"+r, raw); got != c.wantN {
			t.Errorf("A%s = %q, want %q", r, got, c.wantN)
		}
		if got, _ := f.GetCellValue("S", "B"+r, raw); got != c.wantD {
			t.Errorf("B%s = %q, want %q", r, got, c.wantD)
		}
	}
	// Text fallbacks are strings; the 16-digit integer is not rounded.
	for _, cell := range []string{"A5", "A6", "A7", "A8", "B6", "B7", "B8"} {
		if typ, _ := f.GetCellType("S", cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s type %v, want text", cell, typ)
		}
	}
	if got, _ := f.GetCellValue("S", "B4"); got != "1900-03-01" {
		t.Errorf("formatted 1900-03-01 = %q", got)
	}
}

func TestExcelDateMatchesExcelize(t *testing.T) {
	for d := time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		serial, ok := excelDate(d.Format("2006-01-02"))
		if !ok {
			t.Fatalf("%s not parsed", d.Format("2006-01-02"))
		}
		back, err := excelize.ExcelDateToTime(float64(serial), false)
		if err != nil || !back.Equal(d) {
			t.Fatalf("%s → %d → %v, %v", d.Format("2006-01-02"), serial, back, err)
		}
	}
}

func TestRollover(t *testing.T) {
	var rows [][]string
	for i := range 25 {
		rows = append(rows, ledgerRow(i))
	}
	for _, tc := range []struct {
		title  string
		sheets []string
		dims   []string
	}{
		// 9 data rows per sheet: 9 + 9 + 7.
		{"", []string{"居民台账", "居民台账(2)", "居民台账(3)"}, []string{"A1:O10", "A1:O10", "A1:O8"}},
		// A title leaves 8 per sheet: 8 + 8 + 8 + 1.
		{"标题", []string{"居民台账", "居民台账(2)", "居民台账(3)", "居民台账(4)"}, []string{"A1:O10", "A1:O10", "A1:O10", "A1:O3"}},
	} {
		path := filepath.Join(t.TempDir(), "r.xlsx")
		writeLedger(t, path, Options{Sheet: "居民台账", Title: tc.title, Rows: 25, MaxRows: 10, Footer: "f"}, rows)
		checkRollover(t, path, tc.title, tc.sheets, tc.dims)
	}
}

func checkRollover(t *testing.T, path, title string, wantSheets, wantDim []string) {
	t.Helper()
	f := openBook(t, path)
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets %v, want %v", got, wantSheets)
	}
	h := 1
	if title != "" {
		h = 2
	}
	hs := strconv.Itoa(h)
	next := 1
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name+"@"+dn.Scope] = dn.RefersTo
	}
	for i, sh := range wantSheets {
		got, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		if title != "" && got[0][0] != title {
			t.Errorf("%s: title %q", sh, got[0][0])
		}
		if got[h-1][3] != "公民身份号码" || got[h-1][14] != "备注" {
			t.Errorf("%s: header %q", sh, got[h-1])
		}
		for _, r := range got[h:] {
			if r[0] != strconv.Itoa(next) || r[1] != "张三"+strconv.Itoa(next-1) {
				t.Errorf("%s: row %q, want 序号 %d", sh, r[:2], next)
			}
			next++
		}
		x := sheetXML(t, path, i+1)
		last := strings.TrimPrefix(wantDim[i], "A1:")
		mustContain(t, sh, x,
			`<dimension ref="`+wantDim[i]+`">`,
			`<autoFilter ref="$A$`+hs+`:$`+last[:1]+`$`+last[1:]+`">`,
			`state="frozen"`, `ySplit="`+hs+`"`, `fitToPage="true"`, `fitToHeight="0"`, `fitToWidth="1"`,
			`paperSize="9"`, `orientation="landscape"`, `第 &amp;P 页`, `<pageMargins `,
		)
		colsAscending(t, x)
		if title != "" {
			mustContain(t, sh, x, `<mergeCell ref="A1:O1"/>`)
		}
		if sd, _ := f.GetSheetDimension(sh); sd != wantDim[i] {
			t.Errorf("%s: dimension %q", sh, sd)
		}
		if w, _ := f.GetColWidth(sh, "D"); w != 22 {
			t.Errorf("%s: ID column width %v", sh, w)
		}
		if got := names["_xlnm.Print_Titles@"+sh]; got != "'"+sh+"'!$1:$"+hs {
			t.Errorf("%s: Print_Titles %q", sh, got)
		}
		if got := names["_xlnm._FilterDatabase@"+sh]; got != "'"+sh+"'!$A$"+hs+":$"+last[:1]+"$"+last[1:] {
			t.Errorf("%s: _FilterDatabase %q", sh, got)
		}
		cell := "D" + strconv.Itoa(h+1)
		if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s: ID type %v", sh, typ)
		}
		id, _ := f.GetCellStyle(sh, "A"+hs)
		if s, _ := f.GetStyle(id); s == nil || s.Font == nil || !s.Font.Bold {
			t.Errorf("%s: header not bold", sh)
		}
	}
	if next != 26 {
		t.Errorf("read %d rows, want 25", next-1)
	}
}

func TestRolloverExact(t *testing.T) {
	// Exactly full sheets: no empty extra sheet, no title.
	path := filepath.Join(t.TempDir(), "e.xlsx")
	cols := []Column{{Header: "a"}}
	w, err := Create(path, cols, Options{Sheet: "S", Rows: 8, MaxRows: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		if err := w.Row([]string{strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if got := f.GetSheetList(); len(got) != 2 || got[1] != "S(2)" {
		t.Fatalf("sheets %v", got)
	}
	for i, want := range []string{"A1:A5", "A1:A5"} {
		if d, _ := f.GetSheetDimension(f.GetSheetName(i)); d != want {
			t.Errorf("sheet %d dimension %q, want %q", i, d, want)
		}
	}
	if p, _ := f.GetPanes("S(2)"); !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v", p)
	}
	if dp, _ := f.GetDocProps(); dp == nil || dp.Title != "S" {
		t.Errorf("doc title without Options.Title: %+v", dp)
	}
	if err := w.Close(); err == nil {
		t.Error("second Close succeeded")
	}
	// A ledger holds personal data: the owner alone may read it.
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestRowAllocs checks that Row allocates no more per row than the bare
// StreamWriter loop of the benchmark does for the same values.
func TestRowAllocs(t *testing.T) {
	dir := t.TempDir()
	vals := benchPool()[7]
	const runs = 2000
	w, err := Create(filepath.Join(dir, "a.xlsx"), ledgerCols(), Options{Sheet: "S", Rows: runs + 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	ours := testing.AllocsPerRun(runs, func() {
		if err := w.Row(vals); err != nil {
			t.Fatal(err)
		}
	})

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row, r := make([]interface{}, len(vals)), 0
	bare := testing.AllocsPerRun(runs, func() {
		r++
		for i, v := range vals {
			row[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocs per row: ours %.1f, bare %.1f", ours, bare)
	if ours > bare {
		t.Errorf("Row allocates %.1f per row, bare StreamWriter %.1f", ours, bare)
	}
}

func TestTemplateValidation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "模板.xlsx")
	w, err := Create(path, ledgerCols(), Options{Sheet: "居民台账", Title: "居民信息登记表", Validation: true})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{"填表说明：", "1. 公民身份号码填写18位。", "- 性别从下拉列表选择", "=不是公式"}
	if err := w.Sheet("填表说明", lines); err != nil {
		t.Fatal(err)
	}
	if err := w.Sheet("居民台账", nil); err == nil {
		t.Error("duplicate sheet name accepted")
	}
	if err := w.Sheet("填表说明", nil); err == nil {
		t.Error("duplicate extra sheet accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "居民台账" || got[1] != "填表说明" {
		t.Fatalf("sheets %v", got)
	}
	dvs, err := f.GetDataValidations("居民台账")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"C3:C1000": `"男,女"`,
		"L3:L1000": `"户主,配偶,子女,父母,其他"`,
		"M3:M1000": `"户籍,常住,流动"`,
	}
	if len(dvs) != len(want) {
		t.Errorf("%d validations, want %d", len(dvs), len(want))
	}
	for _, dv := range dvs {
		if want[dv.Sqref] != dv.Formula1 || dv.Type != "list" {
			t.Errorf("validation %s %s %q", dv.Sqref, dv.Type, dv.Formula1)
		}
	}
	if d, _ := f.GetSheetDimension("居民台账"); d != "A1:O2" {
		t.Errorf("template dimension %q", d)
	}
	got, err := f.GetRows("填表说明")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(lines) {
		t.Fatalf("instructions %v", got)
	}
	for i := range lines {
		if got[i][0] != lines[i] {
			t.Errorf("line %d = %q, want %q", i, got[i][0], lines[i])
		}
	}
	if wd, _ := f.GetColWidth("填表说明", "A"); wd < 50 {
		t.Errorf("instructions column width %v", wd)
	}
	if strings.Contains(sheetXML(t, path, 2), "<f>") {
		t.Error("instructions contain a formula")
	}
	// A blank template row typed by hand stays text: the column has "@".
	x := sheetXML(t, path, 1)
	if !regexp.MustCompile(`<col min="4" max="4" width="22" customWidth="1" style="\d+"/>`).MatchString(x) {
		t.Errorf("ID column has no column style: %s", x[:min(len(x), 600)])
	}
}

func TestValidationCoversWrittenRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.xlsx")
	cols := []Column{{Header: "性别", List: []string{"男", "女"}}}
	w, err := Create(path, cols, Options{Sheet: "S", Rows: 1200, Validation: true})
	if err != nil {
		t.Fatal(err)
	}
	for range 1200 {
		if err := w.Row([]string{"男"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dvs, err := openBook(t, path).GetDataValidations("S")
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "A2:A1201" {
		t.Fatalf("validations %v, %v", dvs, err)
	}
}

func TestRowCountMismatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.xlsx")
	// An older export at path must survive a failed one.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	w, err := Create(path, ledgerCols(), Options{Sheet: "S", Rows: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := w.Row(ledgerRow(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close with 2 of 3 rows succeeded")
	}
	assertOnly(t, dir, "x.xlsx", "old")

	w, err = Create(path, ledgerCols(), Options{Sheet: "S", Rows: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Row(ledgerRow(0)[:3]); err == nil {
		t.Error("short row accepted")
	}
	if err := w.Row(ledgerRow(0)); err != nil {
		t.Fatal(err)
	}
	if err := w.Row(ledgerRow(1)); err == nil {
		t.Error("row beyond Options.Rows accepted")
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after too many rows succeeded")
	}
	assertOnly(t, dir, "x.xlsx", "old")
	if err := w.Row(ledgerRow(0)); err == nil {
		t.Error("Row after Close accepted")
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.xlsx")
	w, err := Create(path, ledgerCols(), Options{Sheet: "S", Rows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if err := w.Row(ledgerRow(i)); err != nil {
			t.Fatal(err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("expected one partial file while writing, have %d", len(ents))
	}
	w.Abort()
	w.Abort() // idempotent
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left after Abort: %v", ents)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after Abort succeeded")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("stat after Abort: %v", err)
	}
}

func TestCreateRejects(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "b.xlsx")
	cols := []Column{{Header: "a"}}
	bad := []struct {
		name string
		path string
		cols []Column
		opt  Options
	}{
		{"csv path", filepath.Join(dir, "b.csv"), cols, Options{Sheet: "S"}},
		{"no columns", p, nil, Options{Sheet: "S"}},
		{"no sheet", p, cols, Options{}},
		{"bad sheet", p, cols, Options{Sheet: "a/b"}},
		{"apostrophe", p, cols, Options{Sheet: "a'b"}},
		{"long rollover name", p, cols, Options{Sheet: strings.Repeat("台", 29), Rows: 20, MaxRows: 5}},
		{"negative rows", p, cols, Options{Sheet: "S", Rows: -1}},
		{"MaxRows too small", p, cols, Options{Sheet: "S", Title: "t", MaxRows: 2}},
		{"MaxRows too large", p, cols, Options{Sheet: "S", MaxRows: excelize.TotalRows + 1}},
		{"comma in list", p, []Column{{Header: "a", List: []string{"a,b"}}}, Options{Sheet: "S", Validation: true}},
		{"formula list", p, []Column{{Header: "a", List: []string{"=A1:A3"}}}, Options{Sheet: "S", Validation: true}},
		{"list too long", p, []Column{{Header: "a", List: []string{strings.Repeat("长", 300)}}}, Options{Sheet: "S", Validation: true}},
		{"footer too long", p, cols, Options{Sheet: "S", Footer: strings.Repeat("&", 130)}},
		{"missing dir", filepath.Join(dir, "no", "b.xlsx"), cols, Options{Sheet: "S"}},
	}
	for _, c := range bad {
		if w, err := Create(c.path, c.cols, c.opt); err == nil {
			w.Abort()
			t.Errorf("%s: accepted", c.name)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
}

// at is row[c], or "" where GetRows trimmed trailing empty cells.
func at(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// colsAscending checks Excel's rule that <col> elements are sorted and do
// not overlap (Excel reports a damaged file otherwise).
func colsAscending(t *testing.T, x string) {
	t.Helper()
	prev := 0
	for _, m := range regexp.MustCompile(`<col min="(\d+)" max="(\d+)"`).FindAllStringSubmatch(x, -1) {
		lo, _ := strconv.Atoi(m[1])
		hi, _ := strconv.Atoi(m[2])
		if lo <= prev || hi < lo {
			t.Errorf("<col> elements out of order: min %d after max %d", lo, prev)
		}
		prev = hi
	}
	if prev == 0 {
		t.Error("no <col> elements")
	}
}

func assertOnly(t *testing.T, dir, name, content string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != name {
		t.Errorf("dir holds %v, want only %s", ents, name)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, name))
	if string(b) != content {
		t.Errorf("%s was replaced", name)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "姓名": 4, "ＡＢ": 4, "与户主关系": 10, "房号(A)": 7, "한국": 4, "𠀀": 2} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	if w := colWidth(Column{Header: "公民身份号码"}); w != 14 {
		t.Errorf("auto width %v", w)
	}
}
