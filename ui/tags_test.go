package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/widgets"
)

func TestTagsAreDefinedGivenInTheFormAndToAList(t *testing.T) {
	u, w := newTestUI(t, 40)
	ctx := context.Background()
	// define one on the 标签 screen
	u.tags.reload()
	drain(t)
	before := len(u.tags.tags)
	test.Tap(u.tags.add)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("太极拳")
	sel := topSelects(w)
	sel[0].SetSelected("兴趣爱好")
	tapText(t, w, "确定")
	drain(t)
	if len(u.tags.tags) != before+1 {
		t.Fatalf("tags %d, before %d", len(u.tags.tags), before)
	}
	// give it in a resident's form; the button under it takes it off
	row := loadRow(t, u.residents, 0)
	r, err := u.app.Resident(ctx, u.actor, row.id)
	if err != nil {
		t.Fatal(err)
	}
	f := newResidentForm(u, r, 0)
	f.show()
	drain(t)
	var give *widgets.Select
	for _, s := range topSelects(w) {
		if s.PlaceHolder == "添加标签…" {
			give = s
		}
	}
	if give == nil {
		t.Fatal("no way to add a tag in the form")
	}
	give.SetSelected("太极拳")
	drain(t)
	have, _ := u.app.ResidentTags(ctx, u.actor, row.id)
	if len(have) != 1 || have[0].Name != "太极拳" {
		t.Fatalf("after giving: %+v", have)
	}
	tapText(t, w, "太极拳")
	if have, _ = u.app.ResidentTags(ctx, u.actor, row.id); len(have) != 0 {
		t.Fatalf("after taking off: %+v", have)
	}
	f.hide()
	// the whole list (a search) at once
	u.residents.search.SetText(row.cells[0])
	u.residents.reload()
	drain(t)
	n := u.residents.pager.total
	test.Tap(u.residents.tagBtn)
	drain(t)
	topSelects(w)[0].SetSelected("太极拳") // a tag the demo gives no one
	tapText(t, w, "确定")
	drain(t)
	if !shows(w, "已为") {
		t.Fatalf("no word of the tagging: %q", texts(w))
	}
	u.tags.reload()
	drain(t)
	for _, tg := range u.tags.tags {
		if tg.Name == "太极拳" && tg.Residents != n {
			t.Fatalf("太极拳 carried by %d, the list had %d", tg.Residents, n)
		}
	}
}

