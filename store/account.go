package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"shequ/app/model"
)

// CountAccounts is the number of accounts; zero means a first start.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM account").Scan(&n)
	return n, err
}

// CreateAccount inserts an account with its areas.
func (s *Store) CreateAccount(ctx context.Context, note AuditNote, a model.Account) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO account(uid, username, display_name, password_hash, role, created_at, can_reveal, can_export, personal_data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), a.Username, a.DisplayName, a.PasswordHash, string(a.Role), now(), a.CanReveal, a.CanExport,
			a.PersonalData)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		w.note(id, nil)
		for _, area := range a.AreaIDs {
			if _, err := tx.ExecContext(ctx, "INSERT INTO account_area(account_id, area_id) VALUES (?, ?)", id, area); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: create account %q: %w", a.Username, err)
	}
	return id, nil
}

// AccountByName finds an account by its user name (case-insensitive).
func (s *Store) AccountByName(ctx context.Context, username string) (model.Account, error) {
	var a model.Account
	var role string
	err := s.r.QueryRowContext(ctx, `SELECT id, username, display_name, password_hash, role, disabled, can_reveal, can_export,
		personal_data FROM account WHERE username = ?`, username).Scan(&a.ID, &a.Username, &a.DisplayName, &a.PasswordHash, &role, &a.Disabled,
		&a.CanReveal, &a.CanExport, &a.PersonalData)
	if err != nil {
		return a, fmt.Errorf("store: account %q: %w", username, mapErr(err))
	}
	a.Role = model.Role(role)
	rows, err := s.r.QueryContext(ctx, "SELECT area_id FROM account_area WHERE account_id = ?", a.ID)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return a, err
		}
		a.AreaIDs = append(a.AreaIDs, id)
	}
	return a, rows.Err()
}

// Accounts lists every account with its areas, by user name.
func (s *Store) Accounts(ctx context.Context) ([]model.Account, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT username FROM account ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	out := make([]model.Account, 0, len(names))
	for _, n := range names {
		a, err := s.AccountByName(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// UpdateAccount changes an account's name, role, permissions and areas
// (replaced by the given ones), noting which changed for the audit entry.
func (s *Store) UpdateAccount(ctx context.Context, note AuditNote, a model.Account) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var name, role, areas string
		var reveal, export, personal bool
		err := tx.QueryRowContext(ctx, `SELECT display_name, role, can_reveal, can_export, personal_data,
			coalesce((SELECT group_concat(area_id) FROM (SELECT area_id FROM account_area WHERE account_id = ?1 ORDER BY area_id)), '')
			FROM account WHERE id = ?1`, a.ID).Scan(&name, &role, &reveal, &export, &personal, &areas)
		if err != nil {
			return err
		}
		ids := slices.Clone(a.AreaIDs)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		var want []string
		for _, id := range ids {
			want = append(want, strconv.FormatInt(id, 10))
		}
		changed := []string{}
		for _, c := range []struct {
			field string
			same  bool
		}{
			{"display_name", name == a.DisplayName}, {"role", role == string(a.Role)}, {"can_reveal", reveal == a.CanReveal},
			{"can_export", export == a.CanExport}, {"personal_data", personal == a.PersonalData}, {"areas", areas == strings.Join(want, ",")},
		} {
			if !c.same {
				changed = append(changed, c.field)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE account SET display_name = ?, role = ?, can_reveal = ?, can_export = ?, personal_data = ?
			WHERE id = ?`, a.DisplayName, string(a.Role), a.CanReveal, a.CanExport, a.PersonalData, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM account_area WHERE account_id = ?", a.ID); err != nil {
			return err
		}
		for _, area := range ids {
			if _, err := tx.ExecContext(ctx, "INSERT INTO account_area(account_id, area_id) VALUES (?, ?)", a.ID, area); err != nil {
				return err
			}
		}
		w.note(0, changed)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: update account %d: %w", a.ID, mapErr(err))
	}
	return nil
}

// SetAccountDisabled stops an account signing in, or lets it again.
func (s *Store) SetAccountDisabled(ctx context.Context, note AuditNote, accountID int64, disabled bool) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		_, err := tx.ExecContext(ctx, "UPDATE account SET disabled = ? WHERE id = ?", disabled, accountID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: disable account %d: %w", accountID, err)
	}
	return nil
}

// SetPassword replaces an account's password hash and lets go the
// sign-in attempts held under key (its lock).
func (s *Store) SetPassword(ctx context.Context, note AuditNote, accountID int64, hash, key string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE account SET password_hash = ? WHERE id = ?", hash, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM signin_attempt WHERE key = ?", key)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: password of account %d: %w", accountID, err)
	}
	return nil
}

// SetPersonalData gives or takes an administrator's view of residents'
// personal data.
func (s *Store) SetPersonalData(ctx context.Context, note AuditNote, accountID int64, on bool) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		_, err := tx.ExecContext(ctx, "UPDATE account SET personal_data = ? WHERE id = ?", on, accountID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: personal data of account %d: %w", accountID, err)
	}
	return nil
}

// TakeSignIn holds one sign-in attempt at now under key, before its
// password is checked, unless the key holds limit.Max within the window
// already: then ok is false and retry is when one more may be tried. held
// is the attempts held, this one included. One write transaction at a
// time (BEGIN IMMEDIATE), so attempts sent together are counted in turn.
func (s *Store) TakeSignIn(ctx context.Context, limit model.SignInLimit, now time.Time, key string) (ok bool, held int, retry time.Time, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Rows no attempt in the window is held in are of no use.
		if _, err := tx.ExecContext(ctx, "DELETE FROM signin_attempt WHERE last <= ?", now.Add(-limit.Window).UnixMilli()); err != nil {
			return err
		}
		var list string
		if err := tx.QueryRowContext(ctx, "SELECT held FROM signin_attempt WHERE key = ?", key).Scan(&list); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		list, ok, retry = limit.Take(list, now)
		held = limit.Count(list)
		if !ok {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO signin_attempt(key, held, last) VALUES (?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET held = excluded.held, last = excluded.last`, key, list, now.UnixMilli())
		return err
	})
	if err != nil {
		return false, 0, time.Time{}, fmt.Errorf("store: sign-in attempt: %w", err)
	}
	return ok, held, retry, nil
}

// ReleaseSignIn gives back the attempt taken at at under key: a sign-in
// that succeeded.
func (s *Store) ReleaseSignIn(ctx context.Context, limit model.SignInLimit, at time.Time, key string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var list string
		err := tx.QueryRowContext(ctx, "SELECT held FROM signin_attempt WHERE key = ?", key).Scan(&list)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE signin_attempt SET held = ? WHERE key = ?", limit.Release(list, at), key)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: sign-in attempt: %w", err)
	}
	return nil
}
