package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

// backupOf backs up a small database into a folder of its own.
func backupOf(t *testing.T, ta *testApp, phrase string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "shequ.backup")
	if err := ta.Backup(context.Background(), ta.admin, out, phrase); err != nil {
		t.Fatal(err)
	}
	return out
}

// A crashed writer of a database moved away leaves its -wal and -shm;
// restoring under that name would replay the old WAL onto the restored
// file. The restore is refused, saying what to do, and nothing is made.
func TestRestoreRefusedBesideAStaleWAL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const phrase = "德源社区备份口令"
	out := backupOf(t, newDemoApp(t, 300, 5), phrase)

	// Another database, open and written to: its WAL holds pages.
	other := newApp(t)
	for i := range 50 {
		if err := other.st.SetSetting(ctx, noEntry, "k", strings.Repeat("x", i*100)); err != nil {
			t.Fatal(err)
		}
	}
	wal, err := os.ReadFile(other.DBPath() + "-wal")
	if err != nil || len(wal) <= 32 {
		t.Fatalf("the other database's WAL: %d bytes, %v", len(wal), err)
	}
	shm, _ := os.ReadFile(other.DBPath() + "-shm")
	target := filepath.Join(t.TempDir(), "restored.db")
	os.WriteFile(target+"-wal", wal, 0o600)
	os.WriteFile(target+"-shm", shm, 0o600)

	_, err = app.Restore(ctx, out, target, phrase)
	if err == nil {
		// Before: reported as restored, and the old WAL replayed onto the
		// file (here a whole other database: 0 residents where 300 were
		// backed up; a partial WAL leaves a malformed file).
		count, integrity := -1, "(not opened)"
		if back, err := openExisting(target); err == nil {
			count, _ = back.st.CountAll(ctx)
			integrity, _, _ = back.Check(ctx)
			back.st.Close()
		}
		t.Fatalf("restore beside a stale WAL reported success; the file has %d residents of 300, checks %q", count, integrity)
	}
	if problemKeys(t, err)["db"] != "err.restore.leftover" {
		t.Fatalf("restore beside a stale WAL: %v, want err.restore.leftover", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a database was made beside the stale WAL")
	}
	if got, _ := os.ReadFile(target + "-wal"); !bytes.Equal(got, wal) {
		t.Error("the stale WAL was changed; it may be all that is left of the other database's last writes")
	}
	// Moved away, the restore goes through and the file is sound.
	os.Remove(target + "-wal")
	os.Remove(target + "-shm")
	if _, err := app.Restore(ctx, out, target, phrase); err != nil {
		t.Fatal(err)
	}
	back, err := openExisting(target)
	if err != nil {
		t.Fatal(err)
	}
	defer back.st.Close()
	if integrity, v, err := back.Check(ctx); err != nil || integrity != "ok" || !v.Whole() {
		t.Errorf("check after restore: %q, audit %+v, %v", integrity, v, err)
	}
}

// An X.db.restoring left by an earlier restore is someone's file: refused,
// not truncated.
func TestRestoreKeepsALeftoverPartialFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const phrase = "德源社区备份口令"
	out := backupOf(t, newApp(t), phrase)
	target := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(target+".restoring", []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := app.Restore(ctx, out, target, phrase)
	if err == nil || problemKeys(t, err)["db"] != "err.restore.leftover" {
		t.Errorf("restore beside a .restoring: %v, want err.restore.leftover", err)
	}
	if got, _ := os.ReadFile(target + ".restoring"); string(got) != "keep me" {
		t.Errorf("the .restoring file now holds %d bytes", len(got))
	}
}

// The unencrypted working copy of a backup is made beside the database,
// never in the backup's folder (a USB stick keeps deleted files), and
// nothing but the backup is left there.
func TestBackupWorkingCopyBesideTheDatabase(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	stick := t.TempDir()
	out := filepath.Join(stick, "shequ.backup")
	seen := map[string]bool{}
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			entries, _ := os.ReadDir(stick)
			mu.Lock()
			for _, e := range entries {
				seen[e.Name()] = true
			}
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	err := ta.Backup(ctx, ta.admin, out, "a long passphrase")
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	for name := range seen {
		// the encrypted file itself, and its partial file before the rename
		if name != "shequ.backup" && !strings.HasPrefix(name, ".shequ.backup.") {
			t.Errorf("%s was made in the backup's folder", name)
		}
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v", fi, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(ta.DBPath()))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".shequ-backup-") {
			t.Errorf("%s left beside the database", e.Name())
		}
	}
}

// A backup pointed at the database file itself is refused; the database
// is untouched.
func TestBackupOverTheDatabaseRefused(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	db := ta.DBPath()
	before, _ := os.ReadFile(db)
	link := filepath.Join(t.TempDir(), "link.backup")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{db, link, filepath.Join(filepath.Dir(db), ".", filepath.Base(db))} {
		if err := ta.Backup(ctx, ta.admin, out, "a long passphrase"); err == nil {
			t.Fatalf("backup to %s (the database) succeeded", out)
		}
	}
	f, _ := os.Open(db)
	head := make([]byte, 16)
	io.ReadFull(f, head)
	f.Close()
	if string(head) != "SQLite format 3\x00" || len(before) == 0 {
		t.Fatalf("the database was overwritten: %q", head)
	}
}

// A backup of a newer program's database is said to be one, not a wrong
// passphrase, and nothing is made.
func TestRestoreOfANewerBackupSaid(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+ta.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	const phrase = "a long passphrase"
	out := backupOf(t, ta, phrase)
	target := filepath.Join(t.TempDir(), "restored.db")
	_, err = app.Restore(ctx, out, target, phrase)
	var newer *model.NewerSchemaError
	if !errors.As(err, &newer) || newer.Have != 9999 {
		t.Fatalf("restore of a newer backup: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a database was made")
	}
}
