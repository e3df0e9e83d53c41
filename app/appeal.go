package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"shequ/app/model"
	"shequ/app/phone"
)

// Audit actions of appeals.
const (
	AuditAppealAdd  = "appeal.add"
	AuditAppealStep = "appeal.step"
	AuditAppealView = "appeal.view"
	// AuditAppealCatAdd and AuditAppealCatEdit are a category added or
	// its name or deadlines changed.
	AuditAppealCatAdd  = "appeal.category.add"
	AuditAppealCatEdit = "appeal.category.edit"
)

// AppealInput is an appeal as it is taken in.
type AppealInput struct {
	Channel  model.Channel
	Category string // a category's name
	Content  string
	Urgency  model.Urgency // "" is normal
	// The reporter: a resident chosen (by id) or by ID number, or a name
	// and a phone.
	ReporterID       int64
	ReporterIDNumber string
	ReporterName     string
	ReporterPhone    string
	// The place: a house, a compound, or words; grid when none says one.
	HouseID    int64
	CompoundID int64
	Place      string
	GridID     int64
	Photos     map[string][]byte
	ExternalNo string    // a 12345 order's number
	Received   time.Time // zero: now
}

// maxAppealText is the longest content, reply or comment taken; a photo is
// at most maxPhotoBytes, and an appeal has at most maxPhotos.
const (
	maxAppealText = maxText
	maxPhotoBytes = 5 << 20
	maxPhotos     = 9
)

// isPhoto tells a JPEG or PNG by its first bytes.
func isPhoto(b []byte) bool {
	return len(b) > 8 && (b[0] == 0xFF && b[1] == 0xD8 || string(b[1:4]) == "PNG")
}

// TakeAppeal records an appeal (受理登记) with its deadlines and returns its
// number.
func (a *App) TakeAppeal(ctx context.Context, actor *Actor, in AppealInput) (int64, error) {
	ck, err := a.appealChecker(ctx, actor)
	if err != nil {
		return 0, err
	}
	ap, ps := ck.check(ctx, in)
	if len(ps) > 0 {
		return 0, ps
	}
	id, err := a.st.CreateAppeal(ctx, auditNote(actor.Account.Username, AuditAppealAdd, "appeal:%d",
		map[string]any{"channel": ap.Channel, "category": ap.Category, "external": ap.ExternalNo}), ap, in.Photos)
	if errors.Is(err, model.ErrConflict) && ap.ExternalNo != "" {
		return 0, problem("external", "err.appeal.duplicate", map[string]any{"No": ap.ExternalNo})
	}
	return id, err
}

// appealChecker holds what checking an appeal needs, read once for many
// (a 12345 export's rows).
type appealChecker struct {
	a     *App
	actor *Actor
	sc    model.Scope
	cats  []model.AppealCategory
	cal   Calendar
}

func (a *App) appealChecker(ctx context.Context, actor *Actor) (*appealChecker, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	if err := mayWrite(actor); err != nil {
		return nil, err
	}
	ck := &appealChecker{a: a, actor: actor, sc: sc}
	if ck.cats, err = a.st.AppealCategories(ctx); err != nil {
		return nil, err
	}
	if ck.cal, err = a.Calendar(ctx); err != nil {
		return nil, err
	}
	return ck, nil
}

// check is the one validation of an appeal taken in: the appeal to write
// with its grid and deadlines, or the problems.
func (ck *appealChecker) check(ctx context.Context, in AppealInput) (model.Appeal, Problems) {
	var ps Problems
	content, cat := ck.checkText(&in, &ps)
	ap := model.Appeal{Channel: in.Channel, Content: content, Urgency: in.Urgency, CreatedBy: ck.actor.Account.ID,
		ExternalNo: strings.TrimSpace(in.ExternalNo), GridID: in.GridID, Place: strings.TrimSpace(in.Place)}
	ck.reporter(ctx, in, &ap, &ps)
	ck.place(ctx, in, &ap, &ps)
	if len(in.Photos) > maxPhotos {
		ps.add("photos", "err.appeal.photos", map[string]any{"Max": maxPhotos})
	}
	for name, data := range in.Photos {
		if len(data) > maxPhotoBytes || !isPhoto(data) {
			ps.add("photos", "err.appeal.photo", map[string]any{"Name": name, "MB": maxPhotoBytes >> 20})
		}
	}
	if len(ps) > 0 {
		return ap, ps
	}
	ck.deadlines(in, cat, &ap)
	return ap, nil
}

