package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/app/phone"
)

// ResidentInput is a resident as typed into the form or a command line:
// raw text, checked by CheckResident, the one validation path.
type ResidentInput struct {
	ID        int64 // 0 for a new resident
	Name      string
	IDNumber  string
	Sex       model.Sex
	Birth     string
	Phone     string
	Ethnicity string
	Kind      model.Kind
	Status    model.Status
	Notes     string
	HouseID   int64          // new residents: the house they live in (0: none)
	Relation  model.Relation // with HouseID
	Since     string         // with HouseID: the move-in date, default today
	UpdatedAt time.Time      // when the edited row was read, to refuse lost updates
}

// CheckResident normalizes and validates input. The ID number decides
// birth date and sex; an input that contradicts it is a problem.
func (a *App) CheckResident(in ResidentInput) (model.Resident, Problems) {
	var ps Problems
	r := model.Resident{
		ID: in.ID, Name: strings.Join(strings.Fields(in.Name), " "), Sex: in.Sex, Birth: strings.TrimSpace(in.Birth),
		Ethnicity: normalizeEthnicity(in.Ethnicity), Kind: in.Kind, Status: in.Status, Notes: strings.TrimSpace(in.Notes),
		HouseID: in.HouseID, Relation: in.Relation, UpdatedAt: in.UpdatedAt,
	}
	checkName(r.Name, &ps)
	if strings.TrimSpace(in.IDNumber) != "" {
		a.checkIDNumber(&r, in.IDNumber, &ps)
	} else if r.Birth != "" {
		a.checkBirth(&r, &ps)
	}
	if p, err := phone.Normalize(in.Phone); err != nil {
		ps.add("phone", "err.phone.invalid", nil)
	} else {
		r.Phone = p
	}
	if n := utf8.RuneCountInString(r.Notes); n > maxText {
		ps.add("notes", "err.appeal.toolong", map[string]any{"Max": maxText})
	}
	if r.Kind == "" {
		r.Kind = model.KindRegistered
	}
	if r.Status == "" {
		r.Status = model.StatusPresent
	}
	checkChoices(&r, &in, &ps)
	return r, ps
}

// add adds a problem.
func (p *Problems) add(field, key string, data map[string]any) {
	*p = append(*p, Problem{Field: field, Key: key, Data: data})
}

// checkName checks a name as spaces were normalized.
func checkName(name string, ps *Problems) {
	switch n := len([]rune(name)); {
	case n == 0:
		ps.add("name", "err.name.required", nil)
	case n > 50:
		ps.add("name", "err.name.long", nil)
	case strings.IndexFunc(name, unicode.IsDigit) >= 0:
		ps.add("name", "err.name.digits", nil)
	}
}

// checkIDNumber reads the ID number, which decides the birth date and the
// sex: a typed one that differs is a problem.
func (a *App) checkIDNumber(r *model.Resident, number string, ps *Problems) {
	info, err := idnumber.ParseAt(number, a.Now())
	if err != nil {
		ps.add("id_number", idProblemKey(err), idProblemData(err))
		return
	}
	r.IDNumber = info.Number
	birth, sex := info.Birth.Format("2006-01-02"), model.Male
	if info.Sex == 'F' {
		sex = model.Female
	}
	if typed, ok := ParseDate(r.Birth); r.Birth != "" && (!ok || typed != birth) {
		ps.add("birth", "err.birth.contradicts", map[string]any{"Birth": birth})
	}
	if r.Sex != "" && r.Sex != sex {
		ps.add("sex", "err.sex.contradicts", nil)
	}
	r.Birth, r.Sex = birth, sex
}

// checkBirth reads a birth date typed without an ID number: a day that
// has been, from 1850 on.
func (a *App) checkBirth(r *model.Resident, ps *Problems) {
	birth, ok := ParseDate(r.Birth)
	if ok {
		r.Birth = birth
	}
	if !ok || birth > a.today() || birth < "1850-01-01" {
		ps.add("birth", "err.birth.invalid", nil)
	}
}

