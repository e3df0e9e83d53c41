package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

// TestStatsAgreeWithTheListBehindThem: for random filters and dates (in
// either half of a year, where the pyramid's summary counts the other
// part of the year), every pyramid band equals a count by hand over the
// cohort's list, and every other chart adds up to the total.
func TestStatsAgreeWithTheListBehindThem(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 1200, 31)
	ctx := context.Background()
	areas, _ := ta.VisibleAreas(ctx, ta.admin)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 25; i++ {
		c := &app.CohortFilter{At: fmt.Sprintf("20%02d-%02d-%02d", 20+rng.IntN(7), 1+rng.IntN(12), 1+rng.IntN(28))}
		if rng.IntN(2) == 0 {
			lo := rng.IntN(50)
			c.Ages = fmt.Sprintf("%d-%d", lo, lo+rng.IntN(40))
		}
		if rng.IntN(3) == 0 {
			c.Kinds = []model.Kind{model.Kinds[rng.IntN(3)]}
		}
		if rng.IntN(4) == 0 {
			c.NoPhone = true // a filter the summaries do not keep
		}
		f := app.ListFilter{Cohort: c}
		if rng.IntN(2) == 0 {
			f.AreaID = areas[rng.IntN(len(areas))].ID
		}
		s, err := ta.Stats(ctx, ta.admin, f)
		if err != nil {
			t.Fatal(err)
		}
		at, _ := time.Parse("2006-01-02", c.At)
		men, women := make([]int, app.PyramidBands), make([]int, app.PyramidBands)
		rows := ta.rows(t, ta.admin, f)
		unknown := 0
		for _, r := range rows {
			b, err := time.Parse("2006-01-02", r.Birth)
			age := ageAt(b, at)
			if err != nil || age < 0 || r.Sex == "" {
				unknown++
				continue
			}
			band := min(age/5, app.PyramidBands-1)
			if r.Sex == model.Male {
				men[band]++
			} else {
				women[band]++
			}
		}
		if s.Total != len(rows) || s.Pyramid.Unknown != unknown {
			t.Fatalf("filter %+v %+v: total %d unknown %d, list %d unknown %d", f, *c, s.Total, s.Pyramid.Unknown, len(rows), unknown)
		}
		for k := range men {
			if s.Pyramid.Men[k] != men[k] || s.Pyramid.Women[k] != women[k] {
				t.Fatalf("filter %+v %+v band %s: %d men %d women, by hand %d and %d", f, *c, s.Pyramid.Bands[k],
					s.Pyramid.Men[k], s.Pyramid.Women[k], men[k], women[k])
			}
		}
		for name, counts := range map[string][]app.Count{"areas": s.Areas, "kinds": s.Kinds, "statuses": s.Statuses} {
			sum := 0
			for _, x := range counts {
				sum += x.N
			}
			if sum != s.Total {
				t.Fatalf("filter %+v %+v: %s add up to %d of %d", f, *c, name, sum, s.Total)
			}
		}
	}
}

