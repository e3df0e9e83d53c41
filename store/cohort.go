package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SavedCohort is a cohort's definition kept by name.
type SavedCohort struct {
	Name, Definition, Account, SavedAt string
}

// SaveCohort keeps (or replaces) a cohort's definition under a name.
func (s *Store) SaveCohort(ctx context.Context, note AuditNote, name, definition, account string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cohort(uid, name, definition, account, saved_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, account = excluded.account, saved_at = excluded.saved_at`,
			newUID(), name, definition, account, now())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save cohort %q: %w", name, err)
	}
	return nil
}

// SavedCohorts lists the saved cohorts by name.
func (s *Store) SavedCohorts(ctx context.Context) ([]SavedCohort, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT name, definition, account, saved_at FROM cohort ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: saved cohorts: %w", err)
	}
	defer rows.Close()
	var out []SavedCohort
	for rows.Next() {
		var c SavedCohort
		if err := rows.Scan(&c.Name, &c.Definition, &c.Account, &c.SavedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
