package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// AuditHead is the newest entry of a desktop's audit trail: which copy of
// its database (HeadID), the entry's id and its keyed hash.
type AuditHead struct {
	HeadID string `json:"head_id"`
	LastID int64  `json:"last_id"`
	Hash   string `json:"hash"`
}

// ReportAuditHead records the head a desktop sends with a sync round and
// returns the one it recorded before for the same copy (zero when none,
// or when the desktop now runs another copy, such as a restored backup).
// A head behind the recorded one is not taken: the server keeps the
// furthest it saw, and the desktop, told, reports its trail cut.
func (h *Hub) ReportAuditHead(ctx context.Context, node string, head AuditHead) (prev AuditHead, err error) {
	err = h.tx(ctx, func(tx *sql.Tx) error {
		prev = AuditHead{}
		err := tx.QueryRowContext(ctx, h.q("SELECT head_id, last_id, hash FROM hub_audit_head WHERE node = ?"), node).
			Scan(&prev.HeadID, &prev.LastID, &prev.Hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prev.HeadID != head.HeadID {
			prev = AuditHead{}
		}
		if head.LastID < prev.LastID {
			return nil
		}
		_, err = tx.ExecContext(ctx, h.q(`INSERT INTO hub_audit_head(node, head_id, last_id, hash, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (node) DO UPDATE SET head_id = excluded.head_id, last_id = excluded.last_id, hash = excluded.hash, at = excluded.at`),
			node, head.HeadID, head.LastID, head.Hash, stamp())
		return err
	})
	if err != nil {
		return AuditHead{}, fmt.Errorf("hub: audit head: %w", err)
	}
	return prev, nil
}
