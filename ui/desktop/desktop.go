// Package desktop starts the window: the Fyne application with its id,
// icon, metadata and theme, the UI over the app, and a clean quit on
// SIGTERM or Ctrl-C. It is the one place that imports fyne.io/fyne/v2/app,
// so package ui itself tests headless.
package desktop

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"shequ/app"
	"shequ/assets"
	"shequ/ui"
	"shequ/ui/theme"
)

// appID is the application id, as in FyneApp.toml.
const appID = "cn.shequ.desktop"

// Run shows the window over a and returns when it is closed.
func Run(a *app.App, opts ui.Options) {
	// The metadata FyneApp.toml gives `fyne package`, for plain go builds
	// too: the id keeps preferences stable, fyneDo drops Fyne's thread checks.
	fyneapp.SetMetadata(fyne.AppMetadata{ID: appID, Name: "社区台账", Version: opts.Version,
		Icon: fyne.NewStaticResource("icon.png", assets.Icon), Migrations: map[string]bool{"fyneDo": true}})
	keepLight()
	fa := fyneapp.NewWithID(appID)
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	fa.Settings().SetTheme(theme.New())
	u := ui.Start(fa, a, opts)
	// SIGTERM and Ctrl-C close the window as the close button would.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		slog.Info("signal received, quitting")
		fyne.Do(fa.Quit)
	}()
	u.Window().ShowAndRun()
}
