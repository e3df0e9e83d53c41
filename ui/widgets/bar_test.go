package widgets

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestBarWrapsRatherThanWidens lays a search box and eight buttons out
// wide and narrow: wide, all on one line with the box filling the rest;
// narrow, the box on its own line and the buttons wrapped below it, none
// past the edge, and the bar never asks for more than one button's width.
func TestBarWrapsRatherThanWidens(t *testing.T) {
	test.NewTempApp(t)
	search := widget.NewEntry()
	var buttons []fyne.CanvasObject
	for i := range 8 {
		buttons = append(buttons, widget.NewButton(fmt.Sprintf("Button number %d…", i), nil))
	}
	hidden := widget.NewButton("a hidden button that is very long indeed", nil)
	hidden.Hide()
	bar := NewBar(search, 300, append(buttons, hidden)...)
	w := test.NewWindow(bar)
	defer w.Close()

	w.Resize(fyne.NewSize(2000, 200))
	if search.Position().Y != buttons[7].Position().Y || search.Size().Width < 300 {
		t.Fatalf("wide: search at %v %v, last button at %v", search.Position(), search.Size(), buttons[7].Position())
	}
	if end := buttons[7].Position().X + buttons[7].Size().Width; end > bar.Size().Width+0.5 || end < bar.Size().Width-0.5 {
		t.Fatalf("wide: the buttons end at %.0f of %.0f", end, bar.Size().Width)
	}

	w.Resize(fyne.NewSize(600, 400))
	if m := bar.MinSize(); m.Width > 300 {
		t.Fatalf("the bar asks for %v", m)
	}
	if search.Size().Width < bar.Size().Width-1 {
		t.Fatalf("narrow: search %v in a bar %v", search.Size(), bar.Size())
	}
	lines := map[float32]bool{}
	for _, b := range buttons {
		p, s := b.Position(), b.Size()
		if p.X < 0 || p.X+s.Width > bar.Size().Width+0.5 || p.Y <= search.Position().Y {
			t.Errorf("narrow: %q at %v %v in a bar %v", b.(*widget.Button).Text, p, s, bar.Size())
		}
		lines[p.Y] = true
	}
	if len(lines) < 2 {
		t.Errorf("narrow: the buttons are on %d line", len(lines))
	}
	last := buttons[7].Position().Y + buttons[7].Size().Height
	if m := bar.MinSize(); m.Height < last-0.5 {
		t.Errorf("narrow: the bar asks for %v, its buttons reach %.0f", m, last)
	}
}
