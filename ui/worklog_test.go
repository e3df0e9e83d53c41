package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// TestAWorkLogIsWrittenWithACorrectionOnTheSpot: the form adds a visited
// resident found by part of the name and chosen with the keyboard (an ID
// number nobody has finds nobody); the resident form corrects their phone; the
// entry, listed for the month, says what was corrected.
func TestAWorkLogIsWrittenWithACorrectionOnTheSpot(t *testing.T) {
	u, w := newTestUI(t, 200)
	s := u.worklog
	u.tabs.SelectIndex(5)
	drain(t)
	if len(s.logs) != 0 || !strings.Contains(s.summary.Text, "0 条") {
		t.Fatalf("at the start: %d logs, %q", len(s.logs), s.summary.Text)
	}
	u.residents.pager.row(0) // loads the first page
	drain(t)
	var full model.ResidentRow
	for i := 0; full.IDNumber == "" || len([]rune(full.Name)) < 3; i++ { // one with an ID number and a name of three
		r, ok := u.residents.pager.row(i)
		if !ok {
			t.Fatal("no resident with an ID number listed")
		}
		full, _ = u.app.Resident(u.ctx, u.actor, r.id)
	}
	// A namesake in the same house: the picker must tell them apart.
	twin := idnumber.Synthesize("110101", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), 77, idnumber.Female)
	if _, err := u.app.SaveResident(u.ctx, u.actor, app.ResidentInput{Name: full.Name, IDNumber: twin, HouseID: full.HouseID,
		Relation: model.RelOther}); err != nil {
		t.Fatal(err)
	}
	s.write()
	f := s.form
	test.Type(f.picker.entry, "110105194912310021") // nobody's
	drain(t)
	if !shows(w, "没有找到") || len(f.picker.matches) != 0 || len(f.residents) != 0 {
		t.Fatalf("an unknown ID number: %d matches, %d added", len(f.picker.matches), len(f.residents))
	}
	f.picker.clear()
	// Part of the name, the matches listed, the one meant chosen with
	// the arrow keys and Enter.
	name := []rune(full.Name) // three: two typed
	test.Type(f.picker.entry, string(name[:2]))
	drain(t)
	at := -1
	for i, m := range f.picker.matches {
		if m.ID == full.ID {
			at = i
		}
	}
	_, buttons, _ := dialogWidgets(w)
	var listed []string
	for _, b := range buttons {
		listed = append(listed, b.Text)
	}
	if at < 0 || !strings.Contains(strings.Join(listed, "\n"), app.MaskIDNumber(full.IDNumber)) {
		t.Fatalf("%s not among the matches of %q: %q", full.Name, f.picker.entry.Text, listed)
	}
	if strings.Contains(strings.Join(listed, "\n"), full.IDNumber) {
		t.Fatal("the picker shows an ID number whole")
	}
	if len(f.picker.matches) < 2 {
		t.Fatalf("the namesake is not listed: %q", listed)
	}
	for range at + 1 { // one past, and back
		f.picker.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	f.picker.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	f.picker.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(f.residents) != 1 || f.residents[0].ID != full.ID {
		t.Fatalf("the resident was not added: %q", f.msg.Text)
	}
	_, buttons, _ = dialogWidgets(w)
	fix := false
	for _, b := range buttons {
		fix = fix || b.Text == "更正信息…"
	}
	if !fix {
		t.Error("no 更正信息… beside the visited resident")
	}
	// the resident form saves a new phone (as its 保存 does)
	in := app.ResidentInput{ID: full.ID, Name: full.Name, IDNumber: full.IDNumber, Sex: full.Sex, Birth: full.Birth, Phone: "13700001111",
		Ethnicity: full.Ethnicity, Kind: full.Kind, Status: full.Status, Notes: full.Notes, UpdatedAt: full.UpdatedAt}
	if _, err := u.app.SaveResident(u.ctx, u.actor, in); err != nil {
		t.Fatal(err)
	}
	entries, _, _ := dialogWidgets(w)
	entries[1].SetText("入户走访，老人身体尚好") // the content (after the day)
	tapText(t, w, "确定")
	drain(t)
	if len(s.logs) != 1 || !strings.Contains(s.logs[0].Content, "现场更正："+full.Name+"(联系电话)") || s.logs[0].Residents[0].ID != full.ID {
		t.Fatalf("the log: %+v", s.logs)
	}
}
