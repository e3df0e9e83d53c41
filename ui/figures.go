package ui

import (
	"strconv"
	"strings"

	"shequ/ui/widgets"
)

// newFiguresTable is a table of a report's figures (rows of cells, as the
// workbook that saves them has them), headed by head, one column per
// width: the first names the group, the rest sort as numbers where they
// are numbers.
func newFiguresTable(head []string, widths []float32) *widgets.DataTable[[]string] {
	cols := make([]widgets.Column[[]string], len(widths))
	for i, w := range widths {
		cell := func(r []string) string {
			if i < len(r) {
				return r[i]
			}
			return ""
		}
		cols[i] = widgets.Column[[]string]{Title: head[i], Width: w, Grow: i == 0, Text: cell, Less: func(a, b []string) bool {
			x, errX := figure(cell(a))
			y, errY := figure(cell(b))
			if errX != nil || errY != nil {
				return cell(a) < cell(b)
			}
			return x < y
		}}
	}
	return widgets.NewDataTable(cols)
}

// figure reads a cell as a number: 12, 3.5, 87.5%.
func figure(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
}

// showFigures puts a report's figures in t: rows[0] names the columns,
// and the row at total (its index in rows; -1: none) stays last, in bold.
func showFigures(t *widgets.DataTable[[]string], rows [][]string, total int) {
	if len(rows) == 0 {
		t.SetRows(nil)
		t.SetFooter()
		return
	}
	for i, title := range rows[0] {
		if i < len(t.Widths()) {
			t.SetTitle(i, title)
		}
	}
	var body [][]string
	var foot [][]string
	for i, r := range rows[1:] {
		if i+1 == total {
			foot = append(foot, r)
		} else {
			body = append(body, r)
		}
	}
	t.SetRows(body)
	t.SetFooter(foot...)
}
