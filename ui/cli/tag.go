package cli

import (
	"context"
	"errors"
	"fmt"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// tagVerbs are `shequ tag list`, `shequ tag new|rename|delete` (the tags
// themselves, as the window's tag manager) and `shequ tag add|remove --tag
// T` for one resident (--id-number) or a whole list (--area, --compound,
// --search).
func tagVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("tag", name, run)
	}
	return []command{v("list", tagList), v("new", tagNew), v("rename", tagRename), v("delete", tagDelete),
		v("add", func(ctx context.Context, env *Env, args []string) error { return tagResidents(ctx, env, args, "add") }),
		v("remove", func(ctx context.Context, env *Env, args []string) error {
			return tagResidents(ctx, env, args, "remove")
		})}
}

// tagJSON is a tag as --json prints it.
type tagJSON struct {
	ID        int64  `json:"id"`
	Category  string `json:"category"`
	Name      string `json:"name"`
	Color     string `json:"color"`
	Residents int    `json:"residents"`
}

var tagList = listing[model.Tag, tagJSON]{name: "tag list", fetch: (*app.App).Tags,
	json: func(tg model.Tag) tagJSON { return tagJSON{tg.ID, tg.Category, tg.Name, tg.Color, tg.Residents} },
	header: func() []string {
		return []string{i18n.L("cli.tag.category"), i18n.L("field.tag"), i18n.L("cli.tag.residents")}
	},
	row: func(tg model.Tag) []string { return []string{tg.Category, tg.Name, fmt.Sprint(tg.Residents)} },
}.run

func tagNew(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "tag new")
	name := fs.String("name", "", i18n.L("cli.tag.flag.name"))
	category := fs.String("category", model.TagCategories[len(model.TagCategories)-1], i18n.L("cli.tag.flag.category"))
	color := fs.String("color", "", i18n.L("cli.tag.flag.color"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if _, err := a.CreateTag(ctx, actor, model.Tag{Name: *name, Category: *category, Color: *color}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.tag.new.done", map[string]any{"Tag": *name, "Category": *category}))
	return nil
}

func tagRename(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "tag rename")
	tag := fs.String("tag", "", i18n.L("cli.flag.tag"))
	name := fs.String("name", "", i18n.L("cli.tag.flag.newname"))
	category := fs.String("category", "", i18n.L("cli.tag.flag.category"))
	color := fs.String("color", "", i18n.L("cli.tag.flag.color"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	tg, err := a.TagByName(ctx, actor, *tag)
	if err != nil {
		return err
	}
	old := tg.Name
	for _, f := range []struct{ flag, field *string }{{name, &tg.Name}, {category, &tg.Category}, {color, &tg.Color}} {
		if *f.flag != "" {
			*f.field = *f.flag
		}
	}
	if err := a.UpdateTag(ctx, actor, tg); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.tag.rename.done", map[string]any{"Old": old, "Tag": tg.Name, "Category": tg.Category}))
	return nil
}

func tagDelete(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "tag delete")
	tag := fs.String("tag", "", i18n.L("cli.flag.tag"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	tg, err := a.TagByName(ctx, actor, *tag)
	if err != nil {
		return err
	}
	if err := a.DeleteTag(ctx, actor, tg.ID); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.tag.delete.done", map[string]any{"Tag": tg.Name, "Count": tg.Residents}))
	return nil
}

// tagResidents puts a tag on (verb add) or takes it off (remove) a list.
func tagResidents(ctx context.Context, env *Env, args []string, verb string) error {
	fs, db, user := userFlags(env, "tag "+verb)
	tag := fs.String("tag", "", i18n.L("cli.flag.tag"))
	idNumber := fs.String("id-number", "", i18n.L("cli.flag.idnumber"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	compound := fs.String("compound", "", i18n.L("cli.flag.compound"))
	search := fs.String("search", "", i18n.L("cli.ledger.flag.search"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	tg, err := a.TagByName(ctx, actor, *tag)
	if err != nil {
		return err
	}
	f := app.ListFilter{Search: *search}
	if *idNumber != "" {
		f = app.ListFilter{Search: *idNumber}
	} else {
		if f.AreaID, err = a.AreaByName(ctx, actor, *area); err != nil {
			return err
		}
		if f.CompoundID, err = a.CompoundByName(ctx, actor, f.AreaID, *compound); err != nil {
			return err
		}
		if f.AreaID == 0 && f.CompoundID == 0 && f.Search == "" {
			return errors.New(i18n.L("cli.tag.whom"))
		}
	}
	n, err := a.TagList(ctx, actor, f, tg.ID, verb == "add")
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.tag."+verb+".done", map[string]any{"Tag": tg.Name, "Count": n}))
	return nil
}
