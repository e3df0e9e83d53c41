package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// multi is a flag that may be given more than once (--tag 志愿者 --tag 书法)
// or with values separated by commas.
type multi []string

func (m *multi) String() string { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error {
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		*m = append(*m, strings.TrimSpace(p))
	}
	return nil
}

// cohortFlags are the cohort's filters on a command's flags.
type cohortFlags struct {
	ages, at, sex, area, compound *string
	kinds, statuses, relations    multi
	tags, anyTags, noTags         multi
	alone, noID, noPhone          *bool
}

func addCohortFlags(fs *flag.FlagSet) *cohortFlags {
	c := &cohortFlags{
		ages:     fs.String("age", "", i18n.L("cli.cohort.age")),
		at:       fs.String("at", "", i18n.L("cli.cohort.at")),
		sex:      fs.String("sex", "", i18n.L("cli.cohort.sex")),
		area:     fs.String("area", "", i18n.L("cli.flag.area")),
		compound: fs.String("compound", "", i18n.L("cli.flag.compound")),
		alone:    fs.Bool("alone", false, i18n.L("cli.cohort.alone")),
		noID:     fs.Bool("no-id-number", false, i18n.L("cli.cohort.noid")),
		noPhone:  fs.Bool("no-phone", false, i18n.L("cli.cohort.nophone")),
	}
	fs.Var(&c.kinds, "kind", i18n.L("cli.cohort.kind"))
	fs.Var(&c.statuses, "status", i18n.L("cli.cohort.status"))
	fs.Var(&c.relations, "relation", i18n.L("cli.cohort.relation"))
	fs.Var(&c.tags, "tag", i18n.L("cli.cohort.tag"))
	fs.Var(&c.anyTags, "any-tag", i18n.L("cli.cohort.anytag"))
	fs.Var(&c.noTags, "no-tag", i18n.L("cli.cohort.notag"))
	return c
}

