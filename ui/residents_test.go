package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

func TestResidentsScreenCountsSearchesAndShowsMaskedNumbers(t *testing.T) {
	u, w := newTestUI(t, 300)
	s := u.residents
	if got, want := s.status.Text, fmt.Sprintf("共 %d 人", livingHere(t, u)); got != want {
		t.Fatalf("status = %q, want %s", got, want)
	}
	first, ok := s.pager.row(0)
	if !ok {
		drain(t)
		first, ok = s.pager.row(0)
	}
	if !ok {
		t.Fatal("first row never loaded")
	}
	if id := first.cells[3]; len([]rune(id)) != 18 || !strings.Contains(id, "**********") {
		t.Errorf("ID number cell %q is not masked", id)
	}
	test.AssertImageMatches(t, "residents.png", w.Canvas().Capture())

	// when: a name part is searched
	test.Type(s.search, first.cells[0][:3]) // the surname (one Han character is 3 bytes)
	s.search.OnSubmitted(s.search.Text)
	drain(t)

	// then: fewer rows, each containing the surname, and the kind is said
	if !strings.Contains(s.status.Text, "按姓名查找") || s.pager.total == 0 || s.pager.total >= livingHere(t, u) {
		t.Fatalf("after search: status %q, total %d", s.status.Text, s.pager.total)
	}
	for i := 0; i < s.pager.total; i++ {
		r, ok := s.pager.row(i)
		if !ok {
			drain(t)
			r, _ = s.pager.row(i)
		}
		if !strings.Contains(r.cells[0], first.cells[0][:3]) {
			t.Errorf("row %d %q does not contain the searched part", i, r.cells[0])
		}
	}
}

func TestResidentsScreenEmptyStateAndClear(t *testing.T) {
	u, w := newTestUI(t, 50)
	s := u.residents
	test.Type(s.search, "查无此人")
	s.search.OnSubmitted(s.search.Text)
	drain(t)
	if s.pager.total != 0 || !s.empty.Visible() || !shows(w, "没有符合条件的居民") {
		t.Fatalf("empty state not shown: total %d", s.pager.total)
	}
	s.clearFilters()
	drain(t)
	if s.pager.total != livingHere(t, u) || s.empty.Visible() {
		t.Fatalf("after clear: total %d, empty shown %v", s.pager.total, s.empty.Visible())
	}
}

func TestResidentsScreenSortsByHeaderAndReachesTheLastRow(t *testing.T) {
	u, w := newTestUI(t, 450)
	s := u.residents
	w.Resize(officeScreen)
	fits(t, s.table)
	// when: the 年龄 header is tapped, twice
	test.Tap(headerButton(t, s.table, 2))
	drain(t)
	youngest := loadRow(t, s, 0)
	test.Tap(headerButton(t, s.table, 2))
	drain(t)
	oldest := loadRow(t, s, 0)
	if youngest.cells[2] == "" || oldest.cells[2] == "" || atoi(youngest.cells[2]) > atoi(oldest.cells[2]) {
		t.Fatalf("age sort: first ascending %q, first descending %q", youngest.cells[2], oldest.cells[2])
	}
	// then: the last row loads without loading the pages before it
	s.table.Table().ScrollToBottom()
	last := loadRow(t, s, s.pager.total-1)
	if len(s.pager.pages) > 3 {
		t.Errorf("jumping to the end loaded %d pages", len(s.pager.pages))
	}
	ages := []int{}
	for i := s.pager.total - 5; i < s.pager.total; i++ {
		ages = append(ages, atoi(loadRow(t, s, i).cells[2]))
	}
	for i := 1; i < len(ages); i++ {
		if ages[i] > ages[i-1] {
			t.Errorf("last rows not in descending age order: %v", ages)
		}
	}
	_ = last
}

