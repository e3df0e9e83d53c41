package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
)

// smallScreen is the smallest screen the window is made for: an old
// 1024×768 display less its taskbar.
var smallScreen = fyne.NewSize(1024, 700)

// TestEveryScreenFitsASmallScreen opens every screen of the main
// navigation, in both languages, in a window of 1024×700: none asks for
// more room than that (a wider screen would push the window, and every
// other screen with it, past the edge of the display).
func TestEveryScreenFitsASmallScreen(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			a, fa := testAppIn(t, lang)
			ctx := context.Background()
			actor, err := a.Init(ctx, "admin", testPassword, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Demo(ctx, actor, 200, 7, nil); err != nil {
				t.Fatal(err)
			}
			u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "admin", Password: testPassword})
			drain(t)
			w.Resize(smallScreen)
			// The navigation takes its labels' width beside every screen.
			widest := float32(0)
			for _, it := range u.tabs.Items {
				widest = max(widest, it.Content.MinSize().Width)
			}
			nav := u.tabs.MinSize().Width - widest
			for i, it := range u.tabs.Items {
				u.tabs.SelectIndex(i)
				drain(t)
				if m := it.Content.MinSize(); m.Width+nav > smallScreen.Width || m.Height > smallScreen.Height-60 {
					t.Errorf("%s asks for %v beside a navigation %.0f wide", it.Text, m, nav)
				}
			}
			if m := w.Content().MinSize(); m.Width > smallScreen.Width || m.Height > smallScreen.Height {
				t.Errorf("the window asks for %v", m)
			}
		})
	}
}
