package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
	"shequ/ui/widgets"
)

// couponsScreen is 商户优惠券: the counter's line on top (a merchant and a
// code; Enter redeems), the batches below with what was issued, redeemed
// and has expired, and their chart.
type couponsScreen struct {
	u         *UI
	content   fyne.CanvasObject
	merchant  *widgets.Select
	code      *widgets.Entry
	msg       *widget.Label
	filter    *widgets.Select
	table     *widgets.DataTable[couponRow]
	img       *chartView
	status    *widget.Label
	merchants []model.Merchant
	batches   []model.CouponBatch
	loads     int
}

// couponRow is a batch with the cells the figures' workbook gives it.
type couponRow struct {
	batch model.CouponBatch
	cells []string
}

func newCouponsScreen(u *UI) *couponsScreen {
	s := &couponsScreen{u: u}
	s.merchant = newSelect(nil, nil)
	s.merchant.PlaceHolder = i18n.L("coupon.merchant.pick")
	s.code = widgets.NewEntry()
	s.code.SetPlaceHolder(i18n.L("coupon.code.hint"))
	s.code.OnSubmitted = func(string) { s.redeem() }
	redeem := widget.NewButtonWithIcon(i18n.L("coupon.redeem"), theme.ConfirmIcon(), s.redeem)
	redeem.Importance = widget.HighImportance
	s.msg = errorText()
	s.filter = newSelect(nil, func(string) { s.reload() })
	s.table = widgets.NewDataTable(couponColumns())
	s.table.OnActivated = func(couponRow) { s.editBatch() }
	s.img = newChartView(u, 320, 0.3, nil)
	s.status = widget.NewLabel("")
	addMerchant := widget.NewButtonWithIcon(i18n.L("coupon.merchant.add"), theme.ContentAddIcon(), s.merchantForm)
	addBatch := widget.NewButtonWithIcon(i18n.L("coupon.batch.add"), theme.ContentAddIcon(), s.batchForm)
	issue := widget.NewButtonWithIcon(i18n.L("coupon.issue"), theme.MailSendIcon(), s.issueForm)
	editBatch := widget.NewButtonWithIcon(i18n.L("coupon.batch.edit"), theme.DocumentCreateIcon(), s.editBatch)
	export := widget.NewButtonWithIcon(i18n.L("coupon.export"), theme.DownloadIcon(), s.export)
	figures := widget.NewButtonWithIcon(i18n.L("coupon.figures"), theme.DocumentSaveIcon(), s.saveFigures)
	if !u.canWrite() {
		for _, o := range []fyne.CanvasObject{addMerchant, addBatch, editBatch, issue, redeem, s.code, s.merchant} {
			o.Hide()
		}
	}
	if !u.actor.Account.CanExport {
		export.Hide()
	}
	counter := widget.NewCard("", i18n.L("coupon.counter"), container.NewVBox(
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(220, s.code.MinSize().Height), s.merchant), redeem, s.code), s.msg))
	if !u.canWrite() {
		counter.Hide()
	}
	bar := widgets.NewBar(container.NewGridWrap(fyne.NewSize(200, s.code.MinSize().Height), s.filter), 200,
		addMerchant, addBatch, editBatch, issue, export, figures)
	split := container.NewVSplit(s.table.Content(), container.NewVScroll(s.img))
	split.Offset = 0.55
	s.content = container.NewBorder(container.NewVBox(counter, bar), s.status, nil, nil, split)
	return s
}

