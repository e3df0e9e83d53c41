package ui

import (
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// TestAWorkLogIsWrittenWithACorrectionOnTheSpot: the form adds a visited
// resident by ID number; the resident form corrects their phone; the
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
	for i := 0; full.IDNumber == ""; i++ { // one with an ID number
		r, ok := u.residents.pager.row(i)
		if !ok {
			t.Fatal("no resident with an ID number listed")
		}
		full, _ = u.app.Resident(u.ctx, u.actor, r.id)
	}
	s.write()
	f := s.form
	f.idNumber.SetText("110105194912310021") // nobody's
	f.idNumber.OnSubmitted(f.idNumber.Text)
	if f.msg.Text == "" || len(f.residents) != 0 {
		t.Fatalf("an unknown ID number was added: %q", f.msg.Text)
	}
	f.idNumber.OnSubmitted(full.IDNumber)
	if len(f.residents) != 1 {
		t.Fatalf("the resident was not added: %q", f.msg.Text)
	}
	_, buttons, _ := dialogWidgets(w)
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
