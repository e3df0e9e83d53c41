package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// roleFixture is a demo district with one account of each role: the grid
// worker holds the first grid; the others the whole community.
type roleFixture struct {
	*testApp
	actors      map[model.Role]*app.Actor
	in, out     model.ResidentRow // residents in the first grid and in another
	inHouse     int64             // a second house in the first grid
	outHouse    int64
	firstGridID int64
}

func newRoleFixture(t *testing.T) *roleFixture {
	t.Helper()
	ta := newDemoApp(t, 4000, 21)
	ctx := context.Background()
	f := &roleFixture{testApp: ta, actors: map[model.Role]*app.Actor{model.RoleAdmin: ta.admin}}
	var community int64
	grids := ta.grids(t)
	if len(grids) < 2 {
		t.Fatalf("the demo has %d grids", len(grids))
	}
	f.firstGridID, community = grids[0].ID, grids[0].ParentID
	for role, areas := range map[model.Role][]int64{model.RoleGrid: {f.firstGridID}, model.RoleWorker: {community}, model.RoleLeader: {community}} {
		name := string(role) + "1"
		if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: name, Password: "Pass123!x", Role: role, Areas: areas}); err != nil {
			t.Fatal(err)
		}
		actor, err := ta.Login(ctx, name, "Pass123!x")
		if err != nil {
			t.Fatal(err)
		}
		f.actors[role] = actor
	}
	for _, r := range ta.rows(t, ta.admin, app.ListFilter{}) {
		if r.Status != model.StatusPresent || r.Relation == model.RelHead || r.HouseID == 0 {
			continue
		}
		switch {
		case r.GridID == f.firstGridID && f.in.ID == 0:
			f.in = r
		case r.GridID != f.firstGridID && f.out.ID == 0:
			f.out = r
		}
	}
	for _, g := range []struct {
		grid  int64
		house *int64
		not   int64
	}{{f.firstGridID, &f.inHouse, f.in.HouseID}, {f.out.GridID, &f.outHouse, f.out.HouseID}} {
		for _, r := range ta.rows(t, ta.admin, app.ListFilter{AreaID: g.grid}) {
			if r.HouseID != g.not && r.HouseID != 0 {
				*g.house = r.HouseID
				break
			}
		}
	}
	if f.in.ID == 0 || f.out.ID == 0 || f.inHouse == 0 || f.outHouse == 0 {
		t.Fatal("the demo lacks residents or houses in two grids")
	}
	return f
}

