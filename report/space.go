package report

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"shequ/app"
	"shequ/chart"
	"shequ/model"
)

// hours is minutes as hours with one decimal: 7.5.
func hours(min int) string { return fmt.Sprintf("%.1f", float64(min)/60) }

// SpaceUsageRows is the spaces' use as a table: a header, each space,
// then the whole.
func SpaceUsageRows(use []model.SpaceUse) [][]string {
	rows := [][]string{{lang.L("field.space"), lang.L("booking.col.bookings"), lang.L("booking.col.cancelled"), lang.L("booking.col.hours"),
		lang.L("booking.col.open"), lang.L("booking.col.rate"), lang.L("booking.col.people")}}
	total := model.SpaceUse{Space: model.Space{Name: lang.L("vaccine.total")}}
	for _, u := range use {
		total.Bookings += u.Bookings
		total.Cancelled += u.Cancelled
		total.Minutes += u.Minutes
		total.Open += u.Open
		total.People += u.People
	}
	for _, u := range append(append([]model.SpaceUse{}, use...), total) {
		rate := "—"
		if u.Open > 0 {
			rate = fmt.Sprintf("%.1f%%", app.Rate(u.Minutes, u.Open))
		}
		rows = append(rows, []string{u.Space.Name, fmt.Sprint(u.Bookings), fmt.Sprint(u.Cancelled), hours(u.Minutes), hours(u.Open), rate,
			fmt.Sprint(u.People)})
	}
	return rows
}

// SpaceUsageTitle says what the usage covers: 空间使用情况 2026-11-30 至 2026-12-06.
func SpaceUsageTitle(from, to string) string {
	return lang.L("booking.usage_title", map[string]any{"From": from, "To": to})
}

// SpaceUsageChart is each space's hours booked, its label with the share
// of its opening hours.
func SpaceUsageChart(use []model.SpaceUse, from, to string) chart.Bars {
	var bars []chart.Bar
	for _, u := range use {
		bars = append(bars, chart.Bar{Label: fmt.Sprintf("%s（%.1f%%）", u.Space.Name, app.Rate(u.Minutes, u.Open)),
			Value: (u.Minutes + 30) / 60, Color: chart.Palette[1]})
	}
	return chart.Bars{Title: SpaceUsageTitle(from, to) + lang.L("booking.chart_unit"), Bars: bars}
}

// WriteSpaceUsage writes the usage and its chart to a workbook.
func WriteSpaceUsage(path string, use []model.SpaceUse, from, to string) error {
	return writeFigures(path, lang.L("booking.sheet"), [][]any{{SpaceUsageTitle(from, to)}, {lang.L("vaccine.at"), app.Today().Format("2006-01-02")}},
		SpaceUsageRows(use), SpaceUsageChart(use, from, to), SpaceUsageTitle(from, to), true)
}
