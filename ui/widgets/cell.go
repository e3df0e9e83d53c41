// Package widgets holds the widgets the screens share.
package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// TapLabel is a label that reports taps and double taps, for table cells
// that select on a tap and open on a double tap.
type TapLabel struct {
	widget.Label
	OnTapped       func()
	OnDoubleTapped func()
}

// NewTapLabel returns an empty, truncating TapLabel.
func NewTapLabel() *TapLabel {
	l := &TapLabel{}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// Tapped calls OnTapped.
func (l *TapLabel) Tapped(*fyne.PointEvent) {
	if l.OnTapped != nil {
		l.OnTapped()
	}
}

// DoubleTapped calls OnDoubleTapped.
func (l *TapLabel) DoubleTapped(*fyne.PointEvent) {
	if l.OnDoubleTapped != nil {
		l.OnDoubleTapped()
	}
}

// Table is a widget.Table that also reports the Enter key, to open the
// selected row, and Up and Down, to move the selection by a row.
type Table struct {
	widget.Table
	OnEnter func()
	OnMove  func(delta int)
}

// NewTable returns a Table with a header row and no header column.
func NewTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *Table {
	t := &Table{}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey opens on Enter and leaves the rest to the table.
func (t *Table) TypedKey(ev *fyne.KeyEvent) {
	if (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && t.OnEnter != nil {
		t.OnEnter()
		return
	}
	if t.OnMove != nil && (ev.Name == fyne.KeyUp || ev.Name == fyne.KeyDown) {
		if ev.Name == fyne.KeyUp {
			t.OnMove(-1)
		} else {
			t.OnMove(1)
		}
		return
	}
	t.Table.TypedKey(ev)
}
