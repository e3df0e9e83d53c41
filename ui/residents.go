package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// column is one column of the residents list: its header, width, sort key
// and how a row is written in it, off the UI goroutine; the table shows
// what was written (tableColumns).
type column struct {
	title string
	width float32
	sort  model.SortKey
	cell  func(model.ResidentRow) string
	grow  bool // takes a share of a wide window
	// sample is the longest word the column can show (sex, relation,
	// kind, state): its width is never cut.
	sample string
}

// longest is the longest of the words.
func longest[T any](all []T, word func(T) string) string {
	out := ""
	for _, v := range all {
		if w := word(v); len([]rune(w)) > len([]rune(out)) {
			out = w
		}
	}
	return out
}

func (u *UI) residentColumns() []column {
	return []column{
		{title: i18n.L("col.name"), width: 110, sort: model.SortName, cell: func(r model.ResidentRow) string {
			if r.Name == "" { // deleted, kept for this office's records of them
				return i18n.L("resident.deleted")
			}
			return r.Name
		}},
		{title: i18n.L("col.sex"), width: 56, sort: model.SortSex, cell: func(r model.ResidentRow) string { return i18n.Sex(r.Sex) },
			sample: longest([]model.Sex{model.Male, model.Female}, i18n.Sex)},
		{title: i18n.L("col.age"), width: 56, sort: model.SortAge, cell: func(r model.ResidentRow) string { return u.ageText(r.Birth) }},
		{title: i18n.L("col.id_number"), width: 190, sort: model.SortIDNumber, cell: func(r model.ResidentRow) string { return app.MaskIDNumber(r.IDNumber) }},
		{title: i18n.L("col.phone"), width: 130, sort: model.SortPhone, cell: func(r model.ResidentRow) string { return app.MaskPhone(r.Phone) }},
		{title: i18n.L("col.address"), width: 230, sort: model.SortAddress, cell: func(r model.ResidentRow) string { return app.FormatAddress(r.Address) }, grow: true},
		{title: i18n.L("col.relation"), width: 90, sort: model.SortRelation, cell: func(r model.ResidentRow) string { return i18n.Relation(r.Relation) },
			sample: longest(model.Relations, i18n.Relation)},
		{title: i18n.L("col.kind"), width: 80, sort: model.SortKind, cell: func(r model.ResidentRow) string { return i18n.Kind(r.Kind) },
			sample: longest(model.Kinds, i18n.Kind)},
		{title: i18n.L("col.status"), width: 70, sort: model.SortStatus, cell: func(r model.ResidentRow) string { return i18n.Status(r.Status) },
			sample: longest(model.Statuses, i18n.Status)},
	}
}

func (u *UI) ageText(birth string) string {
	if a := u.app.Age(birth); a >= 0 {
		return strconv.Itoa(a)
	}
	return ""
}

// maxCompoundOptions is the most compounds the filter lists without a community chosen.
const maxCompoundOptions = 200

// residentsScreen is the 居民 screen: search, filters and the table.
type residentsScreen struct {
	u       *UI
	content fyne.CanvasObject
	guide   *firstSteps
	// noPersonal: an administrator without the view of personal data,
	// whose list is always empty.
	noPersonal bool
	search     *widgets.Entry
	areas      *areaPicker
	compound   *widgets.Select
	status     *widget.Label
	empty      *widget.Label
	table      *widgets.DataTable[displayRow]
	cols       []column
	pager      *pager
	sort       model.SortKey
	desc       bool
	compIDs    map[string]int64

	importBtn, exportBtn, tagBtn *widget.Button
	matchBtn, fillBtn            *widget.Button
	cohortBtn                    *widget.Button
	cohort                       *app.CohortFilter // nil: everyone
	cohortDialog                 *cohortBuilder
	pinnedCompound               int64 // a compound shown from a chart, until the filter lists it
	// A group of residents shown from elsewhere (a match's 已匹配), named
	// on the status line, until the filters are cleared.
	pinnedIDs   []int64
	pinnedLabel string
	// A cohort shown from elsewhere (a tag's residents) is named by the
	// label too, while the list keeps that cohort.
	labelled *app.CohortFilter
	// matchBack shows the last match's result again: opening one of its
	// groups puts the result away, not out of reach.
	matchBack *widget.Button
}

