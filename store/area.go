package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"shequ/app/model"
)

// areaUseSQL counts every row that points at an area (?1). Residents
// count by their current or last grid, whatever their state.
const areaUseSQL = `SELECT
	(SELECT count(*) FROM area WHERE parent_id = ?1),
	(SELECT count(*) FROM compound WHERE community_id = ?1),
	(SELECT count(*) FROM house WHERE grid_id = ?1),
	(SELECT count(*) FROM resident WHERE grid_id = ?1),
	(SELECT count(*) FROM account_area WHERE area_id = ?1),
	(SELECT count(*) FROM space WHERE area_id = ?1) + (SELECT count(*) FROM activity WHERE area_id = ?1)
	+ (SELECT count(*) FROM merchant WHERE area_id = ?1) + (SELECT count(*) FROM appeal WHERE grid_id = ?1)
	+ (SELECT count(*) FROM worklog WHERE grid_id = ?1)
	+ (SELECT count(*) FROM visit WHERE grid_id = ?1 OR community_id = ?1)`

// AreaUse counts what refers to an area.
func (s *Store) AreaUse(ctx context.Context, id int64) (model.AreaUse, error) {
	var u model.AreaUse
	err := s.r.QueryRowContext(ctx, areaUseSQL, id).Scan(&u.Children, &u.Compounds, &u.Houses, &u.Residents, &u.Accounts, &u.Other)
	if err != nil {
		return u, fmt.Errorf("store: area %d in use: %w", id, mapErr(err))
	}
	return u, nil
}

// DeleteArea deletes an area nothing refers to; one in use is
// model.ErrConflict. A synced database does not delete areas (the
// district's tree is the server's): model.ErrForbidden.
func (s *Store) DeleteArea(ctx context.Context, note AuditNote, accountID, id int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var name string
		var rec bool
		if err := tx.QueryRowContext(ctx, "SELECT name, (SELECT recording FROM sync_clock) FROM area WHERE id = ?", id).Scan(&name, &rec); err != nil {
			return err
		}
		if rec {
			return model.ErrForbidden
		}
		var u model.AreaUse
		if err := tx.QueryRowContext(ctx, areaUseSQL, id).Scan(&u.Children, &u.Compounds, &u.Houses, &u.Residents, &u.Accounts, &u.Other); err != nil {
			return err
		}
		if !u.Empty() {
			return model.ErrConflict
		}
		if err := addHistory(ctx, tx, accountID, "area", id, "deleted", name, ""); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM area WHERE id = ?", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete area %d: %w", id, mapErr(err))
	}
	return nil
}

// MoveArea puts an area under another parent. A grid's compounds go with
// it to its new community, so each must lie wholly in the grid: one with
// houses in other grids too is a *model.SharedCompoundError.
func (s *Store) MoveArea(ctx context.Context, note AuditNote, accountID, id, parent int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old int64
		var level string
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(parent_id, 0), level FROM area WHERE id = ?", id).Scan(&old, &level); err != nil {
			return err
		}
		if old == parent {
			return nil
		}
		if level == string(model.LevelGrid) {
			if err := moveGridCompounds(ctx, tx, id, parent); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE area SET parent_id = ? WHERE id = ?", parent, id); err != nil {
			return err
		}
		return addHistory(ctx, tx, accountID, "area", id, "parent", strconv.FormatInt(old, 10), strconv.FormatInt(parent, 10))
	})
	if err != nil {
		var shared *model.SharedCompoundError
		if errors.As(err, &shared) {
			return err
		}
		return fmt.Errorf("store: move area %d: %w", id, mapErr(err))
	}
	return nil
}

// moveGridCompounds moves the compounds of a grid's houses to community.
func moveGridCompounds(ctx context.Context, tx *sql.Tx, grid, community int64) error {
	const compounds = `SELECT DISTINCT b.compound_id FROM house h JOIN unit u ON u.id = h.unit_id
		JOIN building b ON b.id = u.building_id WHERE h.grid_id = ?`
	var shared string
	err := tx.QueryRowContext(ctx, `SELECT c.name FROM compound c WHERE c.id IN (`+compounds+`) AND EXISTS (
		SELECT 1 FROM building b JOIN unit u ON u.building_id = b.id JOIN house h ON h.unit_id = u.id
		WHERE b.compound_id = c.id AND h.grid_id <> ?) ORDER BY c.name LIMIT 1`, grid, grid).Scan(&shared)
	if err == nil {
		return &model.SharedCompoundError{Compound: shared}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE compound SET community_id = ? WHERE id IN ("+compounds+")", community, grid)
	return err
}

// HouseCount counts the houses in the grids (all of them when all).
func (s *Store) HouseCount(ctx context.Context, grids []int64, all bool) (int, error) {
	q, args := "SELECT count(*) FROM house", []any(nil)
	if !all {
		in, inArgs := inList(grids)
		q, args = q+" WHERE grid_id IN "+in, inArgs
	}
	var n int
	if err := s.r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count houses: %w", err)
	}
	return n, nil
}
