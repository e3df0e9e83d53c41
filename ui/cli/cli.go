// Package cli is the scriptable face of Shequ: subcommands over the same
// app use cases as the window. Each prints a one-line summary on success
// and a clear message with exit status 1 on failure.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
	"shequ/ui/i18n"
)

// Version is the program version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Env is what a command runs with: its streams and how it reads a password.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Log opens the log for a database file; nil logs nowhere.
	Log func(dbPath string) *slog.Logger
	// described, when not nil, asks a command for its flags only: parse
	// hands them over here and the command stops before doing anything.
	described *[]*pflag.FlagSet
	// AppOptions are given to the App of every database opened (tests fix
	// its clock and cheapen its passwords).
	AppOptions []app.Option
}

// DefaultDB is the database in the user's data folder: %AppData%\Shequ on
// Windows, ~/Library/Application Support/Shequ on macOS, and
// $XDG_DATA_HOME/shequ (~/.local/share/shequ) elsewhere.
func DefaultDB(getenv func(string) string) string {
	var dir string
	switch runtime.GOOS {
	case "windows", "darwin":
		base, err := os.UserConfigDir()
		if err != nil {
			base = "."
		}
		dir = filepath.Join(base, "Shequ")
	default:
		base := getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				home = "."
			}
			base = filepath.Join(home, ".local", "share")
		}
		dir = filepath.Join(base, "shequ")
	}
	return filepath.Join(dir, "shequ.db")
}

// Open opens the database file, creating its folder, with the app over it.
func Open(ctx context.Context, env *Env, path string, create bool) (*app.App, func(), error) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // shown in 关于 and in messages: a path anyone can find
	}
	if !create {
		if _, err := os.Stat(path); err != nil {
			return nil, nil, fmt.Errorf("%s: %s", i18n.L("cli.nodb"), path)
		}
	}
	// Only the data folder is made when missing: a mistyped --db folder is
	// an error, not a new folder.
	dir := filepath.Dir(path)
	if dir == filepath.Dir(DefaultDB(env.Getenv)) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, err
		}
	} else if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("%s: %s", i18n.L("cli.nodir"), dir)
	}
	st, err := store.Open(ctx, path)
	var newer *model.NewerSchemaError
	switch {
	case errors.Is(err, model.ErrBusy), errors.As(err, &newer):
		return nil, nil, err // said as it is, not as a file that is no database
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %s (%w)", i18n.L("cli.baddb"), path, err)
	}
	log := slog.New(slog.DiscardHandler) // nil Env.Log: log nowhere
	if env.Log != nil {
		log = env.Log(path)
	}
	return app.New(st, log, env.AppOptions...), func() { st.Close() }, nil
}

// password reads SHEQU_PASSWORD, or asks on the terminal (twice when
// confirm); with neither it is an error, not a hang.
func password(env *Env, confirm bool) (string, error) {
	if p := env.Getenv("SHEQU_PASSWORD"); p != "" {
		return p, nil
	}
	f, ok := env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New(i18n.L("cli.nopassword"))
	}
	read := func(prompt string) (string, error) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	p, err := read(i18n.L("cli.password") + ": ")
	if err != nil || !confirm {
		return p, err
	}
	again, err := read(i18n.L("cli.password.again") + ": ")
	if err != nil {
		return "", err
	}
	if again != p {
		return "", errors.New(i18n.L("err.password.mismatch"))
	}
	return p, nil
}

// session parses a command's flags, then opens the database and signs in
// as --user (both read after parsing, hence the pointers).
func session(ctx context.Context, env *Env, fs *pflag.FlagSet, args []string, db, user *string) (*app.App, *app.Actor, func(), error) {
	if err := parse(env, fs, args); err != nil {
		return nil, nil, nil, err
	}
	return login(ctx, env, *db, *user)
}

// login opens the database and signs in as --user.
func login(ctx context.Context, env *Env, db, user string) (*app.App, *app.Actor, func(), error) {
	if user == "" {
		return nil, nil, nil, errors.New(i18n.L("cli.nouser"))
	}
	a, done, err := Open(ctx, env, db, false)
	if err != nil {
		return nil, nil, nil, err
	}
	pw, err := password(env, false)
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	actor, err := a.Login(ctx, user, pw)
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	return a, actor, done, nil
}
