package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"shequ/app/model"
)

// sortColumns maps a sort key to its column; each has an index whose
// implicit rowid makes (column, id) a keyset.
var sortColumns = map[model.SortKey]string{
	model.SortID:       "r.id",
	model.SortName:     "r.name_key", // pinyin order (NameKey)
	model.SortSex:      "r.sex",
	model.SortAge:      "r.birth",
	model.SortIDNumber: "r.id_number",
	model.SortPhone:    "r.phone",
	model.SortAddress:  "r.house_id",
	model.SortRelation: rankExpr("r.relation", model.Relations),
	model.SortKind:     rankExpr("r.kind", model.Kinds),
	model.SortStatus:   rankExpr("r.status", model.Statuses),
}

// rankExpr orders codes as the list does (the display order); migration
// 004 indexes the same expressions.
func rankExpr[T ~string](col string, order []T) string {
	var b strings.Builder
	b.WriteString("(CASE " + col)
	for i, v := range order {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", v, i)
	}
	fmt.Fprintf(&b, " ELSE %d END)", len(order))
	return b.String()
}

// rank is a code's place in its list, as rankExpr computes it in SQL.
func rank[T comparable](v T, order []T) int {
	for i, x := range order {
		if x == v {
			return i
		}
	}
	return len(order)
}

// order returns the sort column and whether it runs descending. Age
// ascending is birth date descending.
func order(q model.ResidentQuery) (string, bool) {
	col, ok := sortColumns[q.Sort]
	if !ok {
		col = "r.id"
	}
	desc := q.Desc
	if q.Sort == model.SortAge {
		desc = !desc
	}
	return col, desc
}

// orderClause orders by the sort column, then by id for a total order.
func orderClause(col string, desc bool) string {
	dir := ""
	if desc {
		dir = " DESC"
	}
	if col == "r.id" {
		return col + dir
	}
	return col + dir + ", r.id" + dir
}

