package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// NewBar lays out a line of a screen's top: lead (a search box, the area
// pickers; may be nil) filling the width, and buttons after it. When lead
// would keep less than leadMin, it takes a line of its own and the buttons
// go below it; buttons that do not fit on a line wrap onto the next rather
// than push the window past the screen. Hidden buttons take no room.
func NewBar(lead fyne.CanvasObject, leadMin float32, buttons ...fyne.CanvasObject) *fyne.Container {
	l := &barLayout{leadMin: leadMin, hasLead: lead != nil, trailing: lead != nil}
	objs := buttons
	if lead != nil {
		objs = append([]fyne.CanvasObject{lead}, buttons...)
	}
	return container.New(l, objs...)
}

// NewFlow lays out buttons left to right, wrapping onto more lines when
// the width runs out, like words in a paragraph.
func NewFlow(buttons ...fyne.CanvasObject) *fyne.Container {
	return container.New(&barLayout{}, buttons...)
}

// barLayout is NewBar's and NewFlow's layout. Its height depends on its
// width, so it remembers the width it was last given: MinSize answers for
// that width (the window lays out again when a MinSize changes).
type barLayout struct {
	leadMin  float32
	hasLead  bool
	trailing bool // buttons aligned to the right, after a lead
	width    float32
}

// line is one line of placed objects and its height.
type line struct {
	objs []fyne.CanvasObject
	w, h float32
}

// lines splits the visible buttons into lines no wider than width and
// says whether the lead shares the first line with them.
func (b *barLayout) lines(objects []fyne.CanvasObject, width float32) (lead fyne.CanvasObject, shared bool, out []line) {
	pad := theme.Padding()
	buttons := objects
	if b.hasLead && len(objects) > 0 {
		lead, buttons = objects[0], objects[1:]
	}
	var cur line
	total := float32(0)
	for _, o := range buttons {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		total += m.Width + pad
		if len(cur.objs) > 0 && cur.w+pad+m.Width > width {
			out = append(out, cur)
			cur = line{}
		}
		if len(cur.objs) > 0 {
			cur.w += pad
		}
		cur.objs = append(cur.objs, o)
		cur.w += m.Width
		cur.h = max(cur.h, m.Height)
	}
	if len(cur.objs) > 0 {
		out = append(out, cur)
	}
	if lead != nil && lead.Visible() {
		lm := lead.MinSize()
		shared = len(out) <= 1 && width-total >= max(b.leadMin, lm.Width)
	}
	return lead, shared, out
}

// Layout places the lead and the lines of buttons.
func (b *barLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	b.width = size.Width
	pad := theme.Padding()
	lead, shared, lines := b.lines(objects, size.Width)
	y := float32(0)
	if lead != nil && lead.Visible() {
		lh := lead.MinSize().Height
		if shared && len(lines) == 1 {
			lh = max(lh, lines[0].h)
			lead.Move(fyne.NewPos(0, 0))
			lead.Resize(fyne.NewSize(size.Width-lines[0].w-pad, lh))
			b.place(lines[0], size.Width-lines[0].w, 0, lh)
			return
		}
		lead.Move(fyne.NewPos(0, 0))
		lead.Resize(fyne.NewSize(size.Width, lh))
		y = lh + pad
	}
	for _, l := range lines {
		x := float32(0)
		if b.trailing {
			x = size.Width - l.w
		}
		b.place(l, x, y, l.h)
		y += l.h + pad
	}
}

func (b *barLayout) place(l line, x, y, h float32) {
	for _, o := range l.objs {
		m := o.MinSize()
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(m.Width, h))
		x += m.Width + theme.Padding()
	}
}

// MinSize is as wide as the widest button (or the lead's least), and as
// tall as the lines at the width last laid out (one line before that).
func (b *barLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	width := b.width
	if width <= 0 {
		width = 1 << 20 // before the first layout: all on one line
	}
	lead, shared, lines := b.lines(objects, width)
	var w, h float32
	for _, l := range lines {
		for _, o := range l.objs {
			w = max(w, o.MinSize().Width)
		}
		h += l.h + pad
	}
	h = max(0, h-pad)
	if lead != nil && lead.Visible() {
		lm := lead.MinSize()
		w = max(w, lm.Width)
		switch {
		case shared && len(lines) == 1:
			h = max(lm.Height, lines[0].h)
		case len(lines) > 0:
			h += lm.Height + pad
		default:
			h = lm.Height
		}
	}
	return fyne.NewSize(w, h)
}
