package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/charts"
	"shequ/ui/i18n"
	"shequ/ui/report"
	"shequ/ui/widgets"
)

// dashboard is the 数据看板: a manager's headline counts and charts of an
// area or cohort; every number and chart opens the residents behind it.
type dashboard struct {
	u            *UI
	content      fyne.CanvasObject
	areas        *areaPicker
	cohort       *app.CohortFilter
	subject      *widget.Label
	heads        *fyne.Container
	charts       map[report.Kind]*chartView
	detail       *widgets.DataTable[row] // the numbers of the chart opened large
	stats        *app.Stats
	loads        int // the latest load; older results are dropped
	cohortBtn    *widget.Button
	reportBtn    *widget.Button
	cohortDialog *cohortBuilder
}

// cardWidth is the least width of a chart on the dashboard; it grows with
// the window, as tall as cardAspect of its width, two abreast, three on a
// screen wide enough for three of cardsWide.
const (
	cardWidth  = 300
	cardAspect = 0.62
	cardsWide  = 560
)

func newDashboard(u *UI) *dashboard {
	d := &dashboard{u: u, charts: map[report.Kind]*chartView{}}
	d.areas = newAreaPicker(u, d.reload)
	d.cohortBtn = widget.NewButtonWithIcon(i18n.L("cohort.button"), theme.AccountIcon(), func() {
		u.openCohort(d, d.cohort, func(b *cohortBuilder) { d.cohortDialog = b })
	})
	clear := widget.NewButtonWithIcon(i18n.L("filter.clear"), theme.ContentClearIcon(), func() {
		d.areas.clear()
		d.cohort = nil
		d.reload()
	})
	d.reportBtn = widget.NewButtonWithIcon(i18n.L("dashboard.report"), theme.DocumentSaveIcon(), d.writeReport)
	d.subject = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.subject.Truncation = fyne.TextTruncateEllipsis
	bar := widgets.NewBar(container.NewGridWithColumns(3, d.areas.levels[0], d.areas.levels[1], d.areas.levels[2]), areasWidth,
		d.cohortBtn, clear, d.reportBtn)
	d.heads = container.NewGridWithColumns(5)
	grid := container.New(&cardGrid{})
	for _, k := range report.Kinds {
		kind := k
		img := newChartView(u, cardWidth, cardAspect, func() { d.openChart(kind) })
		d.charts[k] = img
		open := widget.NewButtonWithIcon(i18n.L("dashboard.numbers"), theme.ListIcon(), func() { d.openChart(kind) })
		save := widget.NewButtonWithIcon(i18n.L("dashboard.save"), theme.DownloadIcon(), func() { d.saveChart(kind) })
		open.Importance, save.Importance = widget.LowImportance, widget.LowImportance
		// Top-aligned: a pyramid is taller than a chart of two bars.
		grid.Add(container.NewVBox(img, container.NewHBox(layout.NewSpacer(), open, save)))
	}
	top := container.NewVBox(bar, d.subject, d.heads)
	d.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(grid))
	return d
}

// cardGrid lays the dashboard's charts out in rows of two, or three when
// each can still be cardsWide: on a large screen more charts are in view
// at once, each still larger than on a laptop.
type cardGrid struct {
	width float32 // the width last laid out: MinSize's rows follow it
}

func (g *cardGrid) columns(width float32) int {
	return max(1, min(3, int(width/cardsWide)), min(2, int(width/cardWidth)))
}

func (g *cardGrid) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	g.width = size.Width
	cols, pad := g.columns(size.Width), theme.Padding()
	w := (size.Width - pad*float32(cols-1)) / float32(cols)
	y := float32(0)
	g.rows(objects, cols, func(row []fyne.CanvasObject, h float32) {
		for j, o := range row {
			o.Move(fyne.NewPos(float32(j)*(w+pad), y))
			o.Resize(fyne.NewSize(w, h))
		}
		y += h + pad
	})
}

// MinSize is one chart wide, and as tall as the rows at the width last
// laid out.
func (g *cardGrid) MinSize(objects []fyne.CanvasObject) fyne.Size {
	cols := 2
	if g.width > 0 {
		cols = g.columns(g.width)
	}
	var w, h float32
	g.rows(objects, cols, func(row []fyne.CanvasObject, rh float32) {
		for _, o := range row {
			w = max(w, o.MinSize().Width)
		}
		h += rh + theme.Padding()
	})
	return fyne.NewSize(w, max(0, h-theme.Padding()))
}