// reload reads the merchants and the batches of the one filtered by.
func (s *couponsScreen) reload() {
	u := s.u
	s.loads++
	load := s.loads
	chosen := s.filter.SelectedIndex() // 0: all merchants
	type result struct {
		merchants []model.Merchant
		batches   []model.CouponBatch
	}
	run(s.u, func() (result, error) {
		var r result
		var err error
		if r.merchants, err = u.app.Merchants(u.ctx, u.actor); err != nil {
			return r, err
		}
		var id int64
		if chosen > 0 && chosen <= len(r.merchants) {
			id = r.merchants[chosen-1].ID
		}
		r.batches, err = u.app.Batches(u.ctx, u.actor, id)
		return r, err
	}, func(r result, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.status.SetText(i18n.Message(err))
			return
		}
		s.merchants, s.batches = r.merchants, r.batches
		names := []string{i18n.L("coupon.all")}
		counter := []string{}
		for _, m := range r.merchants {
			names = append(names, m.Name)
			counter = append(counter, m.Name)
		}
		s.filter.Options = names
		if s.filter.SelectedIndex() < 0 {
			s.filter.Selected = names[0]
		}
		s.filter.Refresh()
		s.merchant.Options = counter
		if len(counter) == 1 { // one merchant: the counter is its
			s.merchant.Selected = counter[0]
		}
		s.merchant.Refresh()
		cells := report.CouponRows(r.batches)
		rows := make([]couponRow, len(r.batches))
		for i, b := range r.batches {
			rows[i] = couponRow{batch: b, cells: cells[i+1]}
		}
		s.table.SetRows(rows)
		switch {
		case len(r.merchants) == 0:
			s.status.SetText(i18n.L("coupon.nomerchants"))
		case len(r.batches) == 0:
			s.status.SetText(i18n.L("coupon.nobatches"))
		default:
			last := cells[len(cells)-1]
			s.status.SetText(i18n.L("coupon.status", map[string]any{"Batches": len(r.batches), "Issued": last[5], "Redeemed": last[6], "Amount": last[10]}))
		}
		if len(r.batches) == 0 {
			s.img.SetChart(nil)
			return
		}
		s.img.SetChart(report.CouponChart(r.batches))
	})
}

// redeem redeems the code typed at the merchant chosen.
func (s *couponsScreen) redeem() {
	u := s.u
	var id int64
	for _, m := range s.merchants {
		if m.Name == s.merchant.Selected {
			id = m.ID
		}
	}
	if id == 0 {
		s.msg.Importance = widget.DangerImportance
		setError(s.msg, i18n.L("coupon.merchant.first"))
		return
	}
	code := s.code.Text
	s.code.SetText("")
	u.win.Canvas().Focus(s.code)
	run(u, func() (app.Redeemed, error) { return u.app.RedeemCoupon(u.ctx, u.actor, id, code) }, func(r app.Redeemed, err error) {
		if err != nil {
			s.msg.Importance = widget.DangerImportance
			setError(s.msg, i18n.Message(err))
			return
		}
		// The counter's answer stays until the next code: green when it took.
		s.msg.Importance = widget.SuccessImportance
		setError(s.msg, i18n.L("coupon.redeemed", map[string]any{"Name": r.Batch.Name, "Value": app.Yuan(r.Batch.Value), "Who": r.Resident}))
		s.reload()
	})
}

// current is the batch chosen in the table.
func (s *couponsScreen) current() (model.CouponBatch, bool) {
	r, ok := s.table.Selected()
	if !ok {
		s.u.hint(i18n.L("coupon.batch.pick"))
	}
	return r.batch, ok
}

// couponColumns are the batches' columns, headed and worded as in the
// figures' workbook; numbers sort as numbers.
func couponColumns() []widgets.Column[couponRow] {
	head := report.CouponRows(nil)[0]
	widths := []float32{90, 100, 80, 170, 70, 60, 60, 60, 70, 70, 100}
	by := map[int]func(b model.CouponBatch) float64{
		2:  func(b model.CouponBatch) float64 { return float64(b.Value) },
		4:  func(b model.CouponBatch) float64 { return float64(b.Quota) },
		5:  func(b model.CouponBatch) float64 { return float64(b.Issued) },
		6:  func(b model.CouponBatch) float64 { return float64(b.Redeemed) },
		7:  func(b model.CouponBatch) float64 { return app.Rate(b.Redeemed, b.Issued) },
		8:  func(b model.CouponBatch) float64 { return float64(b.Expired) },
		9:  func(b model.CouponBatch) float64 { return float64(b.Quota - b.Issued) },
		10: func(b model.CouponBatch) float64 { return float64(b.Redeemed * b.Value) },
	}
	cols := make([]widgets.Column[couponRow], len(head))
	for i, title := range head {
		cols[i] = widgets.Column[couponRow]{Title: title, Width: widths[i], Grow: i == 1, Text: func(r couponRow) string { return r.cells[i] }}
		if f, ok := by[i]; ok {
			cols[i].Less = func(a, b couponRow) bool { return f(a.batch) < f(b.batch) }
		}
	}
	return cols
}

