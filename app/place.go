package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"shequ/model"
)

// Compounds lists the compounds the actor may see.
func (a *App) Compounds(ctx context.Context, actor *Actor) ([]model.Compound, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Compounds(ctx, sc.Grids, sc.All)
}

// Buildings lists a compound's buildings.
func (a *App) Buildings(ctx context.Context, actor *Actor, compoundID int64) ([]model.Building, error) {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return nil, err
	}
	return a.st.Buildings(ctx, compoundID)
}

// Units lists a building's units.
func (a *App) Units(ctx context.Context, actor *Actor, buildingID int64) ([]model.Unit, error) {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return nil, err
	}
	return a.st.Units(ctx, buildingID)
}

// Houses lists the houses of a unit that the actor may see.
func (a *App) Houses(ctx context.Context, actor *Actor, unitID int64) ([]model.House, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Houses(ctx, unitID, sc.Grids, sc.All)
}

// House resolves a house's address, if the actor may see it.
func (a *App) House(ctx context.Context, actor *Actor, houseID int64) (model.Address, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.Address{}, err
	}
	addr, err := a.st.HouseAddress(ctx, houseID)
	if err != nil {
		return addr, err
	}
	if !inScope(sc, addr.GridID) {
		return model.Address{}, fmt.Errorf("app: house %d: %w", houseID, model.ErrForbidden)
	}
	return addr, nil
}

// FindHouses finds houses by an address text (锦绣花园3栋2单元501) within
// the actor's scope, at most limit.
func (a *App) FindHouses(ctx context.Context, actor *Actor, text string, limit int) ([]model.Address, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	q, ok := ParseAddress(text)
	if !ok {
		q = model.AddressQuery{Compound: strings.TrimSpace(text)}
	}
	return a.st.FindHousesIn(ctx, q, sc.Grids, sc.All, limit)
}

// Household lists the members of a house, householder first; withPast
// adds those who have moved out.
func (a *App) Household(ctx context.Context, actor *Actor, houseID int64, withPast bool) ([]model.Member, error) {
	if _, err := a.House(ctx, actor, houseID); err != nil {
		return nil, err
	}
	return a.st.Household(ctx, houseID, withPast)
}

// MoveResident moves a resident to another house on date: the old
// residence ends, a new one starts with the relation.
func (a *App) MoveResident(ctx context.Context, actor *Actor, residentID, houseID int64, rel model.Relation, date string) error {
	r, err := a.Resident(ctx, actor, residentID)
	if err != nil {
		return err
	}
	if r.Status == model.StatusDead {
		return problem("status", "err.move.dead", nil)
	}
	if _, err := a.House(ctx, actor, houseID); err != nil {
		return err
	}
	if !oneOf(rel, model.Relations) {
		return problem("relation", "err.relation.required", nil)
	}
	if date, err = checkDate(date); err != nil {
		return err
	}
	return a.st.MoveResident(ctx, actor.Account.ID, residentID, houseID, rel, date)
}

// LeaveHouse records that a resident moved away (迁出) or died (死亡) on
// date; the residence ends and the record stays.
func (a *App) LeaveHouse(ctx context.Context, actor *Actor, residentID int64, status model.Status, date string) error {
	if status != model.StatusMoved && status != model.StatusDead {
		return problem("status", "err.choice", nil)
	}
	r, err := a.Resident(ctx, actor, residentID)
	if err != nil {
		return err
	}
	if r.Status == status {
		return problem("status", "err.already", nil)
	}
	if date, err = checkDate(date); err != nil {
		return err
	}
	return a.st.LeaveHouse(ctx, actor.Account.ID, residentID, status, date)
}

func checkDate(date string) (string, error) {
	date = strings.TrimSpace(date)
	if date == "" {
		return today(), nil
	}
	d, ok := ParseDate(date)
	if !ok {
		return "", problem("date", "err.date.invalid", nil)
	}
	return d, nil
}

// PlaceKind names a level of the place tree.
type PlaceKind string

// Place kinds, as the store names their tables.
const (
	PlaceCompound PlaceKind = "compound"
	PlaceBuilding PlaceKind = "building"
	PlaceUnit     PlaceKind = "unit"
	PlaceHouse    PlaceKind = "house"
)

