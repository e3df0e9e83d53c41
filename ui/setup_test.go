package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/widgets"
)

// startBare opens the window on a database with no account yet, or with
// one when admin is true, without signing in.
func startBare(t *testing.T, admin bool) (*UI, fyne.Window) {
	t.Helper()
	a, fa := testApp(t)
	if admin {
		if _, err := a.Init(context.Background(), "admin", testPassword, true); err != nil {
			t.Fatal(err)
		}
	}
	return startWindow(fa, a, Options{Version: "test"})
}

// walkTop visits every object of the top dialog.
func walkTop(w fyne.Window, visit func(fyne.CanvasObject)) {
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		visit(o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *widgets.Entry, *widget.Button, *widget.RadioGroup, *widgets.Select:
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Canvas().Overlays().Top())
}

// dialogWidgets returns the entries, buttons and radio groups of the top dialog.
func dialogWidgets(w fyne.Window) (entries []*widgets.Entry, buttons []*widget.Button, radios []*widget.RadioGroup) {
	walkTop(w, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widgets.Entry:
			entries = append(entries, x)
		case *pickerEntry: // a resident picker's text, where an ID number was typed
			entries = append(entries, &x.Entry)
		case *widget.Button:
			buttons = append(buttons, x)
		case *widget.RadioGroup:
			radios = append(radios, x)
		}
	})
	return
}

func TestFirstStartCreatesTheAdministratorAndLoadsDemoData(t *testing.T) {
	u, w := startBare(t, false)
	if !shows(w, "首次使用") || !shows(w, "请创建管理员账号") {
		t.Fatalf("setup dialog not shown: %v", texts(w))
	}
	entries, buttons, radios := dialogWidgets(w)
	if len(entries) != 3 || len(radios) != 1 {
		t.Fatalf("setup dialog has %d entries, %d radios", len(entries), len(radios))
	}
	entries[0].SetText("zhangsan")
	// when: the passwords differ
	entries[1].SetText(testPassword)
	entries[2].SetText("Other123!")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if !shows(w, "两次输入的密码不一致") || u.actor != nil {
		t.Fatal("mismatched passwords accepted")
	}
	// when: a weak password
	entries[1].SetText("short")
	entries[2].SetText("short")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if !shows(w, "密码至少 8 位") || u.actor != nil {
		t.Fatal("weak password accepted")
	}
	// when: all is right, with demo data
	entries[1].SetText(testPassword)
	entries[2].SetText(testPassword)
	radios[0].SetSelected("载入示例数据")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if u.actor == nil || u.actor.Account.Username != "zhangsan" {
		t.Fatal("not signed in after setup")
	}
	// An administrator sees no personal data until the account takes the
	// view, which the audit log keeps.
	if u.residents.pager.total != 0 || !shows(w, "系统管理员默认不查看居民个人信息") {
		t.Fatalf("the administrator sees %d residents by default", u.residents.pager.total)
	}
	var grant *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == "为本账号开启查看" {
				grant = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(u.residents.content)
	if grant == nil {
		t.Fatal("no way to take the view")
	}
	test.Tap(grant)
	drain(t)
	if living := livingHere(t, u); u.residents.pager.total != living || living >= demoResidents || living < demoResidents*9/10 {
		t.Fatalf("demo residents = %d, want %d living here of %d", u.residents.pager.total, living, demoResidents)
	}
	log, _ := u.app.AuditLog(context.Background(), u.actor, model.AuditFilter{Action: app.AuditPersonalData}, 5)
	if len(log) != 1 || log[0].Account != "zhangsan" {
		t.Fatalf("the view taken is not audited: %+v", log)
	}
}

func TestLoginRefusesAWrongPassword(t *testing.T) {
	u, w := startBare(t, true)
	entries, buttons, _ := dialogWidgets(w)
	entries[0].SetText("admin")
	entries[1].SetText("wrong-password")
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if u.actor != nil || !shows(w, "账号或密码不正确") {
		t.Fatal("wrong password accepted or not explained")
	}
	entries[1].SetText(testPassword)
	test.Tap(buttons[len(buttons)-1])
	drain(t)
	if u.actor == nil || u.residents == nil {
		t.Fatal("right password refused")
	}
}
