package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shequ/app"
	"shequ/ui/i18n"
)

// progress prints rows done every two seconds on stderr.
func progress(env *Env) func(done, total int) {
	last := time.Now()
	return func(done, total int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(env.Stderr, "%d/%d\n", done, total)
		}
	}
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "import residents")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	area := fs.String("area", "", i18n.L("cli.flag.import.area"))
	dry := fs.Bool("dry-run", false, i18n.L("cli.flag.dryrun"))
	report := fs.String("report", "", i18n.L("cli.flag.report"))
	onDup := fs.String("on-duplicate", "skip", i18n.L("cli.flag.onduplicate"))
	pos, err := parseN(env, fs, args, 1)
	if err != nil {
		return err
	}
	if *onDup != "skip" && *onDup != "update" {
		return errors.New(i18n.L("cli.flag.badvalue", map[string]any{"Flag": "--on-duplicate " + *onDup}) + i18n.L("cli.flag.help"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	grid, err := a.AreaByName(ctx, actor, *area)
	if err != nil {
		return err
	}
	res, err := a.Import(ctx, actor, pos[0], app.ImportOptions{Grid: grid, Update: *onDup == "update", DryRun: *dry, Progress: progress(env)})
	if err != nil {
		return err
	}
	defer res.Close()
	for _, s := range res.Sheets {
		if !s.Imported() {
			fmt.Fprintln(env.Stderr, i18n.L("cli.import.sheet_skipped", map[string]any{"Sheet": s.Name, "Reason": i18n.L(s.Skip)}))
		}
	}
	const shown = 20
	for i, p := range res.Problems {
		if i == shown {
			fmt.Fprintln(env.Stderr, i18n.L("cli.import.more", map[string]any{"Count": res.ProblemCount() - shown}))
			break
		}
		fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
	}
	if *report != "" {
		if err := res.WriteReport(*report, i18n.ReportText()); err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, i18n.L("cli.import.report", map[string]any{"Path": *report}))
	}
	fmt.Fprintln(env.Stdout, i18n.ImportSummary(res))
	return nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "export residents")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	out := ledgerOut(fs)
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	compound := fs.String("compound", "", i18n.L("cli.flag.compound"))
	search := fs.String("search", "", i18n.L("cli.ledger.flag.search"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	reason := fs.String("reason", "", i18n.L("cli.flag.reason"))
	var status multi
	fs.Var(&status, "status", i18n.L("cli.flag.status"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f := app.ListFilter{Search: *search}
	if f.AreaID, err = a.AreaByName(ctx, actor, *area); err != nil {
		return err
	}
	if f.CompoundID, err = a.CompoundByName(ctx, actor, f.AreaID, *compound); err != nil {
		return err
	}
	sts, err := statuses(status)
	if err != nil {
		return err
	}
	if sts != nil {
		f.Cohort = &app.CohortFilter{Statuses: sts}
	}
	n, err := a.ExportResidents(ctx, actor, *out, app.ExportOptions{Filter: f, Reveal: *reveal, Reason: *reason, Progress: progress(env)})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
	return nil
}

func runTemplate(_ context.Context, env *Env, args []string) error {
	fs := bareFlags("template residents")
	out := ledgerOut(fs)
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if err := app.WriteTemplate(*out); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.template.done", map[string]any{"Path": *out}))
	return nil
}
