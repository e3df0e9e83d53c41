package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
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
		widget.NewFormItem(lang.L("about.user"), widget.NewLabel(u.actor.Account.Username)),
	)
	return container.NewVBox(title, text, form)
}

// selectable is a read-only text that can be selected and copied.
func selectable(s string) fyne.CanvasObject {
	e := widget.NewEntry()
	e.SetText(s)
	e.OnChanged = func(string) { e.SetText(s) }
	return e
}