// merchantForm adds a merchant.
func (s *couponsScreen) merchantForm() {
	u := s.u
	load(u, func() ([]model.Area, error) { return u.app.SpaceAreas(u.ctx, u.actor) }, s.showMerchantForm)
}

// showMerchantForm is the merchant's form, offering areas.
func (s *couponsScreen) showMerchantForm(areas []model.Area) {
	u := s.u
	area, ids := keptAreas(areas)
	if len(ids) == 0 {
		u.hint(i18n.L("booking.space.noareas"))
		return
	}
	name, category, place, contact, phone := widgets.NewEntry(), widgets.NewSelectEntry([]string{"餐饮", "超市", "理发", "药店", "家政", "维修"}),
		widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	contact.SetPlaceHolder(i18n.L("field.contact"))
	phone.SetPlaceHolder(i18n.L("field.phone"))
	u.showForm(i18n.L("coupon.merchant.add"), []*widget.FormItem{
		{Text: i18n.L("field.area"), Widget: area},
		{Text: i18n.L("field.merchant_name"), Widget: name},
		{Text: i18n.L("field.category"), Widget: category},
		{Text: i18n.L("field.location"), Widget: place},
		{Text: i18n.L("field.contact"), Widget: container.NewGridWithColumns(2, contact, phone)},
	}, func() error {
		_, err := u.app.AddMerchant(u.ctx, u.actor, app.MerchantInput{AreaID: ids[area.Selected], Name: name.Text, Category: category.Text,
			Place: place.Text, Contact: contact.Text, Phone: phone.Text})
		return err
	}, func() {
		u.notify(i18n.L("coupon.merchant_added", map[string]any{"Name": strings.TrimSpace(name.Text)}))
		s.reload()
	})
}

// batchForm adds a batch to a merchant.
func (s *couponsScreen) batchForm() {
	u := s.u
	if len(s.merchants) == 0 {
		u.hint(i18n.L("coupon.nomerchants"))
		return
	}
	ids := map[string]int64{}
	var names []string
	for _, m := range s.merchants {
		names = append(names, m.Name)
		ids[m.Name] = m.ID
	}
	merchant := newSelect(names, nil)
	merchant.SetSelectedIndex(0)
	if i := s.filter.SelectedIndex(); i > 0 {
		merchant.SetSelectedIndex(i - 1)
	}
	name, value, from, to, quota, per := widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	from.SetText(u.app.Now().Format("2006-01-02"))
	to.SetText(u.app.Now().AddDate(0, 1, 0).Format("2006-01-02"))
	per.SetText("1")
	u.showForm(i18n.L("coupon.batch.add"), []*widget.FormItem{
		{Text: i18n.L("field.merchant"), Widget: merchant},
		{Text: i18n.L("field.batch_name"), Widget: name},
		{Text: i18n.L("field.value"), Widget: value},
		{Text: i18n.L("coupon.col.validity"), Widget: container.NewGridWithColumns(2, from, to)},
		{Text: i18n.L("field.quota"), Widget: quota},
		{Text: i18n.L("field.per_resident"), Widget: per},
	}, func() error {
		_, err := u.app.AddBatch(u.ctx, u.actor, app.BatchInput{MerchantID: ids[merchant.Selected], Name: name.Text, Value: value.Text,
			From: from.Text, To: to.Text, Quota: quota.Text, PerResident: per.Text})
		return err
	}, func() {
		u.notify(i18n.L("coupon.batch_added.short", map[string]any{"Name": strings.TrimSpace(name.Text)}))
		s.reload()
	})
}

// editBatch raises the chosen batch's quota or moves its last day.
func (s *couponsScreen) editBatch() {
	u := s.u
	b, ok := s.current()
	if !ok {
		return
	}
	quota, to := widgets.NewEntry(), widgets.NewEntry()
	quota.SetText(strconv.Itoa(b.Quota))
	to.SetText(b.ValidTo)
	u.showForm(i18n.L("coupon.batch.edit"), []*widget.FormItem{
		{Text: i18n.L("field.batch"), Widget: widget.NewLabel(b.Merchant + " " + b.Name)},
		{Text: i18n.L("field.quota"), Widget: quota, HintText: i18n.L("coupon.quota.hint", map[string]any{"Issued": b.Issued})},
		{Text: i18n.L("field.valid_to"), Widget: to},
	}, func() error { return u.app.EditBatch(u.ctx, u.actor, b.ID, quota.Text, to.Text) }, func() {
		u.notify(i18n.L("coupon.batch_saved"))
		s.reload()
	})
}

