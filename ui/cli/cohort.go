package cli

import (
	"context"
	"fmt"
	flag "github.com/spf13/pflag"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// multi is a flag that may be given more than once (--tag 志愿者 --tag 书法)
// or with values separated by commas.
type multi []string

func (m *multi) String() string { return strings.Join(*m, ",") }
func (m *multi) Type() string   { return "list" }
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

// cohortVerbs are `shequ cohort count|list|export|sample|save|saved|
// compare` over a cohort's filters.
func cohortVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("cohort", name, run)
	}
	return []command{v("count", cohortCount), v("list", cohortList), v("export", cohortExport), v("sample", cohortSample),
		v("save", cohortSave).takes("cli.arg.name"), v("saved", cohortSaved), v("compare", cohortCompare)}
}

// cohortRun is a cohort verb signed in, with its cohort read.
type cohortRun struct {
	a     *app.App
	actor *app.Actor
	f     app.ListFilter
	saved string
	pos   []string
	done  func()
}

// openCohort parses a verb's flags (the cohort's filters, --saved, and
// those more adds), takes npos arguments, signs in and reads the cohort.
func openCohort(ctx context.Context, env *Env, args []string, name string, npos int, more func(fs *flag.FlagSet)) (*cohortRun, error) {
	fs, db, user := userFlags(env, "cohort "+name)
	c := addCohortFlags(fs)
	saved := fs.String("saved", "", i18n.L("cli.cohort.saved"))
	more(fs)
	pos, err := parseN(env, fs, args, npos)
	if err != nil {
		return nil, err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return nil, err
	}
	r := &cohortRun{a: a, actor: actor, saved: *saved, pos: pos, done: done}
	if r.f, err = c.filter(ctx, a, actor); err != nil {
		done()
		return nil, err
	}
	if *saved != "" {
		cf, err := a.SavedCohort(ctx, actor, *saved)
		if err != nil {
			done()
			return nil, err
		}
		r.f.Cohort = &cf
	}
	return r, nil
}

// exportFlags are where a cohort is written and whether numbers show.
type exportFlags struct {
	out, reason *string
	reveal      *bool
}

func (e *exportFlags) add(fs *flag.FlagSet) {
	e.out = fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	e.reveal, e.reason = revealFlags(fs, "cli.ledger.flag.reveal")
}

func (e *exportFlags) export(ctx context.Context, env *Env, r *cohortRun) error {
	n, err := r.a.ExportResidents(ctx, r.actor, *e.out, app.ExportOptions{Filter: r.f, Reveal: *e.reveal, Reason: *e.reason, Progress: progress(env)})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *e.out}))
	return nil
}

func cohortCount(ctx context.Context, env *Env, args []string) error {
	r, err := openCohort(ctx, env, args, "count", 0, func(*flag.FlagSet) {})
	if err != nil {
		return err
	}
	defer r.done()
	l, err := r.a.Residents(ctx, r.actor, r.f)
	if err != nil {
		return err
	}
	n, err := l.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.cohort.count", map[string]any{"Count": n}))
	return nil
}

func cohortList(ctx context.Context, env *Env, args []string) error {
	var limit *int
	var asJSON *bool
	r, err := openCohort(ctx, env, args, "list", 0, func(fs *flag.FlagSet) {
		limit = fs.Int("limit", 50, i18n.L("cli.flag.limit"))
		asJSON = fs.Bool("json", false, i18n.L("cli.flag.json"))
	})
	if err != nil {
		return err
	}
	defer r.done()
	return listResidents(ctx, env, r.a, r.actor, r.f, *limit, *asJSON)
}

func cohortExport(ctx context.Context, env *Env, args []string) error {
	var e exportFlags
	r, err := openCohort(ctx, env, args, "export", 0, func(fs *flag.FlagSet) { e.add(fs); requireOut(fs) })
	if err != nil {
		return err
	}
	defer r.done()
	return e.export(ctx, env, r)
}

func cohortSample(ctx context.Context, env *Env, args []string) error {
	var e exportFlags
	var size *int
	var seed *uint64
	var asJSON *bool
	r, err := openCohort(ctx, env, args, "sample", 0, func(fs *flag.FlagSet) {
		size = fs.Int("n", 0, i18n.L("cli.cohort.n"))
		seed = fs.Uint64("seed", 1, i18n.L("cli.cohort.seed"))
		asJSON = fs.Bool("json", false, i18n.L("cli.flag.json"))
		e.add(fs)
	})
	if err != nil {
		return err
	}
	defer r.done()
	var n int
	if r.f, n, err = r.a.Sample(ctx, r.actor, r.f, *size, *seed); err != nil {
		return err
	}
	if *e.out == "" { // listed, not exported
		return listResidents(ctx, env, r.a, r.actor, r.f, n, *asJSON)
	}
	return e.export(ctx, env, r)
}

func cohortSave(ctx context.Context, env *Env, args []string) error {
	r, err := openCohort(ctx, env, args, "save", 1, func(*flag.FlagSet) {})
	if err != nil {
		return err
	}
	defer r.done()
	if err := r.a.SaveCohort(ctx, r.actor, r.pos[0], *r.f.Cohort); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.cohort.save.done", map[string]any{"Name": r.pos[0]}))
	return nil
}

// savedJSON is a saved cohort as --json prints it.
type savedJSON struct {
	Name    string `json:"name"`
	Account string `json:"account"`
}

var cohortSaved = listing[app.SavedCohort, savedJSON]{name: "cohort saved", fetch: (*app.App).SavedCohorts,
	json: func(sc app.SavedCohort) savedJSON { return savedJSON{sc.Name, sc.Account} },
	header: func() []string {
		return []string{i18n.L("field.name"), i18n.L("cohort.title"), i18n.L("field.username")}
	},
	row: func(sc app.SavedCohort) []string { return []string{sc.Name, i18n.Cohort(&sc.Filter), sc.Account} },
}.run

func cohortCompare(ctx context.Context, env *Env, args []string) error {
	var against multi
	r, err := openCohort(ctx, env, args, "compare", 0, func(fs *flag.FlagSet) {
		fs.Var(&against, "with", i18n.L("cli.cohort.with"))
	})
	if err != nil {
		return err
	}
	defer r.done()
	cohorts := []app.CohortFilter{*r.f.Cohort}
	names := []string{i18n.L("cohort.this")}
	if r.saved != "" {
		names[0] = r.saved
	}
	for _, n := range against {
		cf, err := r.a.SavedCohort(ctx, r.actor, n)
		if err != nil {
			return err
		}
		cohorts, names = append(cohorts, cf), append(names, n)
	}
	if len(cohorts) < 2 {
		return usageError(i18n.L("cli.cohort.compare.two"))
	}
	base := r.f
	base.Cohort = nil
	facts, err := r.a.CompareCohorts(ctx, r.actor, base, cohorts)
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
}
