package app_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

const (
	femaleID49 = "11010519491231002X" // GB 11643's example: woman born 1949-12-31
	maleID90   = "510104199001010254" // man born 1990-01-01
)

func TestCheckResident(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, time.June, 1)
	a := app.New(nil, quiet, clockFor(t))
	futureID := idnumber.Synthesize("510104", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 3, idnumber.Female)
	for _, tc := range []struct {
		name     string
		in       app.ResidentInput
		problems map[string]string                                     // field → key, exactly
		check    func(t *testing.T, r model.Resident, ps app.Problems) // more, optional
	}{
		{
			name: "a valid resident is normalized",
			in: app.ResidentInput{Name: "  王   秀英 ", IDNumber: " 1101 0519 4912 3100 2x ", Phone: "138 0013 8000",
				Ethnicity: " 汉 ", Notes: "  独居  ", HouseID: 7, Relation: model.RelHead},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				want := model.Resident{Name: "王 秀英", IDNumber: femaleID49, Sex: model.Female, Birth: "1949-12-31", Phone: "13800138000",
					Ethnicity: "汉族", Kind: model.KindRegistered, Status: model.StatusPresent, Notes: "独居", HouseID: 7, Relation: model.RelHead}
				if r != want {
					t.Errorf("got  %+v\nwant %+v", r, want)
				}
			},
		},
		{name: "name required", in: app.ResidentInput{Name: " \u3000 "}, problems: map[string]string{"name": "err.name.required"}},
		{name: "name with digits", in: app.ResidentInput{Name: "王3"}, problems: map[string]string{"name": "err.name.digits"}},
		{name: "name of 51 characters", in: app.ResidentInput{Name: strings.Repeat("王", 51)}, problems: map[string]string{"name": "err.name.long"}},
		{name: "name of 50 characters", in: app.ResidentInput{Name: strings.Repeat("王", 50)}},
		{
			name: "ID number too short", in: app.ResidentInput{Name: "张三", IDNumber: "1101051949123100"},
			problems: map[string]string{"id_number": "err.id.length"},
			check: func(t *testing.T, _ model.Resident, ps app.Problems) {
				if p, _ := ps.Field("id_number"); p.Data["Length"] != 16 {
					t.Errorf("data = %v, want Length 16", p.Data)
				}
			},
		},
		{name: "ID number with a letter", in: app.ResidentInput{Name: "张三", IDNumber: "1101O5194912310O2X"}, problems: map[string]string{"id_number": "err.id.chars"}},
		{name: "ID number with X not last", in: app.ResidentInput{Name: "张三", IDNumber: "X10105194912310021"}, problems: map[string]string{"id_number": "err.id.chars"}},
		{
			name: "ID number with a wrong check character", in: app.ResidentInput{Name: "张三", IDNumber: "110105194912310021"},
			problems: map[string]string{"id_number": "err.id.checksum"},
			check: func(t *testing.T, _ model.Resident, ps app.Problems) {
				if p, _ := ps.Field("id_number"); p.Data["Expected"] != "X" {
					t.Errorf("data = %v, want Expected X", p.Data)
				}
			},
		},
		{name: "ID number with 30 February", in: app.ResidentInput{Name: "张三", IDNumber: "11010519490230002X"}, problems: map[string]string{"id_number": "err.id.birth"}},
		{name: "ID number born tomorrow", in: app.ResidentInput{Name: "张三", IDNumber: futureID}, problems: map[string]string{"id_number": "err.id.birth"}},
		{name: "ID number of no province", in: app.ResidentInput{Name: "张三", IDNumber: "00010519491231002X"}, problems: map[string]string{"id_number": "err.id.region"}},
		{
			name: "15-digit number is converted", in: app.ResidentInput{Name: "王秀英", IDNumber: "110105491231002"},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.IDNumber != femaleID49 || r.Birth != "1949-12-31" || r.Sex != model.Female {
					t.Errorf("got %q %q %q", r.IDNumber, r.Birth, r.Sex)
				}
			},
		},
		{
			name: "birth and sex come from the ID number", in: app.ResidentInput{Name: "李明", IDNumber: maleID90},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.Birth != "1990-01-01" || r.Sex != model.Male {
					t.Errorf("got birth %q sex %q", r.Birth, r.Sex)
				}
			},
		},
		{name: "agreeing birth and sex", in: app.ResidentInput{Name: "李明", IDNumber: maleID90, Birth: "1990-01-01", Sex: model.Male}},
		{
			name: "contradicting birth and sex", in: app.ResidentInput{Name: "李明", IDNumber: maleID90, Birth: "1991-01-01", Sex: model.Female},
			problems: map[string]string{"birth": "err.birth.contradicts", "sex": "err.sex.contradicts"},
			check: func(t *testing.T, _ model.Resident, ps app.Problems) {
				if p, _ := ps.Field("birth"); p.Data["Birth"] != "1990-01-01" {
					t.Errorf("birth data = %v, want the ID's birth date", p.Data)
				}
			},
		},
		{name: "birth without ID number", in: app.ResidentInput{Name: "李明", Birth: "1990-01-01", Sex: model.Female},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.Birth != "1990-01-01" || r.Sex != model.Female || r.IDNumber != "" {
					t.Errorf("got %+v", r)
				}
			}},
		{name: "birth in the future", in: app.ResidentInput{Name: "李明", Birth: "2026-06-02"}, problems: map[string]string{"birth": "err.birth.invalid"}},
		{name: "birth not a date", in: app.ResidentInput{Name: "李明", Birth: "1990-02-30"}, problems: map[string]string{"birth": "err.birth.invalid"}},
		{name: "birth too early", in: app.ResidentInput{Name: "李明", Birth: "1849-12-31"}, problems: map[string]string{"birth": "err.birth.invalid"}},
		{name: "sex not a choice", in: app.ResidentInput{Name: "李明", Sex: "X"}, problems: map[string]string{"sex": "err.choice"}},
		{
			name: "landline is normalized", in: app.ResidentInput{Name: "李明", Phone: "+86 28 8765 4321"},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.Phone != "028-87654321" {
					t.Errorf("phone = %q", r.Phone)
				}
			},
		},
		{name: "phone too short", in: app.ResidentInput{Name: "李明", Phone: "12345"}, problems: map[string]string{"phone": "err.phone.invalid"}},
		{name: "phone of letters", in: app.ResidentInput{Name: "李明", Phone: "abc"}, problems: map[string]string{"phone": "err.phone.invalid"}},
		{
			name: "ethnicity", in: app.ResidentInput{Name: "李明", Ethnicity: "蒙古"},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.Ethnicity != "蒙古族" {
					t.Errorf("ethnicity = %q", r.Ethnicity)
				}
			},
		},
		{
			name: "kind and status default", in: app.ResidentInput{Name: "李明"},
			check: func(t *testing.T, r model.Resident, _ app.Problems) {
				if r.Kind != model.KindRegistered || r.Status != model.StatusPresent || r.Ethnicity != "" {
					t.Errorf("got %+v", r)
				}
			},
		},
		{name: "kind and status not choices", in: app.ResidentInput{Name: "李明", Kind: "alien", Status: "gone"},
			problems: map[string]string{"kind": "err.choice", "status": "err.choice"}},
		{name: "house without relation", in: app.ResidentInput{Name: "李明", HouseID: 3}, problems: map[string]string{"relation": "err.relation.required"}},
		{name: "house with unknown relation", in: app.ResidentInput{Name: "李明", HouseID: 3, Relation: "cousin"}, problems: map[string]string{"relation": "err.relation.required"}},
		{name: "relation without house is not asked", in: app.ResidentInput{Name: "李明"}},
		{name: "move-in date as offices write it", in: app.ResidentInput{Name: "李明", HouseID: 3, Relation: model.RelHead, Since: "2024/5/1"}},
		{name: "move-in date not a date", in: app.ResidentInput{Name: "李明", HouseID: 3, Relation: model.RelHead, Since: "2024-13-01"},
			problems: map[string]string{"since": "err.date.invalid"}},
		{
			name: "every problem at once", in: app.ResidentInput{IDNumber: "123", Phone: "1", Kind: "x", HouseID: 1},
			problems: map[string]string{"name": "err.name.required", "id_number": "err.id.length", "phone": "err.phone.invalid",
				"kind": "err.choice", "relation": "err.relation.required"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, ps := a.CheckResident(tc.in)
			got := map[string]string{}
			for _, p := range ps {
				if _, dup := got[p.Field]; dup {
					t.Errorf("field %s has two problems: %+v", p.Field, ps)
				}
				got[p.Field] = p.Key
			}
			want := tc.problems
			if want == nil {
				want = map[string]string{}
			}
			if !maps.Equal(got, want) {
				t.Errorf("problems = %v, want %v", got, want)
			}
			if len(ps) > 0 && !errors.Is(ps, model.ErrInvalid) {
				t.Error("Problems does not wrap ErrInvalid")
			}
			if tc.check != nil {
				tc.check(t, r, ps)
			}
		})
	}
}

