package cli

import (
	"context"
	"fmt"

	"shequ/ui/i18n"
)

// runSettings shows, and with flags changes, the settings an
// administrator keeps for everyone on a database.
func runSettings(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "settings")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	idle := fs.Int("idle-minutes", 0, i18n.L("settings.idle.hint"))
	keep := fs.Int("audit-retention", 0, i18n.L("settings.retention.hint"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if *idle != 0 {
		if err := a.SetIdleMinutes(ctx, actor, *idle); err != nil {
			return err
		}
	}
	if *keep != 0 {
		if err := a.SetAuditRetention(ctx, actor, *keep); err != nil {
			return err
		}
	}
	i, err := a.IdleMinutes(ctx)
	if err != nil {
		return err
	}
	m, err := a.AuditRetention(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d\n%s: %d\n", i18n.L("settings.idle"), i, i18n.L("settings.retention"), m)
	return nil
}
