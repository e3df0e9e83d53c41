package ui

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// cohortBuilder is the 人群 dialog: who a service is for, by age, sex,
// category, status, relation, tags and living alone, counted as the
// filters change, then applied to the residents list (which can then be
// exported or tagged).
type cohortBuilder struct {
	u                          *UI
	host                       cohortHost
	ages, at                   *widgets.Entry
	sex                        *widget.RadioGroup
	kinds, statuses, relations *widget.CheckGroup
	tagsAny, tagsAll, tagsNone *tagPicker
	alone, noID, noPhone       *widgets.Check
	count                      *widget.Label
	saved                      *widgets.Select
	compared                   *fyne.Container // the last comparison shown
	tagIDs                     map[string]int64
	changes                    int
	cancel                     context.CancelFunc // the count under way
}

// cohortHost is what a cohort is built for: the residents list, or the
// 数据看板.
type cohortHost interface {
	// filter is the host's filter (area, compound, search) with its cohort.
	filter() app.ListFilter
	// count counts a filter as the host would show it.
	count(ctx context.Context, f app.ListFilter) (int, error)
	// applyCohort shows the host for a cohort (nil: everyone).
	applyCohort(c *app.CohortFilter)
}

// countDelay is how long the builder (and the resident picker) waits for
// the next change before it counts: typing "25-35" counts once, not five
// times.
const countDelay = 250 * time.Millisecond

func checkGroup[T ~string](vals []T, label func(T) string, onChange func()) *widget.CheckGroup {
	var opts []string
	for _, v := range vals {
		opts = append(opts, label(v))
	}
	g := widget.NewCheckGroup(opts, func([]string) { onChange() })
	g.Horizontal = true
	return g
}