func TestClickThenEnterOpensTheResidentAndArrowsMoveTheSelection(t *testing.T) {
	u, w := newTestUI(t, 20)
	s := u.residents
	loadRow(t, s, 3)
	// given: a click on a cell of row 2
	name := loadRow(t, s, 2).cells[0]
	var cell *widgets.TapLabel
	walkObjects(s.table.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widgets.TapLabel); ok && l.Text == name {
			cell = l
		}
	})
	if cell == nil {
		t.Fatalf("row 2 (%s) not drawn", name)
	}
	test.Tap(cell)
	if w.Canvas().Focused() != s.table.Table() {
		t.Fatal("a click does not give the table the keyboard")
	}
	// when: Down, then Enter, reach the focused table
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if s.table.SelectedIndex() != 3 {
		t.Fatalf("Down selected row %d, want 3", s.table.SelectedIndex())
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	drain(t)
	// then: row 3's resident is open
	if r := loadRow(t, s, 3); !shows(w, "居民："+r.cells[0]) {
		t.Fatalf("the form for %s did not open; texts: %v", r.cells[0], texts(w))
	}
}

func TestAddResidentThroughTheFormAndFindIt(t *testing.T) {
	u, _ := newTestUI(t, 40)
	f := newResidentForm(u, model.ResidentRow{}, 0)
	f.show()
	test.Type(f.name, "测试员")
	test.Type(f.idNumber, "11010519491231002x")
	test.Type(f.phone, "138 0013 8000")
	test.Type(f.house.entry, "1栋1单元101")
	drain(t)
	if f.house.houseID == 0 {
		t.Fatalf("house not found; options %v", f.house.matches.Options)
	}
	// then: birth date and sex come from the ID number
	if f.birth.Text != "1949-12-31" || f.sex.Selected != "女" || !f.birth.Disabled() {
		t.Fatalf("birth %q sex %q disabled %v", f.birth.Text, f.sex.Selected, f.birth.Disabled())
	}
	if f.save.Disabled() {
		t.Fatalf("save disabled: %v", f.problems)
	}
	test.Tap(f.save)
	drain(t)
	if !f.closed {
		t.Fatalf("form still open: %q", f.msg.Text)
	}
	// and: the table finds the new resident by ID number
	test.Type(u.residents.search, "11010519491231002X")
	u.residents.search.OnSubmitted("")
	drain(t)
	if u.residents.pager.total != 1 || loadRow(t, u.residents, 0).cells[0] != "测试员" {
		t.Fatalf("new resident not found: %d rows", u.residents.pager.total)
	}
	got := loadRow(t, u.residents, 0).cells
	if got[4] != "138****8000" || got[6] != "户主" {
		t.Errorf("row = %v", got)
	}
}

func TestBadIDNumberShowsItsMessageAndSavesNothing(t *testing.T) {
	u, w := newTestUI(t, 10)
	f := newResidentForm(u, model.ResidentRow{}, 0)
	f.show()
	test.Type(f.name, "错号")
	test.Type(f.idNumber, "110105194912310021") // check character should be X
	test.AssertImageMatches(t, "form_bad_id.png", w.Canvas().Capture())
	p, ok := f.problems.Field("id_number")
	if !ok || p.Key != "err.id.checksum" {
		t.Fatalf("problems = %v", f.problems)
	}
	if !shows(w, "校验码不对：最后一位应为 X") {
		t.Errorf("message not shown; texts: %v", texts(w))
	}
	// when: 保存 is pressed anyway
	test.Tap(f.save)
	drain(t)
	if f.closed || !shows(w, "请先改正上面标红的内容") {
		t.Fatal("a bad ID number was not held back with a message")
	}
	n, err := mustList(t, u).Count(context.Background())
	if err != nil || n != 10 {
		t.Fatalf("count = %d, %v; nothing should be saved", n, err)
	}
	// and: short input says the length
	f.idNumber.SetText("1101051949")
	if p, _ := f.problems.Field("id_number"); p.Key != "err.id.length" {
		t.Errorf("short number: %v", f.problems)
	}
}

