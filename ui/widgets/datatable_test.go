package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

type figure struct {
	name string
	n    string
}

var figureCols = []Column[figure]{
	{Title: "名称", Width: 80, Text: func(f figure) string { return f.name }},
	{Title: "数量", Width: 60, Text: func(f figure) string { return f.n }},
}

// cell is what row shows in column col, drawn as the table draws it.
func cell[T any](t *DataTable[T], row, col int) *TapLabel {
	l := NewTapLabel()
	t.update(widget.TableCellID{Row: row, Col: col}, l)
	return l
}

// TestTheTotalsStayUnderTheSortedRows: a table of figures sorts its rows
// by a header; its totals row stays last, in bold.
func TestTheTotalsStayUnderTheSortedRows(t *testing.T) {
	test.NewTempApp(t)
	dt := NewDataTable(figureCols)
	dt.SetRows([]figure{{"甲", "1"}, {"乙", "2"}})
	dt.SetFooter(figure{"合计", "3"})
	dt.SortBy(1, true)
	if got := []string{dt.CellText(0, 0), dt.CellText(1, 0)}; got[0] != "乙" || got[1] != "甲" {
		t.Fatalf("sorted down by number: %v", got)
	}
	if l := cell(dt, 2, 0); l.Text != "合计" || !l.TextStyle.Bold {
		t.Fatalf("row 3 is %q (bold %v), want the totals in bold", l.Text, l.TextStyle.Bold)
	}
	if l := cell(dt, 0, 0); l.TextStyle.Bold {
		t.Fatal("a row of figures drawn in bold")
	}
}

// TestAPagedTableAsksItsPagesForAnOrder: rows too many to hold are read
// from pages; a header asks the pages for the order, a row not yet read
// shows …, and Enter opens the row chosen.
func TestAPagedTableAsksItsPagesForAnOrder(t *testing.T) {
	test.NewTempApp(t)
	rows := []figure{{"甲", "1"}, {"乙", "2"}, {"丙", "3"}}
	var asked []int
	var opened figure
	dt := NewPagedTable(figureCols, &Pages[figure]{
		Len: func() int { return len(rows) },
		Row: func(i int) (figure, bool) { return rows[i], i != 2 }, // the last is being read
		Sort: func(col int, desc bool) {
			asked = append(asked, col)
			if desc {
				rows[0], rows[1] = rows[1], rows[0]
			}
		},
	})
	dt.OnActivated = func(f figure) { opened = f }
	dt.SortBy(1, true)
	if len(asked) != 1 || asked[0] != 1 || dt.CellText(0, 0) != "乙" {
		t.Fatalf("asked for %v; first row %q", asked, dt.CellText(0, 0))
	}
	if l := cell(dt, 2, 0); l.Text != "…" {
		t.Fatalf("a row being read shows %q", l.Text)
	}
	dt.Table().Select(widget.TableCellID{Row: 1})
	dt.Table().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if opened.name != "甲" {
		t.Fatalf("Enter opened %+v", opened)
	}
}
