package store

import (
	"context"
	"database/sql"
	"fmt"

	"shequ/app/model"
)

// Areas returns the whole area tree (a district has a few thousand areas
// at most), parents before children.
func (s *Store) Areas(ctx context.Context) ([]model.Area, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coalesce(parent_id, 0), level, name FROM area
		ORDER BY CASE level WHEN 'street' THEN 0 WHEN 'community' THEN 1 ELSE 2 END, name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: areas: %w", err)
	}
	defer rows.Close()
	var out []model.Area
	for rows.Next() {
		var a model.Area
		var level string
		if err := rows.Scan(&a.ID, &a.ParentID, &level, &a.Name); err != nil {
			return nil, err
		}
		a.Level = model.AreaLevel(level)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateArea inserts an area under parent (0 for a street).
func (s *Store) CreateArea(ctx context.Context, note AuditNote, accountID int64, a model.Area) (int64, error) {
	return s.insertPlace(ctx, note, accountID, "area", "INSERT INTO area(uid, parent_id, level, name) VALUES (?, ?, ?, ?)",
		newUID(), nullID(a.ParentID), string(a.Level), a.Name)
}

// CreateCompound inserts a compound in a community.
func (s *Store) CreateCompound(ctx context.Context, note AuditNote, accountID int64, c model.Compound) (int64, error) {
	return s.insertPlace(ctx, note, accountID, "compound", "INSERT INTO compound(uid, community_id, name) VALUES (?, ?, ?)",
		newUID(), c.CommunityID, c.Name)
}

// CreateBuilding inserts a building in a compound.
func (s *Store) CreateBuilding(ctx context.Context, note AuditNote, accountID int64, b model.Building) (int64, error) {
	return s.insertPlace(ctx, note, accountID, "building", "INSERT INTO building(uid, compound_id, name) VALUES (?, ?, ?)",
		newUID(), b.CompoundID, b.Name)
}

// CreateUnit inserts a unit in a building.
func (s *Store) CreateUnit(ctx context.Context, note AuditNote, accountID int64, u model.Unit) (int64, error) {
	return s.insertPlace(ctx, note, accountID, "unit", "INSERT INTO unit(uid, building_id, name) VALUES (?, ?, ?)",
		newUID(), u.BuildingID, u.Name)
}

// CreateHouse inserts a house in a unit.
func (s *Store) CreateHouse(ctx context.Context, note AuditNote, accountID int64, h model.House) (int64, error) {
	use := h.Use
	if use == "" {
		use = model.UseOwner
	}
	return s.insertPlace(ctx, note, accountID, "house", "INSERT INTO house(uid, unit_id, room, grid_id, use, area_m2) VALUES (?, ?, ?, ?, ?, ?)",
		newUID(), h.UnitID, h.Room, h.GridID, string(use), h.AreaM2)
}

func (s *Store) insertPlace(ctx context.Context, note AuditNote, accountID int64, entity, query string, args ...any) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		w.note(id, nil)
		return addHistory(ctx, tx, accountID, entity, id, "created", "", fmt.Sprint(args[len(args)-1]))
	})
	if err != nil {
		return 0, fmt.Errorf("store: create %s: %w", entity, err)
	}
	return id, nil
}

// placeTables are the tables whose rows are renamed by RenamePlace, with
// the column that holds the name.
var placeTables = map[string]string{"area": "name", "compound": "name", "building": "name", "unit": "name", "house": "room"}

// RenamePlace renames an area, compound, building, unit or house (its
// room number), keeping the old name in the history.
func (s *Store) RenamePlace(ctx context.Context, note AuditNote, accountID int64, entity string, id int64, name string) error {
	col, ok := placeTables[entity]
	if !ok {
		return fmt.Errorf("store: rename %s: %w", entity, model.ErrInvalid)
	}
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT "+col+" FROM "+entity+" WHERE id = ?", id).Scan(&old); err != nil {
			return err
		}
		if old == name {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+entity+" SET "+col+" = ? WHERE id = ?", name, id); err != nil {
			return err
		}
		return addHistory(ctx, tx, accountID, entity, id, col, old, name)
	})
	if err != nil {
		return fmt.Errorf("store: rename %s %d: %w", entity, id, err)
	}
	return nil
}

