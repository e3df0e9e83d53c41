package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// worklogScreen is 工作日志: a month's log entries in the actor's areas,
// written by grid workers as they go, exported as the month's ledger.
type worklogScreen struct {
	u       *UI
	content fyne.CanvasObject
	month   *widgets.Entry
	areas   *areaPicker
	table   *widgets.DataTable[model.WorkLog]
	summary *widget.Label
	logs    []model.WorkLog
	addBtn  *widget.Button
	loads   int
	form    *worklogForm  // the form open, for tests
	entry   *worklogEntry // the entry open, for tests
}

func newWorklogScreen(u *UI) *worklogScreen {
	s := &worklogScreen{u: u}
	s.month = widgets.NewEntry()
	s.month.SetText(u.app.Now().Format("2006-01"))
	s.month.OnSubmitted = func(string) { s.reload() }
	s.areas = newAreaPicker(u, func() { s.reload() })
	s.summary = widget.NewLabel("")
	s.table = widgets.NewDataTable([]widgets.Column[model.WorkLog]{
		{Title: i18n.L("worklog.col.day"), Width: 100, Text: func(w model.WorkLog) string { return w.Day }},
		{Title: i18n.L("worklog.col.worker"), Width: 90, Text: func(w model.WorkLog) string { return w.Account }},
		{Title: i18n.L("worklog.col.kind"), Width: 90, Text: func(w model.WorkLog) string { return i18n.WorkKind(w.Kind) }},
		{Title: i18n.L("worklog.col.who"), Width: 220, Text: worklogWho},
		{Title: i18n.L("worklog.col.content"), Width: 300, Grow: true, Text: func(w model.WorkLog) string { return strings.ReplaceAll(w.Content, "\n", " ") }},
		{Title: i18n.L("worklog.col.state"), Width: 170, Text: i18n.WorkLogState},
	})
	s.table.OnActivated = s.show
	s.addBtn = widget.NewButtonWithIcon(i18n.L("worklog.add"), theme.ContentAddIcon(), s.write)
	s.addBtn.Importance = widget.HighImportance
	export := widget.NewButtonWithIcon(i18n.L("worklog.export"), theme.DownloadIcon(), s.export)
	if !u.canWrite() {
		s.addBtn.Hide()
	}
	if !u.actor.Account.CanExport {
		export.Hide()
	}
	month := container.NewBorder(nil, nil, widget.NewLabel(i18n.L("worklog.month")), nil, s.month)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(export, s.addBtn),
		container.NewGridWithColumns(4, month, s.areas.levels[0], s.areas.levels[1], s.areas.levels[2]))
	s.content = container.NewBorder(bar, s.summary, nil, nil, s.table.Content())
	return s
}

func (s *worklogScreen) filter() app.WorkLogFilter {
	return app.WorkLogFilter{Month: s.month.Text, AreaID: s.areas.selected()}
}

func (s *worklogScreen) reload() {
	f := s.filter()
	s.loads++
	load := s.loads
	u := s.u
	run(s.u, func() ([]model.WorkLog, error) { return u.app.WorkLogs(u.ctx, u.actor, f) }, func(logs []model.WorkLog, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.summary.SetText(i18n.Message(err))
			return
		}
		s.logs = logs
		n := app.CountWorkLogs(logs) // a withdrawn entry is listed, not counted
		if n == len(logs) {
			s.summary.SetText(i18n.L("worklog.summary", map[string]any{"Month": f.Month, "Count": n}))
		} else {
			s.summary.SetText(i18n.L("worklog.summary.withdrawn", map[string]any{"Month": f.Month, "Count": n, "Withdrawn": len(logs) - n}))
		}
		s.table.SetRows(logs)
	})
}

// worklogWho is whom and which houses an entry concerned.
func worklogWho(w model.WorkLog) string {
	var names []string
	for _, r := range w.Residents {
		names = append(names, r.Name)
	}
	for _, h := range w.Houses {
		names = append(names, h.Name)
	}
	return strings.Join(names, "、")
}

// worklogEntry is an entry opened whole: what the table cuts short, its
// state and history, and for its author or an administrator 更正… and
// 撤回….
type worklogEntry struct {
	log            model.WorkLog
	text           *widget.Label
	edit, withdraw *widget.Button
	dlg            dialog.Dialog
}

// show opens an entry whole, read again with its history.
func (s *worklogScreen) show(w model.WorkLog) {
	u := s.u
	type entry struct {
		log  model.WorkLog
		hist []model.WorkLogChange
	}
	run(s.u, func() (entry, error) {
		l, hist, err := u.app.WorkLogEntry(u.ctx, u.actor, w.ID)
		return entry{l, hist}, err
	}, func(e entry, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		s.showEntry(e.log, e.hist)
	})
}

