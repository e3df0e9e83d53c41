package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"shequ/app/model"
)

// auditGenesis is the "previous hash" of the first entry of an unkeyed
// chain (a database from before keys, re-keyed at its first open).
const auditGenesis = "shequ-audit-v1"

// legacyHash chained an entry to the one before it before the chain was
// keyed; anyone could compute it.
func legacyHash(prev string, e model.AuditEntry, at string) string {
	h := sha256.New()
	for _, part := range []string{prev, strconv.FormatInt(e.ID, 10), at, e.Account, e.Action, e.Target, e.Detail} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry to the audit trail.
func (s *Store) Audit(ctx context.Context, e model.AuditEntry) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.appendAudit(ctx, tx, e) })
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e model.AuditEntry) error {
	if s.akey.key == nil {
		return fmt.Errorf("%w (%s)", ErrNoAuditKey, s.akey.keyFile())
	}
	last, prev, err := chainHead(ctx, tx)
	if err != nil {
		return err
	}
	e.ID = last + 1
	at := time.Now().UTC().Format(time.RFC3339Nano)
	_, err = tx.ExecContext(ctx, "INSERT INTO audit(id, at, account, action, target, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, at, e.Account, e.Action, e.Target, e.Detail, s.akey.hash(prev, e, at))
	if err == nil {
		s.akey.dirty.Store(true)
	}
	return err
}

// AuditEntries lists entries newest first, at most limit.
func (s *Store) AuditEntries(ctx context.Context, f model.AuditFilter, limit int) ([]model.AuditEntry, error) {
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

// VerifyAudit walks the whole chain under the key and holds its end
// against the head kept outside the database: an entry altered, removed,
// or added by anyone without the key breaks the chain; entries cut off
// the end leave the head pointing past it; an anchor not made by a purge
// has no valid MAC.
func (s *Store) VerifyAudit(ctx context.Context) (model.AuditVerdict, error) {
	k := &s.akey
	v := model.AuditVerdict{KeyFile: k.keyFile()}
	if k.key == nil {
		v.Problem = k.problem
		return v, nil
	}
	k.mu.Lock() // not half a write of this process's
	head, ok, err := readHead(k.headFile())
	k.mu.Unlock()
	if err != nil {
		return v, err
	}
	if !ok {
		v.Problem = "audit.verify.nohead"
	}
	w, err := walkAudit(ctx, s.r, k.hash, auditGenesisV2, head.LastID)
	if err != nil {
		return v, fmt.Errorf("store: verify audit: %w", err)
	}
	v.Entries, v.Broken = w.n, w.broken
	if v.Broken == 0 {
		v.Broken = w.rekeyBreak
	}
	if w.anchor > 0 && !hmac.Equal([]byte(w.anchorMAC), []byte(k.anchorMAC(w.anchor, w.anchorHash))) {
		v.Problem = "audit.verify.anchor"
	}
	if ok && w.broken == 0 {
		switch {
		case w.last < head.LastID:
			v.Missing = head.LastID - w.last
		case head.LastID == 0:
		case head.LastID == w.anchor && head.Hash != w.anchorHash, head.LastID > w.anchor && head.Hash != w.watchHash:
			// The entry the head names is not the one here: an older copy
			// of the file, or a chain made again.
			v.Broken = head.LastID
		}
	}
	return v, nil
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
		if s.akey.key == nil {
			return fmt.Errorf("%w (%s)", ErrNoAuditKey, s.akey.keyFile())
		}
		// The append-only trigger stands aside for this one statement.
		for _, q := range []string{"DROP TRIGGER audit_append_only_delete",
			"DELETE FROM audit WHERE id <= " + strconv.FormatInt(last, 10),
			guardSQL("audit_append_only_delete")} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_anchor(id, last_id, hash, purged_at, mac) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, purged_at = excluded.purged_at, mac = excluded.mac`,
			last, hash, now(), s.akey.anchorMAC(last, hash)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, model.AuditEntry{Account: account, Action: "audit.purge",
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
