package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/widgets"
)

// officeScreen is the commonest office screen.
var officeScreen = fyne.NewSize(1366, 768)

// sortsAndFits checks a table as the window shows it at 1366×768: a tap on
// column col's header puts the rows in that column's order and a second
// tap in the other (the column must hold at least two different texts),
// every header is whole, and the columns fit the table's width, so that
// nothing needs scrolling sideways.
func sortsAndFits[T any](t *testing.T, w fyne.Window, dt *widgets.DataTable[T], col int) {
	t.Helper()
	w.Resize(officeScreen)
	n := len(dt.Rows())
	if n < 2 {
		t.Fatalf("%d rows: too few to sort", n)
	}
	column := func() []string {
		out := make([]string, n)
		for i := range out {
			out[i] = dt.CellText(i, col)
		}
		return out
	}
	first := column()[0]
	header := headerButton(t, dt, col)
	test.Tap(header)
	up := column()
	test.Tap(header)
	down := column()
	for i := 1; i < n; i++ {
		if up[i-1] > up[i] || down[i-1] < down[i] {
			t.Fatalf("column %d not sorted by its header: %q then %q (first was %q)", col, up, down, first)
		}
	}
	if up[0] == down[0] {
		t.Fatalf("column %d: one text in every row, the sort shows nothing: %q", col, up)
	}
	if !strings.HasSuffix(header.Text, "↓") {
		t.Errorf("the header does not say the order: %q", header.Text)
	}
	fits(t, dt)
}

// fits checks that every header of dt is whole and that its columns fit
// the table's width, so that nothing needs scrolling sideways.
func fits[T any](t *testing.T, dt *widgets.DataTable[T]) {
	t.Helper()
	width := dt.Content().Size().Width
	if width < 300 {
		t.Fatalf("the table is %v wide: not laid out in the window", width)
	}
	var sum float32
	widths := dt.Widths()
	for i, cw := range widths {
		sum += cw + theme.Padding()
		title := dt.Title(i)
		headerButton(t, dt, i)
		if need := fyne.MeasureText(title, theme.TextSize(), fyne.TextStyle{}).Width; cw < need {
			t.Errorf("column %q is %v wide, its header needs %v", title, cw, need)
		}
	}
	if sum > width {
		t.Errorf("columns %v take %v of a table %v wide", widths, sum, width)
	}
}

// headerButton finds the header of column col as the table draws it.
func headerButton[T any](t *testing.T, dt *widgets.DataTable[T], col int) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(dt.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && strings.TrimRight(b.Text, " ↑↓") == dt.Title(col) {
			return b
		}
	}
	t.Fatalf("no header %q drawn", dt.Title(col))
	return nil
}

// TestTheSyncConflictsTableSortsAndFits: the conflicts a round left, as the
// sync screen lists them.
func TestTheSyncConflictsTableSortsAndFits(t *testing.T) {
	u, w := newTestUI(t, 0)
	u.showTab(u.sync.content)
	drain(t)
	u.sync.table.SetRows([]model.SyncConflict{
		{Label: "李四", Field: "phone", Kept: "139****2222", Lost: "139****3333", At: "2026-11-02T09:00:00Z"},
		{Label: "张三", Field: "phone", Kept: "138****0000", Lost: "138****1111", At: "2026-11-01T09:00:00Z"},
	})
	sortsAndFits(t, w, u.sync.table, 4) // by when
}

// TestTheRowsOfAMatchTableSortsAndFits: the rows of a list the registry
// does not hold, shown over the match's result.
func TestTheRowsOfAMatchTableSortsAndFits(t *testing.T) {
	u, w := newTestUI(t, 0)
	res := &app.MatchResult{File: "补贴名单.xlsx", Groups: map[app.MatchGroup][]app.MatchRow{app.MatchMissing: {
		{Sheet: "Sheet1", Row: 3, Name: "王五", IDNumber: "110101199001011234"},
		{Sheet: "Sheet1", Row: 2, Name: "赵六", IDNumber: "110101198001011234"},
	}}}
	u.showMatchRows(res, app.MatchMissing)
	sortsAndFits(t, w, u.lastMatchRows, 1) // by row
}

// TestTheVisitsTableSortsAndFits: the day's visits, as the gate lists them.
func TestTheVisitsTableSortsAndFits(t *testing.T) {
	u, w := newTestUI(t, 40)
	compounds, err := u.app.Compounds(u.ctx, u.actor)
	if err != nil || len(compounds) == 0 {
		t.Fatalf("compounds %v, %v", compounds, err)
	}
	for _, name := range []string{"乙来访", "甲来访"} {
		if _, err := u.app.RegisterVisit(u.ctx, u.actor, app.VisitInput{CompoundID: compounds[0].ID, Name: name, Reason: "探亲"}); err != nil {
			t.Fatal(err)
		}
	}
	u.showTab(u.visitors.content)
	drain(t)
	sortsAndFits(t, w, u.visitors.table, 2) // by name
}
