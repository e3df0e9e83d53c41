package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// aboutContent says what the program is, its version, and where its
// database and log are.
func (u *UI) aboutContent() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(lang.L("about.text"))
	text.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("about.version"), widget.NewLabel(u.opts.Version)),
		widget.NewFormItem(lang.L("about.db"), selectable(u.app.DBPath())),
		widget.NewFormItem(lang.L("about.log"), selectable(u.opts.LogPath)),
		widget.NewFormItem(lang.L("about.user"), widget.NewLabel(u.actor.Account.Username+"（"+lang.L("role."+string(u.actor.Account.Role))+"）")),
	)
	passwd := widget.NewButtonWithIcon(lang.L("about.passwd"), theme.AccountIcon(), u.changePassword)
	return container.NewVBox(title, text, form, container.NewHBox(passwd))
}

// changePassword asks for the current password and a new one, twice.
func (u *UI) changePassword() {
	old, pw, pw2 := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("about.passwd.old"), old),
		{Text: lang.L("setup.password"), Widget: pw, HintText: lang.L("setup.password.rule")},
		widget.NewFormItem(lang.L("setup.password2"), pw2),
	}
	u.showForm(lang.L("about.passwd"), items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(lang.L("err.password.mismatch"))
		}
		return u.app.ChangePassword(u.ctx, u.actor, old.Text, pw.Text)
	}, func() { u.notify(lang.L("about.passwd.done")) })
}

// selectable is a read-only text that can be selected and copied.
func selectable(s string) fyne.CanvasObject {
	e := widget.NewEntry()
	e.SetText(s)
	e.OnChanged = func(string) { e.SetText(s) }
	return e
}
