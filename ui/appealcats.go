package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// editCategories is 类别与期限: each category's name and its deadlines in
// working days (normal and urgent, as 受理/答复/办结), a new one, and the
// office's holidays and make-up days.
func (s *appealsScreen) editCategories() {
	u := s.u
	cats := s.cats // as the list last read them
	type row struct {
		cat                  model.AppealCategory
		name, normal, urgent *widgets.Entry
	}
	days := func(a, b, c int) string { return fmt.Sprintf("%d/%d/%d", a, b, c) }
	var rows []row
	grid := container.NewGridWithColumns(3, widget.NewLabel(i18n.L("appeal.col.category")), widget.NewLabel(i18n.L("appeal.cat.days")),
		widget.NewLabel(i18n.L("appeal.cat.urgent")))
	for _, c := range append(cats, model.AppealCategory{AcceptDays: 1, AnswerDays: 3, CloseDays: 7, UrgentAccept: 1, UrgentAnswer: 1, UrgentClose: 3}) {
		r := row{cat: c, name: widgets.NewEntry(), normal: widgets.NewEntry(), urgent: widgets.NewEntry()}
		r.name.SetText(c.Name)
		if c.ID == 0 {
			r.name.SetPlaceHolder(i18n.L("appeal.cat.new"))
		}
		r.normal.SetText(days(c.AcceptDays, c.AnswerDays, c.CloseDays))
		r.urgent.SetText(days(c.UrgentAccept, c.UrgentAnswer, c.UrgentClose))
		rows = append(rows, r)
		grid.Add(r.name)
		grid.Add(r.normal)
		grid.Add(r.urgent)
	}
	parse := func(text string) (a, b, c int, ok bool) {
		parts := strings.FieldsFunc(text, func(r rune) bool { return r == '/' || r == '／' || r == ',' || r == ' ' })
		if len(parts) != 3 {
			return 0, 0, 0, false
		}
		var n [3]int
		for i, p := range parts {
			v, err := strconv.Atoi(p)
			if err != nil {
				return 0, 0, 0, false
			}
			n[i] = v
		}
		return n[0], n[1], n[2], true
	}
	from, to := widgets.NewEntry(), widgets.NewEntry()
	from.SetPlaceHolder(i18n.L("hint.date.from"))
	to.SetPlaceHolder(i18n.L("hint.date.to"))
	holidayMsg := widget.NewLabel("")
	// The year's marked days, official and the office's own, as runs.
	marked := widget.NewLabel("")
	this := s.u.app.Now().Year()
	years := []string{strconv.Itoa(this), strconv.Itoa(this + 1)}
	year := newSelect(years, nil)
	listDays := func() {
		y, _ := strconv.Atoi(year.Selected)
		run(u, func() ([]app.HolidaySpan, error) { return u.app.Holidays(u.ctx, y) }, func(spans []app.HolidaySpan, err error) {
			if err != nil {
				marked.SetText(i18n.Message(err))
				return
			}
			lines := []string{}
			for _, sp := range spans {
				lines = append(lines, i18n.HolidaySpan(sp))
			}
			if len(lines) == 0 {
				lines = append(lines, i18n.L("appeal.holiday.none"))
			}
			marked.SetText(strings.Join(lines, "\n"))
		})
	}
	year.OnChanged = func(string) { listDays() }
	year.SetSelected(years[0])
	s.holidays = marked
	markedScroll := container.NewVScroll(marked)
	markedScroll.SetMinSize(fyne.NewSize(0, 160))
	mark := func(workday, clear bool) func() {
		return func() {
			a, b := from.Text, to.Text
			run(u, func() (int, error) { return u.app.SetCalendarDays(u.ctx, u.actor, a, b, workday, clear) }, func(n int, err error) {
				if err != nil {
					holidayMsg.SetText(i18n.Message(err))
					return
				}
				holidayMsg.SetText(i18n.L("appeal.holiday.done", map[string]any{"Count": n}))
				listDays()
			})
		}
	}
	hint := widget.NewLabel(i18n.L("appeal.holiday.hint"))
	hint.Wrapping = fyne.TextWrapWord // one long line would widen the dialog past the window
	holidays := container.NewVBox(
		widget.NewLabelWithStyle(i18n.L("appeal.holidays"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		// The days on a line wide enough for their hints, the buttons below.
		container.NewGridWithColumns(2, from, to),
		container.NewGridWithColumns(3, widget.NewButton(i18n.L("appeal.holiday.off"), mark(false, false)),
			widget.NewButton(i18n.L("appeal.holiday.work"), mark(true, false)), widget.NewButton(i18n.L("appeal.holiday.clear"), mark(false, true))),
		holidayMsg, hint,
		container.NewBorder(nil, nil, widget.NewLabel(i18n.L("appeal.holiday.list")), nil, year), markedScroll)
	u.showForm(i18n.L("appeal.categories"), []*widget.FormItem{{Widget: container.NewVBox(grid, widget.NewSeparator(), holidays)}}, func() error {
		for _, r := range rows {
			c := r.cat
			c.Name = strings.TrimSpace(r.name.Text)
			if c.ID == 0 && c.Name == "" {
				continue // the new row left empty
			}
			var ok1, ok2 bool
			c.AcceptDays, c.AnswerDays, c.CloseDays, ok1 = parse(r.normal.Text)
			c.UrgentAccept, c.UrgentAnswer, c.UrgentClose, ok2 = parse(r.urgent.Text)
			if !ok1 || !ok2 {
				return errors.New(c.Name + "：" + i18n.L("appeal.cat.daysbad"))
			}
			if c == r.cat {
				continue
			}
			if _, err := u.app.SaveAppealCategory(u.ctx, u.actor, c); err != nil {
				return err
			}
		}
		return nil
	}, func() {
		u.notify(i18n.L("appeal.cat.saved"))
		s.reload()
	})
}
