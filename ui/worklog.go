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
)

// worklogScreen is 工作日志: a month's log entries in the actor's areas,
// written by grid workers as they go, exported as the month's ledger.
type worklogScreen struct {
	u       *UI
	content fyne.CanvasObject
	month   *widget.Entry
	areas   *areaPicker
	table   *widget.Table
	summary *widget.Label
	logs    []model.WorkLog
	addBtn  *widget.Button
	loads   int
	form    *worklogForm // the form open, for tests
}

var worklogCols = []struct {
	key   string
	width float32
}{{"worklog.col.day", 100}, {"worklog.col.worker", 90}, {"worklog.col.kind", 90}, {"worklog.col.who", 260}, {"worklog.col.content", 480}}

func newWorklogScreen(u *UI) *worklogScreen {
	s := &worklogScreen{u: u}
	s.month = widget.NewEntry()
	s.month.SetText(app.Today().Format("2006-01"))
	s.month.OnSubmitted = func(string) { s.reload() }
	s.areas = newAreaPicker(u, func() { s.reload() })
	s.summary = widget.NewLabel("")
	s.table = widget.NewTable(func() (int, int) { return len(s.logs) + 1, len(worklogCols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}, s.updateCell)
	for i, c := range worklogCols {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		s.table.UnselectAll()
		if id.Row > 0 {
			s.show(s.logs[id.Row-1])
		}
	}
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
	s.content = container.NewBorder(bar, s.summary, nil, nil, s.table)
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
	run(func() ([]model.WorkLog, error) { return u.app.WorkLogs(u.ctx, u.actor, f) }, func(logs []model.WorkLog, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.summary.SetText(i18n.Message(err))
			return
		}
		s.logs = logs
		s.summary.SetText(i18n.L("worklog.summary", map[string]any{"Month": f.Month, "Count": len(logs)}))
		s.table.Refresh()
	})
}

func (s *worklogScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	l.TextStyle.Bold = id.Row == 0
	if id.Row == 0 {
		l.SetText(i18n.L(worklogCols[id.Col].key))
		return
	}
	w := s.logs[id.Row-1]
	switch id.Col {
	case 0:
		l.SetText(w.Day)
	case 1:
		l.SetText(w.Account)
	case 2:
		l.SetText(i18n.WorkKind(w.Kind))
	case 3:
		var names []string
		for _, r := range w.Residents {
			names = append(names, r.Name)
		}
		for _, h := range w.Houses {
			names = append(names, h.Name)
		}
		l.SetText(strings.Join(names, "、"))
	case 4:
		l.SetText(strings.ReplaceAll(w.Content, "\n", " "))
	}
}

// show opens an entry whole: the table cuts long ones short.
func (s *worklogScreen) show(w model.WorkLog) {
	var names []string
	for _, r := range w.Residents {
		names = append(names, r.Name)
	}
	for _, h := range w.Houses {
		names = append(names, h.Name)
	}
	text := widget.NewLabel(strings.Join(names, "、") + "\n\n" + w.Content)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(w.Day+" · "+w.Account+" · "+i18n.WorkKind(w.Kind), i18n.L("action.close"), container.NewVScroll(text), s.u.win)
	d.Resize(fyne.NewSize(min(640, s.u.win.Canvas().Size().Width-40), 360))
	d.Show()
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
	day := widget.NewEntry()
	day.SetPlaceHolder(app.Today().Format("2006-01-02"))
	kind := newSelect(labels(model.WorkKinds, i18n.WorkKind), nil)
	kind.SetSelected(i18n.WorkKind(model.WorkVisit))
	content := widget.NewMultiLineEntry()
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
	row, err := u.app.Resident(u.ctx, u.actor, id)
	if err != nil {
		f.msg.SetText(i18n.Message(err))
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
	label := widget.NewLabel(pickerLine(row))
	label.Truncation = fyne.TextTruncateEllipsis
	line = container.NewBorder(nil, nil, nil, container.NewHBox(fix, drop), label)
	f.who.Add(line)
}

// export writes the month's logs as a ledger.
func (s *worklogScreen) export() {
	u := s.u
	f := s.filter()
	file := widget.NewEntry()
	file.SetText(u.defaultPath(i18n.L("nav.worklog")+"-"+f.Month, ".xlsx"))
	u.showForm(i18n.L("worklog.export"), []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, "工作日志.xlsx")}},
		func() error { return checkFolder(strings.TrimSpace(file.Text)) }, func() {
			path := strings.TrimSpace(file.Text)
			exportLater(u, func(ctx context.Context) (int, error) { return u.app.ExportWorkLogs(ctx, u.actor, f, path) },
				func(n int) { u.notify(i18n.L("cli.export.done", map[string]any{"Count": n, "Path": path})) })
		})
}
