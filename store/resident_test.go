package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// wang is a fully filled resident (ID number of the GB 11643 example).
func wang(house int64) model.Resident {
	return model.Resident{
		Name: "王秀英", IDNumber: "11010519491231002X", Sex: model.Female, Birth: "1949-12-31", Phone: "13800138000",
		Ethnicity: "汉族", Kind: model.KindRegistered, Status: model.StatusPresent, Notes: "独居",
		HouseID: house, Relation: model.RelHead,
	}
}

// changesByField indexes a history by field; it fails on a field seen twice.
func changesByField(t *testing.T, cs []model.Change) map[string]model.Change {
	t.Helper()
	out := map[string]model.Change{}
	for _, c := range cs {
		if _, dup := out[c.Field]; dup {
			t.Errorf("field %s recorded twice in %+v", c.Field, cs)
		}
		out[c.Field] = c
	}
	return out
}

func TestCreateResidentWritesRowHistoryAndResidence(t *testing.T) {
	// given a place tree and an account
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)

	// when a resident is created in house 101
	id, err := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2001-05-01")
	if err != nil {
		t.Fatal(err)
	}

	// then the row has every field, with the house's grid
	r, err := st.Resident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := wang(p.H101)
	want.ID, want.GridID, want.UpdatedAt = id, p.GridA, r.UpdatedAt
	if r != want {
		t.Errorf("Resident = %+v\nwant       %+v", r, want)
	}
	if r.UpdatedAt.IsZero() {
		t.Error("UpdatedAt not set")
	}
	if byID, err := st.ResidentByIDNumber(ctx, "11010519491231002X"); err != nil || byID.ID != id {
		t.Errorf("ResidentByIDNumber = %d, %v", byID.ID, err)
	}

	// and the history has one creation entry per non-empty field, by the account
	hist, err := st.History(ctx, "resident", id)
	if err != nil {
		t.Fatal(err)
	}
	got := changesByField(t, hist)
	wantNew := map[string]string{"name": "王秀英", "id_number": "11010519491231002X", "sex": "F", "birth": "1949-12-31",
		"phone": "13800138000", "ethnicity": "汉族", "kind": "registered", "status": "present", "notes": "独居",
		"house": fmt.Sprint(p.H101), "relation": "head"}
	for field, v := range wantNew {
		c, ok := got[field]
		if !ok {
			t.Errorf("no history for %s", field)
			continue
		}
		if c.New != v || c.Account != "clerk" || c.Entity != "resident" || c.At.IsZero() {
			t.Errorf("history %s = %+v, want new %q by clerk", field, c, v)
		}
		if field != "house" && c.Old != "" {
			t.Errorf("history %s old = %q, want \"\"", field, c.Old)
		}
	}
	if len(got) != len(wantNew) {
		t.Errorf("history fields = %v, want %d fields", keys(got), len(wantNew))
	}

	// and the resident lives in the house from the date
	hh, err := st.Household(ctx, p.H101, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(hh) != 1 || hh[0].ID != id || hh[0].Since != "2001-05-01" || hh[0].Until != "" || hh[0].Relation != model.RelHead {
		t.Errorf("Household = %+v", hh)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestCreateResidentWithoutHouseOmitsEmptyFields(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "李四", Kind: model.KindFloating, Status: model.StatusPresent}, "")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := st.Resident(ctx, id)
	if r.HouseID != 0 || r.GridID != 0 || r.Relation != "" || r.IDNumber != "" {
		t.Errorf("resident without a house = %+v", r)
	}
	hist, _ := st.History(ctx, "resident", id)
	if got := keys(changesByField(t, hist)); !slices.Equal(got, []string{"kind", "name", "status"}) {
		t.Errorf("history fields = %v, want [kind name status]", got)
	}
	if hist[0].Account != "" {
		t.Errorf("history without an account names %q", hist[0].Account)
	}
}

func TestCreateResidentInAMissingHouseLeavesNothing(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	_, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "赵六", HouseID: 999, Relation: model.RelHead}, "2020-01-01")
	if !errors.Is(err, model.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	if n, _ := st.CountResidents(ctx, model.ResidentQuery{AllGrids: true}); n != 0 {
		t.Errorf("%d residents left behind by a failed create", n)
	}
}

