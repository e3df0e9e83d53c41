package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
)

// branch is a branch's children, read as the tree reads them.
func branch(t *testing.T, s *housesScreen, uid string) []string {
	t.Helper()
	s.childUIDs(uid)
	drain(t)
	return s.childUIDs(uid)
}

// firstHouse opens the tree down to the first house with people in it.
func firstHouse(t *testing.T, s *housesScreen) string {
	t.Helper()
	for _, c := range branch(t, s, "") {
		for _, b := range branch(t, s, c) {
			for _, u := range branch(t, s, b) {
				for _, h := range branch(t, s, u) {
					s.tree.Select(h)
					drain(t)
					if countCurrent(s.members) > 1 {
						return h
					}
				}
			}
		}
	}
	t.Fatal("no house with a family")
	return ""
}

func TestHouseTreeLoadsLazilyAndShowsTheHousehold(t *testing.T) {
	u, w := newTestUI(t, 200)
	s := u.houses
	if len(s.children) > 1 {
		t.Fatalf("branches below the compounds loaded before anyone opened them: %d", len(s.children))
	}
	firstHouse(t, s)
	if len(s.members) < 2 || s.members[0].Relation != model.RelHead && s.members[0].Relation != model.RelTenant {
		t.Fatalf("household %v does not start with its householder", s.members)
	}
	if !strings.Contains(s.title.Text, "现住") {
		t.Errorf("title %q", s.title.Text)
	}
	if len(s.children) > 5 {
		t.Errorf("%d branches loaded for one path", len(s.children))
	}
	_ = w
}

func TestMoveAMemberToAnotherHouseEndsTheOldResidence(t *testing.T) {
	u, _ := newTestUI(t, 200)
	s := u.houses
	ctx := context.Background()
	firstHouse(t, s)
	from := s.houseID
	m := s.members[1]
	to, err := u.app.FindHouses(ctx, u.actor, "1栋1单元301", 1)
	if err != nil || len(to) != 1 {
		t.Fatalf("target house: %v %v", to, err)
	}
	// when: the member is moved through the use case the dialog calls
	if err := u.app.MoveResident(ctx, u.actor, m.ID, to[0].HouseID, model.RelOther, "2026-05-01"); err != nil {
		t.Fatal(err)
	}
	u.residentsChanged()
	drain(t)
	// then: gone from the old house, listed among past members with the date
	for _, x := range s.members {
		if x.ID == m.ID {
			t.Fatalf("moved member still listed in %d", from)
		}
	}
	test.Tap(s.withPast)
	drain(t)
	found := false
	for _, x := range s.members {
		if x.ID == m.ID && x.Until == "2026-05-01" {
			found = true
		}
	}
	if !found {
		t.Fatalf("past member not shown with the end date: %v", s.members)
	}
}

func TestMarkMovedOutKeepsTheRecord(t *testing.T) {
	u, _ := newTestUI(t, 100)
	s := u.houses
	ctx := context.Background()
	firstHouse(t, s)
	m := s.members[0]
	if err := u.app.LeaveHouse(ctx, u.actor, m.ID, model.StatusMoved, ""); err != nil {
		t.Fatal(err)
	}
	u.residentsChanged()
	drain(t)
	r, err := u.app.Resident(ctx, u.actor, m.ID)
	if err != nil || r.Status != model.StatusMoved || r.Name != m.Name {
		t.Fatalf("after moving out: %+v, %v", r.Resident, err)
	}
	// listed among former residents, no longer among those living here
	listed := func(f app.ListFilter) bool {
		t.Helper()
		l, err := u.app.Residents(ctx, u.actor, f)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := l.Page(ctx, nil, 1000, false)
		return slices.ContainsFunc(rows, func(r model.ResidentRow) bool { return r.ID == m.ID })
	}
	if !listed(app.ListFilter{Search: m.Name, Cohort: &app.CohortFilter{Statuses: []model.Status{model.StatusMoved}}}) {
		t.Fatal("moved-out resident no longer listed")
	}
	if listed(app.ListFilter{Search: m.Name}) {
		t.Fatal("moved-out resident listed among those living here")
	}
}

