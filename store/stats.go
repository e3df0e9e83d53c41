package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"shequ/app/model"
)

// This file answers the charts and cohort counts from the summaries of
// migration 015 where a query allows it, and from the residents otherwise.

// summarized tells whether the age_count summary can answer q: it keeps
// grid, sex, year of birth, category and state, nothing else.
func summarized(q model.ResidentQuery) bool {
	if q.CompoundID != 0 || q.Search != model.SearchNone || q.IDs != nil {
		return false
	}
	c := q.Cohort
	return c == nil || len(c.TagsAny)+len(c.TagsAll)+len(c.TagsNone)+len(c.Relations) == 0 && !c.Alone && !c.NoIDNumber && !c.NoPhone
}

// birthCounter counts the residents of a summarized query born in ranges
// of dates, for one sex: whole years from age_count, part-years from the
// index resident_cohort.
type birthCounter struct {
	s     *Store
	ctx   context.Context
	sex   model.Sex
	where string // conditions on r besides sex and birth
	args  []any
	years map[int]int // residents per year of birth
	first int         // the earliest year, 0 when none
}

func (s *Store) birthCounter(ctx context.Context, q model.ResidentQuery, sex model.Sex) (*birthCounter, error) {
	where, args := summaryWhere(q, false)
	b := &birthCounter{s: s, ctx: ctx, sex: sex, where: where, args: args, years: map[int]int{}}
	rows, err := s.r.QueryContext(ctx, "SELECT r.year, sum(r.n) FROM "+summaryTable(q)+" r WHERE r.sex = ? AND r.year > 0 AND "+where+" GROUP BY 1",
		append([]any{string(sex)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: age counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return nil, err
		}
		b.years[y] = n
		if b.first == 0 || y < b.first {
			b.first = y
		}
	}
	return b, rows.Err()
}

// exact counts the residents born after lo and on or before hi.
func (b *birthCounter) exact(lo, hi string) (int, error) {
	var n int
	err := b.s.r.QueryRowContext(b.ctx, "SELECT count(*) FROM resident r WHERE r.sex = ? AND r.birth > ? AND r.birth <= ? AND "+b.where,
		append([]any{string(b.sex), lo, hi}, b.args...)...).Scan(&n)
	return n, err
}

// upTo counts the residents born on or before the date d (YYYY-MM-DD).
// Of d's own year it counts the smaller part exactly: at most half a year
// of births.
func (b *birthCounter) upTo(d string) (int, error) {
	y, err := strconv.Atoi(d[:min(4, len(d))])
	if err != nil || len(d) < 10 || b.first == 0 || y < b.first {
		return 0, nil
	}
	n := 0
	for yy, c := range b.years {
		if yy < y {
			n += c
		}
	}
	ys := fmt.Sprintf("%04d", y)
	if d[5:] <= "06-30" {
		part, err := b.exact(fmt.Sprintf("%04d-12-31", y-1), d)
		return n + part, err
	}
	rest, err := b.exact(d, ys+"-12-31")
	return n + b.years[y] - rest, err
}

// BirthCounts counts the residents q selects by sex and birth date:
// counts[i][j] are those of sexes[i] born after bounds[j] and on or
// before bounds[j+1] (ascending dates, YYYY-MM-DD; "0" is no lower
// bound). The others q selects (of unknown birth, of another sex, born
// outside the bounds) are counted in others.
func (s *Store) BirthCounts(ctx context.Context, q model.ResidentQuery, sexes []model.Sex, bounds []string) (counts [][]int, others int, err error) {
	out := make([][]int, len(sexes))
	for i := range out {
		out[i] = make([]int, max(0, len(bounds)-1))
	}
	if !summarized(q) {
		others, err := s.birthCountsByDay(ctx, q, sexes, bounds, out)
		return out, others, err
	}
	total, err := s.CountResidents(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if err := s.summaryBirthCounts(ctx, q, sexes, bounds, out); err != nil {
		return nil, 0, err
	}
	for _, c := range out {
		for _, n := range c {
			total -= n
		}
	}
	return out, total, nil
}

// summaryBirthCounts is BirthCounts for a summarized query.
func (s *Store) summaryBirthCounts(ctx context.Context, q model.ResidentQuery, sexes []model.Sex, bounds []string, out [][]int) error {
	if len(bounds) < 2 {
		return nil
	}
	lo, hi := "0", "9999-12-31"
	var only model.Sex
	if c := q.Cohort; c != nil {
		lo, only = max(lo, c.BornAfter), c.Sex
		if c.BornBy != "" {
			hi = c.BornBy
		}
	}
	for i, sex := range sexes {
		if only != "" && sex != only {
			continue
		}
		b, err := s.birthCounter(ctx, q, sex)
		if err != nil {
			return err
		}
		// C(d) = born on or before d, within the query's own dates.
		cum := make([]int, len(bounds))
		for j, d := range bounds {
			d = min(max(d, lo), hi)
			if cum[j], err = b.upTo(d); err != nil {
				return fmt.Errorf("store: birth counts: %w", err)
			}
		}
		for j := range out[i] {
			out[i][j] = cum[j+1] - cum[j]
		}
	}
	return nil
}

// birthCountsByDay is BirthCounts for any other query: one pass over the
// query's residents, counted here (an SQL GROUP BY sorts them first:
// 240 → 130 ms for the 42,053 carriers of a tag among 1.5 million, whose
// rows, read one by one, are most of the cost).
func (s *Store) birthCountsByDay(ctx context.Context, q model.ResidentQuery, sexes []model.Sex, bounds []string, out [][]int) (others int, err error) {
	where, args := residentWhere(q)
	rows, err := s.r.QueryContext(ctx, "SELECT r.sex, r.birth FROM resident r WHERE "+where, args...)
	if err != nil {
		return 0, fmt.Errorf("store: birth counts: %w", err)
	}
	defer rows.Close()
	// RawBytes and comparisons that convert without copying: at 42,000
	// rows the loop's allocations cost as much as the rows.
	var sex, birth sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&sex, &birth); err != nil {
			return 0, err
		}
		i := -1
		for k, x := range sexes {
			if string(x) == string(sex) {
				i = k
			}
		}
		// The range (bounds[j-1], bounds[j]] holding birth.
		j := sort.Search(len(bounds), func(k int) bool { return bounds[k] >= string(birth) })
		if i < 0 || len(birth) == 0 || j == 0 || j == len(bounds) {
			others++
			continue
		}
		out[i][j-1]++
	}
	return others, rows.Err()
}

