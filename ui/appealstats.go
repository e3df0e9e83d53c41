package ui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/ui/i18n"
	"shequ/ui/report"
	"shequ/ui/widgets"
)

// showStats is the appeals' figures: by category, grid, worker or month
// over a period, as a table and a chart, exported to Excel.
func (s *appealsScreen) showStats() {
	u := s.u
	byNames := map[string]string{}
	var opts []string
	for _, by := range app.AppealStatsBy {
		byNames[i18n.L("appeal.stats."+by)] = by
		opts = append(opts, i18n.L("appeal.stats."+by))
	}
	by := widget.NewSelect(opts, nil)
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetPlaceHolder(i18n.L("audit.from"))
	to.SetPlaceHolder(i18n.L("audit.to"))
	var rows [][]string
	var stats *app.AppealStats
	table := widget.NewTable(func() (int, int) {
		if len(rows) == 0 {
			return 0, 0
		}
		return len(rows), len(rows[0])
	}, func() fyne.CanvasObject { return widget.NewLabel("") }, func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.TextStyle.Bold = id.Row <= 1
		l.SetText(rows[id.Row][id.Col])
	})
	for i, w := range []float32{110, 64, 72, 96, 72, 72, 136, 136, 136} {
		table.SetColumnWidth(i, w)
	}
	img := widgets.NewTapImage(560, nil)
	msg := widget.NewLabel("")
	count := func() {
		msg.SetText(i18n.L("residents.counting"))
		f, t, b := from.Text, to.Text, byNames[by.Selected]
		run(s.u, func() (*app.AppealStats, error) { return u.app.AppealStats(u.ctx, u.actor, f, t, b) }, func(st *app.AppealStats, err error) {
			if err != nil {
				msg.SetText(i18n.Message(err))
				return
			}
			stats, rows = st, report.AppealRows(st)
			msg.SetText("")
			table.Refresh()
			if m, err := report.Image(report.AppealChart(st), u.chartOptions(560, 300)); err == nil {
				img.SetImage(m)
			}
		})
	}
	by.OnChanged = func(string) { count() }
	from.OnSubmitted, to.OnSubmitted = func(string) { count() }, func(string) { count() }
	var d *dialog.CustomDialog
	export := widget.NewButtonWithIcon(i18n.L("appeal.stats.export"), theme.DownloadIcon(), func() {
		if stats == nil {
			return
		}
		st := stats
		file := widget.NewEntry()
		file.SetText(u.defaultPath(i18n.L("appeal.stats.sheet"), ".xlsx"))
		u.showForm(i18n.L("appeal.stats.export"), []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, filepath.Base(file.Text))}},
			func() error {
				path := strings.TrimSpace(file.Text)
				if path == "" {
					return errors.New(i18n.L("ledger.file.required"))
				}
				if err := report.WriteAppealStats(path, st); err != nil {
					return err
				}
				return u.app.NoteReport(u.ctx, u.actor, path, app.ListFilter{})
			}, func() { u.notify(i18n.L("cli.chart.done", map[string]any{"Path": strings.TrimSpace(file.Text)})) })
	})
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.CancelIcon(), func() { d.Hide() })
	top := container.NewGridWithColumns(3, by, from, to)
	body := container.NewVSplit(table, container.NewVScroll(img))
	d = dialog.NewCustomWithoutButtons(i18n.L("appeal.stats.title"), container.NewBorder(top, container.NewBorder(nil, nil, msg,
		container.NewHBox(export, closeBtn)), nil, nil, body), u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(1000, size.Width-40), min(700, size.Height-40)))
	d.Show()
	by.SetSelected(i18n.L("appeal.stats.category"))
}
