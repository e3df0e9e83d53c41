//go:build !headless

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	_ "shequ/ui/posixlocale" // before Fyne's init reads the locale

	"shequ/assets"
	"shequ/ui"
	"shequ/ui/cli"
	"shequ/ui/i18n"
	"shequ/ui/theme"
)

// appID is the application id, as in FyneApp.toml.
const appID = "cn.shequ.desktop"

func runGUI(env *cli.Env, db string) (code int) {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, i18n.L("cli.nodisplay"))
		return 1
	}
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
