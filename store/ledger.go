package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"shequ/app/model"
)

// What an import needs inside its one bulk transaction: places found or
// created by name, residents found by ID number and updated with their
// history, tags, and the audit entry, so that all of it commits or none.

// HouseRef is a house an import placed a resident in.
type HouseRef struct {
	ID, GridID int64
	Created    bool // created by this import
}

type nameKey struct {
	parent int64
	name   string
}

// placeCache holds the places of the compounds an import touched, each
// compound loaded whole on first use: a ledger is sorted by address as a
// rule, and one query per compound beats one per row.
type placeCache struct {
	compounds map[nameKey]int64
	buildings map[nameKey]int64
	units     map[nameKey]int64
	houses    map[nameKey]HouseRef
	tags      map[string]int64
	named     map[string]int64 // a compound's community by name (-1: several), for an import with no grid
}

// Empty reports whether the registry had no residents when the bulk write
// began (nobody can be found by ID number then).
func (b *Bulk) Empty() bool { return b.empty }

func (b *Bulk) cache() *placeCache {
	if b.places == nil {
		b.places = &placeCache{compounds: map[nameKey]int64{}, buildings: map[nameKey]int64{}, units: map[nameKey]int64{},
			houses: map[nameKey]HouseRef{}, tags: map[string]int64{}}
	}
	return b.places
}

// ErrNeedsGrid is an address whose house is not in the registry, met by an
// import given no grid for new houses: the row says so, nothing is made.
var ErrNeedsGrid = errors.New("store: a new house needs a grid")

// ErrCompoundAmbiguous is a compound named in several communities, met by
// an import given no grid to tell them apart.
var ErrCompoundAmbiguous = errors.New("store: compound named in several communities")

// PlaceHouse finds the house compound › building › unit › room, the
// compound by name within community, creating whatever is missing: new
// houses go in grid with use. Without a grid (0) it only finds: the
// compound by its name wherever it is, and an address whose house is not
// there yet is ErrNeedsGrid.
func (b *Bulk) PlaceHouse(community, grid int64, compound, building, unit, room string, use model.HouseUse) (HouseRef, error) {
	c := b.cache()
	if grid == 0 {
		var err error
		if community, err = b.compoundCommunity(compound); err != nil {
			return HouseRef{}, err
		}
	}
	cid, ok := c.compounds[nameKey{community, compound}]
	if !ok {
		err := b.tx.QueryRowContext(b.ctx, "SELECT id FROM compound WHERE community_id = ? AND name = ?", community, compound).Scan(&cid)
		switch {
		case errors.Is(err, sql.ErrNoRows) && grid == 0:
			return HouseRef{}, ErrNeedsGrid
		case errors.Is(err, sql.ErrNoRows):
			if cid, err = b.Compound(model.Compound{CommunityID: community, Name: compound}); err != nil {
				return HouseRef{}, err
			}
		case err != nil:
			return HouseRef{}, err
		default:
			if err := b.loadCompound(cid); err != nil {
				return HouseRef{}, err
			}
		}
		c.compounds[nameKey{community, compound}] = cid
	}
	bid, ok := c.buildings[nameKey{cid, building}]
	if !ok {
		if grid == 0 {
			return HouseRef{}, ErrNeedsGrid
		}
		var err error
		if bid, err = b.Building(model.Building{CompoundID: cid, Name: building}); err != nil {
			return HouseRef{}, err
		}
		c.buildings[nameKey{cid, building}] = bid
	}
	uid, ok := c.units[nameKey{bid, unit}]
	if !ok {
		if grid == 0 {
			return HouseRef{}, ErrNeedsGrid
		}
		var err error
		if uid, err = b.Unit(model.Unit{BuildingID: bid, Name: unit}); err != nil {
			return HouseRef{}, err
		}
		c.units[nameKey{bid, unit}] = uid
	}
	h, ok := c.houses[nameKey{uid, room}]
	if !ok {
		if grid == 0 {
			return HouseRef{}, ErrNeedsGrid
		}
		id, err := b.House(model.House{UnitID: uid, Room: room, GridID: grid, Use: use})
		if err != nil {
			return HouseRef{}, err
		}
		h = HouseRef{ID: id, GridID: grid}
		c.houses[nameKey{uid, room}] = h
		h.Created = true
	}
	return h, nil
}

