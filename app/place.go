package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shequ/app/model"
)

// Compounds lists the compounds the actor may see.
func (a *App) Compounds(ctx context.Context, actor *Actor) ([]model.Compound, error) {
	sc, _, err := a.placeScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Compounds(ctx, sc.Grids, sc.All)
}

// CompoundByName finds a visible compound by name ("" is none: 0); when
// several communities have a compound of that name, area (a street or a
// community) must tell them apart.
func (a *App) CompoundByName(ctx context.Context, actor *Actor, area int64, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, nil
	}
	list, err := a.Compounds(ctx, actor)
	if err != nil {
		return 0, err
	}
	var under map[int64]bool
	if area != 0 {
		areas, err := a.st.Areas(ctx)
		if err != nil {
			return 0, err
		}
		under = map[int64]bool{}
		for _, ar := range areasUnder(areas, []int64{area}) {
			under[ar.ID] = true
		}
	}
	var found []int64
	for _, c := range list {
		if c.Name == name && (under == nil || under[c.CommunityID]) {
			found = append(found, c.ID)
		}
	}
	switch len(found) {
	case 0:
		return 0, problem("compound", "err.compound.unknown", map[string]any{"Name": name})
	case 1:
		return found[0], nil
	}
	return 0, problem("compound", "err.compound.ambiguous", map[string]any{"Name": name, "Count": len(found)})
}

// Buildings lists a compound's buildings.
func (a *App) Buildings(ctx context.Context, actor *Actor, compoundID int64) ([]model.Building, error) {
	if _, _, err := a.placeScope(ctx, actor); err != nil {
		return nil, err
	}
	return a.st.Buildings(ctx, compoundID)
}

// Units lists a building's units.
func (a *App) Units(ctx context.Context, actor *Actor, buildingID int64) ([]model.Unit, error) {
	if _, _, err := a.placeScope(ctx, actor); err != nil {
		return nil, err
	}
	return a.st.Units(ctx, buildingID)
}

// Houses lists the houses of a unit that the actor may see.
func (a *App) Houses(ctx context.Context, actor *Actor, unitID int64) ([]model.House, error) {
	sc, _, err := a.placeScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Houses(ctx, unitID, sc.Grids, sc.All)
}

// House resolves a house's address, if the actor may see it.
func (a *App) House(ctx context.Context, actor *Actor, houseID int64) (model.Address, error) {
	sc, _, err := a.placeScope(ctx, actor)
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
	sc, _, err := a.placeScope(ctx, actor)
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
	// Who lives in a house is personal data: the residents' scope decides.
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	addr, err := a.st.HouseAddress(ctx, houseID)
	if err != nil {
		return nil, err
	}
	if !inScope(sc, addr.GridID) {
		return nil, fmt.Errorf("app: household of house %d: %w", houseID, model.ErrForbidden)
	}
	return a.st.Household(ctx, houseID, withPast)
}

// MoveResident moves a resident to another house on date: the old
// residence ends, a new one starts with the relation.
func (a *App) MoveResident(ctx context.Context, actor *Actor, residentID, houseID int64, rel model.Relation, date string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	r, err := a.Resident(ctx, actor, residentID)
	if err != nil {
		return err
	}
	if r.Status == model.StatusDead {
		return problem("status", "err.move.dead", nil)
	}
	if houseID == 0 {
		return problem("house", "err.house.required", nil)
	}
	if _, err := a.House(ctx, actor, houseID); err != nil {
		return err
	}
	if !oneOf(rel, model.Relations) {
		return problem("relation", "err.relation.required", nil)
	}
	if date, err = a.checkDate(date); err != nil {
		return err
	}
	if err := a.checkLeaveDate(ctx, residentID, date); err != nil {
		return err
	}
	if err := a.checkHead(ctx, houseID, residentID, rel); err != nil {
		return err
	}
	return a.st.MoveResident(ctx, auditNote(actor.Account.Username, AuditMove, target("resident", residentID),
		map[string]any{"house": houseID, "relation": rel, "date": date}), actor.Account.ID, residentID, houseID, rel, date)
}

// LeaveHouse records that a resident moved away (迁出) or died (死亡) on
// date; the residence ends and the record stays.
func (a *App) LeaveHouse(ctx context.Context, actor *Actor, residentID int64, status model.Status, date string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
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
	if date, err = a.checkDate(date); err != nil {
		return err
	}
	if err := a.checkLeaveDate(ctx, residentID, date); err != nil {
		return err
	}
	return a.st.LeaveHouse(ctx, auditNote(actor.Account.Username, AuditLeave, target("resident", residentID),
		map[string]any{"status": status, "date": date}), actor.Account.ID, residentID, status, date)
}

