package ui

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
	"shequ/ui/widgets"
)

// vaccinationScreen is 疫苗接种: a vaccine's progress in an area by grid,
// compound or age band, as a table and a chart; the residents still to
// call open as the residents list; doses are typed or imported from the
// health department's list, and appointments booked.
type vaccinationScreen struct {
	u        *UI
	content  fyne.CanvasObject
	vaccine  *widgets.SelectEntry
	doses    *widgets.Select
	by       *widget.RadioGroup
	areas    *areaPicker
	table    *widgets.DataTable[[]string]
	img      *chartView
	status   *widget.Label
	rows     [][]string
	progress *app.VaccinationProgress
	loads    int
	importer *importer // the import wizard open, for tests
}

var vaccinationGroups = []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge}

func newVaccinationScreen(u *UI) *vaccinationScreen {
	s := &vaccinationScreen{u: u}
	s.vaccine = widgets.NewSelectEntry(nil)
	s.vaccine.SetPlaceHolder(i18n.L("vaccine.pick"))
	s.doses = newSelect([]string{"1", "2", "3", "4"}, nil)
	s.doses.SetSelected("1")
	var byNames []string
	for _, g := range vaccinationGroups {
		byNames = append(byNames, i18n.L("vaccine.col."+string(g)))
	}
	s.by = widget.NewRadioGroup(byNames, nil)
	s.by.Horizontal = true
	s.by.SetSelected(byNames[0])
	s.areas = newAreaPicker(u, func() { s.reload() })
	// Counted again on any change, once all of them are there.
	s.vaccine.OnChanged = func(string) { s.reload() }
	s.doses.OnChanged = func(string) { s.reload() }
	s.by.OnChanged = func(string) { s.reload() }
	s.status = widget.NewLabel("")
	s.table = newFiguresTable(report.VaccinationRows(&app.VaccinationProgress{By: model.ByGrid})[0], []float32{120, 70, 70, 70})
	s.img = newChartView(u, 320, 0.5, nil)
	todo := widget.NewButtonWithIcon(i18n.L("vaccine.todo.button"), theme.ListIcon(), s.showTodo)
	imp := widget.NewButtonWithIcon(i18n.L("vaccine.import"), theme.UploadIcon(), func() { s.importer = u.importOf(app.LedgerVaccination) })
	add := widget.NewButtonWithIcon(i18n.L("vaccine.add"), theme.ContentAddIcon(), s.addDose)
	add.Importance = widget.HighImportance
	book := widget.NewButtonWithIcon(i18n.L("vaccine.book"), theme.CalendarIcon(), s.book)
	export := widget.NewButtonWithIcon(i18n.L("vaccine.export"), theme.DownloadIcon(), s.export)
	if !u.canWrite() {
		imp.Hide()
		add.Hide()
		book.Hide()
	}
	doses := container.NewBorder(nil, nil, widget.NewLabel(i18n.L("vaccine.doses")), nil, s.doses)
	top := container.NewVBox(
		widgets.NewBar(container.NewBorder(nil, nil, widget.NewLabel(i18n.L("field.vaccine")), nil, s.vaccine), searchWidth, doses, s.by),
		container.NewGridWithColumns(3, s.areas.levels[0], s.areas.levels[1], s.areas.levels[2]),
	)
	s.status.Wrapping = fyne.TextWrapWord
	bottom := widgets.NewBar(s.status, searchWidth, todo, export, imp, book, add)
	body := container.NewHSplit(s.table.Content(), container.NewVScroll(s.img))
	body.Offset = 0.4
	s.content = container.NewBorder(top, bottom, nil, nil, body)
	return s
}

// filter is the area chosen.
func (s *vaccinationScreen) filter() app.ListFilter {
	return app.ListFilter{AreaID: s.areas.selected()}
}

func (s *vaccinationScreen) group() model.VaccinationGroup {
	for _, g := range vaccinationGroups {
		if s.by.Selected == i18n.L("vaccine.col."+string(g)) {
			return g
		}
	}
	return model.ByGrid
}

