package app_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/app/phone"
)

// demoDigest sums what a seed decides of every resident, in id order.
func demoDigest(t *testing.T, ta *testApp) string {
	t.Helper()
	h := sha256.New()
	for _, r := range ta.rows(t, ta.admin, app.ListFilter{Sort: model.SortID}) {
		fmt.Fprintf(h, "%d|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", r.ID, r.Name, r.IDNumber, r.Sex, r.Birth, r.Phone,
			app.FormatAddress(r.Address), r.Relation, r.Kind, r.Status)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// demoMadeHere is a fresh app given n demo residents from seed by the test
// itself: newDemoApp copies a district made once, and two copies agree
// whatever the demo does.
func demoMadeHere(t *testing.T, n int, seed uint64) *testApp {
	t.Helper()
	ta := newApp(t)
	if err := ta.Demo(context.Background(), ta.admin, n, seed, nil); err != nil {
		t.Fatalf("demo: %v", err)
	}
	return ta
}

func TestDemoIsReproducible(t *testing.T) {
	t.Parallel()
	// given two files made from the same seed and one from another
	a := demoMadeHere(t, 600, 7)
	b := demoMadeHere(t, 600, 7)
	c := demoMadeHere(t, 600, 8)

	// then the first two hold the same residents and the third does not
	da, db, dc := demoDigest(t, a), demoDigest(t, b), demoDigest(t, c)
	if da != db {
		t.Error("the same seed made different residents")
	}
	if da == dc {
		t.Error("different seeds made the same residents")
	}
}

func TestDemoRefusesWhatItCannotDo(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 100, 1)
	ctx := context.Background()
	err := ta.Demo(ctx, ta.admin, 100, 2, nil)
	var ps app.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("demo on a non-empty database: err = %v, want Problems", err)
	}
	if p, _ := ps.Field("residents"); p.Key != "err.demo.notempty" || p.Data["Count"] != 100 {
		t.Errorf("problem = %+v, want err.demo.notempty with Count 100", p)
	}
	if n := countAll(t, ta); n != 100 {
		t.Errorf("%d residents after the refused demo", n)
	}

	empty := newApp(t)
	for _, n := range []int{0, -5} {
		if err := empty.Demo(ctx, empty.admin, n, 1, nil); problemKeys(t, err)["residents"] != "err.demo.count" {
			t.Errorf("Demo(%d): err = %v, want err.demo.count", n, err)
		}
	}
	if err := empty.Demo(ctx, nil, 10, 1, nil); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("Demo without actor: err = %v", err)
	}
	// a cancelled demo leaves nothing
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := empty.Demo(cctx, empty.admin, 100, 1, nil); err == nil {
		t.Error("cancelled demo succeeded")
	}
	if n := countAll(t, empty); n != 0 {
		t.Errorf("cancelled demo left %d residents", n)
	}
	// and then a demo works, telling its progress to the end
	var progress [][2]int
	if err := empty.Demo(ctx, empty.admin, 120, 1, func(done, total int) { progress = append(progress, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != [2]int{120, 120} {
		t.Errorf("progress calls %v, want the last to be (120, 120)", progress)
	}
	if n := countAll(t, empty); n != 120 {
		t.Errorf("%d residents, want 120", n)
	}
}

func TestDemoData(t *testing.T) {
	t.Parallel()
	// given a demo of 2000 residents
	const n = sharedN
	ta := sharedDemo(t)
	ctx := context.Background()
	rows := ta.rows(t, ta.admin, everyone())
	if len(rows) != n {
		t.Fatalf("%d residents, want %d", len(rows), n)
	}

	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ageAtRef := func(birth string) int {
		b, err := time.Parse("2006-01-02", birth)
		if err != nil {
			t.Fatalf("birth %q: %v", birth, err)
		}
		return idnumber.Age(b, ref)
	}
	withID, withPhone := 0, 0
	kinds := map[model.Kind]int{}
	statuses := map[model.Status]int{}
	byHouse := map[int64][]model.ResidentRow{}
	for _, r := range rows {
		kinds[r.Kind]++
		statuses[r.Status]++
		// names are Chinese, 2 to 4 characters
		if l := len([]rune(r.Name)); l < 2 || l > 4 {
			t.Errorf("name %q", r.Name)
		}
		// every ID number is valid and agrees with the birth date and sex
		if r.IDNumber != "" {
			withID++
			info, err := idnumber.Parse(r.IDNumber)
			if err != nil {
				t.Errorf("resident %d: ID number %s: %v", r.ID, r.IDNumber, err)
				continue
			}
			sex := model.Male
			if info.Sex == idnumber.Female {
				sex = model.Female
			}
			if info.Birth.Format("2006-01-02") != r.Birth || sex != r.Sex || info.Number != r.IDNumber {
				t.Errorf("resident %d: ID number %s says %s %s, stored %s %s", r.ID, r.IDNumber, info.Birth.Format("2006-01-02"), sex, r.Birth, r.Sex)
			}
		}
		// phones are normalized mobiles
		if r.Phone != "" {
			withPhone++
			if p, err := phone.Normalize(r.Phone); err != nil || p != r.Phone || !phone.IsMobile(p) {
				t.Errorf("resident %d: phone %q", r.ID, r.Phone)
			}
		}
		if a := ageAtRef(r.Birth); a < 0 || a > 110 {
			t.Errorf("resident %d: age %d", r.ID, a)
		}
		if r.HouseID == 0 || r.GridID == 0 || r.Address.Room == "" || r.Address.Compound == "" {
			t.Errorf("resident %d without a house: %+v", r.ID, r)
		}
		if !slices.Contains(model.Relations, r.Relation) || r.Ethnicity == "" || !strings.HasSuffix(r.Ethnicity, "族") {
			t.Errorf("resident %d: relation %q ethnicity %q", r.ID, r.Relation, r.Ethnicity)
		}
		byHouse[r.HouseID] = append(byHouse[r.HouseID], r)
	}
	// most have numbers and phones, and the mix of kinds and statuses is there
	if withID < n*8/10 || withID == n || withPhone < n*6/10 {
		t.Errorf("%d with ID number, %d with phone, of %d", withID, withPhone, n)
	}
	if kinds[model.KindRegistered] < n/2 || kinds[model.KindFloating] == 0 {
		t.Errorf("kinds %v", kinds)
	}
	if statuses[model.StatusPresent] < n*9/10 || statuses[model.StatusMoved]+statuses[model.StatusAway] == 0 {
		t.Errorf("statuses %v", statuses)
	}

	// every family has one householder, spouses are of an age with them,
	// children and grandchildren are younger and parents older
	families, tenantHouses := 0, 0
	for house, people := range byHouse {
		var heads []model.ResidentRow
		tenants := 0
		for _, p := range people {
			switch p.Relation {
			case model.RelHead:
				heads = append(heads, p)
			case model.RelTenant:
				tenants++
			}
		}
		if tenants > 0 {
			tenantHouses++
			if tenants != len(people) {
				t.Errorf("house %d mixes tenants and a family: %v", house, relations(people))
			}
			continue
		}
		families++
		if len(heads) != 1 {
			t.Errorf("house %d has %d householders: %v", house, len(heads), relations(people))
			continue
		}
		head := heads[0]
		if a := ageAtRef(head.Birth); a < 18 {
			t.Errorf("house %d: householder aged %d", house, a)
		}
		for _, p := range people {
			switch d := ageAtRef(head.Birth) - ageAtRef(p.Birth); p.Relation {
			case model.RelSpouse:
				if d < -10 || d > 10 {
					t.Errorf("house %d: spouse %d years apart from the householder", house, d)
				}
				if p.Sex == head.Sex {
					t.Errorf("house %d: spouse of the same sex", house)
				}
			case model.RelChild, model.RelGrandchild:
				if p.Birth <= head.Birth {
					t.Errorf("house %d: %s born %s, householder %s", house, p.Relation, p.Birth, head.Birth)
				}
				if p.Relation == model.RelChild && d < 15 {
					t.Errorf("house %d: child only %d years younger", house, d)
				}
			case model.RelParent:
				if p.Birth >= head.Birth {
					t.Errorf("house %d: parent born %s, householder %s", house, p.Birth, head.Birth)
				}
			}
		}
	}
	if families < 100 || tenantHouses < 10 {
		t.Errorf("%d families and %d rented houses", families, tenantHouses)
	}

	// the current household of each house is who is present or away there
	checked := 0
	for house, people := range byHouse {
		if checked++; checked > 150 {
			break
		}
		members, err := ta.Household(ctx, ta.admin, house, false)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []int64
		for _, p := range people {
			if p.Status == model.StatusPresent || p.Status == model.StatusAway {
				want = append(want, p.ID)
			}
		}
		for _, m := range members {
			got = append(got, m.ID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("house %d: household %v, want %v", house, got, want)
		}
		past, _ := ta.Household(ctx, ta.admin, house, true)
		if len(past) != len(people) {
			t.Errorf("house %d: household with past has %d, want %d", house, len(past), len(people))
		}
	}

	// and the data can be searched by any part of a name
	name := []rune(rows[n/2].Name)
	part := string(name[len(name)-1:])
	found := ta.rows(t, ta.admin, app.ListFilter{Search: part})
	if !slices.Contains(rowIDs(found), rows[n/2].ID) {
		t.Errorf("search %q does not find %s", part, rows[n/2].Name)
	}
	for _, r := range found {
		if !strings.Contains(r.Name, part) {
			t.Errorf("search %q finds %s", part, r.Name)
		}
	}
}

func relations(people []model.ResidentRow) []model.Relation {
	var out []model.Relation
	for _, p := range people {
		out = append(out, p.Relation)
	}
	return out
}
