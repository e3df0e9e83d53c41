package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/app/phone"
)

// 到访登记: visitors registered at a compound's gate, searched and
// exported by day, compound and person.

// Audit actions of visits.
const (
	AuditVisit      = "visit.add"
	AuditVisitLeave = "visit.leave"
	// AuditVisitorLookUp is the gate form's look-up of an ID number.
	AuditVisitorLookUp = "visit.lookup"
)

// VisitInput is a visitor as the gate's form has it.
type VisitInput struct {
	CompoundID int64
	House      string // the visited house in the compound: 3栋2单元501, 3-2-501; "" for the compound alone
	Name       string
	IDNumber   string
	Phone      string
	Reason     string
	Health     string
	TimeIn     string // YYYY-MM-DD HH:MM; "" is now
}

// visitTime reads a time as the gate writes it: 2026-11-29 08:30,
// 2026/11/29 8:30, or a day alone (its midnight).
func visitTime(s string) (string, bool) {
	s = strings.TrimSpace(toHalfWidth(s))
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006/1/2 15:04", "2006/1/2 15:04:05", "2006-1-2 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t.Format("2006-01-02 15:04"), true
		}
	}
	if d, ok := ParseDate(s); ok {
		return d + " 00:00", true
	}
	return "", false
}

// now is the gate's clock, to the minute.
func (a *App) visitNow() string { return a.Now().Format("2006-01-02 15:04") }

// visitScope is the query's part of an actor's areas: a visit to a house
// is seen by those of its grid, one to a compound alone by those of its
// community.
func (a *App) visitScope(ctx context.Context, actor *Actor) (model.VisitQuery, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.VisitQuery{}, err
	}
	q := model.VisitQuery{All: sc.All, Grids: sc.Grids}
	comm := map[int64]bool{}
	for _, ar := range areas {
		if ar.Level == model.LevelGrid && inScope(sc, ar.ID) && !comm[ar.ParentID] {
			comm[ar.ParentID] = true
			q.Communities = append(q.Communities, ar.ParentID)
		}
	}
	return q, nil
}

// houseFinder lists houses of compound c among which is the one the
// parsed address q names (q.Compound is c's name): the store's search for
// the form, the compound's houses read once for an import.
type houseFinder func(ctx context.Context, c model.Compound, q model.AddressQuery) ([]model.Address, error)

// findHouses is the form's houseFinder.
func (a *App) findHouses(ctx context.Context, _ model.Compound, q model.AddressQuery) ([]model.Address, error) {
	return a.st.FindHouses(ctx, q, 20)
}

// checkVisit validates a visit for a compound the actor may see and finds
// its house, as the form and the import both do.
func (a *App) checkVisit(ctx context.Context, in VisitInput, compounds map[int64]model.Compound, find houseFinder) (model.Visit, Problems) {
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	v := model.Visit{CompoundID: in.CompoundID, Name: CleanName(in.Name), Reason: strings.TrimSpace(in.Reason),
		Health: strings.TrimSpace(in.Health)}
	if p, err := phone.Normalize(in.Phone); err != nil {
		add("phone", "err.phone.invalid", nil)
	} else {
		v.Phone = p
	}
	c, ok := compounds[in.CompoundID]
	if !ok {
		add("compound", "err.visit.compound", nil)
	}
	v.CommunityID = c.CommunityID
	if id := CleanCode(in.IDNumber); id != "" {
		if info, err := idnumber.ParseAt(id, a.Now()); err != nil {
			add("id_number", idProblemKey(err), idProblemData(err))
		} else {
			v.IDNumber = info.Number
		}
	}
	if v.Name == "" {
		add("name", "err.name.required", nil)
	}
	if v.TimeIn = a.visitNow(); strings.TrimSpace(in.TimeIn) != "" {
		if v.TimeIn, ok = visitTime(in.TimeIn); !ok {
			add("time_in", "err.visit.time", map[string]any{"Value": in.TimeIn})
		}
	}
	if house := strings.TrimSpace(in.House); house != "" && c.ID != 0 {
		q, ok := ParseAddress(c.Name + house)
		if !ok {
			q, ok = ParseAddress(house)
		}
		var found []model.Address
		if ok {
			q.Compound = c.Name
			var err error
			if found, err = find(ctx, c, q); err != nil {
				add("visited_house", "err.visit.house", map[string]any{"Value": house})
			}
		}
		for _, h := range found {
			if h.Compound == c.Name && h.Room == q.Room && (q.Building == "" || h.Building == q.Building) && (q.Unit == "" || h.Unit == q.Unit) {
				v.HouseID, v.GridID = h.HouseID, h.GridID
				break
			}
		}
		if v.HouseID == 0 {
			add("visited_house", "err.visit.house", map[string]any{"Value": house, "Compound": c.Name})
		}
	}
	return v, ps
}

