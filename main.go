// Command shequ is the community registry: with no subcommand it opens
// the window, with one it runs that command (see cli).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"gopkg.in/natefinch/lumberjack.v2"

	"shequ/cli"
	"shequ/i18n"
	"shequ/ui"
	"shequ/ui/theme"
)

func main() {
	if _, err := i18n.SetupLanguage(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Log: openLog}
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, env, os.Args[1:])
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("shequ", flag.ExitOnError)
	db := fs.String("db", cli.DefaultDB(os.Getenv), "database file")
	fs.Parse(os.Args[1:])
	os.Exit(runGUI(env, *db))
}

func runGUI(env *cli.Env, db string) int {
	ctx := context.Background()
	a, done, err := cli.Open(ctx, env, db, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer done()
	fa := fyneapp.NewWithID("cn.shequ.desktop")
	fa.Settings().SetTheme(theme.New())
	u := ui.Start(fa, a, ui.Options{
		LogPath:   logPath(db),
		Version:   cli.Version,
		AutoLogin: os.Getenv("SHEQU_AUTOLOGIN"),
		Password:  os.Getenv("SHEQU_PASSWORD"),
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

// logPath is the rotating log beside the database: shequ.db → shequ.log.
func logPath(db string) string {
	return strings.TrimSuffix(db, filepath.Ext(db)) + ".log"
}

// openLog sends slog to a rotating file beside the database and returns it.
func openLog(db string) *slog.Logger {
	w := &lumberjack.Logger{Filename: logPath(db), MaxSize: 5, MaxBackups: 3}
	l := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(l)
	return l
}