// rows calls f with each row of cols objects and the height of its tallest.
func (g *cardGrid) rows(objects []fyne.CanvasObject, cols int, f func(row []fyne.CanvasObject, h float32)) {
	for i := 0; i < len(objects); i += cols {
		row := objects[i:min(i+cols, len(objects))]
		h := float32(0)
		for _, o := range row {
			h = max(h, o.MinSize().Height)
		}
		f(row, h)
	}
}

// filter is the dashboard's area and cohort.
func (d *dashboard) filter() app.ListFilter {
	return app.ListFilter{AreaID: d.areas.selected(), Cohort: d.cohort}
}

func (d *dashboard) count(ctx context.Context, f app.ListFilter) (int, error) {
	return d.u.app.CountCohort(ctx, d.u.actor, f)
}

func (d *dashboard) applyCohort(c *app.CohortFilter) {
	d.cohort = c
	d.reload()
}

// counted is a load's stats and what they are of.
type counted struct {
	stats   *app.Stats
	subject string
}

// reload counts and draws everything for the current filter.
func (d *dashboard) reload() {
	f := d.filter()
	d.loads++
	load := d.loads
	d.subject.SetText(i18n.L("dashboard.counting"))
	u := d.u
	run(u, func() (counted, error) {
		s, err := u.app.Stats(u.ctx, u.actor, f)
		if err != nil {
			return counted{}, err
		}
		area, compound, err := u.app.FilterPlace(u.ctx, u.actor, f)
		if err != nil {
			return counted{}, err
		}
		return counted{stats: s, subject: report.Subject(area, compound, f.Cohort)}, nil
	}, func(r counted, err error) {
		if load != d.loads {
			return
		}
		if err != nil {
			d.subject.SetText(i18n.Message(err))
			return
		}
		d.stats = r.stats
		d.subject.SetText(i18n.L("dashboard.subject", map[string]any{"What": r.subject, "At": r.stats.At}))
		d.heads.RemoveAll()
		for _, h := range report.Headlines(r.stats) {
			d.heads.Add(d.headCard(h))
		}
		for k, c := range d.charts {
			c.SetChart(report.Chart(k, r.stats))
		}
	})
}

// headCard is a headline count that opens its residents.
func (d *dashboard) headCard(h app.Count) fyne.CanvasObject {
	n := canvas.NewText(groupDigits(h.N), theme.Color(theme.ColorNamePrimary))
	n.TextSize, n.TextStyle, n.Alignment = 26, fyne.TextStyle{Bold: true}, fyne.TextAlignCenter
	label := widget.NewLabelWithStyle(h.Label, fyne.TextAlignCenter, fyne.TextStyle{})
	f := h.Filter
	tap := widget.NewButton("", func() { d.u.showResidents(f) })
	tap.Importance = widget.LowImportance
	return container.NewStack(tap, container.NewVBox(n, label))
}

// row is one line of a chart's numbers: what, how many, and the filter
// behind it (nil: none to open).
type row struct {
	label  string
	n      int
	filter *app.ListFilter
}

// rows are the numbers behind a chart.
func (d *dashboard) rows(k report.Kind) []row {
	s := d.stats
	var out []row
	add := func(cs []app.Count) {
		for _, c := range cs {
			f := c.Filter
			out = append(out, row{c.Label, c.N, &f})
		}
	}
	switch k {
	case report.Pyramid:
		p := s.Pyramid
		for i := len(p.Bands) - 1; i >= 0; i-- {
			out = append(out, row{p.Bands[i] + " · " + i18n.L("chart.men"), p.Men[i], &p.MenF[i]},
				row{p.Bands[i] + " · " + i18n.L("chart.women"), p.Women[i], &p.WomenF[i]})
		}
	case report.Areas:
		add(report.AreaCounts(s))
	case report.Tags:
		add(s.Tags)
	case report.Composition:
		add(report.Labelled(s.Kinds))
		add(report.Labelled(s.Statuses))
	case report.Moves:
		for i, m := range s.Moves.Months {
			out = append(out, row{m + " · " + i18n.L("chart.in"), s.Moves.In[i], nil},
				row{m + " · " + i18n.L("chart.out"), s.Moves.Out[i], nil})
		}
	}
	return out
}