// checkText checks the channel, urgency (normal when not given), content
// and category, and returns the content trimmed and the category found.
func (ck *appealChecker) checkText(in *AppealInput, ps *Problems) (string, model.AppealCategory) {
	if !slices.Contains(model.Channels, in.Channel) {
		ps.add("channel", "err.appeal.channel", nil)
	}
	if in.Urgency == "" {
		in.Urgency = model.UrgencyNormal
	}
	if in.Urgency != model.UrgencyNormal && in.Urgency != model.UrgencyUrgent {
		ps.add("urgency", "err.appeal.urgency", nil)
	}
	content := strings.TrimSpace(in.Content)
	if content == "" {
		ps.add("content", "err.appeal.content", nil)
	} else if utf8.RuneCountInString(content) > maxAppealText {
		ps.add("content", "err.appeal.toolong", map[string]any{"Max": maxAppealText})
	}
	i := slices.IndexFunc(ck.cats, func(c model.AppealCategory) bool { return c.Name == strings.TrimSpace(in.Category) })
	switch {
	case strings.TrimSpace(in.Category) == "":
		ps.add("category", "err.appeal.nocategory", nil)
	case i < 0:
		ps.add("category", "err.appeal.category", map[string]any{"Name": in.Category})
	default:
		return content, ck.cats[i]
	}
	return content, model.AppealCategory{}
}

// reporter fills the reporter: a registered resident (their grid the
// appeal's unless given), or a name and phone.
func (ck *appealChecker) reporter(ctx context.Context, in AppealInput, ap *model.Appeal, ps *Problems) {
	if who := (Who{ID: in.ReporterID, IDNumber: in.ReporterIDNumber}); !who.none() {
		r, visible, ok, err := ck.a.residentWho(ctx, ck.actor, who)
		switch {
		case (err != nil || !ok || !visible) && who.ID != 0:
			ps.add("reporter", "err.picked.gone", nil)
		case err != nil || !ok || !visible:
			ps.add("reporter", "err.appeal.reporter", nil)
		default:
			ap.ReporterID, ap.ReporterName, ap.ReporterPhone = r.ID, r.Name, r.Phone
			if ap.GridID == 0 {
				ap.GridID = r.GridID
			}
		}
		return
	}
	ap.ReporterName = strings.TrimSpace(in.ReporterName)
	if p := strings.TrimSpace(in.ReporterPhone); p != "" {
		var err error
		if ap.ReporterPhone, err = phone.Normalize(p); err != nil {
			ps.add("phone", "err.phone.invalid", nil)
		}
	}
	if ap.ReporterName == "" {
		ps.add("reporter", "err.appeal.noreporter", nil)
	}
}

// place fills the house or compound, which decide the grid, and checks
// the grid is the actor's.
func (ck *appealChecker) place(ctx context.Context, in AppealInput, ap *model.Appeal, ps *Problems) {
	switch {
	case in.HouseID != 0:
		addr, err := ck.a.House(ctx, ck.actor, in.HouseID)
		if err != nil {
			ps.add("place", "err.appeal.place", nil)
		} else {
			ap.HouseID, ap.GridID, ap.Place = in.HouseID, addr.GridID, FormatAddress(addr)
		}
	case in.CompoundID != 0:
		names, err := ck.a.st.CompoundNames(ctx, []int64{in.CompoundID})
		if err != nil || names[in.CompoundID] == "" {
			ps.add("place", "err.appeal.place", nil)
		} else {
			ap.CompoundID = in.CompoundID
			if ap.Place == "" {
				ap.Place = names[in.CompoundID]
			}
		}
	}
	sc := ck.sc
	if ap.GridID == 0 && len(sc.Grids) == 1 {
		ap.GridID = sc.Grids[0]
	}
	if ap.GridID == 0 && !sc.All || ap.GridID != 0 && !inScope(sc, ap.GridID) {
		ps.add("grid", "err.appeal.grid", nil)
	}
}

