package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

func TestReadSearch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		kind model.SearchKind
		want string
		addr model.AddressQuery
	}{
		{"", model.SearchNone, "", model.AddressQuery{}},
		{"  \u3000 ", model.SearchNone, "", model.AddressQuery{}},
		{"11010519491231002X", model.SearchIDNumber, "11010519491231002X", model.AddressQuery{}},
		{"11010519491231002x", model.SearchIDNumber, "11010519491231002X", model.AddressQuery{}},
		{"110105 1949 1231 002X", model.SearchIDNumber, "11010519491231002X", model.AddressQuery{}},
		{"110105491231002", model.SearchIDNumber, "11010519491231002X", model.AddressQuery{}},
		// a mistyped number is still searched as the number typed
		{"110105194912310021", model.SearchIDNumber, "110105194912310021", model.AddressQuery{}},
		{"13800138000", model.SearchPhone, "13800138000", model.AddressQuery{}},
		{"138-0013-8000", model.SearchPhone, "13800138000", model.AddressQuery{}},
		{"+86 138 0013 8000", model.SearchPhone, "13800138000", model.AddressQuery{}},
		{"028-87654321", model.SearchPhone, "028-87654321", model.AddressQuery{}},
		{"(028) 8765 4321", model.SearchPhone, "028-87654321", model.AddressQuery{}},
		{"3栋2单元501", model.SearchAddress, "", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}},
		{"锦绣花园3栋2单元501", model.SearchAddress, "", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}},
		{"3-2-501", model.SearchAddress, "", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}},
		{"王", model.SearchName, "王", model.AddressQuery{}},
		{"王小明", model.SearchName, "王小明", model.AddressQuery{}},
		{" 欧阳  明华 ", model.SearchName, "欧阳 明华", model.AddressQuery{}},
		{"Anna Lee", model.SearchName, "Anna Lee", model.AddressQuery{}},
	} {
		kind, text, addr := app.ReadSearch(tc.text)
		if kind != tc.kind || text != tc.want || addr != tc.addr {
			t.Errorf("ReadSearch(%q) = %v %q %+v; want %v %q %+v", tc.text, kind, text, addr, tc.kind, tc.want, tc.addr)
		}
	}
}

func TestResidentsSearchEveryWay(t *testing.T) {
	t.Parallel()
	// given a demo district and one resident with an ID number and a phone
	ta := sharedDemo(t)
	ctx := context.Background()
	all := ta.rows(t, ta.admin, app.ListFilter{})
	var r model.ResidentRow
	for _, x := range all {
		if x.IDNumber != "" && x.Phone != "" && x.Address.Unit != "" {
			r = x
			break
		}
	}
	if r.ID == 0 {
		t.Fatal("no resident with ID number, phone and unit")
	}
	addrText := r.Address.Compound + r.Address.Building + "栋" + r.Address.Unit + "单元" + r.Address.Room
	dashed := r.Address.Building + "-" + r.Address.Unit + "-" + r.Address.Room
	name := []rune(r.Name)

	for _, tc := range []struct {
		search string
		kind   model.SearchKind
		match  func(model.ResidentRow) bool
	}{
		{r.IDNumber, model.SearchIDNumber, func(x model.ResidentRow) bool { return x.IDNumber == r.IDNumber }},
		{strings.ToLower(r.IDNumber), model.SearchIDNumber, func(x model.ResidentRow) bool { return x.IDNumber == r.IDNumber }},
		{r.Phone[:3] + " " + r.Phone[3:7] + " " + r.Phone[7:], model.SearchPhone, func(x model.ResidentRow) bool { return x.Phone == r.Phone }},
		{addrText, model.SearchAddress, func(x model.ResidentRow) bool { return x.HouseID == r.HouseID }},
		{dashed, model.SearchAddress, func(x model.ResidentRow) bool {
			return x.Address.Building == r.Address.Building && x.Address.Unit == r.Address.Unit && x.Address.Room == r.Address.Room
		}},
		{string(name[:1]), model.SearchName, func(x model.ResidentRow) bool { return strings.Contains(x.Name, string(name[:1])) }},
		{string(name[len(name)-2:]), model.SearchName, func(x model.ResidentRow) bool { return strings.Contains(x.Name, string(name[len(name)-2:])) }},
		{r.Name, model.SearchName, func(x model.ResidentRow) bool { return strings.Contains(x.Name, r.Name) }},
	} {
		l, err := ta.Residents(ctx, ta.admin, app.ListFilter{Search: tc.search})
		if err != nil {
			t.Fatal(err)
		}
		if l.Search() != tc.kind {
			t.Errorf("search %q read as %v, want %v", tc.search, l.Search(), tc.kind)
		}
		got := ta.rows(t, ta.admin, app.ListFilter{Search: tc.search})
		var want []int64
		for _, x := range all {
			if tc.match(x) {
				want = append(want, x.ID)
			}
		}
		if !slices.Equal(rowIDs(got), want) || !slices.Contains(want, r.ID) {
			t.Errorf("search %q: %d rows, want %d including %d", tc.search, len(got), len(want), r.ID)
		}
	}

	// and the area and compound filters narrow the list
	grid := ta.rows(t, ta.admin, app.ListFilter{AreaID: r.GridID})
	inCompound := ta.rows(t, ta.admin, app.ListFilter{AreaID: r.GridID, CompoundID: compoundOf(t, ta, r)})
	if len(grid) == 0 || len(grid) >= len(all) || len(inCompound) == 0 || len(inCompound) > len(grid) {
		t.Errorf("all %d, grid %d, grid and compound %d", len(all), len(grid), len(inCompound))
	}
	for _, x := range inCompound {
		if x.GridID != r.GridID || x.Address.Compound != r.Address.Compound {
			t.Errorf("resident %d of grid %d in %s", x.ID, x.GridID, x.Address.Compound)
		}
	}
}

