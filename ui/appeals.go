package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// appealsScreen is 诉求 (需求直达): 我的待办 or all appeals with filters, the
// overdue on top in red and those due soon in yellow; an appeal opens with
// its timeline and the steps it can take.
type appealsScreen struct {
	u         *UI
	content   fyne.CanvasObject
	todo      *widgets.Check
	overdue   *widgets.Check
	status    *widgets.Select
	category  *widgets.Select
	channel   *widgets.Select
	areas     *areaPicker
	from, to  *widgets.Entry
	list      *widgets.DataTable[app.AppealRow]
	summary   *widget.Label
	rows      []app.AppealRow
	cats      []model.AppealCategory
	addBtn    *widget.Button
	importBtn *widget.Button
	loads     int
	detail    *appealDialog                // the appeal open, for tests
	holidays  *widget.Label                // the marked days the categories dialog lists, for tests
	stats     *widgets.DataTable[[]string] // the figures last shown, for tests
}

func newAppealsScreen(u *UI) *appealsScreen {
	s := &appealsScreen{u: u}
	reload := func() { s.reload() }
	s.todo = widgets.NewCheck(i18n.L("appeal.todo"), nil)
	s.todo.SetChecked(true) // before it reloads on a change: the screen is not built yet
	s.todo.OnChanged = func(bool) { s.reload() }
	s.overdue = widgets.NewCheck(i18n.L("appeal.overdue.only"), func(bool) { s.reload() })
	s.status = newFilterSelect(model.AppealStatuses, i18n.AppealStatus, i18n.L("appeal.col.status"), reload)
	s.channel = newFilterSelect(model.Channels, i18n.Channel, i18n.L("appeal.col.channel"), reload)
	s.category = newSelect(nil, func(string) { s.reload() })
	s.category.PlaceHolder = i18n.L("appeal.col.category")
	s.areas = newAreaPicker(u, reload)
	s.from, s.to = widgets.NewEntry(), widgets.NewEntry()
	s.from.SetPlaceHolder(i18n.L("audit.from"))
	s.to.SetPlaceHolder(i18n.L("audit.to"))
	s.from.OnSubmitted, s.to.OnSubmitted = func(string) { s.reload() }, func(string) { s.reload() }
	s.summary = widget.NewLabel("")
	s.list = widgets.NewDataTable([]widgets.Column[app.AppealRow]{
		{Title: i18n.L("appeal.col.no"), Width: 60, Text: func(r app.AppealRow) string { return strconv.FormatInt(r.ID, 10) },
			Less: func(a, b app.AppealRow) bool { return a.ID < b.ID }},
		{Title: i18n.L("appeal.col.status"), Width: 80, Text: func(r app.AppealRow) string { return i18n.AppealStatus(r.Status) }},
		{Title: i18n.L("appeal.col.due"), Width: 150, Text: func(r app.AppealRow) string { return i18n.Due(r.Due, r.Mark) },
			Less: func(a, b app.AppealRow) bool { return a.Due < b.Due }, Importance: dueImportance},
		{Title: i18n.L("appeal.col.category"), Width: 130, Text: appealCategory},
		{Title: i18n.L("appeal.col.reporter"), Width: 90, Text: func(r app.AppealRow) string { return r.ReporterName }},
		{Title: i18n.L("appeal.col.content"), Width: 280, Grow: true, Text: func(r app.AppealRow) string { return strings.ReplaceAll(r.Content, "\n", " ") }},
		{Title: i18n.L("appeal.col.grid"), Width: 90, Text: func(r app.AppealRow) string { return r.GridRef }},
		{Title: i18n.L("appeal.col.assignee"), Width: 90, Text: func(r app.AppealRow) string { return r.Assignee }},
	})
	s.list.OnActivated = func(r app.AppealRow) { s.open(r.ID) }
	s.addBtn = widget.NewButtonWithIcon(i18n.L("appeal.add"), theme.ContentAddIcon(), s.intake)
	s.addBtn.Importance = widget.HighImportance
	stats := widget.NewButtonWithIcon(i18n.L("appeal.stats"), theme.InfoIcon(), s.showStats)
	cats := widget.NewButtonWithIcon(i18n.L("appeal.categories"), theme.SettingsIcon(), s.editCategories)
	s.importBtn = widget.NewButtonWithIcon(i18n.L("hotline.import"), theme.UploadIcon(), u.importHotline)
	if !u.canWrite() || u.actor.Account.Role == model.RoleGrid {
		cats.Hide()
		s.importBtn.Hide()
	}
	if !u.canWrite() { // a 领导 has no to-do list
		s.addBtn.Hide()
		s.todo.OnChanged = nil
		s.todo.SetChecked(false)
		s.todo.OnChanged = func(bool) { s.reload() }
	}
	// Filters on one line, the area and the buttons on the next; each
	// wraps on a narrow window rather than widen it past the screen.
	bar := widgets.NewBar(container.NewGridWithColumns(5, s.status, s.category, s.channel, s.from, s.to), 5*90, s.todo, s.overdue)
	second := widgets.NewBar(container.NewGridWithColumns(3, s.areas.levels[0], s.areas.levels[1], s.areas.levels[2]), areasWidth,
		cats, s.importBtn, stats, s.addBtn)
	top := container.NewVBox(bar, second)
	s.content = container.NewBorder(top, s.summary, nil, nil, s.list.Content())
	return s
}