// compoundCommunity is the community of the one compound of that name.
func (b *Bulk) compoundCommunity(compound string) (int64, error) {
	c := b.cache()
	if c.named == nil {
		c.named = map[string]int64{}
	}
	if id, ok := c.named[compound]; ok {
		if id < 0 {
			return 0, ErrCompoundAmbiguous
		}
		return id, nil
	}
	rows, err := b.tx.QueryContext(b.ctx, "SELECT community_id FROM compound WHERE name = ? LIMIT 2", compound)
	if err != nil {
		return 0, err
	}
	var found []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		found = append(found, id)
	}
	rows.Close()
	switch len(found) {
	case 0:
		return 0, ErrNeedsGrid
	case 1:
		c.named[compound] = found[0]
		return found[0], nil
	}
	c.named[compound] = -1
	return 0, ErrCompoundAmbiguous
}

// loadCompound reads the buildings, units and houses of an existing
// compound into the cache.
func (b *Bulk) loadCompound(cid int64) error {
	c := b.cache()
	rows, err := b.tx.QueryContext(b.ctx, `SELECT b.id, b.name, u.id, u.name, h.id, h.room, h.grid_id
		FROM building b LEFT JOIN unit u ON u.building_id = b.id LEFT JOIN house h ON h.unit_id = u.id
		WHERE b.compound_id = ?`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var bid int64
		var bname string
		var uid, hid, grid sql.NullInt64
		var uname, room sql.NullString
		if err := rows.Scan(&bid, &bname, &uid, &uname, &hid, &room, &grid); err != nil {
			return err
		}
		c.buildings[nameKey{cid, bname}] = bid
		if uid.Valid {
			c.units[nameKey{bid, uname.String}] = uid.Int64
		}
		if hid.Valid {
			c.houses[nameKey{uid.Int64, room.String}] = HouseRef{ID: hid.Int64, GridID: grid.Int64}
		}
	}
	return rows.Err()
}