func picked[T ~string](g *widget.CheckGroup, vals []T, label func(T) string) []T {
	var out []T
	for _, v := range vals {
		for _, s := range g.Selected {
			if s == label(v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// openCohort shows the builder for the list, filled from its cohort.
func (s *residentsScreen) openCohort() {
	s.u.openCohort(s, s.cohort, func(b *cohortBuilder) { s.cohortDialog = b })
}

func (s *residentsScreen) applyCohort(c *app.CohortFilter) {
	s.cohort = c
	s.reload()
}

func (s *residentsScreen) count(ctx context.Context, f app.ListFilter) (int, error) {
	l, err := s.u.app.Residents(ctx, s.u.actor, f)
	if err != nil {
		return 0, err
	}
	return l.Count(ctx)
}

// openCohort shows the builder for a host, filled from a cohort, once the
// tags and saved cohorts it offers are read; opened gets it.
func (u *UI) openCohort(h cohortHost, current *app.CohortFilter, opened func(*cohortBuilder)) {
	type offers struct {
		tags  []model.Tag
		saved []app.SavedCohort
	}
	load(u, func() (offers, error) {
		tags, err := u.app.TagNames(u.ctx, u.actor)
		if err != nil {
			return offers{}, err
		}
		saved, err := u.app.SavedCohorts(u.ctx, u.actor)
		return offers{tags, saved}, err
	}, func(o offers) { opened(u.showCohort(h, current, o.tags, o.saved)) })
}

// showCohort is the builder, offering tags and saved cohorts.
func (u *UI) showCohort(h cohortHost, current *app.CohortFilter, tags []model.Tag, saved []app.SavedCohort) *cohortBuilder {
	b := &cohortBuilder{u: u, host: h, tagIDs: map[string]int64{}}
	changed := b.recount
	b.ages, b.at = widgets.NewEntry(), widgets.NewEntry()
	b.ages.SetPlaceHolder(i18n.L("hint.ages"))
	b.at.SetPlaceHolder(i18n.L("cohort.at.hint"))
	b.ages.OnChanged = func(string) { changed() }
	b.at.OnChanged = func(string) { changed() }
	b.sex = widget.NewRadioGroup([]string{i18n.L("filter.all"), i18n.Sex(model.Male), i18n.Sex(model.Female)}, func(string) { changed() })
	b.sex.Horizontal = true
	b.kinds = checkGroup(model.Kinds, i18n.Kind, changed)
	b.statuses = checkGroup(model.Statuses, i18n.Status, changed)
	b.relations = checkGroup(model.Relations, i18n.Relation, changed)
	var names []string
	for _, t := range tags {
		names = append(names, t.Name)
		b.tagIDs[t.Name] = t.ID
	}
	b.tagsAny, b.tagsAll, b.tagsNone = newTagPicker(names, changed), newTagPicker(names, changed), newTagPicker(names, changed)
	b.alone = widgets.NewCheck(i18n.L("cohort.alone"), func(bool) { changed() })
	b.noID = widgets.NewCheck(i18n.L("cohort.noid"), func(bool) { changed() })
	b.noPhone = widgets.NewCheck(i18n.L("cohort.nophone"), func(bool) { changed() })
	b.count = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.fill(current)

	var savedNames []string
	byName := map[string]app.CohortFilter{}
	for _, c := range saved {
		savedNames = append(savedNames, c.Name)
		byName[c.Name] = c.Filter
	}
	b.saved = newSelect(savedNames, func(name string) {
		if c, ok := byName[name]; ok {
			b.fill(&c)
			b.recount()
		}
	})
	form := widget.NewForm(
		widget.NewFormItem(i18n.L("cohort.saved"), b.saved),
		&widget.FormItem{Text: i18n.L("cohort.ages"), Widget: b.ages, HintText: i18n.L("cohort.ages.hint")},
		widget.NewFormItem(i18n.L("cohort.at"), b.at),
		widget.NewFormItem(i18n.L("col.sex"), b.sex),
		widget.NewFormItem(i18n.L("col.kind"), b.kinds),
		&widget.FormItem{Text: i18n.L("col.status"), Widget: b.statuses, HintText: i18n.L("cohort.statuses.hint")},
		widget.NewFormItem(i18n.L("col.relation"), b.relations),
		widget.NewFormItem(i18n.L("cohort.tags.any"), b.tagsAny.box),
		widget.NewFormItem(i18n.L("cohort.tags.all"), b.tagsAll.box),
		widget.NewFormItem(i18n.L("cohort.tags.none"), b.tagsNone.box),
		widget.NewFormItem("", container.NewHBox(b.alone, b.noID, b.noPhone)),
	)
	var d *dialog.CustomDialog
	clear := widget.NewButtonWithIcon(i18n.L("cohort.clear"), theme.ContentClearIcon(), func() {
		d.Hide()
		b.stop()
		h.applyCohort(nil)
	})
	apply := widget.NewButtonWithIcon(i18n.L("cohort.apply"), theme.ConfirmIcon(), func() {
		c := b.filter()
		if _, _, ok := app.ParseAges(c.Ages); !ok {
			b.count.SetText(i18n.L("err.cohort.ages"))
			return
		}
		d.Hide()
		b.stop()
		h.applyCohort(c)
	})
	apply.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(i18n.L("action.cancel"), theme.CancelIcon(), func() { d.Hide(); b.stop() })
	sample := widget.NewButtonWithIcon(i18n.L("cohort.sample"), theme.DownloadIcon(), func() { b.sample() })
	save := widget.NewButtonWithIcon(i18n.L("cohort.save"), theme.DocumentSaveIcon(), func() { b.save() })
	compare := widget.NewButtonWithIcon(i18n.L("cohort.compare.button"), theme.ViewRestoreIcon(), func() { b.compare(byName) })
	if !u.canWrite() {
		save.Hide()
	}
	if !u.actor.Account.CanExport {
		sample.Hide()
	}
	bottom := container.NewBorder(nil, nil, b.count, container.NewHBox(compare, save, sample, clear, cancel, apply))
	d = dialog.NewCustomWithoutButtons(i18n.L("cohort.title"), container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(form)), u.win)
	size := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(980, size.Width-40), min(640, size.Height-40)))
	u.open(d, dialogKeys{escape: cancel.OnTapped})
	b.count.SetText(i18n.L("residents.counting"))
	b.countNow()
	return b
}

// fill sets the widgets from a cohort.
func (b *cohortBuilder) fill(c *app.CohortFilter) {
	if c == nil {
		b.sex.SetSelected(i18n.L("filter.all"))
		return
	}
	b.ages.SetText(c.Ages)
	b.at.SetText(c.At)
	b.sex.SetSelected(i18n.L("filter.all"))
	if c.Sex != "" {
		b.sex.SetSelected(i18n.Sex(c.Sex))
	}
	labels := func(n int, label func(int) string) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, label(i))
		}
		return out
	}
	b.kinds.SetSelected(labels(len(c.Kinds), func(i int) string { return i18n.Kind(c.Kinds[i]) }))
	b.statuses.SetSelected(labels(len(c.Statuses), func(i int) string { return i18n.Status(c.Statuses[i]) }))
	b.relations.SetSelected(labels(len(c.Relations), func(i int) string { return i18n.Relation(c.Relations[i]) }))
	names := func(ids []int64) []string {
		var out []string
		for name, id := range b.tagIDs {
			for _, x := range ids {
				if x == id {
					out = append(out, name)
				}
			}
		}
		return out
	}
	b.tagsAny.set(names(c.TagsAny))
	b.tagsAll.set(names(c.TagsAll))
	b.tagsNone.set(names(c.TagsNone))
	b.alone.SetChecked(c.Alone)
	b.noID.SetChecked(c.NoIDNumber)
	b.noPhone.SetChecked(c.NoPhone)
}