// coded reads ledger words (女, 流动, 户主 …) or codes into codes.
func coded[T ~string](field app.LedgerField, words []string, all []T) ([]T, error) {
	var out []T
	for _, w := range words {
		v, err := word(w, all, func(v T) string { return app.LedgerValue(field, string(v)) })
		if err != nil {
			return nil, err
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

// statuses reads --status: ledger words or codes, or all (全部) for
// everyone ever registered. None is those living here (app's default).
func statuses(words multi) ([]model.Status, error) {
	for _, w := range words {
		if w == "all" || w == "全部" {
			return model.Statuses, nil
		}
	}
	return coded(app.FieldStatus, words, model.Statuses)
}

// filter turns the flags into a residents filter with its cohort.
func (c *cohortFlags) filter(ctx context.Context, a *app.App, actor *app.Actor) (app.ListFilter, error) {
	var f app.ListFilter
	var err error
	if f.AreaID, err = a.AreaByName(ctx, actor, *c.area); err != nil {
		return f, err
	}
	if f.CompoundID, err = a.CompoundByName(ctx, actor, f.AreaID, *c.compound); err != nil {
		return f, err
	}
	cf := &app.CohortFilter{Ages: *c.ages, At: *c.at, Alone: *c.alone, NoIDNumber: *c.noID, NoPhone: *c.noPhone}
	if *c.sex != "" {
		sexes, err := coded(app.FieldSex, []string{*c.sex}, []model.Sex{model.Male, model.Female})
		if err != nil {
			return f, err
		}
		cf.Sex = sexes[0]
	}
	if cf.Kinds, err = coded(app.FieldKind, c.kinds, model.Kinds); err != nil {
		return f, err
	}
	if cf.Statuses, err = statuses(c.statuses); err != nil {
		return f, err
	}
	if cf.Relations, err = coded(app.FieldRelation, c.relations, model.Relations); err != nil {
		return f, err
	}
	for _, set := range []struct {
		names multi
		ids   *[]int64
	}{{c.tags, &cf.TagsAll}, {c.anyTags, &cf.TagsAny}, {c.noTags, &cf.TagsNone}} {
		for _, n := range set.names {
			t, err := a.TagByName(ctx, actor, n)
			if err != nil {
				return f, err
			}
			*set.ids = append(*set.ids, t.ID)
		}
	}
	f.Cohort = cf
	return f, nil
}

// runCohort is `shequ cohort count|list|export` over a cohort's filters.
func runCohort(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"count", "list", "export", "sample", "save", "saved", "compare"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.cohort.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "cohort")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	c := addCohortFlags(fs)
	limit := fs.Int("limit", 50, i18n.L("cli.flag.limit"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	reason := fs.String("reason", "", i18n.L("cli.flag.reason"))
	size := fs.Int("n", 0, i18n.L("cli.cohort.n"))
	seed := fs.Uint64("seed", 1, i18n.L("cli.cohort.seed"))
	saved := fs.String("saved", "", i18n.L("cli.cohort.saved"))
	var against multi
	fs.Var(&against, "with", i18n.L("cli.cohort.with"))
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if verb == "save" && len(pos) != 1 || verb != "save" && len(pos) != 0 {
		return errors.New(i18n.L("cli.cohort.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	f, err := c.filter(ctx, a, actor)
	if err != nil {
		return err
	}
	if *saved != "" {
		cf, err := a.SavedCohort(ctx, actor, *saved)
		if err != nil {
			return err
		}
		f.Cohort = &cf
	}
	switch verb {
	case "compare":
		cohorts := []app.CohortFilter{*f.Cohort}
		names := []string{i18n.L("cohort.this")}
		if *saved != "" {
			names[0] = *saved
		}
		for _, n := range against {
			cf, err := a.SavedCohort(ctx, actor, n)
			if err != nil {
				return err
			}
			cohorts, names = append(cohorts, cf), append(names, n)
		}
		if len(cohorts) < 2 {
			return errors.New(i18n.L("cli.cohort.compare.two"))
		}
		base := f
		base.Cohort = nil
		facts, err := a.CompareCohorts(ctx, actor, base, cohorts)
		if err != nil {
			return err
		}
		rows := [][]string{append([]string{""}, names...)}
		for k, key := range app.CohortFactKeys {
			row := []string{i18n.L(key)}
			for _, x := range facts {
				row = append(row, fmt.Sprint(x.Values()[k]))
			}
			rows = append(rows, row)
		}
		printTable(env.Stdout, rows)
		return nil
	case "save":
		if err := a.SaveCohort(ctx, actor, pos[0], *f.Cohort); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.cohort.save.done", map[string]any{"Name": pos[0]}))
		return nil
	case "saved":
		list, err := a.SavedCohorts(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("field.name"), i18n.L("cohort.title"), i18n.L("field.username")}}
		for _, sc := range list {
			rows = append(rows, []string{sc.Name, i18n.Cohort(&sc.Filter), sc.Account})
		}
		printTable(env.Stdout, rows)
		return nil
	case "count":
		l, err := a.Residents(ctx, actor, f)
		if err != nil {
			return err
		}
		n, err := l.Count(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.cohort.count", map[string]any{"Count": n}))
		return nil
	case "list":
		return listResidents(ctx, env, a, actor, f, *limit, *asJSON)
	case "sample":
		var n int
		if f, n, err = a.Sample(ctx, actor, f, *size, *seed); err != nil {
			return err
		}
		if *out == "" { // listed, not exported
			return listResidents(ctx, env, a, actor, f, n, *asJSON)
		}
	}
	if *out == "" {
		return errors.New(i18n.L("cli.ledger.noout"))
	}
	n, err := a.ExportResidents(ctx, actor, *out, app.ExportOptions{Filter: f, Reveal: *reveal, Reason: *reason, Progress: progress(env)})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
	return nil
}