// residentWhere is the one place that turns a query into SQL conditions:
// scope, area, compound and search.
func residentWhere(q model.ResidentQuery) (string, []any) {
	var conds []string
	var args []any
	if !q.AllGrids {
		in, a := inList(q.Grids)
		conds = append(conds, "r.grid_id IN "+in)
		args = append(args, a...)
	}
	if q.CompoundID != 0 {
		conds = append(conds, `r.house_id IN (SELECT h.id FROM house h JOIN unit u ON u.id = h.unit_id
			JOIN building b ON b.id = u.building_id WHERE b.compound_id = ?)`)
		args = append(args, q.CompoundID)
	}
	switch q.Search {
	case model.SearchName:
		text := foldName(q.Text)
		rs := []rune(text)
		gw, a := gramWhere(q)
		args = append(args, a...)
		cond := "SELECT g.resident_id FROM resident_gram g WHERE " + gw
		if len(rs) > 2 {
			cond = "SELECT g.resident_id FROM resident_gram g JOIN resident n ON n.id = g.resident_id WHERE " + gw + " AND n.name LIKE ? ESCAPE '\\'"
			args = append(args, "%"+likeEscape(text)+"%")
		}
		if q.WithCompound {
			cond += ` UNION SELECT m.id FROM resident m WHERE m.house_id IN (SELECT h.id FROM house h JOIN unit u ON u.id = h.unit_id
				JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id WHERE c.name LIKE ? ESCAPE '\')`
			args = append(args, "%"+likeEscape(q.Text)+"%")
		}
		conds = append(conds, "r.id IN ("+cond+")")
	case model.SearchTail:
		// 尾号 of a phone or an ID number; four digits may also be a room.
		// Each tail is read from its index (migration 023), within the grids.
		grids, ga := "", []any(nil)
		if !q.AllGrids {
			l, a := inList(q.Grids)
			grids, ga = " AND t.grid_id IN "+l, a
		}
		tail := strings.ToUpper(q.Text)
		in := "SELECT t.id FROM resident t WHERE " + idTailSQL + " = ? AND t.id_number <> ''" + grids +
			" UNION SELECT t.id FROM resident t WHERE " + phoneTailSQL + " = ? AND t.phone <> ''" + grids +
			" UNION SELECT m.id FROM resident m WHERE m.house_id IN (SELECT h.id FROM house h WHERE h.room = ?)"
		args = append(append(append(append(append(args, tail), ga...), tail), ga...), q.Text)
		conds = append(conds, "r.id IN ("+in+")")
	case model.SearchIDNumber:
		conds = append(conds, "r.id_number = ?")
		args = append(args, q.Text)
	case model.SearchPhone:
		conds = append(conds, "r.phone = ?")
		args = append(args, q.Text)
	case model.SearchAddress:
		where, a := addressWhere(q.Addr)
		conds = append(conds, `r.house_id IN (SELECT h.id FROM house h JOIN unit u ON u.id = h.unit_id
			JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id WHERE `+where+`)`)
		args = append(args, a...)
	}
	if q.IDs != nil {
		conds = append(conds, "r.id IN (SELECT value FROM json_each(?))")
		args = append(args, jsonList(q.IDs))
	}
	if c := q.Cohort; c != nil {
		cc, ca := cohortWhere(c)
		conds, args = append(conds, cc...), append(args, ca...)
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// where gathers SQL conditions and their arguments, joined by AND.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds, w.args = append(w.conds, cond), append(w.args, args...)
}

// sql is the conditions joined ("1" for none) and their arguments.
func (w *where) sql() (string, []any) {
	if len(w.conds) == 0 {
		return "1", nil
	}
	return strings.Join(w.conds, " AND "), w.args
}

// cohortWhere is a cohort's part of residentWhere.
func cohortWhere(c *model.Cohort) ([]string, []any) {
	var w where
	add := w.add
	if c.BornAfter != "" || c.BornBy != "" {
		add("r.birth <> ''")
	}
	if c.BornAfter != "" {
		add("r.birth > ?", c.BornAfter)
	}
	if c.BornBy != "" {
		add("r.birth <= ?", c.BornBy)
	}
	if c.Sex != "" {
		add("r.sex = ?", string(c.Sex))
	}
	for _, set := range []struct {
		col  string
		vals []string
	}{{"r.kind", strs(c.Kinds)}, {"r.status", strs(c.Statuses)}, {"r.relation", strs(c.Relations)}} {
		if len(set.vals) > 0 {
			add(set.col+" IN (SELECT value FROM json_each(?))", jsonList(set.vals))
		}
	}
	if len(c.TagsAny) > 0 {
		add("r.id IN (SELECT resident_id FROM resident_tag WHERE tag_id IN (SELECT value FROM json_each(?)))", jsonList(c.TagsAny))
	}
	for _, t := range c.TagsAll {
		// A set per tag, not a probe per resident: 137 ms against 547 ms
		// for 214,286 of 1.5 million.
		add("r.id IN (SELECT resident_id FROM resident_tag WHERE tag_id = ?)", t)
	}
	if len(c.TagsNone) > 0 {
		add("r.id NOT IN (SELECT resident_id FROM resident_tag WHERE tag_id IN (SELECT value FROM json_each(?)))", jsonList(c.TagsNone))
	}
	if c.Alone {
		add("r.alone = 1")
	}
	if c.NoIDNumber {
		add("r.id_number = ''")
	}
	if c.NoPhone {
		add("r.phone = ''")
	}
	return w.conds, w.args
}

func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// idTailSQL and phoneTailSQL are the expressions of the tail indexes of
// migration 023 (the planner uses an index only for its very expression),
// on a resident t: the last four of the ID number, and of the phone's
// local number (for a landline, area-local-extension, the local number's).
const (
	idTailSQL    = "upper(substr(t.id_number, -4))"
	phoneTailSQL = `substr(CASE WHEN instr(substr(t.phone, instr(t.phone, '-') + 1), '-') > 0 AND instr(t.phone, '-') > 0
    THEN substr(t.phone, instr(t.phone, '-') + 1, instr(substr(t.phone, instr(t.phone, '-') + 1), '-') - 1) ELSE t.phone END, -4)`
)

// gramWhere is the condition on resident_gram g for a name search: the
// first one or two characters of the text, within the query's grids.
func gramWhere(q model.ResidentQuery) (string, []any) {
	rs := []rune(foldName(q.Text))
	cond, args := "g.gram = ?", []any{string(rs[:min(2, len(rs))])}
	if !q.AllGrids {
		in, a := inList(q.Grids)
		cond += " AND g.grid_id IN " + in
		args = append(args, a...)
	}
	return cond, args
}

// CountResidents counts the residents a query matches. The two commonest
// counts are read from small tables: the unfiltered list from the counts
// per grid (of residents in some states, such as those living here, from
// the age summaries), a search for one or two characters of a name from
// the grams (countGrams).
func (s *Store) CountResidents(ctx context.Context, q model.ResidentQuery) (int, error) {
	if q.Search == model.SearchName && !q.WithCompound && len([]rune(q.Text)) <= 2 && q.CompoundID == 0 && q.IDs == nil &&
		statusesOnly(q.Cohort) && fewOthers(q.Cohort) {
		if n, ok, err := s.countGrams(ctx, q); ok || err != nil {
			return n, err
		}
	}
	where, args := residentWhere(q)
	switch {
	case q.Cohort != nil && summarized(q):
		return s.countSummarized(ctx, q)
	case q.CompoundID != 0 || q.Cohort != nil || q.IDs != nil:
	case q.Search == model.SearchNone:
		where, args = "1", nil
		if !q.AllGrids {
			in, a := inList(q.Grids)
			where, args = "grid_id IN "+in, a
		}
		var n int
		err := s.r.QueryRowContext(ctx, "SELECT coalesce(sum(n), 0) FROM grid_count WHERE "+where, args...).Scan(&n)
		return n, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM resident r WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count residents: %w", err)
	}
	return n, nil
}

// fewOthers tells whether the states a cohort leaves out are none or
// former residents' only (迁出, 死亡: a few in a hundred).
func fewOthers(c *model.Cohort) bool {
	if c == nil || len(c.Statuses) == 0 {
		return true
	}
	for _, st := range model.Living {
		if !slices.Contains(c.Statuses, st) {
			return false
		}
	}
	return true
}

// gramSetFrom is how many grams make the set of former residents worth it.
var gramSetFrom = 2000

// countGrams counts a search for one or two characters of a name from
// the grams (ok false: count it otherwise). Of residents in some states it
// counts the grams less those of the others, the few former residents:
// their ids, from the index of the state's rank (migration 004), are a set
// each gram is checked against, instead of a row read per gram. Building
// the set costs about what reading 2,000 rows does, so fewer grams are
// counted row by row (伟 among 200,000, 8,662 of them living here: 10.6 →
// 5.3 ms; 王伟, 66: 0.07 ms row by row).
func (s *Store) countGrams(ctx context.Context, q model.ResidentQuery) (n int, ok bool, err error) {
	where, args := gramWhere(q)
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM resident_gram g WHERE "+where, args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: count residents: %w", err)
	}
	if q.Cohort == nil || len(q.Cohort.Statuses) == 0 {
		return n, true, nil
	}
	if n < gramSetFrom {
		return 0, false, nil
	}
	others := []string{strconv.Itoa(len(model.Statuses))} // and codes of no state known
	for i, st := range model.Statuses {
		if !slices.Contains(q.Cohort.Statuses, st) {
			others = append(others, strconv.Itoa(i))
		}
	}
	where += " AND g.resident_id NOT IN (SELECT r.id FROM resident r WHERE " + rankExpr("r.status", model.Statuses) +
		" IN (" + strings.Join(others, ", ") + "))"
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM resident_gram g WHERE "+where, args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: count residents: %w", err)
	}
	return n, true, nil
}

