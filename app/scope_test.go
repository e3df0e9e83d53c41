package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// scopeWorld is a demo district of two grids in one community, plus an
// empty second community with a grid and a compound whose only houses are
// in the second demo grid; and a grid worker for the first grid, signed in
// through Login.
type scopeWorld struct {
	*testApp
	worker            *app.Actor
	street, community int64
	gridA, gridB      int64
	otherCommunity    int64
	otherGrid         int64
	extraCompound     int64
	extraUnit         int64
	extraHouse        int64 // in grid B
	byGrid            map[int64][]model.ResidentRow
}

func newScopeWorld(t *testing.T) *scopeWorld {
	t.Helper()
	ctx := context.Background()
	w := &scopeWorld{testApp: newDemoApp(t, 2000, 5)}
	grids := w.grids(t)
	if len(grids) != 2 {
		t.Fatalf("demo of 2000 made %d grids, want 2", len(grids))
	}
	w.gridA, w.gridB = grids[0].ID, grids[1].ID
	w.community = grids[0].ParentID
	areas, _ := w.st.Areas(ctx)
	for _, a := range areas {
		if a.ID == w.community {
			w.street = a.ParentID
		}
	}
	var err error
	if w.otherCommunity, err = w.st.CreateArea(ctx, noEntry, w.admin.Account.ID, model.Area{ParentID: w.street, Level: model.LevelCommunity, Name: "新社区"}); err != nil {
		t.Fatal(err)
	}
	if w.otherGrid, err = w.st.CreateArea(ctx, noEntry, w.admin.Account.ID, model.Area{ParentID: w.otherCommunity, Level: model.LevelGrid, Name: "第1网格"}); err != nil {
		t.Fatal(err)
	}
	// a compound with houses in grid B only, made through the use cases
	mustID := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.extraCompound = mustID(w.CreatePlace(ctx, w.admin, app.PlaceCompound, w.community, "乙网花园", 0))
	b := mustID(w.CreatePlace(ctx, w.admin, app.PlaceBuilding, w.extraCompound, "1栋", 0))
	w.extraUnit = mustID(w.CreatePlace(ctx, w.admin, app.PlaceUnit, b, "1单元", 0))
	w.extraHouse = mustID(w.CreatePlace(ctx, w.admin, app.PlaceHouse, w.extraUnit, "101室", w.gridB))

	// the grid worker
	const pw = "Grid1234!"
	hash, err := app.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.CreateAccount(ctx, noEntry, model.Account{Username: "grid-a", DisplayName: "网格员", PasswordHash: hash, Role: model.RoleGrid, AreaIDs: []int64{w.gridA}}); err != nil {
		t.Fatal(err)
	}
	if w.worker, err = w.Login(ctx, "grid-a", pw); err != nil {
		t.Fatal(err)
	}
	w.byGrid = map[int64][]model.ResidentRow{}
	for _, r := range w.rows(t, w.admin, app.ListFilter{}) {
		w.byGrid[r.GridID] = append(w.byGrid[r.GridID], r)
	}
	if len(w.byGrid[w.gridA]) == 0 || len(w.byGrid[w.gridB]) == 0 {
		t.Fatal("demo grids without residents")
	}
	return w
}

