// Command shequ is the community registry: with no subcommand it opens
// the window, with one it runs that command (see ui/cli). Built with
// -tags headless (CGO_ENABLED=0 works) it has every command but the window
// and links no Fyne: the build for servers and containers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"

	"shequ/app"
	"shequ/app/outfile"
	"shequ/store"
	"shequ/store/hub"
	"shequ/ui/cli"
	"shequ/ui/i18n"
)

// version is the program's version. Its one source is FyneApp.toml's
// Version, which the Makefile stamps here with -ldflags "-X main.version=…"
// (VERSION= overrides it); a build that is not stamped says "dev".
var version = "dev"

func main() {
	if len(os.Args) > 1 { // a command or flags: typed in a console
		attachParentConsole()
	}
	limitMemory()
	if _, err := i18n.Setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Log: openLog, OpenApp: openApp,
		OpenServer: openServer, DB: defaultDB(os.Getenv), Version: version}
	isCommand, err := cli.CheckCommand(os.Args[1:])
	if err != nil { // an unknown command: a usage error, the usage on stderr
		fmt.Fprintln(os.Stderr, err)
		cli.Run(context.Background(), &cli.Env{Stdout: os.Stderr, Stderr: os.Stderr, Getenv: os.Getenv}, []string{"help"})
		os.Exit(2)
	}
	if isCommand {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, env, os.Args[1:])
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("shequ", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", env.DB, i18n.L("cli.flag.db"))
	if err := fs.Parse(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, i18n.L("cli.error")+": "+cli.FlagError(err).Error())
			os.Exit(2)
		}
		cli.Run(context.Background(), env, []string{"help"})
		os.Exit(0)
	}
	os.Exit(runGUI(env, *db))
}

// defaultDB is the database in the user's data folder: %AppData%\Shequ on
// Windows, ~/Library/Application Support/Shequ on macOS, and
// $XDG_DATA_HOME/shequ (~/.local/share/shequ) elsewhere.
func defaultDB(getenv func(string) string) string {
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

// openApp opens the desktop's SQLite database with the app over it: the
// one place the program chooses its storage, for the window and every
// command.
func openApp(ctx context.Context, path string, log *slog.Logger) (*app.App, func(), error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return app.New(st, log), func() { st.Close() }, nil
}

// openServer opens a sync server's database (postgres://… or
// sqlite:FILE) with the server's use cases over it, for serve and the
// commands given --store.
func openServer(ctx context.Context, spec string) (*app.Server, func(), error) {
	h, err := hub.Open(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return app.NewServer(h), func() { h.Close() }, nil
}

// started is when the process began, for the first screen's time.
var started = time.Now()

// logPath is the rotating log beside the database: shequ.db → shequ.log.
func logPath(db string) string {
	if filepath.Ext(db) == ".log" { // never the database itself
		return db + ".log"
	}
	return strings.TrimSuffix(db, filepath.Ext(db)) + ".log"
}

// openLog sends slog to a rotating file beside the database and returns it.
func openLog(db string) *slog.Logger {
	// lumberjack makes a new log 0600 but keeps the mode of one already
	// there (and gives it to the old logs it rotates): a log names
	// residents in its errors, so older logs are made the owner's too.
	old, _ := filepath.Glob(strings.TrimSuffix(logPath(db), ".log") + "*.log")
	for _, f := range old {
		os.Chmod(f, outfile.Mode)
	}
	w := &lumberjack.Logger{Filename: logPath(db), MaxSize: 5, MaxBackups: 3}
	l := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(l)
	return l
}

// idleLimit is the idle lock's limit: SHEQU_IDLE_MINUTES, else the default.
func idleLimit() time.Duration {
	if m, err := strconv.Atoi(os.Getenv("SHEQU_IDLE_MINUTES")); err == nil && m > 0 {
		return time.Duration(m) * time.Minute
	}
	return 0
}

// limitMemory keeps the heap near 256 MiB (unless GOMEMLIMIT says
// otherwise): imports and exports stream, so a budget keeps a district's
// ledger from growing the process on an office laptop.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}
