package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"shequ/app/model"
	"shequ/ui/i18n"
)

// runArea is `shequ area list|add|rename|move|delete`: the administrator
// keeps the streets, communities and grids an office works in. An area is
// named by its name, or by its path where names repeat.
func runArea(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "area")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"list": 1, "add": 2, "rename": 3, "move": 3, "delete": 2}
	if len(pos) == 0 || want[pos[0]] != len(pos) {
		return errors.New(i18n.L("cli.area.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	if pos[0] == "add" {
		_, made, err := a.EnsureAreaPath(ctx, actor, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.area.done", map[string]any{"Path": pos[1], "Count": made}))
		return nil
	}
	if pos[0] == "list" {
		areas, err := a.VisibleAreas(ctx, actor)
		if err != nil {
			return err
		}
		return listAreas(env, areas, *asJSON)
	}
	id, err := a.AreaByName(ctx, actor, pos[1])
	if err != nil {
		return err
	}
	switch pos[0] {
	case "rename":
		if err := a.RenameArea(ctx, actor, id, pos[2]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.renamed", map[string]any{"Old": pos[1], "Name": strings.TrimSpace(pos[2])}))
	case "move":
		to, err := a.AreaByName(ctx, actor, pos[2])
		if err != nil {
			return err
		}
		if err := a.MoveArea(ctx, actor, id, to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.moved", map[string]any{"Name": pos[1], "To": pos[2]}))
	case "delete":
		if err := a.DeleteArea(ctx, actor, id); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.deleted", map[string]any{"Name": pos[1]}))
	}
	return nil
}

// areaJSON is one area in `area list --json`: stable keys and codes.
type areaJSON struct {
	ID     int64  `json:"id"`
	Parent int64  `json:"parent"`
	Level  string `json:"level"`
	Name   string `json:"name"`
	Path   string `json:"path"`
}

// listAreas prints the tree, one area a line indented under its parent.
func listAreas(env *Env, areas []model.Area, asJSON bool) error {
	byID := map[int64]model.Area{}
	children := map[int64][]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
		children[ar.ParentID] = append(children[ar.ParentID], ar)
	}
	path := func(ar model.Area) string {
		p := ar.Name
		for q := byID[ar.ParentID]; q.ID != 0; q = byID[q.ParentID] {
			p = q.Name + "/" + p
		}
		return p
	}
	var out []areaJSON
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, ar := range children[parent] {
			if asJSON {
				out = append(out, areaJSON{ar.ID, ar.ParentID, string(ar.Level), ar.Name, path(ar)})
			} else {
				fmt.Fprintln(env.Stdout, strings.Repeat("  ", depth)+i18n.L("areas.label", map[string]any{"Name": ar.Name, "Level": i18n.L("level." + string(ar.Level))}))
			}
			walk(ar.ID, depth+1)
		}
	}
	// An account limited to a grid sees its street and community too, so
	// the walk starts at every area whose parent is not shown.
	for _, ar := range areas {
		if _, ok := byID[ar.ParentID]; !ok && ar.ParentID != 0 {
			children[0] = append(children[0], ar)
		}
	}
	walk(0, 0)
	if asJSON {
		if out == nil {
			out = []areaJSON{}
		}
		return json.NewEncoder(env.Stdout).Encode(out)
	}
	return nil
}
