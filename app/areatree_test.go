package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// TestAreaTreeCanBeKept: an administrator adds, renames, moves and deletes
// areas; each change is audited, and what would lose or mix records is
// refused with words that say why.
func TestAreaTreeCanBeKept(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	street, err := ta.CreateArea(ctx, ta.admin, 0, "德源街道")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ta.CreateArea(ctx, ta.admin, 0, "红光街道")
	hq, _ := ta.CreateArea(ctx, ta.admin, street, "红旗社区")
	gx, _ := ta.CreateArea(ctx, ta.admin, street, "光明社区")
	g1, err := ta.CreateArea(ctx, ta.admin, hq, " 第1网格 ")
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := ta.CreateArea(ctx, ta.admin, hq, "第2网格")
	areas, _ := ta.st.Areas(ctx)
	for _, ar := range areas {
		if ar.ID == g1 && (ar.Level != model.LevelGrid || ar.Name != "第1网格" || ar.ParentID != hq) {
			t.Fatalf("grid made as %+v", ar)
		}
	}
	if k := problemKeys(t, func() error { _, err := ta.CreateArea(ctx, ta.admin, g1, "x"); return err }()); k["area"] != "err.area.undergrid" {
		t.Fatalf("under a grid: %v", k)
	}
	if k := problemKeys(t, func() error { _, err := ta.CreateArea(ctx, ta.admin, hq, "第2网格"); return err }()); k["area"] != "err.area.taken" {
		t.Fatalf("a second 第2网格: %v", k)
	}
	if k := problemKeys(t, ta.RenameArea(ctx, ta.admin, g2, "a/b")); k["area"] != "err.area.name" {
		t.Fatalf("a name with a slash: %v", k)
	}

	// A compound wholly in grid 1 goes with it to 光明社区.
	c, err := ta.CreatePlace(ctx, ta.admin, app.PlaceCompound, hq, "锦绣花园", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ta.CreatePlace(ctx, ta.admin, app.PlaceBuilding, c, "1", 0)
	u, _ := ta.CreatePlace(ctx, ta.admin, app.PlaceUnit, b, "1", 0)
	if _, err := ta.CreatePlace(ctx, ta.admin, app.PlaceHouse, u, "101", g1); err != nil {
		t.Fatal(err)
	}
	if err := ta.MoveArea(ctx, ta.admin, g1, gx); err != nil {
		t.Fatal(err)
	}
	compounds, _ := ta.Compounds(ctx, ta.admin)
	if len(compounds) != 1 || compounds[0].CommunityID != gx {
		t.Fatalf("the compound stayed behind: %+v", compounds)
	}
	// One with houses in two grids cannot follow either.
	if _, err := ta.CreatePlace(ctx, ta.admin, app.PlaceHouse, u, "102", mustGrid(t, ta, gx, "第3网格")); err != nil {
		t.Fatal(err)
	}
	if k := problemKeys(t, ta.MoveArea(ctx, ta.admin, g1, hq)); k["area"] != "err.area.shared" {
		t.Fatalf("a shared compound moved: %v", k)
	}
	if k := problemKeys(t, ta.MoveArea(ctx, ta.admin, g2, other)); k["area"] != "err.area.moveto" {
		t.Fatalf("a grid under a street: %v", k)
	}
	if err := ta.MoveArea(ctx, ta.admin, hq, other); err != nil {
		t.Fatal(err)
	}
	if err := ta.RenameArea(ctx, ta.admin, hq, "红旗新村社区"); err != nil {
		t.Fatal(err)
	}

	// In use: say what it holds; empty: gone.
	err = ta.DeleteArea(ctx, ta.admin, gx)
	var ps app.Problems
	if !errors.As(err, &ps) || ps[0].Key != "err.area.inuse" || ps[0].Data["Children"] != 2 || ps[0].Data["Compounds"] != 1 {
		t.Fatalf("deleting a community in use: %v", err)
	}
	if err := ta.DeleteArea(ctx, ta.admin, g2); err != nil {
		t.Fatal(err)
	}
	areas, _ = ta.st.Areas(ctx)
	for _, ar := range areas {
		if ar.ID == g2 {
			t.Fatal("the empty grid is still there")
		}
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{}, 50)
	seen := map[string]int{}
	for _, e := range log {
		seen[e.Action]++
	}
	if seen[app.AuditAreaRename] != 1 || seen[app.AuditAreaMove] != 2 || seen[app.AuditAreaDelete] != 1 || seen[app.AuditAreaCreate] != 7 {
		t.Fatalf("audited %v", seen)
	}
}

// TestAreaTreeBelongsToAdministrators: a grid worker changes none of it;
// an administrator limited to a street changes only that street's.
func TestAreaTreeBelongsToAdministrators(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	s1, _ := ta.CreateArea(ctx, ta.admin, 0, "德源街道")
	s2, _ := ta.CreateArea(ctx, ta.admin, 0, "红光街道")
	c1, _ := ta.CreateArea(ctx, ta.admin, s1, "红旗社区")
	c2, _ := ta.CreateArea(ctx, ta.admin, s2, "光明社区")
	worker := &app.Actor{Account: model.Account{Role: model.RoleWorker, AreaIDs: []int64{c1}}}
	if err := ta.RenameArea(ctx, worker, c1, "x"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker renamed: %v", err)
	}
	limited := &app.Actor{Account: model.Account{Role: model.RoleAdmin, AreaIDs: []int64{s1}}}
	if err := ta.RenameArea(ctx, limited, c1, "红旗新社区"); err != nil {
		t.Fatal(err)
	}
	if err := ta.RenameArea(ctx, limited, c2, "x"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("renamed another street's community: %v", err)
	}
	if err := ta.MoveArea(ctx, limited, c1, s2); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("moved out of its street: %v", err)
	}
	if _, err := ta.CreateArea(ctx, limited, 0, "新街道"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("made a street: %v", err)
	}
}

