package app

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"shequ/app/model"
)

// CohortFilter is a cohort (人群) as a user gives it: an age range in full
// years at a date, and facts and tags. The zero value is everyone.
type CohortFilter struct {
	Ages       string // "25-35" (both ends included), "60-", "-6" or ""
	At         string // the date ages are counted at; "" is today
	Sex        model.Sex
	Kinds      []model.Kind
	Statuses   []model.Status
	Relations  []model.Relation
	TagsAny    []int64
	TagsAll    []int64
	TagsNone   []int64
	Alone      bool
	NoIDNumber bool
	NoPhone    bool
}

// ParseAges reads an age range: "25-35", "25–35", "60-", "-6", "30".
func ParseAges(s string) (lo, hi int, ok bool) {
	s = strings.TrimSpace(toHalfWidth(s))
	s = strings.NewReplacer("–", "-", "—", "-", "~", "-", "～", "-", "至", "-", "岁", "").Replace(s)
	if s == "" {
		return -1, -1, true
	}
	a, b, dash := strings.Cut(s, "-")
	if !dash {
		b = a
	}
	lo, hi = -1, -1
	var err error
	if a = strings.TrimSpace(a); a != "" {
		if lo, err = strconv.Atoi(a); err != nil || lo < 0 {
			return 0, 0, false
		}
	}
	if b = strings.TrimSpace(b); b != "" {
		if hi, err = strconv.Atoi(b); err != nil || hi < 0 {
			return 0, 0, false
		}
	}
	if lo >= 0 && hi >= 0 && lo > hi {
		return 0, 0, false
	}
	return lo, hi, lo >= 0 || hi >= 0
}

// cohort turns the filter into the store's terms: ages into birth dates.
// It is the one place the default is decided: a filter that names no
// statuses (or no filter) is of those living here (model.Living), so the
// list, the counts and charts, exports, forms and the matcher leave former
// residents out unless they are asked for. A list of residents named by id
// (a match's finds) is shown whatever their status.
func (c *CohortFilter) cohort(ids []int64, today time.Time) (*model.Cohort, error) {
	if c == nil {
		c = &CohortFilter{}
	}
	at := today
	if strings.TrimSpace(c.At) != "" {
		d, ok := ParseDate(c.At)
		if !ok {
			return nil, problem("at", "err.date.invalid", nil)
		}
		at, _ = time.Parse("2006-01-02", d)
	}
	lo, hi, ok := ParseAges(c.Ages)
	if !ok {
		return nil, problem("ages", "err.cohort.ages", nil)
	}
	out := &model.Cohort{Sex: c.Sex, Kinds: c.Kinds, Statuses: c.Statuses, Relations: c.Relations, TagsAny: c.TagsAny,
		TagsAll: c.TagsAll, TagsNone: c.TagsNone, Alone: c.Alone, NoIDNumber: c.NoIDNumber, NoPhone: c.NoPhone}
	if len(out.Statuses) == 0 && ids == nil {
		out.Statuses = model.Living
	}
	// Full years at a date: at least lo is born by at−lo years; at most hi
	// is born after at−(hi+1) years.
	if lo >= 0 {
		out.BornBy = at.AddDate(-lo, 0, 0).Format("2006-01-02")
	}
	if hi >= 0 {
		out.BornAfter = at.AddDate(-(hi + 1), 0, 0).Format("2006-01-02")
	}
	return out, nil
}

// Sample draws n residents at random from those a filter selects, the
// same n for the same filter, data and seed (door-to-door visits can be
// drawn again and checked); fewer when fewer match. The sample is a
// filter on the list, to show or export with addresses.
func (a *App) Sample(ctx context.Context, actor *Actor, f ListFilter, n int, seed uint64) (ListFilter, int, error) {
	if n <= 0 {
		return f, 0, problem("n", "err.sample.n", nil)
	}
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return f, 0, err
	}
	ids, err := a.st.ResidentIDs(ctx, q) // in id order: the draw depends on nothing else
	if err != nil {
		return f, 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5a3b1e))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:min(n, len(ids))]
	f.IDs = append([]int64{}, ids...)
	return f, len(ids), nil
}

// AuditCohortSave is a cohort saved by name.
const AuditCohortSave = "cohort.save"

// SavedCohort is a cohort kept by name; it is a definition, counted afresh
// each time it is used.
type SavedCohort struct {
	Name    string
	Filter  CohortFilter
	Account string
}

