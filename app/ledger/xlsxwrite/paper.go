package xlsxwrite

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The printed look every workbook of the program shares (the streaming
// ledger, and the small books app and ui/report write with excelize
// directly): named Chinese fonts, thin rules round every cell of a table,
// A4 with the header rows repeated and page numbers in the footer.
//
// Fonts are named because a workbook that names none prints in whatever the
// office falls back to (LibreOffice chose a serif for the title). 宋体
// (SimSun) and 黑体 (SimHei) are on every Chinese Windows since 95 and in
// WPS; 等线 and 微软雅黑 are not on the older machines (Office 2010/Windows 7)
// community offices still use, and 宋体 is what printed government forms
// are set in. Charset 134 (GB2312) is what Excel writes for them.
const (
	BodyFont  = "宋体"
	TitleFont = "黑体"
	BodySize  = 11
	TitleSize = 16
	fontGB    = 134
	ruleColor = "000000"
)

func errLongFooter(footer string) error {
	return fmt.Errorf("xlsxwrite: footer %q is too long for Excel", footer)
}

// maxHeaderTitle is how much of a title the page header prints: the
// header and the footer are limited to 255 characters each.
const maxHeaderTitle = 80

// PercentFormat shows a share stored as a fraction (0.56) as 56.0%.
const PercentFormat = "0.0%"

func body(bold bool) *excelize.Font {
	cs := fontGB
	return &excelize.Font{Family: BodyFont, Size: BodySize, Bold: bold, Charset: &cs}
}

func titleFont(size float64) *excelize.Font {
	cs := fontGB
	return &excelize.Font{Family: TitleFont, Size: size, Bold: true, Charset: &cs}
}

// rules are thin black lines on all four sides: on paper a 台账 is ruled.
var rules = []excelize.Border{
	{Type: "left", Color: ruleColor, Style: 1},
	{Type: "top", Color: ruleColor, Style: 1},
	{Type: "right", Color: ruleColor, Style: 1},
	{Type: "bottom", Color: ruleColor, Style: 1},
}

// Styles are the style ids of a workbook's kinds of cell, one id per kind
// (never one per cell: the styles part stays a few lines long however many
// rows are written).
type Styles struct {
	Title   int // a sheet's title line, unruled
	Head    int // a table's header cells
	Text    int // ruled text ("@": long numbers stay text)
	Wrap    int // ruled text that wraps in its column (long notes, details)
	General int // ruled, number format General (numbers, or text as typed)
	Number  int // ruled integer with thousands separators
	Percent int // ruled share, stored as a fraction
	Date    int // ruled yyyy-mm-dd date
	Line    int // an unruled line of text (notes above or below a table)
}

// NewBook is an empty workbook whose default (Normal) font is BodyFont, so
// cells without a style, headers and footers print in it too.
func NewBook() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetDefaultFont(BodyFont); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// NewStyles adds the shared styles to a workbook.
func NewStyles(f *excelize.File) (Styles, error) {
	var s Styles
	dateFmt, pct := "yyyy-mm-dd", PercentFormat
	mid := &excelize.Alignment{Vertical: "center"}
	for _, st := range []struct {
		id *int
		s  excelize.Style
	}{
		{&s.Title, excelize.Style{Font: titleFont(TitleSize), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.Head, excelize.Style{Font: body(true), Border: rules,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.Text, excelize.Style{Font: body(false), Border: rules, NumFmt: 49, Alignment: mid}},
		{&s.Wrap, excelize.Style{Font: body(false), Border: rules, NumFmt: 49,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.General, excelize.Style{Font: body(false), Border: rules, Alignment: mid}},
		{&s.Number, excelize.Style{Font: body(false), Border: rules, NumFmt: 3, Alignment: mid}},
		{&s.Percent, excelize.Style{Font: body(false), Border: rules, CustomNumFmt: &pct, Alignment: mid}},
		{&s.Date, excelize.Style{Font: body(false), Border: rules, CustomNumFmt: &dateFmt, Alignment: mid}},
		{&s.Line, excelize.Style{Font: body(false)}},
	} {
		id, err := f.NewStyle(&st.s)
		if err != nil {
			return s, err
		}
		*st.id = id
	}
	return s, nil
}

// PortraitWidth is the widest table (the sum of its column widths, in
// Excel's characters) printed on portrait A4 at full size; wider ones are
// printed landscape.
const PortraitWidth = 90

// Page is how a sheet prints.
type Page struct {
	// Portrait for narrow tables; landscape otherwise.
	Portrait bool
	// HeadRows are the top rows repeated on every printed page (title and
	// table header); 0 repeats none.
	HeadRows int
	// Title is printed in the page header's centre, its first 80
	// characters; "" prints none (a sheet whose title row repeats needs
	// none).
	Title string
	// Footer is the left part of the footer; the centre always shows
	// "第 &P 页，共 &N 页". An "&" in either is printed literally.
	Footer string
	// OnePage shrinks the sheet to one page (a chart with its figures);
	// otherwise it is fitted to the page's width and runs on as long as it
	// is.
	OnePage bool
}

// headerFooter is the text of Page's header and footer in Excel's codes,
// or false if it is too long for Excel.
func (p Page) headerFooter() (head, foot string, ok bool) {
	esc := func(s string) string { return strings.ReplaceAll(s, "&", "&&") }
	foot = "&L" + esc(p.Footer) + "&C第 &P 页，共 &N 页"
	if p.Title != "" {
		head = "&C" + esc(string([]rune(p.Title)[:min(len([]rune(p.Title)), maxHeaderTitle)]))
	}
	return head, foot, utf16Len(foot) <= maxFooterUTF16 && utf16Len(head) <= maxFooterUTF16
}

// SetPage gives a sheet its print setup: A4, fitted to the page's width
// (or to one page), centred, header rows repeated, title and page numbers
// in the header and footer. For a streamed sheet it must be called before
// NewStreamWriter.
func SetPage(f *excelize.File, sheet string, p Page) error {
	head, foot, ok := p.headerFooter()
	if !ok {
		return errLongFooter(p.Footer)
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	size, orient, one, tall := paperA4, "landscape", 1, 0
	if p.Portrait {
		orient = "portrait"
	}
	if p.OnePage {
		tall = 1
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	lr, tb, hf, centre := 0.4, 0.6, 0.3, true
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &lr, Right: &lr, Top: &tb, Bottom: &tb, Header: &hf, Footer: &hf, Horizontally: &centre,
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: head, OddFooter: foot}); err != nil {
		return err
	}
	if p.HeadRows == 0 {
		return nil
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$" + strconv.Itoa(p.HeadRows),
		Scope:    sheet,
	})
}

// lineHeight is a line of BodyFont at BodySize, in points.
const lineHeight = 14.25

// WrappedHeight is the height in points a row needs for text wrapped in a
// column width characters wide (Wrap style): offices do not all work out
// the height of a streamed row themselves (LibreOffice prints the lines
// over each other), so it is written with the row.
func WrappedHeight(text string, width float64) float64 {
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		// Wrapping breaks at spaces and punctuation, so lines hold less than
		// the full width: count 85% of it.
		lines += max(1, int(math.Ceil(float64(displayWidth(l))/max(0.85*(width-1), 1))))
	}
	return float64(max(lines, 1)) * lineHeight
}

// Ruled points row at cells that carry style and vals' values, for a
// StreamWriter's SetRow: cells is reused row after row (SetRow reads it
// before returning), so ruling a streamed row allocates nothing. A nil
// value becomes an empty ruled cell. len(cells) and len(row) must be at
// least len(vals); the returned slice is row[:len(vals)].
func Ruled(vals []any, style int, cells []excelize.Cell, row []any) []any {
	for i, v := range vals {
		cells[i] = excelize.Cell{StyleID: style, Value: v}
		row[i] = &cells[i]
	}
	return row[:len(vals)]
}
