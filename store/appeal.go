package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// AppealCategories lists the categories in their order.
func (s *Store) AppealCategories(ctx context.Context) ([]model.AppealCategory, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, position, accept_days, answer_days, close_days,
		urgent_accept_days, urgent_answer_days, urgent_close_days FROM appeal_category ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: appeal categories: %w", err)
	}
	defer rows.Close()
	var out []model.AppealCategory
	for rows.Next() {
		var c model.AppealCategory
		if err := rows.Scan(&c.ID, &c.Name, &c.Position, &c.AcceptDays, &c.AnswerDays, &c.CloseDays,
			&c.UrgentAccept, &c.UrgentAnswer, &c.UrgentClose); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveAppealCategory adds a category (ID 0) or changes one.
func (s *Store) SaveAppealCategory(ctx context.Context, note AuditNote, c model.AppealCategory) (int64, error) {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		if c.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO appeal_category(name, position, accept_days, answer_days, close_days,
				urgent_accept_days, urgent_answer_days, urgent_close_days)
				VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM appeal_category), ?, ?, ?, ?, ?, ?)`,
				c.Name, c.AcceptDays, c.AnswerDays, c.CloseDays, c.UrgentAccept, c.UrgentAnswer, c.UrgentClose)
			if err != nil {
				return err
			}
			c.ID, _ = res.LastInsertId()
			w.note(c.ID, nil)
			return nil
		}
		w.note(c.ID, nil)
		_, err := tx.ExecContext(ctx, `UPDATE appeal_category SET name = ?, accept_days = ?, answer_days = ?, close_days = ?,
			urgent_accept_days = ?, urgent_answer_days = ?, urgent_close_days = ? WHERE id = ?`,
			c.Name, c.AcceptDays, c.AnswerDays, c.CloseDays, c.UrgentAccept, c.UrgentAnswer, c.UrgentClose, c.ID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: save appeal category %q: %w", c.Name, mapErr(err))
	}
	return c.ID, nil
}

// CalendarDays are the weekdays off (false) and weekend days worked (true).
func (s *Store) CalendarDays(ctx context.Context) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT day, workday FROM calendar_day")
	if err != nil {
		return nil, fmt.Errorf("store: calendar: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		var w bool
		if err := rows.Scan(&d, &w); err != nil {
			return nil, err
		}
		out[d] = w
	}
	return out, rows.Err()
}

// SetCalendarDays marks days as worked or not (clear removes the marks),
// all of them or none, with note's entry.
func (s *Store) SetCalendarDays(ctx context.Context, note AuditNote, days []string, workday, clear bool) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		for _, day := range days {
			var err error
			if clear {
				_, err = tx.ExecContext(ctx, "DELETE FROM calendar_day WHERE day = ?", day)
			} else {
				_, err = tx.ExecContext(ctx, "INSERT INTO calendar_day(day, workday) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET workday = excluded.workday", day, workday)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", day, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: calendar: %w", err)
	}
	return nil
}

const appealCols = `a.id, a.channel, a.category_id, c.name, a.content, a.urgency, a.reporter_id, a.reporter_name, a.reporter_phone,
	a.house_id, a.compound_id, a.place, a.grid_id, a.status, a.assignee_id, coalesce(ac.username, ''), a.created_by,
	a.received_at, a.accepted_at, a.answered_at, a.closed_at, a.due_accept, a.due_answer, a.due_close,
	a.reply, a.reply_method, a.satisfaction, coalesce(a.external_no, ''), a.updated_at`

const appealFrom = ` FROM appeal a JOIN appeal_category c ON c.id = a.category_id LEFT JOIN account ac ON ac.id = a.assignee_id`

func scanAppeal(sc interface{ Scan(...any) error }, a *model.Appeal) error {
	return sc.Scan(&a.ID, &a.Channel, &a.CategoryID, &a.Category, &a.Content, &a.Urgency, &a.ReporterID, &a.ReporterName,
		&a.ReporterPhone, &a.HouseID, &a.CompoundID, &a.Place, &a.GridID, &a.Status, &a.AssigneeID, &a.Assignee, &a.CreatedBy,
		&a.ReceivedAt, &a.AcceptedAt, &a.AnsweredAt, &a.ClosedAt, &a.DueAccept, &a.DueAnswer, &a.DueClose,
		&a.Reply, &a.ReplyMethod, &a.Satisfaction, &a.ExternalNo, &a.UpdatedAt)
}

// CreateAppeal records a new appeal with its intake step (and photos),
// and returns its number. A 12345 order already imported (the same
// external number) is refused with ErrConflict.
func (s *Store) CreateAppeal(ctx context.Context, note AuditNote, a model.Appeal, photos map[string][]byte) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var err error
		id, err = createAppeal(ctx, tx, a, photos)
		w.note(id, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: create appeal: %w", mapErr(err))
	}
	return id, nil
}

// CreateAppeals records many appeals in one transaction: all or none.
func (s *Store) CreateAppeals(ctx context.Context, note AuditNote, list []model.Appeal) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		for _, a := range list {
			if _, err := createAppeal(ctx, tx, a, nil); err != nil {
				return fmt.Errorf("%s: %w", a.ExternalNo, err)
			}
		}
		w.note(int64(len(list)), nil)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: create appeals: %w", mapErr(err))
	}
	return nil
}

// ExternalNos tells which of the 12345 order numbers are recorded already.
func (s *Store) ExternalNos(ctx context.Context, nos []string) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT external_no FROM appeal WHERE external_no IN (SELECT value FROM json_each(?))", jsonList(nos))
	if err != nil {
		return nil, fmt.Errorf("store: order numbers: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

func createAppeal(ctx context.Context, tx *sql.Tx, a model.Appeal, photos map[string][]byte) (int64, error) {
	var id int64
	err := func() error {
		var ext any
		if a.ExternalNo != "" {
			ext = a.ExternalNo
		}
		stamp := now()
		res, err := tx.ExecContext(ctx, `INSERT INTO appeal(uid, channel, category_id, content, urgency, reporter_id, reporter_name,
			reporter_phone, house_id, compound_id, place, grid_id, status, assignee_id, created_by, received_at,
			due_accept, due_answer, due_close, external_no, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			newUID(), a.Channel, a.CategoryID, a.Content, a.Urgency, a.ReporterID, a.ReporterName, a.ReporterPhone, a.HouseID,
			a.CompoundID, a.Place, a.GridID, model.AppealPending, a.AssigneeID, a.CreatedBy, a.ReceivedAt,
			a.DueAccept, a.DueAnswer, a.DueClose, ext, stamp)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		if _, err := tx.ExecContext(ctx, `INSERT INTO appeal_step(appeal_id, action, from_state, to_state, account_id, at)
			VALUES (?, ?, '', ?, ?, ?)`, id, model.ActIntake, model.AppealPending, a.CreatedBy, a.ReceivedAt); err != nil {
			return err
		}
		for name, data := range photos {
			if _, err := tx.ExecContext(ctx, "INSERT INTO appeal_photo(appeal_id, name, data) VALUES (?, ?, ?)", id, name, data); err != nil {
				return err
			}
		}
		return nil
	}()
	return id, err
}