// openChart shows a chart large with its numbers; each number opens its
// residents.
func (d *dashboard) openChart(k report.Kind) {
	if d.stats == nil {
		return
	}
	rows := d.rows(k)
	var dlg *dialog.CustomDialog
	// The numbers as a table; a row with residents behind it lists them
	// (a double click, Enter, or the button under the table).
	list := widget.NewButtonWithIcon(i18n.L("dashboard.list"), theme.NavigateNextIcon(), nil)
	list.Disable()
	listRow := func(r row) {
		if r.filter != nil && r.n > 0 {
			dlg.Hide()
			d.u.showResidents(*r.filter)
		}
	}
	table := widgets.NewDataTable([]widgets.Column[row]{
		{Title: i18n.L("dashboard.col.what"), Width: 160, Grow: true, Text: func(r row) string { return r.label }},
		{Title: i18n.L("dashboard.col.count"), Width: 90, Text: func(r row) string { return groupDigits(r.n) },
			Less: func(a, b row) bool { return a.n < b.n }},
	})
	table.SetRows(rows)
	d.detail = table
	table.OnActivated = listRow
	table.OnSelected = func(r row) {
		if r.filter != nil && r.n > 0 {
			list.Enable()
		} else {
			list.Disable()
		}
	}
	list.OnTapped = func() {
		if r, ok := table.Selected(); ok {
			listRow(r)
		}
	}
	img := newChartView(d.u, cardWidth, cardAspect, nil)
	img.SetChart(report.Chart(k, d.stats))
	all := widget.NewButtonWithIcon(i18n.L("dashboard.all"), theme.AccountIcon(), func() {
		dlg.Hide()
		d.u.showResidents(d.stats.Filter)
	})
	save := widget.NewButtonWithIcon(i18n.L("dashboard.save"), theme.DownloadIcon(), func() { d.saveChart(k) })
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.CancelIcon(), func() { dlg.Hide() })
	body := container.NewHSplit(container.NewVScroll(img), container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), list), nil, nil, table.Content()))
	body.Offset = 0.62
	dlg = dialog.NewCustomWithoutButtons(report.Title(k, d.stats),
		container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), all, save, closeBtn), nil, nil, body), d.u.win)
	size := d.u.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(min(1100, size.Width-40), min(720, size.Height-40)))
	d.u.open(dlg, dialogKeys{})
}

// saveChart writes a chart to a PNG or SVG file.
func (d *dashboard) saveChart(k report.Kind) {
	if d.stats == nil {
		return
	}
	s := d.stats
	file := widgets.NewEntry()
	file.SetText(d.u.defaultPath(report.Title(k, s), ".png"))
	d.u.showForm(i18n.L("dashboard.save"), []*widget.FormItem{
		{Text: i18n.L("field.file"), Widget: d.u.fileRow(file, true, filepath.Base(file.Text)), HintText: i18n.L("dashboard.save.hint")},
	}, func() error {
		path := strings.TrimSpace(file.Text)
		if _, ok := charts.FormatOf(path); !ok {
			return errors.New(i18n.L("cli.chart.format"))
		}
		if err := report.Save(path, k, s, charts.Options{}); err != nil {
			return err
		}
		return d.u.app.NoteReport(d.u.ctx, d.u.actor, path, s.Filter)
	}, func() { d.u.notify(i18n.L("cli.chart.done", map[string]any{"Path": strings.TrimSpace(file.Text)})) })
}

// writeReport writes the 分析报告 of what the dashboard shows.
func (d *dashboard) writeReport() {
	if d.stats == nil {
		return
	}
	s, subject := d.stats, d.subject.Text
	file := widgets.NewEntry()
	file.SetText(d.u.defaultPath(i18n.L("dashboard.report.name"), ".xlsx"))
	d.u.showForm(i18n.L("dashboard.report"), []*widget.FormItem{
		{Text: i18n.L("field.file"), Widget: d.u.fileRow(file, true, filepath.Base(file.Text))},
		{Text: i18n.L("ledger.export.what"), Widget: widget.NewLabel(subject)},
	}, func() error {
		if strings.TrimSpace(file.Text) == "" {
			return errors.New(i18n.L("ledger.file.required"))
		}
		return nil
	}, func() {
		path := strings.TrimSpace(file.Text)
		area, compound := d.areas.name(s.Filter.AreaID), ""
		run(d.u, func() (struct{}, error) {
			if err := report.Write(path, s, report.Subject(area, compound, s.Filter.Cohort)); err != nil {
				return struct{}{}, err
			}
			return struct{}{}, d.u.app.NoteReport(d.u.ctx, d.u.actor, path, s.Filter)
		}, func(_ struct{}, err error) {
			if err != nil {
				d.u.showError(err)
				return
			}
			d.u.notify(i18n.L("cli.report.done", map[string]any{"Path": path, "Count": s.Total}))
		})
	})
}
