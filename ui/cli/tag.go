package cli

import (
	"context"
	"errors"
	"fmt"

	"shequ/app"
	"shequ/ui/i18n"
)

// runTag is `shequ tag list` and `shequ tag add|remove --tag T` for one
// resident (--id-number) or a whole list (--area, --compound, --search).
func runTag(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "list" && args[0] != "add" && args[0] != "remove" {
		return errors.New(i18n.L("cli.tag.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "tag")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	tag := fs.String("tag", "", i18n.L("cli.flag.tag"))
	idNumber := fs.String("id-number", "", i18n.L("cli.flag.idnumber"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	compound := fs.String("compound", "", i18n.L("cli.flag.compound"))
	search := fs.String("search", "", i18n.L("cli.ledger.flag.search"))
	a, actor, done, err := session(ctx, env, fs, args[1:], db, user)
	if err != nil {
		return err
	}
	defer done()
	if verb == "list" {
		tags, err := a.Tags(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("cli.tag.category"), i18n.L("field.tag"), i18n.L("cli.tag.residents")}}
		for _, tg := range tags {
			rows = append(rows, []string{tg.Category, tg.Name, fmt.Sprint(tg.Residents)})
		}
		printTable(env.Stdout, rows)
		return nil
	}
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
