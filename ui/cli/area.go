package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// areaVerbs are `shequ area list|add|rename|move|delete`: the
// administrator keeps the streets, communities and grids an office works
// in. An area is named by its name, or by its path where names repeat.
func areaVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("area", name, run)
	}
	return []command{v("list", areaList), v("add", areaAdd).takes("cli.arg.area.path"),
		v("rename", areaRename).takes("cli.arg.area.rename"), v("move", areaMove).takes("cli.arg.area.move"), v("delete", areaDelete).takes("cli.arg.area")}
}

func areaList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "area list")
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	areas, err := a.VisibleAreas(ctx, actor)
	if err != nil {
		return err
	}
	return listAreas(env, areas, *asJSON)
}

// onArea is a verb on an area named by its first of n arguments.
func onArea(ctx context.Context, env *Env, args []string, name string, n int,
	do func(ctx context.Context, a *app.App, actor *app.Actor, id int64, pos []string) error) error {
	fs, db, user := userFlags(env, "area "+name)
	pos, err := parseN(env, fs, args, n)
	if err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	var id int64
	if name != "add" {
		if id, err = a.AreaByName(ctx, actor, pos[0]); err != nil {
			return err
		}
	}
	return do(ctx, a, actor, id, pos)
}

func areaAdd(ctx context.Context, env *Env, args []string) error {
	return onArea(ctx, env, args, "add", 1, func(ctx context.Context, a *app.App, actor *app.Actor, _ int64, pos []string) error {
		_, made, err := a.EnsureAreaPath(ctx, actor, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.area.done", map[string]any{"Path": pos[0], "Count": made}))
		return nil
	})
}

func areaRename(ctx context.Context, env *Env, args []string) error {
	return onArea(ctx, env, args, "rename", 2, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, pos []string) error {
		if err := a.RenameArea(ctx, actor, id, pos[1]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.renamed", map[string]any{"Old": pos[0], "Name": strings.TrimSpace(pos[1])}))
		return nil
	})
}

func areaMove(ctx context.Context, env *Env, args []string) error {
	return onArea(ctx, env, args, "move", 2, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, pos []string) error {
		to, err := a.AreaByName(ctx, actor, pos[1])
		if err != nil {
			return err
		}
		if err := a.MoveArea(ctx, actor, id, to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.moved", map[string]any{"Name": pos[0], "To": pos[1]}))
		return nil
	})
}

func areaDelete(ctx context.Context, env *Env, args []string) error {
	return onArea(ctx, env, args, "delete", 1, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, pos []string) error {
		if err := a.DeleteArea(ctx, actor, id); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("areas.deleted", map[string]any{"Name": pos[0]}))
		return nil
	})
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
