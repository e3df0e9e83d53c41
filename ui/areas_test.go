package ui

import (
	"context"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app/model"
)

// tapTop taps the button of the top dialog whose text is label.
func tapTop(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	var found *widget.Button
	walkTop(w, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q in the dialog: %v", label, texts(w))
	}
	test.Tap(found)
	drain(t) // what it started, as a user waits for it
}

// fillForm types into the top dialog's first entry and presses 确定.
func fillForm(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	entries, _, _ := dialogWidgets(w)
	if len(entries) == 0 {
		t.Fatalf("no entry in the dialog: %v", texts(w))
	}
	entries[0].SetText(text)
	tapTop(t, w, "确定")
	drain(t)
}

// TestAnEmptyStartLeadsToTheFirstResident: a new office's residents screen
// shows the way (areas, houses, a resident); the areas screen builds the
// tree, and the guide follows what has been done.
func TestAnEmptyStartLeadsToTheFirstResident(t *testing.T) {
	u, w := newTestUI(t, 0)
	g := u.residents.guide
	if !g.content.Visible() || u.residents.empty.Visible() {
		t.Fatal("an empty registry shows no first steps")
	}
	if g.toAreas.Importance != widget.HighImportance || !g.toHouses.Disabled() || !g.addResident.Disabled() {
		t.Fatal("the first step is not the one offered")
	}
	test.Tap(g.toAreas)
	drain(t)
	if u.tabs.Selected().Content != u.areas.content || !shows(w, "第一步：点“新建街道…”") {
		t.Fatalf("the areas screen is not where the guide leads: %v", texts(w))
	}
	s := u.areas
	if !s.rename.Disabled() || !s.remove.Disabled() {
		t.Fatal("nothing chosen, yet rename and delete are offered")
	}
	// A street, its community, its grid: each added under the one chosen.
	test.Tap(widgetWithText(t, s.content, "新建街道…"))
	fillForm(t, w, "德源街道")
	if s.byID[s.picked].Name != "德源街道" || s.addChild.Text != "新建社区…" {
		t.Fatalf("after the street: picked %+v, button %q", s.byID[s.picked], s.addChild.Text)
	}
	test.Tap(s.addChild)
	fillForm(t, w, "红旗社区")
	test.Tap(s.addChild)
	fillForm(t, w, "第1网格")
	grid := s.byID[s.picked]
	if grid.Level != model.LevelGrid || !s.addChild.Disabled() || !s.toHouses.Visible() {
		t.Fatalf("the grid %+v: no way on to the houses", grid)
	}
	// A name that clashes is said in the form, which stays open.
	test.Tap(s.rename)
	fillForm(t, w, "第1网格/2")
	if !shows(w, "请写区域的名称") {
		t.Fatalf("a bad name is not explained: %v", texts(w))
	}
	tapTop(t, w, "取消")

	// The residents screen's guide now points at the houses.
	u.residents.reload()
	drain(t)
	if g.toHouses.Disabled() || g.toHouses.Importance != widget.HighImportance || g.areas.Text != "✓ ① 区域：街道、社区、网格  已有 1 个网格" {
		t.Fatalf("the guide did not move on: %q", g.areas.Text)
	}
	if opts := u.residents.areas.levels[0].Options; len(opts) != 2 || opts[1] != "德源街道" {
		t.Fatalf("the residents' area filter was not refreshed: %v", opts)
	}

	// An empty grid can be deleted, after a question.
	test.Tap(s.remove)
	tapTop(t, w, "删除这个区域")
	drain(t)
	areas, _ := u.app.VisibleAreas(context.Background(), u.actor)
	if len(areas) != 2 {
		t.Fatalf("after deleting the grid: %d areas", len(areas))
	}
	if _, err := u.app.FirstSteps(context.Background(), u.actor); err != nil {
		t.Fatal(err)
	}
}

// TestAnAreaInUseSaysWhatItHolds: deleting a grid with houses and
// residents is refused with the counts.
func TestAnAreaInUseSaysWhatItHolds(t *testing.T) {
	u, w := newTestUI(t, 20)
	s := u.areas
	u.showTab(s.content)
	drain(t)
	var grid model.Area
	for _, ar := range s.areas {
		if ar.Level == model.LevelGrid {
			grid = ar
			break
		}
	}
	s.tree.Select(strconv.FormatInt(grid.ID, 10))
	drain(t)
	if !shows(w, "居民 20 人") {
		t.Fatalf("what the community holds is not shown: %v", texts(w))
	}
	test.Tap(s.remove)
	tapTop(t, w, "删除这个区域")
	drain(t)
	if !shows(w, "还在使用，不能删除") {
		t.Fatalf("no reason given: %v", texts(w))
	}
	if use, _ := u.app.AreaUse(context.Background(), u.actor, grid.ID); use.Residents != 20 {
		t.Fatalf("the grid lost residents: %+v", use)
	}
}

// widgetWithText finds the button labelled text within o.
func widgetWithText(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// TestAStaleErrorGoesWhenTheFieldIsMended: a form's message about what was
// typed disappears as soon as the field is changed.
func TestAStaleErrorGoesWhenTheFieldIsMended(t *testing.T) {
	u, w := newTestUI(t, 0)
	u.showTab(u.areas.content)
	drain(t)
	test.Tap(widgetWithText(t, u.areas.content, "新建街道…"))
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("a/b")
	tapTop(t, w, "确定")
	if !shows(w, "请写区域的名称") {
		t.Fatalf("no message: %v", texts(w))
	}
	entries[0].SetText("德源街道")
	if shows(w, "请写区域的名称") {
		t.Fatal("the message stayed after the name was mended")
	}
}
