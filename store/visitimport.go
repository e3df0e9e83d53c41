package store

import (
	"context"
	"fmt"

	"shequ/app/model"
)

// CompoundHouses lists a compound's houses with their addresses, in id
// order: what an import of visits looks the visited houses up in.
func (s *Store) CompoundHouses(ctx context.Context, compoundID int64) ([]model.Address, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+addressCols+`
		FROM house h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id
		WHERE b.compound_id = ? ORDER BY h.id`, compoundID)
	if err != nil {
		return nil, fmt.Errorf("store: houses of compound %d: %w", compoundID, err)
	}
	defer rows.Close()
	var out []model.Address
	for rows.Next() {
		var a model.Address
		if err := scanAddress(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// VisitKeys calls fn with who came in when for each visit at a compound
// with a time in between from and to (inclusive, as stored): what an
// import holds its rows against to leave out visits registered before.
func (s *Store) VisitKeys(ctx context.Context, compoundID int64, from, to string, fn func(timeIn, name, idNumber string)) error {
	rows, err := s.r.QueryContext(ctx, `SELECT time_in, name, id_number FROM visit
		WHERE compound_id = ? AND time_in >= ? AND time_in <= ?`, compoundID, from, to)
	if err != nil {
		return fmt.Errorf("store: visits of compound %d: %w", compoundID, err)
	}
	defer rows.Close()
	var in, name, id string
	for rows.Next() {
		if err := rows.Scan(&in, &name, &id); err != nil {
			return err
		}
		fn(in, name, id)
	}
	return rows.Err()
}
