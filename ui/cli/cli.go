// Package cli is the scriptable face of Shequ: subcommands over the same
// app use cases as the window. Each prints a one-line summary on success
// and a clear message with exit status 1 on failure.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/term"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/outfile"
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
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"init", "cli.init.summary", runInit},
		{"demo", "cli.demo.summary", runDemo},
		{"area", "cli.area.summary", runArea},
		{"residents", "cli.residents.summary", runResidents},
		{"tag", "cli.tag.summary", runTag},
		{"cohort", "cli.cohort.summary", runCohort},
		{"chart", "cli.chart.summary", runChart},
		{"report", "cli.report.summary", runReport},
		{"appeal", "cli.appeal.summary", runAppeal},
		{"worklog", "cli.worklog.summary", runWorkLog},
		{"import", "cli.import.summary", runImport},
		{"match", "cli.match.summary", runMatch},
		{"fill", "cli.fill.summary", runFill},
		{"vaccine", "cli.vaccine.summary", runVaccine},
		{"visitor", "cli.visitor.summary", runVisitor},
		{"booking", "cli.booking.summary", runBooking},
		{"activity", "cli.activity.summary", runActivity},
		{"coupon", "cli.coupon.summary", runCoupon},
		{"export", "cli.export.summary", runExport},
		{"template", "cli.template.summary", runTemplate},
		{"account", "cli.account.summary", runAccount},
		{"audit", "cli.audit.summary", runAudit},
		{"check", "cli.check.summary", runCheck},
		{"settings", "cli.settings.summary", runSettings},
		{"backup", "cli.backup.summary", runBackup},
		{"restore", "cli.restore.summary", runRestore},
		{"serve", "cli.serve.summary", runServe},
		{"sync", "cli.sync.summary", runSync},
		{"devices", "cli.devices.summary", runDevices},
		{"version", "cli.version.summary", runVersion},
	}
}

// IsCommand reports whether name is a subcommand (else main opens the window).
func IsCommand(name string) bool {
	if name == "help" || name == "-h" || name == "--help" {
		return true
	}
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run runs the subcommand in args[0] and returns the exit status.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if err != nil {
			fmt.Fprintln(env.Stderr, i18n.L("cli.error")+": "+i18n.Message(err))
			return 1
		}
		return 0
	}
	fmt.Fprintf(env.Stderr, "%s: %s\n", i18n.L("cli.unknown"), args[0])
	usage(env.Stderr)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, i18n.L("cli.usage"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  shequ %-10s %s\n", c.name, i18n.L(c.summary))
	}
	fmt.Fprintln(w, "  shequ [--db FILE]   "+i18n.L("cli.gui.summary"))
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

// flags makes a flag set with the shared --db flag; --help prints the
// flags to stdout and is not an error.
func flags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("shequ "+name, flag.ContinueOnError)
	// --help goes to stdout; a wrong flag is said once, by Run.
	fs.SetOutput(io.Discard)
	db := fs.String("db", DefaultDB(env.Getenv), i18n.L("cli.flag.db"))
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "shequ %s — %s\n", name, i18n.L("cli."+name+".summary"))
		fs.PrintDefaults()
	}
	return fs, db
}

func parse(env *Env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(env.Stdout)
		}
	}
	defer fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return FlagError(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: %s", i18n.L("cli.extra"), strings.Join(fs.Args(), " "))
	}
	return notInput(fs, nil)
}

// notInput refuses, before anything is done, an output (--out, --report)
// that is a file the same command reads: the database, --in, or a file
// named as an argument (a ledger, a list, a form). Every command's flags
// pass through here, so none can forget it.
func notInput(fs *flag.FlagSet, pos []string) error {
	ins := slices.Clone(pos)
	for _, name := range []string{"db", "in"} {
		if f := fs.Lookup(name); f != nil {
			ins = append(ins, f.Value.String())
		}
	}
	for _, name := range []string{"out", "report"} {
		if f := fs.Lookup(name); f != nil && f.Value.String() != "" {
			if err := outfile.NotInput(f.Value.String(), ins...); err != nil {
				return err
			}
		}
	}
	return nil
}

// FlagError says a flag mistake in the user's language, with the way to
// the help.
func FlagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
	for _, p := range []struct{ prefix, key string }{
		{"flag provided but not defined: ", "cli.flag.unknown"},
		{"flag needs an argument: ", "cli.flag.noarg"},
		{"invalid value ", "cli.flag.badvalue"},
	} {
		if rest, ok := strings.CutPrefix(msg, p.prefix); ok {
			return errors.New(i18n.L(p.key, map[string]any{"Flag": rest}) + i18n.L("cli.flag.help"))
		}
	}
	return errors.New(msg + i18n.L("cli.flag.help"))
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
	return app.New(st, log), func() { st.Close() }, nil
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
func session(ctx context.Context, env *Env, fs *flag.FlagSet, args []string, db, user *string) (*app.App, *app.Actor, func(), error) {
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

// CheckCommand says whether args name a subcommand, the window (no
// subcommand, only flags), or a mistyped command: "shequ bogus" is an
// error, not a window.
func CheckCommand(args []string) (isCommand bool, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return false, nil
	}
	if IsCommand(args[0]) {
		return true, nil
	}
	return false, fmt.Errorf("%s: %s", i18n.L("cli.unknown"), args[0])
}
