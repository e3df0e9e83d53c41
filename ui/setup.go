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
)

// demoResidents is the size of the demo 社区 offered on a first start.
const demoResidents = 3000

// showSetup asks for the first administrator and whether to load demo data.
func (u *UI) showSetup() {
	user := widget.NewEntry()
	user.SetText("admin")
	pw := widget.NewPasswordEntry()
	pw2 := widget.NewPasswordEntry()
	start := widget.NewRadioGroup([]string{i18n.L("setup.demo"), i18n.L("setup.empty"), i18n.L("setup.server")}, nil)
	start.SetSelected(i18n.L("setup.demo"))
	msg := errorText()
	personal := widget.NewCheck(i18n.L("setup.personal"), nil)
	form := widget.NewForm(
		widget.NewFormItem(i18n.L("setup.user"), user),
		&widget.FormItem{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
		widget.NewFormItem(i18n.L("setup.start"), start),
		&widget.FormItem{Text: "", Widget: personal, HintText: i18n.L("setup.personal.hint")},
	)
	hint := widget.NewLabel(i18n.L("setup.hint"))
	hint.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	submit := func() {
		if pw.Text != pw2.Text {
			setError(msg, i18n.L("err.password.mismatch"))
			return
		}
		actor, err := u.app.Init(u.ctx, user.Text, pw.Text, personal.Checked)
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
		if start.Selected == i18n.L("setup.server") {
			// The registry comes from the server: enrolling is next.
			u.showTab(u.sync.content)
			u.win.Canvas().Focus(u.sync.server)
		}
	}
	pw2.OnSubmitted = func(string) { submit() }
	ok := widget.NewButtonWithIcon(i18n.L("setup.ok"), theme.ConfirmIcon(), submit)
	ok.Importance = widget.HighImportance
	content := container.NewVBox(hint, form, msg, container.NewHBox(layout.NewSpacer(), ok))
	d = dialog.NewCustomWithoutButtons(i18n.L("setup.title"), content, u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	u.win.Canvas().Focus(pw)
}

// loadDemo fills the demo 社区 with a progress bar and a cancel button.
func (u *UI) loadDemo(actor *app.Actor) {
	ctx, cancel := context.WithCancel(u.ctx)
	bar := widget.NewProgressBar()
	p := newProgress(u.win, i18n.L("setup.demo.loading"), bar, cancel)
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
	p := newProgress(u.win, title, container.NewStack(bar, busy), cancel)
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

// newProgress shows a modal progress dialog with a cancel button.
func newProgress(w fyne.Window, title string, bar fyne.CanvasObject, cancel func()) *dialog.CustomDialog {
	var d *dialog.CustomDialog
	stop := widget.NewButton(i18n.L("action.cancel"), func() {
		cancel()
	})
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(bar, container.NewHBox(layout.NewSpacer(), stop)), w)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
	return d
}

// showLogin asks for a user name and password.
func (u *UI) showLogin() {
	user := widget.NewEntry()
	pw := widget.NewPasswordEntry()
	msg := errorText()
	var d *dialog.CustomDialog
	submit := func() {
		actor, err := u.app.Login(u.ctx, user.Text, pw.Text)
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		d.Hide()
		u.signedIn(actor)
	}
	pw.OnSubmitted = func(string) { submit() }
	user.OnSubmitted = func(string) { u.win.Canvas().Focus(pw) }
	ok := widget.NewButtonWithIcon(i18n.L("login.ok"), theme.LoginIcon(), submit)
	ok.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(i18n.L("login.user"), user), widget.NewFormItem(i18n.L("login.password"), pw))
	d = dialog.NewCustomWithoutButtons(i18n.L("login.title"), container.NewVBox(form, msg, container.NewHBox(layout.NewSpacer(), ok)), u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
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
