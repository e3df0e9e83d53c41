package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"shequ/app/model"
)

// AddSpace adds a public space to an area; a name the area has is a
// conflict.
func (s *Store) AddSpace(ctx context.Context, note AuditNote, accountID int64, sp model.Space) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO space(uid, area_id, name, place, capacity, opens, closes, equipment, account_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), sp.AreaID, sp.Name, sp.Place, sp.Capacity, sp.Opens, sp.Closes, sp.Equipment, accountID, now())
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		w.note(id, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add space %s: %w", sp.Name, mapErr(err))
	}
	return id, nil
}

// UpdateSpace changes a space's details, or closes it to new bookings.
func (s *Store) UpdateSpace(ctx context.Context, note AuditNote, sp model.Space) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `UPDATE space SET name = ?, place = ?, capacity = ?, opens = ?, closes = ?, equipment = ?, closed = ?
			WHERE id = ?`, sp.Name, sp.Place, sp.Capacity, sp.Opens, sp.Closes, sp.Equipment, sp.Closed, sp.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrNotFound
		}
		w.note(sp.ID, []string{"name", "place", "capacity", "opens", "closes", "equipment", "closed"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: space %d: %w", sp.ID, mapErr(err))
	}
	return nil
}

const spaceCols = "id, area_id, name, place, capacity, opens, closes, equipment, closed"

func scanSpace(sc interface{ Scan(...any) error }, sp *model.Space) error {
	return sc.Scan(&sp.ID, &sp.AreaID, &sp.Name, &sp.Place, &sp.Capacity, &sp.Opens, &sp.Closes, &sp.Equipment, &sp.Closed)
}

