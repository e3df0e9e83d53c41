package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/outfile"
	"shequ/charts"
	"shequ/ui/i18n"
)

// chartSize is the size charts are placed in the workbook at.
var chartSize = charts.Options{Width: 760, Height: 460}

// Write writes the 分析报告: a summary sheet, then for every chart a sheet
// with its numbers and its picture beside them. subject says what the
// numbers are of (an area, a cohort).
func Write(path string, s *app.Stats, subject string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := styles(f)
	if err != nil {
		return err
	}
	first := i18n.L("report.summary")
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return err
	}
	rows := [][]any{{i18n.L("report.title")}, {i18n.L("report.subject"), subject}, {i18n.L("report.at"), s.At}, {}}
	rows = append(rows, []any{i18n.L("report.item"), i18n.L("report.count")})
	for _, h := range Headlines(s) {
		rows = append(rows, []any{h.Label, h.N})
	}
	if err := table(f, first, rows, 5, st); err != nil {
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
		var png bytes.Buffer
		if err := Render(&png, k, s, charts.PNG, chartSize); err != nil {
			return err
		}
		err := f.AddPictureFromBytes(name, "F2", &excelize.Picture{Extension: ".png", File: png.Bytes(),
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

type sheetStyles struct{ head, title, number int }

func styles(f *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	var err error
	if s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8EEF7"}}}); err != nil {
		return s, err
	}
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return s, err
	}
	s.number, err = f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	return s, err
}

// table writes rows from A1; the row numbered head (1-based) is a header.
func table(f *excelize.File, sheet string, rows [][]any, head int, st sheetStyles) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
		for j, v := range r {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			style := 0
			switch {
			case i+1 == head:
				style = st.head
			case i == 0 && head > 1:
				style = st.title
			default:
				if _, ok := v.(int); ok {
					style = st.number
				}
			}
			if style != 0 {
				if err := f.SetCellStyle(sheet, c, c, style); err != nil {
					return err
				}
			}
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 22); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "D", 12)
}

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

func shares(cs []app.Count, total int) [][]any {
	var rows [][]any
	for _, c := range cs {
		share := ""
		if total > 0 {
			share = fmt.Sprintf("%.1f%%", 100*float64(c.N)/float64(total))
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
