package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// The 标签 screen (categories and tags with how many residents carry each,
// for staff to define, rename, merge and delete), the tags row of the
// resident form, and tagging a whole list.

// tagsScreen lists the tags by category; a double click on one (or 查看居民)
// lists the residents who carry it.
type tagsScreen struct {
	u       *UI
	content fyne.CanvasObject
	list    *widget.List
	tags    []model.Tag
	picked  int
	add     *widget.Button
	view    *widget.Button
	edit    []*widget.Button
}

// tagRow is a tag's line in the list: a click chooses it, a double click
// opens its residents.
type tagRow struct {
	widget.BaseWidget
	s   *tagsScreen
	i   widget.ListItemID
	box *fyne.Container
}

func (r *tagRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// Tapped chooses the tag, as the list would: the row takes the click so
// that it can tell a double click.
func (r *tagRow) Tapped(*fyne.PointEvent) { r.s.list.Select(r.i) }

func (r *tagRow) DoubleTapped(*fyne.PointEvent) {
	r.s.list.Select(r.i)
	r.s.open(r.i)
}

// open lists the residents carrying tag i on the residents screen.
func (s *tagsScreen) open(i int) {
	if i < 0 || i >= len(s.tags) {
		return
	}
	t := s.tags[i]
	s.u.showGroup(app.ListFilter{Cohort: &app.CohortFilter{TagsAny: []int64{t.ID}}}, i18n.L("tags.group", map[string]any{"Name": t.Name}))
}

// mayManageTags mirrors app's rule, to hide what would be refused.
func (u *UI) mayManageTags() bool {
	return u.canWrite() && u.actor.Account.Role != model.RoleGrid
}

func newTagsScreen(u *UI) *tagsScreen {
	s := &tagsScreen{u: u, picked: -1}
	s.list = widget.NewList(func() int { return len(s.tags) },
		func() fyne.CanvasObject {
			swatch := canvas.NewRectangle(color.Transparent)
			swatch.SetMinSize(fyne.NewSize(14, 14))
			swatch.CornerRadius = 3
			r := &tagRow{s: s, box: container.NewHBox(container.NewCenter(swatch), widget.NewLabel(""))}
			r.ExtendBaseWidget(r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := s.tags[i]
			o.(*tagRow).i = i
			row := o.(*tagRow).box
			sw := row.Objects[0].(*fyne.Container).Objects[0].(*canvas.Rectangle)
			sw.FillColor = parseRGB(t.ColorOf())
			sw.Refresh()
			row.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s    %s    %s", t.Category, t.Name, i18n.L("tags.count", map[string]any{"Count": t.Residents})))
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		s.picked = i
		s.view.Enable()
		for _, b := range s.edit {
			b.Enable()
		}
	}
	s.view = widget.NewButtonWithIcon(i18n.L("tags.residents"), theme.ListIcon(), func() { s.open(s.picked) })
	s.view.Disable()
	s.add = widget.NewButtonWithIcon(i18n.L("tags.add"), theme.ContentAddIcon(), func() { s.form(model.Tag{}) })
	s.add.Importance = widget.HighImportance
	rename := widget.NewButtonWithIcon(i18n.L("tags.edit"), theme.DocumentCreateIcon(), func() { s.form(s.tags[s.picked]) })
	merge := widget.NewButtonWithIcon(i18n.L("tags.merge"), theme.ContentCopyIcon(), s.merge)
	del := widget.NewButtonWithIcon(i18n.L("tags.delete"), theme.DeleteIcon(), s.delete)
	s.edit = []*widget.Button{rename, merge, del}
	for _, b := range s.edit {
		b.Disable()
	}
	manage := container.NewHBox(s.add, rename, merge, del)
	if !u.mayManageTags() {
		manage.Hide()
	}
	s.content = container.NewBorder(container.NewHBox(manage, s.view), nil, nil, nil, s.list)
	return s
}

func (s *tagsScreen) reload() {
	run(s.u, func() ([]model.Tag, error) { return s.u.app.Tags(s.u.ctx, s.u.actor) }, func(tags []model.Tag, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.tags, s.picked = tags, -1
		s.list.UnselectAll()
		s.view.Disable()
		for _, b := range s.edit {
			b.Disable()
		}
		s.list.Refresh()
	})
}

// form makes a tag (t.ID 0) or changes one: its name and category.
func (s *tagsScreen) form(t model.Tag) {
	name := widgets.NewEntry()
	name.SetText(t.Name)
	cat := newSelect(model.TagCategories, nil)
	cat.SetSelected(t.Category)
	if t.Category == "" {
		cat.SetSelected(model.TagCategories[len(model.TagCategories)-1])
	}
	colours := []string{i18n.L("tags.color.category")}
	rgb := map[string]string{}
	for _, c := range model.TagColors {
		colours = append(colours, c.Name)
		rgb[c.Name] = c.RGB
	}
	col := newSelect(colours, nil)
	col.SetSelectedIndex(0)
	for _, c := range model.TagColors {
		if c.RGB == t.Color {
			col.SetSelected(c.Name)
		}
	}
	title := i18n.L("tags.add")
	if t.ID != 0 {
		title = i18n.L("tags.edit")
	}
	s.u.showForm(title, []*widget.FormItem{widget.NewFormItem(i18n.L("field.tag"), name), widget.NewFormItem(i18n.L("field.category"), cat),
		widget.NewFormItem(i18n.L("field.color"), col)},
		func() error {
			t.Name, t.Category, t.Color = name.Text, cat.Selected, rgb[col.Selected]
			if t.ID == 0 {
				_, err := s.u.app.CreateTag(s.u.ctx, s.u.actor, t)
				return err
			}
			return s.u.app.UpdateTag(s.u.ctx, s.u.actor, t)
		}, s.reload)
}

// merge moves everyone with the picked tag onto another, which stays.
func (s *tagsScreen) merge() {
	from := s.tags[s.picked]
	var names []string
	ids := map[string]int64{}
	for _, t := range s.tags {
		if t.ID != from.ID {
			names = append(names, t.Name)
			ids[t.Name] = t.ID
		}
	}
	into := newSelect(names, nil)
	s.u.showForm(i18n.L("tags.merge"), []*widget.FormItem{
		{Text: "", Widget: widget.NewLabel(i18n.L("tags.merge.help", map[string]any{"Name": from.Name}))},
		widget.NewFormItem(i18n.L("tags.merge.into"), into)}, func() error {
		if into.Selected == "" {
			return errors.New(i18n.L("err.tag.same"))
		}
		return s.u.app.MergeTags(s.u.ctx, s.u.actor, from.ID, ids[into.Selected])
	}, s.reload)
}

// delete asks first, saying how many residents carry the tag.
func (s *tagsScreen) delete() {
	t := s.tags[s.picked]
	d := dialog.NewConfirm(i18n.L("tags.delete"), i18n.L("tags.delete.ask", map[string]any{"Name": t.Name, "Count": t.Residents}), func(ok bool) {
		if !ok {
			return
		}
		run(s.u, func() (struct{}, error) { return struct{}{}, s.u.app.DeleteTag(s.u.ctx, s.u.actor, t.ID) }, func(_ struct{}, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.reload()
		})
	}, s.u.win)
	s.u.open(d, dialogKeys{})
}

// parseRGB reads #RRGGBB.
func parseRGB(s string) color.Color {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.Gray{Y: 128}
	}
	return color.NRGBA{R: r, G: g, B: b, A: 255}
}

// tagsRow is the resident form's tags: one button per tag (tap to take it
// off) and a choice to add one; changes are saved at once.
func (f *residentForm) tagsRow() fyne.CanvasObject {
	box := container.NewHBox()
	var refresh func()
	add := newSelect(nil, nil)
	add.PlaceHolder = i18n.L("tags.give")
	ids := map[string]int64{}
	var show func(have, all []model.Tag)
	refresh = func() {
		type tags struct{ have, all []model.Tag }
		run(f.u, func() (tags, error) {
			have, err := f.u.app.ResidentTags(f.u.ctx, f.u.actor, f.orig.ID)
			if err != nil {
				return tags{}, err
			}
			all, err := f.u.app.TagNames(f.u.ctx, f.u.actor)
			return tags{have, all}, err
		}, func(t tags, err error) {
			if err != nil {
				f.u.showError(err)
				return
			}
			show(t.have, t.all)
		})
	}
	set := func(id int64, on bool) {
		run(f.u, func() (struct{}, error) { return struct{}{}, f.u.app.SetTag(f.u.ctx, f.u.actor, f.orig.ID, id, on) }, func(_ struct{}, err error) {
			if err != nil {
				f.u.showError(err)
			}
			refresh()
		})
	}
	show = func(have, all []model.Tag) {
		box.RemoveAll()
		carried := map[int64]bool{}
		for _, t := range have {
			carried[t.ID] = true
			t := t
			b := widget.NewButtonWithIcon(t.Name, theme.CancelIcon(), func() { set(t.ID, false) })
			b.Importance = widget.LowImportance
			if !f.u.canWrite() {
				b.Disable()
			}
			box.Add(b)
		}
		var names []string
		for _, t := range all {
			if !carried[t.ID] {
				names = append(names, t.Name)
				ids[t.Name] = t.ID
			}
		}
		add.OnChanged, add.Options = nil, names
		add.ClearSelected()
		add.OnChanged = func(name string) {
			if name == "" {
				return
			}
			set(ids[name], true)
		}
		add.Refresh()
		if f.u.canWrite() {
			box.Add(add)
		}
	}
	refresh()
	return container.NewHScroll(box)
}

// tagResidents gives (or takes) a tag to the n residents of a filter (what
// the residents list shows, a match's group), after saying how many.
func (u *UI) tagResidents(f app.ListFilter, n int) {
	load(u, func() ([]model.Tag, error) { return u.app.TagNames(u.ctx, u.actor) }, func(tags []model.Tag) { u.tagForm(f, n, tags) })
}

// tagForm asks which of tags to give (or take) to the n residents of f.
func (u *UI) tagForm(f app.ListFilter, n int, tags []model.Tag) {
	ids := map[string]int64{}
	var names []string
	for _, t := range tags {
		names = append(names, t.Name)
		ids[t.Name] = t.ID
	}
	pick := newSelect(names, nil)
	give := widget.NewRadioGroup([]string{i18n.L("tags.list.give"), i18n.L("tags.list.take")}, nil)
	give.Horizontal = true
	give.SetSelected(i18n.L("tags.list.give"))
	var changed int
	u.showForm(i18n.L("tags.list"), []*widget.FormItem{
		{Text: "", Widget: widget.NewLabel(i18n.L("tags.list.help", map[string]any{"Count": strconv.Itoa(n)}))},
		widget.NewFormItem(i18n.L("field.tag"), pick),
		widget.NewFormItem("", give)}, func() error {
		if pick.Selected == "" {
			return errors.New(i18n.L("tags.pick"))
		}
		on := give.Selected == i18n.L("tags.list.give")
		var err error
		changed, err = u.app.TagList(u.ctx, u.actor, f, ids[pick.Selected], on)
		return err
	}, func() {
		key := "cli.tag.add.done"
		if give.Selected != i18n.L("tags.list.give") {
			key = "cli.tag.remove.done"
		}
		u.notify(i18n.L(key, map[string]any{"Tag": pick.Selected, "Count": changed}))
	})
}
