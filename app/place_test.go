package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// presentWithHouse is a demo resident who lives somewhere now.
func presentWithHouse(t *testing.T, ta *testApp) model.ResidentRow {
	t.Helper()
	for _, r := range ta.rows(t, ta.admin, app.ListFilter{}) {
		if r.Status == model.StatusPresent && r.Relation == model.RelChild {
			return r
		}
	}
	t.Fatal("no present child in the demo")
	return model.ResidentRow{}
}

// member finds a resident in a household.
func member(ms []model.Member, id int64) (model.Member, bool) {
	for _, m := range ms {
		if m.ID == id {
			return m, true
		}
	}
	return model.Member{}, false
}

func TestMoveResidentThroughTheApp(t *testing.T) {
	t.Parallel()
	// given a resident of the demo and another house
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	r := presentWithHouse(t, ta)
	hs, err := ta.FindHouses(ctx, ta.admin, "2栋1单元102", 1)
	if err != nil || len(hs) != 1 || hs[0].HouseID == r.HouseID {
		t.Fatalf("no other house: %v %v", hs, err)
	}
	to := hs[0]

	// when they move there, the date written the office way
	if err := ta.MoveResident(ctx, ta.admin, r.ID, to.HouseID, model.RelOther, "2025/6/1"); err != nil {
		t.Fatal(err)
	}

	// then they live there from that day, with the new address
	got, err := ta.Resident(ctx, ta.admin, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.HouseID != to.HouseID || got.Relation != model.RelOther || got.Address != to {
		t.Errorf("after the move: %+v", got)
	}
	now, _ := ta.Household(ctx, ta.admin, to.HouseID, false)
	if m, ok := member(now, r.ID); !ok || m.Since != "2025-06-01" || m.Until != "" {
		t.Errorf("new household: %+v", now)
	}
	// and the old house remembers them until that day
	old, _ := ta.Household(ctx, ta.admin, r.HouseID, false)
	if _, ok := member(old, r.ID); ok {
		t.Error("still in the old household")
	}
	past, _ := ta.Household(ctx, ta.admin, r.HouseID, true)
	if m, ok := member(past, r.ID); !ok || m.Until != "2025-06-01" || m.Relation != model.RelChild {
		t.Errorf("old household with past: %+v", m)
	}
	// and the history says where from and where to
	hist, err := ta.History(ctx, ta.admin, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]model.Change{}
	for _, c := range hist {
		if _, seen := fields[c.Entity+"."+c.Field]; !seen {
			fields[c.Entity+"."+c.Field] = c
		}
	}
	// moves read as addresses, not house ids
	if c := fields["resident.house"]; c.Old != app.FormatAddress(r.Address) || c.New != app.FormatAddress(to) || c.Account != "admin" {
		t.Errorf("house change = %+v", c)
	}
	if c := fields["resident.relation"]; c.Old != "child" || c.New != "other" {
		t.Errorf("relation change = %+v", c)
	}
	if c := fields["residence.until"]; c.New != "2025-06-01" {
		t.Errorf("the end of the old residence is not in the history: %+v", hist[:min(4, len(hist))])
	}
}

func TestMoveResidentRefusesBadInput(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	r := presentWithHouse(t, ta)
	hs, _ := ta.FindHouses(ctx, ta.admin, "2栋1单元102", 1)
	to := hs[0].HouseID
	for _, tc := range []struct {
		name  string
		house int64
		rel   model.Relation
		date  string
		want  error
		key   string
	}{
		{"no relation", to, "", "2025-06-01", model.ErrInvalid, "err.relation.required"},
		{"not a date", to, model.RelHead, "2025-02-30", model.ErrInvalid, "err.date.invalid"},
		{"before moving in", to, model.RelHead, "1900-01-01", model.ErrInvalid, ""},
		{"no such house", 99999, model.RelHead, "2025-06-01", model.ErrNotFound, ""},
	} {
		err := ta.MoveResident(ctx, ta.admin, r.ID, tc.house, tc.rel, tc.date)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
		if tc.key != "" {
			var ps app.Problems
			if !errors.As(err, &ps) || ps[0].Key != tc.key {
				t.Errorf("%s: err = %v, want %s", tc.name, err, tc.key)
			}
		}
	}
	if got, _ := ta.Resident(ctx, ta.admin, r.ID); got.HouseID != r.HouseID || !got.UpdatedAt.Equal(r.UpdatedAt) {
		t.Errorf("refused moves changed the resident: %+v", got)
	}
	if err := ta.MoveResident(ctx, ta.admin, 99999, to, model.RelHead, ""); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("move of a missing resident: %v", err)
	}
}