// newFilterSelect is a select of codes by their words, with 全部.
func newFilterSelect[T ~string](vals []T, label func(T) string, holder string, changed func()) *widgets.Select {
	opts := []string{i18n.L("filter.all")}
	for _, v := range vals {
		opts = append(opts, label(v))
	}
	var s *widgets.Select
	s = newSelect(opts, func(v string) {
		if v == i18n.L("filter.all") {
			s.ClearSelected()
			return
		}
		changed()
	})
	s.PlaceHolder = holder
	return s
}

func (s *appealsScreen) filter() app.AppealFilter {
	f := app.AppealFilter{Todo: s.todo.Checked, Overdue: s.overdue.Checked, AreaID: s.areas.selected(),
		Channel: first(pickLabel(model.Channels, i18n.Channel, s.channel.Selected)), From: s.from.Text, To: s.to.Text}
	if st := first(pickLabel(model.AppealStatuses, i18n.AppealStatus, s.status.Selected)); st != "" {
		f.Statuses = []model.AppealStatus{st}
	}
	for _, c := range s.cats {
		if c.Name == s.category.Selected {
			f.CategoryID = c.ID
		}
	}
	return f
}

// reload lists the appeals of the filter.
func (s *appealsScreen) reload() {
	f := s.filter()
	s.loads++
	load := s.loads
	s.summary.SetText(i18n.L("residents.counting"))
	u := s.u
	type result struct {
		rows []app.AppealRow
		cats []model.AppealCategory
	}
	run(s.u, func() (result, error) {
		rows, err := u.app.Appeals(u.ctx, u.actor, f)
		if err != nil {
			return result{}, err
		}
		cats, err := u.app.AppealCategories(u.ctx)
		return result{rows, cats}, err
	}, func(r result, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.summary.SetText(i18n.Message(err))
			return
		}
		s.rows, s.cats = r.rows, r.cats
		names := []string{i18n.L("filter.all")}
		for _, c := range r.cats {
			names = append(names, c.Name)
		}
		s.category.Options = names
		over, soon := 0, 0
		for _, row := range r.rows {
			switch row.Mark {
			case app.DueOver:
				over++
			case app.DueSoon:
				soon++
			}
		}
		s.summary.SetText(i18n.L("appeal.summary", map[string]any{"Count": len(r.rows), "Over": over, "Soon": soon}))
		s.list.SetRows(r.rows)
	})
}