func TestResidentNotFound(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if _, err := st.Resident(ctx, 42); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Resident(42) err = %v, want ErrNotFound", err)
	}
	if _, err := st.ResidentByIDNumber(ctx, "11010519491231002X"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("ResidentByIDNumber err = %v, want ErrNotFound", err)
	}
	if _, err := st.UpdateResident(ctx, noEntry, 0, model.Resident{ID: 42, Name: "x"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("UpdateResident(42) err = %v, want ErrNotFound", err)
	}
}

func TestUpdateResidentRecordsExactlyTheChangedFields(t *testing.T) {
	// given a resident
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	id, err := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2001-05-01")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.Resident(ctx, id)
	histBefore, _ := st.History(ctx, "resident", id)

	// when the phone and the notes change and the rest is written back as read
	edit := before
	edit.Phone, edit.Notes = "028-87654321", ""
	fields, err := st.UpdateResident(ctx, noEntry, acc, edit)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(fields, ",") != "phone,notes" {
		t.Errorf("changed fields = %v, want phone, notes", fields)
	}

	// then exactly two new history entries say old and new
	hist, _ := st.History(ctx, "resident", id)
	added := hist[:len(hist)-len(histBefore)]
	got := changesByField(t, added)
	if len(added) != 2 {
		t.Fatalf("new history = %+v, want 2 entries", added)
	}
	if c := got["phone"]; c.Old != "13800138000" || c.New != "028-87654321" || c.Account != "clerk" {
		t.Errorf("phone change = %+v", c)
	}
	if c := got["notes"]; c.Old != "独居" || c.New != "" {
		t.Errorf("notes change = %+v", c)
	}
	// and the row has the new values and a new stamp, the residence untouched
	after, _ := st.Resident(ctx, id)
	if after.Phone != "028-87654321" || after.Notes != "" || after.Name != before.Name || after.HouseID != p.H101 || after.GridID != p.GridA {
		t.Errorf("after update = %+v", after)
	}
	if !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("UpdatedAt %v not after %v", after.UpdatedAt, before.UpdatedAt)
	}

	// when nothing changes, nothing is written
	if _, err := st.UpdateResident(ctx, noEntry, acc, after); err != nil {
		t.Fatal(err)
	}
	again, _ := st.Resident(ctx, id)
	if h, _ := st.History(ctx, "resident", id); len(h) != len(hist) || !again.UpdatedAt.Equal(after.UpdatedAt) {
		t.Errorf("a no-op update wrote history (%d → %d) or a stamp (%v → %v)", len(hist), len(h), after.UpdatedAt, again.UpdatedAt)
	}
}

func TestUpdateResidentRefusesAStaleRow(t *testing.T) {
	// given two people who opened the same resident
	st := openStore(t)
	ctx := context.Background()
	id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "张三", Kind: model.KindRegistered, Status: model.StatusPresent}, "")
	if err != nil {
		t.Fatal(err)
	}
	first, _ := st.Resident(ctx, id)
	second := first

	// when the first saves, then the second
	first.Phone = "13800138000"
	if _, err := st.UpdateResident(ctx, noEntry, 0, first); err != nil {
		t.Fatal(err)
	}
	second.Notes = "后来的修改"
	_, err = st.UpdateResident(ctx, noEntry, 0, second)

	// then the second is refused and the first's change stands alone
	if !errors.Is(err, model.ErrConflict) {
		t.Fatalf("stale update: err = %v, want ErrConflict", err)
	}
	r, _ := st.Resident(ctx, id)
	if r.Phone != "13800138000" || r.Notes != "" {
		t.Errorf("after the refused update: %+v", r)
	}
	hist, _ := st.History(ctx, "resident", id)
	for _, c := range hist {
		if c.Field == "notes" {
			t.Errorf("refused update left history %+v", c)
		}
	}
}

