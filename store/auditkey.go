package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"shequ/app/model"
)

// The audit chain is keyed and its head kept outside the database file,
// so that whoever holds only the file can neither recompute the chain
// after an edit nor cut its end off unnoticed. In KeyDir:
//
//	<key id>.key   32 random bytes, hex (0600)
//	<head id>.head the newest entry's id and hash, the key id and the
//	               file's path (0600)
//
// Both ids are random and kept in the file (table audit_key): a database
// moved to another folder finds its key; on another computer it has none
// until the key file is copied or the database comes back through a
// backup, which carries key and head. A restored copy gets a head of its
// own, so that it and the database it was made from do not tell on each
// other when both are in use.

// KeyDirEnv names the folder of the audit keys when set (an office that
// keeps them elsewhere; tests).
const KeyDirEnv = "SHEQU_KEY_DIR"

// KeyDir is the folder of the audit keys and heads: $SHEQU_KEY_DIR, else
// <the user's config folder>/shequ/keys. A test binary without the
// variable uses a folder under the temporary one, never the real home.
func KeyDir() (string, error) {
	if d := os.Getenv(KeyDirEnv); d != "" {
		return d, nil
	}
	if testing.Testing() {
		return filepath.Join(os.TempDir(), "shequ-test-keys"), nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("store: no folder for the audit key (%v); set %s", err, KeyDirEnv)
	}
	return filepath.Join(base, "shequ", "keys"), nil
}

// ErrNoAuditKey is a database whose audit key is not on this computer:
// nothing can be added to its trail, nor the trail checked.
var ErrNoAuditKey = errors.New("store: this database's audit key is not on this computer")

// auditGenesisV2 is the "previous hash" of the first entry of a keyed chain.
const auditGenesisV2 = "shequ-audit-v2"

// auditSystem is the account of the entries the program itself writes.
const auditSystem = "(shequ)"

// auditKey is the open database's key and where its files are.
type auditKey struct {
	dir, id string // id: the key's
	headID  string
	key     []byte // nil: not on this computer (problem says why)
	problem string
	dirty   atomic.Bool // an entry was appended since the head was written
	mu      sync.Mutex  // head writes
	headF   *os.File    // the head file, open once written
}

func (k *auditKey) keyFile() string  { return filepath.Join(k.dir, k.id+".key") }
func (k *auditKey) headFile() string { return filepath.Join(k.dir, k.headID+".head") }

// hash chains an entry to the one before it under the key.
func (k *auditKey) hash(prev string, e model.AuditEntry, at string) string {
	h := hmac.New(sha256.New, k.key)
	for _, part := range []string{prev, strconv.FormatInt(e.ID, 10), at, e.Account, e.Action, e.Target, e.Detail} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// anchorMAC proves a purge wrote the anchor.
func (k *auditKey) anchorMAC(lastID int64, hash string) string {
	h := hmac.New(sha256.New, k.key)
	h.Write([]byte("anchor\x00" + strconv.FormatInt(lastID, 10) + "\x00" + hash))
	return hex.EncodeToString(h.Sum(nil))
}

// AuditHead is the newest entry of a trail, as kept outside the database.
type AuditHead struct {
	LastID int64  `json:"last_id"`
	Hash   string `json:"hash"`
	KeyID  string `json:"key_id"`
	DB     string `json:"db"` // the database file it was last written for
}

// AuditSeal is what a backup carries besides the database, so that the
// restored copy verifies on any computer: the key and the head.
type AuditSeal struct {
	KeyID string    `json:"key_id"`
	Key   string    `json:"key"`
	Head  AuditHead `json:"head"`
}

// readHead reads a head file: its first JSON value (what follows is the
// padding of an in-place write).
func readHead(file string) (AuditHead, bool, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return AuditHead{}, false, nil
	}
	if err != nil {
		return AuditHead{}, false, err
	}
	h, err := parseHead(b)
	if err != nil {
		return AuditHead{}, false, fmt.Errorf("store: audit head %s: %w", file, err)
	}
	return h, true, nil
}

func parseHead(b []byte) (AuditHead, error) {
	var h AuditHead
	err := json.NewDecoder(bytes.NewReader(b)).Decode(&h)
	return h, err
}

