package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

func TestEnsureAreaPathMakesWhatIsMissing(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	grid, made, err := ta.EnsureAreaPath(ctx, ta.admin, " 德源街道 / 红旗社区 › 第1网格 ")
	if err != nil || made != 3 {
		t.Fatalf("made %d: %v", made, err)
	}
	again, made, err := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第1网格")
	if err != nil || made != 0 || again != grid {
		t.Fatalf("again: %d %d %v", again, made, err)
	}
	if _, made, _ := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第2网格"); made != 1 {
		t.Fatalf("a second grid made %d", made)
	}
	areas, _ := ta.st.Areas(ctx)
	levels := map[model.AreaLevel]int{}
	for _, a := range areas {
		levels[a.Level]++
	}
	if levels[model.LevelStreet] != 1 || levels[model.LevelCommunity] != 1 || levels[model.LevelGrid] != 2 {
		t.Fatalf("areas %v", levels)
	}
	for _, bad := range []string{"", "a/b/c/d", " / "} {
		if keys := problemKeys(t, func() error { _, _, err := ta.EnsureAreaPath(ctx, ta.admin, bad); return err }()); keys["area"] != "err.area.path" {
			t.Errorf("%q: %v", bad, keys)
		}
	}
	worker := &app.Actor{Account: model.Account{Role: model.RoleWorker, AreaIDs: []int64{grid}}}
	if _, _, err := ta.EnsureAreaPath(ctx, worker, "德源街道/新社区"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker made areas: %v", err)
	}
}

// TestAnAdministratorSeesNoPersonalDataByDefault: accounts, areas and the
// place tree, yes; residents, households and ledgers, no — until the
// account is given the view, which is audited.
func TestAnAdministratorSeesNoPersonalDataByDefault(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 60, 4)
	ctx := context.Background()
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "root2", Password: adminPassword, Role: model.RoleAdmin,
		CanReveal: true, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	plain, err := ta.Login(ctx, "root2", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ta.rows(t, plain, app.ListFilter{})); n != 0 {
		t.Fatalf("an administrator without the view lists %d residents", n)
	}
	someone := ta.rows(t, ta.admin, app.ListFilter{})[0]
	if _, err := ta.OpenResident(ctx, plain, someone.ID); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("opened a resident: %v", err)
	}
	if _, err := ta.Household(ctx, plain, someone.HouseID, false); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("read a household: %v", err)
	}
	if n, err := ta.ExportResidents(ctx, plain, filepath.Join(t.TempDir(), "x.xlsx"), app.ExportOptions{}); err != nil || n != 0 {
		t.Fatalf("exported %d residents: %v", n, err)
	}
	areas, _ := ta.VisibleAreas(ctx, plain)
	compounds, _ := ta.Compounds(ctx, plain)
	if len(areas) == 0 || len(compounds) == 0 {
		t.Fatalf("the place tree is hidden from an administrator: %d areas, %d compounds", len(areas), len(compounds))
	}
	if err := ta.SetPersonalData(ctx, plain, "root2", true); err != nil {
		t.Fatal(err)
	}
	if n := len(ta.rows(t, plain, app.ListFilter{})); n != 60 {
		t.Fatalf("with the view: %d residents", n)
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditPersonalData}, 5)
	if len(log) != 1 || log[0].Account != "root2" {
		t.Fatalf("not audited: %+v", log)
	}
}