func TestCohortBuilderCountsAndNarrowsTheList(t *testing.T) {
	u, w := newTestUI(t, 300)
	s := u.residents
	all := s.pager.total
	test.Tap(s.cohortBtn)
	drain(t)
	b := s.cohortDialog
	if !strings.Contains(b.count.Text, strconv.Itoa(all)) {
		t.Fatalf("the builder starts from everyone: %q", b.count.Text)
	}
	b.ages.SetText("25-35")
	b.sex.SetSelected("女")
	drain(t)
	want, err := u.app.Residents(context.Background(), u.actor, app.ListFilter{Cohort: &app.CohortFilter{Ages: "25-35", Sex: model.Female}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := want.Count(context.Background())
	if n == 0 || n == all || !strings.Contains(b.count.Text, strconv.Itoa(n)) {
		t.Fatalf("count %q, want %d of %d", b.count.Text, n, all)
	}
	b.ages.SetText("35-25")
	tapText(t, w, "在列表中查看")
	if !strings.Contains(b.count.Text, "年龄请写成") {
		t.Fatalf("a reversed range was taken: %q", b.count.Text)
	}
	b.ages.SetText("25-35")
	tapText(t, w, "在列表中查看")
	drain(t)
	if s.pager.total != n || !strings.Contains(s.status.Text, "人群") {
		t.Fatalf("the list shows %d (%q), want %d", s.pager.total, s.status.Text, n)
	}
	s.clearFilters()
	drain(t)
	if s.pager.total != all {
		t.Fatalf("cleared: %d of %d", s.pager.total, all)
	}
}

func TestASampleOfTheCohortIsExported(t *testing.T) {
	u, w, _ := ledgerUI(t)
	test.Tap(u.residents.cohortBtn)
	drain(t)
	tapText(t, w, "抽样导出…")
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("7")
	tapText(t, w, "确定")
	drain(t)
	if !shows(w, "共 7 人") {
		t.Fatalf("the sample's export does not say 7: %q", texts(w))
	}
	entries, _, _ = dialogWidgets(w)
	path := filepath.Join(t.TempDir(), "样本.xlsx")
	entries[0].SetText(path)
	tapText(t, w, "确定")
	drain(t)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("居民台账")
	f.Close()
	if len(rows) != 7+2 {
		t.Fatalf("the sample ledger has %d rows", len(rows))
	}
}

func TestACohortIsSavedAndOpenedAgain(t *testing.T) {
	u, w := newTestUI(t, 200)
	test.Tap(u.residents.cohortBtn)
	drain(t)
	b := u.residents.cohortDialog
	b.ages.SetText("60-")
	b.alone.SetChecked(true)
	b.tagsNone.checks[0].SetChecked(true)
	drain(t)
	counted := b.count.Text
	tapText(t, w, "保存为…")
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("独居老人走访")
	tapText(t, w, "确定")
	drain(t)
	tapText(t, w, "取消") // the builder
	test.Tap(u.residents.cohortBtn)
	drain(t)
	b = u.residents.cohortDialog
	if b.ages.Text != "" || len(b.saved.Options) != 1 {
		t.Fatalf("a fresh builder: ages %q, saved %v", b.ages.Text, b.saved.Options)
	}
	b.saved.SetSelected("独居老人走访")
	drain(t)
	if b.ages.Text != "60-" || !b.alone.Checked || b.count.Text != counted || len(b.tagsNone.selected()) != 1 {
		t.Fatalf("opened again: %q %v %q (saved with %q)", b.ages.Text, b.alone.Checked, b.count.Text, counted)
	}
}

func TestCohortsAreComparedSideBySide(t *testing.T) {
	u, w := newTestUI(t, 200)
	if err := u.app.SaveCohort(context.Background(), u.actor, "老人", app.CohortFilter{Ages: "60-"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(u.residents.cohortBtn)
	drain(t)
	b := u.residents.cohortDialog
	b.sex.SetSelected("女")
	drain(t)
	tapText(t, w, "对比…")
	topSelects(w)[0].SetSelected("老人")
	tapText(t, w, "确定")
	drain(t)
	if b.compared == nil || !shows(w, "60 岁及以上") || !shows(w, "老人") {
		t.Fatalf("no comparison shown: %q", texts(w))
	}
}

// TestATagOpensItsResidentsOnADoubleClick: a double click on a tag's line
// lists, on the residents screen, the residents carrying it, named on the
// status line; a single click only chooses it.
func TestATagOpensItsResidentsOnADoubleClick(t *testing.T) {
	u, _ := newTestUI(t, 120)
	u.tabs.SelectIndex(indexOfTab(t, u, u.tags.content))
	u.tags.reload()
	drain(t)
	at := -1
	for i, tg := range u.tags.tags {
		if tg.Residents > 0 && tg.Residents < u.residents.pager.total {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatal("no tag carried by some of the demo's residents")
	}
	tag := u.tags.tags[at]
	u.tags.list.ScrollTo(at)
	var row *tagRow
	walkObjects(u.tags.list, func(o fyne.CanvasObject) {
		if x, ok := o.(*tagRow); ok && x.i == at && x.Visible() {
			row = x
		}
	})
	if row == nil {
		t.Fatalf("the line of %s is not shown", tag.Name)
	}
	test.Tap(row)
	if u.tags.picked != at || u.tabs.Selected().Content != u.tags.content {
		t.Fatalf("a click: picked %d, want %d; screen %v", u.tags.picked, at, u.tabs.Selected().Text)
	}
	test.DoubleTap(row)
	drain(t)
	if u.tabs.SelectedIndex() != 0 || u.residents.pager.total != tag.Residents || !strings.Contains(u.residents.status.Text, tag.Name) {
		t.Fatalf("after a double click: screen %d, %d listed (the tag has %d), %q", u.tabs.SelectedIndex(), u.residents.pager.total,
			tag.Residents, u.residents.status.Text)
	}
}

// indexOfTab is the index of the tab showing content.
func indexOfTab(t *testing.T, u *UI, content fyne.CanvasObject) int {
	t.Helper()
	for i, it := range u.tabs.Items {
		if it.Content == content {
			return i
		}
	}
	t.Fatal("no such tab")
	return -1
}