func TestEthnicity(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"汉": "汉族", "汉族": "汉族", " 回 ": "回族", "维吾尔": "维吾尔族", "维吾尔族": "维吾尔族", "": ""} {
		r, _ := app.New(nil, quiet).CheckResident(app.ResidentInput{Name: "某", Ethnicity: in})
		if r.Ethnicity != want {
			t.Errorf("ethnicity %q → %q, want %q", in, r.Ethnicity, want)
		}
	}
}

// aHouse is a house of the demo, for new residents.
func aHouse(t *testing.T, ta *testApp) model.Address {
	t.Helper()
	hs, err := ta.FindHouses(context.Background(), ta.admin, "1栋1单元101", 1)
	if err != nil || len(hs) == 0 {
		t.Fatalf("no house 1-1-101 in the demo: %v", err)
	}
	return hs[0]
}

// countAll counts every resident ever registered.
func countAll(t *testing.T, ta *testApp) int {
	t.Helper()
	l, err := ta.Residents(context.Background(), ta.admin, everyone())
	if err != nil {
		t.Fatal(err)
	}
	n, err := l.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveResidentCreatesAndEdits(t *testing.T) {
	t.Parallel()
	// given a small demo district and a house in it
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	house := aHouse(t, ta)

	// when a new resident is saved into it
	id, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "王秀英", IDNumber: "110105491231002", Phone: "13800138000",
		Ethnicity: "汉", HouseID: house.HouseID, Relation: model.RelParent, Since: "2024-03-01"})
	if err != nil {
		t.Fatal(err)
	}

	// then it reads back normalized, with its address, and lives there
	r, err := ta.Resident(ctx, ta.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.IDNumber != femaleID49 || r.Birth != "1949-12-31" || r.Sex != model.Female || r.Ethnicity != "汉族" ||
		r.HouseID != house.HouseID || r.GridID != house.GridID || r.Relation != model.RelParent || r.Address != house {
		t.Errorf("saved resident = %+v", r)
	}
	members, err := ta.Household(ctx, ta.admin, house.HouseID, false)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range members {
		if m.ID == id {
			found = m.Since == "2024-03-01"
		}
	}
	if !found {
		t.Errorf("household %+v lacks the new resident since 2024-03-01", members)
	}

	// when it is edited as read
	in := app.ResidentInput{ID: id, Name: r.Name, IDNumber: r.IDNumber, Phone: "028-87654321", Ethnicity: r.Ethnicity,
		Kind: r.Kind, Status: r.Status, UpdatedAt: r.UpdatedAt}
	if got, err := ta.SaveResident(ctx, ta.admin, in); err != nil || got != id {
		t.Fatalf("edit: %d, %v", got, err)
	}
	// then the history has the change by the admin
	hist, err := ta.History(ctx, ta.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	if c := hist[0]; c.Field != "phone" || c.Old != "13800138000" || c.New != "028-87654321" || c.Account != "admin" {
		t.Errorf("newest change = %+v", c)
	}

	// and saving the same read again is refused: someone (we) changed it since
	in.Notes = "第二次"
	if _, err := ta.SaveResident(ctx, ta.admin, in); !errors.Is(err, model.ErrConflict) {
		t.Errorf("stale edit: err = %v, want ErrConflict", err)
	}
}

func TestSaveResidentRefusesADuplicateIDNumber(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	house := aHouse(t, ta)
	first, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "王秀英", IDNumber: femaleID49, HouseID: house.HouseID, Relation: model.RelOther})
	if err != nil {
		t.Fatal(err)
	}
	before := countAll(t, ta)

	// the same number, written the old way, is the same person
	_, err = ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "冒名", IDNumber: "110105491231002", HouseID: house.HouseID, Relation: model.RelOther})
	var ps app.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	p, ok := ps.Field("id_number")
	if !ok || p.Key != "err.id.exists" || p.Data["Name"] != "王秀英" {
		t.Errorf("problems = %+v, want err.id.exists naming 王秀英", ps)
	}
	if n := countAll(t, ta); n != before {
		t.Errorf("residents %d → %d", before, n)
	}

	// another resident may not take the number on edit either
	r, _ := ta.Resident(ctx, ta.admin, first)
	otherID, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "李四", HouseID: house.HouseID, Relation: model.RelOther})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: otherID, Name: "李四", IDNumber: r.IDNumber}); problemKeys(t, err)["id_number"] != "err.id.exists" {
		t.Errorf("edit to a taken number: %v", err)
	}
	// but the resident who has it keeps it
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: first, Name: "王秀英", IDNumber: r.IDNumber, Notes: "核对过"}); err != nil {
		t.Errorf("edit keeping one's own number: %v", err)
	}
}