// summaryTable is the summary for a query's grids: the totals for all.
func summaryTable(q model.ResidentQuery) string {
	if q.AllGrids {
		return "age_total"
	}
	return "age_count"
}

// summaryWhere is residentWhere for a summarized query without its
// birth dates (and, unless withSex, its sex): conditions that hold as
// well on the summaries (aliased r) as on resident.
func summaryWhere(q model.ResidentQuery, withSex bool) (string, []any) {
	rest := model.ResidentQuery{Grids: q.Grids, AllGrids: q.AllGrids}
	var sex model.Sex
	if c := q.Cohort; c != nil {
		rest.Cohort = &model.Cohort{Kinds: c.Kinds, Statuses: c.Statuses}
		sex = c.Sex
	}
	where, args := residentWhere(rest)
	if withSex && sex != "" {
		where, args = "r.sex = ? AND "+where, append([]any{string(sex)}, args...)
	}
	return where, args
}

// countSummarized counts a summarized query from age_count: the whole
// years, and its edges exactly.
func (s *Store) countSummarized(ctx context.Context, q model.ResidentQuery) (int, error) {
	if !dated(q) {
		where, args := summaryWhere(q, true)
		var n int
		err := s.r.QueryRowContext(ctx, "SELECT coalesce(sum(r.n), 0) FROM "+summaryTable(q)+" r WHERE "+where, args...).Scan(&n)
		return n, err
	}
	sexes := []model.Sex{model.Male, model.Female, ""}
	counts := [][]int{{0}, {0}, {0}}
	if err := s.summaryBirthCounts(ctx, q, sexes, []string{"0", "9999-12-31"}, counts); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range counts {
		n += c[0]
	}
	return n, nil
}

