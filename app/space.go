package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"shequ/app/model"
	"shequ/app/phone"
)

// 空间预约: the public spaces of streets and communities, booked by
// residents and organisations for a time of one day.

// Audit actions of spaces and bookings.
const (
	AuditSpaceAdd     = "space.add"
	AuditSpaceEdit    = "space.edit"
	AuditBookingAdd   = "booking.add"
	AuditBookingClose = "booking.cancel"
)

// SpaceInput is a space as its form has it.
type SpaceInput struct {
	AreaID    int64 // the street or community that runs it
	Name      string
	Place     string
	Capacity  string
	Opens     string // 8:00, 08:00, 8点
	Closes    string
	Equipment string
	Closed    bool
}

// spaceAreas are the areas whose spaces the actor sees (their own areas,
// those under and those above them: a community books the street's hall)
// and those whose spaces they keep (their own and those under them).
func (a *App) spaceAreas(ctx context.Context, actor *Actor) (see, keep map[int64]model.Area, err error) {
	sc, areas, err := a.placeScope(ctx, actor) // one read of the tree for both
	if err != nil {
		return nil, nil, err
	}
	see, keep = map[int64]model.Area{}, map[int64]model.Area{}
	for _, ar := range visibleOf(sc, areas) {
		see[ar.ID] = ar
	}
	under := areas
	if !sc.All {
		under = areasUnder(areas, actor.Account.AreaIDs)
	}
	for _, ar := range under {
		keep[ar.ID] = ar
	}
	return see, keep, nil
}

// seesArea refuses a space, an activity or a merchant of an area the actor
// does not see.
func (a *App) seesArea(ctx context.Context, actor *Actor, area int64, what string, id int64) error {
	see, _, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return err
	}
	if _, ok := see[area]; !ok {
		return fmt.Errorf("app: %s %d: %w", what, id, model.ErrForbidden)
	}
	return nil
}

// keeps reports whether an area is a street or community the actor keeps.
func keeps(keep map[int64]model.Area, area int64) bool {
	ar, ok := keep[area]
	return ok && ar.Level != model.LevelGrid
}

// byName finds an item by its name.
func byName[T any](list []T, name string, nameOf func(T) string) (T, bool) {
	for _, x := range list {
		if nameOf(x) == strings.TrimSpace(name) {
			return x, true
		}
	}
	var zero T
	return zero, false
}

// checkSpace validates a space's form.
func checkSpace(in SpaceInput, keep map[int64]model.Area) (model.Space, Problems) {
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	sp := model.Space{AreaID: in.AreaID, Name: strings.TrimSpace(in.Name), Place: strings.TrimSpace(in.Place),
		Equipment: strings.TrimSpace(in.Equipment), Closed: in.Closed}
	if !keeps(keep, in.AreaID) {
		add("area", "err.space.area", nil)
	}
	if sp.Name == "" {
		add("space_name", "err.space.name", nil)
	} else if utf8.RuneCountInString(sp.Name) > 40 {
		add("space_name", "err.space.name_long", map[string]any{"Max": 40})
	}
	n, err := strconv.Atoi(strings.TrimSpace(toHalfWidth(in.Capacity)))
	if err != nil || n < 1 || n > 10000 {
		add("capacity", "err.space.capacity", map[string]any{"Value": in.Capacity})
	}
	sp.Capacity = n
	var ok1, ok2 bool
	if sp.Opens, ok1 = ParseClock(in.Opens); !ok1 {
		add("opens", "err.clock", map[string]any{"Value": in.Opens})
	}
	if sp.Closes, ok2 = ParseClock(in.Closes); !ok2 {
		add("closes", "err.clock", map[string]any{"Value": in.Closes})
	}
	if ok1 && ok2 && sp.Opens >= sp.Closes {
		add("closes", "err.space.hours", map[string]any{"Opens": sp.Opens})
	}
	return sp, ps
}

// AddSpace adds a space to a street or community the actor keeps.
func (a *App) AddSpace(ctx context.Context, actor *Actor, in SpaceInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	_, keep, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return 0, err
	}
	sp, ps := checkSpace(in, keep)
	if same, err := a.st.Spaces(ctx, []int64{sp.AreaID}, false); err != nil {
		return 0, err
	} else if slices.ContainsFunc(same, func(x model.Space) bool { return x.Name == sp.Name }) {
		ps = append(ps, Problem{Field: "space_name", Key: "err.space.exists", Data: map[string]any{"Name": sp.Name}})
	}
	if len(ps) > 0 {
		return 0, ps
	}
	id, err := a.st.AddSpace(ctx, auditNote(actor.Account.Username, AuditSpaceAdd, "", map[string]any{"name": sp.Name, "area": sp.AreaID}),
		actor.Account.ID, sp)
	if errors.Is(err, model.ErrConflict) {
		return 0, problem("space_name", "err.space.exists", map[string]any{"Name": sp.Name})
	}
	return id, err
}

