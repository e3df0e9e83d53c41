package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// demoResidents is the size of the demo 社区 offered on a first start.
const demoResidents = 3000

// showSetup asks how this database begins: with a first administrator
// (and demo data or none), or by joining the district's server with an
// account of the server's, which then signs in here.
func (u *UI) showSetup() {
	user := widgets.NewEntry()
	user.SetText("admin")
	pw := widgets.NewPasswordEntry()
	pw2 := widgets.NewPasswordEntry()
	j := newJoinForm()
	start := widget.NewRadioGroup([]string{i18n.L("setup.demo"), i18n.L("setup.empty"), i18n.L("setup.server")}, nil)
	start.Required = true
	msg := errorText()
	personal := widgets.NewCheck(i18n.L("setup.personal"), nil)
	admin := widget.NewForm(
		widget.NewFormItem(i18n.L("setup.user"), user),
		&widget.FormItem{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
		&widget.FormItem{Text: "", Widget: personal, HintText: i18n.L("setup.personal.hint")},
	)
	hint := widget.NewLabel("")
	hint.Wrapping = fyne.TextWrapWord
	// Only the chosen way's fields are in the dialog.
	body := container.NewStack()
	var d *dialog.CustomDialog
	joining := func() bool { return start.Selected == i18n.L("setup.server") }
	focus := func() {
		if joining() {
			u.win.Canvas().Focus(j.server)
		} else {
			u.win.Canvas().Focus(pw)
		}
	}
	busy := false // the account being made
	submit := func() {
		if joining() {
			u.joinDistrict(d, j, msg)
			return
		}
		if pw.Text != pw2.Text {
			setError(msg, i18n.L("err.password.mismatch"))
			return
		}
		if busy {
			return
		}
		busy = true
		name, pass, own := user.Text, pw.Text, personal.Checked
		run(u, func() (*app.Actor, error) { return u.app.Init(u.ctx, name, pass, own) }, func(actor *app.Actor, err error) {
			busy = false
			if err != nil {
				setError(msg, i18n.Message(err))
				return
			}
			d.Hide()
			if start.Selected == i18n.L("setup.demo") {
				u.loadDemo(actor)
				return
			}
			u.signedIn(actor)
		})
	}
	pw2.OnSubmitted = func(string) { submit() }
	j.password.OnSubmitted = func(string) { submit() }
	ok := widget.NewButtonWithIcon(i18n.L("setup.ok"), theme.ConfirmIcon(), submit)
	ok.Importance = widget.HighImportance
	start.OnChanged = func(string) {
		setError(msg, "")
		if joining() {
			hint.SetText(i18n.L("setup.join.hint"))
			body.Objects = []fyne.CanvasObject{j.form}
			ok.SetText(i18n.L("setup.join"))
		} else {
			hint.SetText(i18n.L("setup.hint"))
			body.Objects = []fyne.CanvasObject{admin}
			ok.SetText(i18n.L("setup.ok"))
		}
		body.Refresh()
		if d != nil {
			d.Resize(fyne.NewSize(560, 0)) // to the chosen fields' height
			focus()
		}
	}
	start.SetSelected(i18n.L("setup.demo"))
	// A join that did not finish (cancelled, the network gone) goes on
	// where it stopped.
	run(u, func() (app.SyncStatus, error) { return u.app.SyncStatus(u.ctx) }, func(st app.SyncStatus, err error) {
		if err == nil && st.Server != "" {
			j.server.SetText(st.Server)
			j.user.SetText(st.User)
			start.SetSelected(i18n.L("setup.server"))
		}
	})
	choice := widget.NewForm(widget.NewFormItem(i18n.L("setup.start"), start))
	content := container.NewVBox(hint, choice, widget.NewSeparator(), body, msg, container.NewHBox(layout.NewSpacer(), ok))
	d = dialog.NewCustomWithoutButtons(i18n.L("setup.title"), content, u.win)
	d.Resize(fyne.NewSize(560, 0))
	u.open(d, dialogKeys{escape: func() {}, enter: submit}) // nothing behind it to go back to
	focus()
}

// loadDemo fills the demo 社区 with a progress bar and a cancel button.
func (u *UI) loadDemo(actor *app.Actor) {
	ctx, cancel := context.WithCancel(u.ctx)
	bar := widget.NewProgressBar()
	p := u.newProgress(i18n.L("setup.demo.loading"), bar, cancel)
	run(u, func() (struct{}, error) {
		return struct{}{}, u.app.Demo(ctx, actor, demoResidents, 1, func(done, total int) {
			fyne.Do(func() { bar.SetValue(float64(done) / float64(total)) })
		})
	}, func(_ struct{}, err error) {
		p.Hide()
		if err != nil && !errors.Is(err, context.Canceled) {
			u.showError(err)
		}
		u.signedIn(actor)
	})
}

// withProgress runs work off the window's goroutine behind a progress
// dialog with a cancel button; a cancel is told as such, anything else
// goes to done. The bar follows what work reports; before its first figure
// and after its last, stripes say it is still at work.
func withProgress[T any](u *UI, title string, work func(ctx context.Context, progress func(done, total int)) (T, error), done func(T, error)) {
	ctx, cancel := context.WithCancel(u.ctx)
	// Moving stripes until the work says how far it is: a bar at 0 % would
	// look stuck.
	bar, busy := widget.NewProgressBar(), widget.NewProgressBarInfinite()
	bar.Hide()
	p := u.newProgress(title, container.NewStack(bar, busy), cancel)
	// Work that has counted all it reads may still be finishing (an
	// import builds its indexes): then the stripes move again rather than
	// a full bar standing still.
	progress := func(d, total int) {
		fyne.Do(func() {
			finishing := d >= total
			if finishing != busy.Visible() {
				if finishing {
					bar.Hide()
					busy.Show()
					busy.Start()
				} else {
					busy.Stop()
					busy.Hide()
					bar.Show()
				}
			}
			bar.SetValue(float64(d) / float64(max(total, 1)))
		})
	}
	run(u, func() (T, error) { return work(ctx, progress) }, func(res T, err error) {
		busy.Stop()
		p.Hide()
		if errors.Is(err, context.Canceled) {
			u.notify(i18n.L("ledger.cancelled"))
			return
		}
		done(res, err)
	})
}

// newProgress shows a modal progress dialog with a cancel button, which
// Escape presses too.
func (u *UI) newProgress(title string, bar fyne.CanvasObject, cancel func()) *dialog.CustomDialog {
	var d *dialog.CustomDialog
	stop := widget.NewButton(i18n.L("action.cancel"), func() {
		cancel()
	})
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(bar, container.NewHBox(layout.NewSpacer(), stop)), u.win)
	d.Resize(fyne.NewSize(420, 0))
	u.open(d, dialogKeys{escape: cancel})
	return d
}

