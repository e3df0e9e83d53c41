package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shequ/app/model"
	"shequ/store"
)

// holdWrite takes the database's write lock from another connection (as
// an import in another window holds it) and gives it back after d.
func holdWrite(t *testing.T, path string, d time.Duration) <-chan struct{} {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES ('held', 'yes') ON CONFLICT(key) DO UPDATE SET value = excluded.value"); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(d)
		conn.ExecContext(ctx, "COMMIT")
		conn.Close()
		db.Close()
	}()
	return done
}

// A second writer waits for the first (SQLite's busy timeout) and goes
// through; past the timeout it is told that another program is writing,
// not that the file is no database. Opening needs no write at all.
func TestSecondWriterWaitsThenIsToldWhy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	first, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	// Opening while another holds the write lock, and writing once it
	// lets go a moment later.
	done := holdWrite(t, path, 1500*time.Millisecond)
	start := time.Now()
	second, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open beside a writer: %v", err)
	}
	defer second.Close()
	if opened := time.Since(start); opened > 500*time.Millisecond {
		t.Errorf("opening took %v: it waited for the other writer", opened)
	}
	if err := second.SetSetting(ctx, noEntry, "k", "v"); err != nil {
		t.Fatalf("write after the other writer finished: %v", err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("wrote after %v, while the other held the lock for 1.5 s", waited)
	}
	<-done

	// A writer holding on longer than the timeout.
	done = holdWrite(t, path, store.BusyTimeout+2*time.Second)
	err = second.SetSetting(ctx, noEntry, "k", "w")
	<-done
	if !errors.Is(err, model.ErrBusy) {
		t.Fatalf("write beside a long writer: %v, want model.ErrBusy", err)
	}
	if strings.Contains(err.Error(), "not a Shequ") {
		t.Errorf("busy said as a bad database: %v", err)
	}
}

// A database whose schema version is beyond this program's (written by a
// newer Shequ) is refused, naming both versions, and left as it was.
func TestNewerDatabaseRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newer.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err = store.Open(ctx, path)
	if err == nil {
		st.Close()
		t.Fatal("a newer database was opened")
	}
	var newer *model.NewerSchemaError
	if !errors.As(err, &newer) || newer.Have != 9999 || newer.Know < 25 || newer.Know >= 9999 {
		t.Fatalf("err = %v, want a NewerSchemaError naming 9999 and this program's version", err)
	}
	db, _ = sql.Open("sqlite", "file:"+path)
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 9999 {
		t.Errorf("user_version now %d, %v", v, err)
	}
}
