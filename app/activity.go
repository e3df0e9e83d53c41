package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
)

// 活动报名: activities of a street or community for a cohort; invitations
// from the cohort, sign-ups with a waiting list, check-in at the door,
// attendance counted and exported.

// Audit actions of activities.
const (
	AuditActivityAdd    = "activity.add"
	AuditActivityCancel = "activity.cancel"
	AuditActivityInvite = "activity.invite"
	AuditActivitySignUp = "activity.signup"
	AuditActivityDrop   = "activity.signup.cancel"
	AuditActivityCheck  = "activity.checkin"
)

// ActivityInput is an activity as its form has it.
type ActivityInput struct {
	AreaID   int64 // the street or community holding it
	Name     string
	Day      string
	From, To string
	SpaceID  int64  // a space booked for it; 0 for a place named
	Place    string // where, without a space
	Capacity string
	Cohort   string // the saved cohort it is for; "" anyone
	Note     string
}

// AddActivity adds an activity; held in a space, it books the space for
// its time (within its opening hours, for no more than it holds, not over
// another booking).
func (a *App) AddActivity(ctx context.Context, actor *Actor, in ActivityInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	_, keep, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return 0, err
	}
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	act := model.Activity{AreaID: in.AreaID, Name: strings.TrimSpace(in.Name), SpaceID: in.SpaceID, Place: strings.TrimSpace(in.Place),
		Note: strings.TrimSpace(in.Note)}
	if !keeps(keep, in.AreaID) {
		add("area", "err.activity.area", nil)
	}
	if utf8.RuneCountInString(act.Note) > maxText {
		add("note", "err.appeal.toolong", map[string]any{"Max": maxText})
	}
	switch n := utf8.RuneCountInString(act.Name); {
	case n == 0:
		add("activity_name", "err.activity.name", nil)
	case n > 60:
		add("activity_name", "err.activity.name_long", map[string]any{"Max": 60})
	}
	capacity, err := strconv.Atoi(strings.TrimSpace(toHalfWidth(in.Capacity)))
	if err != nil || capacity < 1 || capacity > 10000 {
		add("capacity", "err.space.capacity", map[string]any{"Value": in.Capacity})
	}
	act.Capacity = capacity
	if c := strings.TrimSpace(in.Cohort); c != "" {
		f, err := a.SavedCohort(ctx, actor, c)
		if err != nil {
			var p Problems
			if !errors.As(err, &p) {
				return 0, err
			}
			ps = append(ps, p...)
		}
		def, _ := json.Marshal(f)
		act.Cohort, act.CohortName = string(def), CleanCell(c)
	}
	var booking *model.Booking
	if in.SpaceID != 0 {
		sp, err := a.space(ctx, actor, in.SpaceID)
		if err != nil {
			return 0, err
		}
		b, bps := a.checkBooking(ctx, actor, sp, BookingInput{SpaceID: sp.ID, Day: in.Day, From: in.From, To: in.To, Organisation: act.Name,
			Contact: actor.Account.Username, Purpose: act.Name, People: strconv.Itoa(max(capacity, 1)), activity: true}, a.Now())
		for _, p := range bps {
			if p.Field == "people" { // the activity's capacity is the booking's people
				p.Field = "capacity"
			}
			if p.Field != "organisation" { // the name has its own problem
				ps = append(ps, p)
			}
		}
		booking = &b
		act.Starts, act.Ends, act.Place = b.Starts, b.Ends, sp.Name
	} else {
		var tps Problems
		act.Starts, act.Ends, tps = checkTimes(in.Day, in.From, in.To, a.Now())
		ps = append(ps, tps...)
		if act.Place == "" {
			add("location", "err.activity.place", nil)
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	id, err := a.st.AddActivity(ctx, auditNote(actor.Account.Username, AuditActivityAdd, "", map[string]any{"name": act.Name,
		"starts": act.Starts, "space": act.SpaceID}), actor.Account.ID, act, booking)
	return id, a.clashProblem(ctx, actor, err)
}

// activity reads an activity the actor sees.
func (a *App) activity(ctx context.Context, actor *Actor, id int64) (model.Activity, error) {
	act, err := a.st.Activity(ctx, id)
	if err != nil {
		return act, err
	}
	if err := a.seesArea(ctx, actor, act.AreaID, "activity", id); err != nil {
		return model.Activity{}, err
	}
	return act, nil
}

// Activity reads an activity with its counts.
func (a *App) Activity(ctx context.Context, actor *Actor, id int64) (model.Activity, error) {
	return a.activity(ctx, actor, id)
}

// Activities lists the activities the actor sees starting on the days
// from to to, by start.
func (a *App) Activities(ctx context.Context, actor *Actor, from, to string) ([]model.Activity, error) {
	fromDay, ok1 := ParseDate(from)
	toDay, ok2 := ParseDate(to)
	if !ok1 || !ok2 || fromDay > toDay {
		return nil, problem("day", "err.booking.period", map[string]any{"From": from, "To": to})
	}
	see, _, err := a.spaceAreas(ctx, actor)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(see))
	for id := range see {
		ids = append(ids, id)
	}
	return a.st.Activities(ctx, ids, false, fromDay, toDay)
}