// visibleCompounds are the compounds the actor may register visits at.
func (a *App) visibleCompounds(ctx context.Context, actor *Actor) (map[int64]model.Compound, error) {
	list, err := a.Compounds(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]model.Compound, len(list))
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// RegisterVisit registers a visitor at a compound's gate.
func (a *App) RegisterVisit(ctx context.Context, actor *Actor, in VisitInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	compounds, err := a.visibleCompounds(ctx, actor)
	if err != nil {
		return 0, err
	}
	v, ps := a.checkVisit(ctx, in, compounds, a.findHouses)
	if len(ps) > 0 {
		return 0, ps
	}
	if v.Phone == "" && v.IDNumber != "" {
		// The form showed a known phone masked and left the field empty.
		k, err := a.knownVisitor(ctx, actor, v.IDNumber)
		if err != nil {
			return 0, err
		}
		v.Phone = k.Phone
	}
	ids, err := a.st.AddVisits(ctx, auditNote(actor.Account.Username, AuditVisit, "", map[string]any{"compound": v.CompoundID}),
		actor.Account.ID, []model.Visit{v})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// LeaveVisit notes that a visitor went out now (or at a time given).
func (a *App) LeaveVisit(ctx context.Context, actor *Actor, id int64, at string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	v, err := a.visit(ctx, actor, id)
	if err != nil {
		return err
	}
	out := a.visitNow()
	if strings.TrimSpace(at) != "" {
		var ok bool
		if out, ok = visitTime(at); !ok {
			return problem("time_out", "err.visit.time", map[string]any{"Value": at})
		}
	}
	if out < v.TimeIn {
		return problem("time_out", "err.visit.out_before_in", map[string]any{"In": v.TimeIn})
	}
	err = a.st.LeaveVisit(ctx, auditNote(actor.Account.Username, AuditVisitLeave, fmt.Sprintf("visit:%d", id), nil), id, out)
	if errors.Is(err, model.ErrConflict) {
		return problem("time_out", "err.visit.left", nil)
	}
	return err
}

// visit reads a visit the actor may see.
func (a *App) visit(ctx context.Context, actor *Actor, id int64) (model.Visit, error) {
	q, err := a.visitScope(ctx, actor)
	if err != nil {
		return model.Visit{}, err
	}
	v, err := a.st.Visit(ctx, id)
	if err != nil {
		return v, err
	}
	if !q.All && !(v.GridID != 0 && containsID(q.Grids, v.GridID) || v.GridID == 0 && containsID(q.Communities, v.CommunityID)) {
		return model.Visit{}, fmt.Errorf("app: visit %d: %w", id, model.ErrForbidden)
	}
	return v, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// KnownVisitor is who an ID number is, for the gate's form.
type KnownVisitor struct {
	Found  bool
	Name   string
	Phone  string
	Masked bool // Phone is masked: a form leaves its box empty, and the visit registered takes the known phone
}

// Visitor is who an ID number is, for the gate's form: the name and phone
// it came with at the last visit the actor may see, else a resident of the
// actor's grids. The phone is masked unless the account may reveal, and
// the look-up is audited.
func (a *App) Visitor(ctx context.Context, actor *Actor, number string) (KnownVisitor, error) {
	info, perr := idnumber.Parse(CleanCode(number))
	if perr != nil {
		return KnownVisitor{}, nil
	}
	k, err := a.knownVisitor(ctx, actor, info.Number)
	if err != nil {
		return KnownVisitor{}, err
	}
	reveal := actor.Account.CanReveal && k.Phone != ""
	if err := a.audit(ctx, actor.Account.Username, AuditVisitorLookUp, "", map[string]any{"id_number": MaskIDNumber(info.Number),
		"found": k.Found, "reveal": reveal}); err != nil {
		return KnownVisitor{}, err
	}
	if !reveal {
		k.Phone, k.Masked = MaskPhone(k.Phone), k.Phone != ""
	}
	return k, nil
}

// knownVisitor is Visitor's answer with the phone whole, unaudited: the
// last visit of the number the actor may see, else a resident of its grids.
func (a *App) knownVisitor(ctx context.Context, actor *Actor, number string) (KnownVisitor, error) {
	q, err := a.visitScope(ctx, actor)
	if err != nil {
		return KnownVisitor{}, err
	}
	q.IDNumber = number
	last, err := a.st.Visits(ctx, q, nil, 1)
	if err != nil {
		return KnownVisitor{}, err
	}
	if len(last) == 1 {
		return KnownVisitor{Found: true, Name: last[0].Name, Phone: last[0].Phone}, nil
	}
	r, visible, _, err := a.ResidentByIDNumber(ctx, actor, number)
	if err != nil || !visible {
		return KnownVisitor{}, err
	}
	return KnownVisitor{Found: true, Name: r.Name, Phone: r.Phone}, nil
}

// VisitFilter is what the visits screen filters by.
type VisitFilter struct {
	From, To   string // days, YYYY-MM-DD or any date ParseDate reads; "" no bound
	CompoundID int64
	Person     string // an ID number or the start of a name
	Inside     bool
}

func (a *App) visitQuery(ctx context.Context, actor *Actor, f VisitFilter) (model.VisitQuery, error) {
	q, err := a.visitScope(ctx, actor)
	if err != nil {
		return q, err
	}
	for _, d := range []struct {
		in  string
		out *string
	}{{f.From, &q.From}, {f.To, &q.To}} {
		if strings.TrimSpace(d.in) == "" {
			continue
		}
		day, ok := ParseDate(d.in)
		if !ok {
			return q, problem("day", "err.visit.day", map[string]any{"Value": d.in})
		}
		*d.out = day
	}
	q.CompoundID, q.Inside = f.CompoundID, f.Inside
	if kind, text, _ := ReadSearch(f.Person); kind == model.SearchIDNumber {
		q.IDNumber = text
	} else {
		q.Name = CleanName(f.Person)
	}
	return q, nil
}

// Visits counts the visits of a filter and reads a page of them, newest
// first, after a cursor; a search for a person is audited.
func (a *App) Visits(ctx context.Context, actor *Actor, f VisitFilter, after *model.VisitCursor, limit int) ([]model.Visit, int, error) {
	q, err := a.visitQuery(ctx, actor, f)
	if err != nil {
		return nil, 0, err
	}
	if f.Person != "" && after == nil {
		if err := a.audit(ctx, actor.Account.Username, AuditSearch, "visits", map[string]any{"search": maskedSearch(f.Person)}); err != nil {
			return nil, 0, err
		}
	}
	n, err := a.st.CountVisits(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	list, err := a.st.Visits(ctx, q, after, limit)
	return list, n, err
}

// VisitHeader is the layout of a visits export, read back by the import.
var VisitHeader = []string{"序号", "来访时间", "离开时间", "姓名", "公民身份号码", "联系电话", "小区", "到访房屋", "事由", "健康状况"}

// ExportVisits writes the visits of a filter, ID numbers and phones masked
// unless revealed (with a reason); it needs the export permission and is
// audited.
func (a *App) ExportVisits(ctx context.Context, actor *Actor, f VisitFilter, path string, reveal bool, reason string) (int, error) {
	if err := mayExport(actor, "visits", path, reveal, reason); err != nil {
		return 0, err
	}
	q, err := a.visitQuery(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	n, err := a.st.CountVisits(ctx, q)
	if err != nil {
		return 0, err
	}
	w, err := listWriter(path, VisitHeader, xlsxwrite.Options{Sheet: "到访登记", Title: "到访登记 " + a.Now().Format("2006-01-02"), Rows: n,
		Creator: actor.Account.Username})
	if err != nil {
		return 0, err
	}
	seq := 0
	err = a.st.EachVisit(ctx, q, func(v *model.Visit) error {
		seq++
		id, ph := v.IDNumber, v.Phone
		if !reveal {
			id, ph = MaskIDNumber(id), MaskPhone(ph)
		}
		return w.Row([]string{strconv.Itoa(seq), v.TimeIn, v.TimeOut, v.Name, id, ph, v.Address.Compound, HouseText(v.Address), v.Reason, v.Health})
	})
	if err != nil {
		w.Abort()
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return seq, a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "visits",
		"from": q.From, "to": q.To, "compound": q.CompoundID, "reveal": reveal, "reason": reason, "rows": seq})
}

// HouseText is a visited house within its compound: 3栋2单元501.
func HouseText(a model.Address) string {
	if a.Room == "" {
		return ""
	}
	return BuildingLabel(a.Building) + UnitLabel(a.Unit) + a.Room
}
