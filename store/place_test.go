package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"shequ/app/model"
)

func TestRenamePlaceKeepsHistory(t *testing.T) {
	// given the place tree
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)

	for _, tc := range []struct {
		entity   string
		id       int64
		field    string
		old, new string
	}{
		{"compound", p.Compound, "name", "锦绣花园", "锦绣华庭"},
		{"building", p.Building, "name", "3", "3A"},
		{"unit", p.Unit, "name", "2", "二"},
		{"house", p.H101, "room", "101", "101A"},
		{"area", p.GridA, "name", "第1网格", "一网格"},
	} {
		// when it is renamed
		if err := st.RenamePlace(ctx, noEntry, acc, tc.entity, tc.id, tc.new); err != nil {
			t.Fatalf("rename %s: %v", tc.entity, err)
		}
		// then the history keeps old and new
		hist, err := st.History(ctx, tc.entity, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Field != tc.field || hist[0].Old != tc.old || hist[0].New != tc.new || hist[0].Account != "clerk" {
			t.Errorf("%s history = %+v", tc.entity, hist)
		}
		if hist[1].Field != "created" {
			t.Errorf("%s: oldest history %+v, want the creation", tc.entity, hist[1])
		}
		// and renaming to the same name again writes nothing
		if err := st.RenamePlace(ctx, noEntry, acc, tc.entity, tc.id, tc.new); err != nil {
			t.Fatal(err)
		}
		if h, _ := st.History(ctx, tc.entity, tc.id); len(h) != 2 {
			t.Errorf("%s: same-name rename wrote history: %+v", tc.entity, h)
		}
	}
	// and the address shows the new names
	a, err := st.HouseAddress(ctx, p.H101)
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.Address{HouseID: p.H101, Compound: "锦绣华庭", Building: "3A", Unit: "二", Room: "101A", GridID: p.GridA, Use: model.UseOwner}); a != want {
		t.Errorf("HouseAddress = %+v, want %+v", a, want)
	}
}

func TestRenamePlaceErrors(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	if err := st.RenamePlace(ctx, noEntry, 0, "resident", 1, "x"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("rename of a resident: err = %v, want ErrInvalid", err)
	}
	if err := st.RenamePlace(ctx, noEntry, 0, "house", 999, "x"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("rename of a missing house: err = %v, want ErrNotFound", err)
	}
	// a name taken by a sibling is a conflict, and the old name stays
	if err := st.RenamePlace(ctx, noEntry, 0, "house", p.H102, "101"); !errors.Is(err, model.ErrConflict) {
		t.Errorf("rename to a sibling's room: err = %v, want ErrConflict", err)
	}
	if a, _ := st.HouseAddress(ctx, p.H102); a.Room != "102" {
		t.Errorf("refused rename changed the room to %q", a.Room)
	}
	if h, _ := st.History(ctx, "house", p.H102); len(h) != 1 {
		t.Errorf("refused rename wrote history: %+v", h)
	}
}

func TestCreatePlaceConflictsAndDefaults(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	if _, err := st.CreateCompound(ctx, noEntry, 0, model.Compound{CommunityID: p.Community, Name: "锦绣花园"}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second compound of the same name: err = %v, want ErrConflict", err)
	}
	if _, err := st.CreateHouse(ctx, noEntry, 0, model.House{UnitID: p.Unit, Room: "101", GridID: p.GridA}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second house 101: err = %v, want ErrConflict", err)
	}
	hs, err := st.Houses(ctx, p.Unit, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.Use != model.UseOwner {
			t.Errorf("house %s use = %q, want the default %q", h.Room, h.Use, model.UseOwner)
		}
	}
}