// checkLeaveDate refuses to end a residence before it began.
func (a *App) checkLeaveDate(ctx context.Context, residentID int64, date string) error {
	since, ok, err := a.st.CurrentResidence(ctx, residentID)
	if err != nil || !ok || date >= since.Since {
		return err
	}
	return problem("date", "err.date.before", map[string]any{"Since": since.Since})
}

// checkHead refuses a second householder (户主) in a house: the present
// one must first leave or take another relation.
func (a *App) checkHead(ctx context.Context, houseID, residentID int64, rel model.Relation) error {
	if rel != model.RelHead || houseID == 0 {
		return nil
	}
	members, err := a.st.Household(ctx, houseID, false)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Relation == model.RelHead && m.ID != residentID {
			return problem("relation", "err.head.exists", map[string]any{"Name": m.Name})
		}
	}
	return nil
}

// ChangeRelation changes a resident's relation to the householder in
// their current house, keeping the old one in the history.
func (a *App) ChangeRelation(ctx context.Context, actor *Actor, residentID int64, rel model.Relation) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	r, err := a.Resident(ctx, actor, residentID)
	if err != nil {
		return err
	}
	if !oneOf(rel, model.Relations) {
		return problem("relation", "err.relation.required", nil)
	}
	cur, ok, err := a.st.CurrentResidence(ctx, residentID)
	if err != nil {
		return err
	}
	if !ok {
		return problem("relation", "err.relation.nohouse", nil)
	}
	if cur.Relation == rel {
		return nil
	}
	if err := a.checkHead(ctx, r.HouseID, residentID, rel); err != nil {
		return err
	}
	return a.st.ChangeRelation(ctx, auditNote(actor.Account.Username, AuditRelation, target("resident", residentID),
		map[string]any{"from": cur.Relation, "to": rel}), actor.Account.ID, residentID, cur.ResidenceID, rel)
}

// SetHouseUse records what a house is used for (自住, 出租, 空置, 商用).
func (a *App) SetHouseUse(ctx context.Context, actor *Actor, houseID int64, use model.HouseUse) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	if _, err := a.House(ctx, actor, houseID); err != nil {
		return err
	}
	if !oneOf(use, model.HouseUses) {
		return problem("use", "err.choice", nil)
	}
	return a.st.SetHouseUse(ctx, auditNote(actor.Account.Username, AuditHouseUse, target("house", houseID), map[string]any{"use": use}),
		actor.Account.ID, houseID, use)
}

func (a *App) checkDate(date string) (string, error) {
	date = strings.TrimSpace(date)
	if date == "" {
		return a.today(), nil
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
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	note := auditNote(actor.Account.Username, AuditPlaceCreate, string(kind)+":%d", map[string]any{"name": name, "parent": parent})
	sc, areas, err := a.placeScope(ctx, actor)
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
		return placeErr(a.st.CreateCompound(ctx, note, id, model.Compound{CommunityID: parent, Name: name}))(name)
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
			return placeErr(a.st.CreateBuilding(ctx, note, id, model.Building{CompoundID: parent, Name: name}))(name)
		}
		return placeErr(a.st.CreateUnit(ctx, note, id, model.Unit{BuildingID: parent, Name: name}))(name)
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
		return placeErr(a.st.CreateHouse(ctx, note, id, model.House{UnitID: parent, Room: name, GridID: grid}))(name)
	}
	return 0, fmt.Errorf("app: create %s: %w", kind, model.ErrInvalid)
}

// RenamePlace renames a compound, building, unit or house, under the
// same rules as creating it.
func (a *App) RenamePlace(ctx context.Context, actor *Actor, kind PlaceKind, id int64, name string) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	sc, areas, err := a.placeScope(ctx, actor)
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
	_, err = placeErr(0, a.st.RenamePlace(ctx, auditNote(actor.Account.Username, AuditPlaceRename, target(string(kind), id),
		map[string]any{"name": name}), actor.Account.ID, string(kind), id, name))(name)
	return err
}

// placeErr says a clash of names as a problem with what was typed.
func placeErr(id int64, err error) func(name string) (int64, error) {
	return func(name string) (int64, error) {
		if errors.Is(err, model.ErrConflict) {
			return 0, fmt.Errorf("%w: %w", model.ErrConflict, problem("place", "err.place.exists", map[string]any{"Name": name}))
		}
		return id, err
	}
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
		return "", problem("place", "err.place.name", nil)
	}
	return name, nil
}
