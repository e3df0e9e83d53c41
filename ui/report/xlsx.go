package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/outfile"
	"shequ/charts"
	"shequ/ui/i18n"
)

// chartSize is the size charts are placed in the workbook at.
var chartSize = charts.Options{Width: 760, Height: 460}

// Pages is how many pages the 分析报告 prints on when no table runs past
// its first page: the summary on one portrait page, then each chart on a
// landscape page of its own, whole, its figures beside it.
var Pages = 1 + len(Kinds)

// Write writes the 分析报告: a summary sheet, then for every chart a sheet
// with its numbers and its picture beside them. subject says what the
// numbers are of (an area, a cohort).
func Write(path string, s *app.Stats, subject string) error {
	f, err := xlsxwrite.NewBook()
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := xlsxwrite.NewStyles(f)
	if err != nil {
		return err
	}
	first := sheetName(i18n.L("report.summary"))
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return err
	}
	footer := subject // the footer holds 255 characters at most
	if rs := []rune(subject); len(rs) > 100 {
		footer = string(rs[:100]) + "…"
	}
	footer += " · " + s.At
	rows := [][]any{{i18n.L("report.title")}, {i18n.L("report.subject"), subject}, {i18n.L("report.at"), s.At}, {}}
	rows = append(rows, []any{i18n.L("report.item"), i18n.L("report.count")})
	for _, h := range Headlines(s) {
		rows = append(rows, []any{h.Label, h.N})
	}
	if err := table(f, first, rows, 5, st); err != nil {
		return err
	}
	if err := xlsxwrite.SetPage(f, first, xlsxwrite.Page{Portrait: true, Footer: footer}); err != nil {
		return err
	}
	for _, k := range Kinds {
		name := sheetName(Title(k, s))
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := table(f, name, Numbers(k, s), 1, st); err != nil {
			return err
		}
		// Fitted to the width of a landscape page the chart (rows 2 to
		// about 26) is whole on the first page; a long table runs on to
		// further pages under its repeated header.
		err := xlsxwrite.SetPage(f, name, xlsxwrite.Page{HeadRows: 1, Title: Title(k, s), Footer: footer})
		if err != nil {
			return err
		}
		var png bytes.Buffer
		if err := Render(&png, k, s, charts.PNG, chartSize); err != nil {
			return err
		}
		err = f.AddPictureFromBytes(name, "F2", &excelize.Picture{Extension: ".png", File: png.Bytes(),
			Format: &excelize.GraphicOptions{AltText: Title(k, s), LockAspectRatio: true}})
		if err != nil {
			return fmt.Errorf("report: %s: %w", name, err)
		}
	}
	if err := outfile.SaveBook(f, path); err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}

// table writes rows from A1; the row numbered head (1-based) is a
// header. Rows above it are lines of text (the first a title when head is
// past it); the rows under it are ruled, counts with thousands separators
// and shares as numbers shown in percent.
func table(f *excelize.File, sheet string, rows [][]any, head int, st xlsxwrite.Styles) error {
	width := 0
	for _, r := range rows[head-1:] {
		width = max(width, len(r))
	}
	for i, r := range rows {
		n := len(r)
		if i+1 > head && n > 0 {
			n = width // short rows are ruled to the table's width
		}
		for j := range n {
			var v any
			if j < len(r) {
				v = r[j]
			}
			style := st.Line
			switch {
			case i+1 == head:
				style = st.Head
			case i == 0 && head > 1:
				style = st.Title
			case i+1 > head:
				style = st.Text
				switch x := v.(type) {
				case int:
					style = st.Number
				case float64:
					style = st.General
				case Share:
					v, style = float64(x), st.Percent
				}
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if v != nil {
				if err := f.SetCellValue(sheet, cell, v); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
		}
	}
	if head > 1 && len(rows[0]) == 1 && width > 1 {
		last, _ := excelize.CoordinatesToCellName(width, 1)
		if err := f.MergeCell(sheet, "A1", last); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, 1, 30); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", nameWidth); err != nil {
		return err
	}
	if last, _ := excelize.ColumnNumberToName(max(width, 4)); width > 1 {
		if err := f.SetColWidth(sheet, "B", last, figureWidth); err != nil {
			return err
		}
	}
	// Headers wrap in their columns; offices do not all make the row tall
	// enough for them by themselves.
	ht := 0.0
	for j, v := range rows[head-1] {
		w := figureWidth
		if j == 0 {
			w = nameWidth
		}
		ht = max(ht, xlsxwrite.WrappedHeight(fmt.Sprint(v), w))
	}
	return f.SetRowHeight(sheet, head, ht)
}

// The widths of a table's first column (names) and the others (figures).
const nameWidth, figureWidth float64 = 22, 12

// Numbers is a chart's table: a header row and a row per bar.
func Numbers(k Kind, s *app.Stats) [][]any {
	switch k {
	case Pyramid:
		rows := [][]any{{i18n.L("report.band"), i18n.L("chart.men"), i18n.L("chart.women"), i18n.L("report.total")}}
		for i, b := range s.Pyramid.Bands {
			rows = append(rows, []any{b, s.Pyramid.Men[i], s.Pyramid.Women[i], s.Pyramid.Men[i] + s.Pyramid.Women[i]})
		}
		if s.Pyramid.Unknown > 0 {
			rows = append(rows, []any{i18n.L("report.unknown"), "", "", s.Pyramid.Unknown})
		}
		return rows
	case Moves:
		rows := [][]any{{i18n.L("report.month"), i18n.L("chart.in"), i18n.L("chart.out")}}
		for i, m := range s.Moves.Months {
			rows = append(rows, []any{m, s.Moves.In[i], s.Moves.Out[i]})
		}
		return rows
	case Composition:
		rows := [][]any{{i18n.L("report.name"), i18n.L("report.count"), i18n.L("report.share")}}
		for _, group := range [][]app.Count{Labelled(s.Kinds), Labelled(s.Statuses)} {
			rows = append(rows, shares(group, s.Total)...)
		}
		return rows
	}
	cs := s.Tags
	if k == Areas {
		cs = AreaCounts(s)
	}
	return append([][]any{{i18n.L("report.name"), i18n.L("report.count"), i18n.L("report.share")}}, shares(cs, s.Total)...)
}

// Share is a part of a whole as a fraction (0.56): a number in the
// workbook, shown in percent, and "56.0%" as text.
type Share float64

func (s Share) String() string { return fmt.Sprintf("%.1f%%", 100*float64(s)) }

func shares(cs []app.Count, total int) [][]any {
	var rows [][]any
	for _, c := range cs {
		var share any = ""
		if total > 0 {
			share = Share(float64(c.N) / float64(total))
		}
		rows = append(rows, []any{c.Label, c.N, share})
	}
	return rows
}

// sheetName is a title as Excel allows a sheet name: 31 characters
// without []:*?/\.
func sheetName(title string) string {
	title = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, title)
	if rs := []rune(title); len(rs) > 31 {
		title = string(rs[:31])
	}
	return title
}
