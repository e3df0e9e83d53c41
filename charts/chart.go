// Package chart draws the charts of the 数据看板 and the 分析报告 as PNG or SVG with the bundled Chinese font.
//
// The charts are laid out by this package itself and drawn on go-chart's
// renderers: go-chart's ready-made charts cannot draw horizontal bars, a
// pyramid or 100% stacked bars, and their layout does not measure Chinese
// labels. Layout measures text with the font's own advance widths, so the
// PNG and the SVG of one chart share the same geometry.
package charts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format is an output format of Render.
type Format int

const (
	// PNG is an anti-aliased raster image.
	PNG Format = iota
	// SVG is a vector image with the text kept as <text> elements.
	SVG
)

// FormatOf returns the format a file name asks for by its extension (.png, .svg, case-insensitive); ok false otherwise.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		return PNG, true
	case ".svg":
		return SVG, true
	}
	return PNG, false
}

// Palette is the categorical palette used by position when a Bar has no
// Color, so that the same position has the same colour in every chart.
var Palette = []string{
	"#3A78D9", // blue
	"#F28E2B", // orange
	"#59A14F", // green
	"#E15759", // red
	"#76B7B2", // teal
	"#EDC948", // yellow
	"#B07AA1", // purple
	"#9C755F", // brown
}

// MenColor is the colour of men in every chart.
const MenColor = "#3A78D9"

// WomenColor is the colour of women in every chart.
const WomenColor = "#D94A4A"

// Colours of Months; fixed so moves in and out read the same in every report.
const (
	inColor  = "#59A14F"
	outColor = "#F28E2B"
)

// Bar is one bar: a label, its count, and its colour ("#RRGGBB"; "" takes the default palette colour by position).
type Bar struct {
	Label string
	Value int
	Color string
}

// Bars is a horizontal bar chart (labels on the left, one bar per row, count
// printed at the bar's end), for residents per grid/compound and tag
// distribution. Long labels are shortened with "…" to fit a label column;
// bars never overlap at 20 or even 40 bars because the chart grows in height
// with the bar count (Options.Height is a minimum).
type Bars struct {
	Title string
	Bars  []Bar
	Unit  string // appended to counts, e.g. "人"; may be ""
}

// Pyramid is an age–sex pyramid: Bands are age bands from youngest to oldest
// (drawn youngest at the bottom), Men[i] and Women[i] their counts; men to
// the left in blue, women to the right in red; both sides share one scale;
// band labels in the middle column; a legend with the two labels.
type Pyramid struct {
	Title                string
	Bands                []string
	Men, Women           []int
	MenLabel, WomenLabel string
}

// Share is a composition chart: one horizontal 100% stacked bar per Group
// (e.g. 人员类别 and 状态), each part labelled with its name, count and
// percent when it fits, and a legend below listing every part with count
// and percent.
type Share struct {
	Title  string
	Groups []ShareGroup
	Total  string // the word before each bar's total ("合计"); "" shows the number alone
}

// ShareGroup is one stacked bar of a Share: its label and its parts.
type ShareGroup struct {
	Label string
	Parts []Bar
}

// Months is moves in and out per month: two series of bars side by side per
// month (in green-ish, out orange-ish; colours fixed), month labels such as
// "2026-01" on the x axis (labels are skipped so they never overlap), y axis
// from zero.
type Months struct {
	Title             string
	Months            []string
	In, Out           []int
	InLabel, OutLabel string
}

// Options size a chart in pixels; zero values mean 800×500.
type Options struct {
	Width, Height int
	// Empty is said under the dash of a chart without data ("暂无数据").
	Empty string
	// Dark draws for a dark window: a dark ground, light text and rules
	// (the bars keep their colours). Files and printed reports are light.
	Dark bool
}

const (
	defaultWidth  = 800
	defaultHeight = 500
	// maxSide bounds the image size: a chart of thousands of bars would
	// otherwise allocate hundreds of megabytes.
	maxSide = 16000
	minSide = 120
)

// size returns the requested size with defaults and bounds applied.
func (o Options) size() (w, h int) {
	w, h = o.Width, o.Height
	if w <= 0 {
		w = defaultWidth
	}
	if h <= 0 {
		h = defaultHeight
	}
	return clampInt(w, minSide, maxSide), clampInt(h, minSide, maxSide)
}

// layout is a chart whose geometry is computed, ready to draw.
type layout interface {
	size() (w, h int)
	draw(c *canvas)
}

// Render writes the chart c (one of Bars, Pyramid, Share, Months, by value) to w in the format f.
func Render(w io.Writer, c any, f Format, o Options) error {
	if f != PNG && f != SVG {
		return fmt.Errorf("chart: unknown format %d", int(f))
	}
	if _, err := loadFont(); err != nil {
		return err
	}
	var l layout
	switch v := c.(type) {
	case Bars:
		l = layoutBars(v, o)
	case *Bars:
		if v == nil {
			return errors.New("chart: nil *Bars")
		}
		l = layoutBars(*v, o)
	case Pyramid:
		l = layoutPyramid(v, o)
	case *Pyramid:
		if v == nil {
			return errors.New("chart: nil *Pyramid")
		}
		l = layoutPyramid(*v, o)
	case Share:
		l = layoutShare(v, o)
	case *Share:
		if v == nil {
			return errors.New("chart: nil *Share")
		}
		l = layoutShare(*v, o)
	case Months:
		l = layoutMonths(v, o)
	case *Months:
		if v == nil {
			return errors.New("chart: nil *Months")
		}
		l = layoutMonths(*v, o)
	default:
		return fmt.Errorf("chart: cannot render %T", c)
	}
	width, height := l.size()
	cv, err := newCanvas(f, width, height, o.Dark)
	if err != nil {
		return err
	}
	l.draw(cv)
	// Render to a buffer first so a failed render leaves w untouched.
	var buf bytes.Buffer
	if err := cv.save(&buf); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
