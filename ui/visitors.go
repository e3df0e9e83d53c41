package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// visitorsScreen is 到访登记: the gate's form on top, typed from the
// keyboard (Enter moves on, an ID number fills the name of someone known),
// and the visits below, newest first, by day, compound and person.
type visitorsScreen struct {
	u         *UI
	content   fyne.CanvasObject
	compound  *widgets.Select
	compounds map[string]int64
	number    *widgets.Entry
	name      *widgets.Entry
	phone     *widgets.Entry
	house     *widgets.Entry
	reason    *widgets.Entry
	health    *widgets.SelectEntry
	addBtn    *widget.Button
	msg       *widget.Label

	from, to, person *widgets.Entry
	inside           *widgets.Check
	table            *widgets.DataTable[model.Visit]
	status           *widget.Label
	more             *widget.Button
	visits           []model.Visit
	total            int
	loads            int
	importer         *importer // the import wizard open, for tests
}

// visitPage is how many visits a page reads.
const visitPage = 200

func newVisitorsScreen(u *UI) *visitorsScreen {
	s := &visitorsScreen{u: u, compounds: map[string]int64{}}
	s.compound = newSelect(nil, nil)
	s.compound.PlaceHolder = i18n.L("field.compound")
	s.number, s.name, s.phone, s.house, s.reason = widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	s.number.SetPlaceHolder(i18n.L("field.id_number"))
	s.name.SetPlaceHolder(i18n.L("field.name") + " *")
	s.phone.SetPlaceHolder(i18n.L("field.phone"))
	s.house.SetPlaceHolder(i18n.L("visitor.house.hint"))
	s.reason.SetPlaceHolder(i18n.L("visitor.col.reason"))
	s.health = widgets.NewSelectEntry([]string{"正常", "发热", "咳嗽", "绿码", "黄码", "红码"})
	s.health.SetPlaceHolder(i18n.L("field.health"))
	s.msg = errorText()
	s.addBtn = widget.NewButtonWithIcon(i18n.L("visitor.add"), theme.ConfirmIcon(), s.add)
	s.addBtn.Importance = widget.HighImportance
	// Enter moves along the form as the gate types; on the last, it registers.
	order := []fyne.Focusable{s.number, s.name, s.phone, s.house, s.reason, s.health}
	for i, e := range []*widgets.Entry{s.number, s.name, s.phone, s.house, s.reason} {
		next := order[i+1]
		e.OnSubmitted = func(string) { u.win.Canvas().Focus(next) }
	}
	s.health.OnSubmitted = func(string) { s.add() }
	s.number.OnSubmitted = func(string) { s.lookUp(); u.win.Canvas().Focus(s.name) }
	form := container.NewVBox(
		container.NewGridWithColumns(4, s.compound, s.number, s.name, s.phone),
		container.NewBorder(nil, nil, nil, s.addBtn, container.NewGridWithColumns(3, s.house, s.reason, s.health)),
		s.msg,
	)

	s.from, s.to, s.person = widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	today := u.app.Now().Format("2006-01-02")
	s.from.SetText(today)
	s.to.SetText(today)
	s.person.SetPlaceHolder(i18n.L("visitor.person.hint"))
	for _, e := range []*widgets.Entry{s.from, s.to, s.person} {
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.inside = widgets.NewCheck(i18n.L("visitor.inside"), func(bool) { s.reload() })
	search := widget.NewButtonWithIcon("", theme.SearchIcon(), s.reload)
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(s.inside, search),
		container.NewGridWithColumns(3, labelled(i18n.L("audit.from"), s.from), labelled(i18n.L("audit.to"), s.to), s.person))

	s.table = widgets.NewDataTable([]widgets.Column[model.Visit]{
		{Title: i18n.L("field.time_in"), Width: 140, Text: func(v model.Visit) string { return v.TimeIn }},
		{Title: i18n.L("field.time_out"), Width: 140, Text: func(v model.Visit) string { return v.TimeOut }},
		{Title: i18n.L("field.name"), Width: 90, Text: func(v model.Visit) string { return v.Name }},
		{Title: i18n.L("field.id_number"), Width: 170, Text: func(v model.Visit) string { return app.MaskIDNumber(v.IDNumber) }},
		{Title: i18n.L("field.phone"), Width: 120, Text: func(v model.Visit) string { return app.MaskPhone(v.Phone) }},
		{Title: i18n.L("field.compound"), Width: 110, Text: func(v model.Visit) string { return v.Address.Compound }},
		{Title: i18n.L("visitor.col.house"), Width: 120, Grow: true, Text: func(v model.Visit) string { return app.HouseText(v.Address) }},
		{Title: i18n.L("visitor.col.reason"), Width: 110, Grow: true, Text: func(v model.Visit) string { return v.Reason }},
		{Title: i18n.L("field.health"), Width: 90, Text: func(v model.Visit) string { return v.Health }},
	})
	s.status = widget.NewLabel("")
	s.more = widget.NewButtonWithIcon(i18n.L("visitor.more"), theme.MoreVerticalIcon(), s.loadMore)
	s.more.Hide()
	leave := widget.NewButtonWithIcon(i18n.L("visitor.leave"), theme.LogoutIcon(), s.leave)
	export := widget.NewButtonWithIcon(i18n.L("visitor.export"), theme.DownloadIcon(), s.export)
	imp := widget.NewButtonWithIcon(i18n.L("visitor.import.button"), theme.UploadIcon(), func() { s.importer = u.importOf(app.LedgerVisit) })
	if !u.canWrite() {
		s.addBtn.Disable()
		leave.Hide()
		imp.Hide()
	}
	if !u.actor.Account.CanExport {
		export.Hide()
	}
	top := container.NewVBox(widget.NewCard("", i18n.L("visitor.form"), form), filters)
	bottom := container.NewBorder(nil, nil, s.status, container.NewHBox(s.more, leave, imp, export))
	s.content = container.NewBorder(top, bottom, nil, nil, s.table.Content())
	return s
}

