package ui

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store"
	"shequ/store/hub"
)

// syncServer is a sync server (SQLite store) seeded with n demo residents,
// an administrator and a grid worker of the first grid (grid1), both with
// testPassword.
func syncServer(t *testing.T, n int) (*httptest.Server, *hub.Hub) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, nil)
	admin, err := a.Init(ctx, "admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Demo(ctx, admin, n, 2, nil); err != nil {
		t.Fatal(err)
	}
	areas, err := a.VisibleAreas(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	grid1 := app.AccountInput{Username: "grid1", Password: testPassword, Role: model.RoleGrid, Areas: firstArea(areas, model.LevelGrid)}
	if _, err := a.CreateAccount(ctx, admin, grid1); err != nil {
		t.Fatal(err)
	}
	h, err := hub.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if _, err := a.SeedServer(ctx, app.NewServer(h), nil); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(replica.NewServer(h, nil, app.VerifyPassword).Handler())
	t.Cleanup(ts.Close)
	return ts, h
}

// 同步: a wrong password says so; the right one enrols this (empty)
// desktop, which pulls the server's residents; a conflict made elsewhere
// is listed, shown side by side, and taking the other value applies it.
func TestSyncScreenEnrolsSyncsAndReviewsConflicts(t *testing.T) {
	ts, _ := syncServer(t, 120)
	a, fa := testApp(t)
	ctx := context.Background()
	if _, err := a.Init(ctx, "admin", testPassword, true); err != nil {
		t.Fatal(err)
	}
	u, w := startWindow(fa, a, Options{AutoLogin: "admin", Password: testPassword})
	drain(t)
	s := u.sync
	for _, it := range u.tabs.Items {
		if it.Content == s.content {
			u.tabs.Select(it)
		}
	}
	drain(t)
	if !shows(w, "尚未登记") || !s.syncBtn.Disabled() {
		t.Fatalf("not enrolled yet: %v", texts(w))
	}
	s.server.SetText(ts.URL)
	s.password.SetText("wrong")
	test.Tap(s.enrolBtn)
	drain(t)
	if !shows(w, "服务器上的用户名或密码不对") || s.password.Text != "wrong" {
		t.Fatalf("wrong password (the field holds %q): %v", s.password.Text, texts(w))
	}
	tapText(t, w, "确定")
	s.password.SetText(testPassword)
	test.Tap(s.enrolBtn)
	drain(t)
	if !shows(w, "已登记") || s.syncBtn.Disabled() {
		t.Fatalf("after enrolling: %v", texts(w))
	}
	if living := livingHere(t, u); u.residents.pager.total != living {
		t.Fatalf("the residents screen shows %d after the first sync, want %d of 120", u.residents.pager.total, living)
	}
	// Another office changes a phone; this desktop changed it too, earlier.
	other := app.New(mustStore(t), nil)
	otherAdmin, _, err := other.SyncEnrol(ctx, nil, ts.URL, "", "admin", testPassword, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.Residents(ctx, u.actor, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := list.Page(ctx, nil, 1, false)
	r := rows[0]
	save := func(a *app.App, actor *app.Actor, id int64, phone string) {
		got, err := a.Resident(ctx, actor, id)
		if err != nil {
			t.Fatal(err)
		}
		in := app.ResidentInput{ID: id, Name: got.Name, IDNumber: got.IDNumber, Sex: got.Sex, Birth: got.Birth, Phone: phone,
			Ethnicity: got.Ethnicity, Kind: got.Kind, Status: got.Status, Notes: got.Notes, UpdatedAt: got.UpdatedAt}
		if _, err := a.SaveResident(ctx, actor, in); err != nil {
			t.Fatal(err)
		}
	}
	save(a, u.actor, r.ID, "13711112222")
	full, _ := a.Resident(ctx, u.actor, r.ID)
	twin, _, _, err := other.ResidentByIDNumber(ctx, otherAdmin, full.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	save(other, otherAdmin, twin.ID, "13733334444")
	if _, err := other.SyncRound(ctx, otherAdmin, nil); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.syncBtn)
	drain(t)
	if len(s.conflicts) != 1 || !shows(w, "137****2222") || shows(w, "13711112222") {
		t.Fatalf("conflicts %+v; window %v", s.conflicts, texts(w))
	}
	s.table.Table().Select(widget.TableCellID{Row: 0, Col: 0})
	s.table.Table().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.lastReview == nil || u.lastReview.Kept != "137****4444" || u.lastReview.Lost != "137****2222" {
		t.Fatalf("review dialog for %+v", u.lastReview)
	}
	tapText(t, w, "改用被覆盖的值")
	drain(t)
	got, _ := a.Resident(ctx, u.actor, r.ID)
	if got.Phone != "13711112222" || len(s.conflicts) != 0 {
		t.Fatalf("after taking the overwritten value: phone %s, %d conflicts", got.Phone, len(s.conflicts))
	}
}

func mustStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A resident entered by mistake is deleted from the form, after a
// question; the list no longer holds them.
func TestDeleteAResidentEnteredByMistake(t *testing.T) {
	u, w := newTestUI(t, 20)
	ctx := context.Background()
	rows, _ := mustList(t, u).Page(ctx, nil, 1, false)
	f := newResidentForm(u, rows[0], 0)
	f.show()
	if f.del == nil {
		t.Fatal("no delete button on an existing resident's form")
	}
	test.Tap(f.del)
	tapText(t, w, "返回") // asked first: going back deletes nothing
	if n, _ := mustList(t, u).Count(ctx); n != 20 {
		t.Fatalf("count %d after going back", n)
	}
	test.Tap(f.del)
	tapText(t, w, "删除（录入错误）")
	drain(t)
	if n, _ := mustList(t, u).Count(ctx); n != 19 || !f.closed {
		t.Fatalf("count %d, form closed %v", n, f.closed)
	}
	if !shows(w, "已删除 "+rows[0].Name) {
		t.Errorf("no message: %v", texts(w))
	}
}

// An administrator enrols this desktop for a grid worker from 同步: the
// window says to sign in as the grid worker, whose grid was received.
func TestSyncScreenEnrolForAGridWorkerSaysToSignInAsThem(t *testing.T) {
	ts, _ := syncServer(t, 60)
	a, fa := testApp(t)
	if _, err := a.Init(context.Background(), "admin", testPassword, true); err != nil {
		t.Fatal(err)
	}
	u, w := startWindow(fa, a, Options{AutoLogin: "admin", Password: testPassword})
	drain(t)
	u.showTab(u.sync.content)
	drain(t)
	s := u.sync
	s.server.SetText(ts.URL)
	s.user.SetText("grid1")
	s.password.SetText(testPassword)
	test.Tap(s.enrolBtn)
	drain(t)
	if !shows(w, "请换账号登录") || !shows(w, "再用 grid1 的账号和密码登录") || s.password.Text != "" {
		t.Fatalf("after enrolling for grid1: %v", texts(w))
	}
	if _, err := a.Login(context.Background(), "grid1", testPassword); err != nil {
		t.Errorf("grid1 signs in on this desktop: %v", err)
	}
}
