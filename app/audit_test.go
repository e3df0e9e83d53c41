package app_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
)

func TestEveryAuditedActionLeavesAnEntryAndTheChainHolds(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 100, 1)
	ctx := context.Background()
	r := presentWithHouse(t, ta)

	// when: the actions staff take
	if _, err := ta.OpenResident(ctx, ta.admin, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Residents(ctx, ta.admin, app.ListFilter{Search: r.Name}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: r.ID, Name: r.Name, IDNumber: r.IDNumber, Phone: "13800138000",
		Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status}); err != nil {
		t.Fatal(err)
	}
	if err := ta.LeaveHouse(ctx, ta.admin, r.ID, model.StatusMoved, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Login(ctx, "admin", "wrong"); !errors.Is(err, app.ErrBadLogin) {
		t.Fatal(err)
	}

	// then: each left its entry, newest first, and the chain is whole
	log, err := ta.AuditLog(ctx, ta.admin, model.AuditFilter{}, 50)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]model.AuditEntry{}
	for _, e := range log {
		if _, ok := seen[e.Action]; !ok {
			seen[e.Action] = e
		}
	}
	for _, action := range []string{app.AuditOpen, app.AuditSearch, app.AuditChange, app.AuditLeave, app.AuditLoginFail, app.AuditDemo} {
		e, ok := seen[action]
		if !ok || e.Account != "admin" {
			t.Errorf("no %s entry by admin: %+v", action, e)
		}
	}
	if e := seen[app.AuditChange]; e.Target != "resident:"+itoa(r.ID) || e.Detail != `{"fields":["phone"]}` {
		t.Errorf("change entry = %+v", e)
	}
	if v, err := ta.VerifyAudit(ctx); err != nil || !v.Whole() || v.Entries < 6 {
		t.Errorf("verify: %+v, %v", v, err)
	}
}

func TestTamperingWithTheAuditTrailIsFound(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 50, 32)
	ctx := context.Background()
	for range 5 {
		ta.Login(ctx, "admin", "wrong")
	}
	file := ta.st.Path()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// SQL through the app's connection is refused outright
	if _, err := db.Exec("UPDATE audit SET account = 'nobody' WHERE id = 3"); err == nil {
		t.Fatal("the audit log accepted an UPDATE")
	}
	if _, err := db.Exec("DELETE FROM audit WHERE id = 3"); err == nil {
		t.Fatal("the audit log accepted a DELETE")
	}
	// someone who drops the guard and edits an entry is found out
	if _, err := db.Exec("DROP TRIGGER audit_append_only_update; UPDATE audit SET detail = '{}' WHERE id = 4"); err != nil {
		t.Fatal(err)
	}
	if v, err := ta.VerifyAudit(ctx); err != nil || v.Broken != 4 {
		t.Errorf("altered entry 4: verify says %+v, %v", v, err)
	}
	// and so is one who removes an entry (the chain after it breaks)
	if _, err := db.Exec("UPDATE audit SET detail = (SELECT detail FROM audit WHERE id = 5) WHERE id = 4"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := ta.VerifyAudit(ctx); v.Broken != 3 {
		t.Errorf("entry 2 removed: verify says %+v, want 3", v)
	}
}

func TestFiveWrongPasswordsLockTheAccount(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	for i := range 5 {
		if _, err := ta.Login(ctx, "admin", "wrong"); !errors.Is(err, app.ErrBadLogin) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	// now even the right password is refused, with the minutes to wait
	_, err := ta.Login(ctx, "admin", adminPassword)
	if !errors.Is(err, app.ErrLocked) || problemKeys(t, err)["username"] != "err.login.locked" {
		t.Fatalf("locked account: %v", err)
	}
	// when the window has passed, the password works again
	app.SetClock(ta.App, func() time.Time { return time.Now().Add(16 * time.Minute) })
	if _, err := ta.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// a success counts against no one: four more failures leave room
	for range 4 {
		ta.Login(ctx, "admin", "wrong")
	}
	if _, err := ta.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatalf("four failures locked the account: %v", err)
	}
	// and an administrator's reset lifts a lock
	ta.Login(ctx, "admin", "wrong")
	if _, err := ta.Login(ctx, "admin", adminPassword); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("five failures in the window: %v", err)
	}
	if err := ta.ResetPassword(ctx, ta.admin, "admin", "Renewed#2024x"); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Login(ctx, "admin", "Renewed#2024x"); err != nil {
		t.Fatalf("after a reset: %v", err)
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditLoginLocked}, 10)
	if len(log) != 2 {
		t.Errorf("locked sign-ins audited %d times, want 2", len(log))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAuditExportsToExcelWithWhoAndWhen(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 30, 5)
	ctx := context.Background()
	for range 3 {
		ta.Login(ctx, "admin", "wrong")
	}
	from, to, err := app.DayBounds(time.Now().Format("2006-01-02"), time.Now().Format("2006/1/2"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.xlsx")
	n, err := ta.ExportAudit(ctx, ta.admin, model.AuditFilter{Action: app.AuditLoginFail, From: from, To: to}, path)
	if err != nil || n != 3 {
		t.Fatalf("exported %d, %v", n, err)
	}
	// read back: header, three rows, the footer, and the exporter in the properties
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("审计日志")
	if len(rows) != 6 || rows[0][3] != "操作" || rows[1][3] != "login.fail" || !strings.Contains(rows[5][0], "由 admin") {
		t.Errorf("sheet = %v", rows)
	}
	props, _ := x.GetDocProps()
	if props.Creator != "admin" {
		t.Errorf("creator = %q", props.Creator)
	}
	if _, _, err := app.DayBounds("2026-13-01", ""); problemKeys(t, err)["date"] != "err.date.invalid" {
		t.Errorf("a bad date: %v", err)
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditExport}, 5)
	if len(log) != 1 || !strings.Contains(log[0].Detail, `"rows":3`) {
		t.Errorf("the export is not audited: %+v", log)
	}
	worker := &app.Actor{Account: model.Account{Username: "w", Role: model.RoleWorker}}
	if _, err := ta.ExportAudit(ctx, worker, model.AuditFilter{}, path+"2"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a worker exported the audit: %v", err)
	}
}

// TestADatabaseWithoutItsKeyRefusesSignInAndSaysWhy: taken to another
// computer without its key, the file cannot add to its trail, so nothing
// that must be audited happens; the message names the key file.
func TestADatabaseWithoutItsKeyRefusesSignInAndSaysWhy(t *testing.T) {
	t.Setenv(store.KeyDirEnv, t.TempDir())
	file := filepath.Join(t.TempDir(), "shequ.db")
	ta, err := openApp(file)
	if err != nil {
		t.Fatal(err)
	}
	ta.st.Close()
	t.Setenv(store.KeyDirEnv, t.TempDir())
	moved, err := openExisting(file)
	if err != nil {
		t.Fatal(err)
	}
	defer moved.st.Close()
	_, err = moved.Login(context.Background(), "admin", adminPassword)
	var ps app.Problems
	if !errors.As(err, &ps) || ps[0].Key != "audit.verify.nokey" || !strings.HasSuffix(ps[0].Data["Path"].(string), ".key") {
		t.Fatalf("sign-in without the key: %v", err)
	}
}
