package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// listFixture is a database of a few thousand residents written with the
// Bulk API, made so that sort values tie a lot: few names, sexes and
// birth dates, many empty phones and ID numbers, residents without a house.
type listFixture struct {
	st        *store.Store
	grids     [3]int64
	compounds [2]int64
	houses    map[int64]model.Address
	residents []model.Resident // in id order, with their ids
}

// listSize is the number of residents of the list fixture.
var listSize = map[bool]int{false: 1200, true: 500}[raceDetector]

var (
	fixtureOnce sync.Once
	fixture     *listFixture
	fixtureErr  error
)

// sharedList builds the fixture once for the package's read-only tests.
func sharedList(t *testing.T) *listFixture {
	t.Helper()
	fixtureOnce.Do(func() {
		fixture, fixtureErr = buildList(filepath.Join(sharedDir, "list.db"))
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

func buildList(file string) (*listFixture, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	f := &listFixture{st: st, houses: map[int64]model.Address{}}
	rng := rand.New(rand.NewPCG(7, 11))
	names := []string{"王伟", "王芳", "李伟", "李娜", "张伟", "张敏", "刘洋", "陈静", "王小明", "欧阳明华", "明", "Anna Lee", "王", "李明", "张明明"}
	births := []string{"", "1949-10-01", "1960-02-29", "1975-07-15", "1980-01-01", "1980-01-02", "1990-12-31", "2001-05-20", "2010-10-10", "2020-02-02"}
	phones := []string{"", "", "", "13800138000", "13900139000", "028-87654321", "15012345678"}
	sexes := []model.Sex{model.Male, model.Female, ""}
	err = st.Bulk(ctx, noEntry, func(b *store.Bulk) error {
		street, err := b.Area(model.Area{Level: model.LevelStreet, Name: "德源街道"})
		if err != nil {
			return err
		}
		comm, err := b.Area(model.Area{ParentID: street, Level: model.LevelCommunity, Name: "红旗社区"})
		if err != nil {
			return err
		}
		for i := range f.grids {
			if f.grids[i], err = b.Area(model.Area{ParentID: comm, Level: model.LevelGrid, Name: fmt.Sprintf("第%d网格", i+1)}); err != nil {
				return err
			}
		}
		var houseIDs []int64
		for ci, cname := range []string{"锦绣花园", "德源新城"} {
			if f.compounds[ci], err = b.Compound(model.Compound{CommunityID: comm, Name: cname}); err != nil {
				return err
			}
			for bn := 1; bn <= 2; bn++ {
				bid, err := b.Building(model.Building{CompoundID: f.compounds[ci], Name: fmt.Sprint(bn)})
				if err != nil {
					return err
				}
				for un := 1; un <= 2; un++ {
					uid, err := b.Unit(model.Unit{BuildingID: bid, Name: fmt.Sprint(un)})
					if err != nil {
						return err
					}
					for room := 1; room <= 6; room++ {
						grid := f.grids[(ci*4+bn*2+un+room)%3]
						r := fmt.Sprintf("%d01", room)
						hid, err := b.House(model.House{UnitID: uid, Room: r, GridID: grid, Use: model.UseOwner})
						if err != nil {
							return err
						}
						houseIDs = append(houseIDs, hid)
						f.houses[hid] = model.Address{HouseID: hid, Compound: cname, Building: fmt.Sprint(bn), Unit: fmt.Sprint(un), Room: r, GridID: grid, Use: model.UseOwner}
					}
				}
			}
		}
		for i := 0; i < listSize; i++ {
			r := model.Resident{
				Name: names[rng.IntN(len(names))], Sex: sexes[rng.IntN(len(sexes))], Birth: births[rng.IntN(len(births))],
				Phone: phones[rng.IntN(len(phones))], Ethnicity: "汉族", Kind: model.Kinds[rng.IntN(len(model.Kinds))],
				Status: model.Statuses[rng.IntN(len(model.Statuses))],
			}
			if rng.IntN(10) < 7 {
				r.IDNumber = fmt.Sprintf("5101%014d", rng.IntN(1e9)*10000+i) // unique, any order
			}
			if rng.IntN(20) != 0 {
				r.HouseID = houseIDs[rng.IntN(len(houseIDs))]
				r.GridID = f.houses[r.HouseID].GridID
				r.Relation = model.Relations[rng.IntN(len(model.Relations))]
			}
			if r.ID, err = b.Resident(r, "2020-01-01", ""); err != nil {
				return err
			}
			f.residents = append(f.residents, r)
		}
		return nil
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return f, nil
}

// sortValue is the value a sort key orders by, as the user sees it.
func sortValue(key model.SortKey, r model.Resident) any {
	switch key {
	case model.SortName: // pinyin order
		return string(store.NameKey(r.Name))
	case model.SortSex:
		return string(r.Sex)
	case model.SortAge:
		return r.Birth
	case model.SortIDNumber:
		return r.IDNumber
	case model.SortPhone:
		return r.Phone
	case model.SortAddress:
		return r.HouseID
	case model.SortRelation: // in the order staff read them: 户主, 配偶, 子女 …
		return displayRank(r.Relation, model.Relations)
	case model.SortKind:
		return displayRank(r.Kind, model.Kinds)
	case model.SortStatus:
		return displayRank(r.Status, model.Statuses)
	}
	return r.ID
}

// displayRank is a code's place in its display order; unknown codes last.
func displayRank[T comparable](v T, order []T) int64 {
	if i := slices.Index(order, v); i >= 0 {
		return int64(i)
	}
	return int64(len(order))
}

// compareValues compares two sort values of the same key.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case int64:
		return cmp.Compare(x, b.(int64))
	}
	panic(fmt.Sprintf("sort value %T", a))
}

var allSortKeys = []model.SortKey{model.SortID, model.SortName, model.SortSex, model.SortAge, model.SortIDNumber,
	model.SortPhone, model.SortAddress, model.SortRelation, model.SortKind, model.SortStatus}

func ids(rows []model.ResidentRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// checkPaging pages through q every way the residents table does and
// compares with one big page.
func checkPaging(t *testing.T, st *store.Store, q model.ResidentQuery, wantCount int) {
	t.Helper()
	ctx := context.Background()
	n, err := st.CountResidents(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if n != wantCount {
		t.Fatalf("count = %d, want %d", n, wantCount)
	}
	full, err := st.ResidentPage(ctx, q, nil, n+10, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != n {
		t.Fatalf("one big page has %d rows, count says %d", len(full), n)
	}
	all := ids(full)
	if seen := slices.Compact(slices.Sorted(slices.Values(all))); len(seen) != n {
		t.Fatalf("big page repeats rows: %d distinct of %d", len(seen), n)
	}

	// the big page is in the asked order: age ascending is birth date
	// descending; ties are broken the same way every time (checked below)
	for i := 1; i < len(full); i++ {
		c := compareValues(sortValue(q.Sort, full[i-1].Resident), sortValue(q.Sort, full[i].Resident))
		if (q.Sort == model.SortAge) != q.Desc {
			c = -c
		}
		if c > 0 {
			t.Fatalf("rows %d and %d out of order for %s desc=%v: %v then %v", i-1, i, q.Sort, q.Desc,
				sortValue(q.Sort, full[i-1].Resident), sortValue(q.Sort, full[i].Resident))
		}
		if q.Sort == model.SortID && full[i-1].ID == full[i].ID {
			t.Fatal("same id twice")
		}
	}

	// about five pages, of a size that does not divide the list (the last
	// page is short) and whose boundaries fall inside runs of ties
	size := n/5 + 1
	if n%size == 0 {
		size++
	}

	// forward from the start, each page after the cursor of its last row
	var fwd []int64
	var after *model.Cursor
	for pages := 0; ; pages++ {
		if pages > n/size+2 {
			t.Fatal("forward paging does not end")
		}
		page, err := st.ResidentPage(ctx, q, after, size, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > size {
			t.Fatalf("page of %d rows, limit %d", len(page), size)
		}
		fwd = append(fwd, ids(page)...)
		if len(page) < size {
			break
		}
		c := store.ResidentCursor(q, page[len(page)-1].Resident)
		after = &c
	}
	if !slices.Equal(fwd, all) {
		t.Errorf("forward paging gives %d rows differing from the big page (first difference at %d)", len(fwd), firstDiff(fwd, all))
	}

	// backward from the end, each page before the cursor of its first row
	var back []int64
	var before *model.Cursor
	for pages := 0; ; pages++ {
		if pages > n/size+2 {
			t.Fatal("backward paging does not end")
		}
		page, err := st.ResidentPage(ctx, q, before, size, true)
		if err != nil {
			t.Fatal(err)
		}
		back = append(ids(page), back...)
		if len(page) < size {
			break
		}
		c := store.ResidentCursor(q, page[0].Resident)
		before = &c
	}
	if !slices.Equal(back, all) {
		t.Errorf("backward paging gives %d rows differing from the big page (first difference at %d)", len(back), firstDiff(back, all))
	}

	// a jump to an offset, then a page forward
	for _, off := range []int{0, 1, size, n / 2, n - 1, n} {
		c, ok, err := st.ResidentCursorAt(ctx, q, off)
		if err != nil {
			t.Fatalf("CursorAt(%d): %v", off, err)
		}
		if ok != (off > 0) {
			t.Errorf("CursorAt(%d) ok = %v", off, ok)
		}
		var at *model.Cursor
		if ok {
			at = &c
		}
		page, err := st.ResidentPage(ctx, q, at, 50, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := all[off:min(off+50, n)]; !slices.Equal(ids(page), want) {
			t.Errorf("CursorAt(%d) then a page: %v, want %v", off, head(ids(page)), head(want))
		}
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func head(s []int64) []int64 { return s[:min(5, len(s))] }

func TestResidentPagingEverySortKey(t *testing.T) {
	f := sharedList(t)
	for _, key := range allSortKeys {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/desc=%v", key, desc), func(t *testing.T) {
				t.Parallel()
				checkPaging(t, f.st, model.ResidentQuery{AllGrids: true, Sort: key, Desc: desc}, listSize)
			})
		}
	}
}

// TestLivingPagingEverySortKey pages the list of those living here (the
// default everywhere) in every order: the rows, their order and the
// jumps deep into the list agree with one big page.
func TestLivingPagingEverySortKey(t *testing.T) {
	f := sharedList(t)
	want := 0
	for _, r := range f.residents {
		if r.Status == model.StatusPresent || r.Status == model.StatusAway {
			want++
		}
	}
	if want == len(f.residents) || want == 0 {
		t.Fatalf("fixture has %d living of %d", want, len(f.residents))
	}
	for _, key := range allSortKeys {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/desc=%v", key, desc), func(t *testing.T) {
				t.Parallel()
				q := model.ResidentQuery{AllGrids: true, Sort: key, Desc: desc, Cohort: &model.Cohort{Statuses: model.Living}}
				checkPaging(t, f.st, q, want)
			})
		}
	}
}

// TestNameSearchCountsInEveryState: a search for one or two characters
// of a name counts, in any states, the rows it lists, whichever way the
// count is made (row by row, or the grams less the former residents).
func TestNameSearchCountsInEveryState(t *testing.T) {
	f := sharedList(t)
	ctx := context.Background()
	for _, from := range []int{0, 1 << 30} {
		restore := store.CountGramsFromForTest(from)
		for _, text := range []string{"王", "明", "王小", "an"} {
			for _, sts := range [][]model.Status{nil, model.Living, {model.StatusAway, model.StatusPresent, model.StatusDead},
				model.Statuses, {model.StatusMoved}} {
				for _, grids := range [][]int64{nil, {f.grids[1]}} {
					q := model.ResidentQuery{AllGrids: grids == nil, Grids: grids, Search: model.SearchName, Text: text, Cohort: &model.Cohort{Statuses: sts}}
					n, err := f.st.CountResidents(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					rows, err := f.st.ResidentPage(ctx, q, nil, listSize+1, false)
					if err != nil {
						t.Fatal(err)
					}
					if n != len(rows) {
						t.Errorf("%q in %v, grids %v, sets from %d grams: counted %d, lists %d", text, sts, grids, from, n, len(rows))
					}
				}
			}
		}
		restore()
	}
}

func TestResidentPagingWithFilters(t *testing.T) {
	// given a grid, a compound and a name part that leave a few hundred rows
	f := sharedList(t)
	want := 0
	for _, r := range f.residents {
		if (r.GridID == f.grids[0] || r.GridID == f.grids[2]) && f.houses[r.HouseID].Compound == "锦绣花园" && strings.Contains(r.Name, "明") {
			want++
		}
	}
	if want < 30 {
		t.Fatalf("fixture too small for the filter: %d rows", want)
	}
	for _, key := range allSortKeys {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/desc=%v", key, desc), func(t *testing.T) {
				t.Parallel()
				q := model.ResidentQuery{Grids: []int64{f.grids[0], f.grids[2]}, CompoundID: f.compounds[0],
					Search: model.SearchName, Text: "明", Sort: key, Desc: desc}
				checkPaging(t, f.st, q, want)
			})
		}
	}
}

func TestResidentPageRows(t *testing.T) {
	// the page rows carry the resident and the resolved address
	f := sharedList(t)
	ctx := context.Background()
	rows, err := f.st.ResidentPage(ctx, model.ResidentQuery{AllGrids: true, Sort: model.SortID}, nil, listSize, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		want := f.residents[i]
		got := row.Resident
		got.UpdatedAt = want.UpdatedAt
		if got != want {
			t.Fatalf("row %d = %+v\nwant     %+v", i, got, want)
		}
		if wa := f.houses[want.HouseID]; row.Address != wa {
			t.Fatalf("row %d address = %+v, want %+v", i, row.Address, wa)
		}
	}
	// an unknown sort key falls back to the id order
	odd, err := f.st.ResidentPage(ctx, model.ResidentQuery{AllGrids: true, Sort: "shoe size"}, nil, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(odd), ids(rows[:10])) {
		t.Errorf("unknown sort key: %v", ids(odd))
	}
}

func TestResidentQueryScopeAndSearch(t *testing.T) {
	f := sharedList(t)
	ctx := context.Background()
	g := f.grids
	someID, somePhone := "", ""
	for _, r := range f.residents {
		if r.IDNumber != "" && someID == "" {
			someID = r.IDNumber
		}
		if r.Phone == "13900139000" {
			somePhone = r.Phone
		}
	}
	count := func(pred func(model.Resident) bool) int {
		n := 0
		for _, r := range f.residents {
			if pred(r) {
				n++
			}
		}
		return n
	}
	inGrids := func(gs ...int64) func(model.Resident) bool {
		return func(r model.Resident) bool { return slices.Contains(gs, r.GridID) }
	}
	for _, tc := range []struct {
		name string
		q    model.ResidentQuery
		want int
	}{
		{"everything", model.ResidentQuery{AllGrids: true}, listSize},
		{"one grid", model.ResidentQuery{Grids: []int64{g[1]}}, count(inGrids(g[1]))},
		{"two grids", model.ResidentQuery{Grids: []int64{g[0], g[2]}}, count(inGrids(g[0], g[2]))},
		{"no grids, not all", model.ResidentQuery{}, 0},
		{"empty grid list, not all", model.ResidentQuery{Grids: []int64{}}, 0},
		{"a grid that does not exist", model.ResidentQuery{Grids: []int64{9999}}, 0},
		{"without a house only for all", model.ResidentQuery{AllGrids: true, Search: model.SearchName, Text: "王"},
			count(func(r model.Resident) bool { return strings.Contains(r.Name, "王") })},
		{"a name part in a grid", model.ResidentQuery{Grids: []int64{g[1]}, Search: model.SearchName, Text: "明"},
			count(func(r model.Resident) bool { return r.GridID == g[1] && strings.Contains(r.Name, "明") })},
		{"two characters in two grids", model.ResidentQuery{Grids: []int64{g[0], g[1]}, Search: model.SearchName, Text: "王小"},
			count(func(r model.Resident) bool {
				return (r.GridID == g[0] || r.GridID == g[1]) && strings.Contains(r.Name, "王小")
			})},
		{"three characters in a grid", model.ResidentQuery{Grids: []int64{g[2]}, Search: model.SearchName, Text: "欧阳明"},
			count(func(r model.Resident) bool { return r.GridID == g[2] && strings.Contains(r.Name, "欧阳明") })},
		{"a name part, not all, no grids", model.ResidentQuery{Search: model.SearchName, Text: "王"}, 0},
		{"id number", model.ResidentQuery{AllGrids: true, Search: model.SearchIDNumber, Text: someID}, 1},
		{"id number outside the grids", model.ResidentQuery{Grids: []int64{9999}, Search: model.SearchIDNumber, Text: someID}, 0},
		{"phone", model.ResidentQuery{AllGrids: true, Search: model.SearchPhone, Text: somePhone},
			count(func(r model.Resident) bool { return r.Phone == somePhone })},
		{"phone in a grid", model.ResidentQuery{Grids: []int64{g[0]}, Search: model.SearchPhone, Text: somePhone},
			count(func(r model.Resident) bool { return r.Phone == somePhone && r.GridID == g[0] })},
		{"compound", model.ResidentQuery{AllGrids: true, CompoundID: f.compounds[1]},
			count(func(r model.Resident) bool { return f.houses[r.HouseID].Compound == "德源新城" })},
		{"address", model.ResidentQuery{AllGrids: true, Search: model.SearchAddress, Addr: model.AddressQuery{Compound: "锦绣", Building: "2", Unit: "1", Room: "301"}},
			count(func(r model.Resident) bool {
				a := f.houses[r.HouseID]
				return a.Compound == "锦绣花园" && a.Building == "2" && a.Unit == "1" && a.Room == "301"
			})},
		{"address without compound", model.ResidentQuery{AllGrids: true, Search: model.SearchAddress, Addr: model.AddressQuery{Building: "1", Room: "101"}},
			count(func(r model.Resident) bool {
				a := f.houses[r.HouseID]
				return r.HouseID != 0 && a.Building == "1" && a.Room == "101"
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == 0 && !strings.Contains(tc.name, "not") && !strings.Contains(tc.name, "outside") && !strings.Contains(tc.name, "exist") {
				t.Fatalf("fixture gives no rows for %s", tc.name)
			}
			n, err := f.st.CountResidents(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.st.ResidentPage(ctx, tc.q, nil, listSize+1, false)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || len(rows) != tc.want {
				t.Errorf("count %d, page %d rows, want %d", n, len(rows), tc.want)
			}
			if !tc.q.AllGrids {
				for _, r := range rows {
					if !slices.Contains(tc.q.Grids, r.GridID) {
						t.Errorf("row %d in grid %d, outside %v", r.ID, r.GridID, tc.q.Grids)
					}
				}
			}
		})
	}
}

// TestEverySortHasAnIndex reads the query plan of a first page for every
// sort key: none may sort the table in a temporary b-tree, which at a
// district's size is seconds instead of milliseconds.
func TestEverySortHasAnIndex(t *testing.T) {
	f := sharedList(t)
	db := rawDB(t, f.st.Path())
	for _, key := range allSortKeys {
		for _, desc := range []bool{false, true} {
			q, args := store.PageSQLForTest(model.ResidentQuery{AllGrids: true, Sort: key, Desc: desc})
			if p := queryPlan(t, db, q, args...); strings.Contains(p, "TEMP B-TREE") {
				t.Errorf("sort by %s desc=%v sorts without an index: %s", key, desc, p)
			}
		}
	}
}

// TestLivingListReadsItsIndexesAlone reads the query plans of a page of
// those living here in the orders offered first, and of a jump deep into
// it: each is read from an index alone (no sort, no look at the table for
// each row's state).
func TestLivingListReadsItsIndexesAlone(t *testing.T) {
	f := sharedList(t)
	db := rawDB(t, f.st.Path())
	for key, index := range map[model.SortKey]string{model.SortID: "resident_order", model.SortName: "resident_name_key",
		model.SortAge: "resident_birth", model.SortAddress: "resident_house"} {
		for _, desc := range []bool{false, true} {
			q := model.ResidentQuery{AllGrids: true, Sort: key, Desc: desc, Cohort: &model.Cohort{Statuses: model.Living}}
			page, pargs := store.PageSQLForTest(q)
			jump, jargs := store.CursorSQLForTest(q)
			for what, sql := range map[string]string{"page": page, "jump": jump} {
				args := map[string][]any{"page": pargs, "jump": jargs}[what]
				if p := queryPlan(t, db, sql, args...); !strings.Contains(p, "COVERING INDEX "+index) || strings.Contains(p, "TEMP B-TREE") {
					t.Errorf("%s of the living by %s desc=%v: %s", what, key, desc, p)
				}
			}
		}
	}
}

func queryPlan(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}