func rowIDs(rows []model.ResidentRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestGridWorkerScope(t *testing.T) {
	t.Parallel()
	w := newScopeWorld(t)
	ctx := context.Background()
	outsider := w.byGrid[w.gridB][0]
	var insider model.ResidentRow
	for _, r := range w.byGrid[w.gridA] {
		if r.IDNumber != "" {
			insider = r
			break
		}
	}

	t.Run("other accounts", func(t *testing.T) {
		total := 0
		for _, rows := range w.byGrid {
			total += len(rows)
		}
		for _, tc := range []struct {
			name    string
			account model.Account
			want    int
			areas   int
		}{
			{"worker without areas sees nothing", model.Account{ID: 99, Role: model.RoleWorker}, 0, 0},
			{"grid worker without areas sees nothing", model.Account{ID: 99, Role: model.RoleGrid}, 0, 0},
			{"community worker sees its grids", model.Account{ID: 99, Role: model.RoleWorker, AreaIDs: []int64{w.community}}, total, 4},
			{"leader of the other community sees its empty grid", model.Account{ID: 99, Role: model.RoleLeader, AreaIDs: []int64{w.otherCommunity}}, 0, 3},
			{"admin with an area is limited to it", model.Account{ID: 99, Role: model.RoleAdmin, AreaIDs: []int64{w.gridB}}, len(w.byGrid[w.gridB]), 3},
			{"street worker sees everything below", model.Account{ID: 99, Role: model.RoleWorker, AreaIDs: []int64{w.street}}, total, 6},
		} {
			actor := &app.Actor{Account: tc.account}
			if got := w.rows(t, actor, app.ListFilter{}); len(got) != tc.want {
				t.Errorf("%s: sees %d residents, want %d", tc.name, len(got), tc.want)
			}
			areas, err := w.VisibleAreas(ctx, actor)
			if err != nil {
				t.Fatal(err)
			}
			if len(areas) != tc.areas {
				t.Errorf("%s: sees %d areas, want %d", tc.name, len(areas), tc.areas)
			}
		}
	})

	t.Run("residents of the grid only", func(t *testing.T) {
		got := w.rows(t, w.worker, app.ListFilter{})
		if want := rowIDs(w.byGrid[w.gridA]); !slices.Equal(rowIDs(got), want) {
			t.Errorf("worker sees %d residents, want the %d of grid A", len(got), len(want))
		}
		// choosing a wider area does not widen it; another grid is empty
		if got := w.rows(t, w.worker, app.ListFilter{AreaID: w.community}); len(got) != len(w.byGrid[w.gridA]) {
			t.Errorf("worker with the community chosen sees %d", len(got))
		}
		if got := w.rows(t, w.worker, app.ListFilter{AreaID: w.gridB}); len(got) != 0 {
			t.Errorf("worker with grid B chosen sees %d", len(got))
		}
		// a search does not reach outside either
		if got := w.rows(t, w.worker, app.ListFilter{Search: outsider.IDNumber}); outsider.IDNumber != "" && len(got) != 0 {
			t.Errorf("worker finds the outsider by ID number: %v", rowIDs(got))
		}
		if got := w.rows(t, w.worker, app.ListFilter{Search: insider.IDNumber}); len(got) != 1 || got[0].ID != insider.ID {
			t.Errorf("worker searching an insider's ID number: %v", rowIDs(got))
		}
		if got := w.rows(t, w.worker, app.ListFilter{Search: outsider.Name}); slices.Contains(rowIDs(got), outsider.ID) {
			t.Error("worker finds the outsider by name")
		}
	})

	t.Run("a resident of another grid is forbidden", func(t *testing.T) {
		if _, err := w.Resident(ctx, w.worker, outsider.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("Resident: err = %v, want ErrForbidden", err)
		}
		if _, err := w.History(ctx, w.worker, outsider.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("History: err = %v, want ErrForbidden", err)
		}
		if r, err := w.Resident(ctx, w.worker, insider.ID); err != nil || r.ID != insider.ID {
			t.Errorf("own resident: %v", err)
		}
		_, visible, ok, err := w.ResidentByIDNumber(ctx, w.worker, outsider.IDNumber)
		if outsider.IDNumber != "" && (err != nil || !ok || visible) {
			t.Errorf("ResidentByIDNumber of an outsider: visible %v ok %v err %v; want exists, hidden", visible, ok, err)
		}
	})

	t.Run("editing a resident of another grid is refused", func(t *testing.T) {
		in := app.ResidentInput{ID: outsider.ID, Name: "改名", IDNumber: outsider.IDNumber, Phone: outsider.Phone, Kind: outsider.Kind,
			Status: outsider.Status, UpdatedAt: outsider.UpdatedAt}
		if _, err := w.SaveResident(ctx, w.worker, in); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("SaveResident: err = %v, want ErrForbidden", err)
		}
		if r, _ := w.Resident(ctx, w.admin, outsider.ID); r.Name != outsider.Name || !r.UpdatedAt.Equal(outsider.UpdatedAt) {
			t.Errorf("refused edit changed the row: %+v", r)
		}
		if err := w.MoveResident(ctx, w.worker, outsider.ID, insider.HouseID, model.RelOther, ""); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("MoveResident of an outsider: err = %v", err)
		}
		if err := w.LeaveHouse(ctx, w.worker, outsider.ID, model.StatusMoved, ""); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("LeaveHouse of an outsider: err = %v", err)
		}
		if err := w.MoveResident(ctx, w.worker, insider.ID, outsider.HouseID, model.RelOther, ""); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("MoveResident into another grid: err = %v", err)
		}
		if r, _ := w.Resident(ctx, w.admin, insider.ID); r.HouseID != insider.HouseID || r.Status != insider.Status {
			t.Errorf("refused moves changed the insider: %+v", r)
		}
	})

	t.Run("new residents only in the grid", func(t *testing.T) {
		if _, err := w.SaveResident(ctx, w.worker, app.ResidentInput{Name: "新人", HouseID: outsider.HouseID, Relation: model.RelOther}); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("new resident in grid B: err = %v, want ErrForbidden", err)
		}
		if _, err := w.SaveResident(ctx, w.worker, app.ResidentInput{Name: "新人"}); problemKeys(t, err)["house"] != "err.house.required" {
			t.Errorf("new resident without a house: err = %v, want err.house.required", err)
		}
		id, err := w.SaveResident(ctx, w.worker, app.ResidentInput{Name: "新人", HouseID: insider.HouseID, Relation: model.RelOther})
		if err != nil {
			t.Fatalf("new resident in grid A: %v", err)
		}
		if r, err := w.Resident(ctx, w.worker, id); err != nil || r.GridID != w.gridA {
			t.Errorf("the new resident: %+v, %v", r, err)
		}
	})

	t.Run("a taken ID number does not tell whose it is", func(t *testing.T) {
		if outsider.IDNumber == "" {
			t.Skip("outsider without ID number")
		}
		_, err := w.SaveResident(ctx, w.worker, app.ResidentInput{Name: "新人", IDNumber: outsider.IDNumber, HouseID: insider.HouseID, Relation: model.RelOther})
		var ps app.Problems
		if !errors.As(err, &ps) {
			t.Fatalf("err = %v, want Problems", err)
		}
		p, _ := ps.Field("id_number")
		if p.Key != "form.dup.hidden" {
			t.Errorf("key = %q, want form.dup.hidden", p.Key)
		}
		for k, v := range p.Data {
			if v == outsider.Name {
				t.Errorf("the problem tells the outsider's name in %s", k)
			}
		}
	})

	t.Run("places are limited", func(t *testing.T) {
		all, _ := w.Compounds(ctx, w.admin)
		mine, err := w.Compounds(ctx, w.worker)
		if err != nil {
			t.Fatal(err)
		}
		var allIDs, mineIDs []int64
		for _, c := range all {
			allIDs = append(allIDs, c.ID)
		}
		for _, c := range mine {
			mineIDs = append(mineIDs, c.ID)
		}
		if !slices.Contains(allIDs, w.extraCompound) || slices.Contains(mineIDs, w.extraCompound) {
			t.Errorf("the grid-B-only compound: admin sees it %v, worker sees it %v",
				slices.Contains(allIDs, w.extraCompound), slices.Contains(mineIDs, w.extraCompound))
		}
		if len(mineIDs) == 0 {
			t.Fatal("worker sees no compound")
		}
		// every house the worker is shown is in grid A, and some are hidden
		shown, hidden := 0, 0
		for _, c := range all {
			bs, _ := w.Buildings(ctx, w.admin, c.ID)
			for _, b := range bs {
				us, _ := w.Units(ctx, w.admin, b.ID)
				for _, u := range us {
					everyone, _ := w.Houses(ctx, w.admin, u.ID)
					hs, err := w.Houses(ctx, w.worker, u.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range hs {
						if h.GridID != w.gridA {
							t.Fatalf("worker shown house %d of grid %d", h.ID, h.GridID)
						}
					}
					shown += len(hs)
					hidden += len(everyone) - len(hs)
				}
			}
		}
		if shown == 0 || hidden == 0 {
			t.Errorf("houses shown %d, hidden %d; want both", shown, hidden)
		}
		if _, err := w.House(ctx, w.worker, w.extraHouse); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("House of grid B: err = %v", err)
		}
		if _, err := w.Household(ctx, w.worker, outsider.HouseID, true); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("Household of grid B: err = %v", err)
		}
		found, err := w.FindHouses(ctx, w.worker, "1栋1单元101", 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range found {
			if h.GridID != w.gridA {
				t.Errorf("FindHouses gives house %d of grid %d", h.HouseID, h.GridID)
			}
		}
		// a house of the grid is found even behind many of another grid
		for i := 2; i <= 9; i++ {
			if _, err := w.CreatePlace(ctx, w.admin, app.PlaceHouse, w.extraUnit, fmt.Sprintf("%d01", i), w.gridB); err != nil {
				t.Fatal(err)
			}
		}
		ours, err := w.CreatePlace(ctx, w.admin, app.PlaceHouse, w.extraUnit, "1001", w.gridA)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := w.FindHouses(ctx, w.worker, "乙网花园", 1); err != nil || len(got) != 1 || got[0].HouseID != ours {
			t.Errorf("FindHouses(乙网花园) for the grid A worker = %+v, %v; want house %d", got, err, ours)
		}
		if _, err := w.CreatePlace(ctx, w.worker, app.PlaceHouse, 1, "999", w.gridB); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("CreatePlace of a house in grid B: err = %v", err)
		}
	})

	t.Run("visible areas are the path to the grid", func(t *testing.T) {
		got, err := w.VisibleAreas(ctx, w.worker)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if want := []int64{w.street, w.community, w.gridA}; !slices.Equal(ids, want) {
			t.Errorf("VisibleAreas = %v, want %v", ids, want)
		}
		all, _ := w.VisibleAreas(ctx, w.admin)
		if len(all) != 6 { // street, two communities, three grids
			t.Errorf("admin sees %d areas, want 6", len(all))
		}
	})

	t.Run("compounds need the whole community", func(t *testing.T) {
		// only staff of the whole community (or the whole database) may add
		// a compound to it; a grid worker may not
		if _, err := w.CreatePlace(ctx, w.worker, app.PlaceCompound, w.community, "网格员的小区", 0); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("grid worker adds a compound: err = %v, want ErrForbidden", err)
		}
		staff := &app.Actor{Account: model.Account{ID: w.admin.Account.ID, Role: model.RoleWorker, AreaIDs: []int64{w.community}}}
		if _, err := w.CreatePlace(ctx, staff, app.PlaceCompound, w.community, "社区的小区", 0); err != nil {
			t.Errorf("community worker adds a compound: %v", err)
		}
		if _, err := w.CreatePlace(ctx, staff, app.PlaceCompound, w.otherCommunity, "别的社区的小区", 0); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("community worker adds a compound to another community: err = %v, want ErrForbidden", err)
		}
		if _, err := w.CreatePlace(ctx, w.admin, app.PlaceCompound, w.gridA, "网格下的小区", 0); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("a compound under a grid: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("areas by name", func(t *testing.T) {
		for _, tc := range []struct {
			actor *app.Actor
			name  string
			want  int64
			key   string
		}{
			{w.admin, "", 0, ""},
			{w.admin, "第2网格", w.gridB, ""},
			{w.admin, "红旗社区/第1网格", w.gridA, ""},
			{w.admin, " 德源街道 / 红旗社区 / 第1网格 ", w.gridA, ""},
			{w.admin, "新社区/第1网格", w.otherGrid, ""},
			{w.admin, "红旗社区", w.community, ""},
			{w.admin, "第1网格", 0, "err.area.ambiguous"},
			{w.admin, "新社区/第2网格", 0, "err.area.unknown"},
			{w.admin, "第1网格/红旗社区", 0, "err.area.unknown"},
			{w.worker, "第1网格", w.gridA, ""},
			{w.worker, "第2网格", 0, "err.area.unknown"},
			{w.worker, "新社区", 0, "err.area.unknown"},
		} {
			got, err := w.AreaByName(ctx, tc.actor, tc.name)
			if tc.key == "" && (err != nil || got != tc.want) {
				t.Errorf("%s: AreaByName(%q) = %d, %v; want %d", tc.actor.Account.Username, tc.name, got, err, tc.want)
			}
			if tc.key != "" && problemKeys(t, err)["area"] != tc.key {
				t.Errorf("%s: AreaByName(%q) = %d, %v; want %s", tc.actor.Account.Username, tc.name, got, err, tc.key)
			}
		}
	})

	t.Run("demo data is for administrators", func(t *testing.T) {
		if err := w.Demo(ctx, w.worker, 10, 1, nil); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("Demo by a grid worker: err = %v", err)
		}
	})
}