// showLogin asks for a user name and password.
func (u *UI) showLogin() {
	user := widgets.NewEntry()
	pw := widgets.NewPasswordEntry()
	msg := errorText()
	var d *dialog.CustomDialog
	busy := false // a password being checked
	submit := func() {
		if busy {
			return
		}
		busy = true
		name, pass := user.Text, pw.Text
		run(u, func() (*app.Actor, error) { return u.app.Login(u.ctx, name, pass) }, func(actor *app.Actor, err error) {
			busy = false
			if err != nil {
				setError(msg, i18n.Message(err))
				return
			}
			d.Hide()
			u.signedIn(actor)
		})
	}
	pw.OnSubmitted = func(string) { submit() }
	user.OnSubmitted = func(string) { u.win.Canvas().Focus(pw) }
	ok := widget.NewButtonWithIcon(i18n.L("login.ok"), theme.LoginIcon(), submit)
	ok.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(i18n.L("login.user"), user), widget.NewFormItem(i18n.L("login.password"), pw))
	d = dialog.NewCustomWithoutButtons(i18n.L("login.title"), container.NewVBox(form, msg, container.NewHBox(layout.NewSpacer(), ok)), u.win)
	d.Resize(fyne.NewSize(420, 0))
	u.open(d, dialogKeys{escape: func() {}, enter: submit}) // nothing behind it to go back to
	u.win.Canvas().Focus(user)
}

// errorText is a red, wrapping label for a form's message.
func errorText() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setError shows msg in an errorText label, or hides it when msg is "".
func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