// filter reads the widgets.
func (b *cohortBuilder) filter() *app.CohortFilter {
	c := &app.CohortFilter{Ages: strings.TrimSpace(b.ages.Text), At: strings.TrimSpace(b.at.Text),
		Kinds:     picked(b.kinds, model.Kinds, i18n.Kind),
		Statuses:  picked(b.statuses, model.Statuses, i18n.Status),
		Relations: picked(b.relations, model.Relations, i18n.Relation),
		Alone:     b.alone.Checked, NoIDNumber: b.noID.Checked, NoPhone: b.noPhone.Checked}
	for _, sx := range []model.Sex{model.Male, model.Female} {
		if b.sex.Selected == i18n.Sex(sx) {
			c.Sex = sx
		}
	}
	for _, set := range []struct {
		g   *tagPicker
		ids *[]int64
	}{{b.tagsAny, &c.TagsAny}, {b.tagsAll, &c.TagsAll}, {b.tagsNone, &c.TagsNone}} {
		for _, n := range set.g.selected() {
			*set.ids = append(*set.ids, b.tagIDs[n])
		}
	}
	return c
}

// recount counts the cohort within the list's area, compound and search,
// off the window's goroutine; a count overtaken by a newer change is
// dropped.
func (b *cohortBuilder) recount() {
	if b.count == nil {
		return
	}
	b.count.SetText(i18n.L("residents.counting"))
	b.changes++
	seen := b.changes
	b.u.sched.schedule(func() func() {
		time.Sleep(b.u.sched.settle)
		return func() {
			if seen == b.changes { // no change since: count now
				b.countNow()
			}
		}
	})
}

// countNow counts the cohort, cancelling a count still under way.
func (b *cohortBuilder) countNow() {
	b.stop()
	ctx, cancel := context.WithCancel(b.u.ctx)
	b.cancel = cancel
	f := b.host.filter()
	f.Cohort = b.filter()
	run(b.u, func() (int, error) { return b.host.count(ctx, f) }, func(n int, err error) {
		if ctx.Err() != nil { // replaced by a newer count, or the builder closed
			return
		}
		if err != nil {
			b.count.SetText(i18n.Message(err))
			return
		}
		b.count.SetText(i18n.L("cohort.count", map[string]any{"Count": groupDigits(n)}))
	})
}

// stop cancels the count under way.
func (b *cohortBuilder) stop() {
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
}

// cohortLabel says the list's cohort in the status line.
func cohortLabel(c *app.CohortFilter) string {
	if c == nil {
		return ""
	}
	return i18n.L("cohort.title") + ": " + i18n.Cohort(c)
}

