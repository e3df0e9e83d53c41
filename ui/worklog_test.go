package ui

import (
	"context"
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
	drain(t)
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

// TestAWorkLogEntryIsCorrectedAndWithdrawnFromItsButtons: the entry's
// author opens it, corrects it through 更正… (the history shows what it
// said), then withdraws it through 撤回…, which wants a reason: the entry
// stays listed, marked, out of the month's count, and offers neither
// button any more.
func TestAWorkLogEntryIsCorrectedAndWithdrawnFromItsButtons(t *testing.T) {
	u, w := newTestUI(t, 60)
	s := u.worklog
	grid := u.worklogGrid(t)
	if _, err := u.app.AddWorkLog(u.ctx, u.actor, app.WorkLogInput{Kind: model.WorkPatrol, Content: "巡查小区", GridID: grid}); err != nil {
		t.Fatal(err)
	}
	s.reload()
	drain(t)
	s.show(s.logs[0])
	drain(t)
	e := s.entry
	if e == nil || !e.edit.Visible() || !e.withdraw.Visible() {
		t.Fatal("the author's entry offers no 更正… and 撤回…")
	}
	test.Tap(e.edit)
	entries, _, _ := dialogWidgets(w)
	if len(entries) != 3 || entries[1].Text != "巡查小区" {
		t.Fatalf("the correction form: %d entries", len(entries))
	}
	entries[1].SetText("巡查小区消防通道")
	entries[2].SetText("补充地点")
	tapText(t, w, "确定")
	drain(t)
	if len(s.logs) != 1 || s.logs[0].Content != "巡查小区消防通道" || s.logs[0].Edited != 1 {
		t.Fatalf("after 更正: %+v", s.logs)
	}
	s.show(s.logs[0])
	drain(t)
	if text := s.entry.text.Text; !strings.Contains(text, "修改记录") || !strings.Contains(text, "巡查小区 — 补充地点") {
		t.Fatalf("the history is not shown: %q", text)
	}
	test.Tap(s.entry.withdraw)
	tapText(t, w, "确定") // no reason
	drain(t)
	if !shows(w, "请写明撤回原因") || s.logs[0].Withdrawn != "" {
		t.Fatal("withdrawn without a reason")
	}
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText("重复记录")
	tapText(t, w, "确定")
	drain(t)
	if len(s.logs) != 1 || s.logs[0].Withdrawn == "" || !strings.Contains(s.summary.Text, "共 0 条") ||
		!strings.Contains(s.summary.Text, "已撤回 1 条") {
		t.Fatalf("after 撤回: %q %+v", s.summary.Text, s.logs)
	}
	s.show(s.logs[0])
	drain(t)
	if s.entry.edit.Visible() || s.entry.withdraw.Visible() || !strings.Contains(s.entry.text.Text, "已撤回（admin") {
		t.Fatalf("a withdrawn entry: %q", s.entry.text.Text)
	}
}

// TestAGridWorkerCannotWithdrawAnothersEntry: a grid worker sees the
// administrator's entry in their grid without 更正… or 撤回…, and their
// own with both.
func TestAGridWorkerCannotWithdrawAnothersEntry(t *testing.T) {
	var grid int64
	a, fa := demoWithAccount(t, 30, app.AccountInput{Username: "wang", Role: model.RoleGrid}, func(areas []model.Area) []int64 {
		for _, ar := range areas {
			if ar.Level == model.LevelGrid {
				grid = ar.ID
			}
		}
		return []int64{grid}
	})
	admin, err := a.Login(context.Background(), "admin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddWorkLog(context.Background(), admin, app.WorkLogInput{Kind: model.WorkPatrol, Content: "管理员巡查", GridID: grid}); err != nil {
		t.Fatal(err)
	}
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "wang", Password: testPassword})
	drain(t)
	if _, err := u.app.AddWorkLog(u.ctx, u.actor, app.WorkLogInput{Kind: model.WorkPatrol, Content: "网格员巡查", GridID: grid}); err != nil {
		t.Fatal(err)
	}
	s := u.worklog
	u.showTab(s.content)
	drain(t)
	if len(s.logs) != 2 {
		t.Fatalf("the grid worker sees %d entries", len(s.logs))
	}
	sortsAndFits(t, w, s.table, 4) // by content
	for _, l := range s.logs {
		s.show(l)
		drain(t)
		mine := l.Account == "wang"
		if s.entry.edit.Visible() != mine || s.entry.withdraw.Visible() != mine {
			t.Errorf("%s's entry: 更正 shown %v, 撤回 shown %v", l.Account, s.entry.edit.Visible(), s.entry.withdraw.Visible())
		}
		s.entry.dlg.Hide()
	}
}

// worklogGrid is a grid of the demo.
func (u *UI) worklogGrid(t *testing.T) int64 {
	t.Helper()
	areas, err := u.app.VisibleAreas(u.ctx, u.actor)
	if err != nil {
		t.Fatal(err)
	}
	for _, ar := range areas {
		if ar.Level == model.LevelGrid {
			return ar.ID
		}
	}
	t.Fatal("no grid")
	return 0
}
