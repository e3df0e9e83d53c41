package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

func TestParseAges(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]int{"25-35": {25, 35}, "25–35岁": {25, 35}, "60-": {60, -1}, "-6": {-1, 6}, "30": {30, 30}, "": {-1, -1}} {
		lo, hi, ok := app.ParseAges(in)
		if !ok || lo != want[0] || hi != want[1] {
			t.Errorf("%q: %d %d %v", in, lo, hi, ok)
		}
	}
	for _, bad := range []string{"35-25", "a-b", "-", "1-2-3"} {
		if _, _, ok := app.ParseAges(bad); ok {
			t.Errorf("%q read as a range", bad)
		}
	}
}

// TestCohortCountsMatchABruteForceCount: for random combinations of every
// filter, the list's count equals a count done by hand over every resident.
func TestCohortCountsMatchABruteForceCount(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 1500, 5)
	ctx := context.Background()
	rows := ta.rows(t, ta.admin, everyone())
	// Tags of the test's own: the demo's carriers are not known by hand.
	var tags []model.Tag
	for _, name := range []string{"测试一", "测试二", "测试三", "测试四"} {
		id, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: name, Category: "兴趣爱好"})
		if err != nil {
			t.Fatal(err)
		}
		tags = append(tags, model.Tag{ID: id, Name: name})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// tag some residents at random
	carried := map[int64]map[int64]bool{}
	for _, tg := range tags[:4] {
		var ids []int64
		for _, r := range rows {
			if rng.IntN(5) == 0 {
				ids = append(ids, r.ID)
				if carried[r.ID] == nil {
					carried[r.ID] = map[int64]bool{}
				}
				carried[r.ID][tg.ID] = true
			}
		}
		for _, id := range ids {
			if err := ta.SetTag(ctx, ta.admin, id, tg.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	present := map[int64]int{} // current members per house
	for _, r := range rows {
		if r.HouseID != 0 && (r.Status == model.StatusPresent || r.Status == model.StatusAway) {
			present[r.HouseID]++
		}
	}
	at := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	nonEmpty := 0
	for i := 0; i < 120; i++ {
		var c app.CohortFilter
		lo, hi := -1, -1
		if rng.IntN(2) == 0 {
			lo = rng.IntN(60)
		}
		if rng.IntN(2) == 0 {
			hi = max(lo, 0) + rng.IntN(40)
		}
		switch {
		case lo >= 0 && hi >= 0:
			c.Ages = fmt.Sprintf("%d-%d", lo, hi)
		case lo >= 0:
			c.Ages = fmt.Sprintf("%d-", lo)
		case hi >= 0:
			c.Ages = fmt.Sprintf("-%d", hi)
		}
		if rng.IntN(3) == 0 {
			c.Sex = []model.Sex{model.Male, model.Female}[rng.IntN(2)]
		}
		if rng.IntN(3) == 0 {
			c.Kinds = []model.Kind{model.Kinds[rng.IntN(3)]}
		}
		if rng.IntN(4) == 0 {
			c.Statuses = []model.Status{model.Statuses[rng.IntN(4)], model.Statuses[rng.IntN(4)]}
		}
		if rng.IntN(4) == 0 {
			c.Relations = []model.Relation{model.Relations[rng.IntN(len(model.Relations))]}
		}
		pick := func() int64 { return tags[rng.IntN(4)].ID }
		if rng.IntN(3) == 0 {
			c.TagsAny = []int64{pick(), pick()}
		}
		if rng.IntN(4) == 0 {
			c.TagsAll = []int64{pick()}
		}
		if rng.IntN(4) == 0 {
			c.TagsNone = []int64{pick()}
		}
		c.Alone, c.NoIDNumber, c.NoPhone = rng.IntN(6) == 0, rng.IntN(8) == 0, rng.IntN(6) == 0
		want := 0
		for _, r := range rows {
			age := -1
			if b, err := time.Parse("2006-01-02", r.Birth); err == nil {
				age = ageAt(b, at)
			}
			ok := (lo < 0 || age >= lo) && (hi < 0 || (age >= 0 && age <= hi)) && (lo < 0 && hi < 0 || age >= 0)
			ok = ok && (c.Sex == "" || r.Sex == c.Sex)
			ok = ok && (len(c.Kinds) == 0 || slices.Contains(c.Kinds, r.Kind))
			// no statuses named: those living here
			ok = ok && (len(c.Statuses) == 0 && (r.Status == model.StatusPresent || r.Status == model.StatusAway) || slices.Contains(c.Statuses, r.Status))
			ok = ok && (len(c.Relations) == 0 || slices.Contains(c.Relations, r.Relation))
			if len(c.TagsAny) > 0 {
				ok = ok && slices.ContainsFunc(c.TagsAny, func(id int64) bool { return carried[r.ID][id] })
			}
			for _, id := range c.TagsAll {
				ok = ok && carried[r.ID][id]
			}
			for _, id := range c.TagsNone {
				ok = ok && !carried[r.ID][id]
			}
			if c.Alone {
				ok = ok && r.HouseID != 0 && (r.Status == model.StatusPresent || r.Status == model.StatusAway) && present[r.HouseID] == 1
			}
			ok = ok && (!c.NoIDNumber || r.IDNumber == "") && (!c.NoPhone || r.Phone == "")
			if ok {
				want++
			}
		}
		l, err := ta.Residents(ctx, ta.admin, app.ListFilter{Cohort: &c})
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("cohort %+v: counted %d, by hand %d", c, got, want)
		}
		if want > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 30 {
		t.Fatalf("only %d of the random cohorts held anyone: the test proves little", nonEmpty)
	}
}

// ageAt is full years at a date, counted by hand.
func ageAt(b, at time.Time) int {
	age := at.Year() - b.Year()
	if at.Month() < b.Month() || at.Month() == b.Month() && at.Day() < b.Day() {
		age--
	}
	return age
}

// TestSampleIsReproducibleAndWithinTheCohort: the same seed draws the same
// residents, another seed others, all from the cohort, and the sample
// exports as a ledger of exactly those.
func TestSampleIsReproducibleAndWithinTheCohort(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 800, 23)
	ctx := context.Background()
	f := app.ListFilter{Cohort: &app.CohortFilter{Ages: "60-"}}
	inCohort := map[int64]bool{}
	for _, r := range ta.rows(t, ta.admin, f) {
		inCohort[r.ID] = true
	}
	a, n, err := ta.Sample(ctx, ta.admin, f, 20, 7)
	if err != nil || n != 20 {
		t.Fatalf("sample of %d: %v", n, err)
	}
	b, _, _ := ta.Sample(ctx, ta.admin, f, 20, 7)
	c, _, _ := ta.Sample(ctx, ta.admin, f, 20, 8)
	if !slices.Equal(a.IDs, b.IDs) || slices.Equal(a.IDs, c.IDs) {
		t.Fatalf("seed 7 twice %v %v, seed 8 %v", a.IDs, b.IDs, c.IDs)
	}
	for _, id := range a.IDs {
		if !inCohort[id] {
			t.Fatalf("%d is not in the cohort", id)
		}
	}
	if rows := ta.rows(t, ta.admin, a); len(rows) != 20 {
		t.Fatalf("the sample lists %d", len(rows))
	}
	if _, n, _ := ta.Sample(ctx, ta.admin, f, 100000, 7); n != len(inCohort) {
		t.Fatalf("asking for more than there are gives %d of %d", n, len(inCohort))
	}
	if _, _, err := ta.Sample(ctx, ta.admin, f, 0, 7); err == nil {
		t.Fatal("a sample of none")
	}
}

// TestCompareCohorts: side-by-side facts equal the cohorts' own counts.
func TestCompareCohorts(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 700, 31)
	ctx := context.Background()
	count := func(c app.CohortFilter) int {
		l, err := ta.Residents(ctx, ta.admin, app.ListFilter{Cohort: &c})
		if err != nil {
			t.Fatal(err)
		}
		n, _ := l.Count(ctx)
		return n
	}
	floating := []model.Kind{model.KindFloating}
	facts, err := ta.CompareCohorts(ctx, ta.admin, app.ListFilter{}, []app.CohortFilter{{}, {Kinds: floating}, {Ages: "25-35", Sex: model.Female}})
	if err != nil {
		t.Fatal(err)
	}
	for i, kinds := range [][]model.Kind{nil, floating} {
		want := app.CohortFacts{Total: count(app.CohortFilter{Kinds: kinds}), Men: count(app.CohortFilter{Kinds: kinds, Sex: model.Male}),
			Women: count(app.CohortFilter{Kinds: kinds, Sex: model.Female}), Children: count(app.CohortFilter{Kinds: kinds, Ages: "-17"}),
			Adults: count(app.CohortFilter{Kinds: kinds, Ages: "18-59"}), Elderly: count(app.CohortFilter{Kinds: kinds, Ages: "60-"})}
		if facts[i] != want || want.Total == 0 || i == 0 && want.Children == 0 {
			t.Fatalf("cohort %d: %+v, want %+v", i, facts[i], want)
		}
	}
	if f := facts[2]; f.Men != 0 || f.Children != 0 || f.Elderly != 0 || f.Adults != f.Total || f.Women != f.Total || f.Total == 0 {
		t.Fatalf("women 25–35: %+v", f)
	}
}
