package replica_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store"
	"shequ/store/hub"
)

var quiet = slog.New(slog.DiscardHandler)

const pw = "Ledger#2024x"

// stores runs fn against each server store: a SQLite file, and the
// PostgreSQL the test script started (SHEQU_TEST_PG); in CI that one is
// required, elsewhere it is skipped when absent.
func stores(t *testing.T, fn func(t *testing.T, spec func() string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func() string { return "sqlite:" + filepath.Join(t.TempDir(), "server.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		requirePG(t) // here, not in a subtest that asks for a database
		fn(t, func() string { return pgDatabase(t) })
	})
}

var pgSeq atomic.Int64

// requirePG skips the test without the test cluster, or fails it in CI,
// where the test script starts one.
func requirePG(t *testing.T) {
	t.Helper()
	if os.Getenv("SHEQU_TEST_PG") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SHEQU_TEST_PG is not set: the test script starts PostgreSQL (scripts/pg.sh)")
		}
		t.Skip("no PostgreSQL: run scripts/pg.sh start and set SHEQU_TEST_PG")
	}
}

// pgDatabase makes a fresh database on the test cluster, dropped after.
func pgDatabase(t *testing.T) string {
	t.Helper()
	requirePG(t)
	dsn := os.Getenv("SHEQU_TEST_PG")
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("shequ_t%d_%d", os.Getpid(), pgSeq.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	return strings.Replace(dsn, "/postgres?", "/"+name+"?", 1)
}

// world is a server over a store, seeded from a desktop's demo district,
// with an administrator (admin) and a grid worker (grid1) of the first
// grid.
type world struct {
	t     *testing.T
	spec  string
	hub   *hub.Hub
	srv   *replica.Server
	ts    *httptest.Server
	route atomic.Pointer[http.Handler] // what ts serves; tests wrap it
	grid1 string                       // the uid of grid1's grid
	grid2 string                       // another grid of the same community
}

func newWorld(t *testing.T, spec string, residents int) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, quiet)
	admin, err := a.Init(ctx, "admin", pw, true)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, spec: spec}
	if residents > 0 {
		if err := a.Demo(ctx, admin, residents, 1, nil); err != nil {
			t.Fatal(err)
		}
		areas, err := st.Areas(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var grids []model.Area
		for _, ar := range areas {
			if ar.Level == model.LevelGrid {
				grids = append(grids, ar)
			}
		}
		if _, err := a.CreateAccount(ctx, admin, app.AccountInput{Username: "grid1", Password: pw, Role: model.RoleGrid, Areas: []int64{grids[0].ID}}); err != nil {
			t.Fatal(err)
		}
		w.grid1, _ = st.UIDOf(ctx, "area", grids[0].ID)
		if len(grids) > 1 { // 1,800 residents a grid
			w.grid2, _ = st.UIDOf(ctx, "area", grids[1].ID)
		}
	}
	if w.hub, err = hub.Open(ctx, spec); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.hub.Close() })
	if _, err := a.SeedServer(ctx, app.NewServer(w.hub), nil); err != nil {
		t.Fatal(err)
	}
	w.srv = replica.NewServer(w.hub, quiet, app.VerifyPassword)
	w.serve(w.srv.Handler())
	w.ts = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { (*w.route.Load()).ServeHTTP(rw, r) }))
	t.Cleanup(w.ts.Close)
	return w
}

// serve makes the test server answer with h.
func (w *world) serve(h http.Handler) { w.route.Store(&h) }

// desk is a desktop replica.
type desk struct {
	*app.App
	st    *store.Store
	actor *app.Actor
	file  string
}

// replica makes a new desktop replica of the server for user.
func (w *world) replica(user string) *desk {
	w.t.Helper()
	d := w.open(filepath.Join(w.t.TempDir(), user+".db"))
	actor, _, err := d.SyncEnrol(context.Background(), nil, w.ts.URL, "", user, pw, nil)
	if err != nil {
		w.t.Fatalf("enrol %s: %v", user, err)
	}
	d.actor = actor
	return d
}

func (w *world) open(file string) *desk {
	w.t.Helper()
	st, err := store.Open(context.Background(), file)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	return &desk{App: app.New(st, quiet), st: st, file: file}
}

func (d *desk) sync(t *testing.T) app.SyncResult {
	t.Helper()
	res, err := d.SyncRound(context.Background(), d.actor, nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func (d *desk) state(t *testing.T) map[string]map[string]string {
	t.Helper()
	s, err := d.st.SyncedState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (w *world) state() map[string]map[string]string {
	w.t.Helper()
	s, err := w.hub.State(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// same fails when two states differ, naming a few differences.
func same(t *testing.T, what string, got, want map[string]map[string]string) {
	t.Helper()
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, "missing "+k)
		} else if !maps.Equal(g, want[k]) {
			diffs = append(diffs, fmt.Sprintf("%s: %v, want %v", k, g, want[k]))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "extra "+k)
		}
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: %d differences, e.g. %v", what, len(diffs), diffs[:min(5, len(diffs))])
	}
}

// first is a resident the actor sees.
func (d *desk) resident(t *testing.T, i int) model.ResidentRow {
	t.Helper()
	list, err := d.Residents(context.Background(), d.actor, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := list.Page(context.Background(), nil, i+1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) <= i {
		t.Fatalf("only %d residents", len(rows))
	}
	return rows[i]
}

// edit changes a resident through the app, as the form does.
func (d *desk) edit(t *testing.T, id int64, change func(*app.ResidentInput)) {
	t.Helper()
	r, err := d.Resident(context.Background(), d.actor, id)
	if err != nil {
		t.Fatal(err)
	}
	in := app.ResidentInput{ID: id, Name: r.Name, IDNumber: r.IDNumber, Sex: r.Sex, Birth: r.Birth, Phone: r.Phone, Ethnicity: r.Ethnicity,
		Kind: r.Kind, Status: r.Status, Notes: r.Notes, UpdatedAt: r.UpdatedAt}
	change(&in)
	if _, err := d.SaveResident(context.Background(), d.actor, in); err != nil {
		t.Fatalf("save: %v", err)
	}
}

func (d *desk) uid(t *testing.T, id int64) string {
	t.Helper()
	u, err := d.st.UIDOf(context.Background(), "resident", id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (d *desk) idOf(t *testing.T, uid string) int64 {
	t.Helper()
	id, err := d.st.IDOf(context.Background(), "resident", uid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// rawDB opens the server's database beside the hub, to check it.
func rawDB(t *testing.T, spec string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", spec
	if f, ok := strings.CutPrefix(spec, "sqlite:"); ok {
		driver, dsn = "sqlite", f
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