// ResidentPage returns up to limit rows after the cursor (nil: from the
// start) in the query's order, or, when backward, the rows before it
// (nil: the last rows), still in the query's order.
func (s *Store) ResidentPage(ctx context.Context, q model.ResidentQuery, after *model.Cursor, limit int, backward bool) ([]model.ResidentRow, error) {
	col, desc := order(q)
	if backward {
		desc = !desc
	}
	where, args := residentWhere(q)
	if after != nil {
		op := ">"
		if desc {
			op = "<"
		}
		if col == "r.id" {
			where += " AND r.id " + op + " ?"
			args = append(args, after.ID)
		} else {
			where += " AND (" + col + ", r.id) " + op + " (?, ?)"
			args = append(args, after.Value, after.ID)
		}
	}
	orderBy := orderClause(col, desc)
	query := `SELECT ` + residentCols + `, coalesce(c.name, ''), coalesce(b.name, ''), coalesce(u.name, ''), coalesce(h.room, ''), coalesce(h.use, '')
		FROM (SELECT r.id AS rid FROM resident r WHERE ` + where + ` ORDER BY ` + orderBy + ` LIMIT ?) page
		JOIN resident r ON r.id = page.rid
		LEFT JOIN house h ON h.id = r.house_id LEFT JOIN unit u ON u.id = h.unit_id
		LEFT JOIN building b ON b.id = u.building_id LEFT JOIN compound c ON c.id = b.compound_id
		ORDER BY ` + orderBy
	rows, err := s.r.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: residents page: %w", err)
	}
	defer rows.Close()
	var out []model.ResidentRow
	for rows.Next() {
		var row model.ResidentRow
		var use string
		if err := scanResident(rows, &row.Resident, &row.Address.Compound, &row.Address.Building, &row.Address.Unit, &row.Address.Room, &use); err != nil {
			return nil, err
		}
		row.Address.Use = model.HouseUse(use)
		row.Address.HouseID, row.Address.GridID = row.HouseID, row.GridID
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if backward {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// ResidentCursor is the keyset position of a row, for paging on from it.
func ResidentCursor(q model.ResidentQuery, r model.Resident) model.Cursor {
	var v any
	switch q.Sort {
	case model.SortName:
		v = NameKey(r.Name)
	case model.SortSex:
		v = string(r.Sex)
	case model.SortAge:
		v = r.Birth
	case model.SortIDNumber:
		v = r.IDNumber
	case model.SortPhone:
		v = r.Phone
	case model.SortAddress:
		v = r.HouseID
	case model.SortRelation:
		v = rank(r.Relation, model.Relations)
	case model.SortKind:
		v = rank(r.Kind, model.Kinds)
	case model.SortStatus:
		v = rank(r.Status, model.Statuses)
	}
	return model.Cursor{Value: v, ID: r.ID}
}

// ResidentCursorAt returns the cursor just before the row at position
// offset in the query's order, so that a jump deep into the list (a
// scrollbar dragged to its middle) costs one index-only skip and then
// pages by keyset. ok is false for offset 0 (start from nil).
func (s *Store) ResidentCursorAt(ctx context.Context, q model.ResidentQuery, offset int) (c model.Cursor, ok bool, err error) {
	if offset <= 0 {
		return c, false, nil
	}
	query, args := cursorSQL(q)
	err = s.r.QueryRowContext(ctx, query, append(args, offset-1)...).Scan(&c.Value, &c.ID)
	if err != nil {
		return c, false, fmt.Errorf("store: residents cursor: %w", mapErr(err))
	}
	return c, true, nil
}

// cursorSQL is the query of ResidentCursorAt, its offset bound last.
func cursorSQL(q model.ResidentQuery) (string, []any) {
	col, desc := order(q)
	where, args := residentWhere(q)
	from := "resident r"
	if col == "r.id" && where == "1" {
		from = "resident r INDEXED BY resident_order"
	}
	return "SELECT " + col + ", r.id FROM " + from + " WHERE " + where + " ORDER BY " + orderClause(col, desc) + " LIMIT 1 OFFSET ?", args
}

// inList renders an IN list of ids as JSON for json_each, one bound
// parameter however many grids an account has. A single id is bound as
// itself: SQLite reads `x IN (?)` as `x = ?` and can follow an index's
// order, which a JSON list hides from it (a community's visits, first page
// and count: 111 → 9 ms).
func inList(ids []int64) (string, []any) {
	if len(ids) == 1 {
		return "(?)", []any{ids[0]}
	}
	return "(SELECT value FROM json_each(?))", []any{jsonList(ids)}
}

func jsonList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