func TestIDNumberIsUniqueUnlessEmpty(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	plain := model.Resident{Name: "无证件", Kind: model.KindRegistered, Status: model.StatusPresent}

	// many residents without an ID number are fine
	for i := 0; i < 3; i++ {
		if _, err := st.CreateResident(ctx, noEntry, 0, plain, ""); err != nil {
			t.Fatalf("resident %d without ID number: %v", i, err)
		}
	}
	// a second resident with the same number is a conflict, and not kept
	first := wang(0)
	if _, err := st.CreateResident(ctx, noEntry, 0, first, ""); err != nil {
		t.Fatal(err)
	}
	dup := first
	dup.Name = "冒名"
	if _, err := st.CreateResident(ctx, noEntry, 0, dup, ""); !errors.Is(err, model.ErrConflict) {
		t.Errorf("duplicate ID number on create: err = %v, want ErrConflict", err)
	}
	if n, _ := st.CountResidents(ctx, model.ResidentQuery{AllGrids: true}); n != 4 {
		t.Errorf("%d residents, want 4", n)
	}
	// giving an existing number to another resident on update is a conflict too
	otherID, _ := st.CreateResident(ctx, noEntry, 0, plain, "")
	other, _ := st.Resident(ctx, otherID)
	other.IDNumber = first.IDNumber
	if _, err := st.UpdateResident(ctx, noEntry, 0, other); !errors.Is(err, model.ErrConflict) {
		t.Errorf("duplicate ID number on update: err = %v, want ErrConflict", err)
	}
	if r, _ := st.Resident(ctx, otherID); r.IDNumber != "" {
		t.Errorf("refused update kept the number: %+v", r)
	}
}

// findByName runs a name search over the whole database.
func findByName(t *testing.T, st *store.Store, text string) []int64 {
	t.Helper()
	rows, err := st.ResidentPage(context.Background(), model.ResidentQuery{AllGrids: true, Search: model.SearchName, Text: text, Sort: model.SortID}, nil, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	n, err := st.CountResidents(context.Background(), model.ResidentQuery{AllGrids: true, Search: model.SearchName, Text: text})
	if err != nil || n != len(ids) {
		t.Errorf("search %q: count %d (%v), page has %d", text, n, err, len(ids))
	}
	return ids
}

func TestNameSearchFindsEveryPartOfAName(t *testing.T) {
	// given a resident with a four-character name among others
	st := openStore(t)
	ctx := context.Background()
	mk := func(name string) int64 {
		id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: name, Kind: model.KindRegistered, Status: model.StatusPresent}, "")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	id := mk("欧阳明华")
	mk("王明")
	mk("欧华阳")
	latin := mk("Anna Lee")

	// then every 1-, 2- and 3-character part finds it
	rs := []rune("欧阳明华")
	for n := 1; n <= len(rs); n++ {
		for i := 0; i+n <= len(rs); i++ {
			part := string(rs[i : i+n])
			if got := findByName(t, st, part); !slices.Contains(got, id) {
				t.Errorf("search %q: %v does not contain %d", part, got, id)
			}
		}
	}
	// and parts are matched as they are written, not as sets of characters
	for _, tc := range []struct {
		text string
		want int
	}{
		{"明", 2}, {"欧阳", 1}, {"阳明华", 1}, {"欧华", 1}, {"华阳", 1}, {"阳华", 0}, {"明欧", 0}, {"欧阳明华王", 0},
		{"ann", 1}, {"ANNA L", 1}, {"a l", 1}, {"lee", 1}, {"%", 0}, {"_", 0},
	} {
		if got := findByName(t, st, tc.text); len(got) != tc.want {
			t.Errorf("search %q found %v, want %d", tc.text, got, tc.want)
		}
	}
	if got := findByName(t, st, "lee"); len(got) != 1 || got[0] != latin {
		t.Errorf("search lee = %v, want [%d]", got, latin)
	}
}

func TestRenameUpdatesNameSearch(t *testing.T) {
	// given 王小明
	st := openStore(t)
	ctx := context.Background()
	id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "王小明", Kind: model.KindRegistered, Status: model.StatusPresent}, "")
	if err != nil {
		t.Fatal(err)
	}
	// when renamed to 王晓红
	r, _ := st.Resident(ctx, id)
	r.Name = "王晓红"
	if _, err := st.UpdateResident(ctx, noEntry, 0, r); err != nil {
		t.Fatal(err)
	}
	// then the new parts find him, the old ones do not, the shared ones still do
	for _, part := range []string{"晓", "红", "晓红", "王晓", "王晓红", "王"} {
		if got := findByName(t, st, part); !slices.Equal(got, []int64{id}) {
			t.Errorf("after rename, search %q = %v, want [%d]", part, got, id)
		}
	}
	for _, part := range []string{"小", "明", "小明", "王小", "王小明"} {
		if got := findByName(t, st, part); len(got) != 0 {
			t.Errorf("after rename, old part %q still finds %v", part, got)
		}
	}
	hist, _ := st.History(ctx, "resident", id)
	if hist[0].Field != "name" || hist[0].Old != "王小明" || hist[0].New != "王晓红" {
		t.Errorf("newest history = %+v", hist[0])
	}
}

