package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// The ledger screens: 导入台账 (a file, its sheets' column mapping beside
// a preview, a dry run or the import with progress and cancel, then what
// happened with the report) and 导出台账 (the residents list's filter to
// an xlsx file).

// fileRow is an entry for a file path with a button that browses for it,
// for files of name's extension.
func (u *UI) fileRow(entry *widgets.Entry, save bool, name string) fyne.CanvasObject {
	browse := widget.NewButtonWithIcon(i18n.L("ledger.browse"), theme.FolderOpenIcon(), func() {
		filter := storage.NewExtensionFileFilter(browseExts(save, name))
		// Start where the file typed is, else where files are saved.
		dir := filepath.Dir(strings.TrimSpace(entry.Text))
		if strings.TrimSpace(entry.Text) == "" {
			dir = u.saveDir()
		}
		var at fyne.ListableURI
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			at = l
		}
		if save {
			d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err == nil && w != nil {
					entry.SetText(w.URI().Path())
					w.Close()
				}
			}, u.win)
			d.SetFilter(filter)
			d.SetTitleText(i18n.L("browse.save.title")) // Fyne's own is two words with a space: 保存 文件
			d.SetFileName(name)
			if at != nil {
				d.SetLocation(at)
			}
			d.Resize(u.fileDialogSize())
			u.open(d, dialogKeys{})
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				entry.SetText(r.URI().Path())
				r.Close()
			}
		}, u.win)
		d.SetFilter(filter)
		d.SetTitleText(i18n.L("browse.open.title"))
		if at != nil {
			d.SetLocation(at)
		}
		d.Resize(u.fileDialogSize())
		u.open(d, dialogKeys{})
	})
	return container.NewBorder(nil, nil, nil, browse, entry)
}

// fileDialogSize is the file dialog's size: most of the window (Fyne's
// own is too small to read a folder of long Chinese names), not more.
func (u *UI) fileDialogSize() fyne.Size {
	size := u.win.Canvas().Size()
	return fyne.NewSize(min(960, size.Width-40), min(640, size.Height-40))
}

// browseExts are the extensions the file dialog shows for a file named
// like name: a chart saved as PNG or SVG, a photo of any kind, a workbook
// (also when no name is given) as .xlsx or .xlsm.
func browseExts(save bool, name string) []string {
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case save && (ext == ".png" || ext == ".svg"):
		return []string{".png", ".svg"}
	case !save && (ext == ".png" || ext == ".jpg" || ext == ".jpeg"):
		return []string{".jpg", ".jpeg", ".png"}
	case !save && (ext == ".xlsx" || ext == ""):
		return []string{".xlsx", ".xlsm"}
	default:
		return []string{ext}
	}
}

// defaultPath is a file in saveDir, named for today.
func (u *UI) defaultPath(name, ext string) string {
	return filepath.Join(u.saveDir(), name+"-"+time.Now().Format("20060102")+ext)
}

// prefSaveDir is the folder the user last saved a file into.
const prefSaveDir = "save.dir"

