package report

import (
	"fmt"
	"time"

	"shequ/app"
	"shequ/charts"
	"shequ/ui/i18n"
)

// VaccinationRows is a vaccine's progress as a table: a header, each
// group, then the whole; rates in percent ("—" without residents).
func VaccinationRows(p *app.VaccinationProgress) [][]string {
	rows := [][]string{{i18n.L("vaccine.col." + string(p.By)), i18n.L("vaccine.col.residents"), i18n.L("vaccine.col.done"),
		i18n.L("vaccine.col.rate")}}
	total := p.Total
	total.Label = i18n.L("vaccine.total")
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
	return i18n.L("vaccine.chart", map[string]any{"Vaccine": p.Vaccine, "Doses": p.Doses, "By": i18n.L("vaccine.col." + string(p.By))})
}

// VaccinationChart is each group's residents vaccinated, its label with
// the rate (bars of whole percents would show 0.4% as nothing).
func VaccinationChart(p *app.VaccinationProgress) charts.Bars {
	var bars []charts.Bar
	for _, r := range p.Rows {
		bars = append(bars, charts.Bar{Label: fmt.Sprintf("%s（%.1f%%）", r.Label, app.Rate(r.Done, r.Residents)),
			Value: r.Done, Color: charts.Palette[2]})
	}
	return charts.Bars{Title: VaccinationTitle(p), Bars: bars}
}

// WriteVaccination writes the progress and its chart to a workbook, dated at.
func WriteVaccination(path string, p *app.VaccinationProgress, at time.Time) error {
	return writeFigures(path, i18n.L("vaccine.sheet"), [][]any{{VaccinationTitle(p)}, {i18n.L("vaccine.at"), at.Format("2006-01-02")}},
		VaccinationRows(p), VaccinationChart(p), VaccinationTitle(p), true)
}
