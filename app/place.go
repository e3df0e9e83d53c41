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
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return err
	}
	if _, err := a.House(ctx, actor, houseID); err != nil {
		return err
	}
	if !oneOf(rel, model.Relations) {
		return problem("relation", "err.relation.required", nil)
	}
	date, err := checkDate(date)
	if err != nil {
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
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return err
	}
	date, err := checkDate(date)
	if err != nil {
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
	name = strings.TrimSpace(toHalfWidth(name))
	if name == "" && kind != PlaceUnit {
		return 0, problem("name", "err.place.name", nil)
	}
	id := actor.Account.ID
	switch kind {
	case PlaceCompound:
		if !slices.ContainsFunc(areas, func(ar model.Area) bool { return ar.ID == parent && ar.Level == model.LevelCommunity }) {
			return 0, fmt.Errorf("app: community %d: %w", parent, model.ErrNotFound)
		}
		if under := gridsUnder(areas, []int64{parent}); !sc.All &&
			(len(under) == 0 || slices.ContainsFunc(under, func(g int64) bool { return !inScope(sc, g) })) {
			return 0, fmt.Errorf("app: compound in community %d: %w", parent, model.ErrForbidden)
		}
		return a.st.CreateCompound(ctx, id, model.Compound{CommunityID: parent, Name: name})
	case PlaceBuilding:
		return a.st.CreateBuilding(ctx, id, model.Building{CompoundID: parent, Name: strings.TrimRight(name, "栋幢")})
	case PlaceUnit:
		return a.st.CreateUnit(ctx, id, model.Unit{BuildingID: parent, Name: strings.TrimSuffix(name, "单元")})
	case PlaceHouse:
		if grid == 0 {
			return 0, problem("grid", "err.grid.required", nil)
		}
		if !inScope(sc, grid) {
			return 0, fmt.Errorf("app: grid %d: %w", grid, model.ErrForbidden)
		}
		return a.st.CreateHouse(ctx, id, model.House{UnitID: parent, Room: strings.TrimRight(name, "室号"), GridID: grid})
	}
	return 0, fmt.Errorf("app: create %s: %w", kind, model.ErrInvalid)
}

// RenamePlace renames a compound, building, unit or house.
func (a *App) RenamePlace(ctx context.Context, actor *Actor, kind PlaceKind, id int64, name string) error {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return err
	}
	name = strings.TrimSpace(toHalfWidth(name))
	if name == "" && kind != PlaceUnit {
		return problem("name", "err.place.name", nil)
	}
	return a.st.RenamePlace(ctx, actor.Account.ID, string(kind), id, name)
}
