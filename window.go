//go:build !headless

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	_ "shequ/ui/posixlocale" // before Fyne's init reads the locale

	"shequ/ui"
	"shequ/ui/cli"
	"shequ/ui/desktop"
	"shequ/ui/i18n"
)

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
	desktop.Run(a, ui.Options{
		LogPath:   logPath(db),
		Version:   version,
		AutoLogin: os.Getenv("SHEQU_AUTOLOGIN"),
		Password:  os.Getenv("SHEQU_PASSWORD"),
		Idle:      idleLimit(),
		FirstScreen: func() {
			slog.Info("first screen", "ms", time.Since(started).Milliseconds())
		},
	})
	return 0
}
