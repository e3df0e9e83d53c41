package widgets

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Column is one column of a DataTable: its header, its width (a share of
// what is left after fixed ones when Grow is set), the text a row shows in
// it, and how rows compare by it (nil: by that text).
type Column[T any] struct {
	Title string
	Width float32
	Grow  bool // takes a share of the width the table is given beyond the columns' own
	Text  func(T) string
	Less  func(a, b T) bool
}

// DataTable is a table of rows of T built from column specs, so that every
// table of the window sorts (tap a header; again for the other way), sizes
// and answers the keyboard (Up, Down, Enter) the same way. Cells copy
// prepared text only: rows are loaded and formatted off the UI goroutine.
type DataTable[T any] struct {
	table    *Table
	content  *fyne.Container
	cols     []Column[T]
	rows     []T
	sortBy   int // -1: the order given
	desc     bool
	selected int
	width    float32

	// OnSelected is called with the row chosen (a tap, a key).
	OnSelected func(T)
	// OnActivated is called for a double tap or Enter on a row.
	OnActivated func(T)
}

// NewDataTable makes an empty table of the columns.
func NewDataTable[T any](cols []Column[T]) *DataTable[T] {
	t := &DataTable[T]{cols: cols, sortBy: -1, selected: -1}
	t.table = NewTable(func() (int, int) { return len(t.rows), len(t.cols) }, func() fyne.CanvasObject { return NewTapLabel() }, t.update)
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = t.updateHeader
	t.table.OnSelected = func(id widget.TableCellID) { t.choose(id.Row) }
	t.table.OnEnter = func() { t.activate(t.selected) }
	t.table.OnMove = func(d int) {
		if len(t.rows) > 0 {
			t.table.Select(widget.TableCellID{Row: max(0, min(len(t.rows)-1, t.selected+d)), Col: 0})
		}
	}
	for i, c := range cols {
		t.table.SetColumnWidth(i, c.Width)
	}
	t.content = container.New(&fitLayout{fit: t.fit}, t.table)
	return t
}

// Content is the table to place in a screen.
func (t *DataTable[T]) Content() fyne.CanvasObject { return t.content }

// Table is the table widget, to focus it or select a cell.
func (t *DataTable[T]) Table() *Table { return t.table }

// SetRows shows rows, kept in the order the user chose; the selection goes.
func (t *DataTable[T]) SetRows(rows []T) {
	t.rows = slices.Clone(rows)
	t.sort()
	t.selected = -1
	t.table.UnselectAll()
	t.table.Refresh()
}

// Rows are the rows in the order shown.
func (t *DataTable[T]) Rows() []T { return t.rows }

// Selected is the row chosen, if any.
func (t *DataTable[T]) Selected() (T, bool) {
	if t.selected < 0 || t.selected >= len(t.rows) {
		var zero T
		return zero, false
	}
	return t.rows[t.selected], true
}

// SortBy orders the rows by column col (tapping its header does the same).
func (t *DataTable[T]) SortBy(col int, desc bool) {
	t.sortBy, t.desc = col, desc
	t.sort()
	t.selected = -1
	t.table.UnselectAll()
	t.table.Refresh()
}

// fit gives growing columns their share of a wider table.
func (t *DataTable[T]) fit(width float32) {
	if width == t.width {
		return
	}
	t.width = width
	cols := make([]Width, len(t.cols))
	for i, c := range t.cols {
		cols[i] = Width{Title: c.Title, Base: c.Width, Grow: c.Grow}
	}
	for i, w := range FitWidths(cols, width) {
		t.table.SetColumnWidth(i, w)
	}
}

// Width is what a column asks of the width: at least its base, its
// header's text and its longest word, and a share of what is left when it
// grows.
type Width struct {
	Title  string
	Base   float32
	Grow   bool
	Sample string // the longest value the column shows, when it is one of a few words
}

// FitWidths gives each column its width in a table as wide as width: no
// header is cut (English headers are longer than Chinese ones), and the
// growing columns share what is left, so a wide screen is used.
func FitWidths(cols []Width, width float32) []float32 {
	out := make([]float32, len(cols))
	var fixed float32
	grow := 0
	size := theme.TextSize()
	// A cell's label pads its text on both sides, and the table its cell.
	pad := 2*theme.InnerPadding() + 2*theme.Padding() + 4
	for i, c := range cols {
		head := fyne.MeasureText(c.Title+" ↓", size, fyne.TextStyle{}).Width + pad
		sample := fyne.MeasureText(c.Sample, size, fyne.TextStyle{}).Width + pad
		out[i] = max(c.Base, head, sample)
		fixed += out[i]
		if c.Grow {
			grow++
		}
	}
	// The table puts a divider of a padding between columns, and keeps
	// room for its scroll bar.
	room := width - fixed - 20 - float32(len(cols))*theme.Padding()
	if grow > 0 && room > 0 {
		extra := room / float32(grow)
		for i, c := range cols {
			if c.Grow {
				out[i] += extra
			}
		}
	}
	return out
}

// Fitted places table so that its columns take the widths given for the
// width the table has, whenever that changes.
func Fitted(table *Table, widths func(width float32) []float32) fyne.CanvasObject {
	last := float32(-1)
	return container.New(&fitLayout{fit: func(w float32) {
		if w == last {
			return
		}
		last = w
		for i, cw := range widths(w) {
			table.SetColumnWidth(i, cw)
		}
	}}, table)
}

// fitLayout sizes its one object to the space given, telling fit the width
// first.
type fitLayout struct{ fit func(width float32) }

func (l *fitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.fit(size.Width)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 {
		return fyne.Size{}
	}
	return objs[0].MinSize()
}

func (t *DataTable[T]) sort() {
	if t.sortBy < 0 || t.sortBy >= len(t.cols) {
		return
	}
	c := t.cols[t.sortBy]
	less := c.Less
	if less == nil {
		less = func(a, b T) bool { return c.Text(a) < c.Text(b) }
	}
	slices.SortStableFunc(t.rows, func(a, b T) int {
		x, y := a, b
		if t.desc {
			x, y = b, a
		}
		switch {
		case less(x, y):
			return -1
		case less(y, x):
			return 1
		}
		return 0
	})
}

func (t *DataTable[T]) choose(row int) {
	if row < 0 || row >= len(t.rows) {
		return
	}
	t.selected = row
	if t.OnSelected != nil {
		t.OnSelected(t.rows[row])
	}
}

func (t *DataTable[T]) activate(row int) {
	if row >= 0 && row < len(t.rows) && t.OnActivated != nil {
		t.OnActivated(t.rows[row])
	}
}

func (t *DataTable[T]) update(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*TapLabel)
	if id.Row >= len(t.rows) || id.Col >= len(t.cols) {
		l.SetText("")
		return
	}
	row := id.Row
	l.SetText(t.cols[id.Col].Text(t.rows[row]))
	l.OnTapped = func() { t.table.Select(widget.TableCellID{Row: row, Col: id.Col}) }
	l.OnDoubleTapped = func() {
		t.table.Select(widget.TableCellID{Row: row, Col: id.Col})
		t.activate(row)
	}
}

func (t *DataTable[T]) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(t.cols) {
		b.SetText("")
		return
	}
	title := t.cols[id.Col].Title
	if id.Col == t.sortBy {
		title += map[bool]string{false: " ↑", true: " ↓"}[t.desc]
	}
	b.SetText(strings.TrimSpace(title))
	col := id.Col
	b.OnTapped = func() { t.SortBy(col, col == t.sortBy && !t.desc) }
}
