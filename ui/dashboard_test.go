package ui

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/report"
)

// openDashboard starts the UI on a demo and shows the 数据看板.
func openDashboard(t *testing.T, n int) (*UI, fyne.Window) {
	t.Helper()
	u, w := newTestUI(t, n)
	u.tabs.SelectIndex(3)
	drain(t)
	if u.dashboard.stats == nil {
		t.Fatalf("the dashboard counted nothing: %q", u.dashboard.subject.Text)
	}
	return u, w
}

func TestDashboardNumbersAndChartsOpenTheirResidents(t *testing.T) {
	u, w := openDashboard(t, 600)
	d := u.dashboard
	if d.stats.Total != livingHere(t, u) || len(d.heads.Objects) != 5 || !shows(w, "60 岁及以上") {
		t.Fatalf("headlines: total %d, %d cards: %q", d.stats.Total, len(d.heads.Objects), texts(w))
	}
	for k, img := range d.charts {
		if img.Image() == nil {
			t.Errorf("chart %s not drawn", k)
		}
	}
	// A headline number lists its residents.
	elderly := d.stats.Headlines[1]
	test.Tap(d.heads.Objects[1].(*fyne.Container).Objects[0].(*widget.Button))
	drain(t)
	if u.tabs.SelectedIndex() != 0 || u.residents.pager.total != elderly.N || elderly.N == 0 {
		t.Fatalf("tab %d lists %d, the card said %d", u.tabs.SelectedIndex(), u.residents.pager.total, elderly.N)
	}
	// Every bar of every chart lists as many as it counts.
	for _, k := range report.Kinds {
		for _, r := range d.rows(k) {
			if r.filter == nil || r.n == 0 {
				continue
			}
			u.showResidents(*r.filter)
			drain(t)
			if u.residents.pager.total != r.n {
				t.Fatalf("%s %s counts %d, lists %d", k, r.label, r.n, u.residents.pager.total)
			}
		}
	}
	// A chart opened large, then its whole cohort.
	u.tabs.SelectIndex(3)
	drain(t)
	d.openChart(report.Tags)
	if !shows(w, "标签分布") {
		t.Fatalf("no chart dialog: %q", texts(w))
	}
	// A row of the numbers lists its residents.
	first := d.detail.Rows()[0]
	d.detail.Table().Select(widget.TableCellID{Row: 0})
	tapText(t, w, "列出这些居民")
	drain(t)
	if u.tabs.SelectedIndex() != 0 || u.residents.pager.total != first.n {
		t.Fatalf("%s: tab %d, %d listed, want %d", first.label, u.tabs.SelectedIndex(), u.residents.pager.total, first.n)
	}
	u.tabs.SelectIndex(3)
	drain(t)
	d.openChart(report.Tags)
	tapText(t, w, "查看全部名单")
	drain(t)
	if u.tabs.SelectedIndex() != 0 || u.residents.pager.total != livingHere(t, u) {
		t.Fatalf("all: tab %d, %d listed", u.tabs.SelectedIndex(), u.residents.pager.total)
	}
}

