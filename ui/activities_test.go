package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"shequ/app"
	"shequ/app/model"
)

// TestActivitiesScreen: an activity added through the form for a saved
// cohort, its cohort invited, two signed up for one place (the second
// waits), a check-in refused before the day, and the place handed on.
func TestActivitiesScreen(t *testing.T) {
	u, w, _ := ledgerUI(t)
	ctx := context.Background()
	if err := u.app.SaveCohort(ctx, u.actor, "老年人", app.CohortFilter{Ages: "60-"}); err != nil {
		t.Fatal(err)
	}
	l, err := u.app.Residents(ctx, u.actor, app.ListFilter{Cohort: &app.CohortFilter{Ages: "60-"}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.Page(ctx, nil, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		if r.IDNumber != "" {
			ids = append(ids, r.IDNumber)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("%d of the old with ID numbers", len(ids))
	}
	u.tabs.SelectIndex(9)
	drain(t)
	s := u.activities
	if !shows(w, "这段时间没有活动") {
		t.Fatalf("empty screen: %q", texts(w))
	}
	s.addForm()
	drain(t)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("包饺子") // name, day, from, to, place, capacity, note
	entries[1].SetText("2026-06-02")
	entries[2].SetText("9:00")
	entries[3].SetText("11:00")
	entries[4].SetText("社区广场")
	entries[5].SetText("1")
	selects := topSelects(w) // area, space, cohort
	selects[2].SetSelected("老年人")
	tapText(t, w, "确定")
	drain(t)
	if len(s.activities) != 1 {
		t.Fatalf("%d activities; %q", len(s.activities), texts(w))
	}
	s.list.Select(0)
	drain(t)
	if !strings.Contains(s.summary.Text, "名额 1") || !strings.Contains(s.summary.Text, "老年人") {
		t.Fatalf("summary %q", s.summary.Text)
	}
	s.invite()
	drain(t)
	if len(s.people) < 2 || s.people[0].State != model.AttInvited {
		t.Fatalf("invited: %d", len(s.people))
	}
	sortsAndFits(t, w, s.table, 1) // by ID number
	s.who.entry.SetText(ids[0])    // a full ID number, as a card reader types it
	s.act("signup")
	drain(t)
	s.who.entry.SetText(ids[1])
	s.act("signup")
	drain(t)
	if s.people[0].State != model.AttSigned || s.people[1].State != model.AttWaiting || !strings.Contains(s.summary.Text, "报名 1，候补 1") {
		t.Fatalf("after two sign-ups: %v %v; %q", s.people[0].State, s.people[1].State, s.summary.Text)
	}
	s.who.entry.SetText(ids[1])
	s.who.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter checks in the one found
	drain(t)
	if !strings.Contains(s.msg.Text, "只能在当天签到") {
		t.Fatalf("check-in the day before: %q", s.msg.Text)
	}
	s.who.clear() // the chip of the one who could not check in
	s.who.entry.SetText(ids[0])
	s.act("drop")
	drain(t)
	if s.people[0].State != model.AttSigned || s.people[0].IDNumber != app.MaskIDNumber(ids[1]) || !strings.Contains(s.summary.Text, "报名 1，候补 0") {
		t.Fatalf("after the drop: %+v; %q", s.people[0], s.summary.Text)
	}
}
