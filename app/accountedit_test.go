package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// TestAccountsCanBeAdministered: an administrator changes a worker's real
// name, role, areas and permissions, stops and restarts the account; each
// change is audited with what changed, a stopped account cannot sign in
// and says why, and the office always keeps a working administrator.
func TestAccountsCanBeAdministered(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 60, 4)
	ctx := context.Background()
	grids := ta.grids(t)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "wangfang", Password: "Qiao-Lian-2026!", Role: model.RoleGrid,
		Areas: []int64{grids[0].ID}}); err != nil {
		t.Fatal(err)
	}
	// A grid worker is given grids only.
	if k := problemKeys(t, ta.EditAccount(ctx, ta.admin, "wangfang", app.AccountEdit{Role: model.RoleGrid, Areas: []int64{grids[0].ParentID}})); k["area"] != "err.area.gridonly" {
		t.Fatalf("a community for a grid worker: %v", k)
	}
	err := ta.EditAccount(ctx, ta.admin, "wangfang", app.AccountEdit{DisplayName: " 王芳 ", Role: model.RoleWorker,
		Areas: []int64{grids[0].ParentID}, CanExport: true})
	if err != nil {
		t.Fatal(err)
	}
	w, err := ta.Login(ctx, "wangfang", "Qiao-Lian-2026!")
	if err != nil {
		t.Fatal(err)
	}
	if w.Account.DisplayName != "王芳" || w.Account.Role != model.RoleWorker || !w.Account.CanExport || w.Account.CanReveal ||
		len(w.Account.AreaIDs) != 1 || w.Account.AreaIDs[0] != grids[0].ParentID {
		t.Fatalf("after the edit: %+v", w.Account)
	}
	// An edit that changes nothing leaves no entry.
	if err := ta.EditAccount(ctx, ta.admin, "wangfang", app.AccountEdit{DisplayName: "王芳", Role: model.RoleWorker,
		Areas: []int64{grids[0].ParentID}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditAccountEdit}, 10)
	if len(log) != 1 {
		t.Fatalf("%d edit entries, want 1: %+v", len(log), log)
	}

	if err := ta.SetAccountDisabled(ctx, ta.admin, "wangfang", true); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Login(ctx, "wangfang", "Qiao-Lian-2026!"); problemKeys(t, err)["username"] != "err.login.disabled" {
		t.Fatalf("a stopped account signed in or was not told why: %v", err)
	}
	if _, err := ta.Login(ctx, "wangfang", "wrong-password-1"); !errors.Is(err, app.ErrBadLogin) {
		t.Fatalf("a wrong password on a stopped account says more than a wrong password: %v", err)
	}
	if err := ta.SetAccountDisabled(ctx, ta.admin, "wangfang", false); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Login(ctx, "wangfang", "Qiao-Lian-2026!"); err != nil {
		t.Fatalf("enabled again, still refused: %v", err)
	}
	for _, action := range []string{app.AuditAccountDisable, app.AuditAccountEnable} {
		if log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: action}, 10); len(log) != 1 {
			t.Fatalf("%s audited %d times", action, len(log))
		}
	}

	// The only administrator can neither stop itself nor stop being one.
	if k := problemKeys(t, ta.SetAccountDisabled(ctx, ta.admin, ta.admin.Account.Username, true)); k["username"] != "err.account.self" {
		t.Fatalf("an administrator stopped itself: %v", k)
	}
	if k := problemKeys(t, ta.EditAccount(ctx, ta.admin, ta.admin.Account.Username, app.AccountEdit{Role: model.RoleWorker,
		Areas: []int64{grids[0].ID}})); k["role"] != "err.account.lastadmin" {
		t.Fatalf("the last administrator became a worker: %v", k)
	}
	if err := ta.EditAccount(ctx, w, "wangfang", app.AccountEdit{Role: model.RoleAdmin}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker made itself an administrator: %v", err)
	}
}
