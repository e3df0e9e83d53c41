package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"shequ/app/model"
)

// Bulk writes many rows in one transaction, without per-field history:
// for generated demo data and imports, which record themselves as one
// event.
type Bulk struct {
	s                                      *Store
	ctx                                    context.Context
	tx                                     *sql.Tx
	area, compound, building, unit, tagNew *sql.Stmt
	house, resident, gram, residence       *batcher
	tagLink                                *batcher
	stamp                                  string
	empty                                  bool
	places                                 *placeCache
	nextHouse, nextResident                int64
}

// batcher inserts rows many to a statement: the cost of a call through
// database/sql is paid once per batch rather than once per row, which is
// most of a bulk load's time otherwise. Statements are prepared once per
// batch size.
type batcher struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string // INSERT … INTO t(cols) VALUES
	one   string // (?, ?, …)
	per   int    // rows per statement
	cols  int
	stmts map[int]*sql.Stmt
	args  []any
	rows  int
	// parents hold rows this batcher's rows point at: they are written
	// first. A batcher with parents waits for them to fill.
	parents, children []*batcher
}

func newBatcher(ctx context.Context, tx *sql.Tx, head string, cols int) *batcher {
	return &batcher{ctx: ctx, tx: tx, head: head, cols: cols, per: max(1, 900/cols), stmts: map[int]*sql.Stmt{},
		one: "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"}
}

func (b *batcher) stmt(rows int) (*sql.Stmt, error) {
	if st, ok := b.stmts[rows]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(b.ctx, b.head+" "+strings.TrimSuffix(strings.Repeat(b.one+", ", rows), ", "))
	if err != nil {
		return nil, err
	}
	b.stmts[rows] = st
	return st, nil
}

func (b *batcher) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows >= b.per && len(b.parents) == 0 {
		return b.flush(true)
	}
	return nil
}

// flush writes the rows held (with whole false, all of them; else whole
// batches only), its parents' first and its children's after.
func (b *batcher) flush(whole bool) error {
	for _, p := range b.parents {
		if err := p.write(false); err != nil {
			return err
		}
	}
	if err := b.write(whole); err != nil {
		return err
	}
	for _, c := range b.children {
		for _, p := range c.parents { // all of them, not only b
			if err := p.write(false); err != nil {
				return err
			}
		}
		if err := c.write(true); err != nil {
			return err
		}
	}
	return nil
}

// write executes the rows held: whole batches, and the rest unless whole.
func (b *batcher) write(whole bool) error {
	done := 0
	for b.rows > 0 && (b.rows >= b.per || !whole) {
		n := min(b.rows, b.per)
		st, err := b.stmt(n)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(b.ctx, b.args[done:done+n*b.cols]...); err != nil {
			return mapErr(err)
		}
		done += n * b.cols
		b.rows -= n
	}
	left := copy(b.args, b.args[done:])
	clear(b.args[left:])
	b.args = b.args[:left]
	return nil
}

func (b *batcher) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// flush writes every batched row, before anything reads them back.
func (b *Bulk) flush() error {
	for _, bt := range []*batcher{b.house, b.resident, b.gram, b.residence, b.tagLink} {
		if err := bt.write(false); err != nil {
			return err
		}
	}
	return nil
}

