package app_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

func TestIdleAndRetentionSettings(t *testing.T) {
	t.Parallel()
	la := newLedgerApp(t)
	ctx := context.Background()
	if m, _ := la.IdleMinutes(ctx); m != app.DefaultIdleMinutes {
		t.Fatalf("default idle %d", m)
	}
	if err := la.SetIdleMinutes(ctx, la.worker, 5); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker set the idle limit: %v", err)
	}
	for _, bad := range []int{0, 121} {
		if keys := problemKeys(t, la.SetIdleMinutes(ctx, la.admin, bad)); keys["idle"] != "err.idle.range" {
			t.Fatalf("idle %d: %v", bad, keys)
		}
	}
	if err := la.SetIdleMinutes(ctx, la.admin, 5); err != nil {
		t.Fatal(err)
	}
	if m, _ := la.IdleMinutes(ctx); m != 5 {
		t.Fatalf("idle %d", m)
	}
	if keys := problemKeys(t, la.SetAuditRetention(ctx, la.admin, 5)); keys["retention"] != "err.retention.range" {
		t.Fatalf("retention under six months: %v", keys)
	}
	if err := la.SetAuditRetention(ctx, la.admin, 6); err != nil {
		t.Fatal(err)
	}
	log, _ := la.AuditLog(ctx, la.admin, model.AuditFilter{Action: app.AuditSettingChange}, 5)
	if len(log) != 2 || log[0].Target != "audit_retention" || log[1].Target != "idle" {
		t.Fatalf("setting changes not audited: %+v", log)
	}
}

// TestPurgeArchivesFirstAndKeepsTheChain: entries past the retention go to
// an archive and only then away; the chain still verifies, and tampering
// is still found.
func TestPurgeArchivesFirstAndKeepsTheChain(t *testing.T) {
	t.Parallel()
	la := newLedgerApp(t)
	ctx := context.Background()
	archive := filepath.Join(t.TempDir(), "archive.xlsx")
	if n, err := la.PurgeAudit(ctx, la.admin, archive); err != nil || n != 0 {
		t.Fatalf("nothing is old yet: %d %v", n, err)
	}
	before, _ := la.AuditLog(ctx, la.admin, model.AuditFilter{}, 1000)
	if _, err := la.PurgeAudit(ctx, la.worker, archive); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker purged: %v", err)
	}
	// Seven years on, with the retention at six months, all of it is old.
	setClock(t, func() time.Time { return time.Now().AddDate(7, 0, 0) })
	if err := la.SetAuditRetention(ctx, la.admin, 6); err != nil {
		t.Fatal(err)
	}
	n, err := la.PurgeAudit(ctx, la.admin, archive)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(before)+1 { // and the setting change since
		t.Fatalf("archived %d, had %d", n, len(before))
	}
	rows := readSheet(t, archive, "审计日志")
	if len(rows) != n+3 { // header, rows, a blank and the exporter's line
		t.Fatalf("archive has %d rows for %d entries", len(rows), n)
	}
	after, _ := la.AuditLog(ctx, la.admin, model.AuditFilter{}, 1000)
	if len(after) != 2 || after[0].Action != app.AuditPurge || after[1].Action != app.AuditExport {
		t.Fatalf("left after the purge: %+v", after)
	}
	if v, err := la.VerifyAudit(ctx); err != nil || !v.Whole() {
		t.Fatalf("chain after a purge: %+v, %v", v, err)
	}
	if err := la.Backup(ctx, la.admin, filepath.Join(t.TempDir(), "x.backup"), "a long passphrase"); err != nil {
		t.Fatal(err) // and the trail goes on
	}
	if v, _ := la.VerifyAudit(ctx); !v.Whole() {
		t.Fatalf("chain after more entries: %+v", v)
	}
	raw, err := sql.Open("sqlite", "file:"+la.DBPath()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE audit_anchor SET last_id = last_id - 1"); err != nil {
		t.Fatal(err)
	}
	if v, _ := la.VerifyAudit(ctx); v.Whole() {
		t.Fatal("a moved anchor went unnoticed")
	}
}

func TestRestoreFromTheWindowIsAudited(t *testing.T) {
	t.Parallel()
	la := newLedgerApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	b := filepath.Join(dir, "b.backup")
	if err := la.Backup(ctx, la.admin, b, "a long passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := la.RestoreBackup(ctx, la.admin, b, la.DBPath(), "a long passphrase"); err == nil {
		t.Fatal("restored over the open database")
	}
	if _, err := la.RestoreBackup(ctx, la.worker, b, filepath.Join(dir, "r.db"), "a long passphrase"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker restored: %v", err)
	}
	if _, err := la.RestoreBackup(ctx, la.admin, b, filepath.Join(dir, "r.db"), "a long passphrase"); err != nil {
		t.Fatal(err)
	}
	log, _ := la.AuditLog(ctx, la.admin, model.AuditFilter{Action: app.AuditRestore}, 5)
	if len(log) != 1 {
		t.Fatalf("restore not audited: %+v", log)
	}
}