// saveDir is where a file is offered to be saved: the folder last saved
// into, else the user's Documents (文档), else home — where people look,
// not the program's data folder.
func (u *UI) saveDir() string {
	if d := u.fa.Preferences().String(prefSaveDir); d != "" && isDir(d) {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Dir(u.app.DBPath())
	}
	for _, name := range []string{"Documents", "文档", "My Documents"} {
		if d := filepath.Join(home, name); isDir(d) {
			return d
		}
	}
	return home
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// importer is the 导入台账 wizard's state.
type importer struct {
	u             *UI
	kind          app.LedgerKind // residents, or 12345 orders
	file          *widgets.Entry
	grid          *widgets.Select
	grids         map[string]int64
	update        *widget.RadioGroup
	cohort        *widgets.Check     // a match: also who of the residents list the list leaves out
	vaccine, dose *widgets.Entry     // doses: for a list without those columns
	tabs          *container.AppTabs // the sheets' mappings; a form's chosen one is filled
	// vaccinationResult is the last import of doses', for tests.
	vaccinationResult *app.VaccinationImportResult
	within            app.ListFilter
	sheets            []app.LedgerSheet
	dlg               *dialog.CustomDialog
	// hotlineResult is the last 12345 import's, for tests.
	hotlineResult *app.HotlineResult
	visits        *visitImport // a visitors' log's choices and result
}

// importLedger starts the wizard: the file, the grid for new houses and
// what to do with residents already registered.
func (u *UI) importLedger() { u.importOf(app.LedgerResidents) }

// importHotline is 导入12345工单: the same wizard for a hotline export.
func (u *UI) importHotline() { u.importOf(app.LedgerHotline) }

// fillForm is 报表通: the same wizard reads a department's form, which is
// filled for the residents list as it is filtered now.
func (u *UI) fillForm() { u.importOf(app.LedgerForm) }

// matchList is 碰撞比对: the same wizard reads an outside list, which is
// matched against the registry, and, when asked, against the residents
// list as it is filtered now.
func (u *UI) matchList() { u.importOf(app.LedgerList) }

func (u *UI) importOf(kind app.LedgerKind) *importer {
	im := &importer{u: u, kind: kind, file: widgets.NewEntry(), grids: map[string]int64{}}
	im.file.SetPlaceHolder(i18n.L(kindKey("ledger.file.hint", kind)))
	im.grid = newSelect(nil, nil)
	load(u, func() ([]model.Area, error) { return u.app.VisibleAreas(u.ctx, u.actor) }, im.offerGrids)
	var gridRow fyne.CanvasObject = im.grid
	if u.actor.Account.Role == model.RoleAdmin {
		// A blank database has no grid yet: the administrator makes one here.
		more := widget.NewButtonWithIcon(i18n.L("areas.add"), theme.FolderNewIcon(), func() {
			u.addArea(func(id int64, path string) {
				names := app.SplitAreaPath(path)
				if len(names) != 3 {
					return // a street or community alone holds no houses
				}
				label := names[1] + " › " + names[2]
				im.grids[label] = id
				im.grid.SetOptions(append(im.grid.Options, label))
				im.grid.SetSelected(label)
			})
		})
		gridRow = container.NewBorder(nil, nil, nil, more, im.grid)
	}
	im.grid.PlaceHolder = i18n.L("ledger.grid.optional")
	im.update = widget.NewRadioGroup([]string{i18n.L("ledger.dup.skip"), i18n.L("ledger.dup.update")}, nil)
	im.update.Horizontal = true
	im.update.SetSelected(i18n.L("ledger.dup.skip"))
	template := widget.NewButtonWithIcon(i18n.L("ledger.template"), theme.DocumentSaveIcon(), u.saveTemplate)
	items := []*widget.FormItem{
		{Text: i18n.L("field.file"), Widget: u.fileRow(im.file, false, "台账.xlsx"), HintText: i18n.L("ledger.file.help")},
		{Text: i18n.L("ledger.grid"), Widget: gridRow, HintText: i18n.L("ledger.grid.help")},
		{Text: i18n.L("ledger.dup"), Widget: im.update},
		{Text: "", Widget: container.NewHBox(template)},
	}
	switch kind {
	case app.LedgerHotline: // orders: the grid they go to, and no residents to update
		items = []*widget.FormItem{items[0], {Text: i18n.L("hotline.grid"), Widget: gridRow, HintText: i18n.L("hotline.grid.help")}}
	case app.LedgerForm: // a row for each resident of the list as filtered now
		im.within = u.residents.filter()
		im.within.Sort, im.within.Desc = "", false
		items = []*widget.FormItem{items[0], {Text: i18n.L("fill.within"), Widget: widget.NewLabel(u.residents.describe()),
			HintText: i18n.L("fill.within.help")}}
	case app.LedgerVaccination: // the list's vaccine and dose, when it has no such columns
		im.vaccine, im.dose = widgets.NewEntry(), widgets.NewEntry()
		if u.vaccination != nil {
			im.vaccine.SetText(strings.TrimSpace(u.vaccination.vaccine.Text))
		}
		items = []*widget.FormItem{items[0],
			{Text: i18n.L("field.vaccine"), Widget: im.vaccine, HintText: i18n.L("vaccine.import.vaccine.help")},
			{Text: i18n.L("field.dose"), Widget: im.dose, HintText: i18n.L("vaccine.import.dose.help")}}
	case app.LedgerVisit: // the compound of a log without a compound column
		items = im.visitItems(items[0])
	case app.LedgerList: // nothing is written: only the list, and whom to hold it against
		im.within = u.residents.filter()
		im.within.Sort, im.within.Desc = "", false
		im.cohort = widgets.NewCheck(i18n.L("match.cohort"), nil)
		items = []*widget.FormItem{items[0],
			{Text: i18n.L("match.within"), Widget: widget.NewLabel(u.residents.describe())},
			{Text: "", Widget: im.cohort, HintText: i18n.L("match.cohort.help")}}
	}
	u.showForm(im.title(), items, func() error {
		path := strings.Trim(strings.TrimSpace(im.file.Text), `"`)
		if path == "" {
			return errors.New(i18n.L("ledger.file.required"))
		}
		if _, err := os.Stat(path); err != nil {
			return errors.New(i18n.L("err.ledger.no_file", map[string]any{"File": path}))
		}
		// A residents' ledger needs a grid only for houses not yet in the
		// registry: its rows say so; a 12345 export needs one for its orders.
		if im.grid.Selected == "" && kind == app.LedgerHotline {
			return errors.New(i18n.L("err.ledger.grid_required"))
		}
		return nil
	}, func() {
		path := strings.Trim(strings.TrimSpace(im.file.Text), `"`)
		im.file.SetText(path)
		// A big workbook's shared strings take a moment to read: off the
		// window's goroutine.
		u.notify(i18n.L(kindKey("ledger.reading", kind)))
		run(u, func() ([]app.LedgerSheet, error) {
			switch kind {
			case app.LedgerHotline:
				return u.app.InspectHotline(u.ctx, u.actor, path)
			case app.LedgerList:
				return u.app.InspectList(u.ctx, u.actor, path)
			case app.LedgerForm:
				return u.app.InspectForm(u.ctx, u.actor, path)
			case app.LedgerVaccination:
				return u.app.InspectVaccinations(u.ctx, u.actor, path)
			case app.LedgerVisit:
				return u.app.InspectVisits(u.ctx, u.actor, path)
			}
			return u.app.InspectLedger(u.ctx, u.actor, path)
		},
			func(sheets []app.LedgerSheet, err error) {
				if err != nil {
					u.showError(err)
					return
				}
				im.sheets = sheets
				im.showMapping()
			})
	})
	return im
}

// offerGrids offers the grids of areas, each under its community; the one
// there is when there is one.
func (im *importer) offerGrids(areas []model.Area) {
	names := map[int64]string{}
	for _, a := range areas {
		names[a.ID] = a.Name
	}
	var options []string
	for _, a := range areas {
		if a.Level == model.LevelGrid {
			label := names[a.ParentID] + " › " + a.Name
			im.grids[label] = a.ID
			options = append(options, label)
		}
	}
	im.grid.SetOptions(append(im.grid.Options, options...))
	if len(im.grid.Options) == 1 {
		im.grid.SetSelectedIndex(0)
	}
	if len(im.grid.Options) == 0 {
		im.grid.PlaceHolder = i18n.L("ledger.grid.none")
		im.grid.Refresh()
	}
}

// kindKey is a message key as a list or a form says it ("….list"); a
// ledger's and a hotline export's share the plain key.
func kindKey(key string, kind app.LedgerKind) string {
	if kind == app.LedgerList || kind == app.LedgerForm || kind == app.LedgerVaccination || kind == app.LedgerVisit {
		return key + "." + string(kind)
	}
	return key
}

// title is the wizard's title.
func (im *importer) title() string {
	switch im.kind {
	case app.LedgerHotline:
		return i18n.L("hotline.import.title")
	case app.LedgerList:
		return i18n.L("match.title")
	case app.LedgerForm:
		return i18n.L("fill.title")
	case app.LedgerVaccination:
		return i18n.L("vaccine.import")
	case app.LedgerVisit:
		return i18n.L("visitor.import")
	}
	return i18n.L("ledger.import.title")
}

// fieldOptions are the mapping choices: 不导入 and each field's name.
func fieldOptions(kind app.LedgerKind) []string {
	out := []string{i18n.LedgerFieldOf(kind, app.FieldNone)}
	for _, f := range app.FieldsOf(kind) {
		out = append(out, i18n.LedgerFieldOf(kind, f))
	}
	return out
}

func fieldByLabel(kind app.LedgerKind, label string) app.LedgerField {
	for _, f := range app.FieldsOf(kind) {
		if i18n.LedgerFieldOf(kind, f) == label {
			return f
		}
	}
	return app.FieldNone
}

// showMapping shows each sheet's columns with the field each is read as
// (a choice the user can change) above the first rows of the sheet.
func (im *importer) showMapping() {
	u := im.u
	tabs := container.NewAppTabs()
	im.tabs = tabs
	for i := range im.sheets {
		s := &im.sheets[i]
		tabs.Append(container.NewTabItem(s.Name, im.sheetMapping(s)))
	}
	msg := errorText()
	var save, dry, start *widget.Button
	save = widget.NewButtonWithIcon(i18n.L("ledger.mapping.save"), theme.DocumentSaveIcon(), func() {
		sheets := slices.Clone(im.sheets)
		run(u, func() (struct{}, error) {
			for _, s := range sheets {
				if s.Imported() {
					if err := u.app.SaveLedgerMapping(u.ctx, u.actor, s); err != nil {
						return struct{}{}, err
					}
				}
			}
			return struct{}{}, nil
		}, func(_ struct{}, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			u.notify(i18n.L("ledger.mapping.saved"))
		})
	})
	dry = widget.NewButtonWithIcon(i18n.L("ledger.dryrun"), theme.SearchIcon(), func() { im.run(true, msg) })
	start = widget.NewButtonWithIcon(i18n.L("ledger.import"), theme.UploadIcon(), func() { im.run(false, msg) })
	start.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(i18n.L("action.cancel"), theme.CancelIcon(), func() { im.dlg.Hide() })
	info := widget.NewLabel(i18n.L(kindKey("ledger.mapping.help", im.kind)))
	info.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(save, layout.NewSpacer(), cancel, dry, start)
	switch im.kind { // nothing to try: a match and a fill write nothing to the registry
	case app.LedgerList:
		start.SetText(i18n.L("match.run"))
		start.SetIcon(theme.SearchIcon())
		buttons = container.NewHBox(save, layout.NewSpacer(), cancel, start)
	case app.LedgerForm:
		start.SetText(i18n.L("fill.run"))
		start.SetIcon(theme.DocumentSaveIcon())
		buttons = container.NewHBox(save, layout.NewSpacer(), cancel, start)
	}
	content := container.NewBorder(info, container.NewVBox(msg, buttons), nil, nil, tabs)
	im.dlg = dialog.NewCustomWithoutButtons(im.title()+" — "+filepath.Base(im.file.Text), content, u.win)
	size := u.win.Canvas().Size()
	im.dlg.Resize(fyne.NewSize(size.Width-60, size.Height-60))
	u.open(im.dlg, dialogKeys{escape: cancel.OnTapped})
}

// sheetMapping is one sheet's mapping editor: a column per ledger column,
// its field chosen at the top.
func (im *importer) sheetMapping(s *app.LedgerSheet) fyne.CanvasObject {
	if !s.Imported() {
		return container.NewCenter(widget.NewLabel(i18n.L(s.Skip)))
	}
	about := i18n.L("ledger.sheet.about", map[string]any{"Row": s.HeaderRow})
	if s.Rows > 0 {
		about += i18n.L("ledger.sheet.rows", map[string]any{"Count": s.Rows})
	}
	if s.Saved {
		about += i18n.L("ledger.sheet.saved")
	}
	cols := make([]fyne.CanvasObject, len(s.Headers))
	options := fieldOptions(s.Kind)
	for c, h := range s.Headers {
		col := c
		sel := newSelect(options, func(label string) { s.Fields[col] = fieldByLabel(s.Kind, label) })
		sel.SetSelected(i18n.LedgerFieldOf(s.Kind, s.Fields[c]))
		cells := []fyne.CanvasObject{sel, widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
		for _, r := range s.Preview {
			l := widget.NewLabel(r[c])
			l.Truncation = fyne.TextTruncateEllipsis
			cells = append(cells, l)
		}
		width := float32(150)
		if s.Fields[c] == app.FieldIDNumber || s.Fields[c] == app.FieldAddress || s.Fields[c] == app.FieldContent {
			width = 200 // 18 characters, or an address, read whole
		}
		cols[c] = container.NewGridWrap(fyne.NewSize(width, sel.MinSize().Height), cells...)
	}
	return container.NewBorder(widget.NewLabel(about), nil, nil, nil, container.NewScroll(container.NewHBox(cols...)))
}

// run imports (or, dry, checks) with a progress bar and a cancel button.
func (im *importer) run(dry bool, msg *widget.Label) {
	u := im.u
	switch im.kind {
	case app.LedgerHotline:
		im.runHotline(dry, msg)
		return
	case app.LedgerList:
		im.runMatch(msg)
		return
	case app.LedgerForm:
		im.runFill(msg)
		return
	case app.LedgerVaccination:
		im.runVaccinations(dry, msg)
		return
	case app.LedgerVisit:
		im.runVisits(dry, msg)
		return
	}
	opt := app.ImportOptions{Sheets: im.sheets, Grid: im.grids[im.grid.Selected], DryRun: dry,
		Update: im.update.Selected == i18n.L("ledger.dup.update")}
	path := im.file.Text
	title := i18n.L("ledger.importing")
	if dry {
		title = i18n.L("ledger.dryrunning")
	}
	withProgress(u, title, func(ctx context.Context, progress func(int, int)) (*app.ImportResult, error) {
		opt.Progress = progress
		return u.app.Import(ctx, u.actor, path, opt)
	}, func(res *app.ImportResult, err error) {
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		if !dry {
			im.dlg.Hide()
			u.residents.reload()
		}
		u.showImportResult(res)
	})
}

// showImportResult says what an import did, lists its problems, and saves
// them all as a report.
func (u *UI) showImportResult(res *app.ImportResult) {
	summary := widget.NewLabelWithStyle(i18n.ImportSummary(res), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	summary.Wrapping = fyne.TextWrapWord
	var lines []string
	for _, s := range res.Sheets {
		if !s.Imported() {
			lines = append(lines, i18n.L("cli.import.sheet_skipped", map[string]any{"Sheet": s.Name, "Reason": i18n.L(s.Skip)}))
		}
	}
	for _, p := range res.Problems {
		lines = append(lines, i18n.ImportProblem(p))
	}
	if n := res.ProblemCount() - len(res.Problems); n > 0 {
		lines = append(lines, i18n.L("ledger.more", map[string]any{"Count": n}))
	}
	list := widget.NewList(func() int { return len(lines) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[i]) })
	var d *dialog.CustomDialog
	report := widget.NewButtonWithIcon(i18n.L("ledger.report"), theme.DocumentSaveIcon(), func() {
		file := widgets.NewEntry()
		file.SetText(u.defaultPath("导入问题清单", ".xlsx"))
		u.showForm(i18n.L("ledger.report"), []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, filepath.Base(file.Text))}},
			func() error { return res.WriteReport(file.Text, i18n.ReportText()) },
			func() { u.notify(i18n.L("cli.import.report", map[string]any{"Path": file.Text})) })
	})
	if res.ProblemCount() == 0 {
		report.Disable()
	}
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.ConfirmIcon(), func() {
		d.Hide()
		res.Close()
	})
	closeBtn.Importance = widget.HighImportance
	content := container.NewBorder(summary, container.NewHBox(report, layout.NewSpacer(), closeBtn), nil, nil, list)
	d = dialog.NewCustomWithoutButtons(i18n.L("ledger.result.title"), content, u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(900, size.Width-60), min(560, size.Height-60)))
	u.open(d, dialogKeys{escape: closeBtn.OnTapped, enter: closeBtn.OnTapped})
}