func TestSaveResidentSavesNothingWhenInvalid(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	house := aHouse(t, ta)
	before := countAll(t, ta)
	for _, in := range []app.ResidentInput{
		{Name: "", HouseID: house.HouseID, Relation: model.RelOther},
		{Name: "张三", Phone: "12345", HouseID: house.HouseID, Relation: model.RelOther},
		{Name: "张三", IDNumber: "110105194912310021", HouseID: house.HouseID, Relation: model.RelOther},
		{Name: "张三", HouseID: house.HouseID},
		{Name: "张三", HouseID: house.HouseID, Relation: model.RelOther, Since: "2024-13-01"},
		{Name: "张三", HouseID: house.HouseID, Relation: model.RelOther, Since: "上个月"},
	} {
		id, err := ta.SaveResident(ctx, ta.admin, in)
		if !errors.Is(err, model.ErrInvalid) || id != 0 {
			t.Errorf("SaveResident(%+v) = %d, %v; want ErrInvalid", in, id, err)
		}
	}
	if n := countAll(t, ta); n != before {
		t.Errorf("residents %d → %d after invalid saves", before, n)
	}
	// a house that does not exist is not found, and nothing is saved
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "张三", HouseID: 99999, Relation: model.RelOther}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing house: err = %v, want ErrNotFound", err)
	}
	if n := countAll(t, ta); n != before {
		t.Errorf("residents %d → %d after a save into a missing house", before, n)
	}
}

