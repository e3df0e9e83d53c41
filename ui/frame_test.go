package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shequ/app"
	"shequ/app/model"
)

// menuItem finds an item of the window's frame by its label.
func menuItem(t *testing.T, w fyne.Window, label string) *fyne.MenuItem {
	t.Helper()
	if w.MainMenu() == nil {
		t.Fatalf("no frame menu")
	}
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// TestTheFrameSignsOutAndLocks: from the window's frame, lock now asks for
// the password and hides the frame; signing out is audited and lets the
// next person sign in with their own account.
func TestTheFrameSignsOutAndLocks(t *testing.T) {
	u, w := newTestUI(t, 10)
	ctx := context.Background()
	if _, err := u.app.CreateAccount(ctx, u.actor, app.AccountInput{Username: "wang", Password: "Qiao-Lian-2026!", Role: model.RoleWorker,
		Areas: firstArea(mustAreas(t, u), model.LevelGrid)}); err != nil {
		t.Fatal(err)
	}
	menuItem(t, w, "立即锁定").Action()
	if u.lock == nil || w.MainMenu() != nil {
		t.Fatal("lock now did not lock, or left the frame usable")
	}
	entries, buttons, _ := dialogWidgets(w)
	entries[0].SetText(testPassword)
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if u.lock != nil || w.MainMenu() == nil {
		t.Fatal("the right password did not unlock, or the frame stayed away")
	}
	if menuItem(t, w, "备份数据库…") == nil {
		t.Fatal("an administrator's frame lacks the data actions")
	}

	menuItem(t, w, "退出登录（换人使用）").Action()
	if u.actor != nil || w.MainMenu() != nil || !shows(w, "登录") {
		t.Fatalf("still signed in after signing out: %v", texts(w))
	}
	entries, buttons, _ = dialogWidgets(w)
	entries[0].SetText("wang")
	entries[1].SetText("Qiao-Lian-2026!")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if u.actor == nil || u.actor.Account.Username != "wang" {
		t.Fatal("the next person could not sign in")
	}
	for _, m := range w.MainMenu().Items {
		if m.Label == "数据" {
			t.Fatal("a grid worker's frame offers backups")
		}
	}
	admin, _ := u.app.Login(ctx, "admin", testPassword)
	log, _ := u.app.AuditLog(ctx, admin, model.AuditFilter{Action: app.AuditLogout}, 5)
	if len(log) != 1 || log[0].Account != "admin" {
		t.Fatalf("signing out is not audited: %+v", log)
	}
}

func mustAreas(t *testing.T, u *UI) []model.Area {
	t.Helper()
	areas, err := u.app.VisibleAreas(context.Background(), u.actor)
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

// TestTheWindowFitsAnOfficeLaptopAndKeepsItsSize: the first window fits
// 1366×768 less a taskbar; the size a person leaves is the next start's.
func TestTheWindowFitsAnOfficeLaptopAndKeepsItsSize(t *testing.T) {
	fa := test.NewTempApp(t)
	p := fa.Preferences()
	if s := windowSize(p); s.Width > 1366 || s.Height > 728 {
		t.Fatalf("first window %v does not fit 1366×728", s)
	}
	keepWindowSize(p, fyne.NewSize(1800, 1000))
	if s := windowSize(p); s != fyne.NewSize(1800, 1000) {
		t.Fatalf("kept size not used: %v", s)
	}
	keepWindowSize(p, fyne.NewSize(300, 200)) // minimised: not a size to keep
	if s := windowSize(p); s != fyne.NewSize(1800, 1000) {
		t.Fatalf("a minimised window's size was kept: %v", s)
	}
}

// TestAButtonAPermissionHoldsBackSaysWhy: without 导出个人信息 the export
// and fill buttons stay and say whom to ask, rather than vanishing.
func TestAButtonAPermissionHoldsBackSaysWhy(t *testing.T) {
	a, fa := demoWithAccount(t, 20, app.AccountInput{Username: "desk", Role: model.RoleWorker}, func(areas []model.Area) []int64 {
		return firstArea(areas, model.LevelCommunity)
	})
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "desk", Password: testPassword})
	drain(t)
	if !u.residents.exportBtn.Visible() || !u.residents.fillBtn.Visible() {
		t.Fatal("the buttons vanished")
	}
	test.Tap(u.residents.exportBtn)
	if !shows(w, "没有“导出个人信息”的权限") || !shows(w, "账号管理") {
		t.Fatalf("no reason given: %v", texts(w))
	}
}

// TestFilesAreOfferedWherePeopleLook: a file to save is offered in the
// user's Documents, not beside the database in the data folder, and then
// in the folder last saved into.
func TestFilesAreOfferedWherePeopleLook(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, 0)
	if got := filepath.Dir(u.defaultPath("居民台账", ".xlsx")); got != docs {
		t.Fatalf("offered in %s, want %s", got, docs)
	}
	other := t.TempDir()
	if err := u.checkFolder(filepath.Join(other, "x.xlsx")); err != nil {
		t.Fatal(err)
	}
	if got := filepath.Dir(u.defaultPath("居民台账", ".xlsx")); got != other {
		t.Fatalf("after a save in %s, offered in %s", other, got)
	}
	if err := u.checkFolder(filepath.Join(other, "nowhere", "x.xlsx")); err == nil {
		t.Fatal("a folder that does not exist was accepted")
	}
}
