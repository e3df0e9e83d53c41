package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
	"shequ/ui/widgets"
)

// spacesScreen is 空间预约: the day of every space (a column a space) or
// the week of one (a column a day), in half hours; a free slot chosen is
// booked with the form, a booking chosen is shown and may be cancelled.
type spacesScreen struct {
	u        *UI
	content  fyne.CanvasObject
	day      *widgets.Entry
	view     *widget.RadioGroup
	spaceSel *widgets.Select
	table    *widget.Table
	status   *widget.Label
	detail   *widget.Label
	book     *widget.Button
	cancel   *widget.Button

	spaces   []model.Space
	bookings []model.Booking
	cols     []slotCol
	first    int     // the first slot's minute of the day
	colW     float32 // the width of each slot column
	rows     int
	chosen   *model.Booking
	slot     *slotPick
	picked   int64 // the space of the column chosen
	loads    int
	usage    *widgets.DataTable[[]string] // the use last shown, for tests
}

// slotCol is a column of the schedule: a space on a day, and which of its
// half hours are booked (index into bookings, -1 free) or closed.
type slotCol struct {
	space  model.Space
	day    string
	booked []int
	closed []bool // outside the opening hours
	past   []bool // already begun (today's earlier half hours, days gone)
}

// slotPick is a free half hour chosen.
type slotPick struct {
	space model.Space
	day   string
	at    int // minute of the day
	until int // where the next booking starts, or the space closes
}

const slotMinutes = 30

func newSpacesScreen(u *UI) *spacesScreen {
	s := &spacesScreen{u: u}
	s.day = widgets.NewEntry()
	s.day.SetText(u.app.Now().Format("2006-01-02"))
	s.day.OnSubmitted = func(string) { s.reload() }
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { s.move(-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.move(1) })
	today := widget.NewButton(i18n.L("booking.today"), func() { s.day.SetText(u.app.Now().Format("2006-01-02")); s.reload() })
	s.view = widget.NewRadioGroup([]string{i18n.L("booking.view.day"), i18n.L("booking.view.week")}, nil)
	s.view.Horizontal = true
	s.view.Required = true
	s.view.SetSelected(i18n.L("booking.view.day"))
	s.view.OnChanged = func(string) { s.reload() }
	s.spaceSel = newSelect(nil, func(string) {
		if s.weekly() {
			s.reload()
		}
	})
	s.spaceSel.PlaceHolder = i18n.L("field.space")
	s.table = widget.NewTable(func() (int, int) { return s.rows + 1, len(s.cols) + 1 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewStack(canvas.NewRectangle(color.Transparent), l)
		}, s.updateCell)
	s.table.SetColumnWidth(0, 64)
	s.table.OnSelected = s.selected
	s.status, s.detail = widget.NewLabel(""), widget.NewLabel("")
	s.detail.Wrapping = fyne.TextWrapWord
	s.book = widget.NewButtonWithIcon(i18n.L("booking.add"), theme.ContentAddIcon(), s.bookForm)
	s.book.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(i18n.L("booking.cancel"), theme.CancelIcon(), s.cancelBooking)
	addSpace := widget.NewButtonWithIcon(i18n.L("booking.space.add"), theme.ContentAddIcon(), func() { s.spaceForm(nil) })
	editSpace := widget.NewButtonWithIcon(i18n.L("booking.space.edit"), theme.DocumentCreateIcon(), s.editSpace)
	usage := widget.NewButtonWithIcon(i18n.L("booking.usage"), theme.InfoIcon(), s.showUsage)
	if !u.canWrite() {
		for _, b := range []*widget.Button{s.book, s.cancel, addSpace, editSpace} {
			b.Hide()
		}
	}
	top := container.NewBorder(nil, nil, container.NewHBox(prev, container.NewGridWrap(fyne.NewSize(120, s.day.MinSize().Height), s.day), next, today, s.view),
		container.NewHBox(addSpace, editSpace, usage), s.spaceSel)
	bottom := container.NewVBox(s.detail, container.NewBorder(nil, nil, s.status, container.NewHBox(s.cancel, s.book)))
	s.content = container.NewBorder(top, bottom, nil, nil, s.table)
	return s
}

