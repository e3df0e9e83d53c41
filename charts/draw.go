package charts

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/golang/freetype/truetype"
	gochart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/math/fixed"

	"shequ/assets"
)

var (
	fontOnce sync.Once
	theFont  *truetype.Font
	fontErr  error
)

// loadFont parses the bundled font once; parsing takes milliseconds and the
// parsed font is read-only, so all renders share it.
func loadFont() (*truetype.Font, error) {
	fontOnce.Do(func() {
		theFont, fontErr = truetype.Parse(assets.FontTTF)
		if fontErr != nil {
			fontErr = fmt.Errorf("chart: parse font: %w", fontErr)
		}
	})
	return theFont, fontErr
}

// Font sizes in pixels.
const (
	titleSize  = 20.0
	labelSize  = 13.0
	valueSize  = 12.0
	tickSize   = 11.0
	legendSize = 13.0
	margin     = 16 // outer margin on every side
)

// Vertical metrics of the font as fractions of the font size (hhea ascent
// and descent), and where the middle of a CJK glyph sits above the baseline.
const (
	ascent  = 0.93
	descent = 0.23
	midLine = 0.36
)

// Text colours and rules.
var (
	white     = drawing.ColorWhite
	titleInk  = hexColor("#222222")
	labelInk  = hexColor("#333333")
	mutedInk  = hexColor("#666666")
	gridColor = hexColor("#E6E6E6")
	axisColor = hexColor("#9A9A9A")
	emptyFill = hexColor("#EEEEEE")
)

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// label is one piece of text placed by a layout: x is the anchor for align,
// y the baseline.
type label struct {
	text  string
	x, y  int
	size  float64
	align align
	color drawing.Color
}

// rect returns the box the label occupies, from the font's ascent to its
// descent; layouts and tests use it to keep labels apart.
func (l label) rect() image.Rectangle {
	w := int(math.Ceil(textWidth(l.text, l.size)))
	x := l.x
	switch l.align {
	case alignCenter:
		x -= w / 2
	case alignRight:
		x -= w
	}
	return image.Rect(x, l.y-int(math.Ceil(l.size*ascent)), x+w, l.y+int(math.Ceil(l.size*descent)))
}

// baselineFor returns the baseline that centres text of size on the line y.
func baselineFor(y float64, size float64) int {
	return int(math.Round(y + size*midLine))
}

// box is a filled rectangle.
type box struct {
	r     image.Rectangle
	color drawing.Color
}

// textWidth returns the advance width of s in pixels at size, summed the
// way go-chart's rasterizer places glyphs, so measured and drawn widths agree.
func textWidth(s string, size float64) float64 {
	f, err := loadFont()
	if err != nil || s == "" {
		return 0
	}
	scale := fixed.Int26_6(size * 64)
	var w fixed.Int26_6
	prev, hasPrev := truetype.Index(0), false
	for _, r := range s {
		i := f.Index(r)
		if hasPrev {
			w += f.Kern(scale, prev, i)
		}
		w += f.HMetric(scale, i).AdvanceWidth
		prev, hasPrev = i, true
	}
	return float64(w) / 64
}

// truncate shortens s with "…" until it is at most maxW pixels wide at size;
// it measures because a CJK character is about twice as wide as a digit.
func truncate(s string, size, maxW float64) string {
	if textWidth(s, size) <= maxW {
		return s
	}
	rs := []rune(s)
	cut := func(n int) string { return strings.TrimRightFunc(string(rs[:n]), unicode.IsSpace) + "…" }
	// The width of cut(n) never decreases with n: binary search for the
	// longest prefix that fits, so a pathological label stays cheap.
	lo, hi := 0, len(rs)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textWidth(cut(mid), size) <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if t := cut(lo); textWidth(t, size) <= maxW {
		return t
	}
	return ""
}

// clean makes a caller's text printable on one line: control characters
// (newlines, tabs, NUL) would break the line layout and are not valid XML.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s))
}

// fmtInt formats n with thousands separators: 12688 → "12,688".
func fmtInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtPercent formats part/total as "56.7%"; total must be positive. A part
// too small to show as 0.1% reads "<0.1%", since "0.0%" would look like none.
func fmtPercent(part, total int) string {
	if part > 0 && float64(part)*1000 < float64(total)*0.5 {
		return "<0.1%"
	}
	return strconv.FormatFloat(float64(part)*100/float64(total), 'f', 1, 64) + "%"
}

// niceTicks returns ticks 0, step, 2·step … up to the first multiple of step
// at or above top, with step 1, 2 or 5 × 10^n and at most about maxTicks
// intervals. Counts are integers, so the step is never below 1.
func niceTicks(top, maxTicks int) []int {
	if top <= 0 {
		return []int{0, 1}
	}
	maxTicks = max(maxTicks, 1)
	for pow := 1; pow <= math.MaxInt/50; pow *= 10 {
		for _, m := range []int{1, 2, 5} {
			step := m * pow
			n := top / step
			if top%step != 0 {
				n++
			}
			if n <= maxTicks {
				ticks := make([]int, n+1)
				for i := range ticks {
					ticks[i] = i * step
				}
				return ticks
			}
		}
	}
	return []int{0, top} // only for counts near MaxInt
}

