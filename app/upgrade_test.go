package app_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"shequ/app"
)

// TestRestoreOfAnOlderBackupLeavesNoCopy: a backup made by an older
// program is migrated as it is restored, and the copy a migration leaves
// is not left beside the database (the backup is that copy, sealed).
func TestRestoreOfAnOlderBackupLeavesNoCopy(t *testing.T) {
	// given a backup of a database from before migration 030
	ta := newApp(t)
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+ta.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP INDEX resident_name_key", "ALTER TABLE resident DROP COLUMN name_key", "PRAGMA user_version = 29"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	const phrase = "a long passphrase"
	out := backupOf(t, ta, phrase)

	// when it is restored
	dir := t.TempDir()
	target := filepath.Join(dir, "restored.db")
	if _, err := app.Restore(ctx, out, target, phrase); err != nil {
		t.Fatalf("restore of an older backup: %v", err)
	}

	// then the database is there, migrated, and nothing else of it
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "restored.db" {
			t.Errorf("%s left beside the restored database", e.Name())
		}
	}
	var v int
	db, err := sql.Open("sqlite", "file:"+target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v < 30 {
		t.Errorf("restored database at schema %d (%v), want migrated", v, err)
	}
}
