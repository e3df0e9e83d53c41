package report

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"shequ/app"
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

// writeFigures writes a sheet of figures: lines above, a table (its first
// row the header), and its chart under it or, beside, right of it.
func writeFigures(path, sheet string, above [][]any, figures [][]string, c charts.Bars, alt string, beside bool) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := styles(f)
	if err != nil {
		return err
	}
	rows := append(append([][]any{}, above...), []any{})
	head := len(rows) + 1
	for _, r := range figures {
		row := make([]any, len(r))
		for i, v := range r {
			row[i] = v
		}
		rows = append(rows, row)
	}
	if err := table(f, sheet, rows, head, st); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := draw(&png, c, charts.PNG, chartSize); err != nil {
		return err
	}
	at := fmt.Sprintf("A%d", len(rows)+3)
	if beside {
		col, _ := excelize.ColumnNumberToName(len(figures[0]) + 2)
		at = fmt.Sprintf("%s%d", col, head)
	}
	if err := f.AddPictureFromBytes(sheet, at, &excelize.Picture{Extension: ".png", File: png.Bytes(),
		Format: &excelize.GraphicOptions{AltText: alt, LockAspectRatio: true}}); err != nil {
		return err
	}
	if err := outfile.SaveBook(f, path); err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}