func TestDashboardSavesChartsAndTheReport(t *testing.T) {
	u, w := openDashboard(t, 400)
	d := u.dashboard
	dir := t.TempDir()

	d.saveChart(report.Pyramid)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(filepath.Join(dir, "年龄.txt"))
	tapText(t, w, "确定")
	if !shows(w, ".png 或 .svg") {
		t.Fatalf("a wrong file type is not explained: %q", texts(w))
	}
	entries[0].SetText(filepath.Join(dir, "年龄.svg"))
	tapText(t, w, "确定")
	svg, err := os.ReadFile(filepath.Join(dir, "年龄.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil || !strings.Contains(string(svg), "年龄性别结构") {
		t.Fatalf("the SVG: %v", err)
	}

	d.writeReport()
	entries, _, _ = dialogWidgets(w)
	path := filepath.Join(dir, "报告.xlsx")
	entries[0].SetText(path)
	tapText(t, w, "确定")
	drain(t)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1+len(report.Kinds) || sheets[1] != "年龄性别结构" {
		t.Fatalf("sheets %v", sheets)
	}
	for _, name := range sheets[1:] {
		pics, err := f.GetPictures(name, "F2")
		if err != nil || len(pics) != 1 || len(pics[0].File) < 1000 {
			t.Errorf("sheet %s: %d pictures (%v)", name, len(pics), err)
		}
	}
	// The pyramid's numbers add up to the residents of known age and sex.
	rows, _ := f.GetRows("年龄性别结构")
	sum := 0
	for _, r := range rows[1:] {
		if len(r) == 4 && r[1] != "" {
			n, _ := excelizeInt(r[3])
			sum += n
		}
	}
	if sum+d.stats.Pyramid.Unknown != livingHere(t, u) {
		t.Errorf("the pyramid sheet adds up to %d (+%d unknown)", sum, d.stats.Pyramid.Unknown)
	}
	log, _ := u.app.AuditLog(context.Background(), u.actor, model.AuditFilter{Action: app.AuditExport}, 5)
	if len(log) != 2 || log[0].Target != "报告.xlsx" || log[1].Target != "年龄.svg" {
		t.Errorf("the audit log: %+v", log)
	}
}

// excelizeInt reads a number as the report writes it (1,234).
func excelizeInt(s string) (int, bool) {
	n := 0
	for _, r := range strings.ReplaceAll(s, ",", "") {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

func TestDashboardOfACohort(t *testing.T) {
	u, w := openDashboard(t, 500)
	d := u.dashboard
	floating := d.stats.Headlines[3]
	test.Tap(d.cohortBtn)
	drain(t)
	d.cohortDialog.kinds.SetSelected([]string{"流动"})
	drain(t)
	if d.cohortDialog.count.Text != "符合条件："+groupDigits(floating.N)+" 人" {
		t.Fatalf("the builder counts %q, the card said %d", d.cohortDialog.count.Text, floating.N)
	}
	tapText(t, w, "在列表中查看")
	drain(t)
	if d.stats.Total != floating.N || !strings.Contains(d.subject.Text, "流动") {
		t.Fatalf("the dashboard of the cohort: %d (%q), want %d", d.stats.Total, d.subject.Text, floating.N)
	}
}

// countingHost counts how often and with what context the builder counts.
type countingHost struct {
	calls     int
	cancelled int
	ctxs      []context.Context
}

func (h *countingHost) filter() app.ListFilter        { return app.ListFilter{} }
func (h *countingHost) applyCohort(*app.CohortFilter) {}
func (h *countingHost) count(ctx context.Context, f app.ListFilter) (int, error) {
	h.calls++
	h.ctxs = append(h.ctxs, ctx)
	if ctx.Err() != nil {
		h.cancelled++
		return 0, ctx.Err()
	}
	return 7, nil
}

// TestCohortCountWaitsForTheLastChangeAndCancelsTheOneBefore: typing
// counts once, after the last key; a count still running when the filter
// changes is cancelled and its answer dropped.
func TestCohortCountWaitsForTheLastChangeAndCancelsTheOneBefore(t *testing.T) {
	u, _ := newTestUI(t, 50)
	h := &countingHost{}
	var b *cohortBuilder
	u.openCohort(h, nil, func(opened *cohortBuilder) { b = opened })
	drain(t)
	h.calls = 0
	for _, s := range []string{"2", "25", "25-", "25-3", "25-35"} {
		b.ages.SetText(s)
	}
	drain(t)
	if h.calls != 1 || b.count.Text != "符合条件：7 人" {
		t.Fatalf("%d counts for one burst of typing; shows %q", h.calls, b.count.Text)
	}
	// a count under way, then a newer one
	h.calls, h.cancelled, h.ctxs = 0, 0, nil
	b.countNow()
	b.countNow()
	drain(t)
	if h.calls != 2 || h.cancelled != 1 || h.ctxs[0].Err() == nil || b.count.Text != "符合条件：7 人" {
		t.Fatalf("calls %d, cancelled %d, shows %q", h.calls, h.cancelled, b.count.Text)
	}
}

// TestALeaderSeesTheNumbersOfTheirAreaOnly: a 领导 of one community starts
// on the dashboard, counted within it.
func TestALeaderSeesTheNumbersOfTheirAreaOnly(t *testing.T) {
	var second model.Area
	a, fa := demoWithAccount(t, 16000, app.AccountInput{Username: "lead", Role: model.RoleLeader},
		func(areas []model.Area) []int64 {
			for _, ar := range areas {
				if ar.Level == model.LevelCommunity {
					second = ar // one of the two communities
				}
			}
			return []int64{second.ID}
		})
	admin, _ := a.Login(context.Background(), "admin", testPassword)
	l, _ := a.Residents(context.Background(), admin, app.ListFilter{AreaID: second.ID})
	want, _ := l.Count(context.Background())
	u, _ := startWindow(fa, a, Options{Version: "test", AutoLogin: "lead", Password: testPassword})
	drain(t)
	d := u.dashboard
	if u.tabs.SelectedIndex() != 3 || d.stats == nil || d.stats.Total != want || want == 16000 || want == 0 {
		t.Fatalf("tab %d: the leader counts %d of the community's %d", u.tabs.SelectedIndex(), d.stats.Total, want)
	}
	for _, c := range d.stats.Areas {
		if !strings.HasPrefix(c.Label, "第") { // the community's grids
			t.Errorf("an area outside the leader's: %s", c.Label)
		}
	}
	if d.reportBtn.Hidden {
		t.Error("a leader cannot write the 分析报告")
	}
}

// TestChartsAreDrawnAtTheSizeShown resizes the window and a chart: each
// chart is drawn again at the size it is shown, pixel for pixel, and on a
// large screen the dashboard's charts grow with it.
func TestChartsAreDrawnAtTheSizeShown(t *testing.T) {
	u, w := openDashboard(t, 300)
	drawnAt := func(c *chartView) (image, shown fyne.Size) {
		t.Helper()
		m := c.Image()
		if m == nil {
			t.Fatal("chart not drawn")
		}
		return fyne.NewSize(float32(m.Bounds().Dx()), float32(m.Bounds().Dy())), c.Size()
	}
	// A chart is drawn as wide as shown, and as tall or taller when its
	// bars need more room (the window then lays it out taller).
	follows := func(drawn, shown fyne.Size) bool {
		return drawn.Width == shown.Width && drawn.Height >= float32(int(shown.Height)) && drawn.Height < shown.Height*1.3
	}
	pyramid := u.dashboard.charts[report.Pyramid]
	w.Resize(fyne.NewSize(1024, 700))
	drain(t)
	small, shown := drawnAt(pyramid)
	if !follows(small, shown) {
		t.Fatalf("at 1024×700 the pyramid is shown at %v, drawn at %v", shown, small)
	}
	w.Resize(fyne.NewSize(1920, 1080))
	drain(t)
	large, shown := drawnAt(pyramid)
	if !follows(large, shown) || large.Width < 1.2*small.Width || large.Width < cardsWide {
		t.Fatalf("at 1920×1080 the pyramid is shown at %v, drawn at %v (at 1024: %v)", shown, large, small)
	}
	// Three abreast: more of the dashboard in view at once.
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject
	if tags := u.dashboard.charts[report.Tags]; tags.Image() == nil || at(tags).Y != at(pyramid).Y || at(tags).X <= at(pyramid).X {
		t.Fatalf("at 1920×1080 the third chart is at %v, the first at %v", at(tags), at(pyramid))
	}
	// One chart given a size of its own is drawn at it.
	pyramid.Resize(fyne.NewSize(700, 520))
	drain(t)
	if got, _ := drawnAt(pyramid); got != fyne.NewSize(700, 520) {
		t.Fatalf("resized to 700×520, drawn at %v", got)
	}
	// Resized twice before drawing: drawn once, at the last size.
	pyramid.Resize(fyne.NewSize(610, 500))
	pyramid.Resize(fyne.NewSize(810, 540))
	if n := len(queue); n != 2 {
		t.Fatalf("%d drawings queued", n)
	}
	before := pyramid.Image()
	queue[0]()()
	if pyramid.Image() != before {
		t.Fatal("the older size was drawn")
	}
	drain(t)
	if got, _ := drawnAt(pyramid); got != fyne.NewSize(810, 540) {
		t.Fatalf("drawn at %v, last asked 810×540", got)
	}
}
