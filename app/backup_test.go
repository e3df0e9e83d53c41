package app_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
)

func TestBackupThenRestoreGivesTheSameDatabase(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, backupResidents, 31)
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "shequ.backup")
	const phrase = "德源社区备份口令"

	if err := ta.Backup(ctx, ta.admin, out, phrase); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out)
	if len(raw) < 1000 || string(raw[:8]) != "SHEQUBK2" {
		t.Fatalf("backup file: %d bytes", len(raw))
	}

	// a wrong passphrase is said, and nothing is made
	target := filepath.Join(dir, "restored.db")
	if _, err := app.Restore(ctx, out, target, "not the phrase"); !errors.Is(err, app.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("a wrong passphrase left a database behind")
	}
	// a cut-off backup does not open
	cut := filepath.Join(dir, "cut.backup")
	os.WriteFile(cut, raw[:len(raw)/2], 0o600)
	if _, err := app.Restore(ctx, cut, target, phrase); !errors.Is(err, app.ErrPassphrase) {
		t.Fatalf("cut-off backup: %v", err)
	}

	// the right one restores the same residents, with a whole audit trail
	n, err := app.Restore(ctx, out, target, phrase)
	if err != nil {
		t.Fatal(err)
	}
	if n != backupResidents {
		t.Errorf("restored %d residents, want %d", n, backupResidents)
	}
	back, err := openExisting(target)
	if err != nil {
		t.Fatal(err)
	}
	defer back.st.Close()
	actor, err := back.Login(ctx, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []app.ListFilter{{}, {Search: "王"}, {Sort: model.SortAge}} {
		l1, _ := ta.Residents(ctx, ta.admin, f)
		l2, _ := back.Residents(ctx, actor, f)
		n1, _ := l1.Count(ctx)
		n2, _ := l2.Count(ctx)
		if n1 != n2 {
			t.Errorf("filter %+v: %d residents before, %d after", f, n1, n2)
		}
	}
	if integrity, v, err := back.Check(ctx); err != nil || integrity != "ok" || !v.Whole() {
		t.Errorf("check after restore: %q, audit %+v, %v", integrity, v, err)
	}
	// and never over an existing database
	if _, err := app.Restore(ctx, out, target, phrase); problemKeys(t, err)["db"] != "err.restore.exists" {
		t.Errorf("restore over a database: %v", err)
	}
	// only an administrator backs up
	if err := ta.Backup(ctx, &app.Actor{Account: model.Account{Role: model.RoleWorker}}, out+"2", phrase); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a worker made a backup: %v", err)
	}
}

func TestABackupIsDueAfterAWeek(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	if due, _, err := ta.BackupDue(ctx, ta.admin); err != nil || due {
		t.Fatalf("a new database is due for a backup: %v %v", due, err)
	}
	old := time.Now().Add(-8 * 24 * time.Hour).UTC().Format(time.RFC3339)
	if err := ta.st.SetSetting(ctx, noEntry, "last_backup", old); err != nil {
		t.Fatal(err)
	}
	due, last, err := ta.BackupDue(ctx, ta.admin)
	if err != nil || !due || last.IsZero() {
		t.Fatalf("eight days after a backup: due %v, last %v, %v", due, last, err)
	}
	if err := ta.Backup(ctx, ta.admin, filepath.Join(t.TempDir(), "b.backup"), "a long passphrase"); err != nil {
		t.Fatal(err)
	}
	if due, _, _ := ta.BackupDue(ctx, ta.admin); due {
		t.Error("due right after a backup")
	}
}

// TestARestoredBackupCarriesItsAuditHead: restored on another computer
// (another key folder), the copy verifies, and cutting its newest entries
// is found there as it would be on the first.
func TestARestoredBackupCarriesItsAuditHead(t *testing.T) {
	t.Setenv(store.KeyDirEnv, t.TempDir())
	ta := newDemoApp(t, 50, 32)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "shequ.backup")
	const phrase = "a long passphrase"
	for range 3 {
		ta.Login(ctx, "admin", "wrong")
	}
	if err := ta.Backup(ctx, ta.admin, out, phrase); err != nil {
		t.Fatal(err)
	}

	t.Setenv(store.KeyDirEnv, t.TempDir())
	target := filepath.Join(t.TempDir(), "restored.db")
	if _, err := app.Restore(ctx, out, target, phrase); err != nil {
		t.Fatal(err)
	}
	back, err := openExisting(target)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := back.VerifyAudit(ctx); err != nil || !v.Whole() {
		t.Fatalf("restored trail: %+v %v", v, err)
	}
	back.st.Close()
	raw, err := sql.Open("sqlite", "file:"+target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id > (SELECT max(id) - 2 FROM audit);
		CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'no'); END`); err != nil {
		t.Fatal(err)
	}
	back, err = openExisting(target)
	if err != nil {
		t.Fatal(err)
	}
	defer back.st.Close()
	if v, err := back.VerifyAudit(ctx); err != nil || v.Missing != 2 {
		t.Fatalf("restored trail cut by 2: %+v %v", v, err)
	}
	// and a backup of a trail so cut is refused: its copy would verify
	if err := back.Backup(ctx, &app.Actor{Account: model.Account{Username: "admin", Role: model.RoleAdmin}}, out+"2", phrase); problemKeys(t, err)["audit"] != "audit.verify.missing" {
		t.Fatalf("backup of a cut trail: %v", err)
	}
}