// saveTemplate writes a blank ledger template.
func (u *UI) saveTemplate() {
	file := widgets.NewEntry()
	file.SetText(filepath.Join(u.saveDir(), "居民台账模板.xlsx"))
	u.showForm(i18n.L("ledger.template"), []*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, "居民台账模板.xlsx")}},
		func() error { return app.WriteTemplate(file.Text) },
		func() { u.notify(i18n.L("cli.template.done", map[string]any{"Path": file.Text})) })
}

// exportLedger writes the residents the list shows (its area, compound and
// search) to a ledger, masked unless the account may reveal and asks to,
// with a reason.
func (u *UI) exportLedger(f app.ListFilter, describe string) {
	u.askSave(i18n.L("ledger.export.title"), u.defaultPath("居民台账", ".xlsx"), i18n.L("ledger.export.reveal.help"),
		[]*widget.FormItem{{Text: i18n.L("ledger.export.what"), Widget: widget.NewLabel(describe)}}, nil, func(sv saving) {
			path := sv.Path
			opt := app.ExportOptions{Filter: f, Reveal: sv.Reveal, Reason: sv.Reason}
			withProgress(u, i18n.L("ledger.exporting"), func(ctx context.Context, progress func(int, int)) (int, error) {
				opt.Progress = progress
				return u.app.ExportResidents(ctx, u.actor, path, opt)
			}, func(n int, err error) {
				switch {
				case err != nil:
					u.showError(err)
				default:
					u.notify(i18n.L("cli.export.done", map[string]any{"Count": n, "Path": path}))
				}
			})
		})
}