func (s *spacesScreen) weekly() bool { return s.view.Selected == i18n.L("booking.view.week") }

// move goes a day (a week in the week view) back or on.
func (s *spacesScreen) move(by int) {
	d, ok := app.ParseDate(s.day.Text)
	if !ok {
		d = s.u.app.Now().Format("2006-01-02")
	}
	t, _ := time.Parse("2006-01-02", d)
	if s.weekly() {
		by *= 7
	}
	s.day.SetText(t.AddDate(0, 0, by).Format("2006-01-02"))
	s.reload()
}

// reload reads the spaces and the bookings of the day or the week.
func (s *spacesScreen) reload() {
	u := s.u
	s.loads++
	load := s.loads
	day, ok := app.ParseDate(s.day.Text)
	if !ok {
		s.status.SetText(i18n.L("err.booking.day", map[string]any{"Value": s.day.Text}))
		return
	}
	weekly, chosen := s.weekly(), s.spaceSel.Selected
	type result struct {
		spaces   []model.Space
		bookings []model.Booking
		from, to string
	}
	run(s.u, func() (result, error) {
		var r result
		var err error
		if r.spaces, err = u.app.Spaces(u.ctx, u.actor); err != nil {
			return r, err
		}
		r.from, r.to = day, day
		var only []int64 // the week is the chosen space's alone
		if weekly {
			r.from, r.to = app.Week(day)
			for _, sp := range r.spaces {
				if sp.Name == chosen || chosen == "" && !sp.Closed {
					only = []int64{sp.ID}
					break
				}
			}
		}
		r.bookings, err = u.app.Bookings(u.ctx, u.actor, only, r.from, r.to)
		return r, err
	}, func(r result, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.status.SetText(i18n.Message(err))
			return
		}
		s.spaces, s.bookings, s.chosen, s.slot, s.picked = r.spaces, r.bookings, nil, nil, 0
		var names []string
		for _, sp := range r.spaces {
			if !sp.Closed {
				names = append(names, sp.Name)
			}
		}
		s.spaceSel.Options = names
		if chosen == "" && len(names) > 0 {
			chosen = names[0]
			s.spaceSel.Selected = chosen
		}
		s.spaceSel.Refresh()
		if weekly { // the week is one space's; the day shows them all
			s.spaceSel.Show()
		} else {
			s.spaceSel.Hide()
		}
		s.layout(r.from, chosen, weekly)
		s.detail.SetText("")
		if len(names) == 0 {
			s.status.SetText(i18n.L("booking.nospaces"))
		} else if weekly {
			s.status.SetText(i18n.L("booking.count", map[string]any{"Count": s.count(), "From": r.from, "To": r.to}))
		} else {
			s.status.SetText(i18n.L("booking.count.day", map[string]any{"Count": len(r.bookings), "Day": r.from}))
		}
		s.table.UnselectAll()
		s.table.Refresh()
	})
}

// count is the bookings shown.
func (s *spacesScreen) count() int {
	seen := map[int]bool{}
	for _, c := range s.cols {
		for _, i := range c.booked {
			if i >= 0 {
				seen[i] = true
			}
		}
	}
	return len(seen)
}

