package charts

import (
	"image"
	"math"
)

// scene is a laid-out chart: boxes are drawn first, in order, then labels.
type scene struct {
	w, h   int
	boxes  []box
	labels []label
}

func (s *scene) size() (int, int) { return s.w, s.h }

func (s *scene) draw(c *canvas) {
	c.boxes(s.boxes)
	c.texts(s.labels)
}

// emptyScene is a chart with only its title and the "no data" mark.
func emptyScene(title []label, w, h, top int, note string) *scene {
	return &scene{w: w, h: h, labels: append(title, emptyLabels(w, h, top, note)...)}
}

// barsLayout is a laid-out Bars chart; rowLabels and ticks are kept apart so
// tests can check that labels never overlap and the axis starts at zero.
type barsLayout struct {
	scene
	rowLabels []label
	ticks     []int
}

// Bars layout constants in pixels.
const (
	barsMinRow   = 20 // smallest row pitch: keeps 13px labels (16px boxes) apart
	barsMaxRow   = 48 // largest row pitch, so a few bars do not float apart
	barsMaxThick = 30 // thickest bar, so a few bars do not turn into slabs
)

// tickAreaHeight is the room below a plot for its tick labels.
func tickAreaHeight() int {
	return 6 + int(math.Ceil(tickSize*(ascent+descent))) + 4
}

// layoutBars lays out b; the height grows past o.Height when the bars need it.
func layoutBars(b Bars, o Options) *barsLayout {
	w, h := o.size()
	title, top := header(b.Title, w)
	n := len(b.Bars)
	unit := clean(b.Unit)
	vals := make([]int, n)
	names := make([]string, n)
	maxV := 0
	for i, bar := range b.Bars {
		vals[i] = max(bar.Value, 0) // a count below zero is bad data; draw none
		names[i] = clean(bar.Label)
		maxV = max(maxV, vals[i])
	}
	if maxV == 0 {
		return &barsLayout{scene: *emptyScene(title, w, h, top, o.Empty)}
	}

	axisH := tickAreaHeight()
	h = clampInt(max(h, top+n*barsMinRow+axisH+margin), minSide, maxSide)
	plotTop, plotBottom := centreRows(top, h-margin-axisH, n, barsMaxRow)
	rowH := float64(plotBottom-plotTop) / float64(n)

	// The label column is as wide as the widest label, up to 25% of the
	// width; the right margin fits the widest count printed at a bar's end.
	widest, valW := 0.0, 0.0
	valTexts := make([]string, n)
	for i := range vals {
		widest = max(widest, textWidth(names[i], labelSize))
		valTexts[i] = fmtInt(vals[i]) + unit
		valW = max(valW, textWidth(valTexts[i], valueSize))
	}
	labelW := min(widest, max(60, float64(w)*0.25))
	x1 := w - margin - int(math.Ceil(valW)) - 6
	x0 := margin + int(math.Ceil(labelW)) + 10
	if x1-x0 < 60 { // narrow chart: the plot wins over the labels
		labelW = max(0, labelW-float64(60-(x1-x0)))
		x0 = margin + int(math.Ceil(labelW)) + 10
	}
	plotW := max(x1-x0, 1)

	ticks := niceTicks(maxV, max(2, plotW/80))
	scaleTop := ticks[len(ticks)-1]
	xOf := func(v int) int {
		return x0 + int(math.Round(float64(v)*float64(plotW)/float64(scaleTop)))
	}

	l := &barsLayout{scene: scene{w: w, h: h}, ticks: ticks}
	l.labels = append(l.labels, title...)
	for _, t := range ticks {
		x := xOf(t)
		if t > 0 {
			l.boxes = append(l.boxes, box{image.Rect(x, plotTop, x+1, plotBottom), gridColor})
		}
		l.labels = append(l.labels, tickLabel(t, x, plotBottom, w))
	}

	thick := clampInt(int(math.Round(rowH*0.68)), 1, barsMaxThick)
	for i, v := range vals {
		cy := float64(plotTop) + (float64(i)+0.5)*rowH
		y := int(math.Round(cy - float64(thick)/2))
		end := xOf(v)
		if v > 0 && end == x0 {
			end = x0 + 1 // a small count still shows
		}
		if v > 0 {
			l.boxes = append(l.boxes, box{image.Rect(x0, y, end, y+thick), barColor(b.Bars[i].Color, i)})
		}
		rl := label{text: truncate(names[i], labelSize, labelW), x: x0 - 10, y: baselineFor(cy, labelSize),
			size: labelSize, align: alignRight, color: labelInk}
		l.rowLabels = append(l.rowLabels, rl)
		l.labels = append(l.labels, rl, label{text: valTexts[i], x: end + 5, y: baselineFor(cy, valueSize),
			size: valueSize, color: mutedInk})
	}
	l.boxes = append(l.boxes, box{image.Rect(x0, plotTop, x0+1, plotBottom), axisColor})
	return l
}

// centreRows returns the rows' span within top..bottom: all of it, or, when
// rows would be more than maxRow apart, n·maxRow centred in it.
func centreRows(top, bottom, n, maxRow int) (int, int) {
	if bottom-top <= n*maxRow {
		return top, bottom
	}
	top += (bottom - top - n*maxRow) / 2
	return top, top + n*maxRow
}

// tickLabel is the value t centred under x on a horizontal value axis whose
// plot ends at bottom, kept inside the image.
func tickLabel(t, x, bottom, w int) label {
	s := fmtInt(t)
	half := int(math.Ceil(textWidth(s, tickSize) / 2))
	x = clampInt(x, half+2, w-half-2)
	return label{text: s, x: x, y: bottom + 6 + int(math.Ceil(tickSize*ascent)),
		size: tickSize, align: alignCenter, color: mutedInk}
}