// describeFilter says in words which residents a filter selects.
func describeFilter(area, compound, search string, n int) string {
	parts := []string{}
	for _, p := range []string{area, compound} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if search != "" {
		parts = append(parts, fmt.Sprintf("“%s”", search))
	}
	what := i18n.L("ledger.export.all")
	if len(parts) > 0 {
		what = strings.Join(parts, " · ")
	}
	return i18n.L("ledger.export.count", map[string]any{"What": what, "Count": n})
}

// runHotline imports (or, dry, checks) a 12345 export and says what it did.
func (im *importer) runHotline(dry bool, msg *widget.Label) {
	u := im.u
	opt := app.HotlineOptions{Sheets: im.sheets, Grid: im.grids[im.grid.Selected], DryRun: dry}
	path := im.file.Text
	run(im.u, func() (*app.HotlineResult, error) { return u.app.ImportHotline(u.ctx, u.actor, path, opt) }, func(res *app.HotlineResult, err error) {
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		im.hotlineResult = res
		lines := []string{}
		for _, p := range res.Problems {
			lines = append(lines, i18n.ImportProblem(p))
		}
		summary := i18n.L("cli.hotline.failed")
		if !res.Failed() {
			key := "cli.hotline.done"
			if dry {
				key = "cli.hotline.dry"
			}
			summary = i18n.L(key, map[string]any{"Count": res.Imported, "Dup": res.Duplicates, "Warnings": len(res.Problems)})
			if grids := i18n.HotlineGrids(res); grids != "" {
				summary += "\n" + grids
			}
		}
		if !dry && !res.Failed() {
			im.dlg.Hide()
			u.appeals.reload()
		}
		detail := widget.NewLabel(strings.Join(lines, "\n"))
		detail.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom(im.title(), i18n.L("action.close"), container.NewBorder(widget.NewLabelWithStyle(summary,
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, container.NewVScroll(detail)), u.win)
		d.Resize(fyne.NewSize(min(820, u.win.Canvas().Size().Width-40), min(480, u.win.Canvas().Size().Height-40)))
		u.open(d, dialogKeys{enter: d.Hide})
	})
}

// runMatch matches the list with a progress bar and a cancel button.
func (im *importer) runMatch(msg *widget.Label) {
	u := im.u
	opt := app.MatchOptions{Sheets: im.sheets}
	if im.cohort.Checked {
		f := im.within
		opt.Cohort = &f
	}
	path := im.file.Text
	withProgress(u, i18n.L("match.running"), func(ctx context.Context, progress func(int, int)) (*app.MatchResult, error) {
		opt.Progress = progress
		return u.app.Match(ctx, u.actor, path, opt)
	}, func(res *app.MatchResult, err error) {
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		im.dlg.Hide()
		u.showMatchResult(res)
	})
}

// showMatchResult shows a match's groups with their counts; a group of
// residents opens as the residents list (the result comes back from the
// list's foot) or is tagged at once; the rows of the list the registry
// does not show (名单有、库中无, other areas') open as those rows; the
// whole result is saved as a workbook, a sheet per group.
func (u *UI) showMatchResult(res *app.MatchResult) {
	u.lastMatch = res
	u.residents.matchBack.Show()
	var d *dialog.CustomDialog
	summary := widget.NewLabelWithStyle(res.File+"："+i18n.L("match.rows", map[string]any{"Rows": res.Rows, "Problems": len(res.Problems)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	summary.Wrapping = fyne.TextWrapWord
	grid := container.NewGridWithColumns(4)
	for _, g := range app.MatchGroups {
		if g == app.MatchAbsent && !res.Cohort {
			continue
		}
		n := res.Count(g)
		name := i18n.MatchGroup(g)
		count := widget.NewLabelWithStyle(groupDigits(n), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		open := widget.NewButtonWithIcon(i18n.L("match.open"), theme.ListIcon(), nil)
		tag := widget.NewButtonWithIcon(i18n.L("tags.list"), theme.ContentAddIcon(), nil)
		f, ok := res.Residents(g)
		switch {
		case ok && n > 0:
			label := name + "（" + res.File + "）"
			open.OnTapped = func() { d.Hide(); u.showGroup(f, label) }
			tag.OnTapped = func() { u.tagResidents(f, n) }
		case n > 0: // rows of the list only: shown over the result
			open.OnTapped = func() { u.showMatchRows(res, g) }
			tag.Disable()
		default:
			open.Disable()
			tag.Disable()
		}
		if !u.canWrite() {
			tag.Hide()
		}
		grid.Add(widget.NewLabel(name))
		grid.Add(count)
		grid.Add(open)
		grid.Add(tag)
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
	save := widget.NewButtonWithIcon(i18n.L("match.save"), theme.DocumentSaveIcon(), func() { u.exportMatch(res) })
	if !u.actor.Account.CanExport {
		save.Hide()
	}
	closeBtn := widget.NewButtonWithIcon(i18n.L("action.close"), theme.ConfirmIcon(), func() { d.Hide() })
	closeBtn.Importance = widget.HighImportance
	top := container.NewVBox(summary, grid)
	if len(lines) > 0 {
		top.Add(widget.NewLabelWithStyle(i18n.L("match.problems"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	content := container.NewBorder(top, container.NewHBox(save, layout.NewSpacer(), closeBtn), nil, nil, list)
	d = dialog.NewCustomWithoutButtons(i18n.L("match.result.title"), content, u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(900, size.Width-60), min(600, size.Height-60)))
	u.open(d, dialogKeys{enter: d.Hide})
}

// showMatchRows shows a group of a match's rows the registry does not
// show (not in it, or in other areas): where each is in the list, and the
// name and ID number as the list has them, the number masked as
// everywhere on the screen.
func (u *UI) showMatchRows(res *app.MatchResult, g app.MatchGroup) {
	rows := res.Groups[g]
	table := widgets.NewDataTable([]widgets.Column[app.MatchRow]{
		{Title: i18n.L("match.col.sheet"), Width: 160, Grow: true, Text: func(m app.MatchRow) string { return m.Sheet }},
		{Title: i18n.L("match.col.row"), Width: 70, Text: func(m app.MatchRow) string { return strconv.Itoa(m.Row) },
			Less: func(a, b app.MatchRow) bool { return a.Sheet < b.Sheet || a.Sheet == b.Sheet && a.Row < b.Row }},
		{Title: i18n.L("col.name"), Width: 120, Text: func(m app.MatchRow) string { return m.Name }},
		{Title: i18n.L("col.id_number"), Width: 200, Text: func(m app.MatchRow) string { return app.MaskIDNumber(m.IDNumber) }},
	})
	table.SetRows(rows)
	u.lastMatchRows = table
	help := widget.NewLabel(i18n.L("match.rows.help."+string(g), map[string]any{"Count": len(rows), "File": res.File}))
	help.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(i18n.MatchGroup(g), i18n.L("action.close"), container.NewBorder(help, nil, nil, nil, table.Content()), u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(640, size.Width-80), min(520, size.Height-80)))
	u.open(d, dialogKeys{enter: d.Hide})
}

// exportMatch saves a match's result, masked unless the account may reveal
// and asks to, with a reason.
func (u *UI) exportMatch(res *app.MatchResult) {
	u.askSave(i18n.L("match.save"), u.defaultPath("比对结果", ".xlsx"), i18n.L("ledger.export.reveal.help"), nil, nil, func(sv saving) {
		exportLater(u, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, u.app.ExportMatch(ctx, u.actor, res, sv.Path, sv.Reveal, sv.Reason, i18n.ReportText())
		}, func(struct{}) { u.notify(i18n.L("cli.match.saved", map[string]any{"Path": sv.Path})) })
	})
}

// runFill asks where to save the filled form (and, for an account that may,
// whether to reveal ID numbers and phones, with a reason), then fills it
// with a progress bar and a cancel button.
func (im *importer) runFill(msg *widget.Label) {
	u := im.u
	base := strings.TrimSuffix(filepath.Base(im.file.Text), filepath.Ext(im.file.Text))
	u.askSave(i18n.L("fill.run"), filepath.Join(filepath.Dir(im.file.Text), base+"（已填）.xlsx"), i18n.L("fill.reveal.help"), nil, nil, func(sv saving) {
		path, out := im.file.Text, sv.Path
		sheet := ""
		if t := im.tabs.Selected(); t != nil {
			sheet = t.Text
		}
		opt := app.FillOptions{Sheets: im.sheets, Sheet: sheet, Filter: im.within, Reveal: sv.Reveal, Reason: sv.Reason}
		withProgress(u, i18n.L("fill.running"), func(ctx context.Context, progress func(int, int)) (*app.FillResult, error) {
			opt.Progress = progress
			return u.app.FillForm(ctx, u.actor, path, out, opt)
		}, func(res *app.FillResult, err error) {
			if err != nil {
				setError(msg, i18n.Message(err))
				return
			}
			im.dlg.Hide()
			text := i18n.L("fill.done", map[string]any{"Rows": res.Rows, "Sheet": res.Sheet, "Path": out})
			if len(res.Others) > 0 {
				text += "\n\n" + i18n.L("fill.others", map[string]any{"Sheets": strings.Join(res.Others, "、")})
			}
			if len(res.Unmapped) > 0 {
				text += "\n\n" + i18n.L("fill.unmapped", map[string]any{"Columns": strings.Join(res.Unmapped, "、")})
			}
			if res.StatusAdded {
				text += "\n\n" + i18n.L("fill.status_added")
			}
			u.lastFill = res
			u.inform(i18n.L("fill.title"), text)
		})
	})
}

// exportLater writes a file off the window's goroutine behind a progress
// dialog with a cancel button (a large export must not freeze the window);
// done says what was written.
func exportLater[T any](u *UI, work func(ctx context.Context) (T, error), done func(T)) {
	withProgress(u, i18n.L("ledger.exporting"), func(ctx context.Context, _ func(int, int)) (T, error) { return work(ctx) }, func(v T, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		done(v)
	})
}

// checkFolder refuses a file to save whose folder does not exist, while
// the form that names it is still open; a folder that does is where the
// next file is offered.
func (u *UI) checkFolder(path string) error {
	if path == "" {
		return errors.New(i18n.L("ledger.file.required"))
	}
	if !isDir(filepath.Dir(path)) {
		return errors.New(i18n.L("cli.nodir") + ": " + filepath.Dir(path))
	}
	u.fa.Preferences().SetString(prefSaveDir, filepath.Dir(path))
	return nil
}

// saving is what a save form was given: where, and whether to reveal ID
// numbers and phones (with why).
type saving struct {
	Path, Reason string
	Reveal       bool
}

// askSave asks where to save personal data and, for an account that may,
// whether to reveal ID numbers and phones with a reason (revealHelp says
// why one would). check runs on 确定 and keeps the form open with its error;
// done runs after.
func (u *UI) askSave(title, path, revealHelp string, extra []*widget.FormItem, check func(saving) error, done func(saving)) {
	file := widgets.NewEntry()
	file.SetText(path)
	items := append([]*widget.FormItem{{Text: i18n.L("field.file"), Widget: u.fileRow(file, true, filepath.Base(path))}}, extra...)
	reveal := widgets.NewCheck(i18n.L("ledger.export.reveal"), nil)
	reason := widgets.NewEntry()
	reason.SetPlaceHolder(i18n.L("reveal.reason.hint"))
	if u.actor.Account.CanReveal {
		items = append(items, &widget.FormItem{Text: "", Widget: reveal, HintText: revealHelp},
			&widget.FormItem{Text: i18n.L("field.reason"), Widget: reason})
	}
	got := func() saving {
		return saving{Path: strings.TrimSpace(file.Text), Reveal: reveal.Checked, Reason: strings.TrimSpace(reason.Text)}
	}
	var after func()
	if done != nil {
		after = func() { done(got()) }
	}
	u.showForm(title, items, func() error {
		sv := got()
		if sv.Path == "" {
			return errors.New(i18n.L("ledger.file.required"))
		}
		if sv.Reveal && sv.Reason == "" {
			return errors.New(i18n.L("err.reason.required"))
		}
		if err := u.checkFolder(sv.Path); err != nil {
			return err
		}
		if check != nil {
			return check(sv)
		}
		return nil
	}, after)
}
