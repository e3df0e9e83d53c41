package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"shequ/model"
)

// Bulk writes many rows in one transaction through prepared statements,
// without per-field history: for generated demo data and, later, imports
// that record themselves as one event.
type Bulk struct {
	ctx                                           context.Context
	tx                                            *sql.Tx
	area, compound, building, unit, house, tagNew *sql.Stmt
	resident, gram, residence, tagLink            *batcher
	stamp                                         string
	finish                                        func() error
	empty                                         bool
	places                                        *placeCache
	nextHouse, nextResident                       int64
}

// batcher inserts rows many to a statement: the cost of a call through
// database/sql is paid once per batch rather than once per row, which is
// most of a bulk load's time otherwise.
type batcher struct {
	ctx  context.Context
	tx   *sql.Tx
	head string // INSERT … INTO t(cols) VALUES
	one  string // (?, ?, …)
	per  int    // rows per statement
	cols int
	full *sql.Stmt
	args []any
	rows int
	// children hold rows that point at this batcher's rows: they are
	// written only after it, and only in whole batches until the end.
	children []*batcher
	child    bool
}

func newBatcher(ctx context.Context, tx *sql.Tx, head string, cols int) (*batcher, error) {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	b := &batcher{ctx: ctx, tx: tx, head: head, one: one, per: max(1, 900/cols), cols: cols}
	st, err := tx.PrepareContext(ctx, b.sql(b.per))
	if err != nil {
		return nil, err
	}
	b.full = st
	return b, nil
}

func (b *batcher) sql(rows int) string {
	return b.head + " " + strings.TrimSuffix(strings.Repeat(b.one+", ", rows), ", ")
}

func (b *batcher) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.per && !b.child {
		return b.flush()
	}
	return nil
}

// flush writes every row held, then the children's whole batches.
func (b *batcher) flush() error {
	if b.rows > 0 {
		var err error
		if b.rows == b.per {
			_, err = b.full.ExecContext(b.ctx, b.args...)
		} else {
			_, err = b.tx.ExecContext(b.ctx, b.sql(b.rows), b.args...)
		}
		clear(b.args)
		b.args, b.rows = b.args[:0], 0
		if err != nil {
			return mapErr(err)
		}
	}
	for _, c := range b.children {
		if err := c.flushWhole(); err != nil {
			return err
		}
	}
	return nil
}

// flushWhole writes the rows held in whole batches, keeping the rest.
func (b *batcher) flushWhole() error {
	n, done := b.per*b.cols, 0
	for ; len(b.args)-done >= n; done += n {
		if _, err := b.full.ExecContext(b.ctx, b.args[done:done+n]...); err != nil {
			return mapErr(err)
		}
	}
	if done > 0 {
		left := copy(b.args, b.args[done:])
		clear(b.args[left:])
		b.args, b.rows = b.args[:left], left/b.cols
	}
	return nil
}

func (b *batcher) close() { b.full.Close() }

// flush writes every batched row, before anything reads them back.
func (b *Bulk) flush() error {
	if err := b.resident.flush(); err != nil {
		return err
	}
	for _, bt := range b.resident.children {
		bt.child = false
		err := bt.flush()
		bt.child = true
		if err != nil {
			return err
		}
	}
	return nil
}

// dropIndexes drops the secondary indexes of tables and returns the
// statements that create them again.
func dropIndexes(ctx context.Context, tx *sql.Tx, tables ...string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (SELECT value FROM json_each(?))`, jsonList(tables))
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

// Bulk runs fn with a Bulk bound to one write transaction; nothing is
// kept unless fn returns nil. A load into an empty registry drops the
// residents' indexes and builds them once at the end, and collects the
// name grams to insert them in key order: several times faster than
// keeping every index up to date row by row.
func (s *Store) Bulk(ctx context.Context, fn func(*Bulk) error) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		b := &Bulk{ctx: ctx, tx: tx, stamp: now()}
		if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM resident)").Scan(&b.empty); err != nil {
			return err
		}
		empty := b.empty
		gramHead := "INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id) VALUES"
		if empty {
			rebuild, err := dropIndexes(ctx, tx, "resident", "residence")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE bulk_gram(gram TEXT NOT NULL, grid_id INTEGER NOT NULL, resident_id INTEGER NOT NULL)"); err != nil {
				return err
			}
			defer tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp.bulk_gram")
			gramHead = "INSERT INTO temp.bulk_gram(gram, grid_id, resident_id) VALUES"
			b.finish = func() error {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id)
					SELECT gram, grid_id, resident_id FROM temp.bulk_gram ORDER BY gram, grid_id, resident_id`); err != nil {
					return err
				}
				for _, q := range rebuild {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return err
					}
				}
				return nil
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
			{&b.house, "INSERT INTO house(id, uid, unit_id, room, grid_id, use, area_m2) VALUES (?, ?, ?, ?, ?, ?, ?)"},
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
			{&b.resident, `INSERT INTO resident(id, uid, name, id_number, sex, birth, phone, ethnicity, kind, status, notes, house_id, relation, grid_id, updated_at) VALUES`, 15},
			{&b.gram, gramHead, 3},
			{&b.residence, "INSERT INTO residence(uid, resident_id, house_id, relation, since, until, end_reason) VALUES", 7},
			{&b.tagLink, "INSERT OR IGNORE INTO resident_tag(resident_id, tag_id, account_id, at) VALUES", 4},
		} {
			bt, err := newBatcher(ctx, tx, p.head, p.cols)
			if err != nil {
				return err
			}
			defer bt.close()
			*p.bt = bt
		}
		b.resident.children = []*batcher{b.gram, b.residence, b.tagLink}
		for _, c := range b.resident.children {
			c.child = true
		}
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
		if b.finish != nil {
			return b.finish()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: bulk write: %w", err)
	}
	return nil
}

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

// House inserts a house.
func (b *Bulk) House(h model.House) (int64, error) {
	b.nextHouse++
	if _, err := b.house.ExecContext(b.ctx, b.nextHouse, newUID(), h.UnitID, h.Room, h.GridID, string(h.Use), h.AreaM2); err != nil {
		return 0, mapErr(err)
	}
	return b.nextHouse, nil
}

// Resident inserts a resident with its name grams and, when r.HouseID is
// set, its residence from since (until, when not empty, ends it). The row
// is batched: it is written by the time anything reads residents back.
func (b *Bulk) Resident(r model.Resident, since, until string) (int64, error) {
	b.nextResident++
	id := b.nextResident
	if err := b.resident.add(id, newUID(), r.Name, r.IDNumber, string(r.Sex), r.Birth, r.Phone, r.Ethnicity,
		string(r.Kind), string(r.Status), r.Notes, r.HouseID, string(r.Relation), r.GridID, b.stamp); err != nil {
		return 0, err
	}
	for _, g := range grams(r) {
		if err := b.gram.add(g, r.GridID, id); err != nil {
			return 0, err
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
