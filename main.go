// Command shequ is the community registry: with no subcommand it opens
// the window, with one it runs that command (see cli).
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

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"gopkg.in/natefinch/lumberjack.v2"

	"shequ/app"
	"shequ/app/outfile"
	"shequ/assets"
	"shequ/ui"
	"shequ/ui/cli"
	"shequ/ui/i18n"
	"shequ/ui/theme"
)

// appID is the application id, as in FyneApp.toml.
const appID = "cn.shequ.desktop"

func main() {
	app.LimitMemory()
	if _, err := i18n.Setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Log: openLog}
	isCommand, err := cli.CheckCommand(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		cli.Run(context.Background(), env, []string{"help"})
		os.Exit(1)
	}
	if isCommand {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, env, os.Args[1:])
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("shequ", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", cli.DefaultDB(os.Getenv), i18n.L("cli.flag.db"))
	if err := fs.Parse(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, i18n.L("cli.error")+": "+cli.FlagError(err).Error())
			os.Exit(1)
		}
		cli.Run(context.Background(), env, []string{"help"})
		os.Exit(0)
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, i18n.L("cli.nodisplay"))
		os.Exit(1)
	}
	os.Exit(runGUI(env, *db))
}

func runGUI(env *cli.Env, db string) (code int) {
	ctx := context.Background()
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	// A crash on the UI goroutine is logged with its stack, and the user is
	// told where the log is.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("crash", "panic", r, "stack", string(debug.Stack()))
			fmt.Fprintf(os.Stderr, "Shequ stopped unexpectedly: %v\nSee the log: %s\n", r, logPath(db))
			code = 2
		}
	}()
	if _, err := ui.SetupLanguage(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	a, done, err := cli.Open(ctx, env, db, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer done()
	// The metadata FyneApp.toml gives `fyne package`, for plain go builds
	// too: the id keeps preferences stable, fyneDo drops Fyne's thread checks.
	fyneapp.SetMetadata(fyne.AppMetadata{ID: appID, Name: "社区台账", Version: cli.Version,
		Icon: fyne.NewStaticResource("icon.png", assets.Icon), Migrations: map[string]bool{"fyneDo": true}})
	fa := fyneapp.NewWithID(appID)
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	fa.Settings().SetTheme(theme.New())
	u := ui.Start(fa, a, ui.Options{
		LogPath:   logPath(db),
		Version:   cli.Version,
		AutoLogin: os.Getenv("SHEQU_AUTOLOGIN"),
		Password:  os.Getenv("SHEQU_PASSWORD"),
		Idle:      idleLimit(),
		FirstScreen: func() {
			slog.Info("first screen", "ms", time.Since(started).Milliseconds())
		},
	})
	// SIGTERM and Ctrl-C close the window as the close button would.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		slog.Info("signal received, quitting")
		fyne.Do(fa.Quit)
	}()
	u.Window().ShowAndRun()
	return 0
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
