package report_test

import (
	"fmt"
	"os"
	"testing"

	"shequ/app"
	"shequ/charts"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

func TestMain(m *testing.M) {
	os.Setenv("SHEQU_LANG", "zh")
	if _, err := i18n.Setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// TestManyBarsEndInOneForTheRest: past MaxBars the smallest are summed in
// one bar that says how many it holds; the total is kept.
func TestManyBarsEndInOneForTheRest(t *testing.T) {
	s := &app.Stats{Total: 1000}
	want := 0
	for i := range 30 {
		s.Tags = append(s.Tags, app.Count{Key: fmt.Sprint(i), Label: fmt.Sprintf("标签%d", i), N: 30 - i, Color: "#3A78D9"})
		want += 30 - i
	}
	bars := report.Chart(report.Tags, s).(charts.Bars).Bars
	if len(bars) != report.MaxBars || bars[len(bars)-1].Label != "其他 11 项" {
		t.Fatalf("%d bars, the last %q", len(bars), bars[len(bars)-1].Label)
	}
	got := 0
	for _, b := range bars {
		got += b.Value
	}
	if got != want || bars[0].Color != "#3A78D9" {
		t.Errorf("the bars hold %d of %d", got, want)
	}
}

// TestTitlesAndLabelsSayWhatTheChartsAre: the area chart is named for the
// level it counts; residents without a house, categories and states get
// their words; moves of a cohort say they are the area's.
func TestTitlesAndLabelsSayWhatTheChartsAre(t *testing.T) {
	s := &app.Stats{AreaKind: "compound", Areas: []app.Count{{Key: "0", N: 3}},
		Kinds: []app.Count{{Key: "floating", N: 2}}, Statuses: []app.Count{{Key: "away", N: 1}}}
	if got := report.Title(report.Areas, s); got != "各小区人数" {
		t.Errorf("title %q", got)
	}
	if got := report.AreaCounts(s)[0].Label; got != "未分配房屋" {
		t.Errorf("no house: %q", got)
	}
	if k, st := report.Labelled(s.Kinds)[0].Label, report.Labelled(s.Statuses)[0].Label; k != "流动" || st != "外出" {
		t.Errorf("composition labels %q %q", k, st)
	}
	if report.Title(report.Moves, s) != "每月迁入迁出" {
		t.Error(report.Title(report.Moves, s))
	}
	s.Filter.Cohort = &app.CohortFilter{Ages: "60-"}
	if got := report.Title(report.Moves, s); got != "每月迁入迁出（区域内全部居民）" {
		t.Errorf("moves of a cohort: %q", got)
	}
	if got := report.Subject("红旗社区", "", s.Filter.Cohort); got != "红旗社区 · 60- 岁" {
		t.Errorf("subject %q", got)
	}
}

// TestAppealMediansSayTheirUnit: a median says hours, or days from two
// days on, in Chinese and in English; none is a dash.
func TestAppealMediansSayTheirUnit(t *testing.T) {
	s := &app.AppealStats{By: "category", All: app.AppealGroup{Received: 2, AcceptHours: 5.25, AnswerHours: 60, CloseHours: -1}}
	for _, c := range []struct{ lang, accept, answer string }{{"zh", "5.2 小时", "2.5 天"}, {"en", "5.2 h", "2.5 days"}} {
		t.Setenv("SHEQU_LANG", c.lang)
		if _, err := i18n.Setup(); err != nil {
			t.Fatal(err)
		}
		rows := report.AppealRows(s)
		all := rows[1]
		if all[6] != c.accept || all[7] != c.answer || all[8] != "—" {
			t.Errorf("%s: medians %q %q %q, want %q %q —", c.lang, all[6], all[7], all[8], c.accept, c.answer)
		}
	}
	t.Setenv("SHEQU_LANG", "zh")
	if _, err := i18n.Setup(); err != nil {
		t.Fatal(err)
	}
}