// SaveCohort keeps a cohort under a name (replacing one of that name).
func (a *App) SaveCohort(ctx context.Context, actor *Actor, name string, c CohortFilter) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	name = CleanCell(name)
	if name == "" || len([]rune(name)) > 30 {
		return problem("name", "err.cohort.name", nil)
	}
	if _, _, ok := ParseAges(c.Ages); !ok {
		return problem("ages", "err.cohort.ages", nil)
	}
	def, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return a.st.SaveCohort(ctx, auditNote(actor.Account.Username, AuditCohortSave, name, nil), name, string(def), actor.Account.Username)
}

// SavedCohorts lists the saved cohorts.
func (a *App) SavedCohorts(ctx context.Context, actor *Actor) ([]SavedCohort, error) {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return nil, err
	}
	list, err := a.st.SavedCohorts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SavedCohort, 0, len(list))
	for _, c := range list {
		var f CohortFilter
		if err := json.Unmarshal([]byte(c.Definition), &f); err != nil {
			continue // a definition this version cannot read is left out, not fatal
		}
		out = append(out, SavedCohort{Name: c.Name, Filter: f, Account: c.Account})
	}
	return out, nil
}

// SavedCohort finds a saved cohort by name.
func (a *App) SavedCohort(ctx context.Context, actor *Actor, name string) (CohortFilter, error) {
	list, err := a.SavedCohorts(ctx, actor)
	if err != nil {
		return CohortFilter{}, err
	}
	for _, c := range list {
		if c.Name == CleanCell(name) {
			return c.Filter, nil
		}
	}
	return CohortFilter{}, problem("cohort", "err.cohort.unknown", map[string]any{"Name": name})
}

// CohortFacts are the counts that set cohorts side by side.
type CohortFacts struct {
	Total, Men, Women, Children, Adults, Elderly int // children under 18, elderly 60 and over, at the cohort's date
}

// CohortFactKeys name the facts (message keys), in the order of Values.
var CohortFactKeys = []string{"cohort.fact.total", "cohort.fact.men", "cohort.fact.women", "cohort.fact.children",
	"cohort.fact.adults", "cohort.fact.elderly"}

// Values are the facts in the order of CohortFactKeys.
func (f CohortFacts) Values() []int {
	return []int{f.Total, f.Men, f.Women, f.Children, f.Adults, f.Elderly}
}

// CompareCohorts counts each cohort (within the same area, compound and
// search) and its men, women, children, adults and elderly, for setting
// them side by side.
func (a *App) CompareCohorts(ctx context.Context, actor *Actor, f ListFilter, cohorts []CohortFilter) ([]CohortFacts, error) {
	out := make([]CohortFacts, len(cohorts))
	for i := range cohorts {
		f.Cohort = &cohorts[i]
		q, err := a.residentQuery(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		at := a.Now()
		if d, ok := ParseDate(cohorts[i].At); ok {
			at, _ = time.Parse("2006-01-02", d)
		}
		born := func(years int) string { return at.AddDate(-years, 0, 0).Format("2006-01-02") }
		count := func(edit func(c *model.Cohort)) (int, error) {
			c := *q.Cohort
			edit(&c)
			q2 := q
			q2.Cohort = &c
			return a.st.CountResidents(ctx, q2)
		}
		later := func(x, y string) string { // the later of two lower bounds
			if x > y {
				return x
			}
			return y
		}
		earlier := func(x, y string) string { // the earlier of two upper bounds
			if x == "" || y != "" && y < x {
				return y
			}
			return x
		}
		fc := &out[i]
		for _, c := range []struct {
			n    *int
			edit func(*model.Cohort)
		}{
			{&fc.Total, func(*model.Cohort) {}},
			{&fc.Men, func(c *model.Cohort) { c.Sex = model.Male }},
			{&fc.Women, func(c *model.Cohort) { c.Sex = model.Female }},
			{&fc.Children, func(c *model.Cohort) { c.BornAfter = later(c.BornAfter, born(18)) }},
			{&fc.Adults, func(c *model.Cohort) {
				c.BornAfter, c.BornBy = later(c.BornAfter, born(60)), earlier(c.BornBy, born(18))
			}},
			{&fc.Elderly, func(c *model.Cohort) { c.BornBy = earlier(c.BornBy, born(60)) }},
		} {
			if *c.n, err = count(c.edit); err != nil {
				return nil, err
			}
		}
		if q.Cohort.Sex == model.Female {
			fc.Men = 0
		}
		if q.Cohort.Sex == model.Male {
			fc.Women = 0
		}
	}
	return out, nil
}
