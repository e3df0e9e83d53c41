package app

import (
	"context"
	"time"

	"shequ/app/model"
)

// Calendar says which days the office works: Monday to Friday, less the
// holidays, plus the weekend days worked in their place (调休).
type Calendar map[string]bool

// Workday tells whether the office works on a day.
func (c Calendar) Workday(d time.Time) bool {
	if w, ok := c[d.Format("2006-01-02")]; ok {
		return w
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// AddWorkdays is the n-th working day after a date (n ≥ 0; 0 is the date
// itself, or the next working day when it is not one).
func (c Calendar) AddWorkdays(d time.Time, n int) time.Time {
	if n <= 0 {
		for !c.Workday(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.Workday(d) {
			n--
		}
	}
	return d
}

// Calendar reads the office's calendar.
func (a *App) Calendar(ctx context.Context) (Calendar, error) {
	days, err := a.st.CalendarDays(ctx)
	return Calendar(days), err
}

// AuditCalendar is a day marked worked or off.
const AuditCalendar = "calendar.set"

// SetCalendarDays marks the days from..to (YYYY-MM-DD) as holidays (off)
// or as weekend days worked; clear takes the marks away. Administrators
// and community workers keep it.
func (a *App) SetCalendarDays(ctx context.Context, actor *Actor, from, to string, workday, clear bool) (int, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	if actor.Account.Role == model.RoleGrid {
		return 0, model.ErrForbidden
	}
	f, ok1 := ParseDate(from)
	if to == "" {
		to = from
	}
	t, ok2 := ParseDate(to)
	if !ok1 || !ok2 || t < f {
		return 0, problem("days", "err.calendar.days", nil)
	}
	start, _ := time.Parse("2006-01-02", f)
	end, _ := time.Parse("2006-01-02", t)
	if end.Sub(start) > 366*24*time.Hour {
		return 0, problem("days", "err.calendar.days", nil)
	}
	n := 0
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if err := a.st.SetCalendarDay(ctx, d.Format("2006-01-02"), workday, clear); err != nil {
			return n, err
		}
		n++
	}
	return n, a.audit(ctx, actor.Account.Username, AuditCalendar, f+".."+t, map[string]any{"workday": workday, "clear": clear})
}
