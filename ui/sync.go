package ui

import (
	"fmt"
	"strings"
	"time"

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

// syncEvery is how often background sync runs.
const syncEvery = 5 * time.Minute

// syncScreen is 同步: this desktop's server, enrolment, a sync now and in
// the background, what the last round did, and the conflicts to review.
type syncScreen struct {
	u         *UI
	content   fyne.CanvasObject
	server    *widgets.Entry
	ca        *widgets.Entry
	user      *widgets.Entry
	password  *widgets.Entry
	enrolBtn  *widget.Button
	syncBtn   *widget.Button
	auto      *widgets.Check
	progress  *widget.ProgressBar
	state     *widget.Label
	last      *widget.Label
	lastErr   *widget.Label
	table     *widgets.DataTable[model.SyncConflict]
	heading   *widget.Label
	conflicts []model.SyncConflict
	busy      bool
	status    app.SyncStatus
}

func newSyncScreen(u *UI) *syncScreen {
	s := &syncScreen{u: u}
	s.server = widgets.NewEntry()
	s.server.SetPlaceHolder("https://sync.example:8443")
	s.ca = widgets.NewEntry()
	s.ca.SetPlaceHolder(i18n.L("sync.ca.hint"))
	s.user = widgets.NewEntry()
	s.user.SetText(u.actor.Account.Username)
	s.password = widgets.NewPasswordEntry()
	s.password.OnSubmitted = func(string) { s.enrol() }
	s.enrolBtn = widget.NewButtonWithIcon(i18n.L("sync.enrol"), theme.LoginIcon(), s.enrol)
	s.syncBtn = widget.NewButtonWithIcon(i18n.L("sync.now"), theme.ViewRefreshIcon(), func() { s.syncNow(false) })
	s.syncBtn.Importance = widget.HighImportance
	s.auto = widgets.NewCheck(i18n.L("sync.auto", map[string]any{"Minutes": int(syncEvery.Minutes())}), func(on bool) {
		if on == s.status.Auto {
			return // shown, not changed
		}
		s.status.Auto = on
		if on {
			s.startTicking()
		}
		run(u, func() (struct{}, error) { return struct{}{}, u.app.SetSyncAuto(u.ctx, on) }, func(_ struct{}, err error) {
			if err != nil {
				u.showError(err)
			}
		})
	})
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.state = widget.NewLabel("")
	// Not wrapped: a wrapping label asks for its height at the width of
	// its first layout, which made the window taller than the screen.
	s.last = widget.NewLabel("")
	s.lastErr = widget.NewLabel("")
	s.lastErr.Truncation = fyne.TextTruncateEllipsis
	s.lastErr.Importance = widget.DangerImportance
	s.lastErr.Hide()
	s.table = widgets.NewDataTable([]widgets.Column[model.SyncConflict]{
		{Title: i18n.L("sync.col.row"), Width: 150, Text: func(c model.SyncConflict) string { return c.Label }},
		{Title: i18n.L("sync.col.field"), Width: 110, Text: func(c model.SyncConflict) string { return i18n.Field(c.Field) }},
		{Title: i18n.L("sync.col.kept"), Width: 200, Grow: true, Text: func(c model.SyncConflict) string { return conflictValue(c.Field, c.Kept) }},
		{Title: i18n.L("sync.col.lost"), Width: 200, Grow: true, Text: func(c model.SyncConflict) string { return conflictValue(c.Field, c.Lost) }},
		{Title: i18n.L("sync.col.at"), Width: 170, Text: func(c model.SyncConflict) string { return shortTime(c.At) },
			Less: func(a, b model.SyncConflict) bool { return a.At < b.At }},
	})
	s.table.OnActivated = s.review
	s.heading = widget.NewLabelWithStyle(i18n.L("sync.conflicts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	refresh := widget.NewButtonWithIcon(i18n.L("sync.conflicts.reload"), theme.ViewRefreshIcon(), s.loadConflicts)
	form := widget.NewForm(
		widget.NewFormItem(i18n.L("sync.server"), s.server),
		widget.NewFormItem(i18n.L("sync.ca"), s.ca),
		widget.NewFormItem(i18n.L("sync.user"), s.user),
		widget.NewFormItem(i18n.L("field.password"), container.NewBorder(nil, nil, nil, s.enrolBtn, s.password)),
	)
	status := widget.NewForm(
		widget.NewFormItem(i18n.L("sync.state"), s.state),
		widget.NewFormItem(i18n.L("sync.last"), s.last),
	)
	intro := widget.NewLabel(i18n.L("sync.intro"))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		widget.NewLabelWithStyle(i18n.L("sync.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro,
		form,
		widget.NewSeparator(),
		status,
		s.lastErr,
		container.NewHBox(s.syncBtn, s.auto),
		s.progress,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, s.heading, refresh),
	)
	s.content = container.NewBorder(top, nil, nil, nil, s.table.Content())
	return s
}

// conflictValue shows a value as a person reads it: an edit that met a
// delete is the edit's fields, the delete is 已删除.
func conflictValue(field, v string) string {
	if field == "_deleted" && v == "" {
		return i18n.L("sync.deleted")
	}
	if v == "" {
		return i18n.L("sync.empty")
	}
	return v
}

// hlcTime is when a change was made, from its clock ("ms.counter").
func hlcTime(h string) string {
	var ms int64
	if _, err := fmt.Sscanf(h, "%d.", &ms); err != nil || ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).Local().Format("2006-01-02 15:04:05")
}

func shortTime(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Local().Format("2006-01-02 15:04")
	}
	return s
}

// init reads the state at sign-in, to start background rounds that were
// on; the conflicts wait until the screen is shown.
func (s *syncScreen) init() {
	run(s.u, func() (app.SyncStatus, error) { return s.u.app.SyncStatus(s.u.ctx) }, func(st app.SyncStatus, err error) {
		if err == nil {
			s.show(st)
		}
	})
}

// reload shows the sync state.
func (s *syncScreen) reload() {
	run(s.u, func() (app.SyncStatus, error) { return s.u.app.SyncStatus(s.u.ctx) }, func(st app.SyncStatus, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.show(st)
		if st.Enrolled {
			s.loadConflicts()
		}
	})
}

func (s *syncScreen) show(st app.SyncStatus) {
	s.status = st
	if s.server.Text == "" {
		s.server.SetText(st.Server)
	}
	if st.User != "" {
		s.user.SetText(st.User)
	}
	if st.Enrolled {
		s.state.SetText(i18n.L("sync.enrolled", map[string]any{"Server": st.Server, "User": st.User}))
		s.syncBtn.Enable()
		s.auto.Enable()
	} else {
		s.state.SetText(i18n.L("sync.notenrolled"))
		s.syncBtn.Disable()
		s.auto.Disable()
	}
	last := i18n.L("sync.never")
	if !st.LastSync.IsZero() {
		last = st.LastSync.Local().Format("2006-01-02 15:04:05") + "  " + i18n.L("sync.done", map[string]any{"Pushed": st.Last.Pushed,
			"Pulled": st.Last.Pulled, "Conflicts": st.Last.Conflicts, "Refused": st.Last.Refused})
	}
	last += "\n" + i18n.L("sync.waiting", map[string]any{"Count": st.Waiting})
	if st.Problems > 0 {
		last += "  " + i18n.L("sync.problems", map[string]any{"Count": st.Problems})
	}
	s.last.SetText(last)
	s.lastErr.SetText("")
	s.lastErr.Hide()
	if st.LastError != "" {
		msg := st.LastError
		if strings.HasPrefix(msg, "err.sync.") {
			msg = i18n.L(msg, map[string]any{"Message": ""})
		}
		s.lastErr.SetText(i18n.L("sync.lasterror") + msg)
		s.lastErr.Show()
	}
	s.auto.SetChecked(st.Auto)
	if st.Auto {
		s.startTicking()
	}
}

// enrol joins this desktop to the server with the account given.
func (s *syncScreen) enrol() {
	if s.busy {
		return
	}
	server, ca, user, pw := strings.TrimSpace(s.server.Text), strings.TrimSpace(s.ca.Text), strings.TrimSpace(s.user.Text), s.password.Text
	s.begin()
	run(s.u, func() (app.SyncResult, error) {
		_, res, err := s.u.app.SyncEnrol(s.u.ctx, s.u.actor, server, ca, user, pw, s.onProgress)
		return res, err
	}, func(res app.SyncResult, err error) {
		s.end()
		if err != nil {
			s.u.showError(err) // what was typed stays, to correct
			s.reload()
			return
		}
		s.password.SetText("")
		s.u.notify(i18n.L("sync.enrol.done") + " " + i18n.SyncSummary(res))
		s.reload()
		s.u.residents.reload()
		if !strings.EqualFold(user, s.u.actor.Account.Username) {
			// The data received is that account's areas: this session's
			// account does not see it as that account does.
			s.u.inform(i18n.L("sync.enrol.other.title"), i18n.L("sync.enrol.other", map[string]any{"User": user}))
		}
	})
}

// syncNow runs a round; quiet (the background one) says nothing unless
// something moved or failed.
func (s *syncScreen) syncNow(quiet bool) {
	if s.busy || !s.status.Enrolled {
		return
	}
	s.begin()
	job := func() (app.SyncResult, error) { return s.u.app.SyncRound(s.u.ctx, s.u.actor, s.onProgress) }
	done := func(res app.SyncResult, err error) {
		s.end()
		s.reload()
		switch {
		case err != nil && quiet:
			s.u.hint(i18n.L("sync.failed.quiet"))
		case err != nil:
			s.u.showError(err)
		case !quiet || res.Pushed+res.Pulled > 0 || res.AuditCut != 0:
			s.u.notify(i18n.SyncSummary(res))
		}
		if err == nil && res.Pulled > 0 {
			s.u.residents.reload()
		}
	}
	if quiet {
		// Background work is not the user's: it must not keep the
		// session from locking when idle (run touches the idle clock).
		s.u.sched.schedule(func() func() {
			res, err := job()
			return func() { done(res, err) }
		})
		return
	}
	run(s.u, job, done)
}

func (s *syncScreen) begin() {
	s.busy = true
	s.syncBtn.Disable()
	s.enrolBtn.Disable()
	s.progress.SetValue(0)
	s.progress.Show()
}

func (s *syncScreen) end() {
	s.busy = false
	s.enrolBtn.Enable()
	s.syncBtn.Enable()
	s.progress.Hide()
}

// onProgress is called off the UI goroutine.
func (s *syncScreen) onProgress(stage string, done, total int) {
	if total <= 0 {
		return
	}
	fyne.Do(func() { s.progress.SetValue(float64(done) / float64(total)) })
}

// startTicking starts the background rounds, once for the window: after
// a change of account they go on with the screen the new one has.
func (s *syncScreen) startTicking() {
	u := s.u
	if u.syncTicking {
		return
	}
	u.syncTicking = true
	u.sched.every(syncEvery, func() {
		if u.actor != nil && u.lock == nil && u.sync.auto.Checked {
			u.sync.syncNow(true)
		}
	})
}

func (s *syncScreen) loadConflicts() {
	run(s.u, func() ([]model.SyncConflict, error) { return s.u.app.SyncConflicts(s.u.ctx, s.u.actor) }, func(cs []model.SyncConflict, err error) {
		if err != nil {
			s.lastErr.SetText(i18n.L("sync.conflicts.failed") + i18n.Message(err))
			s.lastErr.Show()
			return
		}
		s.conflicts = cs
		s.heading.SetText(i18n.L("sync.conflicts.count", map[string]any{"Count": len(cs)}))
		s.table.SetRows(cs)
	})
}

// review shows both values of a conflict side by side to choose one.
func (s *syncScreen) review(c model.SyncConflict) {
	side := func(title, v, by, at string) fyne.CanvasObject {
		val := widget.NewLabel(conflictValue(c.Field, v))
		val.Wrapping = fyne.TextWrapWord
		val.TextStyle.Bold = true
		return widget.NewCard(title, by+"  "+at, val)
	}
	var d dialog.Dialog
	choose := func(takeLost bool) {
		d.Hide()
		run(s.u, func() (struct{}, error) { return struct{}{}, s.u.app.SyncResolve(s.u.ctx, s.u.actor, c, takeLost) }, func(_ struct{}, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.u.notify(i18n.L("sync.resolved"))
			s.reload()
			s.u.residents.reload()
		})
	}
	keep := widget.NewButtonWithIcon(i18n.L("sync.keep"), theme.ConfirmIcon(), func() { choose(false) })
	take := widget.NewButtonWithIcon(i18n.L("sync.take"), theme.ContentUndoIcon(), func() { choose(true) })
	keep.Importance = widget.HighImportance
	if !s.u.canWrite() {
		keep.Disable()
		take.Disable()
	}
	body := container.NewVBox(
		widget.NewLabel(i18n.L("sync.review.intro", map[string]any{"Row": c.Label, "Field": i18n.Field(c.Field)})),
		container.NewGridWithColumns(2,
			side(i18n.L("sync.col.kept"), c.Kept, c.KeptBy, hlcTime(c.KeptHLC)),
			side(i18n.L("sync.col.lost"), c.Lost, c.LostBy, hlcTime(c.LostHLC))),
		container.NewGridWithColumns(2, keep, take),
	)
	d = dialog.NewCustom(i18n.L("sync.review"), i18n.L("action.back"), body, s.u.win)
	d.Resize(fyne.NewSize(640, 320))
	s.u.open(d, dialogKeys{})
	s.u.lastReview = &c
}