// CountBy counts the residents q selects grouped by one of their columns
// ("grid_id", "kind", "status", "sex"): value → count. A summarized query
// reads whole years from the summary and only its part-years at the
// edges of an age range from the residents.
func (s *Store) CountBy(ctx context.Context, q model.ResidentQuery, col string) (map[string]int, error) {
	switch col {
	case "grid_id", "kind", "status", "sex":
	default:
		return nil, fmt.Errorf("store: count by %q", col)
	}
	out := map[string]int{}
	if !summarized(q) {
		where, args := residentWhere(q)
		return out, s.groupCounts(ctx, "SELECT r."+col+", count(*) FROM resident r WHERE "+where+" GROUP BY 1", args, out)
	}
	table := summaryTable(q)
	if col == "grid_id" {
		table = "age_count"
	}
	where, args := summaryWhere(q, true)
	if !dated(q) {
		return out, s.groupCounts(ctx, "SELECT r."+col+", sum(r.n) FROM "+table+" r WHERE "+where+" GROUP BY 1", args, out)
	}
	// Born after lo and by hi: the whole years between from the summary,
	// the part-years at either end from the residents.
	lo, hi := q.Cohort.BornAfter, q.Cohort.BornBy
	first, last := 1, 9999
	var parts [][2]string
	if lo != "" {
		y, _ := strconv.Atoi(lo[:4])
		first = y + 1
		parts = append(parts, [2]string{lo, min(hi, fmt.Sprintf("%04d-12-31", y))})
		if hi == "" {
			parts[0][1] = fmt.Sprintf("%04d-12-31", y)
		}
	}
	if hi != "" {
		y, _ := strconv.Atoi(hi[:4])
		last = y - 1
		if lo == "" || lo[:4] != hi[:4] {
			parts = append(parts, [2]string{fmt.Sprintf("%04d-12-31", y-1), hi})
		}
	}
	if first <= last {
		err := s.groupCounts(ctx, "SELECT r."+col+", sum(r.n) FROM "+table+" r WHERE r.year >= ? AND r.year <= ? AND "+where+" GROUP BY 1",
			append([]any{first, last}, args...), out)
		if err != nil {
			return nil, err
		}
	}
	for _, p := range parts {
		if p[0] >= p[1] {
			continue
		}
		part := q
		c := *q.Cohort
		c.BornAfter, c.BornBy = p[0], p[1]
		part.Cohort = &c
		pw, pa := residentWhere(part)
		if err := s.groupCounts(ctx, "SELECT r."+col+", count(*) FROM resident r WHERE "+pw+" GROUP BY 1", pa, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// statusesOnly tells whether a cohort (nil: everyone) says nothing but
// which statuses.
func statusesOnly(c *model.Cohort) bool {
	return c == nil || c.BornAfter == "" && c.BornBy == "" && c.Sex == "" && len(c.Kinds)+len(c.Relations)+
		len(c.TagsAny)+len(c.TagsAll)+len(c.TagsNone) == 0 && !c.Alone && !c.NoIDNumber && !c.NoPhone
}

// dated tells whether q limits birth dates (an age range).
func dated(q model.ResidentQuery) bool {
	return q.Cohort != nil && (q.Cohort.BornAfter != "" || q.Cohort.BornBy != "")
}

func (s *Store) groupCounts(ctx context.Context, query string, args []any, out map[string]int) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		if n != 0 {
			out[k] += n
		}
	}
	return rows.Err()
}

// CountByCompound counts the residents q selects per compound (by id; 0
// for residents without a house).
func (s *Store) CountByCompound(ctx context.Context, q model.ResidentQuery) (map[int64]int, error) {
	where, args := residentWhere(q)
	out, err := s.idCounts(ctx, `SELECT coalesce(b.compound_id, 0), count(*) FROM resident r
		LEFT JOIN house h ON h.id = r.house_id LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN building b ON b.id = u.building_id
		WHERE `+where+" GROUP BY 1", args)
	if err != nil {
		return nil, fmt.Errorf("store: counts by compound: %w", err)
	}
	return out, nil
}

// idCounts reads (id, count) rows, leaving out zero counts.
func (s *Store) idCounts(ctx context.Context, query string, args []any) (map[int64]int, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if n != 0 {
			out[id] = n
		}
	}
	return out, rows.Err()
}

// TagCounts counts, per tag id, the residents q selects who carry it. An
// area's counts (of residents in some states) come from tag_count; a
// cohort's from its residents' links.
func (s *Store) TagCounts(ctx context.Context, q model.ResidentQuery) (map[int64]int, error) {
	var query string
	var args []any
	if q.CompoundID == 0 && q.Search == model.SearchNone && q.IDs == nil && statusesOnly(q.Cohort) {
		var w where
		if !q.AllGrids {
			in, a := inList(q.Grids)
			w.add("grid_id IN "+in, a...)
		}
		if q.Cohort != nil && len(q.Cohort.Statuses) > 0 {
			w.add("status IN (SELECT value FROM json_each(?))", jsonList(strs(q.Cohort.Statuses)))
		}
		cond, a := w.sql()
		query, args = "SELECT tag_id, sum(n) FROM tag_count WHERE "+cond+" GROUP BY 1", a
	} else {
		where, a := residentWhere(q)
		query, args = "SELECT rt.tag_id, count(*) FROM resident_tag rt WHERE rt.resident_id IN (SELECT r.id FROM resident r WHERE "+where+") GROUP BY 1", a
	}
	out, err := s.idCounts(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("store: tag counts: %w", err)
	}
	return out, nil
}

// Moves counts, per month (YYYY-MM) from the month of since on, the
// residences begun (moves in) and ended (moves out) in the houses of the
// query's grids and compound.
func (s *Store) Moves(ctx context.Context, q model.ResidentQuery, since string) (in, out map[string]int, err error) {
	in, out = map[string]int{}, map[string]int{}
	cond, args := "1", []any(nil)
	if !q.AllGrids {
		l, a := inList(q.Grids)
		cond, args = "x.house_id IN (SELECT h.id FROM house h WHERE h.grid_id IN "+l+")", a
	}
	if q.CompoundID != 0 {
		cond += ` AND x.house_id IN (SELECT h.id FROM house h JOIN unit u ON u.id = h.unit_id
			JOIN building b ON b.id = u.building_id WHERE b.compound_id = ?)`
		args = append(args, q.CompoundID)
	}
	for _, m := range []struct {
		col string
		to  map[string]int
	}{{"since", in}, {"until", out}} {
		query := "SELECT substr(x." + m.col + ", 1, 7), count(*) FROM residence x WHERE x." + m.col + " >= ? AND " + cond + " GROUP BY 1"
		if err := s.groupCounts(ctx, query, append([]any{since}, args...), m.to); err != nil {
			return nil, nil, err
		}
	}
	return in, out, nil
}
