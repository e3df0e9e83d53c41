package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// trail makes a database file with n audit entries, in a key folder of its
// own (the user's config folder on an office computer), and closes it: the
// attacker below holds the file only.
func trail(t *testing.T, n int) string {
	t.Helper()
	t.Setenv(store.KeyDirEnv, t.TempDir())
	file := filepath.Join(t.TempDir(), "shequ.db")
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range n {
		if err := st.Audit(context.Background(), model.AuditEntry{Account: "admin", Action: "resident.open", Target: "resident:" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	return file
}

// tamper runs SQL on the file as someone with the file and sqlite3 would.
func tamper(t *testing.T, file string, queries ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// verdict opens the file as the program does and checks the trail.
func verdict(t *testing.T, file string) model.AuditVerdict {
	t.Helper()
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const dropGuards = "DROP TRIGGER IF EXISTS audit_append_only_delete; DROP TRIGGER IF EXISTS audit_append_only_update"

func TestCuttingOffTheNewestEntriesIsFound(t *testing.T) {
	for _, cut := range []int{1, 50, 120} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			file := trail(t, 120)
			if v := verdict(t, file); !v.Whole() {
				t.Fatalf("untouched trail: %+v", v)
			}
			tamper(t, file, dropGuards, fmt.Sprintf("DELETE FROM audit WHERE id > (SELECT max(id) FROM audit) - %d", cut))
			// the guards are put back as they were, so nothing is restored
			// (and logged) at the next open: the head alone tells
			tamper(t, file, guardDelete, guardUpdate)
			v := verdict(t, file)
			if v.Whole() || v.Missing != int64(cut) {
				t.Fatalf("newest %d removed: %+v", cut, v)
			}
		})
	}
	// left without guards, the next open logs their return after the cut
	// (as the next entry): still found
	file := trail(t, 120)
	tamper(t, file, dropGuards, "DELETE FROM audit WHERE id > 70")
	if v := verdict(t, file); v.Whole() {
		t.Fatalf("newest 50 removed, guards left dropped: %+v", v)
	}
}

const (
	guardDelete = "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
	guardUpdate = "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)

// legacyHash is the chain anyone could compute before it was keyed: the
// public genesis string and SHA-256.
func legacyHash(prev string, id int64, at, account, action, target, detail string) string {
	h := sha256.New()
	for _, part := range []string{prev, strconv.FormatInt(id, 10), at, account, action, target, detail} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rechain recomputes every hash from the public genesis, after an edit.
func rechain(t *testing.T, file string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT id, at, account, action, target, detail FROM audit ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id                                int64
		at, account, action, target, text string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.at, &r.account, &r.action, &r.target, &r.text); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	prev := "shequ-audit-v1"
	for _, r := range all {
		prev = legacyHash(prev, r.id, r.at, r.account, r.action, r.target, r.text)
		if _, err := db.Exec("UPDATE audit SET hash = ? WHERE id = ?", prev, r.id); err != nil {
			t.Fatal(err)
		}
	}
}

func TestARewrittenTrailWithTheChainRecomputedIsFound(t *testing.T) {
	file := trail(t, 30)
	tamper(t, file, dropGuards, "UPDATE audit SET target = 'resident:999' WHERE id = 7")
	rechain(t, file)
	if v := verdict(t, file); v.Whole() {
		t.Fatalf("rewritten and rechained: %+v", v)
	}
	// nor does it help to make the file look older than the keyed chain
	// (no key marker, an earlier schema): it is not keyed afresh
	tamper(t, file, "DROP TABLE audit_key", "ALTER TABLE audit_anchor DROP COLUMN mac",
		"DROP INDEX resident_name_key", "ALTER TABLE resident DROP COLUMN name_key",
		"DROP TABLE worklog_history", "ALTER TABLE worklog DROP COLUMN withdrawn_at", "ALTER TABLE worklog DROP COLUMN withdrawn_by",
		"ALTER TABLE worklog DROP COLUMN withdraw_reason", "PRAGMA user_version = 27")
	if v := verdict(t, file); v.Whole() {
		t.Fatalf("rechained and made to look unkeyed: %+v", v)
	}
}

func TestOldestEntriesRemovedBehindAForgedAnchorAreFound(t *testing.T) {
	file := trail(t, 40)
	tamper(t, file, dropGuards,
		"INSERT INTO audit_anchor(id, last_id, hash, purged_at) SELECT 1, id, hash, at FROM audit WHERE id = 10",
		"DELETE FROM audit WHERE id <= 10")
	if v := verdict(t, file); v.Whole() {
		t.Fatalf("entries 1-10 gone behind a forged anchor: %+v", v)
	}
}

func TestDroppedGuardsAreRestoredOnOpenAndTheTrailSaysSo(t *testing.T) {
	file := trail(t, 5)
	tamper(t, file, dropGuards)
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raw := rawDB(t, file)
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_append_only_%'").Scan(&n); err != nil || n != 2 {
		t.Fatalf("guards after open: %d %v", n, err)
	}
	es, err := st.AuditEntries(context.Background(), model.AuditFilter{}, 1)
	if err != nil || len(es) != 1 || es[0].Action != "audit.guard" ||
		es[0].Detail != `{"restored":["audit_append_only_delete","audit_append_only_update"]}` {
		t.Fatalf("newest entry: %+v %v", es, err)
	}
	if v, err := st.VerifyAudit(context.Background()); err != nil || !v.Whole() {
		t.Fatalf("after the guards came back: %+v %v", v, err)
	}
	if _, err := raw.Exec("DELETE FROM audit"); err == nil {
		t.Fatal("a DELETE went through")
	}
}

// legacy makes the file look as a database from before keys did: the
// public chain, no key marker, schema 27, on a computer with no key yet.
func legacy(t *testing.T, file string) {
	t.Helper()
	tamper(t, file, dropGuards)
	rechain(t, file)
	tamper(t, file, guardDelete, guardUpdate, "DROP TABLE audit_key", "ALTER TABLE audit_anchor DROP COLUMN mac",
		"DROP INDEX resident_name_key", "ALTER TABLE resident DROP COLUMN name_key",
		"DROP TABLE worklog_history", "ALTER TABLE worklog DROP COLUMN withdrawn_at", "ALTER TABLE worklog DROP COLUMN withdrawn_by",
		"ALTER TABLE worklog DROP COLUMN withdraw_reason", "PRAGMA user_version = 27")
	t.Setenv(store.KeyDirEnv, t.TempDir())
}

func TestAnUnkeyedTrailIsKeyedOnceFromItsVerifiedChain(t *testing.T) {
	file := trail(t, 25)
	legacy(t, file)
	for range 2 {
		if v := verdict(t, file); !v.Whole() {
			t.Fatalf("re-keyed trail: %+v", v)
		}
	}
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	es, err := st.AuditEntries(context.Background(), model.AuditFilter{Action: "audit.rekey"}, 5)
	if err != nil || len(es) != 1 || es[0].Detail != `{"entries":25}` {
		t.Fatalf("re-key entries: %+v %v", es, err)
	}
	// and from now on, cutting the end off is found
	st.Close()
	tamper(t, file, dropGuards, "DELETE FROM audit WHERE id > 20", guardDelete, guardUpdate)
	if v := verdict(t, file); v.Missing != 6 {
		t.Fatalf("cut after re-keying: %+v", v)
	}
}

func TestABrokenUnkeyedTrailStaysBrokenWhenKeyed(t *testing.T) {
	file := trail(t, 25)
	legacy(t, file)
	tamper(t, file, dropGuards, "UPDATE audit SET detail = 'x' WHERE id = 9", guardDelete, guardUpdate)
	if v := verdict(t, file); v.Broken != 9 {
		t.Fatalf("broken before keying at 9: %+v", v)
	}
}

func TestADatabaseWithoutItsKeySaysSo(t *testing.T) {
	file := trail(t, 3)
	// another computer: the file came, its key did not
	t.Setenv(store.KeyDirEnv, t.TempDir())
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.VerifyAudit(context.Background())
	if err != nil || v.Problem != "audit.verify.nokey" || v.KeyFile == "" {
		t.Fatalf("no key: %+v %v", v, err)
	}
	if err := st.Audit(context.Background(), model.AuditEntry{Account: "a", Action: "x"}); !errors.Is(err, store.ErrNoAuditKey) {
		t.Fatalf("append without the key: %v", err)
	}
	// nor is a key made afresh when the marker is taken out (on the
	// computer that holds the key, the head names the file: it is found)
	st.Close()
	file = trail(t, 3)
	tamper(t, file, "DELETE FROM audit_key")
	if v := verdict(t, file); !v.Whole() {
		t.Fatalf("marker removed, key here: %+v", v)
	}
	tamper(t, file, "DELETE FROM audit_key")
	t.Setenv(store.KeyDirEnv, t.TempDir())
	if v := verdict(t, file); v.Problem != "audit.verify.nomarker" {
		t.Fatalf("marker removed: %+v", v)
	}
}

func TestAHeadIsNeverMadeUpAgainFromTheDatabase(t *testing.T) {
	file := trail(t, 20)
	// the end cut off, and the database pointed at a head that does not
	// exist; then the program is used as usual
	tamper(t, file, dropGuards, "DELETE FROM audit WHERE id > 15", guardDelete, guardUpdate,
		"UPDATE audit_key SET head_id = '00112233445566778899aabbccddeeff'")
	st, err := store.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for range 3 {
		if err := st.Audit(context.Background(), model.AuditEntry{Account: "admin", Action: "resident.open"}); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := st.VerifyAudit(context.Background()); err != nil || v.Problem != "audit.verify.nohead" {
		t.Fatalf("head id changed: %+v %v", v, err)
	}
}