// EditSpace changes a space the actor keeps (its area stays).
func (a *App) EditSpace(ctx context.Context, actor *Actor, id int64, in SpaceInput) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	old, err := a.st.Space(ctx, id)
	if err != nil {
		return err
	}
	_, keep, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return err
	}
	in.AreaID = old.AreaID
	sp, ps := checkSpace(in, keep)
	if len(ps) > 0 {
		if _, ok := ps.Field("area"); ok {
			return fmt.Errorf("app: space %d: %w", id, model.ErrForbidden)
		}
		return ps
	}
	sp.ID = id
	err = a.st.UpdateSpace(ctx, auditNote(actor.Account.Username, AuditSpaceEdit, fmt.Sprintf("space:%d", id), map[string]any{"name": sp.Name}), sp)
	if errors.Is(err, model.ErrConflict) {
		return problem("space_name", "err.space.exists", map[string]any{"Name": sp.Name})
	}
	return err
}

// Spaces lists the spaces the actor sees, open ones first.
func (a *App) Spaces(ctx context.Context, actor *Actor) ([]model.Space, error) {
	see, _, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(see))
	for id := range see {
		ids = append(ids, id)
	}
	list, err := a.st.Spaces(ctx, ids, false)
	slices.SortStableFunc(list, func(x, y model.Space) int {
		if x.Closed != y.Closed {
			if x.Closed {
				return 1
			}
			return -1
		}
		return 0
	})
	return list, err
}

// space reads a space the actor sees.
func (a *App) space(ctx context.Context, actor *Actor, id int64) (model.Space, error) {
	sp, err := a.st.Space(ctx, id)
	if err != nil {
		return sp, err
	}
	if err := a.seesArea(ctx, actor, sp.AreaID, "space", id); err != nil {
		return model.Space{}, err
	}
	return sp, nil
}

// SpaceByName finds a space the actor sees by its name.
func (a *App) SpaceByName(ctx context.Context, actor *Actor, name string) (model.Space, error) {
	list, err := a.Spaces(ctx, actor)
	if err != nil {
		return model.Space{}, err
	}
	if sp, ok := byName(list, name, func(sp model.Space) string { return sp.Name }); ok {
		return sp, nil
	}
	return model.Space{}, problem("space", "err.space.unknown", map[string]any{"Name": name})
}

// BookingInput is a booking as its form has it: a space, a day, a time,
// and a resident (by ID number) or an organisation.
type BookingInput struct {
	SpaceID      int64
	Day          string // any date ParseDate reads
	From, To     string // times of day
	IDNumber     string // the booking resident's
	Organisation string
	Contact      string
	Phone        string
	Purpose      string
	People       string
	Weeks        string // the same time weekly, this many weeks ("" once)
	activity     bool   // an activity's booking (AddActivity)
}

// maxWeeks is how far ahead a weekly booking reaches (half a year).
const maxWeeks = 26

// checkTimes reads a day and the times a booking or an activity starts and
// ends, the same day, in order and not before now; starts and ends are ""
// when they cannot be read.
func checkTimes(day, from, to string, now time.Time) (starts, ends string, ps Problems) {
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	d, okDay := ParseDate(day)
	if !okDay {
		add("day", "err.booking.day", map[string]any{"Value": day})
	}
	f, ok1 := ParseClock(from)
	if !ok1 {
		add("starts", "err.clock", map[string]any{"Value": from})
	}
	t, ok2 := ParseClock(to)
	if !ok2 {
		add("ends", "err.clock", map[string]any{"Value": to})
	}
	if !okDay || !ok1 || !ok2 {
		return "", "", ps
	}
	if f >= t {
		add("ends", "err.booking.order", map[string]any{"From": f})
		return "", "", ps
	}
	if d+" "+f < now.Format("2006-01-02 15:04") {
		add("day", "err.booking.past", nil)
	}
	return d + " " + f, d + " " + t, ps
}

