package report

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"shequ/app"
	"shequ/chart"
	"shequ/model"
)

// CouponRows is the batches as a table: issued, redeemed, expired and
// left of each, then the whole.
func CouponRows(batches []model.CouponBatch) [][]string {
	rows := [][]string{{lang.L("field.merchant"), lang.L("field.batch_name"), lang.L("field.value"), lang.L("coupon.col.validity"),
		lang.L("field.quota"), lang.L("coupon.col.issued"), lang.L("coupon.col.redeemed"), lang.L("coupon.col.rate"), lang.L("coupon.col.expired"),
		lang.L("coupon.col.left"), lang.L("coupon.col.amount")}}
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
	return append(rows, []string{lang.L("vaccine.total"), "", "", "", fmt.Sprint(total.Quota), fmt.Sprint(total.Issued), fmt.Sprint(total.Redeemed),
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
func CouponChart(batches []model.CouponBatch) chart.Bars {
	var bars []chart.Bar
	for _, b := range batches {
		bars = append(bars, chart.Bar{Label: fmt.Sprintf("%s %s（%s）", b.Merchant, b.Name, rate(b.Redeemed, b.Issued)), Value: b.Redeemed,
			Color: chart.Palette[3]})
	}
	return chart.Bars{Title: lang.L("coupon.chart"), Bars: bars}
}

// WriteCoupons writes the batches' figures and chart to a workbook.
func WriteCoupons(path string, batches []model.CouponBatch) error {
	return writeFigures(path, lang.L("coupon.sheet"), [][]any{{lang.L("coupon.chart")}, {lang.L("vaccine.at"), app.Today().Format("2006-01-02")}},
		CouponRows(batches), CouponChart(batches), lang.L("coupon.chart"), false)
}