func TestTypingAnExistingIDNumberOffersThatResident(t *testing.T) {
	u, w := newTestUI(t, 30)
	ctx := context.Background()
	rows, _ := mustList(t, u).Page(ctx, nil, 30, false)
	var existing model.ResidentRow
	for _, r := range rows {
		if r.IDNumber != "" {
			existing = r
			break
		}
	}
	f := newResidentForm(u, model.ResidentRow{}, 0)
	f.show()
	test.Type(f.name, "重复")
	test.Type(f.idNumber, existing.IDNumber)
	drain(t)
	if !f.dup.Visible() || !strings.Contains(f.dupText.Text, existing.Name) || !f.save.Disabled() {
		t.Fatalf("duplicate not offered: %q", f.dupText.Text)
	}
	test.Tap(f.dup.Objects[2].(*widget.Button))
	drain(t)
	if !shows(w, "居民："+existing.Name) {
		t.Fatal("existing resident not opened")
	}
}

func TestEditKeepsHistory(t *testing.T) {
	u, w := newTestUI(t, 5)
	ctx := context.Background()
	id := loadRow(t, u.residents, 0).id
	row, err := u.app.Resident(ctx, u.actor, id)
	if err != nil {
		t.Fatal(err)
	}
	f := newResidentForm(u, row, 0)
	f.show()
	f.notes.SetText("腿脚不便，需上门")
	test.Tap(f.save)
	drain(t)
	if !f.closed {
		t.Fatalf("not saved: %q", f.msg.Text)
	}
	row, _ = u.app.Resident(ctx, u.actor, id)
	f = newResidentForm(u, row, 0)
	f.show()
	drain(t)
	f.tabs.SelectIndex(1)
	if !shows(w, "备注: — → 腿脚不便，需上门") {
		t.Fatalf("history not shown: %v", texts(w))
	}
}

func loadRow(t *testing.T, s *residentsScreen, i int) displayRow {
	t.Helper()
	r, ok := s.pager.row(i)
	if !ok {
		drain(t)
		r, ok = s.pager.row(i)
	}
	if !ok {
		t.Fatalf("row %d never loaded (total %d)", i, s.pager.total)
	}
	return r
}

func mustList(t *testing.T, u *UI) *app.ResidentList {
	t.Helper()
	l, err := u.app.Residents(context.Background(), u.actor, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestTheStatusFilterShowsFormerResidents: the residents screen lists
// those living here; ticking 迁出 and 死亡 in the 人群 filter lists the
// former residents instead, each showing its 状态, and clearing the
// filter goes back to those living here.
func TestTheStatusFilterShowsFormerResidents(t *testing.T) {
	u, w := newTestUI(t, 300)
	s := u.residents
	living := livingHere(t, u)
	if s.pager.total != living {
		t.Fatalf("the list shows %d, %d live here", s.pager.total, living)
	}
	s.openCohort()
	drain(t)
	b := s.cohortDialog
	b.statuses.SetSelected([]string{i18n.Status(model.StatusMoved), i18n.Status(model.StatusDead)})
	drain(t)
	if want := fmt.Sprintf("符合条件：%d 人", 300-living); b.count.Text != want {
		t.Errorf("the filter counts %q, want %q", b.count.Text, want)
	}
	tapText(t, w, "在列表中查看")
	drain(t)
	if s.pager.total != 300-living {
		t.Fatalf("the list of former residents shows %d, want %d", s.pager.total, 300-living)
	}
	for i := 0; i < s.pager.total; i++ {
		r, ok := s.pager.row(i)
		if !ok {
			drain(t)
			r, _ = s.pager.row(i)
		}
		if st := r.cells[8]; st != "迁出" && st != "死亡" {
			t.Errorf("row %d shows 状态 %q", i, st)
		}
	}
	s.clearFilters()
	drain(t)
	if s.pager.total != living {
		t.Fatalf("after clearing: %d, want %d", s.pager.total, living)
	}
}
