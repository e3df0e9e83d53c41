package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"shequ/app"
	"shequ/ui/i18n"
)

// passphrase reads the backup passphrase: SHEQU_BACKUP_PASSPHRASE, or
// typed (twice when confirm) in a terminal.
func passphrase(env *Env, confirm bool) (string, error) {
	if p := env.Getenv("SHEQU_BACKUP_PASSPHRASE"); p != "" {
		return p, nil
	}
	f, ok := env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New(i18n.L("cli.nopassphrase"))
	}
	read := func(prompt string) (string, error) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	p, err := read(i18n.L("field.passphrase") + ": ")
	if err != nil || !confirm {
		return p, err
	}
	again, err := read(i18n.L("cli.password.again") + ": ")
	if err == nil && again != p {
		err = errors.New(i18n.L("err.password.mismatch"))
	}
	return p, err
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "backup")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	out := fs.String("out", "", i18n.L("cli.flag.out"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError(i18n.L("cli.noout"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	phrase, err := passphrase(env, true)
	if err != nil {
		return err
	}
	if err := a.Backup(ctx, actor, *out, phrase); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.backup.done", map[string]any{"Path": *out}))
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "restore")
	in := fs.String("in", "", i18n.L("cli.flag.in"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New(i18n.L("cli.noin"))
	}
	phrase, err := passphrase(env, false)
	if err != nil {
		return err
	}
	n, err := app.Restore(ctx, *in, *db, phrase)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.restore.done", map[string]any{"Path": *db, "Count": n}))
	return nil
}
