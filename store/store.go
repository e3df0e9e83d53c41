// Package store is the only place with SQL: the SQLite database of one
// office, its migrations, queries and transactions.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"shequ/app/model"
	"shequ/app/outfile"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is an open database: one writer connection, so writes never
// contend, and a pool of readers that WAL lets run beside it.
type Store struct {
	path string
	w    *sql.DB
	r    *sql.DB
	akey auditKey
}

// pageSize is a new database's page size: 8 KiB pages load a ledger of
// 500,000 rows in 15.5 s rather than 17.5 s with SQLite's 4 KiB (medians
// of two; 16 KiB gained no more). It is fixed when the file is made.
const pageSize = 8192

// create makes an empty database file with its page size, which has to be
// set before the file turns to WAL (the driver applies the DSN's
// journal_mode first, so it is set here by itself).
func create(file string) error {
	// The file is made first, the owner's alone; SQLite keeps its mode
	// and gives it to the -wal and -shm.
	f, err := outfile.New(file)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", file, err)
	}
	f.Close()
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=page_size(%d)", file, pageSize))
	if err != nil {
		return fmt.Errorf("store: create %s: %w", file, err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("store: create %s: %w", file, err)
	}
	return nil
}

// Open opens (creating if needed) the database file and brings its schema
// up to date.
func Open(ctx context.Context, file string) (*Store, error) {
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		if err := create(file); err != nil {
			return nil, err
		}
	}
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()),
			"synchronous(NORMAL)", "cache_size(-65536)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		if extra != "" {
			q.Add("_pragma", extra)
		}
		q.Set("_txlock", "immediate")
		return "file:" + file + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	// Readers map the file (up to 1 GiB) instead of a read call per page
	// missed: 130 → 76 ms for a pyramid of 42,000 residents read by id
	// among 1.5 million. The pages are the file's, shared and dropped
	// under pressure, not the program's own memory.
	r, err := sql.Open("sqlite", dsn("query_only(1)")+fmt.Sprintf("&_pragma=mmap_size(%d)", readerMap))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s := &Store{path: file, w: w, r: r}
	had, err := s.migrate(ctx)
	if err != nil {
		s.Close()
		return nil, mapErr(err)
	}
	if err := s.ensureSyncTriggers(ctx); err != nil {
		s.Close()
		return nil, mapErr(err)
	}
	// A first pull cut short left the residents without their indexes.
	if err := s.FinishFirstPull(ctx); err != nil {
		s.Close()
		return nil, mapErr(err)
	}
	if err := s.openAudit(ctx, had); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// BusyTimeout is how long a write waits for another program's (an import
// in another window holds the lock for its whole run); then it fails with
// model.ErrBusy. The driver sets it first on every connection.
const BusyTimeout = 10 * time.Second

// readerMap is how much of the file a reader maps.
const readerMap = 1 << 30

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes both pools.
func (s *Store) Close() error {
	var head error
	s.akey.mu.Lock()
	if s.akey.headF != nil {
		head, s.akey.headF = s.akey.headF.Close(), nil
	}
	s.akey.mu.Unlock()
	return errors.Join(s.r.Close(), s.w.Close(), head)
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction (with its step in Go, if it has one), recording the version
// with PRAGMA user_version; it returns the version the file had (0: a new
// file).
func (s *Store) migrate(ctx context.Context) (int, error) {
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var have int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	// A newer program's database is left alone: this one would write it
	// without the newer columns, rules and triggers.
	know, _ := strconv.Atoi(strings.SplitN(entries[len(entries)-1].Name(), "_", 2)[0])
	if have > know {
		return have, &model.NewerSchemaError{Path: s.path, Have: have, Know: know}
	}
	if have > 0 && have < know {
		if err := s.copyBeforeMigrating(ctx, have); err != nil {
			return 0, err
		}
	}
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return 0, fmt.Errorf("store: migration %s: bad name", e.Name())
		}
		if n <= have {
			continue
		}
		text, err := migrations.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return 0, err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(text)); err != nil {
				return err
			}
			if step := migrationSteps[n]; step != nil {
				if err := step(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n))
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("store: migration %s: %w", e.Name(), err)
		}
	}
	return have, nil
}

// BeforeMigrating is the copy an older database leaves beside itself
// before a newer program migrates it: shequ.db at schema 27 keeps
// shequ.db.schema27.bak, which the program that wrote it opens as it was.
func BeforeMigrating(file string, schema int) string {
	return fmt.Sprintf("%s.schema%d.bak", file, schema)
}

// RemoveCopiesBeforeMigrating removes the copies Open left beside file
// before migrating it, for a file that is itself a copy: a backup being
// restored is its own copy from before.
func RemoveCopiesBeforeMigrating(file string) {
	dir, base := filepath.Dir(file), filepath.Base(file)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if rest, ok := strings.CutPrefix(e.Name(), base+".schema"); ok && strings.HasSuffix(rest, ".bak") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// copyBeforeMigrating copies the database as it is (schema have) beside
// itself before the first migration touches it: an upgrade that goes
// wrong, or a program put back, still has the office's data. A copy left
// by an earlier try at the same schema is kept; without room for a copy
// the database is not migrated.
func (s *Store) copyBeforeMigrating(ctx context.Context, have int) error {
	name := BeforeMigrating(s.path, have)
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	// VACUUM INTO writes into an empty file: made first, the owner's alone.
	f, err := outfile.Create(name)
	if err != nil {
		return fmt.Errorf("store: copy before migrating: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", f.Name()); err != nil {
		f.Abort()
		return fmt.Errorf("store: copy before migrating to %s: %w", name, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("store: copy before migrating to %s: %w", name, err)
	}
	return nil
}

// tx runs fn in a write transaction (BEGIN IMMEDIATE through _txlock).
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err)
	}
	s.saveHead(ctx)
	return nil
}

// mapErr turns driver errors into the model's sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %v", model.ErrNotFound, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %v", model.ErrBusy, err)
		}
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", model.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %v", model.ErrNotFound, err)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %v", model.ErrInvalid, err)
		}
	}
	return err
}

// newUID returns a time-ordered globally unique id for a syncable row.
func newUID() []byte {
	u := uuid.Must(uuid.NewV7())
	return u[:]
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// Analyze refreshes the planner's statistics; call after bulk loads. It
// samples each index (analysis_limit) rather than reading it whole: the
// planner needs proportions, and a full pass over a district costs a
// minute.
func (s *Store) Analyze(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE")
	return err
}

// Setting reads a setting; "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM setting WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting writes a setting.
func (s *Store) SetSetting(ctx context.Context, note AuditNote, key, value string) error {
	return s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
		return err
	})
}

// CopyTo writes a consistent copy of the database to a new file while it
// stays readable (VACUUM INTO, on the writer: the read pool is query-only,
// and writes wait the seconds the copy takes). It returns the audit key
// and the copy's head, for a backup to carry.
func (s *Store) CopyTo(ctx context.Context, file string) (AuditSeal, error) {
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
		return AuditSeal{}, fmt.Errorf("store: copy to %s: %w", file, err)
	}
	return s.sealOf(ctx, file)
}

// CountAll counts every resident, whatever their grid.
func (s *Store) CountAll(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM resident").Scan(&n)
	return n, err
}
