package store

import (
	"context"
	"fmt"

	"shequ/app/model"
)

// Holder is who in the registry holds an ID number: enough to match a
// list against the registry without reading whole residents.
type Holder struct {
	ID, GridID            int64
	IDNumber, Name, Birth string
	Status                model.Status
}

// HoldersOf finds the residents holding any of the ID numbers, in one
// statement for the lot (index lookups inside SQLite, not one query per
// number): a list of a million is matched in seconds.
func (s *Store) HoldersOf(ctx context.Context, numbers []string) ([]Holder, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.id, r.grid_id, r.id_number, r.name, r.birth, r.status FROM resident r
		WHERE r.id_number IN (SELECT value FROM json_each(?)) AND r.id_number <> ''`, jsonList(numbers))
	if err != nil {
		return nil, fmt.Errorf("store: holders of id numbers: %w", err)
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.ID, &h.GridID, &h.IDNumber, &h.Name, &h.Birth, &h.Status); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