// Appeal reads one appeal.
func (s *Store) Appeal(ctx context.Context, id int64) (model.Appeal, error) {
	var a model.Appeal
	err := scanAppeal(s.r.QueryRowContext(ctx, "SELECT "+appealCols+appealFrom+" WHERE a.id = ?", id), &a)
	if err != nil {
		return a, fmt.Errorf("store: appeal %d: %w", id, mapErr(err))
	}
	return a, nil
}

// AppealSteps is an appeal's timeline, oldest first.
func (s *Store) AppealSteps(ctx context.Context, id int64) ([]model.AppealStep, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT st.action, st.from_state, st.to_state, coalesce(ac.username, ''), st.at, st.comment
		FROM appeal_step st LEFT JOIN account ac ON ac.id = st.account_id WHERE st.appeal_id = ? ORDER BY st.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: appeal %d steps: %w", id, err)
	}
	defer rows.Close()
	var out []model.AppealStep
	for rows.Next() {
		var st model.AppealStep
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.Account, &st.At, &st.Comment); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// AppealPhotos are an appeal's photos by name.
func (s *Store) AppealPhotos(ctx context.Context, id int64) (map[string][]byte, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT name, data FROM appeal_photo WHERE appeal_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("store: appeal %d photos: %w", id, err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var n string
		var d []byte
		if err := rows.Scan(&n, &d); err != nil {
			return nil, err
		}
		out[n] = d
	}
	return out, rows.Err()
}

// AdvanceAppeal writes a step: the appeal as changed (read at
// old.UpdatedAt: ErrConflict when it changed since) and its timeline line.
func (s *Store) AdvanceAppeal(ctx context.Context, note AuditNote, accountID int64, old, a model.Appeal, action model.AppealAction, comment string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		stamp := now()
		res, err := tx.ExecContext(ctx, `UPDATE appeal SET status = ?, assignee_id = ?, accepted_at = ?, answered_at = ?, closed_at = ?,
			due_accept = ?, due_answer = ?, due_close = ?, reply = ?, reply_method = ?, satisfaction = ?, updated_at = ?
			WHERE id = ? AND updated_at = ?`, a.Status, a.AssigneeID, a.AcceptedAt, a.AnsweredAt, a.ClosedAt,
			a.DueAccept, a.DueAnswer, a.DueClose, a.Reply, a.ReplyMethod, a.Satisfaction, stamp, a.ID, old.UpdatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: changed by someone else since it was opened", model.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO appeal_step(appeal_id, action, from_state, to_state, account_id, at, comment)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, action, old.Status, a.Status, accountID, stamp, comment)
		w.note(a.ID, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: appeal %d %s: %w", a.ID, action, err)
	}
	return nil
}

// appealWhere is the one place an appeals query becomes SQL.
func appealWhere(q model.AppealQuery) (string, []any) {
	var w where
	if q.OnlyMine {
		w.add("a.assignee_id = ?", q.Mine)
	} else if !q.AllGrids {
		in, a := inList(q.Grids)
		if q.Mine != 0 {
			w.add("(a.grid_id IN "+in+" OR a.assignee_id = ?)", append(a, q.Mine)...)
		} else {
			w.add("a.grid_id IN "+in, a...)
		}
	}
	if len(q.Statuses) > 0 {
		w.add("a.status IN (SELECT value FROM json_each(?))", jsonList(q.Statuses))
	}
	if q.CategoryID != 0 {
		w.add("a.category_id = ?", q.CategoryID)
	}
	if q.Channel != "" {
		w.add("a.channel = ?", q.Channel)
	}
	if q.From != "" {
		w.add("a.received_at >= ?", q.From)
	}
	if q.To != "" {
		w.add("a.received_at < ?", q.To+"~") // the whole day
	}
	return w.sql()
}

// Appeals lists the appeals a query selects, newest first (at most
// q.Limit when set).
func (s *Store) Appeals(ctx context.Context, q model.AppealQuery) ([]model.Appeal, error) {
	where, args := appealWhere(q)
	query := "SELECT " + appealCols + appealFrom + " WHERE " + where + " ORDER BY a.received_at DESC, a.id DESC"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: appeals: %w", err)
	}
	defer rows.Close()
	var out []model.Appeal
	for rows.Next() {
		var a model.Appeal
		if err := scanAppeal(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
