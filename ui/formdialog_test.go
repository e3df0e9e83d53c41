package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app/model"
)

// TestAFormSavesOffTheWindowsGoroutine: 确定 hands the save to the
// background and holds the form still, saying 正在保存…, until it is done;
// a second Enter meanwhile saves nothing twice.
func TestAFormSavesOffTheWindowsGoroutine(t *testing.T) {
	u, w := newTestUI(t, 0)
	u.showTab(u.areas.content)
	drain(t)
	test.Tap(widgetWithText(t, u.areas.content, "新建街道…"))
	entries, buttons, _ := dialogWidgets(w)
	entries[0].SetText("德源街道")
	var ok *widget.Button
	for _, b := range buttons {
		if b.Text == "确定" {
			ok = b
		}
	}
	test.Tap(ok)
	entries[0].OnSubmitted(entries[0].Text) // Enter while it saves
	if !shows(w, "正在保存…") || !ok.Disabled() || !entries[0].Disabled() {
		t.Fatalf("not held while saving: busy %v, 确定 disabled %v, name disabled %v", shows(w, "正在保存…"), ok.Disabled(), entries[0].Disabled())
	}
	if streets := countStreets(t, u); streets != 0 {
		t.Fatalf("saved on the window's goroutine: %d streets before the background ran", streets)
	}
	drain(t)
	if streets := countStreets(t, u); streets != 1 {
		t.Fatalf("%d streets after saving", streets)
	}
	if shows(w, "正在保存…") || !shows(w, "已新建") {
		t.Fatalf("after saving: %q", texts(w))
	}
}

func countStreets(t *testing.T, u *UI) int {
	t.Helper()
	n := 0
	for _, a := range mustAreas(t, u) {
		if a.Level == model.LevelStreet {
			n++
		}
	}
	return n
}
