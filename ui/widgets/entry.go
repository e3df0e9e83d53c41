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
	if !passed(e, &e.Entry, k) {
		e.Entry.TypedKey(k)
	}
}

// SelectEntry is an Entry with a list to choose from (Fyne's SelectEntry),
// passing Escape and an unused Enter to the window as Entry does.
type SelectEntry struct {
	widget.SelectEntry
}

// NewSelectEntry is a SelectEntry offering options.
func NewSelectEntry(options []string) *SelectEntry {
	e := &SelectEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

// TypedKey passes Escape, and Enter when the entry does nothing with it,
// to the window.
func (e *SelectEntry) TypedKey(k *fyne.KeyEvent) {
	if !passed(e, &e.Entry, k) {
		e.SelectEntry.TypedKey(k)
	}
}

// passed gives the window the keys an entry has no use for, reporting
// whether it did.
func passed(o fyne.CanvasObject, e *widget.Entry, k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyEscape:
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.MultiLine || e.OnSubmitted != nil || e.Disabled() {
			return false
		}
	default:
		return false
	}
	PassToWindow(o, k)
	return true
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

// Select is Fyne's Select, which takes the focus when clicked: it passes
// Escape and Enter to the window, so a dialog still closes on Escape once
// something was chosen in it.
type Select struct {
	widget.Select
}

// NewSelect is a Select of options.
func NewSelect(options []string, changed func(string)) *Select {
	s := &Select{}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Escape and Enter to the window.
func (s *Select) TypedKey(k *fyne.KeyEvent) {
	if !passedChoice(s, k) {
		s.Select.TypedKey(k)
	}
}

// Check is Fyne's Check, which takes the focus when clicked: it passes
// Escape and Enter to the window as Select does.
type Check struct {
	widget.Check
}

// NewCheck is a Check labelled label.
func NewCheck(label string, changed func(bool)) *Check {
	c := &Check{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Escape and Enter to the window.
func (c *Check) TypedKey(k *fyne.KeyEvent) {
	if !passedChoice(c, k) {
		c.Check.TypedKey(k)
	}
}

// passedChoice gives the window Escape and Enter, which a choice (Select,
// Check) has no use for, reporting whether it did.
func passedChoice(o fyne.CanvasObject, k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape && k.Name != fyne.KeyReturn && k.Name != fyne.KeyEnter {
		return false
	}
	PassToWindow(o, k)
	return true
}
