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
	"shequ/ui/widgets"
)

// formDialog is a small modal form that stays open when what was typed is
// wrong: the message shows inside it and nothing typed is lost. Enter in
// an entry submits. The submit runs off the UI goroutine, the form held
// still and saying 正在保存… meanwhile.
type formDialog struct {
	dlg    *dialog.CustomDialog
	msg    *widget.Label
	ok     *widget.Button
	back   *widget.Button
	busy   *fyne.Container // the spinner and 正在保存… while the submit runs
	closed bool
	saving bool
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
// close; done (may be nil) then runs with the dialog closed. submit runs
// off the UI goroutine with the form's fields disabled: it may read them
// and call app, and leaves every change to the window to done.
func (u *UI) showForm(title string, items []*widget.FormItem, submit func() error, done func()) *formDialog {
	f := &formDialog{msg: errorText()}
	run := func() {
		if f.saving || f.closed {
			return
		}
		touch()
		setError(f.msg, "")
		enabled := f.hold(items)
		u.sched.schedule(func() func() {
			err := submit()
			return func() {
				f.release(enabled)
				if err != nil {
					setError(f.msg, i18n.Message(err))
					return
				}
				f.closed = true
				f.dlg.Hide()
				if done != nil {
					done()
				}
			}
		})
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
		if sel, ok := it.Widget.(*widgets.Select); ok {
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
	win := u.win.Canvas().Size()
	width := min(640, win.Width-40)
	form := widget.NewForm(wrapHints(items, width)...)
	spin := widget.NewActivity()
	spin.Start()
	f.busy = container.NewHBox(spin, widget.NewLabel(i18n.L("form.saving")))
	f.busy.Hide()
	foot := container.NewVBox(f.msg, container.NewHBox(f.busy, layout.NewSpacer(), f.back, f.ok))
	var body fyne.CanvasObject = container.NewVBox(form, foot)
	height := float32(0) // as tall as the form
	// A form taller than the window scrolls, its buttons staying in view.
	if need := form.MinSize().Height + foot.MinSize().Height + dialogChrome; need > win.Height-40 {
		body = container.NewBorder(nil, foot, nil, nil, container.NewVScroll(form))
		height = win.Height - 40
	}
	content := container.NewStack(body, layer)
	// A button's label ends in … when it opens a form; the form's title does not.
	f.dlg = dialog.NewCustomWithoutButtons(strings.TrimSuffix(title, "…"), content, u.win)
	f.dlg.Resize(fyne.NewSize(width, height))
	u.open(f.dlg, dialogKeys{escape: f.back.OnTapped, enter: run})
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

// dialogChrome is the height a dialog adds around its content: its title
// and margins.
const dialogChrome = 90

// wrapHints returns the items with each hint too long for a form width wide
// moved under its widget as a label that wraps: Fyne draws a hint on one
// line, cut off at the dialog's edge.
func wrapHints(items []*widget.FormItem, width float32) []*widget.FormItem {
	out := make([]*widget.FormItem, len(items))
	for i, it := range items {
		out[i] = it
		// The labels' column takes about a third of the width.
		if it.HintText == "" || fyne.MeasureText(it.HintText, theme.CaptionTextSize(), fyne.TextStyle{}).Width <= width*2/3 {
			continue
		}
		hint := widget.NewRichText(&widget.TextSegment{Text: it.HintText, Style: widget.RichTextStyle{
			ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText, Inline: true}})
		hint.Wrapping = fyne.TextWrapWord
		out[i] = &widget.FormItem{Text: it.Text, Widget: container.NewVBox(it.Widget, hint)}
	}
	return out
}

// hold disables the form while its submit runs, so that what it reads
// stays as it was and a second Enter does not save twice; it returns what
// it disabled, for release.
func (f *formDialog) hold(items []*widget.FormItem) []fyne.Disableable {
	f.saving = true
	var held []fyne.Disableable
	for _, o := range []fyne.CanvasObject{f.ok, f.back} {
		held = append(held, enabledIn(o)...)
	}
	for _, it := range items {
		held = append(held, enabledIn(it.Widget)...)
	}
	for _, d := range held {
		d.Disable()
	}
	f.busy.Show()
	return held
}

// release gives the form back after its submit.
func (f *formDialog) release(held []fyne.Disableable) {
	f.saving = false
	for _, d := range held {
		d.Enable()
	}
	f.busy.Hide()
}

// enabledIn finds the enabled widgets that can be disabled in o.
func enabledIn(o fyne.CanvasObject) []fyne.Disableable {
	if p, ok := o.(*residentPicker); ok {
		o = p.box
	}
	if c, ok := o.(*fyne.Container); ok {
		var out []fyne.Disableable
		for _, x := range c.Objects {
			out = append(out, enabledIn(x)...)
		}
		return out
	}
	if d, ok := o.(fyne.Disableable); ok && !d.Disabled() {
		return []fyne.Disableable{d}
	}
	return nil
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
func firstEntry(o fyne.CanvasObject) *widgets.Entry {
	switch x := o.(type) {
	case *widgets.Entry:
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
	if u.toast == nil {
		return // before a sign-in there is no foot: a dialog says what matters
	}
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
func newSelect(options []string, changed func(string)) *widgets.Select {
	s := widgets.NewSelect(options, changed)
	s.PlaceHolder = i18n.L("form.choose")
	return s
}
