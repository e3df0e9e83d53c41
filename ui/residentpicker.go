package ui

import (
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// pickerShown is how many matches the resident picker lists; more are
// said as a count, to be narrowed by typing on. At most pickerRows are in
// view at once (the rest scroll), so a long form still fits the window.
const (
	pickerShown = 6
	pickerRows  = 4
)

// residentPicker chooses a registered resident wherever one is meant (an
// activity's door, a work log's visit, a dose, a coupon, an appeal's
// reporter): typing two or more characters of a name, a 尾号 (the last
// four of the ID number or phone) or an address lists the matches the
// residents list would show the account (its areas, its masking); the
// arrow keys and Enter, or a click, choose one, shown as a chip with a
// button that clears it. A full ID number typed still finds its person.
type residentPicker struct {
	widget.BaseWidget
	u      *UI
	entry  *pickerEntry
	rows   *fyne.Container // the matches, as buttons
	scroll *container.Scroll
	note   *widget.Label // nothing found, more to narrow, an error
	chip   *fyne.Container
	// In a form the matches float over the fields below, as a drop-down
	// does, so that a long form does not grow past the window: layer is
	// the form's top layer (nil: they show in place, under the text).
	layer   *fyne.Container
	panel   *fyne.Container
	catcher *tapCatcher
	chipTxt *widget.Label
	box     *fyne.Container

	matches []model.ResidentRow
	more    bool   // more matched than are shown
	shownAs string // the text the matches are for
	hi      int    // the match Enter chooses
	chosen  *model.ResidentRow
	changes int  // edits of the text, so a search overtaken is dropped
	waiting bool // Enter was pressed before the matches came

	// OnChosen runs when a resident is chosen (id) or cleared (0).
	OnChosen func(id int64)
	// OnSubmitted runs when Enter chose (the activities' door checks in).
	OnSubmitted func()
}

// pickerEntry is the picker's text: the arrow keys move through the
// matches and Enter chooses, instead of the entry's own meaning; Escape
// drops the matches, or when none are listed closes the dialog.
type pickerEntry struct {
	widgets.Entry
	p *residentPicker
}

func (e *pickerEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.p.move(1)
	case fyne.KeyUp:
		e.p.move(-1)
	case fyne.KeyReturn, fyne.KeyEnter:
		e.p.enter()
	case fyne.KeyEscape:
		if len(e.p.matches) == 0 && e.p.note.Text == "" {
			e.Entry.TypedKey(k) // nothing listed: the dialog's Escape
			return
		}
		e.p.dismiss()
	default:
		e.Entry.TypedKey(k)
	}
}

func newResidentPicker(u *UI) *residentPicker {
	p := &residentPicker{u: u}
	p.entry = &pickerEntry{p: p}
	p.entry.ExtendBaseWidget(p.entry)
	p.entry.SetPlaceHolder(i18n.L("picker.hint"))
	p.entry.OnChanged = func(string) { p.find() }
	p.rows = container.NewVBox()
	p.note = widget.NewLabel("")
	p.note.Importance = widget.LowImportance
	p.note.Hide()
	p.chipTxt = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.chipTxt.Truncation = fyne.TextTruncateEllipsis
	clear := widget.NewButtonWithIcon("", theme.CancelIcon(), p.clear)
	p.chip = container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), clear, p.chipTxt)
	p.chip.Hide()
	p.scroll = container.NewVScroll(p.rows)
	p.scroll.Hide()
	p.box = container.NewVBox(p.entry, p.chip, p.scroll, p.note)
	p.ExtendBaseWidget(p)
	return p
}

func (p *residentPicker) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.box) }

// floatOver makes the matches float on layer, a form's top layer.
func (p *residentPicker) floatOver(layer *fyne.Container) {
	p.layer = layer
	p.box.Objects = []fyne.CanvasObject{p.entry, p.chip}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	p.panel = container.NewStack(bg, container.NewPadded(container.NewBorder(nil, p.note, nil, nil, p.scroll)))
	// A click beside the matches puts them away, and does nothing else.
	p.catcher = &tapCatcher{tapped: p.dismiss}
	p.catcher.ExtendBaseWidget(p.catcher)
}