// sample draws N of the cohort (reproducibly, by a seed) and exports them
// as a ledger with their addresses, for door-to-door visits.
func (b *cohortBuilder) sample() {
	u := b.u
	n, seed := widgets.NewEntry(), widgets.NewEntry()
	n.SetText("50")
	seed.SetText("1")
	var drawn app.ListFilter
	var got int
	u.showForm(i18n.L("cohort.sample"), []*widget.FormItem{
		widget.NewFormItem(i18n.L("cohort.sample.n"), n),
		{Text: i18n.L("cohort.sample.seed"), Widget: seed, HintText: i18n.L("cohort.sample.seed.hint")},
	}, func() error {
		k, err1 := strconv.Atoi(strings.TrimSpace(n.Text))
		sd, err2 := strconv.ParseUint(strings.TrimSpace(seed.Text), 10, 64)
		if err1 != nil || err2 != nil {
			return errors.New(i18n.L("settings.numbers"))
		}
		f := b.host.filter()
		f.Cohort = b.filter()
		var err error
		drawn, got, err = u.app.Sample(u.ctx, u.actor, f, k, sd)
		return err
	}, func() {
		// The export's own form opens once this one has closed.
		u.exportLedger(drawn, i18n.L("ledger.export.count", map[string]any{"What": cohortLabel(drawn.Cohort), "Count": got}))
	})
}

// save keeps the cohort as built under a name, for next time.
func (b *cohortBuilder) save() {
	u := b.u
	name := widgets.NewEntry()
	name.SetText(b.saved.Selected)
	u.showForm(i18n.L("cohort.save"), []*widget.FormItem{widget.NewFormItem(i18n.L("field.name"), name)}, func() error {
		return u.app.SaveCohort(u.ctx, u.actor, name.Text, *b.filter())
	}, func() {
		u.notify(i18n.L("cohort.save.done", map[string]any{"Name": strings.TrimSpace(name.Text)}))
		b.saved.SetOptions(append(b.saved.Options, strings.TrimSpace(name.Text)))
	})
}

// compare sets the cohort as built beside a saved one: how many, men and
// women, children, adults and elderly.
func (b *cohortBuilder) compare(saved map[string]app.CohortFilter) {
	u := b.u
	var names []string
	for n := range saved {
		names = append(names, n)
	}
	slices.Sort(names)
	other := newSelect(names, nil)
	u.showForm(i18n.L("cohort.compare"), []*widget.FormItem{widget.NewFormItem(i18n.L("cohort.saved"), other)}, func() error {
		if other.Selected == "" {
			return errors.New(i18n.L("cli.cohort.compare.two"))
		}
		return nil
	}, func() {
		base := b.host.filter()
		base.Cohort = nil
		name := other.Selected
		run(b.u, func() ([]app.CohortFacts, error) {
			return u.app.CompareCohorts(u.ctx, u.actor, base, []app.CohortFilter{*b.filter(), saved[name]})
		}, func(facts []app.CohortFacts, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			cells := []fyne.CanvasObject{widget.NewLabel(""), widget.NewLabelWithStyle(i18n.L("cohort.this"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
				widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})}
			for k, key := range app.CohortFactKeys {
				cells = append(cells, widget.NewLabel(i18n.L(key)))
				for _, f := range facts {
					cells = append(cells, widget.NewLabelWithStyle(groupDigits(f.Values()[k]), fyne.TextAlignTrailing, fyne.TextStyle{}))
				}
			}
			b.compared = container.NewGridWithColumns(3, cells...)
			cd := dialog.NewCustom(i18n.L("cohort.compare"), i18n.L("action.close"), b.compared, u.win)
			u.open(cd, dialogKeys{enter: cd.Hide})
		})
	})
}

// tagPicker is a check per tag, wrapping onto as many lines as an office's
// tags need (a check group would run off the dialog's side).
type tagPicker struct {
	box    *fyne.Container
	checks []*widgets.Check
}

func newTagPicker(names []string, changed func()) *tagPicker {
	p := &tagPicker{}
	var objs []fyne.CanvasObject
	for _, n := range names {
		c := widgets.NewCheck(n, func(bool) { changed() })
		p.checks = append(p.checks, c)
		objs = append(objs, c)
	}
	p.box = container.NewGridWrap(fyne.NewSize(120, 36), objs...)
	return p
}

func (p *tagPicker) selected() []string {
	var out []string
	for _, c := range p.checks {
		if c.Checked {
			out = append(out, c.Text)
		}
	}
	return out
}

func (p *tagPicker) set(names []string) {
	for _, c := range p.checks {
		c.SetChecked(slices.Contains(names, c.Text))
	}
}