// dropIndexes drops the secondary indexes of tables but those named in
// keep, and returns the statements that create them again.
func dropIndexes(ctx context.Context, tx *sql.Tx, keep []string, tables ...string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (SELECT value FROM json_each(?)) AND name NOT IN (SELECT value FROM json_each(?))`, jsonList(tables), jsonList(keep))
	if err != nil {
		return nil, err
	}
	var names, create []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, create = append(names, name), append(create, q)
	}
	rows.Close()
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return nil, err
		}
	}
	return create, rows.Err()
}

// summaryTriggers keep the summaries of migrations 003 and 015 as rows
// are written.
var summaryTriggers = []string{"resident_counted", "resident_aged", "resident_housed", "resident_tagged",
	"house_alone_new", "house_alone"}

// summariesSQL counts the summaries afresh from the rows.
var summariesSQL = []string{
	"DELETE FROM grid_count",
	"INSERT INTO grid_count(grid_id, n) SELECT grid_id, count(*) FROM resident GROUP BY grid_id",
	"DELETE FROM age_count",
	// Grouped first in the order of the index resident_cohort, which
	// needs no sort, and then by year: 3 s → 0.3 s for 1.5 million.
	`INSERT INTO age_count(grid_id, sex, year, kind, status, n)
		SELECT grid_id, sex, year, kind, status, sum(n) FROM (
			SELECT grid_id, sex, CAST(substr(birth, 1, 4) AS INTEGER) AS year, kind, status, count(*) AS n
			FROM resident INDEXED BY resident_cohort GROUP BY sex, birth, grid_id, kind, status)
		GROUP BY 1, 2, 3, 4, 5`,
	"DELETE FROM age_total",
	"INSERT INTO age_total(sex, year, kind, status, n) SELECT sex, year, kind, status, sum(n) FROM age_count GROUP BY 1, 2, 3, 4",
	"DELETE FROM tag_count",
	`INSERT INTO tag_count(tag_id, grid_id, status, n)
		SELECT rt.tag_id, r.grid_id, r.status, count(*) FROM resident_tag rt JOIN resident r ON r.id = rt.resident_id GROUP BY 1, 2, 3`,
	"DELETE FROM house_members",
	// OR IGNORE spares the statement journal a plain UPDATE keeps of every
	// page it changes: 7 s and 300 MB for the 100,000 of 1.5 million.
	`INSERT INTO house_members(house_id, n)
		SELECT house_id, count(*) FROM resident WHERE house_id <> 0 AND status IN ('present', 'away') GROUP BY house_id`,
	`UPDATE OR IGNORE resident SET alone = 1 WHERE status IN ('present', 'away')
		AND house_id IN (SELECT house_id FROM house_members WHERE n = 1)`,
}

// dropTriggers drops triggers and returns the statements that create
// them again.
func dropTriggers(ctx context.Context, tx *sql.Tx, names ...string) ([]string, error) {
	var create []string
	for _, n := range names {
		var q string
		if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", n).Scan(&q); err != nil {
			return nil, fmt.Errorf("trigger %s: %w", n, err)
		}
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
			return nil, err
		}
		create = append(create, q)
	}
	return create, nil
}

// Bulk runs fn with a Bulk bound to one write transaction; nothing is
// kept unless fn returns nil, and note's entry, made once fn is done,
// commits with the load. A load into an empty registry drops the
// residents' indexes and builds them once at the end, and makes the name
// grams at the end too, in one statement, in key order: several times
// faster than keeping every index up to date row by row.
func (s *Store) Bulk(ctx context.Context, note AuditNote, fn func(*Bulk) error) error {
	// Into an empty registry every row's parents come from the same load,
	// so foreign keys are checked once at the end rather than row by row
	// (a sixth of the rows' time). The pragma does nothing inside a
	// transaction: it is set before, and then checked inside, should
	// another process have written in between.
	var unchecked bool
	if err := s.w.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM resident)").Scan(&unchecked); err != nil {
		return fmt.Errorf("store: bulk write: %w", err)
	}
	if unchecked {
		if _, err := s.w.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("store: bulk write: %w", err)
		}
		defer s.w.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		b := &Bulk{s: s, ctx: ctx, tx: tx, stamp: now()}
		if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM resident)").Scan(&b.empty); err != nil {
			return err
		}
		var rebuild []string
		if b.empty {
			var err error
			if rebuild, err = dropForLoad(ctx, tx); err != nil {
				return err
			}
		}
		for _, p := range []struct {
			st  **sql.Stmt
			sql string
		}{
			{&b.area, "INSERT INTO area(uid, parent_id, level, name) VALUES (?, ?, ?, ?)"},
			{&b.compound, "INSERT INTO compound(uid, community_id, name) VALUES (?, ?, ?)"},
			{&b.building, "INSERT INTO building(uid, compound_id, name) VALUES (?, ?, ?)"},
			{&b.unit, "INSERT INTO unit(uid, building_id, name) VALUES (?, ?, ?)"},
			{&b.tagNew, "INSERT INTO tag(uid, name) VALUES (?, ?)"},
		} {
			st, err := tx.PrepareContext(ctx, p.sql)
			if err != nil {
				return err
			}
			defer st.Close()
			*p.st = st
		}
		for _, p := range []struct {
			bt   **batcher
			head string
			cols int
		}{
			{&b.house, "INSERT INTO house(id, uid, unit_id, room, grid_id, use, area_m2) VALUES", 7},
			{&b.resident, `INSERT INTO resident(id, uid, name, name_key, id_number, sex, birth, phone, ethnicity, kind, status, notes, house_id, relation, grid_id, updated_at) VALUES`, 16},
			{&b.gram, "INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id) VALUES", 3},
			{&b.residence, "INSERT INTO residence(uid, resident_id, house_id, relation, since, until, end_reason) VALUES", 7},
			{&b.tagLink, "INSERT OR IGNORE INTO resident_tag(resident_id, tag_id, account_id, at) VALUES", 4},
		} {
			bt := newBatcher(ctx, tx, p.head, p.cols)
			defer bt.close()
			*p.bt = bt
		}
		// A residence points at its house and its resident, a tag at its
		// resident: those go first (foreign keys are checked at once).
		b.residence.parents = []*batcher{b.house, b.resident}
		b.tagLink.parents = []*batcher{b.resident}
		b.house.children = []*batcher{b.residence}
		b.resident.children = []*batcher{b.residence, b.tagLink}
		// Ids are handed out here, so that a row can be batched and
		// still be pointed at at once; the transaction holds the lock.
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM resident").Scan(&b.nextResident); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM house").Scan(&b.nextHouse); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
		}
		if unchecked {
			if err := foreignKeyCheck(ctx, tx); err != nil {
				return err
			}
		}
		if !b.empty {
			return nil
		}
		// What the rows needed (the places found) is garbage now: give it
		// back before the sort below takes its memory.
		b.places = nil
		return buildDropped(ctx, tx, rebuild)
	})
	if err != nil {
		return fmt.Errorf("store: bulk write: %w", err)
	}
	return nil
}

// dropForLoad drops, for a load into an empty registry, the residents'
// indexes and the summaries' triggers, and returns what builds them again
// with the summaries counted afresh. keep are indexes a load still needs.
func dropForLoad(ctx context.Context, tx *sql.Tx, keep ...string) ([]string, error) {
	rebuild, err := dropIndexes(ctx, tx, keep, "resident", "residence")
	if err != nil {
		return nil, err
	}
	// The summaries are counted once at the end instead of row by row
	// (84 → 57 s for 1.5 million), and alone is set then: its triggers
	// look residents up by house, an index just dropped.
	triggers, err := dropTriggers(ctx, tx, summaryTriggers...)
	if err != nil {
		return nil, err
	}
	return append(append(rebuild, summariesSQL...), triggers...), nil
}

// buildDropped ends a load into an empty registry: every resident's name
// grams in one statement, in key order, and then what dropForLoad dropped.
func buildDropped(ctx context.Context, tx *sql.Tx, rebuild []string) error {
	// Names are short: the numbers joined to each go no further than
	// the longest, not to a fixed bound.
	var longest int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(length(name)), 0) FROM resident").Scan(&longest); err != nil {
		return err
	}
	debug.FreeOSMemory()
	// The sorts below spill to files rather than memory. (Allowed in a
	// transaction while the connection has no temporary tables;
	// statement journals stay in memory while rows are written.)
	// Sorter threads use the second core: grams 16 → 12 s.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA temp_store = FILE; PRAGMA cache_size = -16384; PRAGMA threads = %d", min(runtime.NumCPU(), 4))); err != nil {
		return err
	}
	defer tx.ExecContext(context.Background(), "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA threads = 0")
	if _, err := tx.ExecContext(ctx, gramsSQL, longest); err != nil {
		return err
	}
	for _, q := range rebuild {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// foreignKeyCheck fails when a row points at a row that is not there.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	var table, parent string
	var row sql.NullInt64
	var fk int
	err := tx.QueryRowContext(ctx, "PRAGMA foreign_key_check").Scan(&table, &row, &parent, &fk)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s row %d points at no %s", table, row.Int64, parent)
}

// gramsSQL makes every resident's search grams (as grams does, one by one)
// in one statement, sorted for the index: the characters and pairs of the
// name.
const gramsSQL = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id)
SELECT g, grid_id, id FROM (
	SELECT lower(substr(r.name, n.i, 1)) AS g, r.grid_id, r.id FROM resident r JOIN n ON n.i <= length(r.name)
	UNION ALL SELECT lower(substr(r.name, n.i, 2)), r.grid_id, r.id FROM resident r JOIN n ON n.i < length(r.name)
) ORDER BY 1, 2, 3`

func (b *Bulk) insert(st *sql.Stmt, args ...any) (int64, error) {
	res, err := st.ExecContext(b.ctx, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.LastInsertId()
}

// Area inserts an area.
func (b *Bulk) Area(a model.Area) (int64, error) {
	return b.insert(b.area, newUID(), nullID(a.ParentID), string(a.Level), a.Name)
}

// Compound inserts a compound.
func (b *Bulk) Compound(c model.Compound) (int64, error) {
	return b.insert(b.compound, newUID(), c.CommunityID, c.Name)
}

// Building inserts a building.
func (b *Bulk) Building(x model.Building) (int64, error) {
	return b.insert(b.building, newUID(), x.CompoundID, x.Name)
}

// Unit inserts a unit.
func (b *Bulk) Unit(u model.Unit) (int64, error) {
	return b.insert(b.unit, newUID(), u.BuildingID, u.Name)
}

// House inserts a house (batched).
func (b *Bulk) House(h model.House) (int64, error) {
	b.nextHouse++
	return b.nextHouse, b.house.add(b.nextHouse, newUID(), h.UnitID, h.Room, h.GridID, string(h.Use), h.AreaM2)
}

// Resident inserts a resident with its name grams and, when r.HouseID is
// set, its residence from since (until, when not empty, ends it). The row
// is batched: it is written by the time anything reads residents back.
func (b *Bulk) Resident(r model.Resident, since, until string) (int64, error) {
	b.nextResident++
	id := b.nextResident
	if err := b.resident.add(id, newUID(), r.Name, NameKey(r.Name), r.IDNumber, string(r.Sex), r.Birth, r.Phone, r.Ethnicity,
		string(r.Kind), string(r.Status), r.Notes, r.HouseID, string(r.Relation), r.GridID, b.stamp); err != nil {
		return 0, err
	}
	if !b.empty { // into an empty registry, grams are made at the end
		for _, g := range grams(r) {
			if err := b.gram.add(g, r.GridID, id); err != nil {
				return 0, err
			}
		}
	}
	if r.HouseID != 0 {
		var end any
		if until != "" {
			end = until
		}
		if err := b.residence.add(newUID(), id, r.HouseID, string(r.Relation), since, end, ""); err != nil {
			return 0, err
		}
	}
	return id, nil
}
