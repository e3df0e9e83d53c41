package cli

import (
	"context"
	"fmt"
	"strings"

	"shequ/app"
	"shequ/ui/i18n"
)

// runFill is `shequ fill FORM.xlsx`: 报表通, a department's form filled
// with one row per resident of a cohort or an area.
func runFill(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "fill")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	out := fs.String("out", "", i18n.L("cli.fill.flag.out"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	reason := fs.String("reason", "", i18n.L("cli.flag.reason"))
	sheet := fs.String("sheet", "", i18n.L("cli.fill.flag.sheet"))
	c := addCohortFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usageError(i18n.L("cli.fill.usage"))
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
	res, err := a.FillForm(ctx, actor, pos[0], *out, app.FillOptions{Filter: f, Sheet: *sheet, Reveal: *reveal, Reason: *reason, Progress: progress(env)})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("fill.done", map[string]any{"Rows": res.Rows, "Sheet": res.Sheet, "Path": *out}))
	if len(res.Others) > 0 {
		fmt.Fprintln(env.Stdout, i18n.L("fill.others", map[string]any{"Sheets": strings.Join(res.Others, "、")}))
	}
	if len(res.Unmapped) > 0 {
		fmt.Fprintln(env.Stdout, i18n.L("fill.unmapped", map[string]any{"Columns": strings.Join(res.Unmapped, "、")}))
	}
	if res.StatusAdded {
		fmt.Fprintln(env.Stdout, i18n.L("fill.status_added"))
	}
	return nil
}