// Spaces lists the spaces of some areas (all: every area), by area and name.
func (s *Store) Spaces(ctx context.Context, areas []int64, all bool) ([]model.Space, error) {
	where, args := "1", []any(nil)
	if !all {
		list, a := inList(areas)
		where, args = "area_id IN "+list, a
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+spaceCols+" FROM space WHERE "+where+" ORDER BY area_id, name", args...)
	if err != nil {
		return nil, fmt.Errorf("store: spaces: %w", err)
	}
	defer rows.Close()
	var out []model.Space
	for rows.Next() {
		var sp model.Space
		if err := scanSpace(rows, &sp); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Space reads one space.
func (s *Store) Space(ctx context.Context, id int64) (model.Space, error) {
	var sp model.Space
	err := scanSpace(s.r.QueryRowContext(ctx, "SELECT "+spaceCols+" FROM space WHERE id = ?", id), &sp)
	if errors.Is(err, sql.ErrNoRows) {
		return sp, fmt.Errorf("store: space %d: %w", id, model.ErrNotFound)
	}
	return sp, err
}

// AddBookings books several times at once (a booking repeated weekly), all
// or none: the first that clashes is a *model.ClashError.
func (s *Store) AddBookings(ctx context.Context, note AuditNote, accountID int64, list []model.Booking) ([]int64, error) {
	var ids []int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		ids = ids[:0]
		for _, b := range list {
			id, err := addBooking(ctx, tx, accountID, b)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		w.note(ids[0], nil)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: book space %d: %w", list[0].SpaceID, mapErr(err))
	}
	return ids, nil
}

func addBooking(ctx context.Context, tx *sql.Tx, accountID int64, b model.Booking) (int64, error) {
	// Bookings lie within a day, so those that may overlap start on the
	// same day before this one ends: a short range of the index.
	var clash model.Booking
	err := scanBooking(tx.QueryRowContext(ctx, "SELECT "+bookingCols+bookingFrom+` WHERE b.space_id = ? AND b.starts >= ? AND b.starts < ?
		AND b.ends > ? AND b.cancelled = '' ORDER BY b.starts LIMIT 1`, b.SpaceID, b.Starts[:10], b.Ends, b.Starts), &clash)
	if err == nil {
		return 0, &model.ClashError{With: clash}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO booking(uid, space_id, starts, ends, resident_id, organisation, contact, phone, purpose,
		people, activity_id, account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), b.SpaceID, b.Starts, b.Ends,
		b.ResidentID, b.Organisation, b.Contact, b.Phone, b.Purpose, b.People, b.ActivityID, accountID, now())
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// CancelBooking cancels a standing booking; one cancelled before is a
// conflict.
func (s *Store) CancelBooking(ctx context.Context, note AuditNote, id int64, reason string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE booking SET cancelled = ?, cancel_reason = ? WHERE id = ? AND cancelled = ''", now(), reason, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrConflict
		}
		w.note(id, []string{"cancelled", "cancel_reason"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel booking %d: %w", id, mapErr(err))
	}
	return nil
}

const bookingCols = `b.id, b.space_id, b.starts, b.ends, b.resident_id, b.organisation, b.contact, b.phone, b.purpose, b.people,
	b.activity_id, b.cancelled, b.cancel_reason, sp.name, coalesce(r.grid_id, 0)`

const bookingFrom = " FROM booking b JOIN space sp ON sp.id = b.space_id LEFT JOIN resident r ON r.id = b.resident_id AND b.resident_id <> 0"

func scanBooking(sc interface{ Scan(...any) error }, b *model.Booking) error {
	return sc.Scan(&b.ID, &b.SpaceID, &b.Starts, &b.Ends, &b.ResidentID, &b.Organisation, &b.Contact, &b.Phone, &b.Purpose, &b.People,
		&b.ActivityID, &b.Cancelled, &b.CancelReason, &b.Space, &b.Grid)
}

// Booking reads one booking.
func (s *Store) Booking(ctx context.Context, id int64) (model.Booking, error) {
	var b model.Booking
	err := scanBooking(s.r.QueryRowContext(ctx, "SELECT "+bookingCols+bookingFrom+" WHERE b.id = ?", id), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("store: booking %d: %w", id, model.ErrNotFound)
	}
	return b, err
}

// Bookings lists the bookings of some spaces starting on the days from
// to to (inclusive, YYYY-MM-DD), by start; cancelled ones too when asked.
func (s *Store) Bookings(ctx context.Context, spaces []int64, from, to string, cancelled bool) ([]model.Booking, error) {
	list, args := inList(spaces)
	q := "SELECT " + bookingCols + bookingFrom + " WHERE b.space_id IN " + list + " AND b.starts >= ? AND b.starts < ?"
	if !cancelled {
		q += " AND b.cancelled = ''"
	}
	rows, err := s.r.QueryContext(ctx, q+" ORDER BY b.starts, b.space_id", append(args, from, to+"~")...)
	if err != nil {
		return nil, fmt.Errorf("store: bookings: %w", err)
	}
	defer rows.Close()
	var out []model.Booking
	for rows.Next() {
		var b model.Booking
		if err := scanBooking(rows, &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SpaceUse sums the bookings of some spaces starting on the days from to
// to: how many, how many cancelled, minutes and people booked.
func (s *Store) SpaceUse(ctx context.Context, spaces []int64, from, to string) (map[int64]model.SpaceUse, error) {
	list, args := inList(spaces)
	rows, err := s.r.QueryContext(ctx, `SELECT space_id, sum(cancelled = ''), sum(cancelled <> ''),
		coalesce(sum(CASE WHEN cancelled = '' THEN (unixepoch(ends) - unixepoch(starts)) / 60 END), 0),
		coalesce(sum(CASE WHEN cancelled = '' THEN people END), 0)
		FROM booking WHERE space_id IN `+list+" AND starts >= ? AND starts < ? GROUP BY space_id", append(args, from, to+"~")...)
	if err != nil {
		return nil, fmt.Errorf("store: space use: %w", err)
	}
	defer rows.Close()
	out := map[int64]model.SpaceUse{}
	for rows.Next() {
		var id int64
		var u model.SpaceUse
		if err := rows.Scan(&id, &u.Bookings, &u.Cancelled, &u.Minutes, &u.People); err != nil {
			return nil, err
		}
		out[id] = u
	}
	return out, rows.Err()
}
