package app

import (
	"context"

	"golang.org/x/sync/errgroup"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	"shequ/app/model"
)

// Stats are the numbers behind the 数据看板 and the 分析报告 for a filter:
// counts only, no one's personal data. Every count carries the filter
// that selects the residents behind it, so a chart opens its cohort.
type Stats struct {
	Filter ListFilter
	At     string // the date ages are counted at
	Total  int
	// Headlines are the counts a manager reads first: "total",
	// "elderly" (60 and over), "minors" (under 18), "floating" (流动人口)
	// and "alone" (living alone).
	Headlines []Count

	Pyramid  Pyramid
	Areas    []Count // per child area (or compound, under a grid)
	AreaKind string  // what Areas counts: "street", "community", "grid" or "compound"
	Tags     []Count // per tag, most carried first
	Kinds    []Count // per 人员类别
	Statuses []Count // per 状态
	Moves    Moves
}

// Count is one bar of a chart: what it counts (a key the caller names:
// an area, a tag, a category), how many, and the filter behind it.
type Count struct {
	Key    string
	Label  string // a name from the data (an area's, a tag's); "" when Key names it
	Color  string // "#RRGGBB" when the data gives one (a tag's)
	N      int
	Filter ListFilter
}

// Pyramid is an age–sex pyramid: counts in bands of five years (the last
// band open), youngest first; Unknown are residents of unknown sex or
// birth date.
type Pyramid struct {
	Bands        []string
	Men, Women   []int
	Unknown      int
	MenF, WomenF []ListFilter
}

// Moves are the residences begun (moves in) and ended (moves out) per
// month over the last months, in the houses of the filter's area or
// compound (not narrowed by its cohort).
type Moves struct {
	Months  []string // YYYY-MM, oldest first
	In, Out []int
}

// PyramidBands is how many bands a pyramid has: 0–4 … 95–99 and 100+.
const PyramidBands = 21

// statsQuery is residentQuery for counts: within the place scope (counts
// show no one's personal data, so an administrator and a 领导 see their
// areas' numbers) and without a search or a sample, which could single
// out a person.
func (a *App) statsQuery(ctx context.Context, actor *Actor, f ListFilter) (model.ResidentQuery, []model.Area, error) {
	sc, areas, err := a.placeScope(ctx, actor)
	if err != nil {
		return model.ResidentQuery{}, nil, err
	}
	grids, all := narrow(sc, areas, f.AreaID)
	cohort, err := f.Cohort.cohort(nil, a.Now())
	if err != nil {
		return model.ResidentQuery{}, nil, err
	}
	return model.ResidentQuery{Grids: grids, AllGrids: all, CompoundID: f.CompoundID, Cohort: cohort}, areas, nil
}