func TestSaveResidentMoveInDate(t *testing.T) {
	t.Parallel()
	// the move-in date is read like any date and defaults to today
	setToday(t, 2026, time.March, 15)
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	house := aHouse(t, ta)
	a, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "甲", HouseID: house.HouseID, Relation: model.RelOther, Since: "2024年5月1日"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{Name: "乙", HouseID: house.HouseID, Relation: model.RelOther})
	if err != nil {
		t.Fatal(err)
	}
	members, _ := ta.Household(ctx, ta.admin, house.HouseID, false)
	since := map[int64]string{}
	for _, m := range members {
		since[m.ID] = m.Since
	}
	if since[a] != "2024-05-01" || since[b] != "2026-03-15" {
		t.Errorf("since = %q and %q, want 2024-05-01 and 2026-03-15", since[a], since[b])
	}
}

func TestResidentNeedsAnActor(t *testing.T) {
	t.Parallel()
	ta := sharedDemo(t)
	ctx := context.Background()
	if _, err := ta.Resident(ctx, nil, 1); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("Resident without actor: %v", err)
	}
	if _, err := ta.SaveResident(ctx, nil, app.ResidentInput{Name: "x"}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("SaveResident without actor: %v", err)
	}
	if _, err := ta.Residents(ctx, nil, app.ListFilter{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("Residents without actor: %v", err)
	}
	if _, err := ta.Resident(ctx, ta.admin, 99999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing resident: %v", err)
	}
}

