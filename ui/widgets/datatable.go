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
	// Sample is the longest text the column shows when it is one of a few
	// words (sex, relation): its width never cuts it.
	Sample string
	// Importance (may be nil) colours a cell: a deadline passed in red.
	Importance func(T) widget.Importance
}

// Pages are the rows of a table too long to hold (a district's residents):
// how many there are, and row i, ok false while it is being read (its
// cells show …); Sort is asked for another order when a header is tapped.
type Pages[T any] struct {
	Len  func() int
	Row  func(i int) (T, bool)
	Sort func(col int, desc bool)
}

// DataTable is a table of rows of T built from column specs, so that every
// table of the window sorts (tap a header; again for the other way), sizes
// and answers the keyboard (Up, Down, Enter) the same way. Cells copy
// prepared text only: rows are loaded and formatted off the UI goroutine.
type DataTable[T any] struct {
	table    *Table
	content  *fyne.Container
	cols     []Column[T]
	pages    *Pages[T] // nil: the rows are held
	rows     []T
	footer   []T // shown last in bold and never sorted: the totals
	sortBy   int // -1: the order given
	desc     bool
	selected int
	width    float32
	widths   []float32 // the columns' widths as last fitted

	// OnSelected is called with the row chosen (a tap, a key).
	OnSelected func(T)
	// OnActivated is called for a double tap or Enter on a row.
	OnActivated func(T)
}

// NewDataTable makes an empty table of the columns.
func NewDataTable[T any](cols []Column[T]) *DataTable[T] {
	t := &DataTable[T]{cols: cols, sortBy: -1, selected: -1}
	t.table = NewTable(func() (int, int) { return t.count() + len(t.footer), len(t.cols) }, func() fyne.CanvasObject { return NewTapLabel() }, t.update)
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
		if n := t.count(); n > 0 {
			t.table.Select(widget.TableCellID{Row: max(0, min(n-1, t.selected+d)), Col: 0})
		}
	}
	for i, c := range cols {
		t.table.SetColumnWidth(i, c.Width)
		t.widths = append(t.widths, c.Width)
	}
	t.content = container.New(&fitLayout{fit: t.fit}, t.table)
	return t
}

// NewPagedTable makes a table of the columns over pages: the order is the
// pages' own, asked of them by the headers.
func NewPagedTable[T any](cols []Column[T], pages *Pages[T]) *DataTable[T] {
	t := NewDataTable(cols)
	t.pages = pages
	return t
}

// Reload shows the pages again from their first row, the selection gone:
// they hold another list.
func (t *DataTable[T]) Reload() {
	t.selected = -1
	t.table.UnselectAll()
	t.table.ScrollToTop()
	t.table.Refresh()
}

// count is how many rows there are, not counting the footer.
func (t *DataTable[T]) count() int {
	if t.pages != nil {
		return t.pages.Len()
	}
	return len(t.rows)
}

// row is row i in the order shown; ok is false past the end, or while a
// page is read.
func (t *DataTable[T]) row(i int) (T, bool) {
	var zero T
	switch {
	case i < 0 || i >= t.count():
		return zero, false
	case t.pages != nil:
		return t.pages.Row(i)
	}
	return t.rows[i], true
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

// SetFooter shows rows under the others, in bold and out of the sorting:
// the totals of a table of figures. None clears it.
func (t *DataTable[T]) SetFooter(rows ...T) {
	t.footer = slices.Clone(rows)
	t.table.Refresh()
}

// SetTitle renames a column whose header says what the rows are grouped
// by, and fits the widths to it.
func (t *DataTable[T]) SetTitle(col int, title string) {
	t.cols[col].Title = title
	t.width = -1
	t.fit(t.content.Size().Width)
	t.table.Refresh()
}

// Rows are the rows in the order shown (none over pages).
func (t *DataTable[T]) Rows() []T { return t.rows }

// Selected is the row chosen, if any.
func (t *DataTable[T]) Selected() (T, bool) { return t.row(t.selected) }

// SelectedIndex is where the row chosen is, -1 for none.
func (t *DataTable[T]) SelectedIndex() int { return t.selected }

// Widths are the columns' widths as the table last laid them out.
func (t *DataTable[T]) Widths() []float32 { return slices.Clone(t.widths) }

// Title is column col's header, without the sign of the order.
func (t *DataTable[T]) Title(col int) string { return t.cols[col].Title }

// CellText is the text row (in the order shown) shows in column col, ""
// while it is read.
func (t *DataTable[T]) CellText(row, col int) string {
	if r, ok := t.row(row); ok {
		return t.cols[col].Text(r)
	}
	return ""
}

// SortBy orders the rows by column col (tapping its header does the same);
// over pages it asks them for that order.
func (t *DataTable[T]) SortBy(col int, desc bool) {
	t.ShowOrder(col, desc)
	if t.pages != nil && t.pages.Sort != nil {
		t.pages.Sort(col, desc)
		return
	}
	t.sort()
	t.table.Refresh()
}

// ShowOrder marks column col's header with the order (-1: none) without
// sorting: pages that were put back in their own order say so.
func (t *DataTable[T]) ShowOrder(col int, desc bool) {
	t.sortBy, t.desc = col, desc
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
		cols[i] = Width{Title: c.Title, Base: c.Width, Grow: c.Grow, Sample: c.Sample}
	}
	t.widths = FitWidths(cols, width)
	for i, w := range t.widths {
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
	if t.pages != nil || t.sortBy < 0 || t.sortBy >= len(t.cols) {
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

func (t *DataTable[T]) choose(i int) {
	if i < 0 || i >= t.count() {
		return
	}
	t.selected = i
	if r, ok := t.row(i); ok && t.OnSelected != nil {
		t.OnSelected(r)
	}
}

func (t *DataTable[T]) activate(i int) {
	if r, ok := t.row(i); ok && t.OnActivated != nil {
		t.OnActivated(r)
	}
}

func (t *DataTable[T]) update(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*TapLabel)
	l.Importance = widget.MediumImportance
	l.TextStyle.Bold = false
	n := t.count()
	if id.Row >= n || id.Col >= len(t.cols) {
		l.OnTapped, l.OnDoubleTapped = nil, nil
		if f := id.Row - n; f < len(t.footer) && id.Col < len(t.cols) {
			l.TextStyle.Bold = true
			l.SetText(t.cols[id.Col].Text(t.footer[f]))
			return
		}
		l.SetText("")
		return
	}
	row, c := id.Row, t.cols[id.Col]
	l.OnTapped = func() {
		t.table.Select(widget.TableCellID{Row: row, Col: id.Col})
		if cv := fyne.CurrentApp().Driver().CanvasForObject(t.table); cv != nil {
			cv.Focus(t.table) // so that Enter and the arrows reach it
		}
	}
	r, ok := t.row(row)
	if !ok {
		l.OnDoubleTapped = nil
		l.SetText("…")
		return
	}
	if c.Importance != nil {
		l.Importance = c.Importance(r)
	}
	l.SetText(c.Text(r))
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