// deadlines sets the category and the three deadlines, in working days
// from the day it was received (urgent ones by the urgent limits).
func (ck *appealChecker) deadlines(in AppealInput, c model.AppealCategory, ap *model.Appeal) {
	ap.CategoryID, ap.Category = c.ID, c.Name
	received := in.Received
	if received.IsZero() {
		received = time.Now()
	}
	ap.ReceivedAt = received.Format(time.RFC3339)
	acc, ans, cl := c.AcceptDays, c.AnswerDays, c.CloseDays
	if ap.Urgency == model.UrgencyUrgent {
		acc, ans, cl = c.UrgentAccept, c.UrgentAnswer, c.UrgentClose
	}
	day := time.Date(received.Year(), received.Month(), received.Day(), 0, 0, 0, 0, time.UTC)
	ap.DueAccept = ck.cal.AddWorkdays(day, acc).Format("2006-01-02")
	ap.DueAnswer = ck.cal.AddWorkdays(day, ans).Format("2006-01-02")
	ap.DueClose = ck.cal.AddWorkdays(day, cl).Format("2006-01-02")
}

// StepInput is a step of an appeal's handling and what it needs.
type StepInput struct {
	Action       model.AppealAction
	Comment      string
	Assignee     string // reassign: the account's username
	Days         int    // extend: working days added to the open deadlines
	Reply        string // answer
	Method       model.ReplyMethod
	Satisfaction model.Satisfaction // close
}

// steps says from which statuses an action may be taken and where it
// leads ("" stays).
var steps = map[model.AppealAction]struct {
	from []model.AppealStatus
	to   model.AppealStatus
}{
	model.ActAccept:   {[]model.AppealStatus{model.AppealPending}, model.AppealAccepted},
	model.ActStart:    {[]model.AppealStatus{model.AppealAccepted}, model.AppealProcessing},
	model.ActAnswer:   {[]model.AppealStatus{model.AppealAccepted, model.AppealProcessing}, model.AppealAnswered},
	model.ActClose:    {[]model.AppealStatus{model.AppealAnswered}, model.AppealClosed},
	model.ActReassign: {[]model.AppealStatus{model.AppealPending, model.AppealAccepted, model.AppealProcessing}, ""},
	model.ActReturn:   {[]model.AppealStatus{model.AppealAccepted, model.AppealProcessing}, model.AppealPending},
	model.ActExtend:   {[]model.AppealStatus{model.AppealPending, model.AppealAccepted, model.AppealProcessing, model.AppealAnswered}, ""},
	model.ActReopen:   {[]model.AppealStatus{model.AppealAnswered, model.AppealClosed}, model.AppealProcessing},
}

// StepActions are the actions in the order a screen offers them.
var StepActions = []model.AppealAction{model.ActAccept, model.ActStart, model.ActAnswer, model.ActClose,
	model.ActReassign, model.ActReturn, model.ActExtend, model.ActReopen}

// Allowed lists the actions an appeal in a status can take.
func Allowed(s model.AppealStatus) []model.AppealAction {
	var out []model.AppealAction
	for _, act := range StepActions {
		if slices.Contains(steps[act].from, s) {
			out = append(out, act)
		}
	}
	return out
}

// ActionTo is the action that takes an appeal from a status to another
// (已受理, 处理中, 已答复, 已办结); when none does from there, the one that
// leads there from elsewhere, which AdvanceAppeal then refuses with the
// reason; "" when nothing leads there.
func ActionTo(from, to model.AppealStatus) model.AppealAction {
	var other model.AppealAction
	for _, act := range StepActions {
		st := steps[act]
		if st.to == to && slices.Contains(st.from, from) {
			return act
		}
		if st.to == to && other == "" {
			other = act
		}
	}
	return other
}