func TestResidentByIDNumber(t *testing.T) {
	t.Parallel()
	ta := sharedDemo(t)
	ctx := context.Background()
	rows := ta.rows(t, ta.admin, app.ListFilter{})
	var someone model.ResidentRow
	for _, r := range rows {
		if r.IDNumber != "" {
			someone = r
			break
		}
	}
	// found however the number is written
	lower := strings.ToLower(someone.IDNumber[:6]) + " " + someone.IDNumber[6:]
	r, visible, ok, err := ta.ResidentByIDNumber(ctx, ta.admin, lower)
	if err != nil || !ok || !visible || r.ID != someone.ID {
		t.Errorf("ResidentByIDNumber(%q) = %d, %v, %v, %v", lower, r.ID, visible, ok, err)
	}
	// an unknown or invalid number is nobody
	for _, n := range []string{femaleID49, "123", ""} {
		if _, _, ok, err := ta.ResidentByIDNumber(ctx, ta.admin, n); ok || err != nil {
			t.Errorf("ResidentByIDNumber(%q): ok %v, err %v", n, ok, err)
		}
	}
}

func TestAgeAndMasks(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, time.June, 1)
	a := app.New(nil, quiet, clockFor(t))
	for birth, want := range map[string]int{"1990-06-01": 36, "1990-06-02": 35, "2026-06-01": 0, "": -1, "1990/06/01": -1} {
		if got := a.Age(birth); got != want {
			t.Errorf("Age(%q) = %d, want %d", birth, got, want)
		}
	}
	if got := app.MaskIDNumber(femaleID49); got != "1101**********002X" {
		t.Errorf("MaskIDNumber = %q", got)
	}
	if got := app.MaskPhone("13812345678"); got != "138****5678" {
		t.Errorf("MaskPhone = %q", got)
	}
}

func TestTailSearchFindsTheLastFourOfPhonesAndIDNumbers(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	r := presentWithHouse(t, ta)
	id, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: r.ID, Name: r.Name, IDNumber: "11010519491231002X",
		Sex: model.Female, Phone: "139 1234 9876", Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status})
	if err != nil {
		t.Fatal(err)
	}
	found := func(text string) bool {
		t.Helper()
		for _, x := range ta.rows(t, ta.admin, app.ListFilter{Search: text}) {
			if x.ID == id {
				return true
			}
		}
		return false
	}
	if k, _, _ := app.ReadSearch("9876"); k != model.SearchTail {
		t.Fatalf("9876 read as %v", k)
	}
	for _, text := range []string{"9876", "002X", "002x", "００２Ｘ"} {
		if !found(text) {
			t.Errorf("%q does not find the resident", text)
		}
	}
	// a new phone: the old tail no longer finds them, the new one does
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: id, Name: r.Name, IDNumber: "11010519491231002X",
		Phone: "13800005555", Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status}); err != nil {
		t.Fatal(err)
	}
	if found("9876") || !found("5555") {
		t.Error("the tail did not follow the new phone")
	}
	// a landline with an extension: the local number's tail, not the extension's
	if _, err := ta.SaveResident(ctx, ta.admin, app.ResidentInput{ID: id, Name: r.Name, IDNumber: "11010519491231002X",
		Phone: "028-87654321-6789", Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status}); err != nil {
		t.Fatal(err)
	}
	if !found("4321") || found("6789") || found("5555") {
		t.Error("the tail of a landline with an extension")
	}
	// and four digits are still a room
	row, _ := ta.Resident(ctx, ta.admin, id)
	if len(row.Address.Room) == 3 {
		if k, _, q := app.ReadSearch(row.Address.Room); k != model.SearchAddress || q.Room != row.Address.Room {
			t.Errorf("a three-digit room read as %v", k)
		}
	}
}
