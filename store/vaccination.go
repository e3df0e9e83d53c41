package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"shequ/app/model"
)

// AddVaccinations records doses, each once: a dose recorded before (the
// same resident, vaccine and dose) is left as it was and counted as
// existing. An appointment booked for a dose now recorded is done.
func (s *Store) AddVaccinations(ctx context.Context, note AuditNote, accountID int64, list []model.Vaccination) (added, existing int, err error) {
	err = s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO vaccination(uid, resident_id, vaccine, dose, day, place, source, account_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		done, err := tx.PrepareContext(ctx, `UPDATE vaccination_appointment SET status = 'done'
			WHERE resident_id = ? AND vaccine = ? AND dose = ? AND status = 'booked'`)
		if err != nil {
			return err
		}
		defer done.Close()
		at := now()
		for _, v := range list {
			res, err := ins.ExecContext(ctx, newUID(), v.ResidentID, v.Vaccine, v.Dose, v.Day, v.Place, v.Source, accountID, at)
			if err != nil {
				return fmt.Errorf("resident %d, %s dose %d: %w", v.ResidentID, v.Vaccine, v.Dose, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				existing++
				continue
			}
			added++
			if _, err := done.ExecContext(ctx, v.ResidentID, v.Vaccine, v.Dose); err != nil {
				return err
			}
		}
		w.note(int64(added), nil)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: add vaccinations: %w", mapErr(err))
	}
	return added, existing, nil
}

// Vaccinations lists a resident's doses, by vaccine and dose.
func (s *Store) Vaccinations(ctx context.Context, residentID int64) ([]model.Vaccination, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, resident_id, vaccine, dose, day, place, source FROM vaccination
		WHERE resident_id = ? ORDER BY vaccine, dose`, residentID)
	if err != nil {
		return nil, fmt.Errorf("store: vaccinations: %w", err)
	}
	defer rows.Close()
	var out []model.Vaccination
	for rows.Next() {
		var v model.Vaccination
		if err := rows.Scan(&v.ID, &v.ResidentID, &v.Vaccine, &v.Dose, &v.Day, &v.Place, &v.Source); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Vaccines lists the vaccines recorded, by name: a seek in the index per
// name (a DISTINCT would read every dose, 130 ms for 2 million).
func (s *Store) Vaccines(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `WITH RECURSIVE v(name) AS (SELECT min(vaccine) FROM vaccination
		UNION ALL SELECT (SELECT min(vaccine) FROM vaccination WHERE vaccine > v.name) FROM v WHERE v.name IS NOT NULL)
		SELECT name FROM v WHERE name IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("store: vaccines: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VaccinationCount is one group of a progress count: its key (a grid's or
// a compound's id, 0 for none; the first age of a ten-year band), its
// residents and how many of them had the doses.
type VaccinationCount struct {
	Key       int64
	Residents int
	Done      int
}

// vaccinated is the condition that r had dose ?doses or a later one of
// ?vaccine (the unique index (resident_id, vaccine, dose) answers it).
const vaccinated = "EXISTS (SELECT 1 FROM vaccination v WHERE v.resident_id = r.id AND v.vaccine = ? AND v.dose >= ?)"

// VaccinationCounts counts the residents of q, and those of them who had
// at least doses doses of vaccine, by grid, compound or age band (full
// years at the date at).
func (s *Store) VaccinationCounts(ctx context.Context, q model.ResidentQuery, vaccine string, doses int, by model.VaccinationGroup, at string) ([]VaccinationCount, error) {
	if by == model.ByGrid && statesOnly(q) {
		return s.vaccinationByGridSummarized(ctx, q, vaccine, doses)
	}
	where, args := residentWhere(q)
	var key, from string
	var keyArgs []any
	switch by {
	case model.ByCompound:
		key = "coalesce(b.compound_id, 0)"
		from = ` LEFT JOIN house h ON h.id = r.house_id LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN building b ON b.id = u.building_id`
	case model.ByAge:
		// Full years at the date in bands of ten, by comparing birth dates
		// with the band's bounds (4.9 → 3.7 s over 1.5 million, against
		// reckoning each age); -10 for no birth date.
		key = "CASE WHEN r.birth = '' THEN -10"
		for band := 0; band < 80; band += 10 {
			key += fmt.Sprintf(" WHEN r.birth > ? THEN %d", band)
			keyArgs = append(keyArgs, yearsBefore(at, band+10))
		}
		key += " ELSE 80 END"
	default:
		key = "r.grid_id"
	}
	all := append(append(keyArgs, vaccine, doses), args...)
	query := "SELECT " + key + ", count(*), sum(" + vaccinated + ") FROM resident r" + from + " WHERE " + where + " GROUP BY 1 ORDER BY 1"
	rows, err := s.r.QueryContext(ctx, query, all...)
	if err != nil {
		return nil, fmt.Errorf("store: vaccination counts: %w", err)
	}
	defer rows.Close()
	var out []VaccinationCount
	for rows.Next() {
		var c VaccinationCount
		if err := rows.Scan(&c.Key, &c.Residents, &c.Done); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// statesOnly tells whether q selects residents by grid and state alone,
// which the summaries of migrations 015 and 024 both keep.
func statesOnly(q model.ResidentQuery) bool {
	if !summarized(q) {
		return false
	}
	c := q.Cohort
	return c == nil || c.BornAfter == "" && c.BornBy == "" && c.Sex == "" && len(c.Kinds) == 0
}

// vaccinationByGridSummarized counts by grid from the summaries: the
// residents from age_count, those with at least doses doses from
// vaccine_count (tested against the EXISTS query after every kind of
// change).
func (s *Store) vaccinationByGridSummarized(ctx context.Context, q model.ResidentQuery, vaccine string, doses int) ([]VaccinationCount, error) {
	residents, err := s.CountBy(ctx, q, "grid_id")
	if err != nil {
		return nil, err
	}
	var w where
	w.add("c.vaccine = ? AND c.dose >= ?", vaccine, doses)
	if !q.AllGrids {
		in, a := inList(q.Grids)
		w.add("c.grid_id IN "+in, a...)
	}
	if q.Cohort != nil && len(q.Cohort.Statuses) > 0 {
		w.add("c.status IN (SELECT value FROM json_each(?))", jsonList(strs(q.Cohort.Statuses)))
	}
	cond, args := w.sql()
	done := map[string]int{}
	if err := s.groupCounts(ctx, "SELECT c.grid_id, sum(c.n) FROM vaccine_count c WHERE "+cond+" GROUP BY 1", args, done); err != nil {
		return nil, err
	}
	out := make([]VaccinationCount, 0, len(residents))
	for grid, n := range residents {
		key, _ := strconv.ParseInt(grid, 10, 64)
		if n > 0 {
			out = append(out, VaccinationCount{Key: key, Residents: n, Done: done[grid]})
		}
	}
	slices.SortFunc(out, func(a, b VaccinationCount) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// Unvaccinated lists the residents of q who have not had dose doses (nor a
// later one) of vaccine: the calls still to make.
func (s *Store) Unvaccinated(ctx context.Context, q model.ResidentQuery, vaccine string, doses int) ([]int64, error) {
	return s.residentIDs(ctx, q, "NOT "+vaccinated, vaccine, doses)
}

// AddAppointment books a dose for a resident.
func (s *Store) AddAppointment(ctx context.Context, note AuditNote, accountID int64, ap model.Appointment) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO vaccination_appointment(uid, resident_id, vaccine, dose, day, place, account_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), ap.ResidentID, ap.Vaccine, ap.Dose, ap.Day, ap.Place, accountID, now())
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		w.note(id, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add appointment: %w", mapErr(err))
	}
	return id, nil
}

// Appointments lists the appointments of residents in grids (all: every
// grid) from a day on, by day and name.
func (s *Store) Appointments(ctx context.Context, grids []int64, all bool, from string) ([]model.Appointment, error) {
	where := "1"
	args := []any{from}
	if !all {
		in, a := inList(grids)
		where, args = "r.grid_id IN "+in, append(args, a...)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.id, a.resident_id, r.name, a.vaccine, a.dose, a.day, a.place, a.status
		FROM vaccination_appointment a JOIN resident r ON r.id = a.resident_id
		WHERE a.day >= ? AND `+where+` ORDER BY a.day, r.name LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	defer rows.Close()
	var out []model.Appointment
	for rows.Next() {
		var ap model.Appointment
		if err := rows.Scan(&ap.ID, &ap.ResidentID, &ap.Name, &ap.Vaccine, &ap.Dose, &ap.Day, &ap.Place, &ap.Status); err != nil {
			return nil, err
		}
		out = append(out, ap)
	}
	return out, rows.Err()
}

// yearsBefore is the date n years before a YYYY-MM-DD date: whoever was
// born after it is younger than n then.
func yearsBefore(date string, n int) string {
	y, _ := strconv.Atoi(date[:4])
	return fmt.Sprintf("%04d%s", y-n, date[4:])
}

// DoseState tells whether a dose of a resident is recorded, and the day it
// is booked for ("" when it is not).
func (s *Store) DoseState(ctx context.Context, residentID int64, vaccine string, dose int) (recorded bool, booked string, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM vaccination WHERE resident_id = ?1 AND vaccine = ?2 AND dose = ?3),
		coalesce((SELECT day FROM vaccination_appointment WHERE resident_id = ?1 AND vaccine = ?2 AND dose = ?3 AND status = 'booked'), '')`,
		residentID, vaccine, dose).Scan(&recorded, &booked)
	if err != nil {
		return false, "", fmt.Errorf("store: dose state: %w", err)
	}
	return recorded, booked, nil
}

// Appointment reads one appointment.
func (s *Store) Appointment(ctx context.Context, id int64) (model.Appointment, error) {
	var ap model.Appointment
	err := s.r.QueryRowContext(ctx, `SELECT a.id, a.resident_id, r.name, a.vaccine, a.dose, a.day, a.place, a.status
		FROM vaccination_appointment a JOIN resident r ON r.id = a.resident_id WHERE a.id = ?`, id).
		Scan(&ap.ID, &ap.ResidentID, &ap.Name, &ap.Vaccine, &ap.Dose, &ap.Day, &ap.Place, &ap.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return ap, fmt.Errorf("store: appointment %d: %w", id, model.ErrNotFound)
	}
	return ap, err
}

// CancelAppointment cancels a booked appointment; one done or cancelled
// before is a conflict.
func (s *Store) CancelAppointment(ctx context.Context, note AuditNote, id int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE vaccination_appointment SET status = 'cancelled' WHERE id = ? AND status = 'booked'", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrConflict
		}
		w.note(id, []string{"status"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel appointment %d: %w", id, mapErr(err))
	}
	return nil
}

// HasVaccine tells whether any dose of a vaccine is recorded.
func (s *Store) HasVaccine(ctx context.Context, vaccine string) (bool, error) {
	var ok bool
	if err := s.r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM vaccination WHERE vaccine = ?)", vaccine).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: vaccine: %w", err)
	}
	return ok, nil
}

// RecordedDays reads the days recorded for doses (by resident, vaccine and
// dose) among those given, 20,000 to a statement: a key with no dose
// recorded is absent from the map.
func (s *Store) RecordedDays(ctx context.Context, doses []model.Vaccination) (map[model.DoseKey]string, error) {
	out := map[model.DoseKey]string{}
	for start := 0; start < len(doses); start += 20000 {
		batch := doses[start:min(start+20000, len(doses))]
		keys := make([][3]any, len(batch))
		for i, v := range batch {
			keys[i] = [3]any{v.ResidentID, v.Vaccine, v.Dose}
		}
		js, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		rows, err := s.r.QueryContext(ctx, `SELECT v.resident_id, v.vaccine, v.dose, v.day FROM json_each(?) j
			JOIN vaccination v ON v.resident_id = j.value ->> 0 AND v.vaccine = j.value ->> 1 AND v.dose = j.value ->> 2`, string(js))
		if err != nil {
			return nil, fmt.Errorf("store: recorded doses: %w", err)
		}
		for rows.Next() {
			var k model.DoseKey
			var day string
			if err := rows.Scan(&k.Resident, &k.Vaccine, &k.Dose, &day); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = day
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
