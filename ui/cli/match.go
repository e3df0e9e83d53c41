package cli

import (
	"context"
	"fmt"
	flag "github.com/spf13/pflag"

	"shequ/app"
	"shequ/ui/i18n"
)

// runMatch is `shequ match LIST.xlsx`: 碰撞比对 of an outside list against
// the registry, with the cohort's filters for who the list leaves out.
func runMatch(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "match")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	out := fs.String("out", "", i18n.L("cli.match.flag.out"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	reason := fs.String("reason", "", i18n.L("cli.flag.reason"))
	c := addCohortFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError(i18n.L("cli.match.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	opt := app.MatchOptions{Progress: progress(env)}
	if c.given(fs) {
		f, err := c.filter(ctx, a, actor)
		if err != nil {
			return err
		}
		opt.Cohort = &f
	}
	res, err := a.Match(ctx, actor, pos[0], opt)
	if err != nil {
		return err
	}
	for _, s := range res.Sheets {
		if !s.Imported() {
			fmt.Fprintln(env.Stderr, i18n.L("cli.import.sheet_skipped", map[string]any{"Sheet": s.Name, "Reason": i18n.L(s.Skip)}))
		}
	}
	const shown = 20
	for i, p := range res.Problems {
		if i == shown {
			fmt.Fprintln(env.Stderr, i18n.L("cli.match.more", map[string]any{"Count": len(res.Problems) - shown}))
			break
		}
		fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
	}
	if *out != "" {
		if err := a.ExportMatch(ctx, actor, res, *out, *reveal, *reason, i18n.ReportText()); err != nil {
			return err
		}
	}
	fmt.Fprintln(env.Stdout, i18n.L("match.rows", map[string]any{"Rows": res.Rows, "Problems": len(res.Problems)}))
	for _, g := range app.MatchGroups {
		if g == app.MatchAbsent && !res.Cohort {
			continue
		}
		fmt.Fprintf(env.Stdout, "%s\t%d\n", i18n.MatchGroup(g), res.Count(g))
	}
	if *out != "" {
		fmt.Fprintln(env.Stdout, i18n.L("cli.match.saved", map[string]any{"Path": *out}))
	}
	return nil
}

// given tells whether any of the cohort's flags was set.
func (c *cohortFlags) given(fs *flag.FlagSet) bool {
	set := false
	names := map[string]bool{"age": true, "at": true, "sex": true, "area": true, "compound": true, "alone": true, "no-id-number": true,
		"no-phone": true, "kind": true, "status": true, "relation": true, "tag": true, "any-tag": true, "no-tag": true}
	fs.Visit(func(f *flag.Flag) { set = set || names[f.Name] })
	return set
}