// layout makes the columns (each open space on the day, or the chosen
// space on each day of the week) and their half hours.
func (s *spacesScreen) layout(from, chosen string, weekly bool) {
	s.cols = nil
	if weekly {
		t, _ := time.Parse("2006-01-02", from)
		for _, sp := range s.spaces {
			if sp.Name == chosen && !sp.Closed {
				for i := range 7 {
					s.cols = append(s.cols, slotCol{space: sp, day: t.AddDate(0, 0, i).Format("2006-01-02")})
				}
			}
		}
	} else {
		for _, sp := range s.spaces {
			if !sp.Closed {
				s.cols = append(s.cols, slotCol{space: sp, day: from})
			}
		}
	}
	first, last := 24*60, 0
	for _, c := range s.cols {
		first = min(first, app.ClockMinutes(c.space.Opens)/slotMinutes*slotMinutes)
		last = max(last, app.ClockMinutes(c.space.Closes))
	}
	s.first, s.rows = first, 0
	if last > first {
		s.rows = (last - first + slotMinutes - 1) / slotMinutes
	}
	now := s.u.app.Now().Format("2006-01-02 15:04")
	for ci := range s.cols {
		c := &s.cols[ci]
		c.booked, c.closed, c.past = make([]int, s.rows), make([]bool, s.rows), make([]bool, s.rows)
		for r := range s.rows {
			at := first + r*slotMinutes
			c.booked[r] = -1
			c.closed[r] = at+slotMinutes <= app.ClockMinutes(c.space.Opens) || at >= app.ClockMinutes(c.space.Closes)
			c.past[r] = c.day+" "+hhmm(at) < now
			for bi, b := range s.bookings {
				if b.SpaceID == c.space.ID && b.Starts[:10] == c.day && app.ClockMinutes(b.Starts[11:]) < at+slotMinutes && app.ClockMinutes(b.Ends[11:]) > at {
					c.booked[r] = bi
					break
				}
			}
		}
	}
	// The columns share the table's width (a day of four spaces is not
	// four narrow columns and empty space).
	width := s.table.Size().Width
	if width < 200 {
		width = 1100
	}
	// A week's seven days fit a 1024-pixel window; a day's spaces, whose
	// names are longer, scroll sideways past six or so.
	least := float32(150)
	if weekly {
		least = 110
	}
	colW := least
	if n := len(s.cols); n > 0 {
		colW = max(least, (width-64-12)/float32(n))
	}
	s.colW = colW
	s.table.SetColumnWidth(0, 64)
	for i := range s.cols {
		s.table.SetColumnWidth(i+1, colW)
	}
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func (s *spacesScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	bg, l := st.Objects[0].(*canvas.Rectangle), st.Objects[1].(*widget.Label)
	bg.FillColor = color.Transparent
	l.TextStyle.Bold = id.Row == 0
	switch {
	case id.Row == 0 && id.Col == 0:
		l.SetText("")
	case id.Row == 0:
		c := s.cols[id.Col-1]
		if s.weekly() {
			t, _ := time.Parse("2006-01-02", c.day)
			l.SetText(c.day[5:] + " " + i18n.L(fmt.Sprintf("booking.weekday.%d", t.Weekday())))
		} else {
			l.SetText(c.space.Name)
		}
	case id.Col == 0:
		l.SetText(hhmm(s.first + (id.Row-1)*slotMinutes))
	default:
		c := s.cols[id.Col-1]
		r := id.Row - 1
		switch i := c.booked[r]; {
		case c.closed[r]:
			bg.FillColor = theme.Color(theme.ColorNameDisabledButton)
			l.SetText("")
		case i >= 0: // a booking shows, past or not
			bg.FillColor = theme.Color(theme.ColorNameSelection)
			b := s.bookings[i]
			if r == 0 || c.booked[r-1] != i { // the booking's first half hour names it
				l.SetText(b.Starts[11:] + " " + app.BookingWho(b))
			} else if r == 1 || c.booked[r-2] != i {
				l.SetText(b.Purpose)
			} else {
				l.SetText("")
			}
		case c.past[r]:
			bg.FillColor = theme.Color(theme.ColorNameDisabledButton)
			l.SetText("")
		default:
			l.SetText("")
		}
	}
	bg.Refresh()
}

// selected shows a booking chosen, or keeps a free half hour for the form.
func (s *spacesScreen) selected(id widget.TableCellID) {
	s.chosen, s.slot = nil, nil
	if id.Row == 0 || id.Col == 0 {
		s.detail.SetText("")
		return
	}
	c := s.cols[id.Col-1]
	s.picked = c.space.ID
	r := id.Row - 1
	if c.closed[r] {
		s.detail.SetText(i18n.L("booking.closed_hours", map[string]any{"Name": c.space.Name, "Opens": c.space.Opens, "Closes": c.space.Closes}))
		return
	}
	if c.past[r] && c.booked[r] < 0 {
		s.detail.SetText(i18n.L("booking.past_slot"))
		return
	}
	if i := c.booked[r]; i >= 0 {
		b := s.bookings[i]
		s.chosen = &b
		detail := []string{i18n.L("booking.detail", map[string]any{"ID": b.ID, "Space": b.Space, "Day": b.Starts[:10], "From": b.Starts[11:],
			"To": b.Ends[11:], "People": b.People}), app.BookingWho(b)}
		for _, x := range []string{b.Phone, b.Purpose} {
			if x != "" {
				detail = append(detail, x)
			}
		}
		s.detail.SetText(strings.Join(detail, "，"))
		return
	}
	s.slot = &slotPick{space: c.space, day: c.day, at: s.first + r*slotMinutes, until: app.ClockMinutes(c.space.Closes)}
	// The form's end: an hour on, but not past the next booking.
	for k := r + 1; k < len(c.booked); k++ {
		if c.booked[k] >= 0 {
			s.slot.until = s.first + k*slotMinutes
			break
		}
	}
	s.detail.SetText(i18n.L("booking.free", map[string]any{"Space": c.space.Name, "Day": c.day, "At": hhmm(s.slot.at)}))
}

// bookForm books a space; a free half hour chosen fills its space, day and time.
func (s *spacesScreen) bookForm() {
	u := s.u
	names := make([]string, 0, len(s.spaces))
	ids := map[string]int64{}
	caps := map[string]model.Space{}
	for _, sp := range s.spaces {
		if !sp.Closed {
			names = append(names, sp.Name)
			ids[sp.Name], caps[sp.Name] = sp.ID, sp
		}
	}
	if len(names) == 0 {
		u.hint(i18n.L("booking.nospaces"))
		return
	}
	space := newSelect(names, nil)
	day, from, to := widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	number, org, contact, phone, purpose, people := widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	weeks := widgets.NewEntry()
	weeks.SetPlaceHolder(i18n.L("booking.weeks.hint"))
	space.SetSelected(names[0])
	day.SetText(s.day.Text)
	if s.slot != nil {
		space.SetSelected(s.slot.space.Name)
		day.SetText(s.slot.day)
		from.SetText(hhmm(s.slot.at))
		to.SetText(hhmm(min(s.slot.at+60, s.slot.until)))
	}
	from.SetPlaceHolder(i18n.L("hint.time.from"))
	to.SetPlaceHolder(i18n.L("hint.time.to"))
	number.SetPlaceHolder(i18n.L("booking.idnumber.hint"))
	org.SetPlaceHolder(i18n.L("booking.org.hint"))
	people.SetPlaceHolder("1")
	contact.SetPlaceHolder(i18n.L("field.contact"))
	phone.SetPlaceHolder(i18n.L("field.phone"))
	hours := widget.NewLabel("")
	showHours := func(name string) {
		sp := caps[name]
		hours.SetText(i18n.L("booking.space.hint", map[string]any{"Opens": sp.Opens, "Closes": sp.Closes, "Capacity": sp.Capacity}))
	}
	space.OnChanged = showHours
	showHours(space.Selected)
	u.showForm(i18n.L("booking.add"), []*widget.FormItem{
		{Text: i18n.L("field.space"), Widget: container.NewVBox(space, hours)},
		{Text: i18n.L("field.day"), Widget: day},
		{Text: i18n.L("booking.time"), Widget: container.NewGridWithColumns(2, from, to)},
		{Text: i18n.L("field.id_number"), Widget: number},
		{Text: i18n.L("field.organisation"), Widget: org},
		{Text: i18n.L("field.contact"), Widget: container.NewGridWithColumns(2, contact, phone)},
		{Text: i18n.L("field.purpose"), Widget: purpose},
		{Text: i18n.L("field.people"), Widget: people},
		{Text: i18n.L("field.weeks"), Widget: weeks},
	}, func() error {
		_, err := u.app.BookSpace(u.ctx, u.actor, app.BookingInput{SpaceID: ids[space.Selected], Day: day.Text, From: from.Text, To: to.Text,
			IDNumber: number.Text, Organisation: org.Text, Contact: contact.Text, Phone: phone.Text, Purpose: purpose.Text, People: people.Text,
			Weeks: weeks.Text})
		return err
	}, func() {
		u.notify(i18n.L("booking.added.short", map[string]any{"Name": space.Selected}))
		s.reload()
	})
}

// cancelBooking cancels the booking chosen, with a reason.
func (s *spacesScreen) cancelBooking() {
	u := s.u
	if s.chosen == nil {
		u.hint(i18n.L("booking.pick"))
		return
	}
	b := *s.chosen
	reason := widgets.NewEntry()
	u.showForm(i18n.L("booking.cancel"), []*widget.FormItem{
		{Text: i18n.L("field.booking"), Widget: widget.NewLabel(fmt.Sprintf("%s %s–%s %s", b.Space, b.Starts, b.Ends[11:], app.BookingWho(b)))},
		{Text: i18n.L("booking.reason"), Widget: reason},
	}, func() error { return u.app.CancelBooking(u.ctx, u.actor, b.ID, reason.Text) }, func() {
		u.notify(i18n.L("booking.cancelled"))
		s.reload()
	}).asks(i18n.L("booking.cancel.do"))
}

// editSpace changes the space of the column chosen, or of the week view.
func (s *spacesScreen) editSpace() {
	for _, sp := range s.spaces {
		if s.picked == sp.ID || s.picked == 0 && sp.Name == s.spaceSel.Selected {
			sp := sp
			s.spaceForm(&sp)
			return
		}
	}
	s.u.hint(i18n.L("booking.space.pick"))
}

// keptAreas is a choice of the streets and communities the account keeps
// (app.SpaceAreas), for the forms of spaces, activities and merchants,
// with the first chosen.
func keptAreas(areas []model.Area) (choice *widgets.Select, ids map[string]int64) {
	ids = map[string]int64{}
	var names []string
	for _, ar := range areas {
		names = append(names, ar.Name)
		ids[ar.Name] = ar.ID
	}
	choice = newSelect(names, nil)
	if len(names) > 0 {
		choice.SetSelectedIndex(0)
	}
	return choice, ids
}

// spaceForm adds a space (old nil) or changes one.
func (s *spacesScreen) spaceForm(old *model.Space) {
	u := s.u
	load(u, func() ([]model.Area, error) { return u.app.SpaceAreas(u.ctx, u.actor) }, func(areas []model.Area) { s.showSpaceForm(old, areas) })
}

// showSpaceForm is the space's form, offering areas.
func (s *spacesScreen) showSpaceForm(old *model.Space, areas []model.Area) {
	u := s.u
	area, areaIDs := keptAreas(areas)
	if old == nil && len(areaIDs) == 0 {
		u.hint(i18n.L("booking.space.noareas"))
		return
	}
	name, place, capacity, opens, closes, equipment := widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	closed := widgets.NewCheck(i18n.L("booking.space.closed"), nil)
	opens.SetText("8:30")
	closes.SetText("21:00")
	title := i18n.L("booking.space.add")
	items := []*widget.FormItem{{Text: i18n.L("field.area"), Widget: area}}
	if old != nil {
		title = i18n.L("booking.space.edit")
		items = nil
		name.SetText(old.Name)
		place.SetText(old.Place)
		capacity.SetText(fmt.Sprint(old.Capacity))
		opens.SetText(old.Opens)
		closes.SetText(old.Closes)
		equipment.SetText(old.Equipment)
		closed.SetChecked(old.Closed)
	}
	items = append(items,
		&widget.FormItem{Text: i18n.L("field.space_name"), Widget: name},
		&widget.FormItem{Text: i18n.L("field.location"), Widget: place},
		&widget.FormItem{Text: i18n.L("field.capacity"), Widget: capacity},
		&widget.FormItem{Text: i18n.L("booking.hours"), Widget: container.NewGridWithColumns(2, opens, closes)},
		&widget.FormItem{Text: i18n.L("field.equipment"), Widget: equipment})
	if old != nil {
		items = append(items, &widget.FormItem{Widget: closed})
	}
	u.showForm(title, items, func() error {
		in := app.SpaceInput{AreaID: areaIDs[area.Selected], Name: name.Text, Place: place.Text, Capacity: capacity.Text, Opens: opens.Text,
			Closes: closes.Text, Equipment: equipment.Text, Closed: closed.Checked}
		if old != nil {
			return u.app.EditSpace(u.ctx, u.actor, old.ID, in)
		}
		_, err := u.app.AddSpace(u.ctx, u.actor, in)
		return err
	}, func() {
		u.notify(i18n.L("booking.space_saved", map[string]any{"Name": strings.TrimSpace(name.Text)}))
		s.reload()
	})
}

// showUsage shows the spaces' use over a period, with its chart, to export.
func (s *spacesScreen) showUsage() {
	u := s.u
	day, ok := app.ParseDate(s.day.Text)
	if !ok {
		day = s.u.app.Now().Format("2006-01-02")
	}
	first, last := app.Week(day)
	from, to := widgets.NewEntry(), widgets.NewEntry()
	from.SetText(first)
	to.SetText(last)
	var use []model.SpaceUse
	table := newFiguresTable(report.SpaceUsageRows(nil)[0], []float32{150, 82, 82, 82, 82, 82, 82})
	s.usage = table
	img := newChartView(u, 400, 0.35, nil)
	msg := errorText()
	count := func() {
		run(s.u, func() ([]model.SpaceUse, error) { return u.app.SpaceUsage(u.ctx, u.actor, from.Text, to.Text) }, func(list []model.SpaceUse, err error) {
			if err != nil {
				setError(msg, i18n.Message(err))
				return
			}
			setError(msg, "")
			use = list
			rows := report.SpaceUsageRows(list)
			showFigures(table, rows, len(rows)-1)
			img.SetChart(report.SpaceUsageChart(list, from.Text, to.Text))
		})
	}
	from.OnSubmitted = func(string) { count() }
	to.OnSubmitted = func(string) { count() }
	export := widget.NewButtonWithIcon(i18n.L("booking.usage.export"), theme.DownloadIcon(), func() {
		if use == nil {
			return
		}
		list, a, b := use, from.Text, to.Text
		u.saveFigures(i18n.L("booking.usage.export"), i18n.L("booking.sheet"), func(path string) error { return report.WriteSpaceUsage(path, list, a, b, u.app.Now()) })
	})
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewButtonWithIcon("", theme.SearchIcon(), count), export),
		container.NewGridWithColumns(2, labelled(i18n.L("audit.from"), from), labelled(i18n.L("audit.to"), to))), msg)
	body := container.NewBorder(top, img, nil, nil, table.Content())
	d := dialog.NewCustom(strings.TrimSuffix(i18n.L("booking.usage"), "…"), i18n.L("action.close"), body, u.win)
	d.Resize(fyne.NewSize(min(760, u.win.Canvas().Size().Width-40), min(640, u.win.Canvas().Size().Height-40)))
	u.open(d, dialogKeys{})
	count()
}
