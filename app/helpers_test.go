package app_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
)

// quiet is the log of the apps under test.
var quiet = slog.New(slog.DiscardHandler)

// noEntry is the audit note of the store writes a test makes around the
// use cases: an entry without an action is not written.
func noEntry(int64, []string) model.AuditEntry { return model.AuditEntry{} }

// adminPassword passes CheckPassword.
const adminPassword = "Ledger#2024x"

// testApp is an app over a fresh database file under t.TempDir(), with the
// store beside it for what the use cases do not expose (areas, accounts).
type testApp struct {
	*app.App
	st    *store.Store
	admin *app.Actor
}

// openApp opens a fresh database file and runs Init (one password hash).
func openApp(file string) (*testApp, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	a := app.New(st, quiet)
	admin, err := a.Init(ctx, "admin", adminPassword, true)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &testApp{App: a, st: st, admin: admin}, nil
}

// newApp is openApp under t.TempDir(), closed when the test ends.
func newApp(t *testing.T) *testApp {
	t.Helper()
	ta, err := openApp(filepath.Join(t.TempDir(), "shequ.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ta.st.Close() })
	return ta
}

// The shared demo is a district of sharedN residents from seed 3, made
// once for the tests that only read.
const sharedN = 2000

var (
	sharedDir  string
	sharedOnce sync.Once
	shared     *testApp
	sharedErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shequ-app-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	if shared != nil {
		shared.st.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// sharedDemo is the shared demo district; tests must not change it.
func sharedDemo(t *testing.T) *testApp {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = openApp(filepath.Join(sharedDir, "shared.db"))
		if sharedErr == nil {
			sharedErr = shared.Demo(context.Background(), shared.admin, sharedN, 3, nil)
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// newDemoApp is newApp with demo data of n residents from seed.
func newDemoApp(t *testing.T, n int, seed uint64) *testApp {
	t.Helper()
	ta := newApp(t)
	if err := ta.Demo(context.Background(), ta.admin, n, seed, nil); err != nil {
		t.Fatalf("demo: %v", err)
	}
	return ta
}

// rows lists everything the actor sees for a filter, in one page.
// everyone is a filter of every resident ever registered, former ones
// (迁出, 死亡) too: asked for by naming every status.
func everyone() app.ListFilter {
	return app.ListFilter{Cohort: &app.CohortFilter{Statuses: model.Statuses}}
}

func (ta *testApp) rows(t *testing.T, actor *app.Actor, f app.ListFilter) []model.ResidentRow {
	t.Helper()
	ctx := context.Background()
	l, err := ta.Residents(ctx, actor, f)
	if err != nil {
		t.Fatal(err)
	}
	n, err := l.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.Page(ctx, nil, n+1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n {
		t.Fatalf("count %d, page of %d rows", n, len(rows))
	}
	return rows
}

// grids lists the demo's grids, in id order.
func (ta *testApp) grids(t *testing.T) []model.Area {
	t.Helper()
	areas, err := ta.st.Areas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Area
	for _, a := range areas {
		if a.Level == model.LevelGrid {
			out = append(out, a)
		}
	}
	return out
}

// setToday fixes app.Today for the test.
func setToday(t *testing.T, y int, m time.Month, d int) {
	t.Helper()
	old := app.Today
	app.Today = func() time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.Local) }
	t.Cleanup(func() { app.Today = old })
}

// problemKeys maps each field of a Problems error to its key.
func problemKeys(t *testing.T, err error) map[string]string {
	t.Helper()
	var ps app.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v (%T), want app.Problems", err, err)
	}
	out := map[string]string{}
	for _, p := range ps {
		out[p.Field] = p.Key
	}
	return out
}

// openExisting opens a database that already has its accounts.
func openExisting(file string) (*testApp, error) {
	st, err := store.Open(context.Background(), file)
	if err != nil {
		return nil, err
	}
	return &testApp{App: app.New(st, quiet), st: st}, nil
}
