package cli

import (
	"context"
	"errors"
	"fmt"

	"shequ/ui/i18n"
)

// runArea is `shequ area add 德源街道/红旗社区/第1网格`: the administrator
// makes the streets, communities and grids an office works in.
func runArea(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "area")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "add" {
		return errors.New(i18n.L("cli.area.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	_, made, err := a.EnsureAreaPath(ctx, actor, pos[1])
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.area.done", map[string]any{"Path": pos[1], "Count": made}))
	return nil
}
