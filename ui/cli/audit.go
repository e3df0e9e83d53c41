package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// auditVerbs are `shequ audit verify` (anyone with the file: it reveals
// nothing), `shequ audit list` and `shequ audit purge` (an administrator).
func auditVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("audit", name, run)
	}
	return []command{v("verify", auditVerify), v("list", auditList), v("purge", runAuditPurge)}
}

func auditVerify(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit verify")
	if err := parse(env, fs, args); err != nil {
		return err
	}
	a, done, err := Open(ctx, env, *db, false)
	if err != nil {
		return err
	}
	defer done()
	v, err := a.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.Whole() {
		return errors.New(i18n.L(app.AuditMessage(v)))
	}
	fmt.Fprintln(env.Stdout, i18n.L(app.AuditMessage(v)))
	return nil
}

// auditJSON is an audit entry as --json prints it.
type auditJSON struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Account string `json:"account"`
	Action  string `json:"action"`
	Target  string `json:"target"`
	Detail  string `json:"detail"`
}

func auditList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit list")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	var f model.AuditFilter
	fs.StringVar(&f.Account, "account", "", i18n.L("cli.flag.account"))
	fs.StringVar(&f.Action, "action", "", i18n.L("cli.flag.action"))
	fs.StringVar(&f.Target, "target", "", i18n.L("cli.flag.target"))
	from, to := dateFlags(fs, "cli.flag.from", "cli.flag.to")
	limit := fs.Int("limit", 100, i18n.L("cli.flag.limit"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	xlsx := fs.String("xlsx", "", i18n.L("cli.flag.xlsx"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	var err error
	if f.From, f.To, err = app.DayBounds(*from, *to); err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	if *xlsx != "" {
		n, err := a.ExportAudit(ctx, actor, f, *xlsx)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.audit.exported", map[string]any{"Count": n, "Path": *xlsx}))
		return nil
	}
	if *limit <= 0 {
		*limit = 1 << 30
	}
	entries, err := a.AuditLog(ctx, actor, f, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return listJSON(env, entries, func(e model.AuditEntry) auditJSON {
			return auditJSON{e.ID, e.At.UTC().Format(time.RFC3339), e.Account, e.Action, e.Target, e.Detail}
		})
	}
	printRows(env.Stdout, []string{"#", i18n.L("audit.col.at"), i18n.L("audit.col.account"), i18n.L("audit.col.action"), i18n.L("audit.col.target"), i18n.L("audit.col.detail")}, entries, func(e model.AuditEntry) []string {
		return []string{fmt.Sprint(e.ID), e.At.Local().Format("2006-01-02 15:04:05"), e.Account, e.Action, e.Target, e.Detail}
	})
	fmt.Fprintln(env.Stdout, i18n.L("cli.audit.shown", map[string]any{"Count": len(entries)}))
	return nil
}

// runCheck is `shequ check`: SQLite's integrity check and the audit chain.
func runCheck(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "check")
	if err := parse(env, fs, args); err != nil {
		return err
	}
	a, done, err := Open(ctx, env, *db, false)
	if err != nil {
		return err
	}
	defer done()
	integrity, v, err := a.Check(ctx)
	if err != nil {
		return err
	}
	if integrity != "ok" {
		return errors.New(i18n.L("cli.check.corrupt", map[string]any{"Detail": integrity}))
	}
	if !v.Whole() {
		return errors.New(i18n.L(app.AuditMessage(v)))
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.check.ok", map[string]any{"Count": v.Entries}))
	return nil
}

// runAuditPurge archives the entries past the retention and removes them.
func runAuditPurge(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit purge")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	out := ledgerOut(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	months, err := a.AuditRetention(ctx)
	if err != nil {
		return err
	}
	n, err := a.PurgeAudit(ctx, actor, *out)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(env.Stdout, i18n.L("audit.purge.none", map[string]any{"Months": months}))
		return nil
	}
	fmt.Fprintln(env.Stdout, i18n.L("audit.purge.done", map[string]any{"Count": n, "Path": *out}))
	return nil
}