// checkChoices checks the fields chosen from a list, and the move-in date
// of a new resident given a house.
func checkChoices(r *model.Resident, in *ResidentInput, ps *Problems) {
	if !oneOf(r.Kind, model.Kinds) {
		ps.add("kind", "err.choice", nil)
	}
	if !oneOf(r.Status, model.Statuses) {
		ps.add("status", "err.choice", nil)
	}
	if r.Sex != "" && r.Sex != model.Male && r.Sex != model.Female {
		ps.add("sex", "err.choice", nil)
	}
	if in.HouseID != 0 && !oneOf(r.Relation, model.Relations) {
		ps.add("relation", "err.relation.required", nil)
	}
	if in.ID == 0 && in.HouseID != 0 && strings.TrimSpace(in.Since) != "" {
		if _, ok := ParseDate(in.Since); !ok {
			ps.add("since", "err.date.invalid", nil)
		}
	}
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func idProblemKey(err error) string {
	switch {
	case errors.Is(err, idnumber.ErrLength):
		return "err.id.length"
	case errors.Is(err, idnumber.ErrCharacters):
		return "err.id.chars"
	case errors.Is(err, idnumber.ErrRegion):
		return "err.id.region"
	case errors.Is(err, idnumber.ErrBirthDate):
		return "err.id.birth"
	case errors.Is(err, idnumber.ErrChecksum):
		return "err.id.checksum"
	}
	return "err.id.invalid"
}

func idProblemData(err error) map[string]any {
	var e *idnumber.Error
	if errors.As(err, &e) {
		return map[string]any{"Length": e.Length, "Expected": string(e.Expected)}
	}
	return nil
}

// normalizeEthnicity writes 汉 as 汉族 (a Chinese name without its 族)
// and trims spaces; other text is kept as typed.
func normalizeEthnicity(s string) string {
	s = strings.TrimSpace(s)
	han := s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) < 0
	if han && !strings.HasSuffix(s, "族") && len([]rune(s)) <= 3 {
		return s + "族"
	}
	return s
}

// Resident loads one resident the actor may see, with its address.
func (a *App) Resident(ctx context.Context, actor *Actor, id int64) (model.ResidentRow, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.ResidentRow{}, err
	}
	r, err := a.st.Resident(ctx, id)
	if err != nil {
		return model.ResidentRow{}, err
	}
	if !inScope(sc, r.GridID) {
		return model.ResidentRow{}, fmt.Errorf("app: resident %d: %w", id, model.ErrForbidden)
	}
	row := model.ResidentRow{Resident: r}
	if r.HouseID != 0 {
		if row.Address, err = a.st.HouseAddress(ctx, r.HouseID); err != nil {
			return row, err
		}
	}
	return row, nil
}

// OpenResident is Resident for showing the whole record to a person: the
// opening is audited, and refused when it cannot be.
func (a *App) OpenResident(ctx context.Context, actor *Actor, id int64) (model.ResidentRow, error) {
	r, err := a.Resident(ctx, actor, id)
	if err != nil {
		return r, err
	}
	if err := a.audit(ctx, actor.Account.Username, AuditOpen, target("resident", id), nil); err != nil {
		return model.ResidentRow{}, err
	}
	return r, nil
}

// ResidentByIDNumber finds who already has an ID number, for the form's
// "this person exists" offer. ok is false when nobody has it; a resident
// outside the actor's scope is reported as existing without details.
func (a *App) ResidentByIDNumber(ctx context.Context, actor *Actor, number string) (r model.Resident, visible, ok bool, err error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return r, false, false, err
	}
	info, perr := idnumber.Parse(number)
	if perr != nil {
		return r, false, false, nil
	}
	r, err = a.st.ResidentByIDNumber(ctx, info.Number)
	if errors.Is(err, model.ErrNotFound) {
		return r, false, false, nil
	}
	if err != nil {
		return r, false, false, err
	}
	if !inScope(sc, r.GridID) {
		return model.Resident{}, false, true, nil
	}
	return r, true, true, nil
}

// Who names a resident for a use case: the id chosen in the window's
// resident picker, or an ID number typed at a desk or given on the command
// line (a card reader types one). The window never sends back a number it
// was shown: those are masked.
type Who struct {
	ID       int64
	IDNumber string
}

// ByID names a resident by id.
func ByID(id int64) Who { return Who{ID: id} }

// none is a Who that names nobody: nothing chosen, nothing typed.
func (w Who) none() bool { return w.ID == 0 && strings.TrimSpace(w.IDNumber) == "" }

// ByNumber names a resident by ID number.
func ByNumber(number string) Who { return Who{IDNumber: number} }

