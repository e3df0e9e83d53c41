package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/model"
)

// Bulk writes many rows in one transaction through prepared statements,
// without per-field history: for generated demo data and, later, imports
// that record themselves as one event.
type Bulk struct {
	ctx                                                              context.Context
	tx                                                               *sql.Tx
	area, compound, building, unit, house, resident, gram, residence *sql.Stmt
	stamp                                                            string
	finish                                                           func() error
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
		var empty bool
		if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM resident)").Scan(&empty); err != nil {
			return err
		}
		gramSQL := "INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id) VALUES (?, ?, ?)"
		if empty {
			rebuild, err := dropIndexes(ctx, tx, "resident", "residence")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE bulk_gram(gram TEXT NOT NULL, grid_id INTEGER NOT NULL, resident_id INTEGER NOT NULL)"); err != nil {
				return err
			}
			defer tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp.bulk_gram")
			gramSQL = "INSERT INTO temp.bulk_gram(gram, grid_id, resident_id) VALUES (?, ?, ?)"
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
			{&b.house, "INSERT INTO house(uid, unit_id, room, grid_id, use, area_m2) VALUES (?, ?, ?, ?, ?, ?)"},
			{&b.resident, `INSERT INTO resident(uid, name, id_number, sex, birth, phone, ethnicity, kind, status, notes, house_id, relation, grid_id, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
			{&b.gram, gramSQL},
			{&b.residence, "INSERT INTO residence(uid, resident_id, house_id, relation, since, until, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)"},
		} {
			st, err := tx.PrepareContext(ctx, p.sql)
			if err != nil {
				return err
			}
			defer st.Close()
			*p.st = st
		}
		if err := fn(b); err != nil {
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
	return b.insert(b.house, newUID(), h.UnitID, h.Room, h.GridID, string(h.Use), h.AreaM2)
}

// Resident inserts a resident with its name grams and, when r.HouseID is
// set, its residence from since (until, when not empty, ends it).
func (b *Bulk) Resident(r model.Resident, since, until string) (int64, error) {
	id, err := b.insert(b.resident, newUID(), r.Name, r.IDNumber, string(r.Sex), r.Birth, r.Phone, r.Ethnicity,
		string(r.Kind), string(r.Status), r.Notes, r.HouseID, string(r.Relation), r.GridID, b.stamp)
	if err != nil {
		return 0, err
	}
	for _, g := range grams(r) {
		if _, err := b.gram.ExecContext(b.ctx, g, r.GridID, id); err != nil {
			return 0, err
		}
	}
	if r.HouseID != 0 {
		var end any
		if until != "" {
			end = until
		}
		if _, err := b.residence.ExecContext(b.ctx, newUID(), id, r.HouseID, string(r.Relation), since, end, ""); err != nil {
			return 0, err
		}
	}
	return id, nil
}