// open refuses changes to people of an activity cancelled or over.
func (a *App) open(act model.Activity) error {
	switch {
	case act.Cancelled != "":
		return problem("activity", "err.activity.cancelled", map[string]any{"Name": act.Name})
	case act.Ends < a.Now().Format("2006-01-02 15:04"):
		return problem("activity", "err.activity.over", map[string]any{"Name": act.Name})
	}
	return nil
}

// Invite invites the activity's cohort: the residents of it living in the
// activity's area and the actor's grids; those in the activity already
// stay as they are. It returns how many were invited now.
func (a *App) Invite(ctx context.Context, actor *Actor, id int64) (int, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	act, err := a.activity(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	if err := a.open(act); err != nil {
		return 0, err
	}
	if act.Cohort == "" {
		return 0, problem("cohort", "err.activity.nocohort", map[string]any{"Name": act.Name})
	}
	var c CohortFilter
	if err := json.Unmarshal([]byte(act.Cohort), &c); err != nil {
		return 0, fmt.Errorf("app: activity %d's cohort: %w", id, err)
	}
	q, err := a.residentQuery(ctx, actor, ListFilter{AreaID: act.AreaID, Cohort: &c})
	if err != nil {
		return 0, err
	}
	ids, err := a.st.ResidentIDs(ctx, q)
	if err != nil {
		return 0, err
	}
	return a.st.Invite(ctx, auditNote(actor.Account.Username, AuditActivityInvite, fmt.Sprintf("activity:%d", id),
		map[string]any{"cohort": act.CohortName, "residents": len(ids)}), id, ids)
}

// attendee finds the resident named in the actor's grids.
func (a *App) attendee(ctx context.Context, actor *Actor, who Who) (model.Resident, error) {
	if who.none() {
		return model.Resident{}, pickedProblem("resident", who)
	}
	if who.ID == 0 {
		if _, err := idnumber.Parse(CleanCode(who.IDNumber)); err != nil { // a mistyped number is said as such
			return model.Resident{}, problem("id_number", idProblemKey(err), idProblemData(err))
		}
	}
	r, visible, ok, err := a.residentWho(ctx, actor, who)
	switch {
	case err != nil:
		return r, err
	case (!ok || !visible) && who.ID != 0:
		return r, pickedProblem("resident", who)
	case !ok || !visible:
		return r, problem("id_number", "err.booking.resident", nil)
	}
	return r, nil
}

// openFor reads an activity open to changes of its people and the resident
// named, for an actor who may write.
func (a *App) openFor(ctx context.Context, actor *Actor, id int64, who Who) (model.Activity, model.Resident, error) {
	if err := mayWrite(actor); err != nil {
		return model.Activity{}, model.Resident{}, err
	}
	act, err := a.activity(ctx, actor, id)
	if err != nil {
		return act, model.Resident{}, err
	}
	if err := a.open(act); err != nil {
		return act, model.Resident{}, err
	}
	r, err := a.attendee(ctx, actor, who)
	return act, r, err
}

// SignUp signs a resident up: a place while there is one,
// else the waiting list. It says which.
func (a *App) SignUp(ctx context.Context, actor *Actor, id int64, who Who) (model.Attendance, error) {
	act, r, err := a.openFor(ctx, actor, id, who)
	if err != nil {
		return "", err
	}
	state, err := a.st.SignUp(ctx, auditNote(actor.Account.Username, AuditActivitySignUp, fmt.Sprintf("activity:%d", id),
		map[string]any{"resident": r.ID}), id, r.ID, act.Capacity)
	if errors.Is(err, model.ErrConflict) {
		return state, problem("id_number", "err.activity.already."+string(state), map[string]any{"Name": r.Name})
	}
	return state, err
}

// CancelSignUp takes a resident off the activity; a place
// freed goes to the first waiting, whose name is returned ("" nobody).
func (a *App) CancelSignUp(ctx context.Context, actor *Actor, id int64, who Who) (string, error) {
	_, r, err := a.openFor(ctx, actor, id, who)
	if err != nil {
		return "", err
	}
	promoted, err := a.st.CancelSignUp(ctx, auditNote(actor.Account.Username, AuditActivityDrop, fmt.Sprintf("activity:%d", id),
		map[string]any{"resident": r.ID}), id, r.ID)
	if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrConflict) {
		return "", problem("id_number", "err.activity.notsigned", map[string]any{"Name": r.Name})
	}
	if err != nil || promoted == 0 {
		return "", err
	}
	p, err := a.st.Attendee(ctx, id, promoted)
	return p.Name, err
}

