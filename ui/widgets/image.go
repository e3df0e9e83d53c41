package widgets

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// TapImage is a picture that does something when tapped (a chart that
// opens its numbers), shown at a width with its own proportions.
type TapImage struct {
	widget.BaseWidget
	img      *canvas.Image
	width    float32
	OnTapped func()
}

// NewTapImage makes an empty TapImage that lays out width wide.
func NewTapImage(width float32, tapped func()) *TapImage {
	t := &TapImage{img: canvas.NewImageFromImage(nil), width: width, OnTapped: tapped}
	t.img.FillMode = canvas.ImageFillContain
	t.img.ScaleMode = canvas.ImageScaleSmooth
	t.ExtendBaseWidget(t)
	return t
}

// SetImage shows a picture, keeping its proportions at the width.
func (t *TapImage) SetImage(m image.Image) {
	t.img.Image = m
	if m != nil {
		b := m.Bounds()
		t.img.SetMinSize(fyne.NewSize(t.width, t.width*float32(b.Dy())/float32(max(1, b.Dx()))))
	}
	t.img.Refresh()
	t.Refresh()
}

// Image is the picture shown.
func (t *TapImage) Image() image.Image { return t.img.Image }

// CreateRenderer draws the picture.
func (t *TapImage) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.img) }

// Tapped runs OnTapped.
func (t *TapImage) Tapped(*fyne.PointEvent) {
	if t.OnTapped != nil {
		t.OnTapped()
	}
}

// Cursor shows a hand: the picture can be tapped.
func (t *TapImage) Cursor() desktop.Cursor { return desktop.PointerCursor }