func TestCreateAndRenamePlaces(t *testing.T) {
	u, _ := newTestUI(t, 10)
	ctx := context.Background()
	areas, _ := u.app.VisibleAreas(ctx, u.actor)
	var community, grid int64
	for _, a := range areas {
		if a.Level == model.LevelCommunity && community == 0 {
			community = a.ID
		}
		if a.Level == model.LevelGrid && grid == 0 {
			grid = a.ID
		}
	}
	c, err := u.app.CreatePlace(ctx, u.actor, app.PlaceCompound, community, "新建花园", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := u.app.CreatePlace(ctx, u.actor, app.PlaceBuilding, c, "5栋", 0)
	un, _ := u.app.CreatePlace(ctx, u.actor, app.PlaceUnit, b, "1单元", 0)
	if _, err := u.app.CreatePlace(ctx, u.actor, app.PlaceHouse, un, "101", 0); err == nil {
		t.Fatal("a house without a grid was accepted")
	}
	if _, err := u.app.CreatePlace(ctx, u.actor, app.PlaceHouse, un, "101室", grid); err != nil {
		t.Fatal(err)
	}
	if err := u.app.RenamePlace(ctx, u.actor, app.PlaceCompound, c, "新建家园"); err != nil {
		t.Fatal(err)
	}
	s := u.houses
	s.refreshRoot()
	var labels []string
	for _, uid := range branch(t, s, "") {
		labels = append(labels, s.labels[uid])
	}
	if !strings.Contains(strings.Join(labels, ","), "新建家园") {
		t.Fatalf("renamed compound not in the tree: %v", labels)
	}
	got, _ := u.app.FindHouses(ctx, u.actor, "新建家园5栋1单元101", 5)
	if len(got) != 1 || app.FormatAddress(got[0]) != "新建家园 5栋1单元101" {
		t.Fatalf("new house: %v", got)
	}
}

func TestMoveDialogKeepsItsInputWhenNoHouseIsChosen(t *testing.T) {
	u, w := newTestUI(t, 100)
	s := u.houses
	firstHouse(t, s)
	s.table.Table().Select(widget.TableCellID{Row: 1})
	s.onMove()
	_, buttons, _ := dialogWidgets(w)
	ok := buttons[len(buttons)-1]
	test.Tap(ok)
	drain(t)
	if !shows(w, "请选择住址") {
		t.Fatalf("no message; texts: %v", texts(w))
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("the dialog closed on a mistake")
	}
}

func TestAddMemberToAHouseWithAHouseholderAsksForTheRelation(t *testing.T) {
	u, _ := newTestUI(t, 100)
	s := u.houses
	for _, c := range branch(t, s, "") {
		for _, b := range branch(t, s, c) {
			for _, un := range branch(t, s, b) {
				for _, h := range branch(t, s, un) {
					if s.houseID != 0 && len(s.members) > 0 && s.members[0].Relation == model.RelHead {
						break
					}
					s.tree.Select(h)
					drain(t)
				}
			}
		}
	}
	if len(s.members) == 0 || s.members[0].Relation != model.RelHead {
		t.Fatal("no house with a householder")
	}
	f := newResidentForm(u, model.ResidentRow{}, s.houseID)
	f.show()
	drain(t)
	if f.relation.Selected != "" {
		t.Fatalf("relation preset to %q in a house that has its householder", f.relation.Selected)
	}
	test.Type(f.name, "新成员")
	test.Tap(f.save)
	drain(t)
	if f.closed {
		t.Fatal("saved without a relation")
	}
	f.relation.SetSelected("子女")
	test.Tap(f.save)
	drain(t)
	if !f.closed || !strings.Contains(u.toast.Text, "已保存：新成员") {
		t.Fatalf("not saved or not confirmed: %q / %q", f.msg.Text, u.toast.Text)
	}
	found := false
	for _, m := range s.members {
		found = found || m.Name == "新成员" && m.Relation == model.RelChild
	}
	if !found {
		t.Fatalf("new member not in the household: %v", s.members)
	}
}