// parseHex parses "#RRGGBB" or "#RGB"; ok reports whether s was one.
func parseHex(s string) (drawing.Color, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return drawing.Color{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return drawing.Color{}, false
	}
	return drawing.Color{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}, true
}

// hexColor parses a colour this package knows to be valid.
func hexColor(s string) drawing.Color {
	c, _ := parseHex(s)
	return c
}

// barColor returns the colour a caller asked for, or the palette colour at
// position i when it asked for none or for something unparseable.
func barColor(s string, i int) drawing.Color {
	if c, ok := parseHex(s); ok {
		return c
	}
	return hexColor(Palette[((i%len(Palette))+len(Palette))%len(Palette)])
}

// Text on a bar, which keeps its colour in both schemes: kept apart
// from the ground and text colours that darkInk swaps.
var (
	inkOnLight = hexColor("#202020")
	inkOnDark  = hexColor("#FFFFFE")
)

// inkOn returns a text colour readable on the fill c.
func inkOn(c drawing.Color) drawing.Color {
	lum := 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
	if lum > 165 {
		return inkOnLight
	}
	return inkOnDark
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// canvas draws boxes and labels on a go-chart renderer.
type canvas struct {
	r      gochart.Renderer
	svg    bool
	w, h   int
	family string // the font-family go-chart writes into the SVG
	dark   bool
}

// darkInk is the light scheme's ground, text and rules as a dark window
// shows them: layouts name the light colours, the canvas swaps them.
var darkInk = map[drawing.Color]drawing.Color{
	white:     hexColor("#1E1E21"),
	titleInk:  hexColor("#EDEDED"),
	labelInk:  hexColor("#DADADA"),
	mutedInk:  hexColor("#A8A8A8"),
	gridColor: hexColor("#36363A"),
	axisColor: hexColor("#7C7C80"),
	emptyFill: hexColor("#2C2C30"),
}

// ink is col in the canvas's scheme.
func (c *canvas) ink(col drawing.Color) drawing.Color {
	if d, ok := darkInk[col]; ok && c.dark {
		return d
	}
	return col
}

func newCanvas(f Format, w, h int, dark bool) (*canvas, error) {
	ft, err := loadFont()
	if err != nil {
		return nil, err
	}
	c := &canvas{svg: f == SVG, w: w, h: h, dark: dark}
	if c.svg {
		c.r, err = gochart.SVG(w, h)
	} else {
		c.r, err = gochart.PNG(w, h)
	}
	if err != nil {
		return nil, err
	}
	// Font sizes are pixels: the SVG writes size·dpi/72 px and the raster
	// context scales glyphs by size·dpi/64.
	if c.svg {
		c.r.SetDPI(72)
	} else {
		c.r.SetDPI(64)
	}
	c.r.SetFont(ft)
	if name := ft.Name(truetype.NameIDFontFamily); name != "" {
		c.family = fmt.Sprintf("font-family:'%s',sans-serif", name)
	}
	c.fill(image.Rect(0, 0, w, h), white)
	return c, nil
}

// fill draws a filled rectangle without a stroke: pixel-aligned fills stay
// crisp in the anti-aliased PNG, where a 1px stroke would blur over two.
func (c *canvas) fill(r image.Rectangle, col drawing.Color) {
	r = r.Canon()
	if r.Empty() {
		return
	}
	c.r.ResetStyle()
	c.r.SetFillColor(c.ink(col))
	c.r.MoveTo(r.Min.X, r.Min.Y)
	c.r.LineTo(r.Max.X, r.Min.Y)
	c.r.LineTo(r.Max.X, r.Max.Y)
	c.r.LineTo(r.Min.X, r.Max.Y)
	c.r.Close()
	c.r.Fill()
}

func (c *canvas) boxes(bs []box) {
	for _, b := range bs {
		c.fill(b.r, b.color)
	}
}

// text draws l. go-chart's SVG renderer writes the text verbatim, so it is
// escaped here for the SVG only.
func (c *canvas) text(l label) {
	if l.text == "" {
		return
	}
	x := l.rect().Min.X
	c.r.ResetStyle()
	c.r.SetFontSize(l.size)
	c.r.SetFontColor(c.ink(l.color))
	body := l.text
	if c.svg {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(body)) // a strings.Builder never fails
		body = b.String()
	}
	c.r.Text(body, x, l.y)
}

func (c *canvas) texts(ls []label) {
	for _, l := range ls {
		c.text(l)
	}
}