// appealFor reads an appeal the actor may see: in their grids or assigned
// to them.
func (a *App) appealFor(ctx context.Context, actor *Actor, id int64) (model.Appeal, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.Appeal{}, err
	}
	ap, err := a.st.Appeal(ctx, id)
	if err != nil {
		return ap, err
	}
	if !inScope(sc, ap.GridID) && ap.AssigneeID != actor.Account.ID {
		return model.Appeal{}, fmt.Errorf("app: appeal %d: %w", id, model.ErrForbidden)
	}
	return ap, nil
}

// AdvanceAppeal takes a step; one the appeal's status does not allow, or
// without what it needs (a reply, a reason, a verdict), is refused with
// the reason.
func (a *App) AdvanceAppeal(ctx context.Context, actor *Actor, id int64, in StepInput) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	old, err := a.appealFor(ctx, actor, id)
	if err != nil {
		return err
	}
	st, known := steps[in.Action]
	if !known {
		return problem("action", "err.appeal.action", nil)
	}
	if !slices.Contains(st.from, old.Status) {
		return problem("action", "err.appeal.step", map[string]any{"Status": string(old.Status), "Action": string(in.Action)})
	}
	comment := strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(comment) > maxAppealText {
		return problem("comment", "err.appeal.toolong", map[string]any{"Max": maxAppealText})
	}
	ap := old
	stamp := time.Now().Format(time.RFC3339)
	if st.to != "" {
		ap.Status = st.to
	}
	switch in.Action {
	case model.ActAccept:
		ap.AcceptedAt = stamp
		if ap.AssigneeID == 0 {
			ap.AssigneeID = actor.Account.ID
		}
	case model.ActAnswer:
		reply := strings.TrimSpace(in.Reply)
		if reply == "" || !slices.Contains(model.ReplyMethods, in.Method) {
			return problem("reply", "err.appeal.reply", nil)
		}
		if utf8.RuneCountInString(reply) > maxAppealText {
			return problem("reply", "err.appeal.toolong", map[string]any{"Max": maxAppealText})
		}
		ap.Reply, ap.ReplyMethod, ap.AnsweredAt = reply, in.Method, stamp
	case model.ActClose:
		if !slices.Contains(model.Satisfactions, in.Satisfaction) {
			return problem("satisfaction", "err.appeal.satisfaction", nil)
		}
		ap.Satisfaction, ap.ClosedAt = in.Satisfaction, stamp
	case model.ActReassign:
		to, err := a.st.AccountByName(ctx, strings.TrimSpace(in.Assignee))
		if err != nil || to.Disabled {
			return problem("assignee", "err.appeal.assignee", map[string]any{"Name": in.Assignee})
		}
		ap.AssigneeID = to.ID
		comment = strings.TrimSpace(to.Username + " " + comment)
	case model.ActReturn, model.ActReopen:
		if comment == "" {
			return problem("comment", "err.appeal.reason", nil)
		}
		if in.Action == model.ActReturn {
			ap.AcceptedAt, ap.AssigneeID = "", 0
		} else {
			ap.AnsweredAt, ap.ClosedAt, ap.Satisfaction = "", "", ""
		}
	case model.ActExtend:
		if comment == "" {
			return problem("comment", "err.appeal.reason", nil)
		}
		if in.Days < 1 || in.Days > 60 {
			return problem("days", "err.appeal.days", nil)
		}
		cal, err := a.Calendar(ctx)
		if err != nil {
			return err
		}
		later := func(due string) string {
			d, _ := time.Parse("2006-01-02", due)
			return cal.AddWorkdays(d, in.Days).Format("2006-01-02")
		}
		if ap.AcceptedAt == "" {
			ap.DueAccept = later(ap.DueAccept)
		}
		if ap.AnsweredAt == "" {
			ap.DueAnswer = later(ap.DueAnswer)
		}
		ap.DueClose = later(ap.DueClose)
		comment = fmt.Sprintf("+%d %s", in.Days, comment)
	}
	return a.st.AdvanceAppeal(ctx, auditNote(actor.Account.Username, AuditAppealStep, "appeal:%d",
		map[string]any{"action": in.Action, "from": old.Status, "to": ap.Status}), actor.Account.ID, old, ap, in.Action, comment)
}

