package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"shequ/app/model"
)

// residentCols are the columns of a resident in scan order.
const residentCols = `r.id, r.name, r.id_number, r.sex, r.birth, r.phone, r.ethnicity, r.kind, r.status,
	r.notes, r.house_id, r.relation, r.grid_id, r.updated_at`

type scanner interface{ Scan(...any) error }

func scanResident(sc scanner, r *model.Resident, extra ...any) error {
	var sex, kind, status, rel, updated string
	dest := append([]any{&r.ID, &r.Name, &r.IDNumber, &sex, &r.Birth, &r.Phone, &r.Ethnicity, &kind, &status,
		&r.Notes, &r.HouseID, &rel, &r.GridID, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	r.Sex, r.Kind, r.Status, r.Relation = model.Sex(sex), model.Kind(kind), model.Status(status), model.Relation(rel)
	r.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	return nil
}

// Resident loads one resident.
func (s *Store) Resident(ctx context.Context, id int64) (model.Resident, error) {
	var r model.Resident
	err := scanResident(s.r.QueryRowContext(ctx, "SELECT "+residentCols+" FROM resident r WHERE r.id = ?", id), &r)
	if err != nil {
		return r, fmt.Errorf("store: resident %d: %w", id, mapErr(err))
	}
	return r, nil
}

// ResidentByIDNumber finds the resident with a citizen ID number.
func (s *Store) ResidentByIDNumber(ctx context.Context, idNumber string) (model.Resident, error) {
	var r model.Resident
	err := scanResident(s.r.QueryRowContext(ctx, "SELECT "+residentCols+" FROM resident r WHERE r.id_number = ?", idNumber), &r)
	if err != nil {
		return r, fmt.Errorf("store: resident with ID number: %w", mapErr(err))
	}
	return r, nil
}

// residentFields are the editable fields of a resident, by history name.
func residentFields(r *model.Resident) []struct {
	name string
	val  string
} {
	return []struct {
		name string
		val  string
	}{
		{"name", r.Name}, {"id_number", r.IDNumber}, {"sex", string(r.Sex)}, {"birth", r.Birth},
		{"phone", r.Phone}, {"ethnicity", r.Ethnicity}, {"kind", string(r.Kind)}, {"status", string(r.Status)},
		{"notes", r.Notes},
	}
}

// CreateResident inserts a resident; when r.HouseID is set the resident
// moves into that house with r.Relation from the date since.
func (s *Store) CreateResident(ctx context.Context, note AuditNote, accountID int64, r model.Resident, since string) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO resident(uid, name, name_key, id_number, sex, birth, phone, ethnicity, kind, status, notes, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), r.Name, NameKey(r.Name), r.IDNumber, string(r.Sex), r.Birth, r.Phone,
			r.Ethnicity, string(r.Kind), string(r.Status), r.Notes, now())
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		w.note(id, nil)
		if err := writeGrams(ctx, tx, id, model.Resident{}, 0, r, 0); err != nil {
			return err
		}
		for _, f := range residentFields(&r) {
			if f.val != "" {
				if err := addHistory(ctx, tx, accountID, "resident", id, f.name, "", f.val); err != nil {
					return err
				}
			}
		}
		if r.HouseID != 0 {
			return moveIn(ctx, tx, accountID, id, r.HouseID, r.Relation, since)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: create resident: %w", err)
	}
	return id, nil
}

// UpdateResident writes the editable fields of r, keeping each changed
// field's old and new value in the history. It refuses with ErrConflict
// when the row changed since r.UpdatedAt was read. It returns the names
// of the fields that changed.
func (s *Store) UpdateResident(ctx context.Context, note AuditNote, accountID int64, r model.Resident) ([]string, error) {
	var fields []string
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) (err error) {
		fields, err = updateResident(ctx, tx, accountID, r)
		w.note(r.ID, append([]string{}, fields...))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: update resident %d: %w", r.ID, err)
	}
	return fields, nil
}