func TestLeaveHouseThroughTheApp(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	r := presentWithHouse(t, ta)

	// only moving away and death end a residence
	for _, s := range []model.Status{model.StatusPresent, model.StatusAway, "gone"} {
		if err := ta.LeaveHouse(ctx, ta.admin, r.ID, s, "2025-06-01"); problemKeys(t, err)["status"] != "err.choice" {
			t.Errorf("LeaveHouse(%q): err = %v, want err.choice", s, err)
		}
	}
	if err := ta.LeaveHouse(ctx, ta.admin, r.ID, model.StatusMoved, "next week"); problemKeys(t, err)["date"] != "err.date.invalid" {
		t.Errorf("LeaveHouse with a bad date: err = %v", err)
	}

	// when the resident moves away
	if err := ta.LeaveHouse(ctx, ta.admin, r.ID, model.StatusMoved, "2025年7月1日"); err != nil {
		t.Fatal(err)
	}

	// then the record stays, with its last address and the new status
	got, err := ta.Resident(ctx, ta.admin, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != model.StatusMoved || got.HouseID != r.HouseID || got.Address != r.Address {
		t.Errorf("after leaving: %+v", got)
	}
	now, _ := ta.Household(ctx, ta.admin, r.HouseID, false)
	if _, ok := member(now, r.ID); ok {
		t.Error("still in the current household")
	}
	past, _ := ta.Household(ctx, ta.admin, r.HouseID, true)
	if m, ok := member(past, r.ID); !ok || m.Until != "2025-07-01" {
		t.Errorf("household with past: %+v", m)
	}
	// and the history shows the status and the end of the residence
	hist, _ := ta.History(ctx, ta.admin, r.ID)
	var status, until bool
	for _, c := range hist {
		status = status || c.Entity == "resident" && c.Field == "status" && c.Old == "present" && c.New == "moved"
		until = until || c.Entity == "residence" && c.Field == "until" && c.New == "2025-07-01"
	}
	if !status || !until {
		t.Errorf("history has the status change %v and the residence end %v: %+v", status, until, hist[:min(4, len(hist))])
	}
}

func TestCreateAndRenamePlaces(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 100, 1)
	ctx := context.Background()
	grids := ta.grids(t)
	community := grids[0].ParentID
	mustID := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}

	// names are read as offices write them
	c := mustID(ta.CreatePlace(ctx, ta.admin, app.PlaceCompound, community, " 新建家园 ", 0))
	b := mustID(ta.CreatePlace(ctx, ta.admin, app.PlaceBuilding, c, "１２栋", 0))
	u := mustID(ta.CreatePlace(ctx, ta.admin, app.PlaceUnit, b, "3单元", 0))
	h := mustID(ta.CreatePlace(ctx, ta.admin, app.PlaceHouse, u, "502室", grids[0].ID))
	addr, err := ta.House(ctx, ta.admin, h)
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.Address{HouseID: h, Compound: "新建家园", Building: "12", Unit: "3", Room: "502", GridID: grids[0].ID, Use: model.UseOwner}); addr != want {
		t.Errorf("new house = %+v, want %+v", addr, want)
	}
	if got, _ := ta.FindHouses(ctx, ta.admin, "新建家园12栋3单元502", 5); len(got) != 1 || got[0].HouseID != h {
		t.Errorf("FindHouses of the new house = %+v", got)
	}
	if got, _ := ta.FindHouses(ctx, ta.admin, "新建", 5); len(got) != 1 {
		t.Errorf("FindHouses by compound name = %+v", got)
	}
	// a building without units has one unit with no name
	noUnit := mustID(ta.CreatePlace(ctx, ta.admin, app.PlaceUnit, b, "", 0))
	if us, _ := ta.Units(ctx, ta.admin, b); len(us) != 2 || us[0].ID != noUnit || us[0].Name != "" {
		t.Errorf("units = %+v", us)
	}

	for _, tc := range []struct {
		name   string
		kind   app.PlaceKind
		parent int64
		text   string
		grid   int64
		key    string
		want   error
	}{
		{"compound without a name", app.PlaceCompound, community, " ", 0, "err.place.name", model.ErrInvalid},
		{"house without a grid", app.PlaceHouse, u, "503", 0, "err.grid.required", model.ErrInvalid},
		{"house taken", app.PlaceHouse, u, "502", grids[0].ID, "", model.ErrConflict},
		{"unknown kind", "street", community, "x", 0, "", model.ErrInvalid},
	} {
		_, err := ta.CreatePlace(ctx, ta.admin, tc.kind, tc.parent, tc.text, tc.grid)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
		if tc.key != "" {
			var ps app.Problems
			if !errors.As(err, &ps) || ps[0].Key != tc.key {
				t.Errorf("%s: err = %v, want %s", tc.name, err, tc.key)
			}
		}
	}

	// renaming keeps the old name in the history
	if err := ta.RenamePlace(ctx, ta.admin, app.PlaceCompound, c, "新建华庭"); err != nil {
		t.Fatal(err)
	}
	if addr, _ := ta.House(ctx, ta.admin, h); addr.Compound != "新建华庭" {
		t.Errorf("after rename: %+v", addr)
	}
	hist, _ := ta.st.History(ctx, "compound", c)
	if len(hist) == 0 || hist[0].Old != "新建家园" || hist[0].New != "新建华庭" || hist[0].Account != "admin" {
		t.Errorf("compound history = %+v", hist)
	}
	if err := ta.RenamePlace(ctx, ta.admin, app.PlaceHouse, h, ""); problemKeys(t, err)["place"] != "err.place.name" {
		t.Errorf("rename to nothing: %v", err)
	}
}

