package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"shequ/app/model"
)

// This file is the one place that decides what an actor may see: every
// read and write goes through scopeOf and inScope.

// scopeOf is the set of grids the actor may see: an administrator sees
// everything; anyone else the grids under their areas.
func (a *App) scopeOf(ctx context.Context, actor *Actor) (model.Scope, []model.Area, error) {
	if actor == nil {
		return model.Scope{}, nil, fmt.Errorf("app: no signed-in account: %w", model.ErrForbidden)
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return model.Scope{}, nil, err
	}
	if actor.Account.Role == model.RoleAdmin && len(actor.Account.AreaIDs) == 0 {
		// An administrator keeps accounts and settings; residents'
		// personal data only when the account was given it.
		return model.Scope{All: actor.Account.PersonalData}, areas, nil
	}
	return model.Scope{Grids: gridsUnder(areas, actor.Account.AreaIDs)}, areas, nil
}

// placeScope is scopeOf for the place tree (areas, compounds, buildings,
// units, houses), which holds no personal data: an administrator sees and
// keeps all of it.
func (a *App) placeScope(ctx context.Context, actor *Actor) (model.Scope, []model.Area, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err == nil && actor.Account.Role == model.RoleAdmin && len(actor.Account.AreaIDs) == 0 {
		sc = model.Scope{All: true}
	}
	return sc, areas, err
}

// mayWrite refuses changes to a 领导 (leader) account, which reads only.
func mayWrite(actor *Actor) error {
	if actor == nil || actor.Account.Role == model.RoleLeader {
		return fmt.Errorf("app: read-only account: %w", model.ErrForbidden)
	}
	return nil
}

// mayManageAccounts lets only an administrator add and reset accounts.
// mayChangeWorkLog lets only a work log entry's author, or an
// administrator, correct or withdraw it.
func mayChangeWorkLog(actor *Actor, l model.WorkLog) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	if actor.Account.ID != l.AccountID && actor.Account.Role != model.RoleAdmin {
		return fmt.Errorf("app: work log %d is %s's: %w", l.ID, l.Account, model.ErrForbidden)
	}
	return nil
}

func mayManageAccounts(actor *Actor) error {
	if actor == nil || actor.Account.Role != model.RoleAdmin {
		return fmt.Errorf("app: accounts: %w", model.ErrForbidden)
	}
	return nil
}

// mayKeepServer lets only an administrator of a sync server's database
// add its accounts, list and revoke its devices, and fill it.
func mayKeepServer(actor model.ServerAccount) error {
	if actor.Role != model.RoleAdmin {
		return fmt.Errorf("app: server: %w", model.ErrForbidden)
	}
	return nil
}

// areasUnder lists the areas at or below any of the roots.
func areasUnder(areas []model.Area, roots []int64) []model.Area {
	children := map[int64][]model.Area{}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		children[ar.ParentID] = append(children[ar.ParentID], ar)
		byID[ar.ID] = ar
	}
	var out []model.Area
	var walk func(model.Area)
	walk = func(ar model.Area) {
		out = append(out, ar)
		for _, c := range children[ar.ID] {
			walk(c)
		}
	}
	for _, r := range roots {
		if ar, ok := byID[r]; ok {
			walk(ar)
		}
	}
	return out
}

// gridsUnder lists the grids at or below any of the roots.
func gridsUnder(areas []model.Area, roots []int64) []int64 {
	var out []int64
	for _, ar := range areasUnder(areas, roots) {
		if ar.Level == model.LevelGrid {
			out = append(out, ar.ID)
		}
	}
	return out
}

// narrow intersects the scope with the grids under area (0: no area).
func narrow(sc model.Scope, areas []model.Area, area int64) (grids []int64, all bool) {
	if area == 0 {
		return sc.Grids, sc.All
	}
	under := gridsUnder(areas, []int64{area})
	if sc.All {
		return under, false
	}
	var out []int64
	for _, g := range under {
		if slices.Contains(sc.Grids, g) {
			out = append(out, g)
		}
	}
	return out, false
}

// inScope reports whether a grid is visible in the scope; residents and
// houses without a grid are visible to whole-database scopes only.
func inScope(sc model.Scope, grid int64) bool {
	return sc.All || slices.Contains(sc.Grids, grid)
}

// HiddenName stands for a resident outside the actor's grids where a list
// still shows that someone is there (a booking, an attendee, a clash):
// nothing of the name, not even the surname.
const HiddenName = "***"

// personSeen is a resident of grid as a list shows them to an actor of
// scope sc: within it the name and the numbers masked (whole when
// reveal); outside it HiddenName and no numbers.
func personSeen(sc model.Scope, grid int64, reveal bool, name, id, phone string) (string, string, string) {
	if !inScope(sc, grid) {
		return HiddenName, "", ""
	}
	if !reveal {
		id, phone = MaskIDNumber(id), MaskPhone(phone)
	}
	return name, id, phone
}

// mayListOut decides a listing of rows residents printed to a terminal,
// file or pipe: up to ListPage it is a listing; more is an export, which
// needs the export permission.
func mayListOut(actor *Actor, rows int) (export bool, err error) {
	if rows <= ListPage {
		return false, nil
	}
	if actor == nil || !actor.Account.CanExport {
		return true, problem("limit", "err.list.export", map[string]any{"Max": ListPage, "Count": rows})
	}
	return true, nil
}

// VisibleAreas is the area tree as far as the actor may see it: their
// grids and the communities and streets above them.
func (a *App) VisibleAreas(ctx context.Context, actor *Actor) ([]model.Area, error) {
	sc, areas, err := a.placeScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	return visibleOf(sc, areas), nil
}

// visibleOf is VisibleAreas for a place scope and the area tree.
func visibleOf(sc model.Scope, areas []model.Area) []model.Area {
	if sc.All {
		return areas
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	keep := map[int64]bool{}
	for _, g := range sc.Grids {
		for id := g; id != 0 && !keep[id]; id = byID[id].ParentID {
			keep[id] = true
		}
	}
	var out []model.Area
	for _, ar := range areas {
		if keep[ar.ID] {
			out = append(out, ar)
		}
	}
	return out
}

// AreaByName finds a visible area by its name (红旗社区) or its path
// (德源街道/红旗社区/第1网格); "" is no area (0). A name that several
// areas share must be given with its path.
func (a *App) AreaByName(ctx context.Context, actor *Actor, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, nil
	}
	areas, err := a.VisibleAreas(ctx, actor)
	if err != nil {
		return 0, err
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '›' || r == '>' })
	var found []int64
	for _, ar := range areas {
		ok, cur := true, ar
		for i := len(parts) - 1; i >= 0; i-- {
			if cur.ID == 0 || strings.TrimSpace(parts[i]) != cur.Name {
				ok = false
				break
			}
			cur = byID[cur.ParentID]
		}
		if ok {
			found = append(found, ar.ID)
		}
	}
	switch len(found) {
	case 0:
		return 0, problem("area", "err.area.unknown", map[string]any{"Name": name})
	case 1:
		return found[0], nil
	}
	return 0, problem("area", "err.area.ambiguous", map[string]any{"Name": name, "Count": len(found)})
}