func newResidentsScreen(u *UI) *residentsScreen {
	s := &residentsScreen{u: u, cols: u.residentColumns(), sort: model.SortID}
	s.pager = newPager(u, s.format, func() { s.table.Table().Refresh(); u.firstScreen() })
	s.search = widgets.NewEntry()
	s.search.SetPlaceHolder(i18n.L("residents.search.hint"))
	s.search.OnSubmitted = func(string) { s.reload() }
	s.search.ActionItem = widget.NewButtonWithIcon("", theme.SearchIcon(), s.reload)
	s.areas = newAreaPicker(u, func() { s.pinnedCompound = 0; s.loadCompounds(); s.reload() })
	s.areas.levels[0].PlaceHolder = i18n.L("filter.street")
	s.compound = newSelect(nil, func(sel string) {
		if s.compIDs[sel] != s.pinnedCompound {
			s.pinnedCompound = 0 // chosen by hand now
		}
		if sel == i18n.L("filter.all") {
			s.compound.ClearSelected() // calls back with "" and reloads
			return
		}
		s.reload()
	})
	s.compound.PlaceHolder = i18n.L("filter.compound")
	s.status = widget.NewLabel("")
	s.empty = widget.NewLabel(i18n.L("residents.empty"))
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	s.table = widgets.NewPagedTable(s.tableColumns(), &widgets.Pages[displayRow]{
		Len:  func() int { return s.pager.total },
		Row:  s.pager.row,
		Sort: func(col int, desc bool) { s.sort, s.desc = s.cols[col].sort, desc; s.reload() },
	})
	s.table.OnActivated = func(r displayRow) { s.u.openResidentForm(r.id, 0) }
	add := widget.NewButtonWithIcon(i18n.L("residents.add"), theme.ContentAddIcon(), func() { u.openResidentForm(0, 0) })
	add.Importance = widget.HighImportance
	clear := widget.NewButtonWithIcon(i18n.L("filter.clear"), theme.ContentClearIcon(), s.clearFilters)
	s.importBtn = widget.NewButtonWithIcon(i18n.L("ledger.import.title"), theme.UploadIcon(), u.importLedger)
	s.exportBtn = widget.NewButtonWithIcon(i18n.L("ledger.export.title"), theme.DownloadIcon(), s.export)
	s.matchBtn = widget.NewButtonWithIcon(i18n.L("match.button"), theme.SearchReplaceIcon(), u.matchList)
	s.fillBtn = widget.NewButtonWithIcon(i18n.L("fill.button"), theme.DocumentCreateIcon(), u.fillForm)
	s.tagBtn = widget.NewButtonWithIcon(i18n.L("tags.list"), theme.ListIcon(), func() { u.tagResidents(s.filter(), s.pager.total) })
	s.cohortBtn = widget.NewButtonWithIcon(i18n.L("cohort.button"), theme.AccountIcon(), s.openCohort)
	if !u.canWrite() {
		add.Hide()
		s.importBtn.Hide()
		s.tagBtn.Hide()
	}
	// Without the permission the buttons stay and say why: a button that
	// is not there cannot tell anyone whom to ask.
	s.exportBtn.OnTapped = u.needsExport(s.export)
	s.fillBtn.OnTapped = u.needsExport(u.fillForm)
	// The search box keeps room for its whole hint (it says what can be
	// searched); where that does not leave room for the buttons they go
	// below it.
	hint := fyne.MeasureText(s.search.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding() + theme.IconInlineSize()
	bar := widgets.NewBar(s.search, max(searchWidth, hint), s.cohortBtn, clear, s.tagBtn, s.matchBtn, s.fillBtn, s.importBtn, s.exportBtn, add)
	filters := container.NewGridWithColumns(4, s.areas.levels[0], s.areas.levels[1], s.areas.levels[2], s.compound)
	top := container.NewVBox(bar, filters)
	s.guide = newFirstSteps(u)
	s.matchBack = widget.NewButtonWithIcon(i18n.L("match.back"), theme.NavigateBackIcon(), func() {
		if u.lastMatch != nil {
			u.showMatchResult(u.lastMatch)
		}
	})
	s.matchBack.Importance = widget.LowImportance
	s.matchBack.Hide()
	foot := container.NewBorder(nil, nil, nil, s.matchBack, s.status)
	s.content = container.NewBorder(top, foot, nil, nil, container.NewStack(s.table.Content(), container.NewCenter(container.NewVBox(s.empty, s.guide.content))))
	if u.seesNoPersonalData() {
		// The place tree is an administrator's work all the same: a new
		// registry still shows the way to its areas and houses.
		s.noPersonal = true
		s.content = container.NewCenter(container.NewVBox(u.personalDataOff(), s.guide.content))
	}
	s.loadCompounds()
	return s
}

// seesNoPersonalData reports an administrator who was not given the view
// of residents' personal data.
func (u *UI) seesNoPersonalData() bool {
	acc := u.actor.Account
	return acc.Role == model.RoleAdmin && len(acc.AreaIDs) == 0 && !acc.PersonalData
}

// personalDataOff says why an administrator sees no residents, and lets
// the account take the view (audited) when its work needs it.
func (u *UI) personalDataOff() fyne.CanvasObject {
	// Lines as written: a wrapped label in a centring container would be
	// only as wide as the button under it.
	msg := widget.NewLabel(i18n.L("residents.admin.none"))
	msg.Alignment = fyne.TextAlignCenter
	grant := widget.NewButtonWithIcon(i18n.L("residents.admin.grant"), theme.VisibilityIcon(), func() {
		actor := u.actor
		run(u, func() (struct{}, error) {
			return struct{}{}, u.app.SetPersonalData(u.ctx, actor, actor.Account.Username, true)
		},
			func(_ struct{}, err error) {
				if err != nil {
					u.showError(err)
					return
				}
				u.signedIn(u.actor)
			})
	})
	return container.NewVBox(msg, container.NewCenter(grant))
}

// format writes a row's cells; it runs off the UI goroutine.
func (s *residentsScreen) format(r model.ResidentRow) []string {
	out := make([]string, len(s.cols))
	for i, c := range s.cols {
		out[i] = c.cell(r)
	}
	return out
}

// tableColumns show the cells format wrote, sized as the columns ask.
func (s *residentsScreen) tableColumns() []widgets.Column[displayRow] {
	out := make([]widgets.Column[displayRow], len(s.cols))
	for i, c := range s.cols {
		out[i] = widgets.Column[displayRow]{Title: c.title, Width: c.width, Grow: c.grow, Sample: c.sample,
			Text: func(r displayRow) string { return r.cells[i] }}
	}
	return out
}

func (s *residentsScreen) clearFilters() {
	s.search.SetText("")
	s.areas.clear()
	s.compound.ClearSelected()
	s.pinnedCompound = 0
	s.sort, s.desc = model.SortID, false
	s.table.ShowOrder(-1, false)
	s.cohort = nil
	s.pinnedIDs, s.pinnedLabel = nil, ""
	s.reload()
}

func (s *residentsScreen) filter() app.ListFilter {
	compound := s.compIDs[s.compound.Selected]
	if compound == 0 {
		compound = s.pinnedCompound
	}
	return app.ListFilter{Search: s.search.Text, AreaID: s.areas.selected(), CompoundID: compound,
		Sort: s.sort, Desc: s.desc, Cohort: s.cohort, IDs: s.pinnedIDs}
}

// show lists the residents of a filter (a chart's bar, a match's group):
// its area, compound, cohort and residents, without a search; label names
// a group of residents on the status line.
func (s *residentsScreen) show(f app.ListFilter, label string) {
	s.search.SetText("")
	s.pinnedIDs, s.pinnedLabel, s.labelled = f.IDs, label, f.Cohort
	s.areas.choose(f.AreaID)
	s.compound.ClearSelected()
	s.pinnedCompound = f.CompoundID
	s.cohort = f.Cohort
	s.loadCompounds()
	s.reload()
}

// groupLabel names the group shown from elsewhere, "" none (or no longer).
func (s *residentsScreen) groupLabel() string {
	if s.pinnedIDs != nil || (s.labelled != nil && s.cohort == s.labelled) {
		return s.pinnedLabel
	}
	return ""
}

// export writes what the list shows to a ledger.
func (s *residentsScreen) export() { s.u.exportLedger(s.filter(), s.describe()) }

// describe says in words whom the list shows.
func (s *residentsScreen) describe() string {
	f := s.filter()
	what := strings.TrimSpace(f.Search)
	if s.cohort != nil {
		what = strings.TrimSpace(what + " " + cohortLabel(s.cohort))
	}
	if l := s.groupLabel(); l != "" {
		what = strings.TrimSpace(what + " " + l)
	}
	return describeFilter(s.areas.name(f.AreaID), s.compound.Selected, what, s.pager.total)
}

// reload counts and shows the list for the current filter.
func (s *residentsScreen) reload() {
	f := s.filter()
	s.status.SetText(i18n.L("residents.counting"))
	type result struct {
		list  *app.ResidentList
		total int
	}
	run(s.u, func() (result, error) {
		list, err := s.u.app.Residents(s.u.ctx, s.u.actor, f)
		if err != nil {
			return result{}, err
		}
		n, err := list.Count(s.u.ctx)
		return result{list, n}, err
	}, func(r result, err error) {
		if err != nil {
			s.status.SetText("")
			s.u.showError(err)
			return
		}
		s.pager.reset(r.list, r.total)
		s.status.SetText(s.summary(r.list, r.total))
		s.showEmpty(f, r.total == 0)
		s.table.Reload()
	})
}

// showEmpty says why the list is empty: nothing matches the filter, or
// nothing is registered yet, when the first steps show the way.
func (s *residentsScreen) showEmpty(f app.ListFilter, empty bool) {
	s.empty.Hide()
	s.guide.content.Hide()
	if !empty {
		return
	}
	if f.Search != "" || f.AreaID != 0 || f.CompoundID != 0 || f.Cohort != nil || f.IDs != nil {
		s.empty.Show()
		return
	}
	run(s.u, func() (app.FirstSteps, error) { return s.u.app.FirstSteps(s.u.ctx, s.u.actor) }, func(fs app.FirstSteps, err error) {
		if err != nil {
			s.empty.Show()
			return
		}
		if s.noPersonal && fs.Houses > 0 {
			return
		}
		s.guide.update(fs)
		s.guide.content.Show()
	})
}

func (s *residentsScreen) summary(l *app.ResidentList, n int) string {
	text := i18n.L("residents.count", map[string]any{"Count": groupDigits(n)})
	var within []string
	for _, sel := range []*widgets.Select{s.areas.levels[0], s.areas.levels[1], s.areas.levels[2], s.compound} {
		if sel.Selected != "" {
			within = append(within, sel.Selected)
		}
	}
	if len(within) > 0 {
		text += "  ·  " + strings.Join(within, " › ")
	}
	if k := l.Search(); k != model.SearchNone {
		text += "  ·  " + i18n.L(fmt.Sprintf("search.kind.%d", k))
	}
	if s.cohort != nil {
		text += "  ·  " + cohortLabel(s.cohort)
	}
	if l := s.groupLabel(); l != "" {
		text += "  ·  " + l
	}
	return text
}

// open opens the resident in row i.

// loadCompounds fills the compound filter with those the actor may see.
func (s *residentsScreen) loadCompounds() {
	run(s.u, func() ([]model.Compound, error) { return s.u.app.Compounds(s.u.ctx, s.u.actor) },
		func(cs []model.Compound, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			community := s.areas.community()
			s.compIDs = map[string]int64{}
			names := []string{i18n.L("filter.all")}
			seen := map[string]int{}
			for _, c := range cs {
				seen[c.Name]++
			}
			for _, c := range cs {
				if community != 0 && c.CommunityID != community {
					continue
				}
				label := c.Name
				if seen[c.Name] > 1 && community == 0 { // the same name in two communities
					label += "（" + s.areas.name(c.CommunityID) + "）"
				}
				s.compIDs[label] = c.ID
				names = append(names, label)
			}
			// A district has thousands of compounds: list them once a
			// community narrows them down.
			if community == 0 && len(names) > maxCompoundOptions+1 {
				names = nil
				s.compound.PlaceHolder = i18n.L("filter.compound.first")
				s.compound.Disable()
			} else {
				s.compound.PlaceHolder = i18n.L("filter.compound")
				s.compound.Enable()
			}
			s.compound.SetOptions(names)
			if _, ok := s.compIDs[s.compound.Selected]; !ok && s.compound.Selected != "" {
				s.compound.ClearSelected()
			}
			for label, id := range s.compIDs {
				if id == s.pinnedCompound && id != 0 {
					s.compound.SetSelected(label) // reloads the same filter
				}
			}
		})
}

// groupDigits writes 1234567 as 1,234,567.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
