package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// An AuditNote makes the audit entry of an audited write. Every write of
// an audited kind takes one as a parameter and appends its entry in the
// write's own transaction, so a crash can never keep a change without its
// entry, nor an entry without its change. The write gives it the id of
// the row it created (0 if none) and, for an update, the fields it
// changed (empty, not nil, when none). An entry without an action is not
// written; a nil note is refused, so an audited write cannot go
// unrecorded.
type AuditNote func(id int64, fields []string) model.AuditEntry

// written is what an audited write did, for its note.
type written struct {
	id     int64
	fields []string
}

func (w *written) note(id int64, fields []string) { w.id, w.fields = id, fields }

// txAudited runs fn like tx and appends note's entry, made from what fn
// wrote, in the same transaction before it commits.
func (s *Store) txAudited(ctx context.Context, note AuditNote, fn func(*sql.Tx, *written) error) error {
	if note == nil {
		return fmt.Errorf("store: audited write without its audit note: %w", model.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var w written
		if err := fn(tx, &w); err != nil {
			return err
		}
		if e := note(w.id, w.fields); e.Action != "" {
			return s.appendAudit(ctx, tx, e)
		}
		return nil
	})
}