// labelled puts a label before a field.
func labelled(text string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(text), nil, o)
}

// loadCompounds offers the compounds the account may see.
func (s *visitorsScreen) loadCompounds() {
	u := s.u
	run(s.u, func() ([]model.Compound, error) { return u.app.Compounds(u.ctx, u.actor) }, func(list []model.Compound, err error) {
		if err != nil {
			s.msg.SetText(i18n.Message(err))
			return
		}
		var names []string
		s.compounds = map[string]int64{}
		for _, c := range list {
			names = append(names, c.Name)
			s.compounds[c.Name] = c.ID
		}
		s.compound.SetOptions(names)
		if s.compound.Selected == "" && len(names) > 0 {
			s.compound.SetSelectedIndex(0)
		}
	})
}

// lookUp fills the name and phone of a known ID number; a phone the
// account may not see whole shows masked in the empty box, and the visit
// takes the known one unless another is typed.
func (s *visitorsScreen) lookUp() {
	u := s.u
	number := s.number.Text
	run(s.u, func() (app.KnownVisitor, error) {
		return u.app.Visitor(u.ctx, u.actor, number)
	}, func(k app.KnownVisitor, err error) {
		s.phone.SetPlaceHolder(i18n.L("field.phone")) // not the last person's
		if err != nil || !k.Found {
			return
		}
		if s.name.Text == "" {
			s.name.SetText(k.Name)
		}
		switch {
		case s.phone.Text != "" || k.Phone == "":
		case k.Masked:
			s.phone.SetPlaceHolder(maskedHint(k.Phone))
		default:
			s.phone.SetText(k.Phone)
		}
	})
}

// add registers the visitor typed, and clears the form for the next.
func (s *visitorsScreen) add() {
	u := s.u
	in := app.VisitInput{CompoundID: s.compounds[s.compound.Selected], House: s.house.Text, Name: s.name.Text, IDNumber: s.number.Text,
		Phone: s.phone.Text, Reason: s.reason.Text, Health: s.health.Text}
	if s.addBtn.Disabled() { // saving the one before
		return
	}
	s.addBtn.Disable()
	run(u, func() (int64, error) { return u.app.RegisterVisit(u.ctx, u.actor, in) }, func(_ int64, err error) {
		s.addBtn.Enable()
		if err != nil {
			setError(s.msg, i18n.Message(err))
			return
		}
		setError(s.msg, "")
		s.phone.SetPlaceHolder(i18n.L("field.phone"))
		for _, e := range []*widgets.Entry{s.number, s.name, s.phone, s.house, s.reason} {
			e.SetText("")
		}
		s.health.SetText("")
		u.notify(i18n.L("visitor.added.short", map[string]any{"Name": in.Name}))
		u.win.Canvas().Focus(s.number)
		s.reload()
	})
}

func (s *visitorsScreen) filter() app.VisitFilter {
	return app.VisitFilter{From: s.from.Text, To: s.to.Text, Person: s.person.Text, Inside: s.inside.Checked}
}

// reload reads the first page of the visits of the filter.
func (s *visitorsScreen) reload() {
	u := s.u
	s.loads++
	load := s.loads
	f := s.filter()
	type page struct {
		list  []model.Visit
		total int
	}
	run(s.u, func() (page, error) {
		list, n, err := u.app.Visits(u.ctx, u.actor, f, nil, visitPage)
		return page{list, n}, err
	}, func(p page, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.status.SetText(i18n.Message(err))
			return
		}
		s.visits, s.total = p.list, p.total
		s.show()
	})
}

// loadMore reads the next page.
func (s *visitorsScreen) loadMore() {
	if len(s.visits) == 0 {
		return
	}
	u := s.u
	last := s.visits[len(s.visits)-1]
	f := s.filter()
	load := s.loads
	run(s.u, func() ([]model.Visit, error) {
		list, _, err := u.app.Visits(u.ctx, u.actor, f, &model.VisitCursor{TimeIn: last.TimeIn, GridID: last.GridID, ID: last.ID}, visitPage)
		return list, err
	}, func(list []model.Visit, err error) {
		if load != s.loads || err != nil {
			return
		}
		s.visits = append(s.visits, list...)
		s.show()
	})
}