// checkBooking validates a booking of a space for the actor; now is the
// desk's clock (a booking cannot start before it).
func (a *App) checkBooking(ctx context.Context, actor *Actor, sp model.Space, in BookingInput, now time.Time) (model.Booking, Problems) {
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	b := model.Booking{SpaceID: sp.ID, Purpose: strings.TrimSpace(in.Purpose), Organisation: strings.TrimSpace(in.Organisation),
		Contact: CleanName(in.Contact)}
	if sp.Closed {
		add("space", "err.space.closed", map[string]any{"Name": sp.Name})
	}
	if utf8.RuneCountInString(b.Purpose) > maxText {
		add("purpose", "err.appeal.toolong", map[string]any{"Max": maxText})
	}
	var tps Problems
	b.Starts, b.Ends, tps = checkTimes(in.Day, in.From, in.To, now)
	ps = append(ps, tps...)
	if b.Starts != "" && (b.Starts[11:] < sp.Opens || b.Ends[11:] > sp.Closes) {
		add("starts", "err.booking.hours", map[string]any{"Name": sp.Name, "Opens": sp.Opens, "Closes": sp.Closes})
	}
	n, err := strconv.Atoi(strings.TrimSpace(toHalfWidth(in.People)))
	switch {
	case strings.TrimSpace(in.People) == "":
		n = 1
	case err != nil || n < 1:
		add("people", "err.booking.people", map[string]any{"Value": in.People})
	case n > sp.Capacity:
		add("people", "err.booking.capacity", map[string]any{"Capacity": sp.Capacity, "Name": sp.Name})
	}
	b.People = n
	if p := strings.TrimSpace(in.Phone); p != "" {
		if b.Phone, err = phone.Normalize(p); err != nil {
			add("phone", "err.phone.invalid", nil)
		}
	}
	number := strings.TrimSpace(in.IDNumber)
	switch {
	case number != "" && b.Organisation != "":
		add("organisation", "err.booking.both", nil)
	case number != "":
		r, visible, ok, err := a.ResidentByIDNumber(ctx, actor, number)
		if err != nil || !ok || !visible {
			add("id_number", "err.booking.resident", nil)
			break
		}
		b.ResidentID, b.Grid = r.ID, r.GridID
		if b.Contact == "" {
			b.Contact = r.Name
		}
		if b.Phone == "" {
			b.Phone = r.Phone
		}
	case b.Organisation == "":
		add("organisation", "err.booking.who", nil)
	case in.activity: // the activity's own booking: its organisers are the office
	case b.Contact == "" || b.Phone == "":
		add("contact", "err.booking.contact", nil)
	}
	return b, ps
}