// headRecord is what one write of a head covers, padded with spaces: one
// disk sector for any usual path, so the write is whole or not made.
const headRecord = 512

// writePrivate replaces file with data, readable by the user only
// (CreateTemp makes it 0600), whole or not at all.
func writePrivate(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-")
	if errors.Is(err, os.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(file), 0o700); err == nil {
			tmp, err = os.CreateTemp(filepath.Dir(file), ".tmp-")
		}
	}
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// writeHead records the trail's newest entry beside the key. It only moves
// forward, unless force (a new key, which alone makes the file): a writer
// that read an older head than another's never sets it back. The file stays open and is rewritten in
// place by one write (a new file and a rename per audited action cost
// four times the append itself).
func (s *Store) writeHead(last int64, hash string, force bool) error {
	k := &s.akey
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.headF == nil {
		// Only a new key makes the file: a head missing later (or a head
		// id changed in the database) is reported by VerifyAudit, never
		// made up again from what the database now holds.
		flag := os.O_RDWR
		if force {
			flag |= os.O_CREATE
			if err := os.MkdirAll(k.dir, 0o700); err != nil {
				return err
			}
		}
		f, err := os.OpenFile(k.headFile(), flag, 0o600)
		if err != nil {
			return err
		}
		k.headF = f
	}
	if !force {
		buf := make([]byte, headRecord)
		n, _ := k.headF.ReadAt(buf, 0)
		if old, err := parseHead(buf[:n]); err == nil && old.LastID >= last {
			return nil
		}
	}
	b, _ := json.Marshal(AuditHead{LastID: last, Hash: hash, KeyID: k.id, DB: s.absPath()})
	b = append(b, '\n')
	if len(b) < headRecord {
		b = append(b, bytes.Repeat([]byte{' '}, headRecord-len(b))...)
	}
	_, err := k.headF.WriteAt(b, 0)
	return err
}

func (s *Store) absPath() string {
	if p, err := filepath.Abs(s.path); err == nil {
		return p
	}
	return s.path
}

// chainHead is the trail's newest entry, or its anchor when every entry
// was archived away (0 and the genesis when none).
func chainHead(ctx context.Context, q querier) (int64, string, error) {
	var last int64
	var hash string
	err := q.QueryRowContext(ctx, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").Scan(&last, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_anchor WHERE id = 1").Scan(&last, &hash)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, auditGenesisV2, nil
	}
	return last, hash, err
}