// save writes the image. The SVG gets an explicit size, for viewers that
// would otherwise stretch it, and a font-family list that names the font:
// the font's own family name is not ASCII and go-chart writes it garbled.
func (c *canvas) save(w io.Writer) error {
	if !c.svg {
		return c.r.Save(w)
	}
	var buf bytes.Buffer
	if err := c.r.Save(&buf); err != nil {
		return err
	}
	out := buf.String()
	out = strings.Replace(out, "<svg ", fmt.Sprintf(`<svg width="%d" height="%d" `, c.w, c.h), 1)
	if c.family != "" {
		out = strings.ReplaceAll(out, c.family,
			"font-family:'WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif")
	}
	_, err := io.WriteString(w, out)
	return err
}

// minTitleSize is the smallest a title shrinks to before it wraps.
const minTitleSize = 14.0

// maxTitleLines bounds a wrapped title; only a title too long for this
// many lines at minTitleSize is shortened with "…".
const maxTitleLines = 3

// header is the title of a chart and the y where the content below it
// starts. A title wider than the chart is never cut at once: it shrinks
// down to minTitleSize, then wraps onto more lines.
func header(title string, w int) ([]label, int) {
	title = clean(title)
	if title == "" {
		return nil, margin
	}
	avail := float64(w - 2*margin)
	size := titleSize
	for size > minTitleSize && textWidth(title, size) > avail {
		size--
	}
	lines := wrapText(title, size, avail, maxTitleLines)
	lineH := int(math.Ceil(size * (ascent + descent)))
	y := margin + int(math.Ceil(size*ascent))
	out := make([]label, len(lines))
	for i, t := range lines {
		out[i] = label{text: t, x: w / 2, y: y + i*(lineH+2), size: size, align: alignCenter, color: titleInk}
	}
	last := out[len(out)-1].y
	return out, last + int(math.Ceil(size*descent)) + 14
}

// wrapText breaks s into lines no wider than maxW at size: between words
// where there are spaces, else between any two characters (Chinese has no
// spaces). Past maxLines the last line is shortened with "…".
func wrapText(s string, size, maxW float64, maxLines int) []string {
	var lines []string
	rs := []rune(s)
	for len(rs) > 0 {
		if len(lines) == maxLines-1 || textWidth(string(rs), size) <= maxW {
			lines = append(lines, truncate(string(rs), size, maxW))
			break
		}
		// The longest prefix that fits, then back to a space if there is one.
		n := 1
		for n < len(rs) && textWidth(string(rs[:n+1]), size) <= maxW {
			n++
		}
		if sp := strings.LastIndexFunc(string(rs[:n+1]), unicode.IsSpace); sp > 0 {
			n = len([]rune(string(rs[:n+1])[:sp]))
		}
		lines = append(lines, strings.TrimRightFunc(string(rs[:n]), unicode.IsSpace))
		rs = []rune(strings.TrimLeftFunc(string(rs[n:]), unicode.IsSpace))
	}
	return lines
}

// emptyLabels is what a chart without data shows below its title: a dash
// and a note, centred, so a dashboard reads "nothing yet" rather than broken.
func emptyLabels(w, h, top int, note string) []label {
	cy := float64(top+h) / 2
	return []label{
		{text: "—", x: w / 2, y: baselineFor(cy-12, 28), size: 28, align: alignCenter, color: axisColor},
		{text: note, x: w / 2, y: baselineFor(cy+18, labelSize), size: labelSize, align: alignCenter, color: mutedInk},
	}
}

// swatchLegend places legend entries (a colour square and a text) centred on
// the line y, each entry centred on its own x.
func swatchLegend(items []string, colors []drawing.Color, xs []int, y float64) ([]box, []label) {
	var bs []box
	var ls []label
	const sq = 12
	for i, it := range items {
		tw := int(math.Ceil(textWidth(it, legendSize)))
		x0 := xs[i] - (sq+6+tw)/2
		top := int(math.Round(y)) - sq/2
		bs = append(bs, box{image.Rect(x0, top, x0+sq, top+sq), colors[i]})
		ls = append(ls, label{text: it, x: x0 + sq + 6, y: baselineFor(y, legendSize), size: legendSize, color: labelInk})
	}
	return bs, ls
}

// paren puts a number after a label in brackets of the label's script:
// 男（7,538）, Men (7,538).
func paren(label, s string) string {
	for _, r := range label {
		if r >= 0x2E80 {
			return "（" + s + "）"
		}
	}
	return " (" + s + ")"
}

// pairs reads two series of counts over labels (a count missing or below
// zero is 0): the cleaned labels, the counts, the largest and each total.
func pairs(labels []string, a, b []int) (names []string, x, y []int, maxV, totX, totY int) {
	n := len(labels)
	names, x, y = make([]string, n), make([]int, n), make([]int, n)
	for i := range labels {
		x[i], y[i] = countAt(a, i), countAt(b, i)
		names[i] = clean(labels[i])
		maxV = max(maxV, x[i], y[i])
		totX += x[i]
		totY += y[i]
	}
	return names, x, y, maxV, totX, totY
}
