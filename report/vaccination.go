package report

import (
	"bytes"
	"fmt"

	"fyne.io/fyne/v2/lang"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/chart"
)

// VaccinationRows is a vaccine's progress as a table: a header, each
// group, then the whole; rates in percent ("—" without residents).
func VaccinationRows(p *app.VaccinationProgress) [][]string {
	rows := [][]string{{lang.L("vaccine.col." + string(p.By)), lang.L("vaccine.col.residents"), lang.L("vaccine.col.done"),
		lang.L("vaccine.col.rate")}}
	total := p.Total
	total.Label = lang.L("vaccine.total")
	for _, r := range append(append([]app.VaccinationRow{}, p.Rows...), total) {
		rate := "—"
		if r.Residents > 0 {
			rate = fmt.Sprintf("%.1f%%", app.Rate(r.Done, r.Residents))
		}
		rows = append(rows, []string{r.Label, fmt.Sprint(r.Residents), fmt.Sprint(r.Done), rate})
	}
	return rows
}

// VaccinationTitle says what the progress counts: 新冠疫苗 ≥2 剂 接种进度（按网格）.
func VaccinationTitle(p *app.VaccinationProgress) string {
	return lang.L("vaccine.chart", map[string]any{"Vaccine": p.Vaccine, "Doses": p.Doses, "By": lang.L("vaccine.col." + string(p.By))})
}

// VaccinationChart is each group's residents vaccinated, its label with
// the rate (bars of whole percents would show 0.4% as nothing).
func VaccinationChart(p *app.VaccinationProgress) chart.Bars {
	var bars []chart.Bar
	for _, r := range p.Rows {
		bars = append(bars, chart.Bar{Label: fmt.Sprintf("%s（%.1f%%）", r.Label, app.Rate(r.Done, r.Residents)),
			Value: r.Done, Color: chart.Palette[2]})
	}
	return chart.Bars{Title: VaccinationTitle(p), Bars: bars}
}

// WriteVaccination writes the progress and its chart to a workbook.
func WriteVaccination(path string, p *app.VaccinationProgress) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := lang.L("vaccine.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := styles(f)
	if err != nil {
		return err
	}
	rows := [][]any{{VaccinationTitle(p)}, {lang.L("vaccine.at"), app.Today().Format("2006-01-02")}, {}}
	for _, r := range VaccinationRows(p) {
		row := make([]any, len(r))
		for i, v := range r {
			row[i] = v
		}
		rows = append(rows, row)
	}
	if err := table(f, sheet, rows, 4, st); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := draw(&png, VaccinationChart(p), chart.PNG, chartSize); err != nil {
		return err
	}
	if err := f.AddPictureFromBytes(sheet, fmt.Sprintf("F%d", 4), &excelize.Picture{Extension: ".png", File: png.Bytes(),
		Format: &excelize.GraphicOptions{AltText: VaccinationTitle(p), LockAspectRatio: true}}); err != nil {
		return err
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}