func (s *worklogScreen) showEntry(w model.WorkLog, hist []model.WorkLogChange) {
	u := s.u
	var names []string
	for _, r := range w.Residents {
		names = append(names, r.Name)
	}
	for _, h := range w.Houses {
		names = append(names, h.Name)
	}
	body := strings.Join(names, "、") + "\n\n" + w.Content
	if st := i18n.WorkLogState(w); st != "" {
		body = st + "\n" + body
	}
	if w.Withdrawn != "" {
		body += "\n\n" + i18n.L("field.reason") + "：" + w.WithdrawReason
	}
	if len(hist) > 0 {
		lines := []string{i18n.L("worklog.history")}
		for _, c := range hist {
			line := app.LocalTime(c.At) + "  " + c.Account + "  " + i18n.L("worklog.change."+c.Action) + "：" + c.Day + " " +
				i18n.WorkKind(c.Kind) + " " + strings.ReplaceAll(c.Content, "\n", " ")
			if c.Reason != "" {
				line += " — " + c.Reason
			}
			lines = append(lines, line)
		}
		body += "\n\n" + strings.Join(lines, "\n")
	}
	e := &worklogEntry{log: w, text: widget.NewLabel(body)}
	e.text.Wrapping = fyne.TextWrapWord
	s.entry = e
	e.edit = widget.NewButtonWithIcon(i18n.L("worklog.edit"), theme.DocumentCreateIcon(), func() { s.editEntry(e) })
	e.withdraw = widget.NewButtonWithIcon(i18n.L("worklog.withdraw"), theme.DeleteIcon(), func() { s.withdrawEntry(e) })
	// Only the entry's author or an administrator, and not once withdrawn.
	if !u.canWrite() || !app.MayChangeWorkLog(u.actor, w) {
		e.edit.Hide()
		e.withdraw.Hide()
	}
	content := container.NewBorder(nil, container.NewHBox(e.edit, e.withdraw), nil, nil, container.NewVScroll(e.text))
	e.dlg = dialog.NewCustom(w.Day+" · "+w.Account+" · "+i18n.WorkKind(w.Kind), i18n.L("action.close"), content, u.win)
	e.dlg.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-40), 400))
	u.open(e.dlg, dialogKeys{})
}

// editEntry is 更正: the day, kind and content as they should be, and why;
// the entry's history keeps them as they were.
func (s *worklogScreen) editEntry(e *worklogEntry) {
	u := s.u
	day := widgets.NewEntry()
	day.SetText(e.log.Day)
	kind := newSelect(labels(model.WorkKinds, i18n.WorkKind), nil)
	kind.SetSelected(i18n.WorkKind(e.log.Kind))
	content := widgets.NewMultiLineEntry()
	content.SetText(e.log.Content)
	content.SetMinRowsVisible(4)
	reason := widgets.NewEntry()
	items := []*widget.FormItem{
		{Text: i18n.L("worklog.col.day"), Widget: day},
		{Text: i18n.L("worklog.col.kind"), Widget: kind},
		{Text: i18n.L("worklog.col.content"), Widget: content},
		{Text: i18n.L("field.reason"), Widget: reason, HintText: i18n.L("worklog.edit.hint")},
	}
	id := e.log.ID
	u.showForm(i18n.L("worklog.edit"), items, func() error {
		return u.app.EditWorkLog(u.ctx, u.actor, id, app.WorkLogEdit{Day: day.Text,
			Kind: first(pickLabel(model.WorkKinds, i18n.WorkKind, kind.Selected)), Content: content.Text, Reason: reason.Text})
	}, func() {
		e.dlg.Hide()
		u.notify(i18n.L("worklog.edited.done", map[string]any{"ID": id}))
		s.reload()
	})
}

// withdrawEntry is 撤回, with the reason: the entry stays, marked.
func (s *worklogScreen) withdrawEntry(e *worklogEntry) {
	u := s.u
	reason := widgets.NewEntry()
	id := e.log.ID
	u.showForm(i18n.L("worklog.withdraw"), []*widget.FormItem{{Text: i18n.L("field.reason"), Widget: reason,
		HintText: i18n.L("worklog.withdraw.hint")}}, func() error {
		return u.app.WithdrawWorkLog(u.ctx, u.actor, id, reason.Text)
	}, func() {
		e.dlg.Hide()
		u.notify(i18n.L("worklog.withdrawn.done", map[string]any{"ID": id}))
		s.reload()
	})
}

// worklogForm is 写日志: the day, the kind, what happened, and whom and
// which houses it concerned; a visited resident's data can be corrected
// on the spot through the resident form, and the entry says what changed.
type worklogForm struct {
	residents []model.Resident // as they were when added
	houses    []int64
	who       *fyne.Container
	picker    *residentPicker
	msg       *widget.Label
}

