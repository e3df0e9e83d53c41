package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"shequ/app/model"
)

// AddActivity adds an activity and, when it is held in a space, books the
// space for it in the same transaction (a clash is a *model.ClashError and
// leaves no activity).
func (s *Store) AddActivity(ctx context.Context, note AuditNote, accountID int64, act model.Activity, booking *model.Booking) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO activity(uid, area_id, name, starts, ends, space_id, place, capacity, cohort, cohort_name,
			note, account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), act.AreaID, act.Name, act.Starts, act.Ends,
			act.SpaceID, act.Place, act.Capacity, act.Cohort, act.CohortName, act.Note, accountID, now())
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if booking != nil {
			booking.ActivityID = id
			bid, err := addBooking(ctx, tx, accountID, *booking)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE activity SET booking_id = ? WHERE id = ?", bid, id); err != nil {
				return err
			}
		}
		w.note(id, nil)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: add activity %s: %w", act.Name, mapErr(err))
	}
	return id, nil
}

// CancelActivity cancels an activity and frees its space; one cancelled
// before is a conflict.
func (s *Store) CancelActivity(ctx context.Context, note AuditNote, id int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE activity SET cancelled = ? WHERE id = ? AND cancelled = ''", now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, "UPDATE booking SET cancelled = ?, cancel_reason = 'activity' WHERE activity_id = ? AND cancelled = ''",
			now(), id); err != nil {
			return err
		}
		w.note(id, []string{"cancelled"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel activity %d: %w", id, mapErr(err))
	}
	return nil
}

// activityCols are an activity's columns with its people counted by state.
const activityCols = `a.id, a.area_id, a.name, a.starts, a.ends, a.space_id, a.booking_id, a.place, a.capacity, a.cohort, a.cohort_name,
	a.note, a.cancelled,
	(SELECT count(*) FROM activity_person p WHERE p.activity_id = a.id AND p.state = 'invited'),
	(SELECT count(*) FROM activity_person p WHERE p.activity_id = a.id AND p.state = 'signed'),
	(SELECT count(*) FROM activity_person p WHERE p.activity_id = a.id AND p.state = 'waiting'),
	(SELECT count(*) FROM activity_person p WHERE p.activity_id = a.id AND p.state = 'signed' AND p.checked_in <> '')`

func scanActivity(sc interface{ Scan(...any) error }, a *model.Activity) error {
	return sc.Scan(&a.ID, &a.AreaID, &a.Name, &a.Starts, &a.Ends, &a.SpaceID, &a.BookingID, &a.Place, &a.Capacity, &a.Cohort, &a.CohortName,
		&a.Note, &a.Cancelled, &a.Invited, &a.Signed, &a.Waiting, &a.CheckedIn)
}

// Activity reads one activity with its counts.
func (s *Store) Activity(ctx context.Context, id int64) (model.Activity, error) {
	var a model.Activity
	err := scanActivity(s.r.QueryRowContext(ctx, "SELECT "+activityCols+" FROM activity a WHERE a.id = ?", id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: activity %d: %w", id, model.ErrNotFound)
	}
	return a, err
}

// Activities lists the activities of some areas starting on the days from
// to to (inclusive), by start.
func (s *Store) Activities(ctx context.Context, areas []int64, all bool, from, to string) ([]model.Activity, error) {
	where, args := "a.starts >= ? AND a.starts < ?", []any{from, to + "~"}
	if !all {
		list, a := inList(areas)
		where += " AND a.area_id IN " + list
		args = append(args, a...)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+activityCols+" FROM activity a WHERE "+where+" ORDER BY a.starts, a.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: activities: %w", err)
	}
	defer rows.Close()
	var out []model.Activity
	for rows.Next() {
		var a model.Activity
		if err := scanActivity(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Invite adds residents to an activity as invited; those already in it
// (invited, signed, waiting or cancelled) stay as they are.
func (s *Store) Invite(ctx context.Context, note AuditNote, id int64, residents []int64) (int, error) {
	added := 0
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO activity_person(activity_id, resident_id, state, invited) VALUES (?, ?, 'invited', ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		at := now()
		for _, r := range residents {
			res, err := st.ExecContext(ctx, id, r, at)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		w.note(id, nil)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: invite to activity %d: %w", id, mapErr(err))
	}
	return added, nil
}

// SignUp signs a resident up: a place while the activity has one, else the
// end of the waiting list. Someone signed or waiting already is a conflict.
func (s *Store) SignUp(ctx context.Context, note AuditNote, id, resident int64, capacity int) (model.Attendance, error) {
	var state model.Attendance
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old string
		err := tx.QueryRowContext(ctx, "SELECT state FROM activity_person WHERE activity_id = ? AND resident_id = ?", id, resident).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old == string(model.AttSigned) || old == string(model.AttWaiting) {
			state = model.Attendance(old)
			return model.ErrConflict
		}
		var signed, seq int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE state = 'signed'), coalesce(max(seq), 0) + 1
			FROM activity_person WHERE activity_id = ?`, id).Scan(&signed, &seq); err != nil {
			return err
		}
		state = model.AttWaiting
		if signed < capacity {
			state = model.AttSigned
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO activity_person(activity_id, resident_id, state, seq, signed) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (activity_id, resident_id) DO UPDATE SET state = excluded.state, seq = excluded.seq, signed = excluded.signed,
			checked_in = ''`, id, resident, state, seq, now())
		w.note(id, []string{"state"})
		return err
	})
	if err != nil {
		return state, fmt.Errorf("store: sign %d up for activity %d: %w", resident, id, mapErr(err))
	}
	return state, nil
}

