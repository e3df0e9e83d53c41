package charts

import (
	"image"
	"math"
	"strings"
)

// Share layout constants in pixels.
const (
	shareMinRow    = 44 // smallest pitch of the stacked bars
	shareMaxRow    = 84
	shareMaxThick  = 44
	shareLegendH   = 24 // pitch of the legend lines
	shareLegendGap = 18 // between the last bar and the legend
	shareGroupGap  = 8  // extra space between two groups' legend lines
	swatch         = 12
)

// sharePart is a cleaned-up part of a group.
type sharePart struct {
	name  string
	value int
	color string
}

// partText is the legend text of a part: name, count and, when the group
// has any, percent.
func partText(p sharePart, total int) string {
	t := p.name + " " + fmtInt(p.value)
	if total > 0 {
		t += paren(p.name, fmtPercent(p.value, total))
	}
	return t
}

// shareLegend flows the legend entries of every group into lines from x0
// to the right margin, each group on new lines with its name right-aligned
// in the label column like the bars above; it returns boxes and labels
// placed relative to y = 0 (the first line's centre) and their height.
func shareLegend(groups [][]sharePart, totals []int, names []string, x0, w int, labelW float64) ([]box, []label, int) {
	var bs []box
	var ls []label
	line := 0
	right := w - margin
	for g, parts := range groups {
		if g > 0 {
			line++
		}
		y := float64(line*shareLegendH + g*shareGroupGap)
		ls = append(ls, label{text: truncate(names[g], legendSize, labelW), x: x0 - 12, y: baselineFor(y, legendSize),
			size: legendSize, align: alignRight, color: mutedInk})
		x := x0
		for i, p := range parts {
			t := truncate(partText(p, totals[g]), legendSize, float64(right-x0-swatch-6))
			iw := swatch + 6 + int(math.Ceil(textWidth(t, legendSize)))
			if x > x0 && x+iw > right {
				line++
				x = x0
				y = float64(line*shareLegendH + g*shareGroupGap)
			}
			top := int(math.Round(y)) - swatch/2
			bs = append(bs, box{image.Rect(x, top, x+swatch, top+swatch), barColor(p.color, i)})
			ls = append(ls, label{text: t, x: x + swatch + 6, y: baselineFor(y, legendSize), size: legendSize, color: labelInk})
			x += iw + 24
		}
	}
	return bs, ls, (line+1)*shareLegendH + (len(groups)-1)*shareGroupGap
}

// segmentText returns the longest of the part's labels that fits in a
// segment avail pixels wide, or "".
func segmentText(p sharePart, total int, avail float64) string {
	pct := fmtPercent(p.value, total)
	for _, t := range []string{
		p.name + " " + fmtInt(p.value) + paren(p.name, pct),
		p.name + " " + pct,
		pct,
	} {
		if textWidth(t, valueSize) <= avail {
			return t
		}
	}
	return ""
}

// layoutShare lays out s: a label column, one 100% bar per group with the
// group's total at its end, and the legend below the bars.
func layoutShare(s Share, o Options) *scene {
	w, h := o.size()
	title, top := header(s.Title, w)
	ng := len(s.Groups)
	groups := make([][]sharePart, ng)
	names := make([]string, ng)
	totals := make([]int, ng)
	grand := 0
	for g, sg := range s.Groups {
		names[g] = clean(sg.Label)
		for _, p := range sg.Parts {
			v := max(p.Value, 0)
			groups[g] = append(groups[g], sharePart{name: clean(p.Label), value: v, color: p.Color})
			totals[g] += v
		}
		grand += totals[g]
	}
	if grand == 0 {
		return emptyScene(title, w, h, top, o.Empty)
	}

	labelW, totW := 0.0, 0.0
	totTexts := make([]string, ng)
	for g := range groups {
		labelW = max(labelW, textWidth(names[g], labelSize))
		totTexts[g] = strings.TrimSpace(s.Total + " " + fmtInt(totals[g]))
		totW = max(totW, textWidth(totTexts[g], valueSize))
	}
	labelW = min(labelW, float64(w)*0.25)
	x0 := margin + int(math.Ceil(labelW)) + 12
	x1 := w - margin - int(math.Ceil(totW)) - 10
	plotW := max(x1-x0, 1)

	lb, ll, legendH := shareLegend(groups, totals, names, x0, w, labelW)
	// The block is the bars from the first one's top to the last one's
	// bottom, a gap, then the legend lines.
	avail := h - top - margin - shareLegendGap - legendH
	rowH := clampInt(avail/max(ng, 1), shareMinRow, shareMaxRow)
	thick := min(int(math.Round(float64(rowH)*0.62)), shareMaxThick)
	blockH := (ng-1)*rowH + thick + shareLegendGap + legendH
	h = clampInt(max(h, top+blockH+margin), minSide, maxSide)
	// Centre the block in the space under the title.
	y0 := top + max(0, (h-margin-top-blockH)/2)

	sc := &scene{w: w, h: h}
	sc.labels = append(sc.labels, title...)
	for g, parts := range groups {
		y := y0 + g*rowH
		cy := float64(y) + float64(thick)/2
		bar := image.Rect(x0, y, x0+plotW, y+thick)
		sc.labels = append(sc.labels,
			label{text: truncate(names[g], labelSize, labelW), x: x0 - 12, y: baselineFor(cy, labelSize),
				size: labelSize, align: alignRight, color: labelInk},
			label{text: totTexts[g], x: x1 + 10, y: baselineFor(cy, valueSize), size: valueSize, color: mutedInk})
		if totals[g] == 0 {
			sc.boxes = append(sc.boxes, box{bar, emptyFill})
			sc.labels = append(sc.labels, label{text: o.Empty, x: x0 + plotW/2, y: baselineFor(cy, valueSize),
				size: valueSize, align: alignCenter, color: mutedInk})
			continue
		}
		// Segment edges come from the running sum so rounding never
		// leaves a gap or overshoots the bar.
		cum := 0
		for i, p := range parts {
			xa := x0 + int(math.Round(float64(cum)*float64(plotW)/float64(totals[g])))
			cum += p.value
			xb := x0 + int(math.Round(float64(cum)*float64(plotW)/float64(totals[g])))
			if p.value == 0 {
				continue
			}
			xb = max(xb, xa+1)
			seg := image.Rect(xa, y, xb, y+thick)
			if cum < totals[g] && xb-xa > 2 {
				seg.Max.X-- // a white hairline between neighbours
			}
			col := barColor(p.color, i)
			sc.boxes = append(sc.boxes, box{seg, col})
			if t := segmentText(p, totals[g], float64(seg.Dx()-10)); t != "" {
				sc.labels = append(sc.labels, label{text: t, x: (seg.Min.X + seg.Max.X) / 2,
					y: baselineFor(cy, valueSize), size: valueSize, align: alignCenter, color: inkOn(col)})
			}
		}
	}

	// The legend goes below the bars, never over them.
	ly := y0 + (ng-1)*rowH + thick + shareLegendGap + shareLegendH/2
	for _, b := range lb {
		sc.boxes = append(sc.boxes, box{b.r.Add(image.Pt(0, ly)), b.color})
	}
	for _, l := range ll {
		l.y += ly
		sc.labels = append(sc.labels, l)
	}
	return sc
}
