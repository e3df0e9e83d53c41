package store_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"shequ/app/outfile"
	"shequ/store"
)

// TestOpenCopiesAnOlderDatabaseBeforeMigrating: a newer program opening
// an older office's database leaves the database as it was beside it,
// then migrates; opening again, or a new database, makes no other copy.
func TestOpenCopiesAnOlderDatabaseBeforeMigrating(t *testing.T) {
	// given an office's database from before the last migration
	ctx := context.Background()
	latest := latestMigration(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "shequ.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	if _, err := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2020-01-01"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	asBeforeLastMigration(t, file)
	if baks, _ := filepath.Glob(filepath.Join(dir, "*.bak")); len(baks) != 0 {
		t.Fatalf("copies before the upgrade: %v", baks)
	}

	// when the newer program opens it
	st, err = store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	// then the copy beside it is the database as it was, the owner's
	// alone, and the database itself is migrated
	bak := store.BeforeMigrating(file, latest-1)
	fi, err := os.Stat(bak)
	if err != nil {
		t.Fatalf("no copy before migrating: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != outfile.Mode {
		t.Errorf("copy mode %v, want %v", fi.Mode().Perm(), outfile.Mode)
	}
	old := rawDB(t, bak)
	if got := userVersion(t, old); got != latest-1 {
		t.Errorf("copy at schema %d, want %d", got, latest-1)
	}
	var n int
	if err := old.QueryRow("SELECT count(*) FROM resident").Scan(&n); err != nil || n != 1 {
		t.Errorf("copy has %d residents (%v), want 1", n, err)
	}
	if got := userVersion(t, rawDB(t, file)); got != latest {
		t.Errorf("database at schema %d, want %d", got, latest)
	}

	// and neither opening it again nor a new database copies anything
	st, err = store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = store.Open(ctx, filepath.Join(dir, "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if baks, _ := filepath.Glob(filepath.Join(dir, "*.bak")); len(baks) != 1 {
		t.Errorf("copies: %v, want only %s", baks, bak)
	}
}
