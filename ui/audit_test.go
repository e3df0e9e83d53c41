package ui

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/widgets"
)

func TestAdministratorsSeeTheAuditLogAndItsChain(t *testing.T) {
	u, _ := newTestUI(t, 30)
	if u.audit == nil {
		t.Fatal("no audit screen for the administrator")
	}
	u.audit.reload()
	drain(t)
	var actions []string
	for _, e := range u.audit.entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.Contains(got, "login.ok") || !strings.Contains(got, "demo.load") {
		t.Fatalf("entries: %s", got)
	}
	u.audit.action.SetSelected("载入示例数据")
	drain(t)
	if len(u.audit.entries) != 1 {
		t.Errorf("filtered by action: %d entries", len(u.audit.entries))
	}
	u.audit.verify()
	drain(t)
	if !strings.Contains(u.audit.chain.Text, "审计日志完整") {
		t.Errorf("chain state not shown: %q", u.audit.chain.Text)
	}
	// the newest entry cut off around the program is said, in red
	raw, err := sql.Open("sqlite", "file:"+u.app.DBPath()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
		CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'no'); END`); err != nil {
		t.Fatal(err)
	}
	u.audit.verify()
	drain(t)
	if !strings.Contains(u.audit.chain.Text, "最新的 1 条记录被删除") || u.audit.chain.Importance != widget.DangerImportance {
		t.Errorf("cut trail shown as: %q", u.audit.chain.Text)
	}
}

func TestOthersDoNotSeeTheAuditLog(t *testing.T) {
	// the demo's last grid, as it always was
	a, fa := demoWithAccount(t, 30, app.AccountInput{Username: "wang", Role: model.RoleGrid}, func(areas []model.Area) []int64 {
		var grid int64
		for _, ar := range areas {
			if ar.Level == model.LevelGrid {
				grid = ar.ID
			}
		}
		return []int64{grid}
	})
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "wang", Password: testPassword})
	drain(t)
	if u.actor == nil || u.audit != nil || shows(w, "审计日志") {
		t.Fatal("a grid worker sees the audit log")
	}
}

func TestALeaderReadsButSeesNoButtonsToChange(t *testing.T) {
	a, fa := demoWithAccount(t, 60, app.AccountInput{Username: "lead", Role: model.RoleLeader},
		func(areas []model.Area) []int64 { return []int64{areas[0].ID} })
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "lead", Password: testPassword})
	drain(t)
	if u.tabs.SelectedIndex() != 3 {
		t.Errorf("a leader starts on tab %d, not the 数据看板", u.tabs.SelectedIndex())
	}
	u.tabs.SelectIndex(0)
	drain(t)
	if u.residents.pager.total != livingHere(t, u) {
		t.Fatalf("the leader sees %d residents", u.residents.pager.total)
	}
	if shows(w, "新增居民") {
		t.Error("a leader is offered 新增居民")
	}
	firstHouse(t, u.houses)
	if !u.houses.useSel.Disabled() {
		t.Error("a leader may change a house's use")
	}
	f := newResidentForm(u, model.ResidentRow{}, 0)
	f.show()
	if f.save.Visible() {
		t.Error("a leader's form offers 保存")
	}
}

func TestRevealTakesThePermissionAndAReason(t *testing.T) {
	a, fa := testApp(t)
	ctx := context.Background()
	admin, _ := a.Init(ctx, "admin", testPassword, true)
	if err := a.Demo(ctx, admin, 20, 7, nil); err != nil {
		t.Fatal(err)
	}
	areas, _ := a.VisibleAreas(ctx, admin)
	for _, acc := range []app.AccountInput{
		{Username: "li", Password: testPassword, Role: model.RoleWorker, Areas: []int64{areas[0].ID}, CanReveal: true},
		{Username: "wu", Password: testPassword, Role: model.RoleWorker, Areas: []int64{areas[0].ID}},
	} {
		if _, err := a.CreateAccount(ctx, admin, acc); err != nil {
			t.Fatal(err)
		}
	}
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "li", Password: testPassword})
	drain(t)
	row, err := a.Resident(ctx, u.actor, loadRow(t, u.residents, 0).id)
	if err != nil {
		t.Fatal(err)
	}
	f := newResidentForm(u, row, 0)
	f.show()
	if f.revealed == nil {
		t.Fatal("no reveal offered to an account with the permission")
	}
	_, buttons, _ := dialogWidgets(w)
	var reveal *widget.Button
	for _, b := range buttons {
		if b.Text == "显示完整号码" {
			reveal = b
		}
	}
	test.Tap(reveal)
	entries, buttons, _ := dialogWidgets(w)
	test.Tap(buttons[len(buttons)-1]) // no reason
	drain(t)
	if !shows(w, "请写明查看完整号码的原因") {
		t.Fatal("revealed without a reason")
	}
	entries[len(entries)-1].SetText("核对低保复核材料")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if !strings.Contains(f.revealed.Text, row.IDNumber) {
		t.Fatalf("full number not shown: %q", f.revealed.Text)
	}
	log, _ := a.AuditLog(ctx, admin, model.AuditFilter{Action: app.AuditReveal}, 5)
	if len(log) != 1 || log[0].Account != "li" || !strings.Contains(log[0].Detail, "核对低保复核材料") {
		t.Errorf("reveal audit: %+v", log)
	}
	// without the permission: no button, and app refuses
	wu, _ := a.Login(ctx, "wu", testPassword)
	if _, err := a.Reveal(ctx, wu, row.ID, "看看"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("revealed without the permission: %v", err)
	}
}

func TestAnIdleSessionLocksUntilThePasswordIsTyped(t *testing.T) {
	u, w := newTestUI(t, 20)
	u.idle = time.Minute
	// not yet idle: nothing happens
	u.checkIdle()
	if u.lock != nil {
		t.Fatal("locked while in use")
	}
	// idle past the limit: the whole window is covered
	lastActivity.Store(time.Now().Add(-2 * time.Minute).UnixNano())
	u.checkIdle()
	if u.lock == nil || w.Canvas().Overlays().Top() != u.lock {
		t.Fatal("not locked after the idle limit")
	}
	if !shows(w, "为保护居民信息已锁定") {
		t.Error("the lock screen does not say why")
	}
	entries, buttons, _ := dialogWidgets(w)
	entries[0].SetText("wrong")
	test.Tap(buttons[0])
	drain(t)
	if u.lock == nil || !shows(w, "账号或密码不正确") {
		t.Fatal("a wrong password unlocked, or was not explained")
	}
	entries[0].SetText(testPassword)
	test.Tap(buttons[0])
	drain(t)
	if u.lock != nil {
		t.Fatal("the right password did not unlock")
	}
}

func TestAdministratorsAddAccountsAndResetPasswords(t *testing.T) {
	u, w := newTestUI(t, 20)
	s := u.accounts
	s.reload()
	drain(t)
	if len(s.table.Rows()) != 1 {
		t.Fatalf("accounts: %d", len(s.table.Rows()))
	}
	s.onAdd()
	drain(t)
	entries, buttons, _ := dialogWidgets(w)
	entries[0].SetText("zhao")
	entries[1].SetText(testPassword)
	entries[2].SetText(testPassword)
	test.Tap(buttons[len(buttons)-1]) // a worker without areas
	drain(t)
	if !shows(w, "请为账号分配区域") {
		t.Fatalf("no areas accepted; texts %v", texts(w))
	}
	var group *widget.CheckGroup
	walkObjects(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if g, ok := o.(*widget.CheckGroup); ok {
			group = g
		}
	})
	group.SetSelected(group.Options[:1])
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if len(s.table.Rows()) != 2 || !strings.Contains(u.toast.Text, "zhao") {
		t.Fatalf("account not added: %d, %q", len(s.table.Rows()), u.toast.Text)
	}
	if _, err := u.app.Login(context.Background(), "zhao", testPassword); err != nil {
		t.Fatal(err)
	}
	// and a reset: the new password works
	s.table.Table().Select(widget.TableCellID{Row: 1})
	if acc, _ := s.table.Selected(); acc.Username != "zhao" {
		t.Fatalf("chose %q", acc.Username)
	}
	s.onReset()
	entries, buttons, _ = dialogWidgets(w)
	entries[0].SetText("Reset123!x")
	entries[1].SetText("Reset123!x")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if _, err := u.app.Login(context.Background(), "zhao", "Reset123!x"); err != nil {
		t.Errorf("after a reset: %v", err)
	}
	// an edit: a real name and the export permission
	s.table.Table().Select(widget.TableCellID{Row: 1})
	s.onEdit()
	drain(t)
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText("赵敏")
	var export *widgets.Check
	walkTop(w, func(o fyne.CanvasObject) {
		if c, ok := o.(*widgets.Check); ok && c.Text == "导出个人信息" {
			export = c
		}
	})
	export.SetChecked(true)
	tapTop(t, w, "确定")
	drain(t)
	zhao := s.table.Rows()[1]
	if zhao.DisplayName != "赵敏" || !zhao.CanExport {
		t.Fatalf("after the edit: %+v", zhao)
	}
	// stopped after a question, then started again
	s.table.Table().Select(widget.TableCellID{Row: 1})
	test.Tap(s.stop)
	tapTop(t, w, "停用这个账号")
	drain(t)
	if !s.table.Rows()[1].Disabled || stateOf(s.table.Rows()[1]) != "已停用" {
		t.Fatal("not stopped")
	}
	if _, err := u.app.Login(context.Background(), "zhao", "Reset123!x"); err == nil {
		t.Fatal("a stopped account signed in")
	}
	s.table.Table().Select(widget.TableCellID{Row: 1})
	if s.stop.Text != "启用" {
		t.Fatalf("the button of a stopped account says %q", s.stop.Text)
	}
	test.Tap(s.stop)
	drain(t)
	if s.table.Rows()[1].Disabled {
		t.Fatal("not started again")
	}
}

// TestTheAuditLogReadsAsWords: targets as 居民 #217, details as key: value,
// the target filter takes what a person types, and every named action is
// offered.
func TestTheAuditLogReadsAsWords(t *testing.T) {
	t.Setenv("SHEQU_LANG", "zh")
	if _, err := SetupLanguage(); err != nil {
		t.Fatal(err)
	}
	if got := targetLabel("resident:217"); got != "居民 #217" {
		t.Errorf("targetLabel = %q", got)
	}
	if got := targetLabel("台账.xlsx"); got != "台账.xlsx" {
		t.Errorf("a file's name became %q", got)
	}
	for in, want := range map[string]string{"217": "resident:217", "#217": "resident:217", "居民 217": "resident:217",
		"账号 3": "account:3", "account:3": "account:3", "台账.xlsx": "台账.xlsx", "": ""} {
		if got := targetCode(in); got != want {
			t.Errorf("targetCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := detailText(`{"user":"wang","fields":["phone"],"n":3}`); got != `fields: ["phone"]；n: 3；user: wang` {
		t.Errorf("detailText = %q", got)
	}
	offered := strings.Join(auditActions(), " ")
	for _, a := range []string{"login.ok", "resident.open", "area.delete", "account.disable", "visit.lookup"} {
		if !strings.Contains(offered, a) {
			t.Errorf("the filter does not offer %s", a)
		}
	}
}
