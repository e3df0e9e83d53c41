package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// activitiesScreen is 活动报名: the activities of a period on the left; the
// one chosen on the right with its counts, a resident picker to sign up,
// take off or check in (at the door, Enter on the one found checks in),
// and its people.
type activitiesScreen struct {
	u        *UI
	content  fyne.CanvasObject
	from, to *widgets.Entry
	list     *widget.List
	summary  *widget.Label
	who      *residentPicker
	msg      *widget.Label
	table    *widgets.DataTable[model.Attendee]
	status   *widget.Label
	actions  []*widget.Button

	activities []model.Activity
	chosen     int
	added      int64 // an activity just added, chosen at the next reload
	people     []model.Attendee
	loads      int
}

func newActivitiesScreen(u *UI) *activitiesScreen {
	s := &activitiesScreen{u: u, chosen: -1}
	s.from, s.to = widgets.NewEntry(), widgets.NewEntry()
	today := u.app.Now()
	s.from.SetText(today.Format("2006-01-02"))
	s.to.SetText(today.AddDate(0, 1, 0).Format("2006-01-02"))
	for _, e := range []*widgets.Entry{s.from, s.to} {
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.list = widget.NewList(func() int { return len(s.activities) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		act := s.activities[i]
		o.(*widget.Label).SetText(i18n.L("activity.item", map[string]any{"When": act.Starts[5:], "Name": activityName(act), "Signed": act.Signed,
			"Capacity": act.Capacity, "Waiting": act.Waiting}))
	})
	s.list.OnSelected = func(i widget.ListItemID) { s.chosen = i; setError(s.msg, ""); s.loadPeople() }
	s.summary = widget.NewLabel(i18n.L("activity.pick") + "\n\n")
	s.summary.Truncation = fyne.TextTruncateEllipsis
	s.who = newResidentPicker(u)
	s.who.entry.SetPlaceHolder(i18n.L("activity.number.hint"))
	s.who.OnSubmitted = func() { s.act("checkin") }
	s.msg = errorText()
	signUp := widget.NewButtonWithIcon(i18n.L("activity.signup"), theme.ContentAddIcon(), func() { s.act("signup") })
	drop := widget.NewButtonWithIcon(i18n.L("activity.drop"), theme.ContentRemoveIcon(), func() { s.act("drop") })
	checkIn := widget.NewButtonWithIcon(i18n.L("activity.checkin"), theme.ConfirmIcon(), func() { s.act("checkin") })
	checkIn.Importance = widget.HighImportance
	s.table = widgets.NewDataTable([]widgets.Column[model.Attendee]{
		{Title: i18n.L("field.name"), Width: 90, Grow: true, Text: func(p model.Attendee) string { return p.Name }},
		{Title: i18n.L("field.id_number"), Width: 170, Text: func(p model.Attendee) string { return p.IDNumber }},
		{Title: i18n.L("field.phone"), Width: 120, Text: func(p model.Attendee) string { return p.Phone }},
		{Title: i18n.L("field.status"), Width: 80, Text: func(p model.Attendee) string { return i18n.L("attendance." + string(p.State)) }},
		{Title: i18n.L("activity.col.signed_at"), Width: 140, Text: func(p model.Attendee) string { return shortStamp(p.Signed) },
			Less: func(a, b model.Attendee) bool { return a.Signed < b.Signed }},
		{Title: i18n.L("activity.col.checkin"), Width: 140, Text: func(p model.Attendee) string { return shortStamp(p.CheckedIn) },
			Less: func(a, b model.Attendee) bool { return a.CheckedIn < b.CheckedIn }},
	})
	s.status = widget.NewLabel("")
	add := widget.NewButtonWithIcon(i18n.L("activity.add"), theme.ContentAddIcon(), s.addForm)
	invite := widget.NewButtonWithIcon(i18n.L("activity.invite"), theme.MailSendIcon(), s.invite)
	cancel := widget.NewButtonWithIcon(i18n.L("activity.cancel"), theme.CancelIcon(), s.cancelActivity)
	export := widget.NewButtonWithIcon(i18n.L("activity.export"), theme.DownloadIcon(), s.export)
	s.actions = []*widget.Button{signUp, drop, checkIn, invite, cancel}
	if !u.canWrite() {
		add.Hide()
		for _, b := range s.actions {
			b.Hide()
		}
		s.who.Hide()
	}
	if !u.actor.Account.CanExport {
		export.Hide()
	}
	// The list's pane is narrow: the period on one row, its buttons below.
	filters := container.NewVBox(container.NewGridWithColumns(2, s.from, s.to),
		container.NewHBox(widget.NewButtonWithIcon(i18n.L("activity.search"), theme.SearchIcon(), s.reload), add))
	// The resident search keeps room for its hint; the buttons go below it
	// when the pane is narrow.
	door := widgets.NewBar(s.who, searchWidth, signUp, drop, checkIn)
	right := container.NewBorder(container.NewVBox(s.summary, widgets.NewFlow(invite, cancel, export), door, s.msg),
		s.status, nil, nil, s.table.Content())
	split := container.NewHSplit(container.NewBorder(filters, nil, nil, nil, s.list), right)
	split.Offset = 0.36
	s.content = split
	return s
}

// activityName is an activity's name, marked when cancelled.
func activityName(act model.Activity) string {
	if act.Cancelled != "" {
		return act.Name + i18n.L("activity.cancelled.mark")
	}
	return act.Name
}

// reload reads the activities of the period, keeping the one chosen.
func (s *activitiesScreen) reload() {
	u := s.u
	s.loads++
	load := s.loads
	from, to := s.from.Text, s.to.Text
	var keep int64
	if s.chosen >= 0 && s.chosen < len(s.activities) {
		keep = s.activities[s.chosen].ID
	}
	if s.added != 0 { // a new activity is the one to work on
		keep, s.added = s.added, 0
	}
	run(s.u, func() ([]model.Activity, error) { return u.app.Activities(u.ctx, u.actor, from, to) }, func(list []model.Activity, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			setError(s.msg, i18n.Message(err))
			return
		}
		setError(s.msg, "")
		s.activities, s.chosen = list, -1
		s.list.UnselectAll()
		s.list.Refresh()
		for i, act := range list {
			if act.ID == keep {
				s.list.Select(i)
				return
			}
		}
		s.people = nil
		s.table.SetRows(nil)
		if len(list) == 0 {
			s.summary.SetText(i18n.L("activity.none") + "\n\n")
		} else {
			s.summary.SetText(i18n.L("activity.pick") + "\n\n")
		}
		total, held := app.ActivityTotals(list)
		s.status.SetText(i18n.L("activity.totals", map[string]any{"Count": held, "Signed": total.Signed, "Checked": total.CheckedIn,
			"Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(total))}))
	})
}

// current is the activity chosen.
func (s *activitiesScreen) current() (model.Activity, bool) {
	if s.chosen < 0 || s.chosen >= len(s.activities) {
		return model.Activity{}, false
	}
	return s.activities[s.chosen], true
}

// loadPeople reads the chosen activity afresh and its people.
func (s *activitiesScreen) loadPeople() {
	u := s.u
	act, ok := s.current()
	if !ok {
		return
	}
	type result struct {
		act    model.Activity
		people []model.Attendee
	}
	run(s.u, func() (result, error) {
		var r result
		var err error
		if r.act, err = u.app.Activity(u.ctx, u.actor, act.ID); err != nil {
			return r, err
		}
		r.people, err = u.app.Attendees(u.ctx, u.actor, act.ID)
		return r, err
	}, func(r result, err error) {
		if err != nil {
			setError(s.msg, i18n.Message(err))
			return
		}
		if s.chosen >= 0 && s.chosen < len(s.activities) && s.activities[s.chosen].ID == r.act.ID {
			s.activities[s.chosen] = r.act
			s.list.RefreshItem(s.chosen)
		}
		s.people = r.people
		act := r.act
		cohort := act.CohortName
		if cohort == "" {
			cohort = i18n.L("activity.anyone")
		}
		// Three short lines, so the buttons below stay where they are.
		s.summary.SetText(activityName(act) + "　" + act.Starts + "–" + act.Ends[11:] + "　" + act.Place + "\n" +
			i18n.L("activity.counts", map[string]any{"Capacity": act.Capacity, "Signed": act.Signed, "Waiting": act.Waiting,
				"Invited": act.Invited, "Checked": act.CheckedIn, "Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(act))}) + "\n" +
			i18n.L("activity.for", map[string]any{"Cohort": cohort, "Note": act.Note}))
		s.status.SetText(i18n.L("activity.people", map[string]any{"Count": len(r.people)}))
		s.table.SetRows(r.people)
	})
}

// shortStamp is a stored time as the desk reads it: 2026-12-03 09:05.
func shortStamp(rfc string) string {
	if t, err := time.Parse(time.RFC3339Nano, rfc); err == nil {
		return t.Local().Format("2006-01-02 15:04")
	}
	return rfc
}

// act signs up, takes off or checks in the resident picked.
func (s *activitiesScreen) act(what string) {
	u := s.u
	act, ok := s.current()
	if !ok {
		setError(s.msg, i18n.L("activity.pick"))
		return
	}
	who := s.who.who()
	type result struct{ note, promoted string }
	run(u, func() (result, error) {
		var r result
		switch what {
		case "signup":
			state, err := u.app.SignUp(u.ctx, u.actor, act.ID, who)
			r.note = i18n.L("activity.signed." + string(state))
			return r, err
		case "drop":
			var err error
			r.promoted, err = u.app.CancelSignUp(u.ctx, u.actor, act.ID, who)
			r.note = i18n.L("activity.dropped")
			return r, err
		}
		name, err := u.app.CheckIn(u.ctx, u.actor, act.ID, who)
		r.note = i18n.L("activity.checked", map[string]any{"Name": name})
		return r, err
	}, func(r result, err error) {
		if err != nil {
			setError(s.msg, i18n.Message(err))
			return
		}
		if r.promoted != "" { // someone to call: said until read, not in passing
			u.inform(i18n.L("activity.dropped"), i18n.L("activity.promoted", map[string]any{"Name": r.promoted}))
		}
		setError(s.msg, "")
		s.who.clear() // ready for the next at the door
		u.notify(r.note)
		s.loadPeople()
	})
}

// invite invites the activity's cohort.
func (s *activitiesScreen) invite() {
	u := s.u
	act, ok := s.current()
	if !ok {
		setError(s.msg, i18n.L("activity.pick"))
		return
	}
	run(s.u, func() (int, error) { return u.app.Invite(u.ctx, u.actor, act.ID) }, func(n int, err error) {
		if err != nil {
			setError(s.msg, i18n.Message(err))
			return
		}
		setError(s.msg, "")
		u.notify(i18n.L("activity.invited", map[string]any{"Count": n}))
		s.loadPeople()
	})
}

// cancelActivity cancels the activity chosen, after asking.
func (s *activitiesScreen) cancelActivity() {
	u := s.u
	act, ok := s.current()
	if !ok {
		setError(s.msg, i18n.L("activity.pick"))
		return
	}
	u.showForm(i18n.L("activity.cancel"), []*widget.FormItem{{Text: i18n.L("field.activity"),
		Widget: widget.NewLabel(i18n.L("activity.cancel.confirm", map[string]any{"Name": act.Name, "Signed": act.Signed}))}},
		func() error { return u.app.CancelActivity(u.ctx, u.actor, act.ID) }, func() {
			u.notify(i18n.L("activity.cancelled"))
			s.reload()
		}).asks(i18n.L("activity.cancel.do"))
}

// export saves the activity's people, masked unless revealed.
func (s *activitiesScreen) export() {
	u := s.u
	act, ok := s.current()
	if !ok {
		setError(s.msg, i18n.L("activity.pick"))
		return
	}
	u.askSave(i18n.L("activity.export"), u.defaultPath(act.Name, ".xlsx"), i18n.L("ledger.export.reveal.help"), nil, nil, func(sv saving) {
		exportLater(u, func(ctx context.Context) (int, error) {
			return u.app.ExportActivity(ctx, u.actor, act.ID, sv.Path, sv.Reveal, sv.Reason)
		}, func(n int) { u.notify(i18n.L("activity.exported", map[string]any{"Count": n, "Path": sv.Path})) })
	})
}

// addForm adds an activity: in a space (booked for it) or at a place named.
func (s *activitiesScreen) addForm() {
	u := s.u
	load(u, func() (activityLists, error) {
		var l activityLists
		var err error
		if l.areas, err = u.app.SpaceAreas(u.ctx, u.actor); err != nil {
			return l, err
		}
		if l.spaces, err = u.app.Spaces(u.ctx, u.actor); err != nil {
			return l, err
		}
		l.cohorts, err = u.app.SavedCohorts(u.ctx, u.actor)
		return l, err
	}, s.showAddForm)
}

// activityLists are what the activity's form offers.
type activityLists struct {
	areas   []model.Area
	spaces  []model.Space
	cohorts []app.SavedCohort
}

// showAddForm is the activity's form.
func (s *activitiesScreen) showAddForm(l activityLists) {
	u := s.u
	area, areaIDs := keptAreas(l.areas)
	if len(areaIDs) == 0 {
		u.hint(i18n.L("booking.space.noareas"))
		return
	}
	spaces, cohorts := l.spaces, l.cohorts
	spaceIDs := map[string]int64{}
	var cohortNames []string
	spaceNames := []string{i18n.L("activity.nospace")}
	for _, sp := range spaces {
		if !sp.Closed {
			spaceNames = append(spaceNames, sp.Name)
			spaceIDs[sp.Name] = sp.ID
		}
	}
	cohortNames = append(cohortNames, i18n.L("activity.anyone"))
	for _, c := range cohorts {
		cohortNames = append(cohortNames, c.Name)
	}
	space, cohort := newSelect(spaceNames, nil), newSelect(cohortNames, nil)
	space.SetSelectedIndex(0)
	cohort.SetSelectedIndex(0)
	name, day, from, to, place, capacity, note := widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(),
		widgets.NewEntry(), widgets.NewEntry()
	day.SetText(s.from.Text)
	from.SetPlaceHolder(i18n.L("hint.time.from"))
	to.SetPlaceHolder(i18n.L("hint.time.to"))
	place.SetPlaceHolder(i18n.L("activity.place.hint"))
	u.showForm(i18n.L("activity.add"), []*widget.FormItem{
		{Text: i18n.L("field.area"), Widget: area},
		{Text: i18n.L("field.activity_name"), Widget: name},
		{Text: i18n.L("field.day"), Widget: day},
		{Text: i18n.L("booking.time"), Widget: container.NewGridWithColumns(2, from, to)},
		{Text: i18n.L("field.space"), Widget: space},
		{Text: i18n.L("field.location"), Widget: place},
		{Text: i18n.L("activity.col.capacity"), Widget: capacity},
		{Text: i18n.L("field.cohort"), Widget: cohort},
		{Text: i18n.L("field.note"), Widget: note},
	}, func() error {
		c := cohort.Selected
		if cohort.SelectedIndex() == 0 {
			c = ""
		}
		id, err := u.app.AddActivity(u.ctx, u.actor, app.ActivityInput{AreaID: areaIDs[area.Selected], Name: name.Text, Day: day.Text, From: from.Text,
			To: to.Text, SpaceID: spaceIDs[space.Selected], Place: place.Text, Capacity: capacity.Text, Cohort: c, Note: note.Text})
		s.added = id
		return err
	}, func() {
		u.notify(i18n.L("activity.added.short", map[string]any{"Name": strings.TrimSpace(name.Text)}))
		s.reload()
	})
}
