package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
)

// pickerButtons are the texts of the top dialog's buttons (a picker's
// matches are buttons).
func pickerButtons(buttons []*widget.Button) string {
	var out []string
	for _, b := range buttons {
		out = append(out, b.Text)
	}
	return strings.Join(out, "\n")
}

// topPicker is the resident picker of the top dialog.
func topPicker(t *testing.T, w fyne.Window) *residentPicker {
	t.Helper()
	var p *residentPicker
	walkTop(w, func(o fyne.CanvasObject) {
		if x, ok := o.(*residentPicker); ok && p == nil {
			p = x
		}
	})
	if p == nil {
		t.Fatal("no resident picker in the top dialog")
	}
	return p
}

// TestThePickerKeepsToAGridWorkersGrid: a grid worker's picker finds the
// residents of the grid by 尾号 (a click chooses, the dose form records
// the dose for that resident) and never lists a resident of another grid,
// by name, by 尾号 or by the whole ID number.
func TestThePickerKeepsToAGridWorkersGrid(t *testing.T) {
	a, fa := testApp(t)
	ctx := context.Background()
	admin, err := a.Init(ctx, "admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Demo(ctx, admin, 2000, 7, nil); err != nil {
		t.Fatal(err)
	}
	l, err := a.Residents(ctx, admin, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := l.Page(ctx, nil, 3000, false)
	if err != nil {
		t.Fatal(err)
	}
	grid := all[0].GridID
	if _, err := a.CreateAccount(ctx, admin, app.AccountInput{Username: "wang", Password: testPassword, Role: model.RoleGrid,
		Areas: []int64{grid}}); err != nil {
		t.Fatal(err)
	}
	var mine, theirs model.ResidentRow
	for _, r := range all {
		if r.IDNumber == "" {
			continue
		}
		if r.GridID == grid && mine.ID == 0 {
			mine = r
		}
		if r.GridID != grid && theirs.ID == 0 {
			theirs = r
		}
	}
	if mine.ID == 0 || theirs.ID == 0 {
		t.Fatalf("the demo has no resident in and out of grid %d: %d, %d of %d", grid, mine.ID, theirs.ID, len(all))
	}
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "wang", Password: testPassword})
	drain(t)
	u.vaccination.addDose()
	entries, _, _ := dialogWidgets(w)
	picker := entries[0] // the picker's text, focused
	if f, ok := w.Canvas().Focused().(*pickerEntry); !ok || &f.Entry != picker {
		t.Fatalf("the form's first field is not the picker, focused: %T", w.Canvas().Focused())
	}
	// Another grid's resident: by name, by 尾号, by the whole number.
	p := topPicker(t, w)
	for _, text := range []string{theirs.Name, theirs.IDNumber[14:], theirs.IDNumber} {
		picker.SetText(text)
		drain(t)
		for _, m := range p.matches {
			if m.GridID != grid || m.ID == theirs.ID {
				t.Fatalf("%q lists %s of grid %d", text, m.Name, m.GridID)
			}
		}
	}
	if !shows(w, "没有找到") { // the whole number: nobody, said so
		t.Fatalf("another grid's ID number: %q", texts(w))
	}
	// The worker's own, by 尾号, chosen with a click; the matches float
	// over the form, which keeps its size, and a click beside them puts
	// them away.
	height := w.Canvas().Overlays().Top().MinSize().Height
	picker.SetText(mine.IDNumber[14:])
	drain(t)
	if len(p.matches) == 0 || w.Canvas().Overlays().Top().MinSize().Height != height {
		t.Fatalf("%d matches; the form grew from %.0f to %.0f", len(p.matches), height, w.Canvas().Overlays().Top().MinSize().Height)
	}
	test.Tap(p.catcher)
	if len(p.matches) != 0 || len(p.layer.Objects) != 0 || p.id() != 0 {
		t.Fatalf("a click beside the matches: %d left, %d floating, chose %d", len(p.matches), len(p.layer.Objects), p.id())
	}
	picker.SetText("")
	picker.SetText(mine.IDNumber[14:])
	drain(t)
	_, buttons, _ := dialogWidgets(w)
	var match *widget.Button
	for _, b := range buttons {
		if strings.Contains(b.Text, app.MaskIDNumber(mine.IDNumber)) && strings.HasPrefix(b.Text, mine.Name) {
			match = b
		}
	}
	if match == nil {
		t.Fatalf("尾号 %s does not list %s: %q", mine.IDNumber[14:], mine.Name, pickerButtons(buttons))
	}
	test.Tap(match)
	if p.id() != mine.ID || !shows(w, mine.Name) {
		t.Fatalf("the chosen resident is not shown: %q", texts(w))
	}
	entries, _, _ = dialogWidgets(w)
	entries[1].SetText("流感疫苗") // the vaccine, after the picker
	entries[2].SetText("1")
	tapText(t, w, "确定")
	doses, err := a.Vaccinations(ctx, admin, mine.ID)
	if err != nil || len(doses) != 1 || doses[0].Vaccine != "流感疫苗" {
		t.Fatalf("the dose of %s: %+v, %v (form says %q)", mine.Name, doses, err, texts(w))
	}
}