// dueImportance marks a deadline passed in red and one near in yellow.
func dueImportance(r app.AppealRow) widget.Importance {
	switch r.Mark {
	case app.DueOver:
		return widget.DangerImportance
	case app.DueSoon:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// appealCategory is an appeal's category, and 紧急 when it is urgent.
func appealCategory(r app.AppealRow) string {
	if r.Urgency == model.UrgencyUrgent {
		return r.Category + " · " + i18n.Urgency(r.Urgency)
	}
	return r.Category
}

// intake is 登记诉求: the form, checked by app as a whole.
func (s *appealsScreen) intake() {
	u := s.u
	channel := newSelect(labels(model.Channels, i18n.Channel), nil)
	channel.SetSelected(i18n.Channel(model.ChannelPhone))
	var catNames []string
	for _, c := range s.cats {
		catNames = append(catNames, c.Name)
	}
	category := newSelect(catNames, nil)
	urgency := widget.NewRadioGroup([]string{i18n.Urgency(model.UrgencyNormal), i18n.Urgency(model.UrgencyUrgent)}, nil)
	urgency.Horizontal = true
	urgency.SetSelected(i18n.Urgency(model.UrgencyNormal))
	content := widgets.NewMultiLineEntry()
	content.SetMinRowsVisible(4)
	reporter, name, phone, place := newResidentPicker(u), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	reporter.entry.SetPlaceHolder(i18n.L("appeal.reporter.id.hint"))
	house := newHousePicker(u, 0)
	grid := newAreaPicker(u, func() {})
	external := widgets.NewEntry()
	photos := map[string][]byte{}
	photoFile := widgets.NewEntry()
	photoCount := widget.NewLabel("")
	addPhoto := widget.NewButton(i18n.L("appeal.photo.add"), func() {
		path := strings.TrimSpace(photoFile.Text)
		if path == "" {
			return
		}
		data, err := os.ReadFile(path)
		if err != nil {
			u.showError(err)
			return
		}
		photos[filepath.Base(path)] = data
		photoFile.SetText("")
		photoCount.SetText(i18n.L("appeal.photo.count", map[string]any{"Count": len(photos)}))
	})
	items := []*widget.FormItem{
		{Text: i18n.L("appeal.col.channel"), Widget: channel},
		{Text: i18n.L("appeal.col.category"), Widget: category},
		{Text: i18n.L("appeal.urgency"), Widget: urgency},
		{Text: i18n.L("appeal.col.content"), Widget: content},
		{Text: i18n.L("appeal.reporter.id"), Widget: reporter},
		{Text: i18n.L("appeal.reporter.name"), Widget: container.NewGridWithColumns(2, name, phone), HintText: i18n.L("appeal.reporter.hint")},
		{Text: i18n.L("appeal.house"), Widget: house.content},
		{Text: i18n.L("appeal.col.place"), Widget: place},
		{Text: i18n.L("appeal.col.grid"), Widget: container.NewGridWithColumns(3, grid.levels[0], grid.levels[1], grid.levels[2]),
			HintText: i18n.L("appeal.grid.hint")},
		{Text: i18n.L("appeal.external"), Widget: external},
		{Text: i18n.L("appeal.photos"), Widget: container.NewBorder(nil, nil, nil, container.NewHBox(addPhoto, photoCount),
			u.fileRow(photoFile, false, "照片.jpg"))},
	}
	var id int64
	u.showForm(i18n.L("appeal.add"), items, func() error {
		if reporter.pending() {
			return reporter.pendingError()
		}
		in := app.AppealInput{Channel: first(pickLabel(model.Channels, i18n.Channel, channel.Selected)), Category: category.Selected, Content: content.Text,
			Urgency: model.UrgencyNormal, ReporterID: reporter.id(), ReporterIDNumber: reporter.who().IDNumber, ReporterName: name.Text, ReporterPhone: phone.Text,
			HouseID: house.houseID, Place: place.Text, GridID: grid.selected(), ExternalNo: external.Text, Photos: photos}
		if urgency.Selected == i18n.Urgency(model.UrgencyUrgent) {
			in.Urgency = model.UrgencyUrgent
		}
		var err error
		id, err = u.app.TakeAppeal(u.ctx, u.actor, in)
		return err
	}, func() {
		u.notify(i18n.L("appeal.added", map[string]any{"ID": id}))
		s.reload()
	})
}

// appealDialog is an open appeal: its fields, timeline and steps.
type appealDialog struct {
	s       *appealsScreen
	dlg     *dialog.CustomDialog
	detail  *app.AppealDetail
	actions map[model.AppealAction]*widget.Button
}

// open shows an appeal.
func (s *appealsScreen) open(id int64) {
	u := s.u
	run(s.u, func() (*app.AppealDetail, error) { return u.app.AppealDetail(u.ctx, u.actor, id) }, func(d *app.AppealDetail, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		s.showDetail(d)
	})
}

func (s *appealsScreen) showDetail(d *app.AppealDetail) {
	u := s.u
	ad := &appealDialog{s: s, detail: d, actions: map[model.AppealAction]*widget.Button{}}
	s.detail = ad
	due := i18n.Due(d.Due, d.Mark)
	line := func(key, v string) *widget.FormItem {
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		return widget.NewFormItem(i18n.L(key), l)
	}
	form := widget.NewForm(
		line("appeal.col.status", i18n.AppealStatus(d.Status)+" · "+i18n.L("appeal.col.due")+" "+due),
		line("appeal.col.category", d.Category+" · "+i18n.Urgency(d.Urgency)+" · "+i18n.Channel(d.Channel)),
		line("appeal.col.content", d.Content),
		line("appeal.col.reporter", strings.TrimSpace(d.ReporterName+" "+d.ReporterPhone)),
		line("appeal.col.place", d.Place),
		line("appeal.col.assignee", d.Assignee),
	)
	if d.Reply != "" {
		form.Append(i18n.L("appeal.col.reply"), widget.NewLabel(d.Reply+"（"+i18n.ReplyMethod(d.ReplyMethod)+"）"))
	}
	if d.Satisfaction != "" {
		form.Append(i18n.L("appeal.satisfaction"), widget.NewLabel(i18n.Satisfaction(d.Satisfaction)))
	}
	timeline := container.NewVBox(widget.NewLabelWithStyle(i18n.L("appeal.timeline"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, st := range d.Steps {
		text := fmt.Sprintf("%s  %s  %s → %s", app.LocalTime(st.At), st.Account, i18n.Action(st.Action), i18n.AppealStatus(st.To))
		if st.Comment != "" {
			text += "：" + st.Comment
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		timeline.Add(l)
	}
	if len(d.Photos) > 0 {
		pics := container.NewHBox()
		for name, data := range d.Photos {
			img := canvas.NewImageFromReader(bytes.NewReader(data), name)
			img.FillMode = canvas.ImageFillContain
			img.SetMinSize(fyne.NewSize(160, 120))
			pics.Add(img)
		}
		form.Append(i18n.L("appeal.photos"), container.NewHScroll(pics))
	}
	buttons := container.NewHBox()
	for _, act := range d.Allowed {
		b := widget.NewButton(i18n.Action(act), func() { ad.step(act) })
		if act == model.ActAccept || act == model.ActAnswer || act == model.ActClose {
			b.Importance = widget.HighImportance
		}
		ad.actions[act] = b
		buttons.Add(b)
	}
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.CancelIcon(), func() { ad.dlg.Hide() })
	body := container.NewVScroll(container.NewVBox(form, widget.NewSeparator(), timeline))
	ad.dlg = dialog.NewCustomWithoutButtons(i18n.L("appeal.title", map[string]any{"ID": d.ID}),
		container.NewBorder(nil, container.NewBorder(nil, nil, nil, closeBtn, buttons), nil, nil, body), u.win)
	size := u.win.Canvas().Size()
	ad.dlg.Resize(fyne.NewSize(min(820, size.Width-40), min(640, size.Height-40)))
	u.open(ad.dlg, dialogKeys{})
}

// step asks what a step needs, takes it, and shows the appeal again.
func (ad *appealDialog) step(act model.AppealAction) {
	u := ad.s.u
	comment := widgets.NewMultiLineEntry()
	comment.SetMinRowsVisible(2)
	in := app.StepInput{Action: act}
	var items []*widget.FormItem
	var reply *widgets.Entry
	var method, verdict *widgets.Select
	var assignee *widgets.Select
	days := widgets.NewEntry()
	switch act {
	case model.ActAnswer:
		reply = widgets.NewMultiLineEntry()
		reply.SetMinRowsVisible(3)
		method = newSelect(labels(model.ReplyMethods, i18n.ReplyMethod), nil)
		items = append(items, widget.NewFormItem(i18n.L("appeal.col.reply"), reply), widget.NewFormItem(i18n.L("appeal.method"), method))
	case model.ActClose:
		verdict = newSelect(labels(model.Satisfactions, i18n.Satisfaction), nil)
		items = append(items, widget.NewFormItem(i18n.L("appeal.satisfaction"), verdict))
	case model.ActReassign:
		assignee = newSelect(nil, nil)
		to := assignee
		run(u, func() ([]model.Account, error) { return u.app.Accounts(u.ctx, u.actor) }, func(accounts []model.Account, err error) {
			var names []string
			for _, acc := range accounts {
				if err == nil && !acc.Disabled && acc.Role != model.RoleLeader {
					names = append(names, acc.Username)
				}
			}
			to.SetOptions(names)
		})
		items = append(items, widget.NewFormItem(i18n.L("appeal.assignee.to"), assignee))
	case model.ActExtend:
		days.SetText("2")
		items = append(items, widget.NewFormItem(i18n.L("appeal.days"), days))
	}
	items = append(items, widget.NewFormItem(i18n.L("appeal.comment"), comment))
	u.showForm(i18n.Action(act), items, func() error {
		in.Comment = comment.Text
		if reply != nil {
			in.Reply, in.Method = reply.Text, first(pickLabel(model.ReplyMethods, i18n.ReplyMethod, method.Selected))
		}
		if verdict != nil {
			in.Satisfaction = first(pickLabel(model.Satisfactions, i18n.Satisfaction, verdict.Selected))
		}
		if assignee != nil {
			if assignee.Selected == "" {
				return errors.New(i18n.L("err.appeal.assignee", map[string]any{"Name": ""}))
			}
			in.Assignee = assignee.Selected
		}
		if act == model.ActExtend {
			n, err := strconv.Atoi(strings.TrimSpace(days.Text))
			if err != nil {
				return errors.New(i18n.L("err.appeal.days"))
			}
			in.Days = n
		}
		return u.app.AdvanceAppeal(u.ctx, u.actor, ad.detail.ID, in)
	}, func() {
		ad.dlg.Hide()
		u.notify(i18n.L("appeal.stepped", map[string]any{"ID": ad.detail.ID, "Action": i18n.Action(act)}))
		ad.s.reload()
		ad.s.open(ad.detail.ID)
	})
}

// first is the value of a (value, ok) pair.
func first[T any](v T, _ bool) T { return v }
