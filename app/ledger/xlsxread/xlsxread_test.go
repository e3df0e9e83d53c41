package xlsxread

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// saveAsBook writes a workbook the way excelize.SaveAs does (shared
// strings), with the awkward values a ledger can hold, on three sheets.
func saveAsBook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet, cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	// Row 1: a header; rows 2..: one kind of value per row.
	for i, h := range []string{"姓名", "性别", "身份证号", "电话", "备注", "金额"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set("Sheet1", cell, h)
	}
	set("Sheet1", "A2", "hello")
	set("Sheet1", "B2", 42)
	set("Sheet1", "C2", 0.1)
	set("Sheet1", "D2", 1e20)
	set("Sheet1", "E2", -3.75)
	set("Sheet1", "F2", true)
	set("Sheet1", "G2", false)
	set("Sheet1", "H2", int64(-9007199254740993))
	if err := f.SetCellDefault("Sheet1", "I2", "5.10104199001011E+17"); err != nil {
		t.Fatal(err)
	}
	set("Sheet1", "A3", `Tom & Jerry <co> "q" 'a'`)
	set("Sheet1", "B3", "  leading and trailing  ")
	set("Sheet1", "C3", "line1\nline2\r\nline3\rend")
	set("Sheet1", "D3", "中文 👩‍👩‍👧 ok")
	set("Sheet1", "E3", "")
	set("Sheet1", "F3", "tab\there")
	// SaveAs does not escape _xHHHH_ in shared strings, so excelize reads
	// this back as a carriage return; Rows must agree.
	set("Sheet1", "G3", "_x000D_ literal and _x005F_ too")
	set("Sheet1", "H3", "110101199003077777") // ID numbers are text
	set("Sheet1", "I3", "13800138000")
	// A formula with its cached value.
	set("Sheet1", "A4", 7)
	if err := f.SetCellFormula("Sheet1", "A4", "3+4"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText("Sheet1", "B4", []excelize.RichTextRun{
		{Text: "bold ", Font: &excelize.Font{Bold: true}},
		{Text: "and plain"},
	}); err != nil {
		t.Fatal(err)
	}
	set("Sheet1", "C4", time.Date(2024, 2, 29, 13, 30, 0, 0, time.UTC))
	// Sparse: A and F only, then a gap of rows.
	set("Sheet1", "A6", "a6")
	set("Sheet1", "F6", "f6")
	set("Sheet1", "C10", "after a gap")
	set("Sheet1", "XFD12", "last column")
	if err := f.MergeCell("Sheet1", "A20", "A22"); err != nil {
		t.Fatal(err)
	}
	if err := f.MergeCell("Sheet1", "B20", "D21"); err != nil {
		t.Fatal(err)
	}
	set("Sheet1", "A20", "merged")

	if _, err := f.NewSheet("楼栋 & 单元"); err != nil {
		t.Fatal(err)
	}
	set("楼栋 & 单元", "B2", "second sheet")
	set("楼栋 & 单元", "A3", 3)
	if _, err := f.NewSheet("Hidden"); err != nil {
		t.Fatal(err)
	}
	set("Hidden", "A1", "secret")
	if err := f.SetSheetVisible("Hidden", false); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetDimension("Sheet1", "A1:XFD22"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "saveas.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSaveAsWorkbookMatchesExcelize(t *testing.T) {
	path := saveAsBook(t)
	sameAsExcelize(t, path)

	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want := []Sheet{
		{Name: "Sheet1", part: "xl/worksheets/sheet1.xml"},
		{Name: "楼栋 & 单元", part: "xl/worksheets/sheet2.xml"},
		{Name: "Hidden", Hidden: true, part: "xl/worksheets/sheet3.xml"},
	}
	if got := b.Sheets(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sheets() = %+v, want %+v", got, want)
	}
	if b.Date1904() {
		t.Error("Date1904() = true")
	}
	got := cellsOf(t, b, "Sheet1")
	s := func(v string) Cell { return Cell{v, String} }
	n := func(v string) Cell { return Cell{v, Number} }
	row2 := []Cell{s("hello"), n("42"), n("0.1"), n("100000000000000000000"), n("-3.75"),
		{"1", Bool}, {"0", Bool}, n("-9007199254740993"), n("5.10104199001011E+17")}
	if !reflect.DeepEqual(got[2], row2) {
		t.Errorf("row 2 = %+v\nwant %+v", got[2], row2)
	}
	row3 := []Cell{s(`Tom & Jerry <co> "q" 'a'`), s("  leading and trailing  "), s("line1\nline2\r\nline3\rend"),
		s("中文 👩‍👩‍👧 ok"), {}, s("tab\there"), s("\r literal and _ too"),
		s("110101199003077777"), s("13800138000")}
	if !reflect.DeepEqual(got[3], row3) {
		t.Errorf("row 3 = %+v\nwant %+v", got[3], row3)
	}
	if g := got[4]; len(g) < 3 || g[0] != s("7") || g[1] != s("bold and plain") || g[2].Type != Number {
		t.Errorf("row 4 = %+v", g)
	}
	if g := got[6]; len(g) != 6 || g[0] != s("a6") || g[5] != s("f6") || g[1] != (Cell{}) {
		t.Errorf("sparse row 6 = %+v", g)
	}
	if g := got[12]; len(g) != 16384 || g[16383] != s("last column") {
		t.Errorf("row 12 has %d cells", len(g))
	}
	if _, ok := got[5]; ok {
		t.Error("row 5 is not in the XML but was reported")
	}

	merges, err := b.Merges(context.Background(), "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	wantMerges := []Range{{20, 0, 22, 0}, {20, 1, 21, 3}}
	if !reflect.DeepEqual(merges, wantMerges) {
		t.Errorf("Merges = %+v, want %+v", merges, wantMerges)
	}
	if m, err := b.Merges(context.Background(), "Hidden"); err != nil || len(m) != 0 {
		t.Errorf("Merges(Hidden) = %v, %v", m, err)
	}
	if d, err := b.Dimension("Sheet1"); err != nil || d != "A1:XFD22" {
		t.Errorf("Dimension = %q, %v", d, err)
	}
	// Sheet names are matched exactly, then ignoring case, like excelize.
	if rows := ourRows(t, b, "hidden"); rows[1][0] != "secret" {
		t.Errorf("hidden sheet by case-folded name: %v", rows)
	}
}

// streamBook writes a workbook with excelize's StreamWriter, which uses
// inline strings, including a rich-text and a formula cell.
func streamBook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"姓名", "身份证号", "电话", "数量", "比例", "是否"},
		{"张三", "110101199003077777", "13800138000", 3, 0.25, true},
		{"a & b < c", " spaced ", "multi\nline", -17, 1e-7, false},
		{nil, nil, "C4 only"},
		{[]excelize.RichTextRun{{Text: "rich "}, {Text: "run", Font: &excelize.Font{Italic: true}}}},
		{excelize.Cell{Formula: "SUM(D2:D3)", Value: -14}, "_x0041_ escaped?", "emoji 😀"},
		{time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), uint8(200), float32(1.5)},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.SetRow("B10", []any{"after gap"}); err != nil {
		t.Fatal(err)
	}
	if err := sw.MergeCell("A12", "C13"); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "stream.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStreamWriterWorkbookMatchesExcelize(t *testing.T) {
	path := streamBook(t)
	sameAsExcelize(t, path)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := cellsOf(t, b, "Sheet1")
	if g := got[3]; len(g) != 6 || g[0] != (Cell{"a & b < c", String}) || g[2] != (Cell{"multi\nline", String}) || g[3] != (Cell{"-17", Number}) {
		t.Errorf("row 3 = %+v", g)
	}
	if g := got[5]; len(g) != 1 || g[0] != (Cell{"rich run", String}) {
		t.Errorf("row 5 = %+v", g)
	}
	if g := got[6]; len(g) != 3 || g[0] != (Cell{"-14", Number}) || g[1] != (Cell{"_x0041_ escaped?", String}) {
		t.Errorf("row 6 = %+v", g)
	}
	if m, err := b.Merges(context.Background(), "Sheet1"); err != nil || !reflect.DeepEqual(m, []Range{{12, 0, 13, 2}}) {
		t.Errorf("Merges = %v, %v", m, err)
	}
}

