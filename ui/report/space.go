package report

import (
	"fmt"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/charts"
	"shequ/ui/i18n"
)

// hours is minutes as hours with one decimal: 7.5.
func hours(min int) string { return fmt.Sprintf("%.1f", float64(min)/60) }

// SpaceUsageRows is the spaces' use as a table: a header, each space,
// then the whole.
func SpaceUsageRows(use []model.SpaceUse) [][]string {
	rows := [][]string{{i18n.L("field.space"), i18n.L("booking.col.bookings"), i18n.L("booking.col.cancelled"), i18n.L("booking.col.hours"),
		i18n.L("booking.col.open"), i18n.L("booking.col.rate"), i18n.L("booking.col.people")}}
	total := model.SpaceUse{Space: model.Space{Name: i18n.L("vaccine.total")}}
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
	return i18n.L("booking.usage_title", map[string]any{"From": from, "To": to})
}

// SpaceUsageChart is each space's hours booked, its label with the share
// of its opening hours.
func SpaceUsageChart(use []model.SpaceUse, from, to string) charts.Bars {
	var bars []charts.Bar
	for _, u := range use {
		bars = append(bars, charts.Bar{Label: fmt.Sprintf("%s（%.1f%%）", u.Space.Name, app.Rate(u.Minutes, u.Open)),
			Value: (u.Minutes + 30) / 60, Color: charts.Palette[1]})
	}
	return charts.Bars{Title: SpaceUsageTitle(from, to) + i18n.L("booking.chart_unit"), Bars: bars}
}

// WriteSpaceUsage writes the usage and its chart to a workbook, dated at.
func WriteSpaceUsage(path string, use []model.SpaceUse, from, to string, at time.Time) error {
	return writeFigures(path, i18n.L("booking.sheet"), [][]any{{SpaceUsageTitle(from, to)}, {i18n.L("vaccine.at"), at.Format("2006-01-02")}},
		SpaceUsageRows(use), SpaceUsageChart(use, from, to), SpaceUsageTitle(from, to), true)
}