// saveHead writes the head after a commit that appended entries.
func (s *Store) saveHead(ctx context.Context) {
	if !s.akey.dirty.Swap(false) || s.akey.key == nil {
		return
	}
	last, hash, err := chainHead(ctx, s.w)
	if err == nil {
		err = s.writeHead(last, hash, false)
	}
	if err != nil {
		// The trail itself is written; the next append tries again.
		s.akey.dirty.Store(true)
	}
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// guards are the triggers that keep the trail append-only through SQL.
var guards = []struct{ name, sql string }{
	{"audit_append_only_delete", `CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN
				SELECT RAISE(ABORT, 'the audit log is append-only');
			END`},
	{"audit_append_only_update", `CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN
				SELECT RAISE(ABORT, 'the audit log is append-only');
			END`},
}

func guardSQL(name string) string {
	for _, g := range guards {
		if g.name == name {
			return g.sql
		}
	}
	panic("store: no guard " + name)
}

// openAudit makes the trail trustworthy at open: the guards that were
// dropped are made again, and the key is found, made (a new database) or
// made and the old unkeyed chain re-keyed (a database from before keys).
// had is the schema version the file had before this open's migrations.
func (s *Store) openAudit(ctx context.Context, had int) error {
	dir, err := KeyDir()
	if err != nil {
		return err
	}
	s.akey.dir = dir
	// Looked for first on a reader: opening takes no write lock unless a
	// guard is missing (an import in another window holds it for minutes).
	var restored []string
	for _, g := range guards {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", g.name).Scan(&n); err != nil {
			return fmt.Errorf("store: audit guards: %w", err)
		}
		if n == 0 {
			restored = append(restored, g.name)
		}
	}
	if len(restored) > 0 {
		err = s.tx(ctx, func(tx *sql.Tx) error {
			for _, g := range guards {
				if slices.Contains(restored, g.name) {
					if _, err := tx.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+g.name+"; "+g.sql); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: audit guards: %w", err)
		}
	}
	if err := s.findKey(ctx, had); err != nil {
		return err
	}
	if len(restored) > 0 && s.akey.key != nil {
		b, _ := json.Marshal(map[string]any{"restored": restored})
		return s.Audit(ctx, model.AuditEntry{Account: auditSystem, Action: "audit.guard", Detail: string(b)})
	}
	return nil
}

// auditKeyed is the first schema version with a keyed chain.
const auditKeyed = 28

// findKey loads the key the file names, or settles one.
func (s *Store) findKey(ctx context.Context, had int) error {
	k := &s.akey
	err := s.w.QueryRowContext(ctx, "SELECT key_id, head_id FROM audit_key WHERE id = 1").Scan(&k.id, &k.headID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: audit key: %w", err)
	}
	if k.id == "" && had > 0 {
		// A file that says it was never keyed, where this computer kept a
		// key for a database at this very path, was made to look older:
		// it keeps that key, and an unkeyed chain in it shows as broken.
		if h, err := s.headForPath(); err != nil {
			return err
		} else if h.KeyID != "" {
			k.id, k.headID = h.KeyID, h.id
			if _, err := s.w.ExecContext(ctx, "INSERT INTO audit_key(id, key_id, head_id) VALUES (1, ?, ?)", k.id, k.headID); err != nil {
				return fmt.Errorf("store: audit key: %w", err)
			}
		}
	}
	switch {
	case k.id != "":
		return s.loadKey()
	case had >= auditKeyed:
		// Keyed before, and the marker is gone: nothing is keyed afresh.
		k.problem = "audit.verify.nomarker"
		return nil
	}
	return s.newKey(ctx, had > 0)
}

// loadKey reads the key file of the id the database names.
func (s *Store) loadKey() error {
	k := &s.akey
	if !goodID(k.id) || !goodID(k.headID) {
		k.problem = "audit.verify.nomarker"
		return nil
	}
	b, err := os.ReadFile(k.keyFile())
	if errors.Is(err, os.ErrNotExist) {
		k.problem = "audit.verify.nokey"
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: audit key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return fmt.Errorf("store: audit key %s is damaged", k.keyFile())
	}
	k.key = key
	return nil
}

// pathHead is a head found by the database it was written for.
type pathHead struct {
	AuditHead
	id string
}

// headForPath is a head on this computer last written for a database at
// this file's path (KeyID "" when none).
func (s *Store) headForPath() (pathHead, error) {
	names, err := filepath.Glob(filepath.Join(s.akey.dir, "*.head"))
	if err != nil {
		return pathHead{}, err
	}
	for _, name := range names {
		if h, ok, err := readHead(name); err == nil && ok && h.DB == s.absPath() && goodID(h.KeyID) {
			return pathHead{h, strings.TrimSuffix(filepath.Base(name), ".head")}, nil
		}
	}
	return pathHead{}, nil
}

// goodID is an id that can name a file in KeyDir: 32 hex digits.
func goodID(id string) bool {
	b, err := hex.DecodeString(id)
	return err == nil && len(b) == 16
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newKey makes this database's key; an old unkeyed chain (rekey) is
// checked as it was and every hash computed again under the key, in one
// transaction with an entry that says so (and where it was broken, if it
// was: the break stays on record).
func (s *Store) newKey(ctx context.Context, rekey bool) error {
	k := &s.akey
	key := make([]byte, 32)
	rand.Read(key)
	k.id, k.headID = randomID(), randomID()
	if err := writePrivate(k.keyFile(), []byte(hex.EncodeToString(key)+"\n")); err != nil {
		return fmt.Errorf("store: audit key: %w", err)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit_key(id, key_id, head_id) VALUES (1, ?, ?)", k.id, k.headID); err != nil {
			return err
		}
		k.key = key
		if !rekey {
			return nil
		}
		return s.rekey(ctx, tx)
	})
	if err != nil {
		k.key = nil
		os.Remove(k.keyFile())
		return fmt.Errorf("store: audit key: %w", err)
	}
	last, hash, err := chainHead(ctx, s.w)
	if err == nil {
		err = s.writeHead(last, hash, true)
	}
	return err
}

// rekey recomputes an unkeyed chain's hashes under the new key, in
// batches so that a long trail is not held in memory.
func (s *Store) rekey(ctx context.Context, tx *sql.Tx) error {
	w, err := walkAudit(ctx, tx, legacyHash, auditGenesis, 0)
	if err != nil {
		return err
	}
	k := &s.akey
	prev, from := auditGenesisV2, int64(0)
	if w.anchor > 0 {
		prev, from = w.anchorHash, w.anchor
		if _, err := tx.ExecContext(ctx, "UPDATE audit_anchor SET mac = ? WHERE id = 1", k.anchorMAC(w.anchor, w.anchorHash)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "DROP TRIGGER audit_append_only_update"); err != nil {
		return err
	}
	for {
		rows, err := tx.QueryContext(ctx, "SELECT id, at, account, action, target, detail FROM audit WHERE id > ? ORDER BY id LIMIT 1000", from)
		if err != nil {
			return err
		}
		type fix struct {
			id   int64
			hash string
		}
		var fixes []fix
		for rows.Next() {
			var e model.AuditEntry
			var at string
			if err := rows.Scan(&e.ID, &at, &e.Account, &e.Action, &e.Target, &e.Detail); err != nil {
				rows.Close()
				return err
			}
			prev = k.hash(prev, e, at)
			fixes = append(fixes, fix{e.ID, prev})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(fixes) == 0 {
			break
		}
		for _, f := range fixes {
			if _, err := tx.ExecContext(ctx, "UPDATE audit SET hash = ? WHERE id = ?", f.hash, f.id); err != nil {
				return err
			}
		}
		from = fixes[len(fixes)-1].id
	}
	if _, err := tx.ExecContext(ctx, guardSQL("audit_append_only_update")); err != nil {
		return err
	}
	detail := map[string]any{"entries": w.n}
	if w.broken != 0 {
		detail["broken"] = w.broken
	}
	b, _ := json.Marshal(detail)
	return s.appendAudit(ctx, tx, model.AuditEntry{Account: auditSystem, Action: "audit.rekey", Detail: string(b)})
}

// walked is what a walk along the chain found.
type walked struct {
	n          int
	broken     int64  // the first entry that does not follow; 0: none
	last       int64  // the newest entry's id (the anchor's when none)
	anchor     int64  // the anchor's last_id, 0 when none
	anchorHash string //
	anchorMAC  string
	watchHash  string // the hash of the entry asked for, "" when not there
	rekeyBreak int64  // where an audit.rekey entry says the old chain broke
}

type chainFunc func(prev string, e model.AuditEntry, at string) string

// walkAudit reads the whole chain from its anchor, in id order.
func walkAudit(ctx context.Context, q querier, hash chainFunc, genesis string, watch int64) (walked, error) {
	var w walked
	prev := genesis
	err := q.QueryRowContext(ctx, "SELECT last_id, hash, mac FROM audit_anchor WHERE id = 1").Scan(&w.anchor, &w.anchorHash, &w.anchorMAC)
	switch {
	case err == nil:
		// Entries up to the anchor were archived and removed; the chain
		// goes on from the last of them.
		prev = w.anchorHash
	case !errors.Is(err, sql.ErrNoRows):
		return w, err
	}
	w.last = w.anchor
	rows, err := q.QueryContext(ctx, "SELECT id, at, account, action, target, detail, hash FROM audit ORDER BY id")
	if err != nil {
		return w, err
	}
	defer rows.Close()
	for rows.Next() {
		var e model.AuditEntry
		var at, h string
		if err := rows.Scan(&e.ID, &at, &e.Account, &e.Action, &e.Target, &e.Detail, &h); err != nil {
			return w, err
		}
		w.n++
		if e.ID != w.last+1 || hash(prev, e, at) != h {
			w.broken = e.ID
			return w, nil
		}
		if e.ID == watch {
			w.watchHash = h
		}
		if e.Action == "audit.rekey" && w.rekeyBreak == 0 {
			var d struct{ Broken int64 }
			json.Unmarshal([]byte(e.Detail), &d)
			w.rekeyBreak = d.Broken
		}
		prev, w.last = h, e.ID
	}
	return w, rows.Err()
}

// sealOf is the key and the head of a copy of this database just made.
func (s *Store) sealOf(ctx context.Context, copyFile string) (AuditSeal, error) {
	k := &s.akey
	if k.key == nil {
		return AuditSeal{}, fmt.Errorf("%w (%s)", ErrNoAuditKey, k.keyFile())
	}
	db, err := sql.Open("sqlite", "file:"+copyFile+"?mode=ro")
	if err != nil {
		return AuditSeal{}, err
	}
	defer db.Close()
	last, hash, err := chainHead(ctx, db)
	if err != nil {
		return AuditSeal{}, fmt.Errorf("store: audit head of %s: %w", copyFile, err)
	}
	return AuditSeal{KeyID: k.id, Key: hex.EncodeToString(k.key), Head: AuditHead{LastID: last, Hash: hash}}, nil
}

// InstallAuditSeal makes a restored copy (file, a backup's database just
// decrypted) verifiable on this computer before it is opened: the
// backup's key goes into KeyDir (unless there), and the copy gets a head
// of its own, the backup's, for the database it will become (db). undo
// takes both away again when the copy is not kept.
func InstallAuditSeal(ctx context.Context, seal AuditSeal, file, db string) (undo func(), err error) {
	dir, err := KeyDir()
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(seal.Key)
	if err != nil || len(key) != 32 || !goodID(seal.KeyID) {
		return nil, errors.New("store: the backup's audit key is damaged")
	}
	k := &auditKey{dir: dir, id: seal.KeyID, headID: randomID()}
	var made []string
	undo = func() {
		for _, f := range made {
			os.Remove(f)
		}
	}
	switch old, err := os.ReadFile(k.keyFile()); {
	case errors.Is(err, os.ErrNotExist):
		if err := writePrivate(k.keyFile(), []byte(seal.Key+"\n")); err != nil {
			return nil, err
		}
		made = append(made, k.keyFile())
	case err != nil:
		return nil, err
	case strings.TrimSpace(string(old)) != seal.Key:
		return nil, fmt.Errorf("store: %s is not the key of this backup", k.keyFile())
	}
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	seal.Head.KeyID, seal.Head.DB = seal.KeyID, db
	head, _ := json.Marshal(seal.Head)
	if err := writePrivate(k.headFile(), head); err != nil {
		undo()
		return nil, err
	}
	made = append(made, k.headFile())
	raw, err := sql.Open("sqlite", "file:"+file)
	if err == nil {
		_, err = raw.ExecContext(ctx, "UPDATE audit_key SET head_id = ? WHERE key_id = ?", k.headID, k.id)
		err = errors.Join(err, raw.Close())
	}
	if err != nil {
		undo()
		return nil, fmt.Errorf("store: restore audit head: %w", err)
	}
	return undo, nil
}

// AuditHeadNow is the trail's newest entry and which copy of the database
// it is (head id), as a sync round reports it to the server; the head id
// is "" when the key is not on this computer.
func (s *Store) AuditHeadNow(ctx context.Context) (headID string, last int64, hash string, err error) {
	if s.akey.key == nil {
		return "", 0, "", nil
	}
	last, hash, err = chainHead(ctx, s.r)
	return s.akey.headID, last, hash, err
}

// AuditHolds tells whether the trail still holds entry id with hash, as
// the sync server recorded it. An entry archived away before the anchor
// cannot be checked and counts as held.
func (s *Store) AuditHolds(ctx context.Context, id int64, hash string) (bool, error) {
	var anchor int64
	var anchorHash string
	err := s.r.QueryRowContext(ctx, "SELECT last_id, hash FROM audit_anchor WHERE id = 1").Scan(&anchor, &anchorHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	switch {
	case id < anchor:
		return true, nil
	case id == anchor:
		return anchorHash == hash, nil
	}
	var have string
	err = s.r.QueryRowContext(ctx, "SELECT hash FROM audit WHERE id = ?", id).Scan(&have)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return have == hash, err
}
