package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// Tags lists every tag by category and name, with how many residents
// living here in grids (all when all) carry it.
func (s *Store) Tags(ctx context.Context, grids []int64, all bool) ([]model.Tag, error) {
	cond, args := "c.status IN (SELECT value FROM json_each(?))", []any{jsonList(strs(model.Living))}
	if !all {
		in, a := inList(grids)
		cond, args = cond+" AND c.grid_id IN "+in, append(args, a...)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, t.category, t.name, t.color,
		(SELECT coalesce(sum(c.n), 0) FROM tag_count c WHERE c.tag_id = t.id AND `+cond+`)
		FROM tag t ORDER BY `+rankExpr("t.category", model.TagCategories)+`, t.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	defer rows.Close()
	var out []model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Category, &t.Name, &t.Color, &t.Residents); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TagsNamed lists every tag without counting who carries it (for pickers:
// the counts cost a pass over the links).
func (s *Store) TagsNamed(ctx context.Context) ([]model.Tag, error) {
	out, err := s.tagList(ctx, "SELECT id, category, name, color FROM tag ORDER BY "+rankExpr("category", model.TagCategories)+", name")
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	return out, nil
}

// tagList reads tags (id, category, name, color) a query selects.
func (s *Store) tagList(ctx context.Context, query string, args ...any) ([]model.Tag, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Category, &t.Name, &t.Color); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Tag reads one tag, with how many residents carry it anywhere.
func (s *Store) Tag(ctx context.Context, id int64) (model.Tag, error) {
	var t model.Tag
	err := s.r.QueryRowContext(ctx, `SELECT id, category, name, color, (SELECT count(*) FROM resident_tag WHERE tag_id = tag.id)
		FROM tag WHERE id = ?`, id).Scan(&t.ID, &t.Category, &t.Name, &t.Color, &t.Residents)
	if err != nil {
		return t, fmt.Errorf("store: tag %d: %w", id, mapErr(err))
	}
	return t, nil
}

// TagNamed finds a tag by its name (no count).
func (s *Store) TagNamed(ctx context.Context, name string) (model.Tag, error) {
	var t model.Tag
	err := s.r.QueryRowContext(ctx, "SELECT id, category, name, color FROM tag WHERE name = ?", name).Scan(&t.ID, &t.Category, &t.Name, &t.Color)
	if err != nil {
		return t, fmt.Errorf("store: tag %q: %w", name, mapErr(err))
	}
	return t, nil
}

// CreateTag adds a tag.
func (s *Store) CreateTag(ctx context.Context, note AuditNote, t model.Tag) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO tag(uid, category, name, color) VALUES (?, ?, ?, ?)", newUID(), t.Category, t.Name, t.Color)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		w.note(id, nil)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: create tag %q: %w", t.Name, err)
	}
	return id, nil
}

// UpdateTag renames a tag or moves it to another category or colour.
func (s *Store) UpdateTag(ctx context.Context, note AuditNote, t model.Tag) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		_, err := tx.ExecContext(ctx, "UPDATE tag SET category = ?, name = ?, color = ? WHERE id = ?", t.Category, t.Name, t.Color, t.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: update tag %d: %w", t.ID, err)
	}
	return nil
}

// MergeTags gives every resident carrying from the tag into (keeping when
// and by whom they were tagged) and removes from.
func (s *Store) MergeTags(ctx context.Context, note AuditNote, from, into int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		for _, q := range []string{
			`INSERT OR IGNORE INTO resident_tag(resident_id, tag_id, account_id, at)
				SELECT resident_id, ?2, account_id, at FROM resident_tag WHERE tag_id = ?1`,
			"DELETE FROM resident_tag WHERE tag_id = ?1",
			"DELETE FROM tag WHERE id = ?1",
		} {
			if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: merge tag %d into %d: %w", from, into, err)
	}
	return nil
}

// DeleteTag removes a tag from everyone and then the tag.
func (s *Store) DeleteTag(ctx context.Context, note AuditNote, id int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM resident_tag WHERE tag_id = ?", id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM tag WHERE id = ?", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete tag %d: %w", id, err)
	}
	return nil
}

// ResidentTags lists the tags a resident carries.
func (s *Store) ResidentTags(ctx context.Context, residentID int64) ([]model.Tag, error) {
	out, err := s.tagList(ctx, `SELECT t.id, t.category, t.name, t.color FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id
		WHERE rt.resident_id = ? ORDER BY `+rankExpr("t.category", model.TagCategories)+`, t.name`, residentID)
	if err != nil {
		return nil, fmt.Errorf("store: tags of resident %d: %w", residentID, err)
	}
	return out, nil
}

// SetTag tags (on) or untags residents, keeping who and when on the link
// and a line in each resident's history; residents who already are as
// asked are left alone. It returns how many changed.
func (s *Store) SetTag(ctx context.Context, note AuditNote, accountID, tagID int64, residentIDs []int64, on bool) (int, error) {
	n := 0
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var name string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM tag WHERE id = ?", tagID).Scan(&name); err != nil {
			return err
		}
		q := "INSERT OR IGNORE INTO resident_tag(resident_id, tag_id, account_id, at) VALUES (?, ?, ?, ?)"
		if !on {
			q = "DELETE FROM resident_tag WHERE resident_id = ? AND tag_id = ?"
		}
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		stamp := now()
		for _, id := range residentIDs {
			args := []any{id, tagID, accountID, stamp}
			if !on {
				args = args[:2]
			}
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			old, cur := "", name
			if !on {
				old, cur = name, ""
			}
			if err := addHistory(ctx, tx, accountID, "resident", id, "tag", old, cur); err != nil {
				return err
			}
		}
		// Nobody changed: like an update that changed nothing, no entry.
		changed := []string{}
		if n > 0 {
			changed = append(changed, "tag")
		}
		w.note(tagID, changed)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: tag residents: %w", err)
	}
	return n, nil
}

// ResidentIDs lists the ids of every resident a query matches, for an
// action on a whole list (tag everyone).
func (s *Store) ResidentIDs(ctx context.Context, q model.ResidentQuery) ([]int64, error) {
	return s.residentIDs(ctx, q, "1")
}

// residentIDs lists the ids of the residents a query matches that also
// meet a condition on r (with its arguments first), never nil.
func (s *Store) residentIDs(ctx context.Context, q model.ResidentQuery, cond string, condArgs ...any) ([]int64, error) {
	where, args := residentWhere(q)
	rows, err := s.r.QueryContext(ctx, "SELECT r.id FROM resident r WHERE "+cond+" AND "+where+" ORDER BY r.id", append(condArgs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: resident ids: %w", err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