// TestFirstStepsCount: the first-start guide sees grids, then houses.
func TestFirstStepsCount(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	if fs, err := ta.FirstSteps(ctx, ta.admin); err != nil || fs != (app.FirstSteps{}) {
		t.Fatalf("empty: %+v %v", fs, err)
	}
	g, _, _ := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第1网格")
	areas, _ := ta.st.Areas(ctx)
	c, _ := ta.CreatePlace(ctx, ta.admin, app.PlaceCompound, areas[1].ID, "锦绣花园", 0)
	b, _ := ta.CreatePlace(ctx, ta.admin, app.PlaceBuilding, c, "1", 0)
	u, _ := ta.CreatePlace(ctx, ta.admin, app.PlaceUnit, b, "1", 0)
	if _, err := ta.CreatePlace(ctx, ta.admin, app.PlaceHouse, u, "101", g); err != nil {
		t.Fatal(err)
	}
	if fs, err := ta.FirstSteps(ctx, ta.admin); err != nil || fs != (app.FirstSteps{Grids: 1, Houses: 1}) {
		t.Fatalf("one grid, one house: %+v %v", fs, err)
	}
}

func mustGrid(t *testing.T, ta *testApp, community int64, name string) int64 {
	t.Helper()
	id, err := ta.CreateArea(context.Background(), ta.admin, community, name)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDemoBuildsIntoTheAreasThatExist: the README's first steps (an area
// made by hand, then demo data) give one tree, not a clash.
func TestDemoBuildsIntoTheAreasThatExist(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	grid, _, err := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第1网格")
	if err != nil {
		t.Fatal(err)
	}
	areas, _ := ta.st.Areas(ctx)
	if _, err := ta.CreatePlace(ctx, ta.admin, app.PlaceCompound, areas[1].ID, "锦绣花园", 0); err != nil {
		t.Fatal(err)
	}
	if err := ta.Demo(ctx, ta.admin, 3000, 1, nil); err != nil {
		t.Fatalf("demo after an area made by hand: %v", err)
	}
	areas, _ = ta.st.Areas(ctx)
	names := map[string]int{}
	for _, ar := range areas {
		names[ar.Name]++
	}
	if names["德源街道"] != 1 || names["红旗社区"] != 1 || names["第1网格"] != 1 {
		t.Fatalf("areas doubled: %v", names)
	}
	if n := len(ta.rows(t, ta.admin, app.ListFilter{AreaID: grid})); n == 0 {
		t.Fatal("the demo put no one in the grid made by hand")
	}
}