// residentWho finds the resident who names, as ResidentByIDNumber does:
// found false when nobody is, visible false when outside the actor's
// areas.
func (a *App) residentWho(ctx context.Context, actor *Actor, who Who) (r model.Resident, visible, found bool, err error) {
	if who.ID == 0 {
		return a.ResidentByIDNumber(ctx, actor, CleanCode(who.IDNumber))
	}
	row, err := a.Resident(ctx, actor, who.ID)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return r, false, false, nil
	case errors.Is(err, model.ErrForbidden):
		return r, false, true, nil
	case err != nil:
		return r, false, false, err
	case row.Name == "": // deleted: kept only for this office's records
		return r, false, false, nil
	}
	return row.Resident, true, true, nil
}

// pickedProblem is the problem of a resident chosen by id who is no
// longer there to choose (deleted or moved out of the actor's areas since
// the picker listed them), or of nobody chosen at all.
func pickedProblem(field string, who Who) error {
	if who.none() {
		return problem(field, "err.picked.none", nil)
	}
	return problem(field, "err.picked.gone", nil)
}

// SaveResident validates and saves a new or edited resident, keeping the
// history, and returns its id.
func (a *App) SaveResident(ctx context.Context, actor *Actor, in ResidentInput) (int64, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return 0, err
	}
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	r, ps := a.CheckResident(in)
	if len(ps) > 0 {
		return 0, ps
	}
	if r.IDNumber != "" {
		other, err := a.st.ResidentByIDNumber(ctx, r.IDNumber)
		if err == nil && other.ID != r.ID {
			if !inScope(sc, other.GridID) {
				// Someone the actor may not see: say it exists, not who it is.
				return 0, problem("id_number", "form.dup.hidden", nil)
			}
			return 0, Problems{{Field: "id_number", Key: "err.id.exists", Data: map[string]any{"Name": other.Name}}}
		}
	}
	if r.ID == 0 {
		if r.HouseID != 0 {
			addr, err := a.st.HouseAddress(ctx, r.HouseID)
			if err != nil {
				return 0, err
			}
			if !inScope(sc, addr.GridID) {
				return 0, fmt.Errorf("app: house %d: %w", r.HouseID, model.ErrForbidden)
			}
		} else if !sc.All {
			return 0, problem("house", "err.house.required", nil)
		}
		if err := a.checkHead(ctx, r.HouseID, 0, r.Relation); err != nil {
			return 0, err
		}
		since, err := a.checkDate(in.Since)
		if err != nil {
			return 0, err
		}
		id, err := a.st.CreateResident(ctx, auditNote(actor.Account.Username, AuditCreate, "resident:%d", map[string]any{"house": r.HouseID}),
			actor.Account.ID, r, since)
		if err == nil {
			a.log.Info("resident created", "id", id, "by", actor.Account.Username)
		}
		return id, err
	}
	old, err := a.st.Resident(ctx, r.ID)
	if err != nil {
		return 0, err
	}
	if !inScope(sc, old.GridID) {
		return 0, fmt.Errorf("app: resident %d: %w", r.ID, model.ErrForbidden)
	}
	if _, err := a.st.UpdateResident(ctx, auditNote(actor.Account.Username, AuditChange, target("resident", r.ID), nil), actor.Account.ID, r); err != nil {
		return 0, err
	}
	return r.ID, nil
}

// History lists the changes to a resident and their residences, newest first.
func (a *App) History(ctx context.Context, actor *Actor, residentID int64) ([]model.Change, error) {
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return nil, err
	}
	cs, err := a.st.ResidentHistory(ctx, residentID)
	if err != nil {
		return nil, err
	}
	// Moves are kept as house ids; people read addresses.
	addr := map[string]string{"0": "", "": ""}
	for i, c := range cs {
		if c.Field != "house" {
			continue
		}
		for _, v := range []*string{&cs[i].Old, &cs[i].New} {
			if _, ok := addr[*v]; !ok {
				id, _ := strconv.ParseInt(*v, 10, 64)
				if h, err := a.st.HouseAddress(ctx, id); err == nil {
					addr[*v] = FormatAddress(h)
				} else {
					addr[*v] = *v
				}
			}
			*v = addr[*v]
		}
	}
	return cs, nil
}

// Age is the full years at Today of a YYYY-MM-DD birth date; -1 if unknown.
func (a *App) Age(birth string) int {
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		return -1
	}
	return idnumber.Age(b, a.Now())
}

// MaskIDNumber and MaskPhone are how numbers are shown unless revealed.
var (
	MaskIDNumber = idnumber.Mask
	MaskPhone    = phone.Mask
)
