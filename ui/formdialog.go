package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/ui/i18n"
)

// formDialog is a small modal form that stays open when what was typed is
// wrong: the message shows inside it and nothing typed is lost. Enter in
// an entry submits.
type formDialog struct {
	dlg    *dialog.CustomDialog
	msg    *widget.Label
	ok     *widget.Button
	back   *widget.Button
	closed bool
}

// asks names the form's buttons for a question: what OK does (取消这个预约)
// and a way back that cannot be read as doing it (返回).
func (f *formDialog) asks(ok string) {
	f.ok.SetText(ok)
	// A question that undoes something: the way back is the highlighted
	// button, the one that acts is marked as a danger.
	f.ok.Importance = widget.DangerImportance
	f.ok.Refresh()
	f.back.SetText(i18n.L("action.back"))
	f.back.Importance = widget.HighImportance
	f.back.Refresh()
}

// showForm shows a form whose submit returns the error to show, or nil to
// close; done (may be nil) then runs with the dialog closed.
func (u *UI) showForm(title string, items []*widget.FormItem, submit func() error, done func()) *formDialog {
	f := &formDialog{msg: errorText()}
	run := func() {
		touch()
		if err := submit(); err != nil {
			setError(f.msg, i18n.Message(err))
			return
		}
		f.closed = true
		f.dlg.Hide()
		if done != nil {
			done()
		}
	}
	for _, it := range items {
		if e := firstEntry(it.Widget); e != nil && !e.MultiLine {
			e.OnSubmitted = func(string) { run() }
		}
		// A message about what was typed goes once it is being mended.
		if e := firstEntry(it.Widget); e != nil {
			mended := e.OnChanged
			e.OnChanged = func(s string) {
				setError(f.msg, "")
				if mended != nil {
					mended(s)
				}
			}
		}
		if sel, ok := it.Widget.(*widget.Select); ok {
			mended := sel.OnChanged
			sel.OnChanged = func(s string) {
				setError(f.msg, "")
				if mended != nil {
					mended(s)
				}
			}
		}
	}
	f.ok = widget.NewButtonWithIcon(i18n.L("action.ok"), theme.ConfirmIcon(), run)
	f.ok.Importance = widget.HighImportance
	f.back = widget.NewButtonWithIcon(i18n.L("action.cancel"), theme.CancelIcon(), func() { f.closed = true; f.dlg.Hide() })
	// A resident picker's matches float on a layer over the form.
	layer := container.NewWithoutLayout()
	for _, it := range items {
		for _, p := range pickersIn(it.Widget) {
			p.floatOver(layer)
		}
	}
	content := container.NewStack(container.NewVBox(widget.NewForm(items...), f.msg, container.NewHBox(layout.NewSpacer(), f.back, f.ok)), layer)
	// A button's label ends in … when it opens a form; the form's title does not.
	f.dlg = dialog.NewCustomWithoutButtons(strings.TrimSuffix(title, "…"), content, u.win)
	f.dlg.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-40), 0))
	f.dlg.Show()
	for _, it := range items {
		if p, ok := it.Widget.(*residentPicker); ok { // its text, whose Enter chooses
			p.focus()
			break
		}
		if e := firstEntry(it.Widget); e != nil {
			u.win.Canvas().Focus(e)
			break
		}
	}
	return f
}

// pickersIn finds the resident pickers in a form item's widget.
func pickersIn(o fyne.CanvasObject) []*residentPicker {
	switch x := o.(type) {
	case *residentPicker:
		return []*residentPicker{x}
	case *fyne.Container:
		var out []*residentPicker
		for _, c := range x.Objects {
			out = append(out, pickersIn(c)...)
		}
		return out
	}
	return nil
}

// firstEntry finds an entry in a form item's widget, which may be a
// container around it (an entry with a browse button).
func firstEntry(o fyne.CanvasObject) *widget.Entry {
	switch x := o.(type) {
	case *widget.Entry:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if e := firstEntry(c); e != nil {
				return e
			}
		}
	}
	return nil
}

// notify says briefly, at the foot of the window, that something was done.
func (u *UI) notify(msg string) { u.say("✓ "+msg, widget.SuccessImportance, 5*time.Second) }

// hint says at the foot of the window what to do first (choose a row, add
// a space), in the warning colour and a little longer: not a success.
func (u *UI) hint(msg string) { u.say("! "+msg, widget.WarningImportance, 8*time.Second) }

// say shows a message at the foot of the window for a while. The line
// keeps its height when empty, so nothing above it moves.
func (u *UI) say(text string, imp widget.Importance, d time.Duration) {
	u.toast.Importance = imp
	u.toast.SetText(text)
	u.toastSeq++
	seq := u.toastSeq
	u.sched.later(d, func() {
		if seq == u.toastSeq {
			u.toast.SetText("")
		}
	})
}

// newSelect is a Select whose empty state reads 请选择.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = i18n.L("form.choose")
	return s
}
