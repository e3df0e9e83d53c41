package report

import (
	"fmt"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/charts"
	"shequ/ui/i18n"
)

// CouponRows is the batches as a table: issued, redeemed, expired and
// left of each, then the whole.
func CouponRows(batches []model.CouponBatch) [][]string {
	rows := [][]string{{i18n.L("field.merchant"), i18n.L("field.batch_name"), i18n.L("field.value"), i18n.L("coupon.col.validity"),
		i18n.L("field.quota"), i18n.L("coupon.col.issued"), i18n.L("coupon.col.redeemed"), i18n.L("coupon.col.rate"), i18n.L("coupon.col.expired"),
		i18n.L("coupon.col.left"), i18n.L("coupon.col.amount")}}
	var total model.CouponBatch
	amount := 0
	for _, b := range batches {
		rows = append(rows, []string{b.Merchant, b.Name, app.Yuan(b.Value), b.ValidFrom + "～" + b.ValidTo, fmt.Sprint(b.Quota), fmt.Sprint(b.Issued),
			fmt.Sprint(b.Redeemed), rate(b.Redeemed, b.Issued), fmt.Sprint(b.Expired), fmt.Sprint(b.Quota - b.Issued), app.Yuan(b.Redeemed * b.Value)})
		total.Quota += b.Quota
		total.Issued += b.Issued
		total.Redeemed += b.Redeemed
		total.Expired += b.Expired
		amount += b.Redeemed * b.Value
	}
	return append(rows, []string{i18n.L("vaccine.total"), "", "", "", fmt.Sprint(total.Quota), fmt.Sprint(total.Issued), fmt.Sprint(total.Redeemed),
		rate(total.Redeemed, total.Issued), fmt.Sprint(total.Expired), fmt.Sprint(total.Quota - total.Issued), app.Yuan(amount)})
}

func rate(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", app.Rate(part, whole))
}

// CouponChart is each batch's coupons redeemed, its label with the share
// of those issued.
func CouponChart(batches []model.CouponBatch) charts.Bars {
	var bars []charts.Bar
	for _, b := range batches {
		bars = append(bars, charts.Bar{Label: fmt.Sprintf("%s %s（%s）", b.Merchant, b.Name, rate(b.Redeemed, b.Issued)), Value: b.Redeemed,
			Color: charts.Palette[3]})
	}
	return charts.Bars{Title: i18n.L("coupon.chart"), Bars: bars}
}

// WriteCoupons writes the batches' figures and chart to a workbook, dated at.
func WriteCoupons(path string, batches []model.CouponBatch, at time.Time) error {
	return writeFigures(path, i18n.L("coupon.sheet"), [][]any{{i18n.L("coupon.chart")}, {i18n.L("vaccine.at"), at.Format("2006-01-02")}},
		CouponRows(batches), CouponChart(batches), i18n.L("coupon.chart"), false)
}
