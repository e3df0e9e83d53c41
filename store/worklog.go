package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// AddWorkLog records a log entry with whom and which houses it concerned.
func (s *Store) AddWorkLog(ctx context.Context, l model.WorkLog) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
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
		noteResult(ctx, id, nil)
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
	if q.From != "" {
		w.add("w.day >= ?", q.From)
	}
	if q.To != "" {
		w.add("w.day <= ?", q.To)
	}
	cond, args := w.sql()
	rows, err := s.r.QueryContext(ctx, `SELECT w.id, w.account_id, coalesce(a.username, ''), w.grid_id, w.day, w.kind, w.content
		FROM worklog w LEFT JOIN account a ON a.id = w.account_id WHERE `+cond+" ORDER BY w.day, w.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: work logs: %w", err)
	}
	var out []model.WorkLog
	index := map[int64]int{}
	for rows.Next() {
		var l model.WorkLog
		if err := rows.Scan(&l.ID, &l.AccountID, &l.Account, &l.GridID, &l.Day, &l.Kind, &l.Content); err != nil {
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