// reload offers the vaccines recorded and counts the one chosen.
func (s *vaccinationScreen) reload() {
	u := s.u
	s.loads++
	load := s.loads
	vaccine := strings.TrimSpace(s.vaccine.Text)
	doses, _ := strconv.Atoi(s.doses.Selected)
	f, by := s.filter(), s.group()
	type result struct {
		vaccines []string
		p        *app.VaccinationProgress
	}
	s.status.SetText(i18n.L("residents.counting"))
	run(s.u, func() (result, error) {
		var r result
		var err error
		if r.vaccines, err = u.app.Vaccines(u.ctx); err != nil || vaccine == "" {
			return r, err
		}
		r.p, err = u.app.VaccinationProgress(u.ctx, u.actor, f, vaccine, max(doses, 1), by)
		return r, err
	}, func(r result, err error) {
		if load != s.loads {
			return
		}
		if err != nil {
			s.status.SetText(i18n.Message(err))
			return
		}
		s.vaccine.SetOptions(r.vaccines)
		if vaccine == "" && len(r.vaccines) > 0 {
			s.vaccine.SetText(r.vaccines[0]) // counts again
			return
		}
		s.progress = r.p
		if r.p == nil {
			s.rows = nil
			s.status.SetText(i18n.L("vaccine.none"))
			s.img.SetChart(nil)
			showFigures(s.table, nil, -1)
			return
		}
		s.rows = report.VaccinationRows(r.p)
		s.status.SetText(i18n.L("vaccine.status", map[string]any{"Done": r.p.Total.Done, "Residents": r.p.Total.Residents,
			"Rate": s.rows[len(s.rows)-1][3]}))
		showFigures(s.table, s.rows, len(s.rows)-1)
		s.img.SetChart(report.VaccinationChart(r.p))
	})
}

// showTodo opens, as the residents list, those of the area who have not
// had the doses: to call, tag or export.
func (s *vaccinationScreen) showTodo() {
	u := s.u
	vaccine := strings.TrimSpace(s.vaccine.Text)
	if vaccine == "" {
		u.hint(i18n.L("vaccine.pick"))
		return
	}
	doses, _ := strconv.Atoi(s.doses.Selected)
	f := s.filter()
	run(s.u, func() (app.ListFilter, error) { return u.app.Unvaccinated(u.ctx, u.actor, f, vaccine, max(doses, 1)) }, func(todo app.ListFilter, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		u.showGroup(todo, i18n.L("vaccine.todo.label", map[string]any{"Vaccine": vaccine, "Doses": max(doses, 1)}))
	})
}

// addDose records a dose typed at the desk.
func (s *vaccinationScreen) addDose() {
	u := s.u
	who, vaccine, dose, day, place := newResidentPicker(u), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	vaccine.SetText(strings.TrimSpace(s.vaccine.Text))
	dose.SetText(s.doses.Selected)
	day.SetPlaceHolder(i18n.L("vaccine.day.hint"))
	u.showForm(i18n.L("vaccine.add"), []*widget.FormItem{
		{Text: i18n.L("field.resident"), Widget: who},
		{Text: i18n.L("field.vaccine"), Widget: vaccine},
		{Text: i18n.L("field.dose"), Widget: dose, HintText: i18n.L("cli.vaccine.flag.dose")},
		{Text: i18n.L("field.vaccinated_on"), Widget: day},
		{Text: i18n.L("field.vaccination_place"), Widget: place},
	}, func() error {
		if who.pending() {
			return who.pendingError()
		}
		return u.app.AddVaccination(u.ctx, u.actor, app.VaccinationInput{ResidentID: who.id(), IDNumber: who.who().IDNumber, Vaccine: vaccine.Text, Dose: dose.Text,
			Day: day.Text, Place: place.Text})
	}, func() {
		u.notify(i18n.L("vaccine.added"))
		s.reload()
	})
}

