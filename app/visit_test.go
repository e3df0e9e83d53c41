package app_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// TestVisitorsAtTheGate: visits registered to a house or to a compound,
// the form's name from the last visit or the registry, paging newest
// first, who sees which visit, going out once, and the export.
func TestVisitorsAtTheGate(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	grids := ta.grids(t)
	actor := func(name string, grid int64, export bool) *app.Actor {
		if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: name, Password: adminPassword, Role: model.RoleGrid,
			Areas: []int64{grid}, CanExport: export}); err != nil {
			t.Fatal(err)
		}
		a, err := ta.Login(ctx, name, adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	guard, other := actor("guard", grids[0].ID, true), actor("other", grids[1].ID, false)
	// A house of the guard's grid, and its compound.
	var home model.ResidentRow
	for _, r := range ta.rows(t, guard, app.ListFilter{}) {
		if r.Address.HouseID != 0 && r.IDNumber != "" {
			home = r
			break
		}
	}
	compounds, err := ta.Compounds(ctx, guard)
	if err != nil {
		t.Fatal(err)
	}
	var compound model.Compound
	for _, c := range compounds {
		if c.Name == home.Address.Compound {
			compound = c
		}
	}
	house := fmt.Sprintf("%s栋%s单元%s", home.Address.Building, home.Address.Unit, home.Address.Room)
	stranger := idnumber.Synthesize("330106", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 7, idnumber.Female)

	if _, ok, _, _ := visitor(t, ta, guard, stranger); ok {
		t.Fatal("a stranger is known before any visit")
	}
	id, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, House: house, Name: "来访人", IDNumber: stranger,
		Phone: "13800138000", Reason: "探亲", Health: "正常", TimeIn: "2026-11-28 09:15"})
	if err != nil {
		t.Fatal(err)
	}
	if name, ok, phone, _ := visitor(t, ta, guard, stranger); !ok || name != "来访人" || phone != app.MaskPhone("13800138000") {
		t.Errorf("the gate's form for a second visit: %q %q %v", name, phone, ok)
	}
	if name, ok, _, _ := visitor(t, ta, guard, home.IDNumber); !ok || name != home.Name {
		t.Errorf("a resident visiting: %q %v", name, ok)
	}
	if _, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, House: "99栋9单元9999", Name: "某"}); problemKeys(t, err)["visited_house"] != "err.visit.house" {
		t.Errorf("a house that is not there: %v", err)
	}
	if _, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, Name: "某", TimeIn: "昨天"}); problemKeys(t, err)["time_in"] != "err.visit.time" {
		t.Errorf("a time unread: %v", err)
	}
	// The compound alone, thirty times: its community sees it.
	for i := range 30 {
		if _, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, Name: fmt.Sprintf("快递员%02d", i), Reason: "送货",
			TimeIn: fmt.Sprintf("2026-11-27 %02d:%02d", 8+i/6, i%6*10)}); err != nil {
			t.Fatal(err)
		}
	}
	list, n, err := ta.Visits(ctx, guard, app.VisitFilter{}, nil, 10)
	if err != nil || n != 31 || list[0].ID != id || list[0].Address.Room != home.Address.Room {
		t.Fatalf("%d visits, first %+v (%v)", n, list[0], err)
	}
	seen := map[int64]bool{}
	var after *model.VisitCursor
	last := "9999"
	for page := 0; ; page++ {
		list, _, err := ta.Visits(ctx, guard, app.VisitFilter{}, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			break
		}
		for _, v := range list {
			if seen[v.ID] || v.TimeIn > last {
				t.Fatalf("page %d: %d again or out of order (%s after %s)", page, v.ID, v.TimeIn, last)
			}
			seen[v.ID], last = true, v.TimeIn
		}
		l := list[len(list)-1]
		after = &model.VisitCursor{TimeIn: l.TimeIn, GridID: l.GridID, ID: l.ID}
	}
	if len(seen) != 31 {
		t.Fatalf("paged through %d of 31", len(seen))
	}
	for f, want := range map[app.VisitFilter]int{
		{From: "2026-11-28", To: "2026-11-28"}: 1, {To: "2026-11-27"}: 30, {Person: stranger}: 1, {Person: "快递员0"}: 10,
		{CompoundID: compound.ID, Inside: true}: 31,
	} {
		if _, n, err := ta.Visits(ctx, guard, f, nil, 5); err != nil || n != want {
			t.Errorf("%+v: %d (%v), want %d", f, n, err, want)
		}
	}
	// Another grid of the community sees the compound's visits, not the house's.
	if _, n, err := ta.Visits(ctx, other, app.VisitFilter{}, nil, 5); err != nil || n != 30 {
		t.Errorf("the other grid sees %d (%v), want 30", n, err)
	}
	if err := ta.LeaveVisit(ctx, other, id, ""); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("another grid closed the visit: %v", err)
	}
	if err := ta.LeaveVisit(ctx, guard, id, "2026-11-28 08:00"); problemKeys(t, err)["time_out"] != "err.visit.out_before_in" {
		t.Errorf("out before in: %v", err)
	}
	if err := ta.LeaveVisit(ctx, guard, id, "2026-11-28 10:05"); err != nil {
		t.Fatal(err)
	}
	if err := ta.LeaveVisit(ctx, guard, id, ""); problemKeys(t, err)["time_out"] != "err.visit.left" {
		t.Errorf("out twice: %v", err)
	}
	if _, n, _ := ta.Visits(ctx, guard, app.VisitFilter{Inside: true}, nil, 5); n != 30 {
		t.Errorf("%d inside, want 30", n)
	}
	// The export: masked, audited; not for an account without the right.
	out := filepath.Join(t.TempDir(), "到访.xlsx")
	if _, err := ta.ExportVisits(ctx, other, app.VisitFilter{}, out, false, ""); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("exported without the right: %v", err)
	}
	if n, err := ta.ExportVisits(ctx, guard, app.VisitFilter{From: "2026-11-28"}, out, false, ""); err != nil || n != 1 {
		t.Fatalf("export %d (%v)", n, err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("到访登记")
	row := rows[len(rows)-1]
	if row[1] != "2026-11-28 09:15" || row[2] != "2026-11-28 10:05" || row[4] != app.MaskIDNumber(stranger) || row[7] != app.HouseText(home.Address) {
		t.Errorf("exported row %q", row)
	}
}

func visitor(t *testing.T, ta *testApp, actor *app.Actor, number string) (name string, ok bool, phone string, err error) {
	t.Helper()
	k, err := ta.Visitor(context.Background(), actor, number)
	if err != nil {
		t.Fatal(err)
	}
	return k.Name, k.Found, k.Phone, err
}
