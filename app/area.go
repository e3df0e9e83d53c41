package app

import (
	"context"
	"errors"
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
			actx := a.auditing(ctx, actor.Account.Username, AuditAreaCreate, "area:%d", map[string]any{"name": name,
				"level": string(areaLevels[i]), "parent": parent})
			found, err = a.st.CreateArea(actx, actor.Account.ID, model.Area{ParentID: parent, Level: areaLevels[i], Name: name})
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
