package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
	var give *widget.Select
	for _, s := range topSelects(w) {
		if s.PlaceHolder == "添加标签…" {
			give = s
		}
	}
	if give == nil {
		t.Fatal("no way to add a tag in the form")
	}
	give.SetSelected("太极拳")
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
	topSelects(w)[0].SetSelected("志愿者")
	tapText(t, w, "确定")
	if !shows(w, "已为") {
		t.Fatalf("no word of the tagging: %q", texts(w))
	}
	u.tags.reload()
	drain(t)
	for _, tg := range u.tags.tags {
		if tg.Name == "志愿者" && tg.Residents != n {
			t.Fatalf("志愿者 carried by %d, the list had %d", tg.Residents, n)
		}
	}
}
