package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
	shequtheme "shequ/ui/theme"
	"shequ/ui/widgets"
)

const testPassword = "Ledger#2024x"

// queue holds the background jobs of a test; drain runs them on the test
// goroutine, so every test is deterministic and free of races. The tests
// of the window run one at a time (Fyne's test app is the process's).
var queue []func() func()

// testScheduler queues background jobs for drain, without waiting for
// typing to settle; tests call what a ticker would themselves, and
// messages stay for them to read.
var testScheduler = scheduler{
	schedule: func(job func() func()) { queue = append(queue, job) },
	every:    func(time.Duration, func()) {},
	later:    func(time.Duration, func()) {},
}

// clock is the test's clock: 2026-06-01 unless setClock moves it.
var clock atomic.Pointer[time.Time]

// setClock moves the clock of the test's apps.
func setClock(at time.Time) { clock.Store(&at) }

func drain(t *testing.T) {
	t.Helper()
	for i := 0; len(queue) > 0; i++ {
		if i > 10000 {
			t.Fatal("background jobs never settle")
		}
		job := queue[0]
		queue = queue[1:]
		job()()
	}
}

// testApp is a fresh database and a test Fyne app, in Chinese, with a
// fixed today and background jobs queued for drain.
func testApp(t *testing.T) (*app.App, fyne.App) {
	t.Helper()
	return testAppIn(t, "zh")
}

// testAppIn is testApp in a language (zh or en).
func testAppIn(t *testing.T, language string) (*app.App, fyne.App) {
	t.Helper()
	t.Setenv("SHEQU_LANG", language)
	if _, err := SetupLanguage(); err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	fa.Settings().SetTheme(shequtheme.New())
	if clock.Load() == nil {
		setClock(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	}
	t.Cleanup(func() {
		queue = nil
		clock.Store(nil)
	})
	st, err := store.Open(context.Background(), t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return app.New(st, nil, app.WithClock(func() time.Time { return *clock.Load() }), app.WithTestPasswords()), fa
}

// startWindow starts the UI as main does, in a window of the usual size.
func startWindow(fa fyne.App, a *app.App, opts Options) (*UI, fyne.Window) {
	opts.sched = &testScheduler
	u := Start(fa, a, opts)
	w := u.Window()
	w.Resize(fyne.NewSize(1200, 760))
	w.Show()
	return u, w
}

// newTestUI opens the window on a fresh database with n demo residents,
// signed in as the administrator.
func newTestUI(t *testing.T, n int) (*UI, fyne.Window) {
	t.Helper()
	a, fa := testApp(t)
	ctx := context.Background()
	actor, err := a.Init(ctx, "admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		if err := a.Demo(ctx, actor, n, 7, nil); err != nil {
			t.Fatal(err)
		}
	}
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "admin", Password: testPassword, LogPath: "/var/log/shequ.log"})
	drain(t)
	return u, w
}

// livingHere counts by hand, among every resident the actor sees, those
// living here (在住, 外出): what the screens show unless asked for more.
func livingHere(t *testing.T, u *UI) int {
	t.Helper()
	ctx := context.Background()
	l, err := u.app.Residents(ctx, u.actor, app.ListFilter{Cohort: &app.CohortFilter{Statuses: model.Statuses}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.Page(ctx, nil, 100000, false)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Status == model.StatusPresent || r.Status == model.StatusAway {
			n++
		}
	}
	if n == len(rows) {
		t.Fatalf("no former residents among %d: the default of those living here is not tested", len(rows))
	}
	return n
}

// demoWithAccount is a fresh database with n demo residents and one more
// account made by the administrator; area picks its areas from the demo's.
func demoWithAccount(t *testing.T, n int, in app.AccountInput, area func([]model.Area) []int64) (*app.App, fyne.App) {
	t.Helper()
	a, fa := testApp(t)
	ctx := context.Background()
	admin, err := a.Init(ctx, "admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Demo(ctx, admin, n, 7, nil); err != nil {
		t.Fatal(err)
	}
	areas, _ := a.VisibleAreas(ctx, admin)
	in.Password, in.Areas = testPassword, area(areas)
	if _, err := a.CreateAccount(ctx, admin, in); err != nil {
		t.Fatal(err)
	}
	return a, fa
}

// firstArea is the first area of a level.
func firstArea(areas []model.Area, level model.AreaLevel) []int64 {
	for _, ar := range areas {
		if ar.Level == level {
			return []int64{ar.ID}
		}
	}
	return nil
}

// walkObjects visits o and everything drawn inside it, widgets' parts
// included.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, visit)
		}
	}
}

// walkVisible calls see on o and everything visible inside it, going
// into a container or widget unless see says it is read whole.
func walkVisible(o fyne.CanvasObject, see func(fyne.CanvasObject) (whole bool)) {
	if o == nil || !o.Visible() || see(o) {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkVisible(c, see)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkVisible(c, see)
		}
	}
}

// texts lists every visible text in the window, dialogs included.
func texts(w fyne.Window) []string {
	var out []string
	see := func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
			return true
		case *widgets.TapLabel: // a table's cell
			out = append(out, x.Text)
			return true
		}
		return false
	}
	walkVisible(w.Content(), see)
	for _, o := range w.Canvas().Overlays().List() {
		walkVisible(o, see)
	}
	return out
}

func shows(w fyne.Window, part string) bool {
	for _, s := range texts(w) {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

// TestTheWindowFitsAnOfficeScreen: in either language no screen is wider
// than a 1280-pixel screen (the appeals' toolbar once made the English
// window 1546 wide, cutting every screen's right edge off).
func TestTheWindowFitsAnOfficeScreen(t *testing.T) {
	for _, language := range []string{"en", "zh"} {
		a, fa := testAppIn(t, language)
		ctx := context.Background()
		admin, err := a.Init(ctx, "admin", testPassword, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Demo(ctx, admin, 40, 7, nil); err != nil {
			t.Fatal(err)
		}
		u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "admin", Password: testPassword})
		drain(t)
		if width := w.Content().MinSize().Width; width > 1280 {
			for _, it := range u.tabs.Items {
				t.Logf("%s %s: %.0f", language, it.Text, it.Content.MinSize().Width)
			}
			t.Errorf("%s: the window needs %.0f pixels", language, width)
		}
	}
}
