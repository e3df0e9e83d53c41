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
	by := newSelect(opts, nil)
	from, to := widgets.NewEntry(), widgets.NewEntry()
	from.SetPlaceHolder(i18n.L("audit.from"))
	to.SetPlaceHolder(i18n.L("audit.to"))
	var stats *app.AppealStats
	table := newFiguresTable(report.AppealRows(&app.AppealStats{By: app.AppealStatsBy[0]})[0], []float32{110, 64, 72, 96, 72, 72, 120, 120, 120})
	s.stats = table
	img := newChartView(u, 320, 0.5, nil)
	msg := widget.NewLabel("")
	count := func() {
		msg.SetText(i18n.L("residents.counting"))
		f, t, b := from.Text, to.Text, byNames[by.Selected]
		run(s.u, func() (*app.AppealStats, error) { return u.app.AppealStats(u.ctx, u.actor, f, t, b) }, func(st *app.AppealStats, err error) {
			if err != nil {
				msg.SetText(i18n.Message(err))
				return
			}
			stats = st
			msg.SetText("")
			showFigures(table, report.AppealRows(st), 1) // 全部 comes first, kept under the groups
			img.SetChart(report.AppealChart(st))
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
		file := widgets.NewEntry()
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
	body := container.NewVSplit(table.Content(), container.NewVScroll(img))
	d = dialog.NewCustomWithoutButtons(i18n.L("appeal.stats.title"), container.NewBorder(top, container.NewBorder(nil, nil, msg,
		container.NewHBox(export, closeBtn)), nil, nil, body), u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(1200, size.Width-40), min(700, size.Height-40))) // nine columns of figures, none cut
	u.open(d, dialogKeys{})
	by.SetSelected(i18n.L("appeal.stats.category"))
}
