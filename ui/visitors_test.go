package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestVisitorsScreenAtTheGate: a visitor typed at the gate and registered
// with Enter on the last field; the next visit of the same ID number fills
// the name; the visitor noted out.
func TestVisitorsScreenAtTheGate(t *testing.T) {
	u, w, _ := ledgerUI(t)
	u.tabs.SelectIndex(7)
	drain(t)
	s := u.visitors
	if s.compound.Selected == "" || len(s.compound.Options) == 0 {
		t.Fatal("no compound offered")
	}
	if w.Canvas().Focused() != s.number {
		t.Error("the ID number does not have the focus")
	}
	const number = "330106198503040079"
	s.number.SetText(number)
	s.name.SetText("张来访")
	s.phone.SetText("13800138000")
	s.house.SetText("1-1-101")
	s.reason.SetText("探亲")
	test.Type(s.health, "正常")
	s.health.OnSubmitted(s.health.Text) // Enter on the last field
	drain(t)
	if s.total != 1 || len(s.visits) != 1 || s.visits[0].Name != "张来访" || s.visits[0].Address.Room != "101" || s.name.Text != "" {
		t.Fatalf("after registering: %d visits %+v, name box %q, msg %q", s.total, s.visits, s.name.Text, s.msg.Text)
	}
	// The same visitor again: the ID number fills the name and phone.
	s.number.SetText(number)
	s.number.OnSubmitted(number)
	drain(t)
	if s.name.Text != "张来访" || s.phone.Text != "13800138000" {
		t.Fatalf("known visitor: %q %q", s.name.Text, s.phone.Text)
	}
	if w.Canvas().Focused() != s.name {
		t.Error("Enter on the ID number does not move on to the name")
	}
	s.house.SetText("99-9-999")
	s.add()
	if s.msg.Text == "" || s.total != 1 {
		t.Fatalf("a house not there: msg %q, %d visits", s.msg.Text, s.total)
	}
	s.selected = 0
	s.leave()
	drain(t)
	if s.visits[0].TimeOut == "" {
		t.Fatal("not noted out")
	}
	s.inside.SetChecked(true)
	drain(t)
	if s.total != 0 {
		t.Fatalf("%d inside after the only one left", s.total)
	}
}