// book makes an appointment, and shows those coming.
func (s *vaccinationScreen) book() {
	u := s.u
	who, vaccine, dose, day, place := newResidentPicker(u), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry(), widgets.NewEntry()
	vaccine.SetText(strings.TrimSpace(s.vaccine.Text))
	dose.SetText(s.doses.Selected)
	day.SetPlaceHolder(u.app.Now().Format("2006-01-02"))
	coming := widget.NewLabel(i18n.L("vaccine.coming.loading"))
	run(u, func() ([]model.Appointment, error) { return u.app.Appointments(u.ctx, u.actor) }, func(aps []model.Appointment, err error) {
		if err != nil {
			coming.SetText(i18n.Message(err))
			return
		}
		var lines []string
		for _, ap := range aps {
			lines = append(lines, strings.Join([]string{ap.Day, ap.Name, ap.Vaccine, i18n.L("vaccine.dose.n", map[string]any{"Dose": ap.Dose}),
				ap.Place, i18n.L("appointment." + string(ap.Status))}, "  "))
		}
		coming.SetText(i18n.L("vaccine.coming.none"))
		if len(lines) > 0 {
			coming.SetText(strings.Join(lines, "\n"))
		}
	})
	u.showForm(i18n.L("vaccine.book"), []*widget.FormItem{
		{Text: i18n.L("field.resident"), Widget: who},
		{Text: i18n.L("field.vaccine"), Widget: vaccine},
		{Text: i18n.L("field.dose"), Widget: dose},
		{Text: i18n.L("field.appointment_day"), Widget: day},
		{Text: i18n.L("field.vaccination_place"), Widget: place},
		{Text: i18n.L("vaccine.coming"), Widget: container.NewGridWrap(fyne.NewSize(460, 140), container.NewVScroll(coming))},
	}, func() error {
		if who.pending() {
			return who.pendingError()
		}
		_, err := u.app.AddAppointment(u.ctx, u.actor, app.AppointmentInput{ResidentID: who.id(), IDNumber: who.who().IDNumber, Vaccine: vaccine.Text, Dose: dose.Text,
			Day: day.Text, Place: place.Text})
		return err
	}, func() { u.notify(i18n.L("vaccine.booked")) })
}

// saveFigures asks where to save a workbook of figures (name: its default
// file name) and writes it.
func (u *UI) saveFigures(title, name string, write func(path string) error) {
	file := widgets.NewEntry()
	file.SetText(u.defaultPath(name, ".xlsx"))
	u.showForm(title, []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, filepath.Base(file.Text))}},
		func() error {
			path := strings.TrimSpace(file.Text)
			if path == "" {
				return errors.New(i18n.L("ledger.file.required"))
			}
			return write(path)
		}, func() { u.notify(i18n.L("cli.chart.done", map[string]any{"Path": strings.TrimSpace(file.Text)})) })
}

// export saves the progress with its chart.
func (s *vaccinationScreen) export() {
	u := s.u
	p := s.progress
	if p == nil {
		u.hint(i18n.L("vaccine.pick"))
		return
	}
	u.saveFigures(i18n.L("vaccine.export"), i18n.L("vaccine.sheet"), func(path string) error {
		if err := report.WriteVaccination(path, p, u.app.Now()); err != nil {
			return err
		}
		return u.app.NoteReport(u.ctx, u.actor, path, s.filter())
	})
}

// runVaccinations imports the health department's list with a progress
// dialog, then says what it did and lists its problems.
func (im *importer) runVaccinations(dry bool, msg *widget.Label) {
	u := im.u
	opt := app.VaccinationImport{Sheets: im.sheets, Vaccine: im.vaccine.Text, Dose: im.dose.Text, DryRun: dry}
	path := im.file.Text
	run(im.u, func() (*app.VaccinationImportResult, error) {
		return u.app.ImportVaccinations(u.ctx, u.actor, path, opt)
	},
		func(res *app.VaccinationImportResult, err error) {
			if err != nil {
				setError(msg, i18n.Message(err))
				return
			}
			im.vaccinationResult = res
			summary := i18n.VaccinationImportSummary(res)
			if res.Failed() {
				summary = i18n.L("vaccine.import.failed")
			} else if !dry {
				im.dlg.Hide()
				if u.vaccination != nil {
					u.vaccination.reload()
				}
			}
			lines := make([]string, len(res.Problems))
			for i, p := range res.Problems {
				lines[i] = i18n.ImportProblem(p)
			}
			list := widget.NewList(func() int { return len(lines) }, func() fyne.CanvasObject {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			}, func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[i]) })
			head := widget.NewLabelWithStyle(summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			head.Wrapping = fyne.TextWrapWord
			var d *dialog.CustomDialog
			closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.ConfirmIcon(), func() { d.Hide() })
			closeBtn.Importance = widget.HighImportance
			d = dialog.NewCustomWithoutButtons(i18n.L("ledger.result.title"), container.NewBorder(head,
				container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil, list), u.win)
			size := u.win.Canvas().Size()
			d.Resize(fyne.NewSize(min(900, size.Width-60), min(520, size.Height-60)))
			u.open(d, dialogKeys{enter: d.Hide})
		})
}