// CheckIn notes at the door that a resident with a place came, on the
// activity's day.
func (a *App) CheckIn(ctx context.Context, actor *Actor, id int64, who Who) (string, error) {
	if err := mayWrite(actor); err != nil {
		return "", err
	}
	act, err := a.activity(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if act.Cancelled != "" {
		return "", problem("activity", "err.activity.cancelled", map[string]any{"Name": act.Name})
	}
	if day := a.Now().Format("2006-01-02"); day != act.Starts[:10] {
		return "", problem("activity", "err.activity.checkin_day", map[string]any{"Name": act.Name, "Day": act.Starts[:10]})
	}
	r, err := a.attendee(ctx, actor, who)
	if err != nil {
		return "", err
	}
	err = a.st.CheckIn(ctx, auditNote(actor.Account.Username, AuditActivityCheck, fmt.Sprintf("activity:%d", id),
		map[string]any{"resident": r.ID}), id, r.ID)
	if errors.Is(err, model.ErrConflict) {
		p, perr := a.st.Attendee(ctx, id, r.ID)
		switch {
		case perr != nil || p.State == model.AttInvited || p.State == model.AttCancelled:
			return "", problem("id_number", "err.activity.notsigned", map[string]any{"Name": r.Name})
		case p.State == model.AttWaiting:
			return "", problem("id_number", "err.activity.waiting", map[string]any{"Name": r.Name})
		default:
			return "", problem("id_number", "err.activity.checked", map[string]any{"Name": r.Name, "At": localTime(p.CheckedIn)})
		}
	}
	return r.Name, err
}

// CancelActivity cancels an activity not yet over and frees its space.
func (a *App) CancelActivity(ctx context.Context, actor *Actor, id int64) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	act, err := a.activity(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := a.open(act); err != nil {
		return err
	}
	return a.st.CancelActivity(ctx, auditNote(actor.Account.Username, AuditActivityCancel, fmt.Sprintf("activity:%d", id), nil), id)
}

// Attendees lists an activity's people, ID numbers and phones masked; of a
// person outside the actor's grids nothing shows (personSeen). The list is
// audited as a list of residents shown.
func (a *App) Attendees(ctx context.Context, actor *Actor, id int64) ([]model.Attendee, error) {
	if _, err := a.activity(ctx, actor, id); err != nil {
		return nil, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	list, err := a.st.Attendees(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.audit(ctx, actor.Account.Username, AuditList, fmt.Sprintf("activity:%d", id), map[string]any{"rows": len(list)}); err != nil {
		return nil, err
	}
	for i := range list {
		p := &list[i]
		p.Name, p.IDNumber, p.Phone = personSeen(sc, p.Grid, false, p.Name, p.IDNumber, p.Phone)
	}
	return list, nil
}

// localTime shows a stored UTC time in the desk's zone, to the minute.
func localTime(rfc string) string {
	t, err := time.Parse(time.RFC3339Nano, rfc)
	if err != nil {
		return rfc
	}
	return t.Local().Format("2006-01-02 15:04")
}

// ActivityTotals sums the people of activities not cancelled: as many
// activities, places, sign-ups, waiting and check-ins.
func ActivityTotals(list []model.Activity) (total model.Activity, held int) {
	for _, act := range list {
		if act.Cancelled != "" {
			continue
		}
		held++
		total.Capacity += act.Capacity
		total.Signed += act.Signed
		total.Waiting += act.Waiting
		total.Invited += act.Invited
		total.CheckedIn += act.CheckedIn
	}
	return total, held
}

// AttendanceRate is those who came of those with a place, in percent.
func AttendanceRate(act model.Activity) float64 { return Rate(act.CheckedIn, act.Signed) }

// attendanceNames are the states as an exported list names them.
var attendanceNames = map[model.Attendance]string{model.AttSigned: "已报名", model.AttWaiting: "候补", model.AttInvited: "已邀请",
	model.AttCancelled: "已取消"}

// ActivityHeader is the layout of an activity's list of people.
var ActivityHeader = []string{"序号", "姓名", "公民身份号码", "联系电话", "状态", "报名时间", "签到时间"}

// ExportActivity writes an activity's people (signed up, waiting, invited,
// cancelled), ID numbers and phones masked unless revealed with a reason;
// it needs the export permission and is audited. Residents outside the
// actor's grids are left out.
func (a *App) ExportActivity(ctx context.Context, actor *Actor, id int64, path string, reveal bool, reason string) (int, error) {
	if err := mayExport(actor, "activity", path, reveal, reason); err != nil {
		return 0, err
	}
	act, err := a.activity(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return 0, err
	}
	list, err := a.st.Attendees(ctx, id)
	if err != nil {
		return 0, err
	}
	title := fmt.Sprintf("%s %s–%s（报名 %d，候补 %d，签到 %d）", act.Name, act.Starts, act.Ends[11:], act.Signed, act.Waiting, act.CheckedIn)
	// Only the people of the actor's grids: the workbook states its rows first.
	list = slices.DeleteFunc(list, func(p model.Attendee) bool { return !inScope(sc, p.Grid) })
	w, err := listWriter(path, ActivityHeader, xlsxwrite.Options{Sheet: "活动名单", Title: title, Rows: len(list), Creator: actor.Account.Username})
	if err != nil {
		return 0, err
	}
	seq := 0
	for _, p := range list {
		seq++
		number, ph := p.IDNumber, p.Phone
		if !reveal {
			number, ph = MaskIDNumber(number), MaskPhone(ph)
		}
		signed, in := "", ""
		if p.Signed != "" {
			signed = localTime(p.Signed)
		}
		if p.CheckedIn != "" {
			in = localTime(p.CheckedIn)
		}
		if err := w.Row([]string{strconv.Itoa(seq), p.Name, number, ph, attendanceNames[p.State], signed, in}); err != nil {
			w.Abort()
			return 0, err
		}
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return seq, a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "activity", "activity": id,
		"reveal": reveal, "reason": reason, "rows": seq})
}