// handSheet exercises what other generators write: x: prefixes, cells and
// rows without r, single quotes, entities, CRLF, CDATA, comments, t="d",
// t="e", self-closing cells and rows, a repeated <t>, attributes in any
// order.
const handSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
  <x:dimension ref='A1:F9'/>
  <x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews>
  <x:sheetData>
    <x:row r='1' spans='1:6'>
      <x:c r='A1' t='s'><x:v>0</x:v></x:c>
      <x:c t='s' s='2'><x:v> 1 </x:v></x:c>
      <x:c><x:v>5.10104199001011E+17</x:v></x:c>
      <x:c t="s"><x:v>2</x:v></x:c>
    </x:row>
    <x:row>
      <x:c t="inlineStr"><x:is><x:t>inl &amp; &#20013;&#x6587; &lt;x&gt; &quot;&apos;</x:t></x:is></x:c>
      <x:c r="C2" s="3"/>
      <x:c t="e"><x:v>#DIV/0!</x:v></x:c>
      <x:c t="s"><x:v>3</x:v></x:c>
      <x:c t="s"><x:v>4</x:v></x:c>
    </x:row>
    <x:row r="4"><x:c s="1" t="d" r="A4"><x:v>2024-01-02T03:04:05Z</x:v></x:c><x:c r="B4" t="b"><x:v>1</x:v></x:c><x:c r="C4" t="str"><x:f>A1&amp;"x"</x:f><x:v>abc</x:v></x:c><x:c r="D4"><x:f>1/0</x:f></x:c><x:c r="E4" t="n"><x:v>-0.5</x:v></x:c></x:row>
    <x:row r="5"/>
    <x:row r="6"><x:c r="B6"><x:v/></x:c><x:c r="C6" t="inlineStr"><x:is><x:r><x:t>rich </x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">text</x:t></x:r></x:is></x:c></x:row>
    <x:row r="7"><x:c r="A7" t="inlineStr"><x:is><x:t>line1` + "\r\n" + `line2` + "\r" + `line3&#13;&#10;end</x:t></x:is></x:c><x:c r="B7"><x:v><![CDATA[12<3]]></x:v></x:c><x:c r="C7"><!-- note --><x:v>4<!-- c -->2</x:v></x:c></x:row>
    <x:row r="8"><x:c r="$B$8" t="s"><x:v>5</x:v></x:c><x:c r="c8" t="inlineStr"><x:is><x:t>first</x:t><x:t>second</x:t></x:is></x:c><x:c r="D8" t="inlineStr"><x:v>inline v</x:v></x:c></x:row>
    <x:row r="9"><x:c r="A9" t="s"><x:v>6</x:v></x:c><x:c r="B9" t="str"><x:v>_x0041_ stays</x:v></x:c><x:c r="F9" t="s"><x:v>7</x:v></x:c></x:row>
  </x:sheetData>
  <x:mergeCells count="2"><x:mergeCell ref="A1:B1"/><x:mergeCell ref='D4:C2'/></x:mergeCells>