// CreatePlace creates a compound (parent: a community), a building
// (parent: a compound), a unit (parent: a building) or a house (parent: a
// unit; grid required). Only whole-database or community staff may add
// compounds; houses must be in the actor's grids.
func (a *App) CreatePlace(ctx context.Context, actor *Actor, kind PlaceKind, parent int64, name string, grid int64) (int64, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return 0, err
	}
	name, err = placeName(kind, name)
	if err != nil {
		return 0, err
	}
	id := actor.Account.ID
	switch kind {
	case PlaceCompound:
		if err := mayEditCommunity(sc, areas, parent, true); err != nil {
			return 0, err
		}
		return a.st.CreateCompound(ctx, id, model.Compound{CommunityID: parent, Name: name})
	case PlaceBuilding, PlaceUnit:
		parentKind := map[PlaceKind]PlaceKind{PlaceBuilding: PlaceCompound, PlaceUnit: PlaceBuilding}[kind]
		community, _, err := a.st.PlaceArea(ctx, string(parentKind), parent)
		if err != nil {
			return 0, err
		}
		if err := mayEditCommunity(sc, areas, community, false); err != nil {
			return 0, err
		}
		if kind == PlaceBuilding {
			return a.st.CreateBuilding(ctx, id, model.Building{CompoundID: parent, Name: name})
		}
		return a.st.CreateUnit(ctx, id, model.Unit{BuildingID: parent, Name: name})
	case PlaceHouse:
		if grid == 0 {
			return 0, problem("grid", "err.grid.required", nil)
		}
		if !inScope(sc, grid) {
			return 0, fmt.Errorf("app: grid %d: %w", grid, model.ErrForbidden)
		}
		community, _, err := a.st.PlaceArea(ctx, string(PlaceUnit), parent)
		if err != nil {
			return 0, err
		}
		if !slices.Contains(gridsUnder(areas, []int64{community}), grid) {
			return 0, problem("grid", "err.grid.community", nil)
		}
		return a.st.CreateHouse(ctx, id, model.House{UnitID: parent, Room: name, GridID: grid})
	}
	return 0, fmt.Errorf("app: create %s: %w", kind, model.ErrInvalid)
}

// RenamePlace renames a compound, building, unit or house, under the
// same rules as creating it.
func (a *App) RenamePlace(ctx context.Context, actor *Actor, kind PlaceKind, id int64, name string) error {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return err
	}
	if name, err = placeName(kind, name); err != nil {
		return err
	}
	community, grid, err := a.st.PlaceArea(ctx, string(kind), id)
	if err != nil {
		return err
	}
	switch kind {
	case PlaceHouse:
		if !inScope(sc, grid) {
			return fmt.Errorf("app: house %d: %w", id, model.ErrForbidden)
		}
	default:
		if err := mayEditCommunity(sc, areas, community, kind == PlaceCompound); err != nil {
			return err
		}
	}
	return a.st.RenamePlace(ctx, actor.Account.ID, string(kind), id, name)
}

// mayEditCommunity decides who may change the places of a community:
// compounds need every grid of the community in scope (community staff);
// buildings and units need one of them (a grid worker adding what their
// grid lacks).
func mayEditCommunity(sc model.Scope, areas []model.Area, community int64, all bool) error {
	if !slices.ContainsFunc(areas, func(ar model.Area) bool { return ar.ID == community && ar.Level == model.LevelCommunity }) {
		return fmt.Errorf("app: community %d: %w", community, model.ErrNotFound)
	}
	if sc.All {
		return nil
	}
	under := gridsUnder(areas, []int64{community})
	in := slices.IndexFunc(under, func(g int64) bool { return inScope(sc, g) }) >= 0
	out := slices.IndexFunc(under, func(g int64) bool { return !inScope(sc, g) }) >= 0
	if !in || all && out {
		return fmt.Errorf("app: places of community %d: %w", community, model.ErrForbidden)
	}
	return nil
}

// placeName normalizes a place's name as offices write it: 3栋 → 3,
// 2单元 → 2, 501室 → 501; a unit may be unnamed.
func placeName(kind PlaceKind, name string) (string, error) {
	name = strings.TrimSpace(toHalfWidth(name))
	switch kind {
	case PlaceBuilding:
		name = strings.TrimSuffix(strings.TrimRight(name, "栋幢座"), "号楼")
	case PlaceUnit:
		name = strings.TrimSuffix(name, "单元")
	case PlaceHouse:
		name = strings.TrimRight(name, "室号户")
	}
	if name == "" && kind != PlaceUnit {
		return "", problem("name", "err.place.name", nil)
	}
	return name, nil
}
