package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// sharedDir holds the package's shared read-only fixture (see sharedList).
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shequ-store-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	if fixture != nil {
		fixture.st.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// openStore opens a fresh database file under t.TempDir(), closed when the
// test ends.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "shequ.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// noEntry is the audit note of a test's writes that the test does not
// read the trail of: an entry without an action is not written.
func noEntry(int64, []string) model.AuditEntry { return model.AuditEntry{} }

// rawDB opens the store's file through the driver, for what the store's API
// does not show (PRAGMA user_version, the schema, residence end reasons).
func rawDB(t testing.TB, file string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// places is a small place tree: one street, one community with two grids,
// one compound with one building of one unit, houses 101 and 102 in grid A
// and 201 in grid B.
type places struct {
	Street, Community, GridA, GridB int64
	Compound, Building, Unit        int64
	H101, H102, H201                int64
}

func makePlaces(t *testing.T, st *store.Store, account int64) places {
	t.Helper()
	ctx := context.Background()
	var p places
	var err error
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	p.Street = must(st.CreateArea(ctx, noEntry, account, model.Area{Level: model.LevelStreet, Name: "德源街道"}))
	p.Community = must(st.CreateArea(ctx, noEntry, account, model.Area{ParentID: p.Street, Level: model.LevelCommunity, Name: "红旗社区"}))
	p.GridA = must(st.CreateArea(ctx, noEntry, account, model.Area{ParentID: p.Community, Level: model.LevelGrid, Name: "第1网格"}))
	p.GridB = must(st.CreateArea(ctx, noEntry, account, model.Area{ParentID: p.Community, Level: model.LevelGrid, Name: "第2网格"}))
	p.Compound = must(st.CreateCompound(ctx, noEntry, account, model.Compound{CommunityID: p.Community, Name: "锦绣花园"}))
	p.Building = must(st.CreateBuilding(ctx, noEntry, account, model.Building{CompoundID: p.Compound, Name: "3"}))
	p.Unit = must(st.CreateUnit(ctx, noEntry, account, model.Unit{BuildingID: p.Building, Name: "2"}))
	p.H101 = must(st.CreateHouse(ctx, noEntry, account, model.House{UnitID: p.Unit, Room: "101", GridID: p.GridA}))
	p.H102 = must(st.CreateHouse(ctx, noEntry, account, model.House{UnitID: p.Unit, Room: "102", GridID: p.GridA}))
	p.H201, err = st.CreateHouse(ctx, noEntry, account, model.House{UnitID: p.Unit, Room: "201", GridID: p.GridB})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// makeAccount inserts an account; the store keeps the hash as given, so no
// real hashing is needed here.
func makeAccount(t *testing.T, st *store.Store, name string) int64 {
	t.Helper()
	id, err := st.CreateAccount(context.Background(), noEntry, model.Account{Username: name, PasswordHash: "not-a-hash", Role: model.RoleWorker})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// latestMigration is the number of the last migration file.
func latestMigration(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no migrations")
	}
	last := entries[len(entries)-1].Name()
	n := 0
	for _, c := range strings.SplitN(last, "_", 2)[0] {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestOpenAppliesMigrationsOnAFreshFile(t *testing.T) {
	// given a file that does not exist yet
	file := filepath.Join(t.TempDir(), "fresh.db")

	// when it is opened
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// then the schema is at the last migration, with its tables and indexes
	db := rawDB(t, file)
	if got, want := userVersion(t, db), latestMigration(t); got != want || want < 2 {
		t.Errorf("user_version = %d, want %d (>= 2)", got, want)
	}
	for _, name := range []string{"account", "area", "account_area", "compound", "building", "unit", "house",
		"resident", "residence", "resident_gram", "history", "setting", "resident_id_number_unique", "resident_name_key"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = ?", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("schema object %s: found %d", name, n)
		}
	}
	if st.Path() != file {
		t.Errorf("Path() = %q, want %q", st.Path(), file)
	}
}

func TestOpenIsIdempotentAndKeepsData(t *testing.T) {
	// given a database with a setting and a resident
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "shequ.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, noEntry, "office", "红旗社区"); err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "王小明", Kind: model.KindRegistered, Status: model.StatusPresent}, "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	// when it is opened again, twice
	for i := 0; i < 2; i++ {
		st, err = store.Open(ctx, file)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		st.Close()
	}

	// then the version is unchanged and the data is still there
	st, err = store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, want := userVersion(t, rawDB(t, file)), latestMigration(t); got != want {
		t.Errorf("user_version after reopen = %d, want %d", got, want)
	}
	if v, err := st.Setting(ctx, "office"); err != nil || v != "红旗社区" {
		t.Errorf("Setting = %q, %v", v, err)
	}
	if r, err := st.Resident(ctx, id); err != nil || r.Name != "王小明" {
		t.Errorf("Resident = %+v, %v", r, err)
	}
}

// asBeforeLastMigration makes the closed database file as it was before
// the last migration: the objects that migration creates dropped and the
// version put back. It returns those objects.
func asBeforeLastMigration(t *testing.T, file string) []schemaObject {
	t.Helper()
	// (a migration that only adds rows, like 008's search keys, is run
	// again as it is: it must be idempotent, and the earlier migrations
	// would still fail if they ran)
	latest := latestMigration(t)
	objects := createdBy(t, latest)
	db := rawDB(t, file)
	defer db.Close()
	for _, o := range objects {
		undo := "DROP " + o.kind + " " + o.name
		if o.kind == "COLUMN" { // name is table.column
			table, col, _ := strings.Cut(o.name, ".")
			undo = "ALTER TABLE " + table + " DROP COLUMN " + col
		}
		if _, err := db.Exec(undo); err != nil {
			t.Fatalf("undo %s %s: %v", o.kind, o.name, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", latest-1)); err != nil {
		t.Fatal(err)
	}
	return objects
}

func TestOpenAppliesOnlyMissingMigrations(t *testing.T) {
	// given a database as it was before the last migration: the objects
	// that migration creates dropped and the version put back
	ctx := context.Background()
	latest := latestMigration(t)
	file := filepath.Join(t.TempDir(), "old.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	objects := asBeforeLastMigration(t, file)

	// when it is opened
	st, err = store.Open(ctx, file)
	if err != nil {
		t.Fatalf("open at version %d: %v", latest-1, err)
	}
	defer st.Close()

	// then the last migration ran again, and only it (the earlier ones
	// would fail on the tables that exist)
	db := rawDB(t, file)
	if got := userVersion(t, db); got != latest {
		t.Errorf("user_version = %d, want %d", got, latest)
	}
	for _, o := range objects {
		var n int
		if table, col, ok := strings.Cut(o.name, "."); ok && o.kind == "COLUMN" {
			db.QueryRow("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, col).Scan(&n)
		} else {
			db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = ?", o.name).Scan(&n)
		}
		if n != 1 {
			t.Errorf("%s %s not recreated", o.kind, o.name)
		}
	}
}

type schemaObject struct{ kind, name string }

// createdBy lists the tables, indexes and triggers a migration creates.
func createdBy(t *testing.T, n int) []schemaObject {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?im)^\s*CREATE\s+(?:UNIQUE\s+)?(TABLE|INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)`)
	added := regexp.MustCompile(`(?im)^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)`)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), fmt.Sprintf("%03d_", n)) {
			continue
		}
		text, err := os.ReadFile(filepath.Join("migrations", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var out []schemaObject
		// triggers and indexes first, so that dropping a table does not
		// take them along before they are dropped by name
		for _, kind := range []string{"TRIGGER", "INDEX", "TABLE"} {
			for _, m := range re.FindAllStringSubmatch(string(text), -1) {
				if strings.ToUpper(m[1]) == kind {
					out = append(out, schemaObject{kind, m[2]})
				}
			}
		}
		for _, m := range added.FindAllStringSubmatch(string(text), -1) {
			out = append(out, schemaObject{"COLUMN", m[1] + "." + m[2]})
		}
		return out
	}
	t.Fatalf("no migration %d", n)
	return nil
}

func TestOpenRefusesAFileThatIsNotADatabase(t *testing.T) {
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte(strings.Repeat("这不是数据库。", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), file)
	if err == nil {
		st.Close()
		t.Fatal("Open of a text file succeeded")
	}
}

func TestSettings(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if v, err := st.Setting(ctx, "missing"); err != nil || v != "" {
		t.Errorf("unset setting = %q, %v; want \"\", nil", v, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := st.SetSetting(ctx, noEntry, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Setting(ctx, "k"); err != nil || got != v {
			t.Errorf("Setting after SetSetting(%q) = %q, %v", v, got, err)
		}
	}
}

func TestAccounts(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)

	if n, err := st.CountAccounts(ctx); err != nil || n != 0 {
		t.Fatalf("CountAccounts on a fresh file = %d, %v", n, err)
	}
	id, err := st.CreateAccount(ctx, noEntry, model.Account{Username: "Li", DisplayName: "李网格", PasswordHash: "h", Role: model.RoleGrid, AreaIDs: []int64{p.GridA, p.GridB}})
	if err != nil {
		t.Fatal(err)
	}

	// the user name is found whatever its case, with its areas
	a, err := st.AccountByName(ctx, "li")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != id || a.Username != "Li" || a.DisplayName != "李网格" || a.PasswordHash != "h" || a.Role != model.RoleGrid || a.Disabled {
		t.Errorf("AccountByName = %+v", a)
	}
	if len(a.AreaIDs) != 2 || !(a.AreaIDs[0] == p.GridA && a.AreaIDs[1] == p.GridB || a.AreaIDs[0] == p.GridB && a.AreaIDs[1] == p.GridA) {
		t.Errorf("AreaIDs = %v, want %d and %d", a.AreaIDs, p.GridA, p.GridB)
	}

	// a second account with the same name (any case) is a conflict
	if _, err := st.CreateAccount(ctx, noEntry, model.Account{Username: "LI", PasswordHash: "h", Role: model.RoleWorker}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("duplicate user name: err = %v, want ErrConflict", err)
	}
	if _, err := st.AccountByName(ctx, "nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown user: err = %v, want ErrNotFound", err)
	}
	if n, _ := st.CountAccounts(ctx); n != 1 {
		t.Errorf("CountAccounts = %d, want 1", n)
	}
}
