package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// AddWorkLog records a log entry with whom and which houses it concerned.
func (s *Store) AddWorkLog(ctx context.Context, note AuditNote, l model.WorkLog) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO worklog(uid, account_id, grid_id, day, kind, content, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, newUID(), l.AccountID, l.GridID, l.Day, l.Kind, l.Content, now())
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		for _, r := range l.Residents {
			if _, err := tx.ExecContext(ctx, "INSERT INTO worklog_subject(worklog_id, resident_id) VALUES (?, ?)", id, r.ID); err != nil {
				return err
			}
		}
		for _, h := range l.Houses {
			if _, err := tx.ExecContext(ctx, "INSERT INTO worklog_subject(worklog_id, house_id) VALUES (?, ?)", id, h.ID); err != nil {
				return err
			}
		}
		w.note(id, nil)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: add work log: %w", mapErr(err))
	}
	return id, nil
}

// WorkLogs lists the logs a query selects, by day and then as written,
// with whom and which houses each concerned.
func (s *Store) WorkLogs(ctx context.Context, q model.WorkLogQuery) ([]model.WorkLog, error) {
	var w where
	if !q.AllGrids {
		in, a := inList(q.Grids)
		w.add("w.grid_id IN "+in, a...)
	}
	if q.AccountID != 0 {
		w.add("w.account_id = ?", q.AccountID)
	}
	if q.ID != 0 {
		w.add("w.id = ?", q.ID)
	}
	if q.From != "" {
		w.add("w.day >= ?", q.From)
	}
	if q.To != "" {
		w.add("w.day <= ?", q.To)
	}
	cond, args := w.sql()
	rows, err := s.r.QueryContext(ctx, `SELECT w.id, w.account_id, coalesce(a.username, ''), w.grid_id, w.day, w.kind, w.content,
		w.withdrawn_at, coalesce(wb.username, ''), w.withdraw_reason,
		(SELECT count(*) FROM worklog_history h WHERE h.worklog_id = w.id AND h.action = 'edit')
		FROM worklog w LEFT JOIN account a ON a.id = w.account_id LEFT JOIN account wb ON wb.id = w.withdrawn_by
		WHERE `+cond+" ORDER BY w.day, w.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: work logs: %w", err)
	}
	var out []model.WorkLog
	index := map[int64]int{}
	for rows.Next() {
		var l model.WorkLog
		if err := rows.Scan(&l.ID, &l.AccountID, &l.Account, &l.GridID, &l.Day, &l.Kind, &l.Content,
			&l.Withdrawn, &l.WithdrawnBy, &l.WithdrawReason, &l.Edited); err != nil {
			rows.Close()
			return nil, err
		}
		index[l.ID] = len(out)
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, l := range out {
		ids[i] = l.ID
	}
	subj, err := s.r.QueryContext(ctx, `SELECT ws.worklog_id, ws.resident_id, coalesce(r.name, ''), ws.house_id
		FROM worklog_subject ws LEFT JOIN resident r ON r.id = ws.resident_id
		WHERE ws.worklog_id IN (SELECT value FROM json_each(?)) ORDER BY ws.rowid`, jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("store: work log subjects: %w", err)
	}
	defer subj.Close()
	for subj.Next() {
		var log, rid, hid int64
		var name string
		if err := subj.Scan(&log, &rid, &name, &hid); err != nil {
			return nil, err
		}
		l := &out[index[log]]
		if rid != 0 {
			l.Residents = append(l.Residents, model.Named{ID: rid, Name: name})
		}
		if hid != 0 {
			l.Houses = append(l.Houses, model.Named{ID: hid})
		}
	}
	return out, subj.Err()
}

// EditWorkLog corrects an entry's day, kind and content, keeping the old
// values in its history; old is the entry as read (ErrConflict when it
// changed or was withdrawn since).
func (s *Store) EditWorkLog(ctx context.Context, note AuditNote, accountID int64, old, l model.WorkLog, reason string) error {
	return s.changeWorkLog(ctx, note, accountID, old, "edit", reason, func(tx *sql.Tx, w *written) (sql.Result, error) {
		var fields []string
		for _, f := range []struct {
			name     string
			old, new string
		}{{"day", old.Day, l.Day}, {"kind", string(old.Kind), string(l.Kind)}, {"content", old.Content, l.Content}} {
			if f.old != f.new {
				fields = append(fields, f.name)
			}
		}
		w.note(old.ID, fields)
		return tx.ExecContext(ctx, `UPDATE worklog SET day = ?, kind = ?, content = ?
			WHERE id = ? AND withdrawn_at = '' AND day = ? AND kind = ? AND content = ?`,
			l.Day, l.Kind, l.Content, old.ID, old.Day, old.Kind, old.Content)
	})
}

// WithdrawWorkLog marks an entry withdrawn, by whom and why; it stays.
func (s *Store) WithdrawWorkLog(ctx context.Context, note AuditNote, accountID int64, old model.WorkLog, reason string) error {
	return s.changeWorkLog(ctx, note, accountID, old, "withdraw", reason, func(tx *sql.Tx, w *written) (sql.Result, error) {
		w.note(old.ID, nil)
		return tx.ExecContext(ctx, `UPDATE worklog SET withdrawn_at = ?, withdrawn_by = ?, withdraw_reason = ?
			WHERE id = ? AND withdrawn_at = '' AND day = ? AND kind = ? AND content = ?`,
			now(), accountID, reason, old.ID, old.Day, old.Kind, old.Content)
	})
}

// changeWorkLog writes an entry's history line (its values before) and
// the change, in one transaction.
func (s *Store) changeWorkLog(ctx context.Context, note AuditNote, accountID int64, old model.WorkLog, action, reason string,
	change func(*sql.Tx, *written) (sql.Result, error)) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := change(tx, w)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: changed by someone else since it was opened", model.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO worklog_history(worklog_id, action, account_id, at, day, kind, content, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, old.ID, action, accountID, now(), old.Day, old.Kind, old.Content, reason)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: %s work log %d: %w", action, old.ID, err)
	}
	return nil
}

// WorkLogHistory is an entry's corrections and withdrawal, oldest first.
func (s *Store) WorkLogHistory(ctx context.Context, id int64) ([]model.WorkLogChange, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT h.action, coalesce(a.username, ''), h.at, h.day, h.kind, h.content, h.reason
		FROM worklog_history h LEFT JOIN account a ON a.id = h.account_id WHERE h.worklog_id = ? ORDER BY h.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: work log %d history: %w", id, err)
	}
	defer rows.Close()
	var out []model.WorkLogChange
	for rows.Next() {
		var c model.WorkLogChange
		if err := rows.Scan(&c.Action, &c.Account, &c.At, &c.Day, &c.Kind, &c.Content, &c.Reason); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