func updateResident(ctx context.Context, tx *sql.Tx, accountID int64, r model.Resident) ([]string, error) {
	var old model.Resident
	if err := scanResident(tx.QueryRowContext(ctx, "SELECT "+residentCols+" FROM resident r WHERE r.id = ?", r.ID), &old); err != nil {
		return nil, err
	}
	if !r.UpdatedAt.IsZero() && !old.UpdatedAt.Equal(r.UpdatedAt) {
		return nil, fmt.Errorf("%w: changed by someone else since it was opened", model.ErrConflict)
	}
	var fields []string
	newF, oldF := residentFields(&r), residentFields(&old)
	for i := range newF {
		if newF[i].val != oldF[i].val {
			fields = append(fields, newF[i].name)
			if err := addHistory(ctx, tx, accountID, "resident", r.ID, newF[i].name, oldF[i].val, newF[i].val); err != nil {
				return nil, err
			}
		}
	}
	if len(fields) == 0 {
		return nil, nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE resident SET name = ?, name_key = ?, id_number = ?, sex = ?, birth = ?, phone = ?, ethnicity = ?,
		kind = ?, status = ?, notes = ?, updated_at = ? WHERE id = ?`, r.Name, NameKey(r.Name), r.IDNumber, string(r.Sex), r.Birth,
		r.Phone, r.Ethnicity, string(r.Kind), string(r.Status), r.Notes, now(), r.ID)
	if err != nil {
		return nil, err
	}
	return fields, writeGrams(ctx, tx, r.ID, old, old.GridID, r, old.GridID)
}

// MoveResident ends the resident's current residence on date and starts a
// new one in houseID with relation. Nothing is deleted.
func (s *Store) MoveResident(ctx context.Context, note AuditNote, accountID, residentID, houseID int64, rel model.Relation, date string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		if err := endResidence(ctx, tx, accountID, residentID, date, "moved"); err != nil {
			return err
		}
		return moveIn(ctx, tx, accountID, residentID, houseID, rel, date)
	})
	if err != nil {
		return fmt.Errorf("store: move resident %d: %w", residentID, err)
	}
	return nil
}

// LeaveHouse ends the resident's current residence on date and sets the
// resident's status (迁出 or 死亡); the last address stays on the record.
func (s *Store) LeaveHouse(ctx context.Context, note AuditNote, accountID, residentID int64, status model.Status, date string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		if err := endResidence(ctx, tx, accountID, residentID, date, string(status)); err != nil {
			return err
		}
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT status FROM resident WHERE id = ?", residentID).Scan(&old); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE resident SET status = ?, updated_at = ? WHERE id = ?", string(status), now(), residentID); err != nil {
			return err
		}
		return addHistory(ctx, tx, accountID, "resident", residentID, "status", old, string(status))
	})
	if err != nil {
		return fmt.Errorf("store: resident %d leaves: %w", residentID, err)
	}
	return nil
}

func moveIn(ctx context.Context, tx *sql.Tx, accountID, residentID, houseID int64, rel model.Relation, since string) error {
	var grid int64
	if err := tx.QueryRowContext(ctx, "SELECT grid_id FROM house WHERE id = ?", houseID).Scan(&grid); err != nil {
		return fmt.Errorf("house %d: %w", houseID, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO residence(uid, resident_id, house_id, relation, since) VALUES (?, ?, ?, ?, ?)",
		newUID(), residentID, houseID, string(rel), since); err != nil {
		return err
	}
	// A vacant house someone moves into is lived in now: rented by a
	// tenant, else by its owner.
	use := model.UseOwner
	if rel == model.RelTenant {
		use = model.UseRented
	}
	res, err := tx.ExecContext(ctx, "UPDATE house SET use = ? WHERE id = ? AND use = 'vacant'", string(use), houseID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if err := addHistory(ctx, tx, accountID, "house", houseID, "use", string(model.UseVacant), string(use)); err != nil {
			return err
		}
	}
	var cur model.Resident
	if err := scanResident(tx.QueryRowContext(ctx, "SELECT "+residentCols+" FROM resident r WHERE r.id = ?", residentID), &cur); err != nil {
		return err
	}
	oldHouse, oldGrid, oldRel := cur.HouseID, cur.GridID, string(cur.Relation)
	if err := writeGrams(ctx, tx, residentID, cur, oldGrid, cur, grid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE resident SET house_id = ?, relation = ?, grid_id = ?, updated_at = ? WHERE id = ?",
		houseID, string(rel), grid, now(), residentID); err != nil {
		return err
	}
	// Someone who had moved away and moves in again lives here now.
	var status string
	if err := tx.QueryRowContext(ctx, "SELECT status FROM resident WHERE id = ?", residentID).Scan(&status); err != nil {
		return err
	}
	if status == string(model.StatusMoved) {
		if _, err := tx.ExecContext(ctx, "UPDATE resident SET status = ? WHERE id = ?", string(model.StatusPresent), residentID); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, accountID, "resident", residentID, "status", status, string(model.StatusPresent)); err != nil {
			return err
		}
	}
	if err := addHistory(ctx, tx, accountID, "resident", residentID, "house", fmt.Sprint(oldHouse), fmt.Sprint(houseID)); err != nil {
		return err
	}
	return addHistory(ctx, tx, accountID, "resident", residentID, "relation", oldRel, string(rel))
}

func endResidence(ctx context.Context, tx *sql.Tx, accountID, residentID int64, date, reason string) error {
	var id int64
	var since string
	err := tx.QueryRowContext(ctx, "SELECT id, since FROM residence WHERE resident_id = ? AND until IS NULL", residentID).Scan(&id, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if date < since {
		return fmt.Errorf("%w: the end date %s is before the move-in date %s", model.ErrInvalid, date, since)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE residence SET until = ?, end_reason = ? WHERE id = ?", date, reason, id); err != nil {
		return err
	}
	return addHistory(ctx, tx, accountID, "residence", id, "until", "", date)
}

// Household lists the people who live in a house now (current only) or
// ever (with ended residences too), householder first.
func (s *Store) Household(ctx context.Context, houseID int64, withPast bool) ([]model.Member, error) {
	q := `SELECT ` + residentCols + `, s.id, s.relation, s.since, coalesce(s.until, '')
		FROM residence s JOIN resident r ON r.id = s.resident_id WHERE s.house_id = ?`
	if !withPast {
		q += " AND s.until IS NULL"
	}
	q += ` ORDER BY s.until IS NOT NULL, CASE s.relation WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 ELSE 2 END, r.birth, r.id`
	rows, err := s.r.QueryContext(ctx, q, houseID)
	if err != nil {
		return nil, fmt.Errorf("store: household %d: %w", houseID, err)
	}
	defer rows.Close()
	var out []model.Member
	for rows.Next() {
		var m model.Member
		var rel string
		if err := scanResident(rows, &m.Resident, &m.ResidenceID, &rel, &m.Since, &m.Until); err != nil {
			return nil, err
		}
		m.Relation = model.Relation(rel)
		out = append(out, m)
	}
	return out, rows.Err()
}

// History lists the changes to one row, newest first.
func (s *Store) History(ctx context.Context, entity string, id int64) ([]model.Change, error) {
	return s.history(ctx, "h.entity = ? AND h.entity_id = ?", entity, id)
}

// ResidentHistory lists the changes to a resident and to their
// residences (moving in and out), newest first.
func (s *Store) ResidentHistory(ctx context.Context, id int64) ([]model.Change, error) {
	return s.history(ctx, `h.entity = 'resident' AND h.entity_id = ?
		OR h.entity = 'residence' AND h.entity_id IN (SELECT id FROM residence WHERE resident_id = ?)`, id, id)
}

func (s *Store) history(ctx context.Context, where string, args ...any) ([]model.Change, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT h.at, coalesce(a.username, ''), h.entity, h.field, h.old, h.new
		FROM history h LEFT JOIN account a ON a.id = h.account_id
		WHERE `+where+` ORDER BY h.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []model.Change
	for rows.Next() {
		var c model.Change
		var at string
		if err := rows.Scan(&at, &c.Account, &c.Entity, &c.Field, &c.Old, &c.New); err != nil {
			return nil, err
		}
		c.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, c)
	}
	return out, rows.Err()
}

func addHistory(ctx context.Context, tx *sql.Tx, accountID int64, entity string, id int64, field, old, new string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO history(entity, entity_id, field, old, new, account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		entity, id, field, old, new, nullID(accountID), now())
	return err
}

// grams are the search keys of a resident: each character and each pair
// of adjacent characters of the name, and the last four characters of the
// phone and of the ID number (尾号, what the masked columns show) behind
// marks no name can hold.
func grams(r model.Resident) []string {
	rs := []rune(foldName(r.Name))
	seen := map[string]bool{}
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for i := range rs {
		add(string(rs[i]))
		if i+1 < len(rs) {
			add(string(rs[i : i+2]))
		}
	}
	return out
}

// foldName lowers the ASCII letters of a name, as SQLite's lower() does,
// so that grams made one by one and all at once in SQL (gramsSQL) agree.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// writeGrams replaces the grams of a resident as it was (in oldGrid) by
// those of it as it is (in newGrid).
func writeGrams(ctx context.Context, tx *sql.Tx, id int64, old model.Resident, oldGrid int64, cur model.Resident, newGrid int64) error {
	oldG, newG := grams(old), grams(cur)
	if oldGrid == newGrid && slices.Equal(oldG, newG) {
		return nil
	}
	for _, g := range oldG {
		if _, err := tx.ExecContext(ctx, "DELETE FROM resident_gram WHERE gram = ? AND grid_id = ? AND resident_id = ?", g, oldGrid, id); err != nil {
			return err
		}
	}
	for _, g := range newG {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id) VALUES (?, ?, ?)", g, newGrid, id); err != nil {
			return err
		}
	}
	return nil
}

// CurrentResidence is the resident's residence that has not ended; ok is
// false when they live nowhere now.
func (s *Store) CurrentResidence(ctx context.Context, residentID int64) (m model.Member, ok bool, err error) {
	var rel string
	err = s.r.QueryRowContext(ctx, "SELECT id, house_id, relation, since FROM residence WHERE resident_id = ? AND until IS NULL",
		residentID).Scan(&m.ResidenceID, &m.HouseID, &rel, &m.Since)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	m.Relation = model.Relation(rel)
	return m, err == nil, err
}

// ChangeRelation sets the relation to the householder of a current
// residence, on the residence and on the resident, with history.
func (s *Store) ChangeRelation(ctx context.Context, note AuditNote, accountID, residentID, residenceID int64, rel model.Relation) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT relation FROM residence WHERE id = ? AND resident_id = ?", residenceID, residentID).Scan(&old); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE residence SET relation = ? WHERE id = ?", string(rel), residenceID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE resident SET relation = ?, updated_at = ? WHERE id = ?", string(rel), now(), residentID); err != nil {
			return err
		}
		return addHistory(ctx, tx, accountID, "resident", residentID, "relation", old, string(rel))
	})
	if err != nil {
		return fmt.Errorf("store: relation of resident %d: %w", residentID, err)
	}
	return nil
}