// Stats counts everything the dashboard shows for the filter.
func (a *App) Stats(ctx context.Context, actor *Actor, f ListFilter) (*Stats, error) {
	f.Search, f.IDs = "", nil
	q, areas, err := a.statsQuery(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	at := a.countedAt(f)
	s := &Stats{Filter: f, At: at.Format("2006-01-02")}
	if err := a.pyramid(ctx, q, f, at, s); err != nil { // counts Total too
		return nil, err
	}
	// The rest at once, on the read pool: each fills its own part of s.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.headlines(gctx, actor, f, s) })
	g.Go(func() error { return a.areaCounts(gctx, q, f, areas, s) })
	g.Go(func() error { return a.tagCounts(gctx, q, f, s) })
	g.Go(func() error { return a.composition(gctx, q, f, s) })
	g.Go(func() error { return a.moves(gctx, q, at, s) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return s, nil
}

func (a *App) headlines(ctx context.Context, actor *Actor, f ListFilter, s *Stats) error {
	s.Headlines = []Count{{Key: "total", N: s.Total, Filter: f}}
	for _, h := range []struct {
		key string
		c   CohortFilter
	}{{"elderly", CohortFilter{Ages: "60-"}}, {"minors", CohortFilter{Ages: "-17"}},
		{"floating", CohortFilter{Kinds: []model.Kind{model.KindFloating}}}, {"alone", CohortFilter{Alone: true}}} {
		sub := f.Narrowed(h.c)
		sq, _, err := a.statsQuery(ctx, actor, sub)
		if err != nil {
			return err
		}
		n, err := a.st.CountResidents(ctx, sq)
		if err != nil {
			return err
		}
		s.Headlines = append(s.Headlines, Count{Key: h.key, N: n, Filter: sub})
	}
	return nil
}

// countedAt is the date a filter counts ages at.
func (a *App) countedAt(f ListFilter) time.Time {
	if f.Cohort != nil && f.Cohort.At != "" {
		if d, ok := ParseDate(f.Cohort.At); ok {
			at, _ := time.Parse("2006-01-02", d)
			return at
		}
	}
	return a.Now()
}

// Pyramid counts the age–sex pyramid of a filter alone.
func (a *App) Pyramid(ctx context.Context, actor *Actor, f ListFilter) (Pyramid, error) {
	f.Search, f.IDs = "", nil
	q, _, err := a.statsQuery(ctx, actor, f)
	if err != nil {
		return Pyramid{}, err
	}
	s := &Stats{Filter: f}
	err = a.pyramid(ctx, q, f, a.countedAt(f), s)
	return s.Pyramid, err
}

// Narrowed is the filter with a cohort's conditions added to its own.
func (f ListFilter) Narrowed(c CohortFilter) ListFilter {
	var base CohortFilter
	if f.Cohort != nil {
		base = *f.Cohort
	}
	if c.Ages != "" {
		base.Ages = intersectAges(base.Ages, c.Ages)
	}
	if c.Sex != "" {
		base.Sex = c.Sex
	}
	if len(c.Kinds) > 0 {
		base.Kinds = c.Kinds
	}
	if len(c.Statuses) > 0 {
		base.Statuses = c.Statuses
	}
	if len(c.TagsAll) > 0 {
		base.TagsAll = append(slices.Clone(base.TagsAll), c.TagsAll...)
	}
	base.Alone = base.Alone || c.Alone
	f.Cohort = &base
	return f
}

// intersectAges is the overlap of two age ranges ("" is any age); an
// empty overlap is a range no one is in.
func intersectAges(a, b string) string {
	alo, ahi, _ := ParseAges(a)
	blo, bhi, _ := ParseAges(b)
	lo, hi := max(alo, blo), ahi
	if hi < 0 || bhi >= 0 && bhi < hi {
		hi = bhi
	}
	if hi >= 0 && lo > hi {
		return "200-200"
	}
	s := ""
	if lo >= 0 {
		s = strconv.Itoa(lo)
	}
	s += "-"
	if hi >= 0 {
		s += strconv.Itoa(hi)
	}
	return s
}

func (a *App) pyramid(ctx context.Context, q model.ResidentQuery, f ListFilter, at time.Time, s *Stats) error {
	p := &s.Pyramid
	// Bounds oldest first: born on or before at−100 years is 100+.
	bounds := []string{"0"}
	for k := PyramidBands - 1; k >= 0; k-- {
		bounds = append(bounds, at.AddDate(-5*k, 0, 0).Format("2006-01-02"))
	}
	counts, others, err := a.st.BirthCounts(ctx, q, []model.Sex{model.Male, model.Female}, bounds)
	if err != nil {
		return err
	}
	known := 0
	for k := 0; k < PyramidBands; k++ {
		lo, ages := 5*k, strconv.Itoa(5*k)+"-"+strconv.Itoa(5*k+4)
		label := strconv.Itoa(lo) + "–" + strconv.Itoa(lo+4)
		if k == PyramidBands-1 {
			ages, label = strconv.Itoa(lo)+"-", strconv.Itoa(lo)+"+"
		}
		i := PyramidBands - 1 - k // counts run oldest first
		p.Bands = append(p.Bands, label)
		p.Men, p.Women = append(p.Men, counts[0][i]), append(p.Women, counts[1][i])
		known += counts[0][i] + counts[1][i]
		p.MenF = append(p.MenF, f.Narrowed(CohortFilter{Ages: ages, Sex: model.Male}))
		p.WomenF = append(p.WomenF, f.Narrowed(CohortFilter{Ages: ages, Sex: model.Female}))
	}
	p.Unknown, s.Total = others, known+others
	return nil
}

// areaCounts counts per area one level below the filter's (per compound
// under a grid), in the areas' own order.
func (a *App) areaCounts(ctx context.Context, q model.ResidentQuery, f ListFilter, areas []model.Area, s *Stats) error {
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	if ar, ok := byID[f.AreaID]; ok && ar.Level == model.LevelGrid || f.CompoundID != 0 {
		return a.compoundCounts(ctx, q, f, s)
	}
	perGrid, err := a.st.CountBy(ctx, q, "grid_id")
	if err != nil {
		return err
	}
	// The areas to show: the filter's area's children, or the top of what
	// the query sees, going down while there is only one.
	visible := map[int64]bool{}
	for g := range perGrid {
		id, _ := strconv.ParseInt(g, 10, 64)
		for ar, ok := byID[id]; ok; ar, ok = byID[ar.ParentID] {
			visible[ar.ID] = true
		}
	}
	parent := f.AreaID
	for {
		var kids []model.Area
		for _, ar := range areas {
			if ar.ParentID == parent && visible[ar.ID] {
				kids = append(kids, ar)
			}
		}
		if len(kids) == 1 && kids[0].Level != model.LevelGrid {
			parent = kids[0].ID
			continue
		}
		if len(kids) == 1 {
			f.AreaID = kids[0].ID
			return a.compoundCounts(ctx, q, f, s)
		}
		for _, k := range kids {
			n := 0
			for _, g := range gridsUnder(areas, []int64{k.ID}) {
				n += perGrid[strconv.FormatInt(g, 10)]
			}
			sub := f
			sub.AreaID, sub.CompoundID = k.ID, 0
			s.Areas = append(s.Areas, Count{Key: strconv.FormatInt(k.ID, 10), Label: k.Name, N: n, Filter: sub})
			s.AreaKind = string(k.Level)
		}
		return nil
	}
}

func (a *App) compoundCounts(ctx context.Context, q model.ResidentQuery, f ListFilter, s *Stats) error {
	per, err := a.st.CountByCompound(ctx, q)
	if err != nil {
		return err
	}
	names, err := a.st.CompoundNames(ctx, slices.Collect(maps.Keys(per)))
	if err != nil {
		return err
	}
	for id, n := range per {
		sub := f
		sub.CompoundID = id
		s.Areas = append(s.Areas, Count{Key: strconv.FormatInt(id, 10), Label: names[id], N: n, Filter: sub})
	}
	sort.Slice(s.Areas, func(i, j int) bool { return s.Areas[i].Label < s.Areas[j].Label })
	s.AreaKind = "compound"
	return nil
}

func (a *App) tagCounts(ctx context.Context, q model.ResidentQuery, f ListFilter, s *Stats) error {
	per, err := a.st.TagCounts(ctx, q)
	if err != nil {
		return err
	}
	tags, err := a.st.TagsNamed(ctx)
	if err != nil {
		return err
	}
	for _, t := range tags {
		if n := per[t.ID]; n > 0 {
			s.Tags = append(s.Tags, Count{Key: strconv.FormatInt(t.ID, 10), Label: t.Name, Color: t.ColorOf(), N: n,
				Filter: f.Narrowed(CohortFilter{TagsAll: []int64{t.ID}})})
		}
	}
	sort.SliceStable(s.Tags, func(i, j int) bool { return s.Tags[i].N > s.Tags[j].N })
	return nil
}

func (a *App) composition(ctx context.Context, q model.ResidentQuery, f ListFilter, s *Stats) error {
	kinds, err := a.st.CountBy(ctx, q, "kind")
	if err != nil {
		return err
	}
	statuses, err := a.st.CountBy(ctx, q, "status")
	if err != nil {
		return err
	}
	for _, k := range model.Kinds {
		if n := kinds[string(k)]; n > 0 {
			s.Kinds = append(s.Kinds, Count{Key: string(k), N: n, Filter: f.Narrowed(CohortFilter{Kinds: []model.Kind{k}})})
		}
	}
	for _, st := range model.Statuses {
		if n := statuses[string(st)]; n > 0 {
			s.Statuses = append(s.Statuses, Count{Key: string(st), N: n, Filter: f.Narrowed(CohortFilter{Statuses: []model.Status{st}})})
		}
	}
	return nil
}

// MoveMonths is how many months the moves chart shows.
const MoveMonths = 24

// moves counts the moves into and out of the query's houses: an area's
// (or compound's), whatever cohort the rest of the stats are of.
func (a *App) moves(ctx context.Context, q model.ResidentQuery, at time.Time, s *Stats) error {
	q.Cohort = nil
	first := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(MoveMonths - 1), 0)
	in, out, err := a.st.Moves(ctx, q, first.Format("2006-01-02"))
	if err != nil {
		return err
	}
	for m := range MoveMonths {
		key := first.AddDate(0, m, 0).Format("2006-01")
		s.Moves.Months = append(s.Moves.Months, key)
		s.Moves.In, s.Moves.Out = append(s.Moves.In, in[key]), append(s.Moves.Out, out[key])
	}
	return nil
}

// NoteReport keeps in the audit log that a chart or a 分析报告 of a filter
// was written to path: counts only, traced like every export.
func (a *App) NoteReport(ctx context.Context, actor *Actor, path string, f ListFilter) error {
	if actor == nil {
		return model.ErrForbidden
	}
	return a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "report",
		"area": f.AreaID, "compound": f.CompoundID})
}

// FilterPlace names a filter's area and compound ("" for none).
func (a *App) FilterPlace(ctx context.Context, actor *Actor, f ListFilter) (area, compound string, err error) {
	if f.AreaID != 0 {
		areas, err := a.VisibleAreas(ctx, actor)
		if err != nil {
			return "", "", err
		}
		for _, ar := range areas {
			if ar.ID == f.AreaID {
				area = ar.Name
			}
		}
	}
	if f.CompoundID != 0 {
		names, err := a.st.CompoundNames(ctx, []int64{f.CompoundID})
		if err != nil {
			return "", "", err
		}
		compound = names[f.CompoundID]
	}
	return area, compound, nil
}

// CountCohort counts the residents of a filter as the dashboard does
// (within the place scope; no search).
func (a *App) CountCohort(ctx context.Context, actor *Actor, f ListFilter) (int, error) {
	f.Search, f.IDs = "", nil
	q, _, err := a.statsQuery(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	return a.st.CountResidents(ctx, q)
}
