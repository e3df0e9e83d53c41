package charts

import (
	"image"
	"math"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// Months layout constants in pixels.
const (
	monthsLegendH = 30 // legend line between the title and the plot
	monthsValSize = 10.0
)

// labelStep returns how many months one x label stands for so that labels
// slot pixels apart and need pixels wide never overlap; steps of 2, 3, 4, 6
// and 12 months keep the shown months on quarters and years.
func labelStep(slot, need float64) int {
	if slot <= 0 {
		return 1
	}
	for _, s := range []int{1, 2, 3, 4, 6, 12} {
		if float64(s)*slot >= need {
			return s
		}
	}
	return 12 * int(math.Ceil(need/(12*slot)))
}

// centredLegend places legend entries side by side, centred on the chart.
func centredLegend(items []string, colors []drawing.Color, w int, y float64) ([]box, []label) {
	const gap = 28
	widths := make([]int, len(items))
	total := gap * (len(items) - 1)
	for i, it := range items {
		widths[i] = swatch + 6 + int(math.Ceil(textWidth(it, legendSize)))
		total += widths[i]
	}
	x := w/2 - total/2
	xs := make([]int, len(items))
	for i := range items {
		xs[i] = x + widths[i]/2
		x += widths[i] + gap
	}
	return swatchLegend(items, colors, xs, y)
}

// layoutMonths lays out m: per month an in bar and an out bar side by side
// on one y axis from zero, month labels thinned out to fit.
func layoutMonths(m Months, o Options) *scene {
	w, h := o.size()
	title, top := header(m.Title, w)
	months, in, out, maxV, inTotal, outTotal := pairs(m.Months, m.In, m.Out)
	n := len(months)
	if maxV == 0 {
		return emptyScene(title, w, h, top, o.Empty)
	}
	inLabel, outLabel := clean(m.InLabel), clean(m.OutLabel)
	if inLabel == "" {
		inLabel = "迁入"
	}
	if outLabel == "" {
		outLabel = "迁出"
	}
	inCol, outCol := hexColor(inColor), hexColor(outColor)

	sc := &scene{w: w, h: h}
	sc.labels = append(sc.labels, title...)
	lb, ll := centredLegend([]string{inLabel + paren(inLabel, fmtInt(inTotal)), outLabel + paren(outLabel, fmtInt(outTotal))},
		[]drawing.Color{inCol, outCol}, w, float64(top+monthsLegendH/2-4))
	sc.boxes = append(sc.boxes, lb...)
	sc.labels = append(sc.labels, ll...)

	// Room above the plot for a count printed over the tallest bar.
	plotTop := top + monthsLegendH + int(math.Ceil(monthsValSize*(ascent+descent)))
	plotBottom := max(h-margin-tickAreaHeight(), plotTop+1)
	plotH := plotBottom - plotTop
	ticks := niceTicks(maxV, max(2, plotH/36))
	scaleTop := ticks[len(ticks)-1]
	yOf := func(v int) int {
		return plotBottom - int(math.Round(float64(v)*float64(plotH)/float64(scaleTop)))
	}

	yLabW := 0.0
	for _, t := range ticks {
		yLabW = max(yLabW, textWidth(fmtInt(t), tickSize))
	}
	x0 := margin + int(math.Ceil(yLabW)) + 8
	x1 := w - margin
	plotW := max(x1-x0, 1)
	for _, t := range ticks {
		y := yOf(t)
		if t > 0 {
			sc.boxes = append(sc.boxes, box{image.Rect(x0, y, x1, y+1), gridColor})
		}
		sc.labels = append(sc.labels, label{text: fmtInt(t), x: x0 - 8, y: baselineFor(float64(y), tickSize),
			size: tickSize, align: alignRight, color: mutedInk})
	}

	slot := float64(plotW) / float64(n)
	bw := max(1, int(slot*0.72-1)/2) // two bars and a 1px gap in 72% of a slot
	need := 0.0
	for _, s := range months {
		need = max(need, textWidth(s, tickSize))
	}
	step := labelStep(slot, need+12)
	// Counts go over the bars only when every one fits with room to spare
	// beside its neighbour's; a few missing counts would read as zeros.
	widest := 0.0
	for i := range months {
		widest = max(widest, textWidth(fmtInt(in[i]), monthsValSize), textWidth(fmtInt(out[i]), monthsValSize))
	}
	showCounts := widest+4 <= float64(bw+1)
	for i := range months {
		cx := float64(x0) + (float64(i)+0.5)*slot
		gx := int(math.Round(cx - float64(2*bw+1)/2)) // in bar left of the centre, out bar right
		for k, v := range []int{in[i], out[i]} {
			if v == 0 {
				continue
			}
			bx := gx + k*(bw+1)
			yt := min(yOf(v), plotBottom-1)
			col := inCol
			if k == 1 {
				col = outCol
			}
			sc.boxes = append(sc.boxes, box{image.Rect(bx, yt, bx+bw, plotBottom), col})
			s := fmtInt(v)
			if showCounts {
				sc.labels = append(sc.labels, label{text: s, x: bx + bw/2, y: yt - 3 - int(math.Ceil(monthsValSize*descent)),
					size: monthsValSize, align: alignCenter, color: mutedInk})
			}
		}
		if i%step == 0 {
			l := tickLabel(0, int(math.Round(cx)), plotBottom, w)
			l.text = months[i]
			half := int(math.Ceil(textWidth(l.text, tickSize) / 2))
			l.x = clampInt(l.x, half+2, w-half-2)
			sc.labels = append(sc.labels, l)
		}
	}
	sc.boxes = append(sc.boxes, box{image.Rect(x0, plotBottom, x1, plotBottom+1), axisColor})
	return sc
}
