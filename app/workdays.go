package app

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

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

// officialDay is a day of the State Council's yearly holiday notice
// (国务院办公厅关于部分节假日安排的通知): a holiday, or a weekend day
// worked in its place, and the festival it belongs to.
type officialDay struct {
	Workday bool
	Name    string
}

// Official holidays come from github.com/6tail/lunar-go (HolidayUtil),
// which carries each year's notice as published (through 2027 in v1.4.7);
// a later year's notice is marked by the office until the library has it.
const officialFirstYear = 2001

var (
	officialOnce sync.Once
	officialDays map[string]officialDay
)

func official() map[string]officialDay {
	officialOnce.Do(func() {
		officialDays = map[string]officialDay{}
		for y := officialFirstYear; y <= time.Now().Year()+2; y++ {
			l := HolidayUtil.GetHolidaysByYear(y)
			for e := l.Front(); e != nil; e = e.Next() {
				h, ok := e.Value.(*HolidayUtil.Holiday)
				if !ok {
					continue
				}
				officialDays[h.GetDay()] = officialDay{Workday: h.IsWork(), Name: h.GetName()}
			}
		}
	})
	return officialDays
}

// Calendar reads the office's calendar: the official holidays and make-up
// workdays as defaults, each day the office marked itself as it marked it.
func (a *App) Calendar(ctx context.Context) (Calendar, error) {
	days, err := a.st.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	off := official()
	cal := make(Calendar, len(off)+len(days))
	for d, o := range off {
		cal[d] = o.Workday
	}
	for d, w := range days { // the office's own mark wins
		cal[d] = w
	}
	return cal, nil
}

// HolidaySpan is a run of consecutive marked days of one kind: a holiday
// (off) or make-up workdays, the official festival's name, or marked by
// the office itself.
type HolidaySpan struct {
	From, To string
	Workday  bool
	Name     string // the festival (国庆节); "" for the office's own
	Office   bool
}

// Holidays lists the marked days of a year (0: this year), official and
// the office's own, as runs of consecutive days, in order.
func (a *App) Holidays(ctx context.Context, year int) ([]HolidaySpan, error) {
	if year == 0 {
		year = a.Now().Year()
	}
	if year < 1900 || year > 9999 {
		return nil, problem("year", "err.calendar.year", nil)
	}
	days, err := a.st.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	prefix := strconv.Itoa(year) + "-"
	type mark struct {
		day string
		HolidaySpan
	}
	var marks []mark
	for d, o := range official() {
		if _, mine := days[d]; !mine && len(d) == 10 && d[:5] == prefix {
			marks = append(marks, mark{d, HolidaySpan{Workday: o.Workday, Name: o.Name}})
		}
	}
	for d, w := range days {
		if len(d) == 10 && d[:5] == prefix {
			marks = append(marks, mark{d, HolidaySpan{Workday: w, Office: true}})
		}
	}
	sort.Slice(marks, func(i, j int) bool { return marks[i].day < marks[j].day })
	var out []HolidaySpan
	for _, m := range marks {
		if n := len(out); n > 0 {
			last := &out[n-1]
			t, _ := time.Parse("2006-01-02", last.To)
			if t.AddDate(0, 0, 1).Format("2006-01-02") == m.day && last.Workday == m.Workday && last.Name == m.Name && last.Office == m.Office {
				last.To = m.day
				continue
			}
		}
		s := m.HolidaySpan
		s.From, s.To = m.day, m.day
		out = append(out, s)
	}
	return out, nil
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
	var days []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format("2006-01-02"))
	}
	note := auditNote(actor.Account.Username, AuditCalendar, f+".."+t, map[string]any{"workday": workday, "clear": clear})
	if err := a.st.SetCalendarDays(ctx, note, days, workday, clear); err != nil {
		return 0, err
	}
	return len(days), nil
}