// SetHouseUse records what a house is used for, with history.
func (s *Store) SetHouseUse(ctx context.Context, note AuditNote, accountID, houseID int64, use model.HouseUse) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT use FROM house WHERE id = ?", houseID).Scan(&old); err != nil {
			return err
		}
		if old == string(use) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE house SET use = ? WHERE id = ?", string(use), houseID); err != nil {
			return err
		}
		return addHistory(ctx, tx, accountID, "house", houseID, "use", old, string(use))
	})
	if err != nil {
		return fmt.Errorf("store: use of house %d: %w", houseID, err)
	}
	return nil
}

// PlaceArea is the community a compound, building, unit or house belongs
// to, and for a house its grid.
func (s *Store) PlaceArea(ctx context.Context, entity string, id int64) (community, grid int64, err error) {
	q := map[string]string{
		"compound": "SELECT c.community_id, 0 FROM compound c WHERE c.id = ?",
		"building": "SELECT c.community_id, 0 FROM building b JOIN compound c ON c.id = b.compound_id WHERE b.id = ?",
		"unit": `SELECT c.community_id, 0 FROM unit u JOIN building b ON b.id = u.building_id
			JOIN compound c ON c.id = b.compound_id WHERE u.id = ?`,
		"house": `SELECT c.community_id, h.grid_id FROM house h JOIN unit u ON u.id = h.unit_id
			JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id WHERE h.id = ?`,
	}[entity]
	if q == "" {
		return 0, 0, fmt.Errorf("store: place %s: %w", entity, model.ErrInvalid)
	}
	if err := s.r.QueryRowContext(ctx, q, id).Scan(&community, &grid); err != nil {
		return 0, 0, fmt.Errorf("store: %s %d: %w", entity, id, mapErr(err))
	}
	return community, grid, nil
}

