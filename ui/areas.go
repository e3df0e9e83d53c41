package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// areasScreen is 区域 for administrators: the tree of streets, communities
// and grids, kept by hand: add, rename, move, and delete one made by
// mistake. Beside the tree, what the chosen area holds and what comes next.
type areasScreen struct {
	u        *UI
	content  fyne.CanvasObject
	tree     *widget.Tree
	areas    []model.Area
	byID     map[int64]model.Area
	children map[int64][]int64
	picked   int64

	addChild, rename, move, remove *widget.Button
	title, held, next              *widget.Label
	toHouses                       *widget.Button
}

func newAreasScreen(u *UI) *areasScreen {
	s := &areasScreen{u: u}
	s.tree = widget.NewTree(s.childUIDs, s.isBranch,
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(uid string, _ bool, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.label(uid)) })
	s.tree.OnSelected = func(uid string) { s.pick(areaID(uid)) }
	street := widget.NewButtonWithIcon(i18n.L("areas.new.street"), theme.ContentAddIcon(), func() { s.onAdd(0) })
	s.addChild = widget.NewButtonWithIcon(i18n.L("areas.new.child"), theme.ContentAddIcon(), func() { s.onAdd(s.picked) })
	s.rename = widget.NewButtonWithIcon(i18n.L("areas.rename"), theme.DocumentCreateIcon(), s.onRename)
	s.move = widget.NewButtonWithIcon(i18n.L("areas.move"), theme.MailForwardIcon(), s.onMove)
	s.remove = widget.NewButtonWithIcon(i18n.L("areas.delete"), theme.DeleteIcon(), s.onDelete)
	s.title = widget.NewLabelWithStyle(i18n.L("areas.none"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.Wrapping = fyne.TextWrapWord
	s.held = widget.NewLabel("")
	s.held.Wrapping = fyne.TextWrapWord
	s.next = widget.NewLabel(i18n.L("areas.help"))
	s.next.Wrapping = fyne.TextWrapWord
	s.toHouses = widget.NewButtonWithIcon(i18n.L("areas.to.houses"), theme.HomeIcon(), func() { u.showTab(u.houses.content) })
	s.toHouses.Importance = widget.HighImportance
	s.toHouses.Hide()
	bar := container.NewHBox(street, s.addChild, s.rename, s.move, s.remove)
	right := container.NewVBox(s.title, s.held, s.next, container.NewHBox(s.toHouses))
	split := container.NewHSplit(s.tree, container.NewPadded(right))
	split.Offset = 0.4
	s.content = container.NewBorder(bar, nil, nil, nil, split)
	s.pick(0)
	return s
}

func areaID(uid string) int64 {
	id, _ := strconv.ParseInt(uid, 10, 64)
	return id
}

func (s *areasScreen) childUIDs(uid string) []string {
	var out []string
	for _, id := range s.children[areaID(uid)] {
		out = append(out, strconv.FormatInt(id, 10))
	}
	return out
}

func (s *areasScreen) isBranch(uid string) bool {
	return uid == "" || s.byID[areaID(uid)].Level != model.LevelGrid
}

func (s *areasScreen) label(uid string) string {
	ar := s.byID[areaID(uid)]
	return areaLabel(ar.Name, ar.Level)
}

// areaLabel is a name with its level: 红旗社区（社区）.
func areaLabel(name string, level model.AreaLevel) string {
	return i18n.L("areas.label", map[string]any{"Name": name, "Level": i18n.L("level." + string(level))})
}

// reload reads the tree and keeps the chosen area if it is still there.
func (s *areasScreen) reload() {
	run(s.u, func() ([]model.Area, error) { return s.u.app.VisibleAreas(s.u.ctx, s.u.actor) }, func(areas []model.Area, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.areas, s.byID, s.children = areas, map[int64]model.Area{}, map[int64][]int64{}
		for _, ar := range areas {
			s.byID[ar.ID] = ar
			s.children[ar.ParentID] = append(s.children[ar.ParentID], ar.ID)
		}
		s.tree.Refresh()
		if len(areas) <= 30 { // a new office's few areas: all in sight
			s.tree.OpenAllBranches()
		}
		if _, ok := s.byID[s.picked]; !ok {
			s.picked = 0
		}
		if s.picked == 0 {
			s.tree.UnselectAll()
			s.pick(0)
			return
		}
		for p := s.byID[s.picked].ParentID; p != 0; p = s.byID[p].ParentID {
			s.tree.OpenBranch(strconv.FormatInt(p, 10))
		}
		uid := strconv.FormatInt(s.picked, 10)
		s.tree.Select(uid) // shows it chosen; OnSelected picks it
		s.tree.ScrollTo(uid)
		s.pick(s.picked)
	})
}

// pick shows what the chosen area holds and enables what may be done.
func (s *areasScreen) pick(id int64) {
	s.picked = id
	ar, ok := s.byID[id]
	s.toHouses.Hide()
	if !ok {
		s.picked = 0
		s.title.SetText(i18n.L("areas.none"))
		s.held.SetText("")
		if len(s.areas) == 0 {
			s.next.SetText(i18n.L("areas.start"))
		} else {
			s.next.SetText(i18n.L("areas.help"))
		}
		for _, b := range []*widget.Button{s.addChild, s.rename, s.move, s.remove} {
			b.Disable()
		}
		return
	}
	s.title.SetText(areaLabel(areaPath(s.areas, ar), ar.Level))
	s.rename.Enable()
	s.remove.Enable()
	if ar.Level == model.LevelGrid {
		s.addChild.SetText(i18n.L("areas.new.child"))
		s.addChild.Disable()
	} else {
		s.addChild.Enable()
		s.addChild.SetText(i18n.L("areas.new." + string(childLevel(ar.Level))))
	}
	if ar.Level == model.LevelStreet {
		s.move.Disable()
	} else {
		s.move.Enable()
	}
	s.held.SetText("")
	s.next.SetText("")
	run(s.u, func() (model.AreaUse, error) { return s.u.app.AreaUse(s.u.ctx, s.u.actor, id) }, func(use model.AreaUse, err error) {
		if err != nil || s.picked != id {
			return
		}
		s.held.SetText(describeUse(ar.Level, use))
		s.addChild.Importance = widget.MediumImportance
		defer s.addChild.Refresh()
		switch {
		case ar.Level != model.LevelGrid && use.Children == 0:
			s.next.SetText(i18n.L("areas.next." + string(childLevel(ar.Level))))
			s.addChild.Importance = widget.HighImportance
		case ar.Level == model.LevelGrid && use.Houses == 0:
			s.next.SetText(i18n.L("areas.next.houses"))
			s.toHouses.Show()
		}
	})
}

// childLevel is the level of the areas under one of level.
func childLevel(level model.AreaLevel) model.AreaLevel {
	if level == model.LevelStreet {
		return model.LevelCommunity
	}
	return model.LevelGrid
}

// describeUse says what an area holds, in one line.
func describeUse(level model.AreaLevel, u model.AreaUse) string {
	var parts []string
	add := func(n int, key string) {
		if n > 0 {
			parts = append(parts, i18n.L(key, map[string]any{"Count": groupDigits(n)}))
		}
	}
	if level != model.LevelGrid {
		add(u.Children, "areas.held."+string(childLevel(level)))
	}
	add(u.Compounds, "areas.held.compounds")
	add(u.Houses, "areas.held.houses")
	add(u.Residents, "areas.held.residents")
	add(u.Accounts, "areas.held.accounts")
	add(u.Other, "areas.held.other")
	if len(parts) == 0 {
		return i18n.L("areas.held.nothing")
	}
	return strings.Join(parts, i18n.L("list.sep"))
}

func (s *areasScreen) onAdd(parent int64) {
	name := widgets.NewEntry()
	title := i18n.L("areas.new.street")
	if p, ok := s.byID[parent]; ok {
		title = i18n.L("areas.new."+string(childLevel(p.Level))) + " — " + p.Name
	}
	s.u.showForm(title, []*widget.FormItem{{Text: i18n.L("areas.name"), Widget: name, HintText: i18n.L("areas.name.hint")}},
		func() error {
			id, err := s.u.app.CreateArea(s.u.ctx, s.u.actor, parent, name.Text)
			if err == nil {
				s.picked = id
			}
			return err
		}, func() {
			s.u.notify(i18n.L("areas.added", map[string]any{"Name": strings.TrimSpace(name.Text)}))
			s.u.areasChanged()
		})
}

func (s *areasScreen) onRename() {
	ar := s.byID[s.picked]
	name := widgets.NewEntry()
	name.SetText(ar.Name)
	s.u.showForm(i18n.L("areas.rename"), []*widget.FormItem{widget.NewFormItem(i18n.L("areas.name"), name)},
		func() error { return s.u.app.RenameArea(s.u.ctx, s.u.actor, ar.ID, name.Text) },
		func() {
			s.u.notify(i18n.L("areas.renamed", map[string]any{"Old": ar.Name, "Name": strings.TrimSpace(name.Text)}))
			s.u.areasChanged()
		})
}

// onMove offers the areas of the level above, by their paths.
func (s *areasScreen) onMove() {
	ar := s.byID[s.picked]
	want := model.LevelStreet
	if ar.Level == model.LevelGrid {
		want = model.LevelCommunity
	}
	var opts []string
	ids := map[string]int64{}
	for _, p := range s.areas {
		if p.Level == want && p.ID != ar.ParentID {
			path := areaPath(s.areas, p)
			opts = append(opts, path)
			ids[path] = p.ID
		}
	}
	to := newSelect(opts, nil)
	to.PlaceHolder = i18n.L("areas.move.pick")
	s.u.showForm(i18n.L("areas.move")+" — "+ar.Name, []*widget.FormItem{{Text: i18n.L("areas.move.to"), Widget: to,
		HintText: i18n.L("areas.move.hint." + string(ar.Level))}},
		func() error {
			if to.Selected == "" {
				return errors.New(i18n.L("areas.move.pick"))
			}
			return s.u.app.MoveArea(s.u.ctx, s.u.actor, ar.ID, ids[to.Selected])
		}, func() {
			s.u.notify(i18n.L("areas.moved", map[string]any{"Name": ar.Name, "To": to.Selected}))
			s.u.areasChanged()
		})
}

// onDelete asks first; an area in use is refused by app with what it holds.
func (s *areasScreen) onDelete() {
	ar := s.byID[s.picked]
	d := dialog.NewConfirm(i18n.L("areas.delete.title"), i18n.L("areas.delete.ask", map[string]any{"Name": ar.Name}), func(ok bool) {
		if !ok {
			return
		}
		run(s.u, func() (struct{}, error) { return struct{}{}, s.u.app.DeleteArea(s.u.ctx, s.u.actor, ar.ID) }, func(_ struct{}, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.u.notify(i18n.L("areas.deleted", map[string]any{"Name": ar.Name}))
			s.u.areasChanged()
		})
	}, s.u.win)
	d.SetConfirmText(i18n.L("areas.delete.do"))
	d.SetDismissText(i18n.L("action.back"))
	d.SetConfirmImportance(widget.DangerImportance)
	s.u.open(d, dialogKeys{})
}
