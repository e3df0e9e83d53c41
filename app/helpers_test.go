package app_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
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

// openApp opens a fresh database file and runs Init (one password hash,
// at the tests' cost, as every account of the tests).
func openApp(file string, opts ...app.Option) (*testApp, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	a := app.New(st, quiet, append(opts, app.WithTestPasswords())...)
	admin, err := a.Init(ctx, "admin", adminPassword, true)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &testApp{App: a, st: st, admin: admin}, nil
}

// newApp is a fresh app (openApp's) in t.TempDir(), closed when the test
// ends: a copy of one built once.
func newApp(t *testing.T) *testApp {
	t.Helper()
	return copyOf(t, 0, 0)
}

// templates are databases built once for the package, by residents and
// seed (0: none), that tests copy instead of building again: under -race
// the migrations and a demo district take seconds each, most of a test.
var templates sync.Map // [2]uint64 → *template

type template struct {
	once  sync.Once
	file  string
	seal  store.AuditSeal // its audit key and head, as a backup carries them
	admin model.Account
	err   error
}

// copyOf is a copy of the template of n demo residents from seed, with an
// audit head of its own (as a restored backup gets), under t.TempDir().
func copyOf(t *testing.T, n int, seed uint64) *testApp {
	t.Helper()
	ctx := context.Background()
	v, _ := templates.LoadOrStore([2]uint64{uint64(n), seed}, &template{})
	tp := v.(*template)
	tp.once.Do(func() {
		dir, err := os.MkdirTemp(sharedDir, "template-")
		if err != nil {
			tp.err = err
			return
		}
		ta, err := openApp(filepath.Join(dir, "build.db"))
		if err != nil {
			tp.err = err
			return
		}
		defer ta.st.Close()
		if n > 0 {
			if tp.err = ta.Demo(ctx, ta.admin, n, seed, nil); tp.err != nil {
				return
			}
		}
		tp.file, tp.admin = filepath.Join(dir, "template.db"), ta.admin.Account
		tp.seal, tp.err = ta.st.CopyTo(ctx, tp.file)
	})
	if tp.err != nil {
		t.Fatalf("template of %d residents: %v", n, tp.err)
	}
	file := filepath.Join(t.TempDir(), "shequ.db")
	b, err := os.ReadFile(tp.file)
	if err == nil {
		err = os.WriteFile(file, b, 0o600)
	}
	if err == nil {
		_, err = store.InstallAuditSeal(ctx, tp.seal, file, file)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &testApp{App: app.New(st, quiet, clockFor(t), app.WithTestPasswords()), st: st, admin: &app.Actor{Account: tp.admin}}
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
	return copyOf(t, n, seed)
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

// clocks are the tests' clocks, by test: setToday sets one, the apps a
// test opens read it (time.Now until set).
var clocks sync.Map // *testing.T → *atomic.Pointer[func() time.Time]

func clockOf(t *testing.T) *atomic.Pointer[func() time.Time] {
	c, _ := clocks.LoadOrStore(t, new(atomic.Pointer[func() time.Time]))
	return c.(*atomic.Pointer[func() time.Time])
}

// clockFor is the option of an app on t's clock.
func clockFor(t *testing.T) app.Option {
	c := clockOf(t)
	t.Cleanup(func() { clocks.Delete(t) })
	return app.WithClock(func() time.Time {
		if now := c.Load(); now != nil {
			return (*now)()
		}
		return time.Now()
	})
}

// setClock makes now the clock of the apps t opens, before or after.
func setClock(t *testing.T, now func() time.Time) {
	t.Helper()
	clockOf(t).Store(&now)
	t.Cleanup(func() { clocks.Delete(t) })
}

// setToday fixes the apps' day at noon, for the test.
func setToday(t *testing.T, y int, m time.Month, d int) {
	t.Helper()
	setClock(t, func() time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.Local) })
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
func openExisting(file string, opts ...app.Option) (*testApp, error) {
	st, err := store.Open(context.Background(), file)
	if err != nil {
		return nil, err
	}
	return &testApp{App: app.New(st, quiet, append(opts, app.WithTestPasswords())...), st: st}, nil
}
