package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/outfile"
	"shequ/charts"
	"shequ/ui/i18n"
)

// AppealRows are the appeal figures as a table: a header, the whole, then
// each group; rates in percent, medians with their unit: hours, or days
// from two days on ("—" for none).
func AppealRows(s *app.AppealStats) [][]string {
	pct := func(part, whole int) string {
		if whole == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", app.Rate(part, whole))
	}
	hours := func(v float64) string {
		switch {
		case v < 0:
			return "—"
		case v >= 48:
			return i18n.L("appeal.stats.days", map[string]any{"N": fmt.Sprintf("%.1f", v/24)})
		}
		return i18n.L("appeal.stats.hours", map[string]any{"N": fmt.Sprintf("%.1f", v)})
	}
	rows := [][]string{{i18n.L("appeal.stats." + s.By), i18n.L("appeal.stats.received"), i18n.L("appeal.stats.answerrate"),
		i18n.L("appeal.stats.ontime"), i18n.L("appeal.stats.closerate"), i18n.L("appeal.stats.satisfaction"),
		i18n.L("appeal.stats.accepth"), i18n.L("appeal.stats.answerh"), i18n.L("appeal.stats.closeh")}}
	all := s.All
	all.Label = i18n.L("appeal.stats.all")
	for _, g := range append([]app.AppealGroup{all}, s.Groups...) {
		label := g.Label
		if label == "" {
			label = i18n.L("appeal.stats.none")
		}
		rows = append(rows, []string{label, fmt.Sprint(g.Received), pct(g.Answered, g.Received), pct(g.OnTime, g.Answered),
			pct(g.Closed, g.Received), pct(g.Satisfied, g.Rated), hours(g.AcceptHours), hours(g.AnswerHours), hours(g.CloseHours)})
	}
	return rows
}

// AppealChart is the appeals received per group, each bar's label with
// its answer rate.
func AppealChart(s *app.AppealStats) charts.Bars {
	var bars []charts.Bar
	for _, g := range s.Groups {
		label := g.Label
		if label == "" {
			label = i18n.L("appeal.stats.none")
		}
		bars = append(bars, charts.Bar{Label: fmt.Sprintf("%s（%.0f%%）", label, g.AnswerRate()), Value: g.Received, Color: charts.Palette[0]})
	}
	return charts.Bars{Title: i18n.L("appeal.stats.chart." + s.By), Bars: bars}
}

// WriteAppealStats writes the figures and their chart to a workbook.
func WriteAppealStats(path string, s *app.AppealStats) error {
	return writeFigures(path, i18n.L("appeal.stats.sheet"), [][]any{{i18n.L("appeal.stats.title")},
		{i18n.L("appeal.stats.period"), s.From + " — " + s.To}}, AppealRows(s), AppealChart(s), i18n.L("appeal.stats.chart."+s.By), false)
}

// chartRows is about how many rows a chart placed at chartSize covers, and
// pageRows how many rows a landscape A4 page holds at full size, with
// room for a header row of two lines.
const chartRows, pageRows = 24, 32

// figure is a table's text as the number it says, if it says one: a
// count, a decimal or a percentage ("56.0%" is the share 0.56).
func figure(v string) any {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	if p, ok := strings.CutSuffix(v, "%"); ok {
		if x, err := strconv.ParseFloat(p, 64); err == nil {
			return Share(x / 100)
		}
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && strings.Trim(v, "0123456789.") == "" {
		return x
	}
	return v
}

// writeFigures writes a sheet of figures: lines above, a table (its first
// row the header), and its chart under it or, beside, right of it; under a
// long table, on a sheet of its own.
func writeFigures(path, sheet string, above [][]any, figures [][]string, c charts.Bars, alt string, beside bool) error {
	f, err := xlsxwrite.NewBook()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := xlsxwrite.NewStyles(f)
	if err != nil {
		return err
	}
	rows := append(append([][]any{}, above...), []any{})
	head := len(rows) + 1
	for n, r := range figures {
		row := make([]any, len(r))
		for i, v := range r {
			row[i] = v
			if n > 0 {
				row[i] = figure(v)
			}
		}
		rows = append(rows, row)
	}
	if err := table(f, sheet, rows, head, st); err != nil {
		return err
	}
	title := fmt.Sprint(above[0][0])
	if err := xlsxwrite.SetPage(f, sheet, xlsxwrite.Page{HeadRows: head, Title: title}); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := draw(&png, c, charts.PNG, chartSize); err != nil {
		return err
	}
	at, on := fmt.Sprintf("A%d", len(rows)+3), sheet
	switch {
	case beside:
		col, _ := excelize.ColumnNumberToName(len(figures[0]) + 2)
		at = fmt.Sprintf("%s%d", col, head)
	case len(rows)+2+chartRows > pageRows:
		// Under a table this long the chart would be cut by the end of a
		// page, or printed under the table's repeated header: it gets a
		// landscape page of its own.
		on, at = sheetName(alt), "A1"
		if on == sheet { // Excel's own way of naming a second one
			on = string([]rune(sheet)[:min(len([]rune(sheet)), 28)]) + "(2)"
		}
		if _, err := f.NewSheet(on); err != nil {
			return err
		}
		if err := xlsxwrite.SetPage(f, on, xlsxwrite.Page{Title: title, OnePage: true}); err != nil {
			return err
		}
	}
	if err := f.AddPictureFromBytes(on, at, &excelize.Picture{Extension: ".png", File: png.Bytes(),
		Format: &excelize.GraphicOptions{AltText: alt, LockAspectRatio: true}}); err != nil {
		return err
	}
	if err := outfile.SaveBook(f, path); err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}