// Compounds lists the compounds that have a house in one of the grids
// (nil grids: all compounds), by name.
func (s *Store) Compounds(ctx context.Context, grids []int64, all bool) ([]model.Compound, error) {
	q := "SELECT id, community_id, name FROM compound ORDER BY name, id"
	var args []any
	if !all {
		in, a := inList(grids)
		q = `SELECT c.id, c.community_id, c.name FROM compound c WHERE EXISTS (
			SELECT 1 FROM building b JOIN unit u ON u.building_id = b.id JOIN house h ON h.unit_id = u.id
			WHERE b.compound_id = c.id AND h.grid_id IN ` + in + `) ORDER BY c.name, c.id`
		args = a
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: compounds: %w", err)
	}
	defer rows.Close()
	var out []model.Compound
	for rows.Next() {
		var c model.Compound
		if err := rows.Scan(&c.ID, &c.CommunityID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CompoundNames names compounds by id.
func (s *Store) CompoundNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, name FROM compound WHERE id IN (SELECT value FROM json_each(?))", jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("store: compound names: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// CompoundNamed reports whether a compound's name contains text.
func (s *Store) CompoundNamed(ctx context.Context, text string) (bool, error) {
	var ok bool
	err := s.r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM compound WHERE name LIKE ? ESCAPE '\\')", "%"+likeEscape(text)+"%").Scan(&ok)
	return ok, err
}

// Buildings lists a compound's buildings in natural order.
func (s *Store) Buildings(ctx context.Context, compoundID int64) ([]model.Building, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, compound_id, name FROM building WHERE compound_id = ? ORDER BY length(name), name", compoundID)
	if err != nil {
		return nil, fmt.Errorf("store: buildings: %w", err)
	}
	defer rows.Close()
	var out []model.Building
	for rows.Next() {
		var b model.Building
		if err := rows.Scan(&b.ID, &b.CompoundID, &b.Name); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Units lists a building's units in natural order.
func (s *Store) Units(ctx context.Context, buildingID int64) ([]model.Unit, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, building_id, name FROM unit WHERE building_id = ? ORDER BY length(name), name", buildingID)
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []model.Unit
	for rows.Next() {
		var u model.Unit
		if err := rows.Scan(&u.ID, &u.BuildingID, &u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Houses lists a unit's houses in natural order, only those in the grids
// unless all.
func (s *Store) Houses(ctx context.Context, unitID int64, grids []int64, all bool) ([]model.House, error) {
	q := "SELECT id, unit_id, room, grid_id, use, area_m2 FROM house WHERE unit_id = ?"
	args := []any{unitID}
	if !all {
		in, a := inList(grids)
		q += " AND grid_id IN " + in
		args = append(args, a...)
	}
	rows, err := s.r.QueryContext(ctx, q+" ORDER BY length(room), room", args...)
	if err != nil {
		return nil, fmt.Errorf("store: houses: %w", err)
	}
	defer rows.Close()
	var out []model.House
	for rows.Next() {
		var h model.House
		var use string
		if err := rows.Scan(&h.ID, &h.UnitID, &h.Room, &h.GridID, &use, &h.AreaM2); err != nil {
			return nil, err
		}
		h.Use = model.HouseUse(use)
		out = append(out, h)
	}
	return out, rows.Err()
}

// HouseAddress resolves a house's full address.
func (s *Store) HouseAddress(ctx context.Context, houseID int64) (model.Address, error) {
	var a model.Address
	err := scanAddress(s.r.QueryRowContext(ctx, `SELECT `+addressCols+`
		FROM house h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id
		WHERE h.id = ?`, houseID), &a)
	if err != nil {
		return a, fmt.Errorf("store: house %d: %w", houseID, mapErr(err))
	}
	return a, nil
}

// FindHouses finds houses by address parts (empty parts match anything;
// the compound matches any part of its name), at most limit.
func (s *Store) FindHouses(ctx context.Context, q model.AddressQuery, limit int) ([]model.Address, error) {
	return s.FindHousesIn(ctx, q, nil, true, limit)
}

// FindHousesIn is FindHouses limited to the houses in grids (unless all),
// so that the limit counts only houses the caller may see.
func (s *Store) FindHousesIn(ctx context.Context, q model.AddressQuery, grids []int64, all bool, limit int) ([]model.Address, error) {
	where, args := addressWhere(q)
	if !all {
		in, a := inList(grids)
		where += " AND h.grid_id IN " + in
		args = append(args, a...)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+addressCols+`
		FROM house h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id
		WHERE `+where+` ORDER BY h.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: find houses: %w", err)
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

// addressCols are an address's columns from house h, unit u, building b
// and compound c, in scanAddress's order: one way to read an address.
const addressCols = "h.id, c.name, b.name, u.name, h.room, h.grid_id, h.use"

func scanAddress(sc scanner, a *model.Address) error {
	var use string
	err := sc.Scan(&a.HouseID, &a.Compound, &a.Building, &a.Unit, &a.Room, &a.GridID, &use)
	a.Use = model.HouseUse(use)
	return err
}

// addressWhere builds the condition on house h, unit u, building b and
// compound c for an address query.
func addressWhere(q model.AddressQuery) (string, []any) {
	where, args := "1", []any{}
	if q.Compound != "" {
		where += " AND c.name LIKE ? ESCAPE '\\'"
		args = append(args, "%"+likeEscape(q.Compound)+"%")
	}
	if q.Building != "" {
		where += " AND b.name = ?"
		args = append(args, q.Building)
	}
	if q.Unit != "" {
		where += " AND u.name = ?"
		args = append(args, q.Unit)
	}
	if q.Room != "" {
		where += " AND h.room = ?"
		args = append(args, q.Room)
	}
	return where, args
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