</x:worksheet>`

const handSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="8" uniqueCount="8">
<si><t>plain</t></si>
<si><r><t>ric</t></r><r><rPr><b/></rPr><t>h</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><phoneticPr fontId="1"/></si>
<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>
<si><t>a_x000D_b _x005F_x000D_ _xD800_ _x004g_ _x0041_ _x00e9_</t></si>
<si><t xml:space="preserve">  spaced  </t></si>
<si><t>crlf` + "\r\n" + `in sst</t></si>
<si/>
<si><t>&#128512; &amp;amp;</t></si>
</sst>`

func TestHandWrittenPartsMatchExcelize(t *testing.T) {
	path := writeZip(t, t.TempDir(), map[string]*string{
		"xl/worksheets/sheet1.xml": ptr(handSheet),
		"xl/sharedStrings.xml":     ptr(handSST),
	})
	sameAsExcelize(t, path)

	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s := func(v string) Cell { return Cell{v, String} }
	n := func(v string) Cell { return Cell{v, Number} }
	wantCells(t, cellsOf(t, b, "Sheet1"), map[int][]Cell{
		1: {s("plain"), s("rich"), n("5.10104199001011E+17"), s("漢字")},
		2: {s(`inl & 中文 <x> "'`), {}, {}, {"#DIV/0!", Error}, s("a\rb _x000D_  _x004g_ A é"), s("  spaced  ")},
		4: {{"2024-01-02T03:04:05Z", Date}, {"1", Bool}, s("abc"), {}, n("-0.5")},
		5: {},
		6: {{}, {}, s("rich text")},
		7: {s("line1\nline2\nline3\r\nend"), n("12<3"), n("42")},
		8: {{}, s("crlf\nin sst"), s("second"), s("inline v")},
		9: {{}, s("_x0041_ stays"), {}, {}, {}, s("😀 &amp;")},
	})
	m, err := b.Merges(context.Background(), "Sheet1")
	if err != nil || !reflect.DeepEqual(m, []Range{{1, 0, 1, 1}, {2, 2, 4, 3}}) {
		t.Errorf("Merges = %v, %v", m, err)
	}
	if d, err := b.Dimension("Sheet1"); err != nil || d != "A1:F9" {
		t.Errorf("Dimension = %q, %v", d, err)
	}
}