// Due is how an appeal stands against its next deadline.
type Due int

// Due marks.
const (
	DueNone Due = iota // closed, or the deadline is more than a working day away
	DueSoon            // the deadline is today or the next working day (yellow)
	DueOver            // past the deadline (red)
)

// NextDue is the deadline an appeal has to meet next ("" when closed).
func NextDue(ap model.Appeal) string {
	switch ap.Status {
	case model.AppealPending:
		return ap.DueAccept
	case model.AppealAccepted, model.AppealProcessing:
		return ap.DueAnswer
	case model.AppealAnswered:
		return ap.DueClose
	}
	return ""
}

// ShownDue is what an appeal's 期限 column shows: the deadline it has to
// meet next, or for a closed one the day it was closed.
func ShownDue(ap model.Appeal) string {
	if ap.Status == model.AppealClosed {
		if t, err := time.Parse(time.RFC3339, ap.ClosedAt); err == nil {
			return t.Local().Format("2006-01-02")
		}
	}
	return NextDue(ap)
}

// Mark says how an appeal stands against its next deadline on a day.
func (c Calendar) Mark(ap model.Appeal, today time.Time) Due {
	due := NextDue(ap)
	if due == "" {
		return DueNone
	}
	t := today.Format("2006-01-02")
	switch {
	case t > due:
		return DueOver
	case t == due || c.AddWorkdays(today, 1).Format("2006-01-02") >= due:
		return DueSoon
	}
	return DueNone
}

// AppealFilter is what the appeals list shows.
type AppealFilter struct {
	Todo       bool // 我的待办: open ones assigned to the actor, and unassigned pending ones of their grids
	AreaID     int64
	Statuses   []model.AppealStatus
	CategoryID int64
	Channel    model.Channel
	Overdue    bool
	From, To   string
}

// AppealRow is an appeal as a list shows it: reporter's phone masked, and
// its deadline mark.
type AppealRow struct {
	model.Appeal
	Due     string // ShownDue
	Mark    Due
	GridRef string // the grid's name
}

// maxAppealRows bounds a list; filters narrow it.
const maxAppealRows = 5000

