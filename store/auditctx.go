package store

import (
	"context"
	"database/sql"

	"shequ/app/model"
)

// A change and its audit entry commit together: the use case puts the
// entry's maker on the context, and the store's next write transaction on
// that context appends the entry before it commits. A crash can then never
// keep a change without its entry, nor an entry without its change.

type auditHook struct {
	build  func(id int64, fields []string) model.AuditEntry
	id     int64
	fields []string
	done   bool
}

type auditHookKey struct{}

// WithAudit returns ctx whose next write transaction appends the entry
// build makes, given the id of the row the write created (0 if none) and,
// for an update, the fields it changed (empty, not nil, when none). An
// entry without an action is not written.
func WithAudit(ctx context.Context, build func(id int64, fields []string) model.AuditEntry) context.Context {
	return context.WithValue(ctx, auditHookKey{}, &auditHook{build: build})
}

// noteResult tells the context's audit entry what the write did.
func noteResult(ctx context.Context, id int64, fields []string) {
	if h, ok := ctx.Value(auditHookKey{}).(*auditHook); ok && !h.done {
		h.id, h.fields = id, fields
	}
}

// appendHooked appends the context's entry inside tx, once.
func (s *Store) appendHooked(ctx context.Context, tx *sql.Tx) error {
	h, ok := ctx.Value(auditHookKey{}).(*auditHook)
	if !ok || h.done {
		return nil
	}
	h.done = true
	if e := h.build(h.id, h.fields); e.Action != "" {
		return s.appendAudit(ctx, tx, e)
	}
	return nil
}