// compoundOf finds the id of a resident's compound through the use cases.
func compoundOf(t *testing.T, ta *testApp, r model.ResidentRow) int64 {
	t.Helper()
	cs, err := ta.Compounds(context.Background(), ta.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == r.Address.Compound {
			return c.ID
		}
	}
	t.Fatalf("no compound %s", r.Address.Compound)
	return 0
}

func TestResidentListPagesAsTheUIDoes(t *testing.T) {
	t.Parallel()
	// the list's own cursors page through it: forward from CursorOf the
	// last row and from CursorAt an offset give the rows of one big page
	ta := sharedDemo(t)
	ctx := context.Background()
	for _, sort := range []model.SortKey{"", model.SortName, model.SortAge, model.SortPhone} {
		l, err := ta.Residents(ctx, ta.admin, app.ListFilter{Sort: sort, Desc: sort == model.SortAge})
		if err != nil {
			t.Fatal(err)
		}
		n, err := l.Count(ctx) // those living here: fewer than the registry
		if err != nil || n >= sharedN || n < sharedN/2 {
			t.Fatalf("sort %q: count %d of %d, %v", sort, n, sharedN, err)
		}
		full, err := l.Page(ctx, nil, sharedN+1, false)
		if err != nil || len(full) != n {
			t.Fatalf("sort %q: %d rows, %v", sort, len(full), err)
		}
		var paged []model.ResidentRow
		var after *model.Cursor
		for {
			page, err := l.Page(ctx, after, 301, false)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if len(page) < 301 {
				break
			}
			c := l.CursorOf(page[len(page)-1].Resident)
			after = &c
		}
		if !slices.Equal(rowIDs(paged), rowIDs(full)) {
			t.Errorf("sort %q: paging differs from one page", sort)
		}
		c, ok, err := l.CursorAt(ctx, 1234)
		if err != nil || !ok {
			t.Fatal(err)
		}
		page, _ := l.Page(ctx, &c, 10, false)
		if !slices.Equal(rowIDs(page), rowIDs(full[1234:1244])) {
			t.Errorf("sort %q: CursorAt(1234) then a page = %v, want %v", sort, rowIDs(page), rowIDs(full[1234:1244]))
		}
		if sort == model.SortAge {
			for i := 1; i < len(full); i++ {
				if full[i-1].Birth != "" && full[i].Birth != "" && ta.Age(full[i-1].Birth) < ta.Age(full[i].Birth) {
					t.Fatalf("age descending: %s before %s", full[i-1].Birth, full[i].Birth)
				}
			}
		}
	}
}