// ResidentByIDNumber finds the resident with an ID number.
func (b *Bulk) ResidentByIDNumber(idNumber string) (model.Resident, bool, error) {
	if b.empty {
		return model.Resident{}, false, nil
	}
	var r model.Resident
	err := scanResident(b.tx.QueryRowContext(b.ctx, "SELECT "+residentCols+" FROM resident r WHERE r.id_number = ?", idNumber), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// ResidentInHouse finds a resident without an ID number by name and birth
// date among those who live or lived in a house.
func (b *Bulk) ResidentInHouse(houseID int64, name, birth string) (model.Resident, bool, error) {
	if b.empty {
		return model.Resident{}, false, nil
	}
	var r model.Resident
	err := scanResident(b.tx.QueryRowContext(b.ctx, "SELECT "+residentCols+` FROM resident r
		WHERE r.house_id = ? AND r.name = ? AND r.birth = ? AND r.id_number = '' ORDER BY r.id LIMIT 1`, houseID, name, birth), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// UpdateResident writes r's fields over the stored ones with history, and
// when house or relation changed, moves the resident (on date) or changes
// the relation, as the window would.
func (b *Bulk) UpdateResident(accountID int64, r model.Resident, old model.Resident, date string) ([]string, error) {
	r.UpdatedAt = time.Time{}
	if err := b.flush(); err != nil {
		return nil, err
	}
	fields, err := updateResident(b.ctx, b.tx, accountID, r)
	if err != nil {
		return nil, err
	}
	switch {
	case r.HouseID != 0 && r.HouseID != old.HouseID:
		if err := endResidence(b.ctx, b.tx, accountID, r.ID, date, "moved"); err != nil {
			return nil, err
		}
		if err := moveIn(b.ctx, b.tx, accountID, r.ID, r.HouseID, r.Relation, date); err != nil {
			return nil, err
		}
		fields = append(fields, "house")
	case r.HouseID != 0 && r.Relation != old.Relation:
		if _, err := b.tx.ExecContext(b.ctx, "UPDATE residence SET relation = ? WHERE resident_id = ? AND until IS NULL", string(r.Relation), r.ID); err != nil {
			return nil, err
		}
		if _, err := b.tx.ExecContext(b.ctx, "UPDATE resident SET relation = ? WHERE id = ?", string(r.Relation), r.ID); err != nil {
			return nil, err
		}
		if err := addHistory(b.ctx, b.tx, accountID, "resident", r.ID, "relation", string(old.Relation), string(r.Relation)); err != nil {
			return nil, err
		}
		fields = append(fields, "relation")
	}
	return fields, nil
}

// TagID finds a tag by name, creating it in 未分类 when unknown.
func (b *Bulk) TagID(name string) (id int64, created bool, err error) {
	c := b.cache()
	if id, ok := c.tags[name]; ok {
		return id, false, nil
	}
	err = b.tx.QueryRowContext(b.ctx, "SELECT id FROM tag WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		id, err = b.insert(b.tagNew, newUID(), name)
		created = true
	}
	if err != nil {
		return 0, false, err
	}
	c.tags[name] = id
	return id, created, nil
}

// TagResident gives a resident a tag (kept when it already has it).
func (b *Bulk) TagResident(residentID, tagID, accountID int64) error {
	return b.tagLink.add(residentID, tagID, accountID, b.stamp)
}

// LedgerMapping reads a saved column mapping by its header signature:
// header text → field name. ok is false when none was saved.
func (s *Store) LedgerMapping(ctx context.Context, signature string) (m map[string]string, ok bool, err error) {
	var text string
	err = s.r.QueryRowContext(ctx, "SELECT mapping FROM ledger_mapping WHERE signature = ?", signature).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: ledger mapping: %w", err)
	}
	return m, true, json.Unmarshal([]byte(text), &m)
}

// SaveLedgerMapping keeps a column mapping for headers with signature.
func (s *Store) SaveLedgerMapping(ctx context.Context, signature string, m map[string]string, account string) error {
	text, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO ledger_mapping(signature, mapping, account, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(signature) DO UPDATE SET mapping = excluded.mapping, account = excluded.account, saved_at = excluded.saved_at`,
		signature, string(text), account, now())
	if err != nil {
		return fmt.Errorf("store: save ledger mapping: %w", err)
	}
	return nil
}

// HasHead reports whether a house has a current householder other than
// the resident with idNumber.
func (b *Bulk) HasHead(houseID int64, idNumber string) bool {
	var n int
	b.tx.QueryRowContext(b.ctx, `SELECT count(*) FROM resident WHERE house_id = ? AND relation = 'head' AND id_number <> ?
		AND status IN ('present', 'away')`, houseID, idNumber).Scan(&n)
	return n > 0
}

// LedgerRow is a resident as a ledger export writes it.
type LedgerRow struct {
	model.ResidentRow
	Tags string // tag names joined with 、
}

// EachLedgerRow counts the residents a query matches and then streams them
// to fn household by household (by house, householder first), all in one
// read transaction so the count and the rows agree.
func (s *Store) EachLedgerRow(ctx context.Context, q model.ResidentQuery, count func(int) error, fn func(*LedgerRow) error) error {
	// One pass in order gains nothing from a big page cache or from
	// mapping the file (which would leave the whole file in the process's
	// memory: 296 → 825 MB at 1.5 million); the workbook being written
	// beside it needs the memory. On a connection of its own, set back
	// before it returns to the pool.
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -4096; PRAGMA mmap_size = 0"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = -65536; PRAGMA mmap_size = %d", readerMap))
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	where, args := residentWhere(q)
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM resident r WHERE "+where, args...).Scan(&n); err != nil {
		return fmt.Errorf("store: count ledger rows: %w", err)
	}
	if err := count(n); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+residentCols+`, coalesce(c.name, ''), coalesce(b.name, ''), coalesce(u.name, ''), coalesce(h.room, ''),
		coalesce((SELECT group_concat(t.name, '、' ORDER BY t.name) FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id WHERE rt.resident_id = r.id), '')
		FROM resident r LEFT JOIN house h ON h.id = r.house_id LEFT JOIN unit u ON u.id = h.unit_id
		LEFT JOIN building b ON b.id = u.building_id LEFT JOIN compound c ON c.id = b.compound_id
		WHERE `+where+` ORDER BY r.house_id, `+rankExpr("r.relation", model.Relations)+`, r.id`, args...)
	if err != nil {
		return fmt.Errorf("store: ledger rows: %w", err)
	}
	defer rows.Close()
	var row LedgerRow
	for rows.Next() {
		if err := scanResident(rows, &row.Resident, &row.Address.Compound, &row.Address.Building, &row.Address.Unit, &row.Address.Room, &row.Tags); err != nil {
			return err
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
	return rows.Err()
}