func TestOneHouseholderPerHouse(t *testing.T) {
	t.Parallel()
	// given a child in a house that has a householder
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	r := presentWithHouse(t, ta)
	members, err := ta.Household(ctx, ta.admin, r.HouseID, false)
	if err != nil {
		t.Fatal(err)
	}
	var head model.Member
	for _, m := range members {
		if m.Relation == model.RelHead {
			head = m
		}
	}
	if head.ID == 0 {
		t.Skip("the child's house has no householder in this demo")
	}

	// when a second householder is added, moved in, or made: refused, naming the first
	_, err = ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "第二户主", HouseID: r.HouseID, Relation: model.RelHead})
	if k := problemKeys(t, err)["relation"]; k != "err.head.exists" {
		t.Errorf("new resident as second head: %v", err)
	}
	if err := ta.ChangeRelation(ctx, ta.admin, r.ID, model.RelHead); problemKeys(t, err)["relation"] != "err.head.exists" {
		t.Errorf("relation changed to a second head: %v", err)
	}

	// then: once the householder becomes the spouse, the child may be householder
	if err := ta.ChangeRelation(ctx, ta.admin, head.ID, model.RelSpouse); err != nil {
		t.Fatal(err)
	}
	if err := ta.ChangeRelation(ctx, ta.admin, r.ID, model.RelHead); err != nil {
		t.Fatal(err)
	}
	members, _ = ta.Household(ctx, ta.admin, r.HouseID, false)
	if m, _ := member(members, r.ID); m.Relation != model.RelHead {
		t.Errorf("household after the change: %+v", members)
	}
	hist, _ := ta.History(ctx, ta.admin, head.ID)
	if len(hist) == 0 || hist[0].Field != "relation" || hist[0].Old != "head" || hist[0].New != "spouse" {
		t.Errorf("history of the old householder: %+v", hist)
	}
}

func TestLeavingBeforeMovingInIsRefusedAndVacantHousesFillUp(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	r := presentWithHouse(t, ta)
	err := ta.LeaveHouse(ctx, ta.admin, r.ID, model.StatusMoved, "1900-01-01")
	if k := problemKeys(t, err)["date"]; k != "err.date.before" {
		t.Errorf("leaving in 1900: %v", err)
	}
	// a vacant house that a tenant moves into is rented from then on
	addrs, _ := ta.FindHouses(ctx, ta.admin, "锦绣花园", 500)
	var vacant int64
	for _, a := range addrs {
		ms, _ := ta.Household(ctx, ta.admin, a.HouseID, false)
		if len(ms) == 0 {
			vacant = a.HouseID
			break
		}
	}
	if vacant == 0 {
		t.Skip("no empty house")
	}
	if err := ta.SetHouseUse(ctx, ta.admin, vacant, model.UseVacant); err != nil {
		t.Fatal(err)
	}
	if err := ta.MoveResident(ctx, ta.admin, r.ID, vacant, model.RelTenant, ""); err != nil {
		t.Fatal(err)
	}
	addr, _ := ta.House(ctx, ta.admin, vacant)
	hist, _ := ta.st.History(ctx, "house", vacant)
	if len(hist) == 0 || hist[0].Field != "use" || hist[0].New != string(model.UseRented) {
		t.Errorf("house %s use history: %+v", app.FormatAddress(addr), hist)
	}
	if err := ta.MoveResident(ctx, ta.admin, r.ID, 0, model.RelOther, ""); problemKeys(t, err)["house"] != "err.house.required" {
		t.Errorf("move without a house: %v", err)
	}
}