func (s *visitorsScreen) show() {
	s.status.SetText(i18n.L("visitor.count", map[string]any{"Count": s.total, "Shown": len(s.visits)}))
	if len(s.visits) < s.total {
		s.more.Show()
	} else {
		s.more.Hide()
	}
	s.table.SetRows(s.visits)
}

// leave notes the selected visitor out now.
func (s *visitorsScreen) leave() {
	u := s.u
	v, ok := s.table.Selected()
	if !ok {
		u.hint(i18n.L("visitor.pick"))
		return
	}
	run(u, func() (struct{}, error) { return struct{}{}, u.app.LeaveVisit(u.ctx, u.actor, v.ID, "") }, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.notify(i18n.L("visitor.out"))
		s.reload()
	})
}

// export saves the visits of the filter, masked unless revealed.
func (s *visitorsScreen) export() {
	u := s.u
	f := s.filter()
	u.askSave(i18n.L("visitor.export"), u.defaultPath("到访登记", ".xlsx"), i18n.L("ledger.export.reveal.help"), nil, nil, func(sv saving) {
		exportLater(u, func(ctx context.Context) (int, error) {
			return u.app.ExportVisits(ctx, u.actor, f, sv.Path, sv.Reveal, sv.Reason)
		}, func(n int) { u.notify(i18n.L("visitor.exported", map[string]any{"Count": n, "Path": sv.Path})) })
	})
}

// visitImport is the import wizard's part for a visitors' log: the
// compound of a log without a compound column, and the last result.
type visitImport struct {
	compound  *widgets.Select
	compounds map[string]int64
	result    *app.VisitImportResult // for tests
}

// visitItems are the wizard's first questions for a visitors' log: the
// file, and the compound when the log has no compound column.
func (im *importer) visitItems(file *widget.FormItem) []*widget.FormItem {
	u := im.u
	vi := &visitImport{compounds: map[string]int64{}}
	im.visits = vi
	none := i18n.L("visitor.import.compound.column")
	vi.compound = newSelect([]string{none}, nil)
	vi.compound.SetSelected(none)
	load(u, func() ([]model.Compound, error) { return u.app.Compounds(u.ctx, u.actor) }, func(list []model.Compound) {
		options := []string{none}
		for _, c := range list {
			if _, twice := vi.compounds[c.Name]; !twice {
				options = append(options, c.Name)
			}
			vi.compounds[c.Name] = c.ID
		}
		vi.compound.SetOptions(options)
	})
	return []*widget.FormItem{file, {Text: i18n.L("field.compound"), Widget: vi.compound, HintText: i18n.L("visitor.import.compound.help")}}
}

// runVisits imports (or, dry, checks) a visitors' log with a progress bar
// and a cancel button, then says what it did and lists its problems.
func (im *importer) runVisits(dry bool, msg *widget.Label) {
	u := im.u
	opt := app.VisitImport{Sheets: im.sheets, CompoundID: im.visits.compounds[im.visits.compound.Selected], DryRun: dry}
	path := im.file.Text
	withProgress(u, i18n.L("visitor.importing"), func(ctx context.Context, progress func(int, int)) (*app.VisitImportResult, error) {
		opt.Progress = progress
		return u.app.ImportVisits(ctx, u.actor, path, opt)
	}, func(res *app.VisitImportResult, err error) {
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		setError(msg, "")
		im.visits.result = res
		lines := make([]string, len(res.Problems))
		errs := 0
		for i, p := range res.Problems {
			lines[i] = i18n.ImportProblem(p)
			if p.Error {
				errs++
			}
		}
		key := "visitor.import.summary"
		switch {
		case res.Failed():
			key = "visitor.import.failed"
		case dry:
			key = "visitor.import.dry"
		default:
			im.dlg.Hide()
			if v := u.visitors; v != nil {
				if res.First != "" { // the list shows the days imported
					v.from.SetText(res.First)
					v.to.SetText(res.Last)
				}
				v.reload()
			}
		}
		data := map[string]any{"Rows": res.Rows, "Imported": res.Imported, "Existing": res.Existing, "Repeated": res.Repeated, "Count": errs}
		summary := i18n.L(key, data)
		if !res.Failed() && res.Existing+res.Repeated > 0 {
			summary += i18n.L("visitor.import.skipped", data)
		}
		u.showProblems(summary, lines)
	})
}

// showProblems shows an import's summary above its problems, one a line.
func (u *UI) showProblems(summary string, lines []string) {
	list := widget.NewList(func() int { return len(lines) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[i]) })
	head := widget.NewLabelWithStyle(summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.ConfirmIcon(), func() { d.Hide() })
	closeBtn.Importance = widget.HighImportance
	var body fyne.CanvasObject = list
	if len(lines) == 0 {
		body = layout.NewSpacer()
	}
	d = dialog.NewCustomWithoutButtons(i18n.L("ledger.result.title"), container.NewBorder(head,
		container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil, body), u.win)
	size := u.win.Canvas().Size()
	height := min(520, size.Height-60)
	if len(lines) == 0 {
		height = 0
	}
	d.Resize(fyne.NewSize(min(900, size.Width-60), height))
	u.open(d, dialogKeys{enter: d.Hide})
}