// issueForm issues the batch chosen to one resident, or to a saved cohort
// within an area.
func (s *couponsScreen) issueForm() {
	u := s.u
	b, ok := s.current()
	if !ok {
		return
	}
	load(u, func() ([]app.SavedCohort, error) { return u.app.SavedCohorts(u.ctx, u.actor) },
		func(cohorts []app.SavedCohort) { s.showIssueForm(b, cohorts) })
}

// showIssueForm is the issuing form of batch b, offering cohorts.
func (s *couponsScreen) showIssueForm(b model.CouponBatch, cohorts []app.SavedCohort) {
	u := s.u
	names := []string{i18n.L("activity.anyone")}
	filters := map[string]app.CohortFilter{}
	for _, c := range cohorts {
		names = append(names, c.Name)
		filters[c.Name] = c.Filter
	}
	who := newResidentPicker(u)
	who.entry.SetPlaceHolder(i18n.L("coupon.issue.one"))
	cohort := newSelect(names, nil)
	cohort.SetSelectedIndex(0)
	areas := newAreaPicker(u, func() {})
	if ids := u.actor.Account.AreaIDs; len(ids) == 1 { // the worker's own area to start with
		areas.choose(ids[0])
	}
	// A cohort is counted first and issued on a second 确定: nobody hands
	// out 400 coupons by a slip.
	var counted string
	u.showForm(i18n.L("coupon.issue"), []*widget.FormItem{
		{Text: i18n.L("field.batch"), Widget: widget.NewLabel(i18n.L("coupon.issue.batch", map[string]any{"Merchant": b.Merchant, "Name": b.Name,
			"Value": app.Yuan(b.Value), "Left": b.Quota - b.Issued, "Per": b.PerResident}))},
		{Text: i18n.L("field.resident"), Widget: who},
		{Text: i18n.L("field.area"), Widget: container.NewGridWithColumns(3, areas.levels[0], areas.levels[1], areas.levels[2])},
		{Text: i18n.L("field.cohort"), Widget: cohort},
	}, func() error {
		var issued, full int
		var err error
		if who.pending() { // a name typed, nobody chosen: not "everyone"
			return who.pendingError()
		}
		if w := who.who(); w != (app.Who{}) {
			issued, err = u.app.IssueCoupon(u.ctx, u.actor, b.ID, w)
		} else {
			f := app.ListFilter{AreaID: areas.selected()}
			if c, ok := filters[cohort.Selected]; ok {
				f.Cohort = &c
			}
			if key := fmt.Sprint(f.AreaID, cohort.Selected); key != counted {
				l, err := u.app.Residents(u.ctx, u.actor, f)
				if err != nil {
					return err
				}
				n, err := l.Count(u.ctx)
				if err != nil {
					return err
				}
				counted = key
				return errors.New(i18n.L("coupon.issue.confirm", map[string]any{"Count": n, "Name": b.Name}))
			}
			issued, full, err = u.app.IssueCoupons(u.ctx, u.actor, b.ID, f)
		}
		if err == nil {
			u.notify(i18n.L("coupon.issued", map[string]any{"Count": issued, "Full": full}))
		}
		return err
	}, s.reload)
}

// export saves the chosen batch's coupons and codes, masked unless revealed.
func (s *couponsScreen) export() {
	u := s.u
	b, ok := s.current()
	if !ok {
		return
	}
	u.askSave(i18n.L("coupon.export"), u.defaultPath(b.Merchant+b.Name, ".xlsx"), i18n.L("ledger.export.reveal.help"), nil, nil, func(sv saving) {
		exportLater(u, func(ctx context.Context) (int, error) {
			return u.app.ExportCoupons(ctx, u.actor, b.ID, sv.Path, sv.Reveal, sv.Reason)
		}, func(n int) { u.notify(i18n.L("coupon.exported", map[string]any{"Count": n, "Path": sv.Path})) })
	})
}

// saveFigures writes the batches' figures and chart to a workbook.
func (s *couponsScreen) saveFigures() {
	u := s.u
	list := s.batches
	u.saveFigures(i18n.L("coupon.figures"), i18n.L("coupon.sheet"), func(path string) error { return report.WriteCoupons(path, list, u.app.Now()) })
}