func (s *worklogScreen) write() {
	u := s.u
	f := &worklogForm{who: container.NewVBox(), picker: newResidentPicker(u), msg: widget.NewLabel("")}
	s.form = f
	day := widgets.NewEntry()
	day.SetPlaceHolder(u.app.Now().Format("2006-01-02"))
	kind := newSelect(labels(model.WorkKinds, i18n.WorkKind), nil)
	kind.SetSelected(i18n.WorkKind(model.WorkVisit))
	content := widgets.NewMultiLineEntry()
	content.SetMinRowsVisible(4)
	f.picker.entry.SetPlaceHolder(i18n.L("worklog.who.hint"))
	f.picker.OnChosen = func(id int64) {
		if id != 0 {
			f.addResident(u, id)
		}
	}
	house := newHousePicker(u, 0)
	grid := newAreaPicker(u, func() {})
	houses := widget.NewLabel("")
	addHouse := widget.NewButton(i18n.L("worklog.house.add"), func() {
		if house.houseID != 0 {
			f.houses = append(f.houses, house.houseID)
			houses.SetText(strings.TrimSpace(houses.Text + " " + house.matches.Selected))
		}
	})
	items := []*widget.FormItem{
		{Text: i18n.L("worklog.col.day"), Widget: day},
		{Text: i18n.L("worklog.col.kind"), Widget: kind},
		{Text: i18n.L("worklog.col.content"), Widget: content},
		{Text: i18n.L("worklog.who"), Widget: container.NewVBox(f.picker, f.msg, f.who)},
		{Text: i18n.L("worklog.houses"), Widget: container.NewVBox(container.NewBorder(nil, nil, nil, addHouse, house.content), houses)},
		{Text: i18n.L("appeal.col.grid"), Widget: container.NewGridWithColumns(3, grid.levels[0], grid.levels[1], grid.levels[2]),
			HintText: i18n.L("worklog.grid.hint")},
	}
	u.showForm(i18n.L("worklog.add"), items, func() error {
		in := app.WorkLogInput{Day: day.Text, Kind: first(pickLabel(model.WorkKinds, i18n.WorkKind, kind.Selected)), Content: content.Text,
			HouseIDs: f.houses, Seen: f.residents, GridID: grid.selected()}
		for _, r := range f.residents {
			in.ResidentIDs = append(in.ResidentIDs, r.ID)
		}
		_, err := u.app.AddWorkLog(u.ctx, u.actor, in)
		return err
	}, func() {
		u.notify(i18n.L("worklog.added"))
		s.reload()
	})
}

// addResident adds a visited resident chosen in the picker, as they are
// now (what the form corrects is said against it), with a button that
// corrects their data in the resident form; the picker is cleared for the
// next.
func (f *worklogForm) addResident(u *UI, id int64) {
	defer f.picker.clear()
	for _, r := range f.residents {
		if r.ID == id {
			return
		}
	}
	run(u, func() (model.ResidentRow, error) { return u.app.Resident(u.ctx, u.actor, id) }, func(row model.ResidentRow, err error) {
		if err != nil {
			f.msg.SetText(i18n.Message(err))
			return
		}
		f.showResident(u, row)
	})
}

// showResident lists a visited resident read for the entry.
func (f *worklogForm) showResident(u *UI, row model.ResidentRow) {
	id := row.ID
	if slices.ContainsFunc(f.residents, func(x model.Resident) bool { return x.ID == id }) { // chosen twice while it was read
		return
	}
	r := row.Resident
	f.msg.SetText("")
	f.residents = append(f.residents, r)
	fix := widget.NewButton(i18n.L("worklog.fix"), func() { u.openResidentForm(id, 0) })
	var line *fyne.Container
	drop := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { // added by mistake
		f.residents = slices.DeleteFunc(f.residents, func(x model.Resident) bool { return x.ID == id })
		f.who.Remove(line)
	})
	label := widget.NewLabel(u.pickerLine(row))
	label.Truncation = fyne.TextTruncateEllipsis
	line = container.NewBorder(nil, nil, nil, container.NewHBox(fix, drop), label)
	f.who.Add(line)
}

// export writes the month's logs as a ledger.
func (s *worklogScreen) export() {
	u := s.u
	f := s.filter()
	file := widgets.NewEntry()
	file.SetText(u.defaultPath(i18n.L("nav.worklog")+"-"+f.Month, ".xlsx"))
	u.showForm(i18n.L("worklog.export"), []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, "工作日志.xlsx")}},
		func() error { return u.checkFolder(strings.TrimSpace(file.Text)) }, func() {
			path := strings.TrimSpace(file.Text)
			exportLater(u, func(ctx context.Context) (int, error) { return u.app.ExportWorkLogs(ctx, u.actor, f, path) },
				func(n int) { u.notify(i18n.L("cli.export.done", map[string]any{"Count": n, "Path": path})) })
		})
}