// place shows the floating matches under the text (over it when the
// form has no room below), or puts them away when there is nothing to
// show.
func (p *residentPicker) place() {
	if p.layer == nil {
		p.box.Refresh()
		return
	}
	if len(p.matches) == 0 && p.note.Hidden {
		p.layer.RemoveAll()
		return
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(p.entry).Subtract(d.AbsolutePositionForObject(p.layer))
	size := fyne.NewSize(p.entry.Size().Width, p.panel.MinSize().Height)
	pos := fyne.NewPos(at.X, at.Y+p.entry.Size().Height)
	if pos.Y+size.Height > p.layer.Size().Height && at.Y-size.Height >= 0 {
		pos.Y = at.Y - size.Height
	}
	p.catcher.Move(fyne.NewPos(0, 0))
	p.catcher.Resize(p.layer.Size())
	p.panel.Move(pos)
	p.panel.Resize(size)
	p.layer.Objects = []fyne.CanvasObject{p.catcher, p.panel}
	p.layer.Refresh()
}

// dismiss puts the matches away, keeping the text: Enter then chooses
// nobody unseen.
func (p *residentPicker) dismiss() {
	p.matches = nil
	p.rows.RemoveAll()
	p.say("")
}

// tapCatcher takes a click beside a floating list.
type tapCatcher struct {
	widget.BaseWidget
	tapped func()
}

func (c *tapCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (c *tapCatcher) Tapped(*fyne.PointEvent) { c.tapped() }

// id is the resident chosen, 0 none.
func (p *residentPicker) id() int64 {
	if p.chosen == nil {
		return 0
	}
	return p.chosen.ID
}

// who names the resident for a use case: the one chosen; else a full ID
// number typed (a card reader's) as it is; else nobody, which the use case
// says as "choose a resident".
func (p *residentPicker) who() app.Who {
	if p.chosen != nil {
		return app.ByID(p.chosen.ID)
	}
	if kind, _, _ := app.ReadSearch(p.entry.Text); kind == model.SearchIDNumber {
		return app.ByNumber(p.entry.Text)
	}
	return app.Who{}
}

// pending reports text typed but nobody chosen from it, which a form
// must not read as "nobody": it is said with pendingError.
func (p *residentPicker) pending() bool {
	return p.chosen == nil && strings.TrimSpace(p.entry.Text) != "" && p.who().IDNumber == ""
}

// pendingError asks to choose from the matches of what was typed.
func (p *residentPicker) pendingError() error {
	return errors.New(i18n.L("picker.pending", map[string]any{"Text": strings.TrimSpace(p.entry.Text)}))
}

// focus puts the cursor in the picker's text.
func (p *residentPicker) focus() {
	if p.entry.Visible() {
		p.u.win.Canvas().Focus(p.entry)
	}
}

// find searches for the text typed after a pause: typing 王秀 searches
// once, not twice.
func (p *residentPicker) find() {
	p.changes++
	seen := p.changes
	p.waiting = false
	text := strings.TrimSpace(p.entry.Text)
	if len([]rune(text)) < 2 {
		p.showMatches(nil, false, "")
		return
	}
	p.u.sched.schedule(func() func() {
		time.Sleep(p.u.sched.settle)
		return func() {
			if seen == p.changes {
				p.search(seen, text)
			}
		}
	})
}

// search lists the residents matching text, as the residents list finds
// them for this account.
func (p *residentPicker) search(seen int, text string) {
	u := p.u
	type found struct {
		rows []model.ResidentRow
		more bool
	}
	run(p.u, func() (found, error) {
		l, err := u.app.Residents(u.ctx, u.actor, app.ListFilter{Search: text, Sort: model.SortName})
		if err != nil {
			return found{}, err
		}
		rows, err := l.Page(u.ctx, nil, pickerShown+1, false)
		if err != nil {
			return found{}, err
		}
		f := found{more: len(rows) > pickerShown}
		for _, r := range rows[:min(len(rows), pickerShown)] {
			if r.Name != "" { // a deleted resident kept for the records cannot be chosen
				f.rows = append(f.rows, r)
			}
		}
		return f, nil
	}, func(f found, err error) {
		if seen != p.changes || p.chosen != nil {
			return
		}
		if err != nil {
			p.showMatches(nil, false, "")
			p.say(i18n.Message(err))
			return
		}
		p.showMatches(f.rows, f.more, text)
		if p.waiting {
			p.waiting = false
			p.enter()
		}
	})
}

// showMatches lists matches as buttons, the first to be chosen by Enter.
func (p *residentPicker) showMatches(rows []model.ResidentRow, more bool, text string) {
	p.matches, p.more, p.shownAs, p.hi = rows, more, text, 0
	p.rows.RemoveAll()
	for i, r := range rows {
		b := widget.NewButton(p.u.pickerLine(r), func() { p.choose(i) })
		b.Alignment = widget.ButtonAlignLeading
		p.rows.Add(b)
	}
	p.scroll.Hide()
	if len(rows) > 0 {
		p.scroll.Show()
		h := p.rows.Objects[0].MinSize().Height + theme.Padding()
		p.scroll.SetMinSize(fyne.NewSize(0, float32(min(len(rows), pickerRows))*h-theme.Padding()))
	}
	p.scroll.ScrollToTop()
	p.paint()
	switch {
	case text != "" && len(rows) == 0:
		p.say(i18n.L("picker.none", map[string]any{"Text": text}))
	case more:
		p.say(i18n.L("picker.more", map[string]any{"Count": pickerShown}))
	default:
		p.say("")
	}
}

// paint marks the match Enter would choose.
func (p *residentPicker) paint() {
	for i, o := range p.rows.Objects {
		b := o.(*widget.Button)
		b.Importance = widget.LowImportance
		if i == p.hi {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

func (p *residentPicker) say(text string) {
	p.note.SetText(text)
	p.note.Hidden = text == ""
	p.note.Refresh()
	p.place()
}

// pickerLine is a match as the picker lists it: enough to tell two 王秀英
// apart, the ID number masked as everywhere.
func (u *UI) pickerLine(r model.ResidentRow) string {
	parts := []string{r.Name, i18n.Sex(r.Sex)}
	if a := u.ageText(r.Birth); a != "" {
		parts = append(parts, i18n.L("picker.age", map[string]any{"Age": a}))
	}
	if r.IDNumber != "" {
		parts = append(parts, app.MaskIDNumber(r.IDNumber))
	}
	if addr := app.FormatAddress(r.Address); addr != "" {
		parts = append(parts, addr)
	}
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "  ")
}

func (p *residentPicker) move(by int) {
	if len(p.matches) == 0 {
		return
	}
	p.hi = (p.hi + by + len(p.matches)) % len(p.matches)
	p.paint()
	// keep the marked match in view
	b := p.rows.Objects[p.hi]
	if top := b.Position().Y; top < p.scroll.Offset.Y {
		p.scroll.Offset.Y = top
	} else if bottom := top + b.Size().Height; bottom > p.scroll.Offset.Y+p.scroll.Size().Height {
		p.scroll.Offset.Y = bottom - p.scroll.Size().Height
	}
	p.scroll.Refresh()
}

// enter chooses the match marked; pressed before the matches of what was
// typed came (a card reader is quick), it waits for them; a full ID number
// nobody matched goes on as typed, for the use case to say why.
func (p *residentPicker) enter() {
	text := strings.TrimSpace(p.entry.Text)
	switch {
	case p.chosen != nil || text == "":
	case p.shownAs == text && len(p.matches) > 0:
		p.choose(p.hi)
		if p.OnSubmitted != nil {
			p.OnSubmitted()
		}
	case p.shownAs != text && len([]rune(text)) >= 2:
		p.waiting = true
	case p.who().IDNumber != "" && p.OnSubmitted != nil:
		p.OnSubmitted()
	}
}

// choose makes match i the resident chosen.
func (p *residentPicker) choose(i int) {
	if i < 0 || i >= len(p.matches) {
		return
	}
	r := p.matches[i]
	p.set(&r)
}

// set shows r as the chosen chip (nil: the search again).
func (p *residentPicker) set(r *model.ResidentRow) {
	p.chosen = r
	p.changes++ // a search under way is for what is no longer wanted
	p.waiting = false
	p.showMatches(nil, false, "")
	if r == nil {
		p.chip.Hide()
		p.entry.Show()
	} else {
		p.chipTxt.SetText(p.u.pickerLine(*r))
		p.entry.Hide()
		p.chip.Show()
	}
	p.box.Refresh()
	if p.OnChosen != nil {
		p.OnChosen(p.id())
	}
}

// clear drops the resident chosen and the text, for another.
func (p *residentPicker) clear() {
	p.entry.SetText("")
	p.set(nil)
	p.focus()
}