// residences reads the residence rows of a resident, oldest first.
type residence struct {
	house         int64
	relation      string
	since, until  string
	reason        string
	untilRecorded bool
}

func residencesOf(t *testing.T, st *store.Store, resident int64) []residence {
	t.Helper()
	rows, err := rawDB(t, st.Path()).Query("SELECT house_id, relation, since, coalesce(until, ''), until IS NOT NULL, end_reason FROM residence WHERE resident_id = ? ORDER BY id", resident)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []residence
	for rows.Next() {
		var r residence
		if err := rows.Scan(&r.house, &r.relation, &r.since, &r.until, &r.untilRecorded, &r.reason); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestMoveResidentEndsOldResidenceAndStartsNew(t *testing.T) {
	// given a resident in house 101 (grid A) since 2020
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	id, err := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.Resident(ctx, id)

	// when she moves to 201 (grid B) as a tenant on 2024-05-01
	if err := st.MoveResident(ctx, noEntry, acc, id, p.H201, model.RelTenant, "2024-05-01"); err != nil {
		t.Fatal(err)
	}

	// then the old residence ended with a reason and a new one began
	want := []residence{
		{house: p.H101, relation: "head", since: "2020-01-01", until: "2024-05-01", untilRecorded: true, reason: "moved"},
		{house: p.H201, relation: "tenant", since: "2024-05-01"},
	}
	if got := residencesOf(t, st, id); !slices.Equal(got, want) {
		t.Errorf("residences = %+v\nwant         %+v", got, want)
	}
	// and the resident row follows the new house and its grid
	r, _ := st.Resident(ctx, id)
	if r.HouseID != p.H201 || r.GridID != p.GridB || r.Relation != model.RelTenant || r.Status != model.StatusPresent {
		t.Errorf("after move = %+v", r)
	}
	if !r.UpdatedAt.After(before.UpdatedAt) {
		t.Error("move did not stamp the row")
	}
	// and the history tells the move
	hist, _ := st.History(ctx, "resident", id)
	got := changesByField(t, hist[:2])
	if c := got["house"]; c.Old != fmt.Sprint(p.H101) || c.New != fmt.Sprint(p.H201) || c.Account != "clerk" {
		t.Errorf("house change = %+v", c)
	}
	if c := got["relation"]; c.Old != "head" || c.New != "tenant" {
		t.Errorf("relation change = %+v", c)
	}
	// and the grid scope follows her
	if n, _ := st.CountResidents(ctx, model.ResidentQuery{Grids: []int64{p.GridA}}); n != 0 {
		t.Errorf("grid A still counts %d", n)
	}
	if n, _ := st.CountResidents(ctx, model.ResidentQuery{Grids: []int64{p.GridB}}); n != 1 {
		t.Errorf("grid B counts %d, want 1", n)
	}
}

func TestMoveResidentRefusesAnEndBeforeTheStart(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	id, _ := st.CreateResident(ctx, noEntry, 0, wang(p.H101), "2020-01-01")
	err := st.MoveResident(ctx, noEntry, 0, id, p.H102, model.RelHead, "2019-12-31")
	if !errors.Is(err, model.ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
	if got := residencesOf(t, st, id); len(got) != 1 || got[0].untilRecorded {
		t.Errorf("refused move changed residences: %+v", got)
	}
	if r, _ := st.Resident(ctx, id); r.HouseID != p.H101 {
		t.Errorf("refused move changed the house: %+v", r)
	}
	// into a house that does not exist: nothing changes either
	if err := st.MoveResident(ctx, noEntry, 0, id, 999, model.RelHead, "2024-01-01"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("move to a missing house: err = %v, want ErrNotFound", err)
	}
	if got := residencesOf(t, st, id); len(got) != 1 || got[0].untilRecorded {
		t.Errorf("failed move changed residences: %+v", got)
	}
}

func TestMoveResidentWithoutAHouseStartsOne(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	id, _ := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: "李四"}, "")
	if err := st.MoveResident(ctx, noEntry, 0, id, p.H102, model.RelHead, "2024-01-01"); err != nil {
		t.Fatal(err)
	}
	want := []residence{{house: p.H102, relation: "head", since: "2024-01-01"}}
	if got := residencesOf(t, st, id); !slices.Equal(got, want) {
		t.Errorf("residences = %+v", got)
	}
	if r, _ := st.Resident(ctx, id); r.HouseID != p.H102 || r.GridID != p.GridA {
		t.Errorf("resident = %+v", r)
	}
}

func TestLeaveHouse(t *testing.T) {
	// given a resident in 101
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	id, _ := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2020-01-01")

	// when she dies on 2025-03-04
	if err := st.LeaveHouse(ctx, noEntry, acc, id, model.StatusDead, "2025-03-04"); err != nil {
		t.Fatal(err)
	}

	// then the residence ended for that reason, the record keeps the last address
	want := []residence{{house: p.H101, relation: "head", since: "2020-01-01", until: "2025-03-04", untilRecorded: true, reason: "dead"}}
	if got := residencesOf(t, st, id); !slices.Equal(got, want) {
		t.Errorf("residences = %+v", got)
	}
	r, _ := st.Resident(ctx, id)
	if r.Status != model.StatusDead || r.HouseID != p.H101 || r.GridID != p.GridA {
		t.Errorf("after leaving = %+v", r)
	}
	hist, _ := st.History(ctx, "resident", id)
	if hist[0].Field != "status" || hist[0].Old != "present" || hist[0].New != "dead" || hist[0].Account != "clerk" {
		t.Errorf("newest history = %+v", hist[0])
	}
	if hh, _ := st.Household(ctx, p.H101, false); len(hh) != 0 {
		t.Errorf("current household still has %+v", hh)
	}
	// and the end of the residence is in the residence's history
	rows, _ := st.Household(ctx, p.H101, true)
	if len(rows) != 1 {
		t.Fatalf("household with past = %+v", rows)
	}
	rh, _ := st.History(ctx, "residence", rows[0].ResidenceID)
	if len(rh) != 1 || rh[0].Field != "until" || rh[0].New != "2025-03-04" {
		t.Errorf("residence history = %+v", rh)
	}
	// and a date before moving in is refused
	id2, _ := st.CreateResident(ctx, noEntry, acc, model.Resident{Name: "李四", HouseID: p.H102, Relation: model.RelHead}, "2020-01-01")
	if err := st.LeaveHouse(ctx, noEntry, acc, id2, model.StatusMoved, "2010-01-01"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("leave before moving in: err = %v, want ErrInvalid", err)
	}
	if r, _ := st.Resident(ctx, id2); r.Status != model.StatusPresent && r.Status != "" {
		t.Errorf("refused leave changed the status: %+v", r)
	}
}

func TestHousehold(t *testing.T) {
	// given a family in 101: head, spouse, two children, a parent, and a
	// tenant who moved out
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	mk := func(name, birth string, rel model.Relation) int64 {
		id, err := st.CreateResident(ctx, noEntry, 0, model.Resident{Name: name, Birth: birth, HouseID: p.H101, Relation: rel}, "2010-01-01")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	child2 := mk("张小二", "2012-01-01", model.RelChild)
	parent := mk("张老", "1950-01-01", model.RelParent)
	spouse := mk("李芳", "1982-01-01", model.RelSpouse)
	head := mk("张强", "1980-01-01", model.RelHead)
	child1 := mk("张小一", "2008-01-01", model.RelChild)
	tenant := mk("租客", "1995-01-01", model.RelTenant)
	if err := st.MoveResident(ctx, noEntry, 0, tenant, p.H201, model.RelHead, "2015-06-01"); err != nil {
		t.Fatal(err)
	}
	neighbour := mk("邻居", "1970-01-01", model.RelHead)
	if err := st.MoveResident(ctx, noEntry, 0, neighbour, p.H102, model.RelHead, "2011-01-01"); err != nil {
		t.Fatal(err)
	}

	ids := func(ms []model.Member) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}

	// then the current household is head, spouse, then the rest oldest first
	now, err := st.Household(ctx, p.H101, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{head, spouse, parent, child1, child2}; !slices.Equal(ids(now), want) {
		t.Errorf("household = %v, want %v", ids(now), want)
	}
	for _, m := range now {
		if m.Until != "" || m.Since != "2010-01-01" || m.ResidenceID == 0 {
			t.Errorf("current member %+v", m)
		}
	}
	// and with the past, those who left come after (in the same order),
	// with their end and their relation in this house, not their current one
	all, _ := st.Household(ctx, p.H101, true)
	if want := []int64{head, spouse, parent, child1, child2, neighbour, tenant}; !slices.Equal(ids(all), want) {
		t.Errorf("household with past = %v, want %v", ids(all), want)
	}
	if m := all[5]; m.Until != "2011-01-01" || m.Relation != model.RelHead {
		t.Errorf("past member = %+v, want until 2011-01-01 as head", m)
	}
	if m := all[6]; m.Until != "2015-06-01" || m.Relation != model.RelTenant {
		t.Errorf("past member = %+v, want until 2015-06-01 as tenant", m)
	}
	if hh, _ := st.Household(ctx, 999, true); len(hh) != 0 {
		t.Errorf("household of a missing house = %+v", hh)
	}
}

func TestResidentHistoryIncludesResidences(t *testing.T) {
	// given two residents of 101; one moves to 201, then leaves
	st := openStore(t)
	ctx := context.Background()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	id, _ := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2020-01-01")
	other, _ := st.CreateResident(ctx, noEntry, acc, model.Resident{Name: "李四", HouseID: p.H101, Relation: model.RelSpouse}, "2020-01-01")
	if err := st.MoveResident(ctx, noEntry, acc, id, p.H201, model.RelHead, "2022-02-02"); err != nil {
		t.Fatal(err)
	}
	if err := st.LeaveHouse(ctx, noEntry, acc, id, model.StatusMoved, "2023-03-03"); err != nil {
		t.Fatal(err)
	}
	if err := st.LeaveHouse(ctx, noEntry, acc, other, model.StatusMoved, "2024-04-04"); err != nil {
		t.Fatal(err)
	}

	// then the resident's history has their own changes and the ends of
	// both their residences, newest first, and nothing of the other
	hist, err := st.ResidentHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := st.History(ctx, "resident", id)
	var ends []string
	for _, c := range hist {
		switch c.Entity {
		case "residence":
			ends = append(ends, c.New)
		case "resident":
		default:
			t.Errorf("change of %s in a resident's history", c.Entity)
		}
		if c.New == "2024-04-04" || c.New == "李四" {
			t.Errorf("the other resident's change %+v", c)
		}
	}
	if !slices.Equal(ends, []string{"2023-03-03", "2022-02-02"}) {
		t.Errorf("residence ends = %v, want [2023-03-03 2022-02-02]", ends)
	}
	if len(hist) != len(own)+2 {
		t.Errorf("%d changes, want the %d of the resident and 2 of residences", len(hist), len(own))
	}
	for i := 1; i < len(hist); i++ {
		if hist[i].At.After(hist[i-1].At) {
			t.Errorf("change %d is newer than change %d", i, i-1)
		}
	}
}

func TestNameSearchFollowsTheGrid(t *testing.T) {
	// given 王秀英 in 101 (grid A)
	st := openStore(t)
	ctx := context.Background()
	p := makePlaces(t, st, 0)
	id, err := st.CreateResident(ctx, noEntry, 0, wang(p.H101), "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	find := func(grid int64, text string) int {
		t.Helper()
		q := model.ResidentQuery{Grids: []int64{grid}, Search: model.SearchName, Text: text}
		rows, err := st.ResidentPage(ctx, q, nil, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.CountResidents(ctx, q)
		if err != nil || n != len(rows) {
			t.Errorf("search %q in grid %d: count %d (%v), page %d", text, grid, n, err, len(rows))
		}
		return len(rows)
	}
	for _, text := range []string{"王", "秀英", "王秀英"} {
		if find(p.GridA, text) != 1 || find(p.GridB, text) != 0 {
			t.Errorf("before the move, %q is not found in grid A only", text)
		}
	}
	// when she moves to 201 (grid B), then is renamed
	if err := st.MoveResident(ctx, noEntry, 0, id, p.H201, model.RelHead, "2024-01-01"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"王", "秀英", "王秀英"} {
		if find(p.GridA, text) != 0 || find(p.GridB, text) != 1 {
			t.Errorf("after the move, %q is not found in grid B only", text)
		}
	}
	r, _ := st.Resident(ctx, id)
	r.Name = "王秀兰"
	if _, err := st.UpdateResident(ctx, noEntry, 0, r); err != nil {
		t.Fatal(err)
	}
	if find(p.GridB, "秀兰") != 1 || find(p.GridB, "秀英") != 0 || find(p.GridA, "秀兰") != 0 {
		t.Error("after the rename, the grams are not the new name's in grid B")
	}
}
