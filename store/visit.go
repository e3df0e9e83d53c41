package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"shequ/app/model"
)

// AddVisits registers visits in one transaction (one typed at the gate, or
// a spreadsheet's at once) and returns their ids.
func (s *Store) AddVisits(ctx context.Context, note AuditNote, accountID int64, list []model.Visit) ([]int64, error) {
	ids := make([]int64, 0, len(list))
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO visit(uid, compound_id, community_id, house_id, grid_id, name, id_number, phone,
			reason, health, time_in, time_out, account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		at := now()
		for _, v := range list {
			res, err := st.ExecContext(ctx, newUID(), v.CompoundID, v.CommunityID, v.HouseID, v.GridID, v.Name, v.IDNumber, v.Phone,
				v.Reason, v.Health, v.TimeIn, v.TimeOut, accountID, at)
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if len(ids) == 1 {
			w.note(ids[0], nil)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: add visits: %w", mapErr(err))
	}
	return ids, nil
}

// LeaveVisit notes when a visitor went out; a visit closed before is a
// conflict.
func (s *Store) LeaveVisit(ctx context.Context, note AuditNote, id int64, timeOut string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE visit SET time_out = ? WHERE id = ? AND time_out = ''", timeOut, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrConflict
		}
		w.note(id, []string{"time_out"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: visit %d out: %w", id, mapErr(err))
	}
	return nil
}

// visitCols are a visit's columns for lists, with its compound's name and
// the visited house's building, unit and room.
const visitCols = `v.id, v.compound_id, v.community_id, v.house_id, v.grid_id, v.name, v.id_number, v.phone, v.reason, v.health,
	v.time_in, v.time_out, c.name, coalesce(b.name, ''), coalesce(u.name, ''), coalesce(h.room, '')`

const visitFrom = ` FROM visit v JOIN compound c ON c.id = v.compound_id LEFT JOIN house h ON h.id = v.house_id
	LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN building b ON b.id = u.building_id`

func scanVisit(sc interface{ Scan(...any) error }, v *model.Visit) error {
	a := &v.Address
	err := sc.Scan(&v.ID, &v.CompoundID, &v.CommunityID, &v.HouseID, &v.GridID, &v.Name, &v.IDNumber, &v.Phone, &v.Reason, &v.Health,
		&v.TimeIn, &v.TimeOut, &a.Compound, &a.Building, &a.Unit, &a.Room)
	a.HouseID = v.HouseID
	return err
}

// visitWhere is the one place that turns a visits query into conditions.
func visitWhere(q model.VisitQuery) (string, []any) {
	var w where
	if !q.All {
		// A visit's community is its grid's: the community condition
		// takes the index, the grid one narrows within it.
		comms, a := inList(q.Communities)
		grids, b := inList(q.Grids)
		w.add("v.community_id IN "+comms+" AND (v.grid_id = 0 OR v.grid_id IN "+grids+")", append(a, b...)...)
	}
	if q.From != "" {
		w.add("v.time_in >= ?", q.From)
	}
	if q.To != "" {
		if d, err := time.Parse("2006-01-02", q.To); err == nil {
			w.add("v.time_in < ?", d.AddDate(0, 0, 1).Format("2006-01-02"))
		}
	}
	if q.CompoundID != 0 {
		w.add("v.compound_id = ?", q.CompoundID)
	}
	if q.IDNumber != "" {
		w.add("v.id_number = ? AND v.id_number <> ''", q.IDNumber)
	}
	if q.Name != "" {
		w.add("v.name >= ? AND v.name < ?", q.Name, q.Name+"\U0010FFFF")
	}
	if q.Inside {
		w.add("v.time_out = ''")
	}
	return w.sql()
}

// Visits lists a page of visits, newest first, after a cursor (nil: from
// the newest).
func (s *Store) Visits(ctx context.Context, q model.VisitQuery, after *model.VisitCursor, limit int) ([]model.Visit, error) {
	where, args := visitWhere(q)
	if after != nil {
		where += " AND (v.time_in, v.grid_id, v.id) < (?, ?, ?)"
		args = append(args, after.TimeIn, after.GridID, after.ID)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+visitCols+visitFrom+" WHERE "+where+" ORDER BY v.time_in DESC, v.grid_id DESC, v.id DESC LIMIT ?",
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	defer rows.Close()
	var out []model.Visit
	for rows.Next() {
		var v model.Visit
		if err := scanVisit(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CountVisits counts the visits of a query.
func (s *Store) CountVisits(ctx context.Context, q model.VisitQuery) (int, error) {
	where, args := visitWhere(q)
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM visit v WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count visits: %w", err)
	}
	return n, nil
}

// EachVisit streams the visits of a query, newest first.
func (s *Store) EachVisit(ctx context.Context, q model.VisitQuery, fn func(*model.Visit) error) error {
	where, args := visitWhere(q)
	rows, err := s.r.QueryContext(ctx, "SELECT "+visitCols+visitFrom+" WHERE "+where+" ORDER BY v.time_in DESC, v.grid_id DESC, v.id DESC", args...)
	if err != nil {
		return fmt.Errorf("store: visits: %w", err)
	}
	defer rows.Close()
	var v model.Visit
	for rows.Next() {
		if err := scanVisit(rows, &v); err != nil {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Visit reads one visit.
func (s *Store) Visit(ctx context.Context, id int64) (model.Visit, error) {
	var v model.Visit
	err := scanVisit(s.r.QueryRowContext(ctx, "SELECT "+visitCols+visitFrom+" WHERE v.id = ?", id), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("store: visit %d: %w", id, model.ErrNotFound)
	}
	return v, err
}