func TestPlaceListsAndScope(t *testing.T) {
	// given a second compound whose only house is in grid B, and
	// buildings, units and rooms named so that text order is wrong
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	c2, _ := st.CreateCompound(ctx, noEntry, 0, model.Compound{CommunityID: p.Community, Name: "德源新城"})
	b10, _ := st.CreateBuilding(ctx, noEntry, 0, model.Building{CompoundID: c2, Name: "10"})
	b9, _ := st.CreateBuilding(ctx, noEntry, 0, model.Building{CompoundID: c2, Name: "9"})
	u1, _ := st.CreateUnit(ctx, noEntry, 0, model.Unit{BuildingID: b9, Name: "1"})
	h1001, _ := st.CreateHouse(ctx, noEntry, 0, model.House{UnitID: u1, Room: "1001", GridID: p.GridB, Use: model.UseRented, AreaM2: 88.5})
	h901, _ := st.CreateHouse(ctx, noEntry, 0, model.House{UnitID: u1, Room: "901", GridID: p.GridB})

	compoundIDs := func(grids []int64, all bool) []int64 {
		t.Helper()
		cs, err := st.Compounds(ctx, grids, all)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	// then compounds are by name, limited to those with a house in the grids
	if got := compoundIDs(nil, true); !slices.Equal(got, []int64{c2, p.Compound}) && !slices.Equal(got, []int64{p.Compound, c2}) {
		t.Errorf("all compounds = %v", got)
	}
	if got := compoundIDs([]int64{p.GridA}, false); !slices.Equal(got, []int64{p.Compound}) {
		t.Errorf("compounds of grid A = %v, want [%d]", got, p.Compound)
	}
	if got := compoundIDs([]int64{p.GridB}, false); len(got) != 2 {
		t.Errorf("compounds of grid B = %v, want both", got)
	}
	if got := compoundIDs(nil, false); len(got) != 0 {
		t.Errorf("compounds of no grid = %v, want none", got)
	}

	// and buildings and houses come in natural order
	bs, _ := st.Buildings(ctx, c2)
	if len(bs) != 2 || bs[0].ID != b9 || bs[1].ID != b10 {
		t.Errorf("buildings = %+v, want 9 before 10", bs)
	}
	hs, _ := st.Houses(ctx, u1, nil, true)
	if len(hs) != 2 || hs[0].ID != h901 || hs[1].ID != h1001 {
		t.Errorf("houses = %+v, want 901 before 1001", hs)
	}
	if h := hs[1]; h.Use != model.UseRented || h.AreaM2 != 88.5 || h.GridID != p.GridB || h.UnitID != u1 {
		t.Errorf("house 1001 = %+v", h)
	}
	us, _ := st.Units(ctx, p.Building)
	if len(us) != 1 || us[0].ID != p.Unit || us[0].Name != "2" {
		t.Errorf("units = %+v", us)
	}

	// and houses are limited to the grids
	inA, _ := st.Houses(ctx, p.Unit, []int64{p.GridA}, false)
	if len(inA) != 2 || inA[0].ID != p.H101 || inA[1].ID != p.H102 {
		t.Errorf("houses of grid A = %+v", inA)
	}
	if none, _ := st.Houses(ctx, p.Unit, nil, false); len(none) != 0 {
		t.Errorf("houses of no grid = %+v", none)
	}
}

func TestFindHouses(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	c2, _ := st.CreateCompound(ctx, noEntry, 0, model.Compound{CommunityID: p.Community, Name: "锦绣新城"})
	b, _ := st.CreateBuilding(ctx, noEntry, 0, model.Building{CompoundID: c2, Name: "3"})
	u, _ := st.CreateUnit(ctx, noEntry, 0, model.Unit{BuildingID: b, Name: "2"})
	other, _ := st.CreateHouse(ctx, noEntry, 0, model.House{UnitID: u, Room: "101", GridID: p.GridB})

	for _, tc := range []struct {
		q     model.AddressQuery
		limit int
		want  []int64
	}{
		{model.AddressQuery{Building: "3", Unit: "2", Room: "101"}, 10, []int64{p.H101, other}},
		{model.AddressQuery{Compound: "花园", Building: "3", Unit: "2", Room: "101"}, 10, []int64{p.H101}},
		{model.AddressQuery{Compound: "锦绣"}, 10, []int64{p.H101, p.H102, p.H201, other}},
		{model.AddressQuery{Compound: "锦绣"}, 2, []int64{p.H101, p.H102}},
		{model.AddressQuery{Room: "201"}, 10, []int64{p.H201}},
		{model.AddressQuery{Room: "301"}, 10, nil},
		{model.AddressQuery{Compound: "%"}, 10, nil},
	} {
		got, err := st.FindHouses(ctx, tc.q, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.HouseID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("FindHouses(%+v, %d) = %v, want %v", tc.q, tc.limit, ids, tc.want)
		}
	}
	// limited to grids, the limit counts only the houses in them
	for _, tc := range []struct {
		grids []int64
		limit int
		want  []int64
	}{
		{[]int64{p.GridB}, 1, []int64{p.H201}},
		{[]int64{p.GridB}, 10, []int64{p.H201, other}},
		{[]int64{p.GridA, p.GridB}, 3, []int64{p.H101, p.H102, p.H201}},
		{nil, 10, nil},
	} {
		got, err := st.FindHousesIn(ctx, model.AddressQuery{Compound: "锦绣"}, tc.grids, false, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.HouseID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("FindHousesIn(grids %v, %d) = %v, want %v", tc.grids, tc.limit, ids, tc.want)
		}
	}
	if _, err := st.HouseAddress(ctx, 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("HouseAddress(999) err = %v, want ErrNotFound", err)
	}
}

func TestAreas(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	areas, err := st.Areas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Area{
		{ID: p.Street, Level: model.LevelStreet, Name: "德源街道"},
		{ID: p.Community, ParentID: p.Street, Level: model.LevelCommunity, Name: "红旗社区"},
		{ID: p.GridA, ParentID: p.Community, Level: model.LevelGrid, Name: "第1网格"},
		{ID: p.GridB, ParentID: p.Community, Level: model.LevelGrid, Name: "第2网格"},
	}
	if !slices.Equal(areas, want) {
		t.Errorf("Areas = %+v\nwant    %+v", areas, want)
	}
	if _, err := st.CreateArea(ctx, noEntry, 0, model.Area{ParentID: p.Community, Level: model.LevelGrid, Name: "第1网格"}); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second grid of the same name: err = %v, want ErrConflict", err)
	}
	if _, err := st.CreateArea(ctx, noEntry, 0, model.Area{ParentID: p.Community, Level: "block", Name: "x"}); err == nil {
		t.Error("an area of an unknown level was accepted")
	}
}