// TestStatsBarsOpenTheirCohorts: a bar's filter lists exactly the residents
// the bar counts.
func TestStatsBarsOpenTheirCohorts(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 900, 5)
	ctx := context.Background()
	tags, _ := ta.Tags(ctx, ta.admin)
	for i, r := range ta.rows(t, ta.admin, app.ListFilter{}) {
		if i%7 == 0 {
			if err := ta.SetTag(ctx, ta.admin, r.ID, tags[0].ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	s, err := ta.Stats(ctx, ta.admin, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var bars []app.Count
	bars = append(bars, s.Areas...)
	bars = append(bars, s.Tags...)
	bars = append(bars, s.Kinds...)
	bars = append(bars, s.Statuses...)
	if len(s.Tags) == 0 || len(s.Areas) == 0 {
		t.Fatalf("tags %v, areas %v", s.Tags, s.Areas)
	}
	for _, b := range bars {
		if got := len(ta.rows(t, ta.admin, b.Filter)); got != b.N {
			t.Errorf("bar %s %s counts %d, its cohort lists %d", b.Key, b.Label, b.N, got)
		}
	}
	for k := range s.Pyramid.Bands {
		if got := len(ta.rows(t, ta.admin, s.Pyramid.WomenF[k])); got != s.Pyramid.Women[k] {
			t.Errorf("band %s: %d women, cohort lists %d", s.Pyramid.Bands[k], s.Pyramid.Women[k], got)
		}
	}
	if living := len(ta.rows(t, ta.admin, app.ListFilter{})); len(s.Headlines) != 5 || s.Total != living || living >= 900 {
		t.Errorf("headlines: %+v", s.Headlines)
	}
	for _, h := range s.Headlines {
		if got := len(ta.rows(t, ta.admin, h.Filter)); got != h.N || h.N == 0 && h.Key != "alone" {
			t.Errorf("headline %s counts %d, its cohort lists %d", h.Key, h.N, got)
		}
	}
}

// TestStatsCountMovesPerMonth: a move shows as one out and one in in its
// month; a 领导 sees only the counts of their areas.
func TestStatsCountMovesPerMonth(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	before, err := ta.Stats(ctx, ta.admin, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows := ta.rows(t, ta.admin, app.ListFilter{})
	if err := ta.MoveResident(ctx, ta.admin, rows[0].ID, rows[len(rows)-1].HouseID, model.RelOther, "2026-10-15"); err != nil {
		t.Fatal(err)
	}
	after, err := ta.Stats(ctx, ta.admin, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	m := len(after.Moves.Months) - 2
	if after.Moves.Months[m] != "2026-10" || after.Moves.In[m] != before.Moves.In[m]+1 || after.Moves.Out[m] != before.Moves.Out[m]+1 {
		t.Errorf("October: in %d→%d, out %d→%d (%v)", before.Moves.In[m], after.Moves.In[m], before.Moves.Out[m], after.Moves.Out[m], after.Moves.Months)
	}
}

// TestStatsCountThoseLivingHereUnlessAsked: the dashboard's numbers and
// charts (total, 60 and over, 流动, the tags and 状态 charts, a cohort's
// count, the tags screen) are of those living here (在住, 外出), and of
// former residents (迁出, 死亡) too only when the filter names them.
func TestStatsCountThoseLivingHereUnlessAsked(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta := newDemoApp(t, 900, 5)
	ctx := context.Background()
	tag, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: "测试", Category: "兴趣爱好"})
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ total, elderly, floating, tagged int }
	var living, all tally
	statuses := map[model.Status]int{}
	for i, r := range ta.rows(t, ta.admin, everyone()) {
		carries := i%3 == 0 || r.Status == model.StatusMoved || r.Status == model.StatusDead
		if carries {
			if err := ta.SetTag(ctx, ta.admin, r.ID, tag, true); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []*tally{&all, &living} {
			if c == &living && r.Status != model.StatusPresent && r.Status != model.StatusAway {
				continue
			}
			c.total++
			if ta.Age(r.Birth) >= 60 {
				c.elderly++
			}
			if r.Kind == model.KindFloating {
				c.floating++
			}
			if carries {
				c.tagged++
			}
		}
		statuses[r.Status]++
	}
	if statuses[model.StatusMoved] == 0 || statuses[model.StatusDead] == 0 {
		t.Fatalf("the demo has no former residents: %v", statuses)
	}
	for _, c := range []struct {
		what   string
		filter app.ListFilter
		want   tally
		states []string
	}{{"by default", app.ListFilter{}, living, []string{"present", "away"}},
		{"with every status", everyone(), all, []string{"present", "away", "moved", "dead"}}} {
		s, err := ta.Stats(ctx, ta.admin, c.filter)
		if err != nil {
			t.Fatal(err)
		}
		got := tally{total: s.Total}
		for _, h := range s.Headlines {
			switch h.Key {
			case "elderly":
				got.elderly = h.N
			case "floating":
				got.floating = h.N
			}
		}
		for _, x := range s.Tags {
			if x.Key == strconv.FormatInt(tag, 10) {
				got.tagged = x.N
			}
		}
		if got != c.want {
			t.Errorf("%s: counted %+v, by hand %+v", c.what, got, c.want)
		}
		var keys []string
		for _, x := range s.Statuses {
			keys = append(keys, x.Key)
			if x.N != statuses[model.Status(x.Key)] {
				t.Errorf("%s: %d %s, by hand %d", c.what, x.N, x.Key, statuses[model.Status(x.Key)])
			}
		}
		if !slices.Equal(keys, c.states) {
			t.Errorf("%s: the 状态 chart has %v, want %v", c.what, keys, c.states)
		}
		if n, err := ta.CountCohort(ctx, ta.admin, c.filter); err != nil || n != c.want.total {
			t.Errorf("%s: cohort count %d (%v), want %d", c.what, n, err, c.want.total)
		}
	}
	tags, err := ta.Tags(ctx, ta.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tags {
		if x.ID == tag && x.Residents != living.tagged {
			t.Errorf("the tags screen counts %d carriers, %d of them living here", x.Residents, living.tagged)
		}
	}
}
