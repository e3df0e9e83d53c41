package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shequ/app/model"
)

// AuditAreaCreate is the audited creation of a street, community or grid.
const AuditAreaCreate = "area.create"

// areaLevels are the levels of an area path, from the top.
var areaLevels = []model.AreaLevel{model.LevelStreet, model.LevelCommunity, model.LevelGrid}

// SplitAreaPath reads 德源街道/红旗社区/第1网格 (also with › or >) into its
// names, each trimmed.
func SplitAreaPath(path string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '›' || r == '>' || r == '／' }) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// EnsureAreaPath makes the street, community and grid a path names where
// they are missing (德源街道/红旗社区/第1网格; a shorter path stops at its
// level) and returns the last one's id and how many were made. Areas
// decide who sees what, so only an administrator may; each one made is
// audited.
func (a *App) EnsureAreaPath(ctx context.Context, actor *Actor, path string) (id int64, made int, err error) {
	if err := mayManageAccounts(actor); err != nil {
		return 0, 0, err
	}
	names := SplitAreaPath(path)
	if len(names) == 0 || len(names) > len(areaLevels) {
		return 0, 0, problem("area", "err.area.path", nil)
	}
	for _, n := range names {
		if len([]rune(n)) > 30 {
			return 0, 0, problem("area", "err.area.long", map[string]any{"Name": n})
		}
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return 0, 0, err
	}
	var parent int64
	for i, name := range names {
		found := int64(0)
		for _, ar := range areas {
			if ar.ParentID == parent && ar.Name == name {
				found = ar.ID
				if ar.Level != areaLevels[i] {
					return 0, made, problem("area", "err.area.level", map[string]any{"Name": name})
				}
			}
		}
		if found == 0 {
			note := auditNote(actor.Account.Username, AuditAreaCreate, "area:%d", map[string]any{"name": name,
				"level": string(areaLevels[i]), "parent": parent})
			found, err = a.st.CreateArea(ctx, note, actor.Account.ID, model.Area{ParentID: parent, Level: areaLevels[i], Name: name})
			if errors.Is(err, model.ErrConflict) {
				return 0, made, problem("area", "err.area.taken", map[string]any{"Name": name})
			}
			if err != nil {
				return 0, made, err
			}
			made++
		}
		parent = found
	}
	return parent, made, nil
}

// Audited changes to the area tree.
const (
	AuditAreaRename = "area.rename"
	AuditAreaMove   = "area.move"
	AuditAreaDelete = "area.delete"
)

// editableArea finds an area the actor may change: an administrator's,
// within the areas the account is limited to, if any.
func (a *App) editableArea(ctx context.Context, actor *Actor, id int64) (model.Area, []model.Area, error) {
	if err := mayManageAccounts(actor); err != nil {
		return model.Area{}, nil, err
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return model.Area{}, nil, err
	}
	pool := areas
	if len(actor.Account.AreaIDs) > 0 {
		pool = areasUnder(areas, actor.Account.AreaIDs)
	}
	for _, ar := range pool {
		if ar.ID == id {
			return ar, areas, nil
		}
	}
	if slices.ContainsFunc(areas, func(ar model.Area) bool { return ar.ID == id }) {
		return model.Area{}, nil, fmt.Errorf("app: area %d: %w", id, model.ErrForbidden)
	}
	return model.Area{}, nil, fmt.Errorf("app: area %d: %w", id, model.ErrNotFound)
}

// areaName checks a new name for an area.
func areaName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || strings.ContainsAny(name, "/›>／") {
		return "", problem("area", "err.area.name", nil)
	}
	if len([]rune(name)) > 30 {
		return "", problem("area", "err.area.long", map[string]any{"Name": name})
	}
	return name, nil
}

// CreateArea adds a street (parent 0), or a community or grid under its
// parent, and returns its id.
func (a *App) CreateArea(ctx context.Context, actor *Actor, parent int64, name string) (int64, error) {
	level := model.LevelStreet
	if parent != 0 {
		p, _, err := a.editableArea(ctx, actor, parent)
		if err != nil {
			return 0, err
		}
		switch p.Level {
		case model.LevelStreet:
			level = model.LevelCommunity
		case model.LevelCommunity:
			level = model.LevelGrid
		default:
			return 0, problem("area", "err.area.undergrid", nil)
		}
	} else if err := mayManageAccounts(actor); err != nil {
		return 0, err
	} else if len(actor.Account.AreaIDs) > 0 {
		return 0, fmt.Errorf("app: new street: %w", model.ErrForbidden)
	}
	name, err := areaName(name)
	if err != nil {
		return 0, err
	}
	note := auditNote(actor.Account.Username, AuditAreaCreate, "area:%d", map[string]any{"name": name,
		"level": string(level), "parent": parent})
	id, err := a.st.CreateArea(ctx, note, actor.Account.ID, model.Area{ParentID: parent, Level: level, Name: name})
	if errors.Is(err, model.ErrConflict) {
		return 0, problem("area", "err.area.taken", map[string]any{"Name": name})
	}
	return id, err
}

