package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
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
			// Every permission: every button shows.
			if err := a.EditAccount(ctx, actor, "admin", app.AccountEdit{DisplayName: "管理员", Role: model.RoleAdmin,
				CanReveal: true, CanExport: true, PersonalData: true}); err != nil {
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

// TestLongFormsScrollAndHintsWrap shows a form of many fields with a long
// hint in a 1024×700 window: it is no taller than the window, its buttons
// are in view, and the hint wraps inside the dialog instead of running
// past its edge.
func TestLongFormsScrollAndHintsWrap(t *testing.T) {
	u, w := newTestUI(t, 0)
	w.Resize(smallScreen)
	var items []*widget.FormItem
	for i := range 24 {
		items = append(items, widget.NewFormItem(fmt.Sprintf("第%d项", i+1), widget.NewEntry()))
	}
	long := strings.Repeat("台账里尚未登记的房屋归入这个网格；已登记的房屋不变。", 4)
	items[1].HintText = long
	f := u.showForm("一张很长的表", items, func() error { return nil }, nil)
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject
	if bottom := at(f.ok).Y + f.ok.Size().Height; bottom > smallScreen.Height || !f.ok.Visible() {
		t.Fatalf("the OK button ends at %.0f in a window %.0f tall", bottom, smallScreen.Height)
	}
	var hint *widget.RichText
	walkTop(w, func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RichText); ok && r.String() == long {
			hint = r
		}
	})
	if hint == nil {
		t.Fatal("the long hint is not shown as wrapping text")
	}
	if right := at(hint).X + hint.Size().Width; right > at(f.ok).X+f.ok.Size().Width+1 {
		t.Fatalf("the hint reaches %.0f, past the dialog's buttons at %.0f", right, at(f.ok).X+f.ok.Size().Width)
	}
}

// TestWeekOfSpacesFitsASmallScreen shows a space's week in a 1024×700
// window: its seven days fit the table without scrolling sideways.
func TestWeekOfSpacesFitsASmallScreen(t *testing.T) {
	u, w, a := ledgerUI(t)
	w.Resize(smallScreen)
	ctx := context.Background()
	areas, err := a.VisibleAreas(ctx, u.actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddSpace(ctx, u.actor, app.SpaceInput{AreaID: firstArea(areas, model.LevelCommunity)[0], Name: "活动室", Capacity: "20", Opens: "8:00", Closes: "21:00"}); err != nil {
		t.Fatal(err)
	}
	u.tabs.SelectIndex(8)
	drain(t)
	s := u.spaces
	s.view.SetSelected("周视图")
	drain(t)
	if len(s.cols) != 7 {
		t.Fatalf("a week of %d days", len(s.cols))
	}
	if need := 64 + 7*s.colW; need > s.table.Size().Width {
		t.Fatalf("seven days need %.0f, the table is %.0f wide", need, s.table.Size().Width)
	}
}
