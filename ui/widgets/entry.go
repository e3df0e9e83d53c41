package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Entry is the text field of every screen and form. Fyne's entry keeps
// every key it is typed, so a dialog whose field has the focus could not
// be closed with Escape: this one passes Escape, and an Enter it has no
// use for (a single line without OnSubmitted), on to its window's key
// handler, as if nothing were focused. The window decides what they do
// (close the dialog on top, submit it).
type Entry struct {
	widget.Entry
}

// NewEntry is a single-line Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// NewMultiLineEntry is an Entry for several lines; Enter starts a new one.
func NewMultiLineEntry() *Entry {
	e := NewEntry()
	e.MultiLine = true
	return e
}

// NewPasswordEntry is an Entry that hides what is typed (the entry adds
// its button that shows it).
func NewPasswordEntry() *Entry {
	e := NewEntry()
	e.Password = true
	return e
}

// TypedKey passes Escape, and Enter when the entry does nothing with it,
// to the window.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		PassToWindow(e, k)
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		if !e.MultiLine && e.OnSubmitted == nil && !e.Disabled() {
			PassToWindow(e, k)
			return
		}
	}
	e.Entry.TypedKey(k)
}

// PassToWindow gives a key a focused widget does not use to the key
// handler of the window showing o, which otherwise only hears keys typed
// with nothing focused.
func PassToWindow(o fyne.CanvasObject, k *fyne.KeyEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	if h := c.OnTypedKey(); h != nil {
		h(k)
	}
}