// Appeals lists appeals, the overdue first, then those due soon, then by
// deadline.
func (a *App) Appeals(ctx context.Context, actor *Actor, f AppealFilter) ([]AppealRow, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	grids, all := narrow(sc, areas, f.AreaID)
	q := model.AppealQuery{Grids: grids, AllGrids: all, Mine: actor.Account.ID, Statuses: f.Statuses, CategoryID: f.CategoryID,
		Channel: f.Channel, Limit: maxAppealRows}
	if f.AreaID != 0 {
		q.Mine = 0
	}
	if f.From != "" {
		if q.From, _ = ParseDate(f.From); q.From == "" {
			return nil, problem("from", "err.date.invalid", nil)
		}
	}
	if f.To != "" {
		if q.To, _ = ParseDate(f.To); q.To == "" {
			return nil, problem("to", "err.date.invalid", nil)
		}
	}
	if f.Todo {
		q.Statuses = []model.AppealStatus{model.AppealPending, model.AppealAccepted, model.AppealProcessing, model.AppealAnswered}
	}
	list, err := a.st.Appeals(ctx, q)
	if err != nil {
		return nil, err
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, ar := range areas {
		names[ar.ID] = ar.Name
	}
	today := a.Now()
	var out []AppealRow
	for _, ap := range list {
		if f.Todo && ap.AssigneeID != actor.Account.ID && !(ap.AssigneeID == 0 && ap.Status == model.AppealPending) {
			continue
		}
		r := AppealRow{Appeal: ap, Due: ShownDue(ap), Mark: cal.Mark(ap, today), GridRef: names[ap.GridID]}
		if f.Overdue && r.Mark != DueOver {
			continue
		}
		r.ReporterPhone = MaskPhone(r.ReporterPhone)
		out = append(out, r)
	}
	// The overdue first, the most overdue of them first; then those due
	// soon; then by deadline; closed ones last, newest first.
	slices.SortStableFunc(out, func(x, y AppealRow) int {
		if x.Mark != y.Mark {
			return int(y.Mark) - int(x.Mark)
		}
		xc, yc := x.Status == model.AppealClosed, y.Status == model.AppealClosed
		switch {
		case xc != yc:
			return map[bool]int{true: 1, false: -1}[xc]
		case xc:
			return strings.Compare(y.Due, x.Due)
		}
		return strings.Compare(x.Due, y.Due)
	})
	return out, nil
}

// AppealDetail is an appeal with its timeline and photos.
type AppealDetail struct {
	AppealRow
	Steps   []model.AppealStep
	Photos  map[string][]byte
	Allowed []model.AppealAction
}

// AppealDetail opens an appeal (the opening is audited: it shows the
// reporter).
func (a *App) AppealDetail(ctx context.Context, actor *Actor, id int64) (*AppealDetail, error) {
	ap, err := a.appealFor(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	d := &AppealDetail{AppealRow: AppealRow{Appeal: ap, Due: ShownDue(ap), Mark: cal.Mark(ap, a.Now())}}
	d.ReporterPhone = MaskPhone(d.ReporterPhone)
	if d.Steps, err = a.st.AppealSteps(ctx, id); err != nil {
		return nil, err
	}
	if d.Photos, err = a.st.AppealPhotos(ctx, id); err != nil {
		return nil, err
	}
	if actor.Account.Role != model.RoleLeader {
		d.Allowed = Allowed(ap.Status)
	}
	return d, a.audit(ctx, actor.Account.Username, AuditAppealView, fmt.Sprintf("appeal:%d", id), nil)
}

// AppealCategories lists the categories with their deadlines.
func (a *App) AppealCategories(ctx context.Context) ([]model.AppealCategory, error) {
	return a.st.AppealCategories(ctx)
}

// SaveAppealCategory adds (ID 0) or changes a category; administrators
// and community workers keep the list.
func (a *App) SaveAppealCategory(ctx context.Context, actor *Actor, c model.AppealCategory) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	if actor.Account.Role == model.RoleGrid {
		return 0, model.ErrForbidden
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 20 {
		return 0, problem("name", "err.appeal.catname", nil)
	}
	for _, d := range []int{c.AcceptDays, c.AnswerDays, c.CloseDays, c.UrgentAccept, c.UrgentAnswer, c.UrgentClose} {
		if d < 0 || d > 60 {
			return 0, problem("days", "err.appeal.days", nil)
		}
	}
	action := AuditAppealCatAdd
	if c.ID != 0 {
		action = AuditAppealCatEdit
	}
	// The deadlines decide which appeals are late: who changed them is kept.
	id, err := a.st.SaveAppealCategory(ctx, auditNote(actor.Account.Username, action, "appeal_category:%d", map[string]any{
		"name": c.Name, "days": []int{c.AcceptDays, c.AnswerDays, c.CloseDays}, "urgent_days": []int{c.UrgentAccept, c.UrgentAnswer, c.UrgentClose}}), c)
	if errors.Is(err, model.ErrConflict) {
		return 0, problem("name", "err.appeal.cattaken", map[string]any{"Name": c.Name})
	}
	return id, err
}

// LocalTime shows an RFC 3339 time as 2026-11-29 09:30, local.
func LocalTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Local().Format("2006-01-02 15:04")
}
