package ui

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// lastActivity is when the user last did something the program saw: a
// search, a page, a form keystroke, a dialog. The idle lock counts from it.
var lastActivity atomic.Int64

func touch() { lastActivity.Store(time.Now().UnixNano()) }

// defaultIdle is how long a session may sit unused before it locks.
const defaultIdle = 15 * time.Minute

// startIdleLock checks now and then whether the session has sat unused
// past its limit, and locks it.
func (u *UI) startIdleLock() {
	touch()
	u.sched.every(20*time.Second, u.checkIdle)
}

// checkIdle locks the session when it has been idle too long.
func (u *UI) checkIdle() {
	if u.lock != nil || u.actor == nil {
		return
	}
	if time.Since(time.Unix(0, lastActivity.Load())) >= u.idle {
		u.lockNow()
	}
}

// lockNow covers the whole window, dialogs included, with an opaque
// screen that asks for the password again; personal data stays hidden
// until it is typed.
func (u *UI) lockNow() {
	pw := widgets.NewPasswordEntry()
	msg := errorText()
	busy := false // a password being checked
	unlock := func() {
		if busy {
			return
		}
		busy = true
		name, pass := u.actor.Account.Username, pw.Text
		run(u, func() (*app.Actor, error) { return u.app.Login(u.ctx, name, pass) }, func(actor *app.Actor, err error) {
			busy = false
			if err != nil {
				setError(msg, i18n.Message(err))
				pw.SetText("")
				return
			}
			u.actor = actor
			u.lock.Hide()
			u.lock = nil
			u.win.SetMainMenu(u.mainMenu())
			touch()
		})
	}
	pw.OnSubmitted = func(string) { unlock() }
	btn := widget.NewButtonWithIcon(i18n.L("lock.unlock"), theme.LoginIcon(), unlock)
	btn.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(i18n.L("lock.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	who := widget.NewLabelWithStyle(i18n.L("lock.who", map[string]any{"User": u.actor.Account.Username}), fyne.TextAlignCenter, fyne.TextStyle{})
	box := container.NewVBox(title, who, pw, msg, btn)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	screen := container.NewStack(bg, container.NewCenter(container.NewGridWrap(fyne.NewSize(360, box.MinSize().Height+40), box)))
	u.win.SetMainMenu(nil) // the frame's actions wait for the password too
	u.lock = widget.NewModalPopUp(screen, u.win.Canvas())
	u.lock.Resize(u.win.Canvas().Size())
	u.lock.Show()
	u.win.Canvas().Focus(pw)
}