// BookSpace books a space: within its opening hours on one day, not in the
// past, for no more people than it holds, and not over another booking.
func (a *App) BookSpace(ctx context.Context, actor *Actor, in BookingInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	sp, err := a.space(ctx, actor, in.SpaceID)
	if err != nil {
		return 0, err
	}
	b, ps := a.checkBooking(ctx, actor, sp, in, a.Now())
	weeks := 1
	if w := strings.TrimSpace(toHalfWidth(in.Weeks)); w != "" {
		if n, err := strconv.Atoi(w); err != nil || n < 1 || n > maxWeeks {
			ps = append(ps, Problem{Field: "weeks", Key: "err.booking.weeks", Data: map[string]any{"Value": in.Weeks, "Max": maxWeeks}})
		} else {
			weeks = n
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	list := []model.Booking{b}
	for w := 1; w < weeks; w++ {
		next := b
		next.Starts, next.Ends = weeksLater(b.Starts, w), weeksLater(b.Ends, w)
		list = append(list, next)
	}
	ids, err := a.st.AddBookings(ctx, auditNote(actor.Account.Username, AuditBookingAdd, "", map[string]any{"space": sp.ID,
		"starts": b.Starts, "ends": b.Ends, "weeks": weeks}), actor.Account.ID, list)
	if err != nil {
		return 0, a.clashProblem(ctx, actor, err)
	}
	return ids[0], nil
}

// weeksLater is a YYYY-MM-DD HH:MM time w weeks on.
func weeksLater(at string, w int) string {
	t, err := time.Parse("2006-01-02 15:04", at)
	if err != nil {
		return at
	}
	return t.AddDate(0, 0, 7*w).Format("2006-01-02 15:04")
}

// clashProblem names the booking a refused one clashes with: an
// organisation, or a resident's surname (nothing of one outside the
// actor's grids).
func (a *App) clashProblem(ctx context.Context, actor *Actor, err error) error {
	var clash *model.ClashError
	if errors.As(err, &clash) {
		w := clash.With
		who := w.Organisation
		if who == "" {
			sc, _, serr := a.scopeOf(ctx, actor)
			if serr != nil {
				return serr
			}
			if who, _, _ = personSeen(sc, w.Grid, false, w.Contact, "", ""); who != HiddenName {
				who = MaskName(w.Contact)
			}
		}
		return problem("starts", "err.booking.clash", map[string]any{"Name": w.Space, "From": w.Starts, "To": w.Ends[11:], "Who": who})
	}
	return err
}

// CancelBooking cancels a booking that has not ended, with a reason.
func (a *App) CancelBooking(ctx context.Context, actor *Actor, id int64, reason string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	b, err := a.st.Booking(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.space(ctx, actor, b.SpaceID); err != nil {
		return err
	}
	switch {
	case b.ActivityID != 0:
		return problem("booking", "err.booking.activity", nil)
	case b.Cancelled != "":
		return problem("booking", "err.booking.cancelled", nil)
	case b.Ends < a.Now().Format("2006-01-02 15:04"):
		return problem("booking", "err.booking.over", nil)
	}
	err = a.st.CancelBooking(ctx, auditNote(actor.Account.Username, AuditBookingClose, fmt.Sprintf("booking:%d", id),
		map[string]any{"reason": strings.TrimSpace(reason)}), id, strings.TrimSpace(reason))
	if errors.Is(err, model.ErrConflict) {
		return problem("booking", "err.booking.cancelled", nil)
	}
	return err
}

// Bookings lists the standing bookings of spaces (none: all the actor
// sees) on the days from to to, by start. Phones are masked; of a
// resident outside the actor's grids nothing shows (personSeen).
func (a *App) Bookings(ctx context.Context, actor *Actor, spaces []int64, from, to string) ([]model.Booking, error) {
	fromDay, ok1 := ParseDate(from)
	toDay, ok2 := ParseDate(to)
	if !ok1 || !ok2 {
		return nil, problem("day", "err.booking.day", map[string]any{"Value": from + " " + to})
	}
	visible, err := a.Spaces(ctx, actor)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, sp := range visible {
		if len(spaces) == 0 || slices.Contains(spaces, sp.ID) {
			ids = append(ids, sp.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := a.st.Bookings(ctx, ids, fromDay, toDay, false)
	if err != nil {
		return nil, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil && !errors.Is(err, model.ErrForbidden) {
		return nil, err
	}
	for i := range list {
		b := &list[i]
		if b.ResidentID != 0 {
			b.Contact, _, b.Phone = personSeen(sc, b.Grid, false, b.Contact, "", b.Phone)
		} else {
			b.Phone = MaskPhone(b.Phone)
		}
	}
	return list, nil
}

// Week is the Monday to Sunday around a day.
func Week(day string) (from, to string) {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day, day
	}
	back := (int(t.Weekday()) + 6) % 7
	mon := t.AddDate(0, 0, -back)
	return mon.Format("2006-01-02"), mon.AddDate(0, 0, 6).Format("2006-01-02")
}

// SpaceUsage is each visible space's use on the days from to to: bookings,
// cancellations, hours and people booked, and the share of its opening
// hours booked.
func (a *App) SpaceUsage(ctx context.Context, actor *Actor, from, to string) ([]model.SpaceUse, error) {
	fromDay, ok1 := ParseDate(from)
	toDay, ok2 := ParseDate(to)
	if !ok1 || !ok2 || fromDay > toDay {
		return nil, problem("day", "err.booking.period", map[string]any{"From": from, "To": to})
	}
	spaces, err := a.Spaces(ctx, actor)
	if err != nil || len(spaces) == 0 {
		return nil, err
	}
	ids := make([]int64, len(spaces))
	for i, sp := range spaces {
		ids[i] = sp.ID
	}
	use, err := a.st.SpaceUse(ctx, ids, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	t0, _ := time.Parse("2006-01-02", fromDay)
	t1, _ := time.Parse("2006-01-02", toDay)
	days := int(t1.Sub(t0).Hours()/24) + 1
	out := make([]model.SpaceUse, len(spaces))
	for i, sp := range spaces {
		u := use[sp.ID]
		u.Space = sp
		u.Open = days * (ClockMinutes(sp.Closes) - ClockMinutes(sp.Opens))
		out[i] = u
	}
	return out, nil
}

// MaskName keeps a name's first character: 张**.
func MaskName(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	if size == 0 {
		return ""
	}
	return string(r) + strings.Repeat("*", max(1, utf8.RuneCountInString(name)-1))
}

// BookingWho is who booked, for lists: the organisation (and its contact),
// or the resident.
func BookingWho(b model.Booking) string {
	if b.Organisation != "" {
		if b.Contact != "" {
			return b.Organisation + "（" + b.Contact + "）"
		}
		return b.Organisation
	}
	return b.Contact
}

// SpaceAreas are the streets and communities whose spaces the actor keeps,
// for the space form's choice.
func (a *App) SpaceAreas(ctx context.Context, actor *Actor) ([]model.Area, error) {
	_, keep, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return nil, err
	}
	var out []model.Area
	for _, ar := range keep {
		if ar.Level != model.LevelGrid {
			out = append(out, ar)
		}
	}
	slices.SortFunc(out, func(x, y model.Area) int { return int(x.ID - y.ID) })
	return out, nil
}