func TestDate1904AndAbsoluteTargets(t *testing.T) {
	wb := strings.Replace(workbookXML, "<workbookPr/>", `<workbookPr date1904="true"/>`, 1)
	wb = strings.Replace(wb, `<sheet name="Sheet1" sheetId="1" r:id="rId1"/>`,
		`<sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Old" sheetId="2" state="veryHidden" r:id="rId3"/>`, 1)
	rels := strings.Replace(workbookRelsXML, `Target="worksheets/sheet1.xml"`, `Target="/xl/worksheets/data.xml"`, 1)
	rels = strings.Replace(rels, `Target="sharedStrings.xml"`, `Target="/xl/strings.xml"`, 1)
	rels = strings.Replace(rels, `</Relationships>`, `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/../worksheets/old.xml"/></Relationships>`, 1)
	path := writeZip(t, t.TempDir(), map[string]*string{
		"xl/workbook.xml":            ptr(wb),
		"xl/_rels/workbook.xml.rels": ptr(rels),
		"xl/worksheets/data.xml":     ptr(`<worksheet><sheetData><row><c t="s"><v>1</v></c><c><v>45000.5</v></c></row></sheetData></worksheet>`),
		"xl/worksheets/old.xml":      ptr(`<worksheet><sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData></worksheet>`),
		"xl/strings.xml":             ptr(`<sst><si><t>zero</t></si><si><t>one</t></si></sst>`),
	})
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Date1904() {
		t.Error("Date1904() = false")
	}
	sheets := b.Sheets()
	if len(sheets) != 2 || sheets[0].Name != "Data" || sheets[0].Hidden || sheets[1].Name != "Old" || !sheets[1].Hidden {
		t.Errorf("Sheets() = %+v", sheets)
	}
	wantCells(t, cellsOf(t, b, "Data"), map[int][]Cell{1: {{"one", String}, {"45000.5", Number}}})
	wantCells(t, cellsOf(t, b, "Old"), map[int][]Cell{3: {{}, {"1", Number}}})
}

func TestNotXLSX(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "ledger.xlsx")
	if err := os.WriteFile(csv, []byte("姓名,性别\n张三,男\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(csv); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("CSV: err = %v, want ErrNotXLSX", err)
	}
	// An old .xls is an OLE2 compound file.
	xls := filepath.Join(dir, "old.xls")
	if err := os.WriteFile(xls, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(xls); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("xls: err = %v, want ErrNotXLSX", err)
	}
	zipDir := filepath.Join(dir, "z")
	if err := os.Mkdir(zipDir, 0o700); err != nil {
		t.Fatal(err)
	}
	noWorkbook := writeZip(t, zipDir, map[string]*string{"xl/workbook.xml": nil, "_rels/.rels": nil, "readme.txt": ptr("hi")})
	if _, err := Open(noWorkbook); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("zip without workbook: err = %v, want ErrNotXLSX", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.xlsx")); err == nil || errors.Is(err, ErrNotXLSX) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v, want a not-exist error", err)
	}
}

