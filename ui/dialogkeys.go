package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// dialogKeys says what the keyboard does in a dialog: Escape runs escape
// (nil: the dialog closes, as its way back would), Enter runs enter (nil:
// nothing, so a question is never answered by a stray Enter).
type dialogKeys struct {
	escape, enter func()
}

// shownDialog is a dialog on the window with its keys.
type shownDialog struct {
	d    dialog.Dialog
	keys dialogKeys
}

// open shows a dialog of the window. Every dialog is shown through it, so
// that Escape and Enter reach the one on top: Fyne gives keys only to the
// focused widget, and the window's key handler (typedKey) hears them when
// nothing is focused or when an entry passes them on (widgets.Entry).
func (u *UI) open(d dialog.Dialog, keys dialogKeys) {
	s := &shownDialog{d: d, keys: keys}
	u.dialogs = append(u.dialogs, s)
	d.SetOnClosed(func() {
		u.dialogs = slices.DeleteFunc(u.dialogs, func(x *shownDialog) bool { return x == s })
	})
	d.Show()
}

// typedKey is the window's key handler: Escape closes the dialog on top,
// Enter submits it. The lock screen keeps every key for its password.
func (u *UI) typedKey(k *fyne.KeyEvent) {
	if u.lock != nil || len(u.dialogs) == 0 {
		return
	}
	top := u.dialogs[len(u.dialogs)-1]
	switch k.Name {
	case fyne.KeyEscape:
		if top.keys.escape != nil {
			top.keys.escape()
		} else {
			top.d.Hide()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.keys.enter != nil {
			top.keys.enter()
		}
	}
}

// inform shows a message with its OK, which Enter presses too.
func (u *UI) inform(title, msg string) {
	d := dialog.NewInformation(title, msg, u.win)
	u.open(d, dialogKeys{enter: d.Hide})
}