// TestRoleMatrix runs every role against every use case on data inside and
// outside its areas: generated from one rule, not hand-picked cases.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	type useCase struct {
		name  string
		write bool
		run   func(actor *app.Actor, r model.ResidentRow, house int64) error
	}
	// undo puts a resident back where and as they were, so every case
	// starts from the same data.
	undo := func(t *testing.T, r model.ResidentRow) {
		cur, err := f.Resident(ctx, f.admin, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cur.HouseID != r.HouseID || cur.Status != r.Status {
			if err := f.MoveResident(ctx, f.admin, r.ID, r.HouseID, r.Relation, ""); err != nil {
				t.Fatalf("undo move: %v", err)
			}
		} else if cur.Relation != r.Relation {
			if err := f.ChangeRelation(ctx, f.admin, r.ID, r.Relation); err != nil {
				t.Fatalf("undo relation: %v", err)
			}
		}
	}
	cases := []useCase{
		{"read", false, func(a *app.Actor, r model.ResidentRow, _ int64) error { _, err := f.Resident(ctx, a, r.ID); return err }},
		{"open", false, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			_, err := f.OpenResident(ctx, a, r.ID)
			return err
		}},
		{"history", false, func(a *app.Actor, r model.ResidentRow, _ int64) error { _, err := f.History(ctx, a, r.ID); return err }},
		{"household", false, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			_, err := f.Household(ctx, a, r.HouseID, false)
			return err
		}},
		{"edit", true, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			_, err := f.SaveResident(ctx, a, app.ResidentInput{ID: r.ID, Name: r.Name, IDNumber: r.IDNumber, Phone: r.Phone,
				Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status, Notes: "checked"})
			return err
		}},
		{"relation", true, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			return f.ChangeRelation(ctx, a, r.ID, model.RelOther)
		}},
		{"house use", true, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			return f.SetHouseUse(ctx, a, r.HouseID, model.UseCommercial)
		}},
		{"rename house", true, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			return f.RenamePlace(ctx, a, app.PlaceHouse, r.HouseID, fmt.Sprintf("R%d", r.ID))
		}},
		{"move", true, func(a *app.Actor, r model.ResidentRow, house int64) error {
			return f.MoveResident(ctx, a, r.ID, house, model.RelOther, "")
		}},
		{"leave", true, func(a *app.Actor, r model.ResidentRow, _ int64) error {
			return f.LeaveHouse(ctx, a, r.ID, model.StatusMoved, "")
		}},
	}
	for _, role := range app.Roles {
		for _, inside := range []bool{true, false} {
			for _, uc := range cases {
				t.Run(fmt.Sprintf("%s/%s/inside=%v", role, uc.name, inside), func(t *testing.T) {
					actor := f.actors[role]
					r, house := f.in, f.inHouse
					if !inside {
						r, house = f.out, f.outHouse
					}
					// the grid worker holds only the first grid; the others the community
					visible := inside || role != model.RoleGrid
					want := visible && !(uc.write && role == model.RoleLeader)
					err := uc.run(actor, r, house)
					undo(t, r)
					if want && err != nil {
						t.Errorf("refused: %v", err)
					}
					if !want && !errors.Is(err, model.ErrForbidden) {
						t.Errorf("allowed or not refused as forbidden: %v", err)
					}
				})
			}
		}
	}
	// an administrator not given the view of personal data: the place
	// tree, yes, anywhere; residents and households, nowhere
	if _, err := f.CreateAccount(ctx, f.admin, app.AccountInput{Username: "admin0", Password: "Pass123!x", Role: model.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	admin0, err := f.Login(ctx, "admin0", "Pass123!x")
	if err != nil {
		t.Fatal(err)
	}
	for _, inside := range []bool{true, false} {
		for _, uc := range cases {
			t.Run(fmt.Sprintf("admin-without-personal-data/%s/inside=%v", uc.name, inside), func(t *testing.T) {
				r, house := f.in, f.inHouse
				if !inside {
					r, house = f.out, f.outHouse
				}
				want := uc.name == "house use" || uc.name == "rename house"
				err := uc.run(admin0, r, house)
				undo(t, r)
				if want && err != nil {
					t.Errorf("refused: %v", err)
				}
				if !want && !errors.Is(err, model.ErrForbidden) {
					t.Errorf("allowed or not refused as forbidden: %v", err)
				}
			})
		}
	}
	if l, err := f.Residents(ctx, admin0, app.ListFilter{}); err != nil {
		t.Fatal(err)
	} else if n, _ := l.Count(ctx); n != 0 {
		t.Errorf("an administrator without the view counts %d residents", n)
	}
	// and lists: each role counts exactly the residents of its areas
	all := len(f.rows(t, f.admin, app.ListFilter{}))
	grid := len(f.rows(t, f.admin, app.ListFilter{AreaID: f.firstGridID}))
	for role, want := range map[model.Role]int{model.RoleAdmin: all, model.RoleWorker: all, model.RoleLeader: all, model.RoleGrid: grid} {
		l, err := f.Residents(ctx, f.actors[role], app.ListFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := l.Count(ctx); n != want {
			t.Errorf("%s counts %d residents, want %d", role, n, want)
		}
	}
}

func TestAccountsAreManagedByAdministratorsOnly(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	worker := f.actors[model.RoleWorker]
	if _, err := f.CreateAccount(ctx, worker, app.AccountInput{Username: "x", Password: "Pass123!x", Role: model.RoleWorker}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a worker made an account: %v", err)
	}
	if err := f.ResetPassword(ctx, worker, "grid1", "Other123!"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a worker reset a password: %v", err)
	}
	// a grid worker's areas must be grids; a taken name is said
	_, err := f.CreateAccount(ctx, f.admin, app.AccountInput{Username: "g2", Password: "Pass123!x", Role: model.RoleGrid, Areas: []int64{f.in.GridID, 1}})
	if problemKeys(t, err)["area"] != "err.area.gridonly" {
		t.Errorf("a street given to a grid worker: %v", err)
	}
	_, err = f.CreateAccount(ctx, f.admin, app.AccountInput{Username: "grid1", Password: "Pass123!x", Role: model.RoleGrid, Areas: []int64{f.in.GridID}})
	if problemKeys(t, err)["username"] != "err.username.taken" {
		t.Errorf("a taken name: %v", err)
	}
	// reset lifts a lockout; the owner then changes the password
	for range 5 {
		f.Login(ctx, "grid1", "wrong")
	}
	if err := f.ResetPassword(ctx, f.admin, "grid1", "Reset123!"); err != nil {
		t.Fatal(err)
	}
	g, err := f.Login(ctx, "grid1", "Reset123!")
	if err != nil {
		t.Fatalf("after a reset: %v", err)
	}
	if err := f.ChangePassword(ctx, g, "wrong", "Mine123!x"); problemKeys(t, err)["password"] != "err.password.old" {
		t.Errorf("changed with a wrong old password: %v", err)
	}
	if err := f.ChangePassword(ctx, g, "Reset123!", "Mine123!x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Login(ctx, "grid1", "Mine123!x"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	accs, err := f.Accounts(ctx, f.admin)
	if err != nil || len(accs) != 4 {
		t.Errorf("accounts: %d, %v", len(accs), err)
	}
}
