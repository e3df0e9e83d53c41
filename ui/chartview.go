package ui

import (
	"image"
	"log/slog"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/ui/report"
)

// chartView is a chart drawn at the size it is shown, in the window's
// light or dark scheme: a bitmap drawn once and scaled would blur, and
// its text would shrink on a small screen and stay small on a large one.
// It is drawn again, off the UI goroutine, when it has kept a new size
// for countDelay, and when the theme changes.
//
// It asks for a height of its width times aspect (at least minW wide);
// a chart whose bars need more height (Options.Height is a minimum) asks
// for that height next.
type chartView struct {
	widget.BaseWidget
	u        *UI
	img      *canvas.Image
	chart    any // a charts value for report.Image; nil: nothing yet
	minW     float32
	aspect   float32
	asked    fyne.Size // the size of the last drawing asked for
	dark     bool      // the scheme of the last drawing asked for
	gen      atomic.Int64
	OnTapped func()
}

func newChartView(u *UI, minW, aspect float32, tapped func()) *chartView {
	c := &chartView{u: u, img: canvas.NewImageFromImage(nil), minW: minW, aspect: aspect, OnTapped: tapped}
	// Contain, not stretch: between a resize and its drawing the old
	// picture keeps its proportions.
	c.img.FillMode = canvas.ImageFillContain
	c.img.ScaleMode = canvas.ImageScaleSmooth
	c.ExtendBaseWidget(c)
	return c
}

// SetChart shows a chart (a value of package charts, as report.Chart gives).
// A nil chart clears the picture.
func (c *chartView) SetChart(chart any) {
	c.chart = chart
	c.asked = fyne.Size{}
	if chart == nil {
		c.gen.Add(1) // a drawing under way is dropped
		c.img.Image = nil
		c.img.Refresh()
		return
	}
	c.draw()
}

// Image is the picture shown.
func (c *chartView) Image() image.Image { return c.img.Image }

// MinSize is minW wide and as tall as the chart needs at its width.
func (c *chartView) MinSize() fyne.Size {
	w := max(c.Size().Width, c.minW)
	h := w * c.aspect
	if m := c.img.Image; m != nil && m.Bounds().Dx() > 0 {
		b := m.Bounds()
		h = max(h, w*float32(b.Dy())/float32(b.Dx()))
	}
	return fyne.NewSize(c.minW, h)
}

// Resize lays the chart out and draws it again at the new size.
func (c *chartView) Resize(s fyne.Size) {
	old := c.Size()
	c.BaseWidget.Resize(s)
	if s != old {
		c.draw()
	}
}

// Refresh draws the chart again when the theme changed between light and
// dark.
func (c *chartView) Refresh() {
	if c.isDark() != c.dark {
		c.draw()
	}
	c.BaseWidget.Refresh()
}

func (c *chartView) isDark() bool {
	return c.u.fa.Settings().ThemeVariant() == fynetheme.VariantDark
}

// draw asks for the chart at the widget's size unless it was just asked
// for; the drawing happens after countDelay, and only if no newer one
// was asked for meanwhile, so a window dragged wider draws once.
func (c *chartView) draw() {
	s := c.Size()
	if c.chart == nil || s.Width < 1 || s.Height < 1 {
		return
	}
	dark := c.isDark()
	if s == c.asked && dark == c.dark {
		return
	}
	c.asked, c.dark = s, dark
	gen := c.gen.Add(1)
	chart := c.chart
	o := c.u.chartOptions(int(s.Width), int(s.Height))
	c.u.sched.schedule(func() func() {
		time.Sleep(c.u.sched.settle)
		if c.gen.Load() != gen {
			return func() {}
		}
		m, err := report.Image(chart, o)
		return func() {
			if err != nil {
				slog.Error("chart", "err", err)
				return
			}
			if c.gen.Load() != gen {
				return
			}
			c.img.Image = m
			// A chart taller than asked (many bars) is shown whole at its
			// own height: remember that size as drawn.
			c.asked = fyne.NewSize(float32(m.Bounds().Dx()), float32(m.Bounds().Dy()))
			c.img.Refresh()
			c.BaseWidget.Refresh()
		}
	})
}

// CreateRenderer draws the picture.
func (c *chartView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.img) }

// Tapped runs OnTapped.
func (c *chartView) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil {
		c.OnTapped()
	}
}

// Cursor shows a hand when the chart opens something.
func (c *chartView) Cursor() desktop.Cursor {
	if c.OnTapped != nil {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}
