package charts

import (
	"image"
	"math"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// Pyramid layout constants in pixels.
const (
	pyramidMinRow  = 16 // smallest row pitch; the chart grows past it
	pyramidMaxRow  = 40 // largest row pitch, for pyramids of a few bands
	pyramidLegendH = 30 // legend line between the title and the bars
)

// countAt returns vs[i], or 0 when vs is short or the count is negative:
// callers may pass fewer counts than bands.
func countAt(vs []int, i int) int {
	if i < len(vs) {
		return max(vs[i], 0)
	}
	return 0
}

// layoutPyramid lays out p: men grow left and women right from a middle
// column of band labels, both on one scale so the sides compare.
func layoutPyramid(p Pyramid, o Options) *scene {
	w, h := o.size()
	title, top := header(p.Title, w)
	bands, men, women, maxV, menTotal, womenTotal := pairs(p.Bands, p.Men, p.Women)
	n := len(bands)
	if maxV == 0 {
		return emptyScene(title, w, h, top, o.Empty)
	}
	menLabel, womenLabel := clean(p.MenLabel), clean(p.WomenLabel)
	if menLabel == "" {
		menLabel = "男"
	}
	if womenLabel == "" {
		womenLabel = "女"
	}

	axisH := tickAreaHeight()
	plotTop := top + pyramidLegendH
	h = clampInt(max(h, plotTop+n*pyramidMinRow+axisH+margin), minSide, maxSide)
	plotTop, plotBottom := centreRows(plotTop, h-margin-axisH, n, pyramidMaxRow)
	rowH := float64(plotBottom-plotTop) / float64(n)
	bandSize := min(12, rowH*0.72)
	valSize := min(11, rowH*0.66)

	// Middle column for the band labels; outer margins for the counts
	// printed beyond the bar ends.
	midW, valW := 0.0, 0.0
	for i := range bands {
		midW = max(midW, textWidth(bands[i], bandSize))
		valW = max(valW, textWidth(fmtInt(men[i]), valSize), textWidth(fmtInt(women[i]), valSize))
	}
	mid := max(40, int(math.Ceil(midW))+16)
	mid = min(mid, w/4)
	out := int(math.Ceil(valW)) + 6
	half := (w - 2*margin - mid - 2*out) / 2
	if half < 60 { // narrow chart: drop the counts before the bars
		out = 0
		half = (w - 2*margin - mid) / 2
	}
	half = max(half, 1)
	leftEdge := margin + out
	midX0 := leftEdge + half
	midX1 := midX0 + mid
	rightEdge := midX1 + half

	ticks := niceTicks(maxV, max(2, half/70))
	scaleTop := ticks[len(ticks)-1]
	lenOf := func(v int) int {
		return int(math.Round(float64(v) * float64(half) / float64(scaleTop)))
	}

	s := &scene{w: w, h: h}
	s.labels = append(s.labels, title...)
	for _, t := range ticks {
		d := lenOf(t)
		if t > 0 {
			s.boxes = append(s.boxes,
				box{image.Rect(midX0-d-1, plotTop, midX0-d, plotBottom), gridColor},
				box{image.Rect(midX1+d, plotTop, midX1+d+1, plotBottom), gridColor})
		}
		s.labels = append(s.labels, tickLabel(t, midX0-d, plotBottom, w), tickLabel(t, midX1+d, plotBottom, w))
	}

	menColor, womenColor := hexColor(MenColor), hexColor(WomenColor)
	gap := max(2, int(math.Round(rowH*0.18)))
	thick := max(1, int(math.Round(rowH))-gap)
	for i := range bands {
		row := n - 1 - i // youngest at the bottom
		cy := float64(plotTop) + (float64(row)+0.5)*rowH
		y := int(math.Round(cy - float64(thick)/2))
		dm, dw := lenOf(men[i]), lenOf(women[i])
		if men[i] > 0 {
			dm = max(dm, 1)
			s.boxes = append(s.boxes, box{image.Rect(midX0-dm, y, midX0, y+thick), menColor})
		}
		if women[i] > 0 {
			dw = max(dw, 1)
			s.boxes = append(s.boxes, box{image.Rect(midX1, y, midX1+dw, y+thick), womenColor})
		}
		s.labels = append(s.labels, label{text: truncate(bands[i], bandSize, float64(mid-8)),
			x: (midX0 + midX1) / 2, y: baselineFor(cy, bandSize), size: bandSize, align: alignCenter, color: labelInk})
		if out > 0 {
			vy := baselineFor(cy, valSize)
			if men[i] > 0 {
				s.labels = append(s.labels, label{text: fmtInt(men[i]), x: midX0 - dm - 4, y: vy,
					size: valSize, align: alignRight, color: mutedInk})
			}
			if women[i] > 0 {
				s.labels = append(s.labels, label{text: fmtInt(women[i]), x: midX1 + dw + 4, y: vy,
					size: valSize, color: mutedInk})
			}
		}
	}
	s.boxes = append(s.boxes,
		box{image.Rect(midX0-1, plotTop, midX0, plotBottom), axisColor},
		box{image.Rect(midX1, plotTop, midX1+1, plotBottom), axisColor})

	// Each side's legend sits over its own half, with the side's total.
	items := []string{
		truncate(menLabel+paren(menLabel, fmtInt(menTotal)), legendSize, float64(half)),
		truncate(womenLabel+paren(womenLabel, fmtInt(womenTotal)), legendSize, float64(half)),
	}
	lb, ll := swatchLegend(items, []drawing.Color{menColor, womenColor},
		[]int{(leftEdge + midX0) / 2, (midX1 + rightEdge) / 2}, float64(plotTop-pyramidLegendH/2-4))
	s.boxes = append(s.boxes, lb...)
	s.labels = append(s.labels, ll...)
	return s
}