// RenameArea renames a street, community or grid; the old name stays in
// the history.
func (a *App) RenameArea(ctx context.Context, actor *Actor, id int64, name string) error {
	if _, _, err := a.editableArea(ctx, actor, id); err != nil {
		return err
	}
	name, err := areaName(name)
	if err != nil {
		return err
	}
	err = a.st.RenamePlace(ctx, auditNote(actor.Account.Username, AuditAreaRename, target("area", id),
		map[string]any{"name": name}), actor.Account.ID, "area", id, name)
	if errors.Is(err, model.ErrConflict) {
		return problem("area", "err.area.taken", map[string]any{"Name": name})
	}
	return err
}

// MoveArea puts a community under another street, or a grid under another
// community (its compounds go with it; a compound shared with other grids
// stops the move). A street does not move.
func (a *App) MoveArea(ctx context.Context, actor *Actor, id, parent int64) error {
	ar, _, err := a.editableArea(ctx, actor, id)
	if err != nil {
		return err
	}
	p, _, err := a.editableArea(ctx, actor, parent)
	if err != nil {
		return err
	}
	want := map[model.AreaLevel]model.AreaLevel{model.LevelCommunity: model.LevelStreet, model.LevelGrid: model.LevelCommunity}[ar.Level]
	if want == "" || p.Level != want {
		return problem("area", "err.area.moveto", nil)
	}
	err = a.st.MoveArea(ctx, auditNote(actor.Account.Username, AuditAreaMove, target("area", id),
		map[string]any{"from": ar.ParentID, "to": parent}), actor.Account.ID, id, parent)
	var shared *model.SharedCompoundError
	switch {
	case errors.As(err, &shared):
		return problem("area", "err.area.shared", map[string]any{"Compound": shared.Compound})
	case errors.Is(err, model.ErrConflict):
		return problem("area", "err.area.taken", map[string]any{"Name": ar.Name})
	}
	return err
}

// AreaUse counts what refers to an area (its sub-areas, compounds, houses,
// residents, accounts and records), so a face can say why it stays.
func (a *App) AreaUse(ctx context.Context, actor *Actor, id int64) (model.AreaUse, error) {
	if _, _, err := a.editableArea(ctx, actor, id); err != nil {
		return model.AreaUse{}, err
	}
	return a.st.AreaUse(ctx, id)
}

// DeleteArea deletes an area nothing refers to (one made by mistake); an
// area in use says what it still holds. A synced database leaves its area
// tree to the server.
func (a *App) DeleteArea(ctx context.Context, actor *Actor, id int64) error {
	ar, _, err := a.editableArea(ctx, actor, id)
	if err != nil {
		return err
	}
	use, err := a.st.AreaUse(ctx, id)
	if err != nil {
		return err
	}
	if !use.Empty() {
		return problem("area", "err.area.inuse", map[string]any{"Name": ar.Name, "Children": use.Children,
			"Compounds": use.Compounds, "Houses": use.Houses, "Residents": use.Residents, "Accounts": use.Accounts, "Other": use.Other})
	}
	err = a.st.DeleteArea(ctx, auditNote(actor.Account.Username, AuditAreaDelete, target("area", id),
		map[string]any{"name": ar.Name}), actor.Account.ID, id)
	switch {
	case errors.Is(err, model.ErrForbidden):
		return problem("area", "err.area.synced", nil)
	case errors.Is(err, model.ErrConflict):
		return problem("area", "err.area.inuse", map[string]any{"Name": ar.Name})
	}
	return err
}

// FirstSteps is how far a new registry has come: its grids and houses
// within the actor's areas, for the first-start guide (area, then house,
// then resident).
type FirstSteps struct{ Grids, Houses int }

// FirstSteps counts the grids and houses the actor may see.
func (a *App) FirstSteps(ctx context.Context, actor *Actor) (FirstSteps, error) {
	sc, areas, err := a.placeScope(ctx, actor)
	if err != nil {
		return FirstSteps{}, err
	}
	var fs FirstSteps
	for _, ar := range visibleOf(sc, areas) {
		if ar.Level == model.LevelGrid {
			fs.Grids++
		}
	}
	fs.Houses, err = a.st.HouseCount(ctx, sc.Grids, sc.All)
	return fs, err
}