// CancelSignUp takes a resident off an activity; a place freed goes to
// the first on the waiting list, whose id is returned (0: nobody).
func (s *Store) CancelSignUp(ctx context.Context, note AuditNote, id, resident int64) (promoted int64, err error) {
	err = s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM activity_person WHERE activity_id = ? AND resident_id = ?", id, resident).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return model.ErrNotFound
			}
			return err
		}
		if old != string(model.AttSigned) && old != string(model.AttWaiting) {
			return model.ErrConflict
		}
		if _, err := tx.ExecContext(ctx, "UPDATE activity_person SET state = 'cancelled' WHERE activity_id = ? AND resident_id = ?", id, resident); err != nil {
			return err
		}
		if old == string(model.AttSigned) {
			err := tx.QueryRowContext(ctx, `UPDATE activity_person SET state = 'signed' WHERE activity_id = ? AND resident_id =
				(SELECT resident_id FROM activity_person WHERE activity_id = ? AND state = 'waiting' ORDER BY seq LIMIT 1)
				RETURNING resident_id`, id, id).Scan(&promoted)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		w.note(id, []string{"state"})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: cancel %d in activity %d: %w", resident, id, mapErr(err))
	}
	return promoted, nil
}

// CheckIn notes that a resident with a place came; anyone else, or one
// checked in before, is a conflict.
func (s *Store) CheckIn(ctx context.Context, note AuditNote, id, resident int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `UPDATE activity_person SET checked_in = ? WHERE activity_id = ? AND resident_id = ? AND state = 'signed'
			AND checked_in = ''`, now(), id, resident)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrConflict
		}
		w.note(id, []string{"checked_in"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: check %d in at activity %d: %w", resident, id, mapErr(err))
	}
	return nil
}

// Attendee reads one person of an activity (ErrNotFound: not in it).
func (s *Store) Attendee(ctx context.Context, id, resident int64) (model.Attendee, error) {
	var a model.Attendee
	err := scanAttendee(s.r.QueryRowContext(ctx, "SELECT "+attendeeCols+attendeeFrom+" WHERE p.activity_id = ? AND p.resident_id = ?", id, resident), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: attendee %d of %d: %w", resident, id, model.ErrNotFound)
	}
	return a, err
}

const attendeeCols = `p.resident_id, p.state, p.seq, p.invited, p.signed, p.checked_in, r.name, r.id_number, r.phone, r.grid_id`

const attendeeFrom = " FROM activity_person p JOIN resident r ON r.id = p.resident_id"

func scanAttendee(sc interface{ Scan(...any) error }, a *model.Attendee) error {
	return sc.Scan(&a.ResidentID, &a.State, &a.Seq, &a.Invited, &a.Signed, &a.CheckedIn, &a.Name, &a.IDNumber, &a.Phone, &a.Grid)
}

// Attendees lists an activity's people: signed up, then waiting (in
// order), then invited, then cancelled.
func (s *Store) Attendees(ctx context.Context, id int64) ([]model.Attendee, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+attendeeCols+attendeeFrom+` WHERE p.activity_id = ?
		ORDER BY CASE p.state WHEN 'signed' THEN 0 WHEN 'waiting' THEN 1 WHEN 'invited' THEN 2 ELSE 3 END, p.seq, r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: attendees of %d: %w", id, err)
	}
	defer rows.Close()
	var out []model.Attendee
	for rows.Next() {
		var a model.Attendee
		if err := scanAttendee(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