func TestNoSheet(t *testing.T) {
	b, err := Open(streamBook(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	if err := b.Rows(ctx, "Nope", func(int, []Cell) error { return nil }); !errors.Is(err, ErrNoSheet) {
		t.Errorf("Rows: %v", err)
	}
	if _, err := b.Merges(ctx, "Nope"); !errors.Is(err, ErrNoSheet) {
		t.Errorf("Merges: %v", err)
	}
	if _, err := b.Dimension("Nope"); !errors.Is(err, ErrNoSheet) {
		t.Errorf("Dimension: %v", err)
	}
}

func TestCancelAndCallbackError(t *testing.T) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= 3*ctxEvery; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{r, "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "many.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := 0
	err = b.Rows(ctx, "Sheet1", func(row int, _ []Cell) error {
		last = row
		if row == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if last < 10 || last > 10+ctxEvery {
		t.Errorf("stopped after row %d", last)
	}
	if err := b.Rows(ctx, "Sheet1", func(int, []Cell) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: %v", err)
	}

	stop := errors.New("stop")
	calls := 0
	err = b.Rows(context.Background(), "Sheet1", func(row int, _ []Cell) error {
		calls++
		if row == 5 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 5 {
		t.Errorf("err = %v after %d calls, want stop after 5", err, calls)
	}
}

func TestCorruptSheet(t *testing.T) {
	good := `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c><v>1</v></c></row><row r="3"><c><v>2</v></c></row></sheetData></worksheet>`
	cases := map[string]string{
		"truncated":         good[:strings.Index(good, `<row r="3">`)+20],
		"bad entity":        strings.Replace(good, ">2<", ">&bogus;<", 1),
		"bad char ref":      strings.Replace(good, ">2<", ">&#0;<", 1),
		"control char":      strings.Replace(good, ">2<", ">\x01<", 1),
		"invalid utf8":      strings.Replace(good, ">2<", ">\xff<", 1),
		"bad row number":    strings.Replace(good, `r="3"`, `r="x3"`, 1),
		"bad cell ref":      strings.Replace(good, `<c><v>2`, `<c r="3C"><v>2`, 1),
		"column too far":    strings.Replace(good, `<c><v>2`, `<c r="XFE3"><v>2`, 1),
		"mismatched end":    strings.Replace(good, `<c><v>2</v></c></row>`, `<c><v>2</v></c></rox>`, 1),
		"unquoted attr":     strings.Replace(good, `r="3"`, `r=3`, 1),
		"bad shared string": strings.Replace(good, `<c><v>2`, `<c t="s"><v>99`, 1),
		"no end tag":        strings.TrimSuffix(good, `</row></sheetData></worksheet>`),
	}
	for name, sheet := range cases {
		t.Run(name, func(t *testing.T) {
			path := writeZip(t, t.TempDir(), map[string]*string{"xl/worksheets/sheet1.xml": &sheet})
			b, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			rows := 0
			err = b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { rows++; return nil })
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), `sheet "Sheet1", row 3`) {
				t.Errorf("error %q does not name the sheet and row 3", err)
			}
			if rows != 2 {
				t.Errorf("%d rows before the error, want 2", rows)
			}
		})
	}
}

func TestBstrUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"no escapes":            "no escapes",
		"_x000D_":               "\r",
		"a_x000d_b":             "a\rb",
		"_x005F_x000D_":         "_x000D_",
		"_x005f_":               "_",
		"_xD83D__xDE00_":        "",
		"_x004_ _x00411_":       "_x004_ _x00411_",
		"__x0041_":              "_A",
		"_x0041":                "_x0041",
		"_x4E2D__x6587_":        "中文",
		"_x0000_":               "\x00",
		"x_x0031__x0032__x0033": "x12_x0033",
	} {
		if got := string(bstrUnescape([]byte(in))); got != want {
			t.Errorf("bstrUnescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConcurrentReaders reads sheets from several goroutines at once (run
// with -race): a Book is shared read-only state.
func TestConcurrentReaders(t *testing.T) {
	path := saveAsBook(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want := ourRows(t, b, "Sheet1")
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			sheet := []string{"Sheet1", "楼栋 & 单元"}[i%2]
			n := 0
			err := b.Rows(context.Background(), sheet, func(row int, cells []Cell) error {
				if sheet == "Sheet1" && len(cells) > 0 && cells[0].Value != want[row][0] {
					return fmt.Errorf("row %d: %q", row, cells[0].Value)
				}
				n++
				return nil
			})
			if err == nil && n == 0 {
				err = errors.New("no rows")
			}
			if err == nil {
				_, err = b.Merges(context.Background(), sheet)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
