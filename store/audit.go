package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"shequ/app/model"
)

// auditGenesis is the "previous hash" of the first entry.
const auditGenesis = "shequ-audit-v1"

// auditHash chains an entry to the one before it.
func auditHash(prev string, e model.AuditEntry, at string) string {
	h := sha256.New()
	for _, part := range []string{prev, strconv.FormatInt(e.ID, 10), at, e.Account, e.Action, e.Target, e.Detail} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry to the audit trail.
func (s *Store) Audit(ctx context.Context, e model.AuditEntry) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, e) })
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

func appendAudit(ctx context.Context, tx *sql.Tx, e model.AuditEntry) error {
	prev, last := auditGenesis, int64(0)
	err := tx.QueryRowContext(ctx, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").Scan(&last, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		// Every entry archived away: the chain goes on from its anchor.
		err = tx.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_anchor WHERE id = 1").Scan(&last, &prev)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.ID = last + 1
	at := time.Now().UTC().Format(time.RFC3339Nano)
	_, err = tx.ExecContext(ctx, "INSERT INTO audit(id, at, account, action, target, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, at, e.Account, e.Action, e.Target, e.Detail, auditHash(prev, e, at))
	return err
}

// AuditFilter selects audit entries; empty fields match all.
type AuditFilter struct {
	Account, Action, Target string
	From, To                string // RFC 3339 bounds of At
	Before                  int64  // entries with a smaller id (paging back); 0: the newest
}

// AuditEntries lists entries newest first, at most limit.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter, limit int) ([]model.AuditEntry, error) {
	where, args := "1", []any{}
	for _, c := range []struct{ cond, v string }{{"account = ?", f.Account}, {"action = ?", f.Action}, {"target = ?", f.Target},
		{"at >= ?", f.From}, {"at < ?", f.To}} {
		if c.v != "" {
			where += " AND " + c.cond
			args = append(args, c.v)
		}
	}
	if f.Before > 0 {
		where += " AND id < ?"
		args = append(args, f.Before)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT id, at, account, action, target, detail FROM audit WHERE "+where+" ORDER BY id DESC LIMIT ?",
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	defer rows.Close()
	var out []model.AuditEntry
	for rows.Next() {
		var e model.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Account, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain. broken is the id of the first entry
// that was altered, or that follows a removed one (0 when all is whole);
// n is the number of entries read.
func (s *Store) VerifyAudit(ctx context.Context) (broken int64, n int, err error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, at, account, action, target, detail, hash FROM audit ORDER BY id")
	if err != nil {
		return 0, 0, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	prev, want := auditGenesis, int64(1)
	var anchorID int64
	var anchorHash string
	err = s.r.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_anchor WHERE id = 1").Scan(&anchorID, &anchorHash)
	switch {
	case err == nil:
		// Entries up to the anchor were archived and removed; the chain
		// goes on from the last of them.
		prev, want = anchorHash, anchorID+1
	case !errors.Is(err, sql.ErrNoRows):
		return 0, 0, fmt.Errorf("store: verify audit: %w", err)
	}
	for rows.Next() {
		var e model.AuditEntry
		var at, hash string
		if err := rows.Scan(&e.ID, &at, &e.Account, &e.Action, &e.Target, &e.Detail, &hash); err != nil {
			return 0, n, err
		}
		n++
		if e.ID != want || auditHash(prev, e, at) != hash {
			return e.ID, n, nil
		}
		prev, want = hash, e.ID+1
	}
	return 0, n, rows.Err()
}

// AuditLastBefore is the id of the newest entry before a time (RFC 3339),
// 0 when none.
func (s *Store) AuditLastBefore(ctx context.Context, before string) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit WHERE at < ?", before).Scan(&id)
	return id, err
}

// PurgeAudit removes the entries up to id last, which the caller has
// archived: there must be exactly want of them. The chain's new beginning
// is kept in audit_anchor and the removal is itself an entry, by account,
// in the same transaction.
func (s *Store) PurgeAudit(ctx context.Context, last int64, want int, account, detail string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		var hash string
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit WHERE id <= ?", last).Scan(&n); err != nil {
			return err
		}
		if n != want {
			return fmt.Errorf("%w: %d entries to remove, %d archived", model.ErrConflict, n, want)
		}
		if n == 0 {
			return nil
		}
		if err := tx.QueryRowContext(ctx, "SELECT hash FROM audit WHERE id = ?", last).Scan(&hash); err != nil {
			return err
		}
		// The append-only trigger stands aside for this one statement.
		for _, q := range []string{"DROP TRIGGER audit_append_only_delete",
			"DELETE FROM audit WHERE id <= " + strconv.FormatInt(last, 10),
			`CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN
				SELECT RAISE(ABORT, 'the audit log is append-only');
			END`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_anchor(id, last_id, hash, purged_at) VALUES (1, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, purged_at = excluded.purged_at`,
			last, hash, now()); err != nil {
			return err
		}
		return appendAudit(ctx, tx, model.AuditEntry{Account: account, Action: "audit.purge",
			Target: strconv.FormatInt(last, 10), Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("store: purge audit: %w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's own check of the file; "ok" when sound.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.r.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res)
	return res, err
}
