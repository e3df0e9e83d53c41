package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/model"
)

// placeKinds maps tree node prefixes to place kinds, and each kind to the
// kind of its children.
var (
	placeKinds = map[string]app.PlaceKind{"c": app.PlaceCompound, "b": app.PlaceBuilding, "u": app.PlaceUnit, "h": app.PlaceHouse}
	childKind  = map[string]app.PlaceKind{"": app.PlaceCompound, "c": app.PlaceBuilding, "b": app.PlaceUnit, "u": app.PlaceHouse}
)

// onAdd adds a child to the chosen node: a compound at the top, then a
// building, a unit, a house (a house chosen: a house beside it).
func (s *housesScreen) onAdd() {
	parentUID := s.selected
	if kind, _ := nodeID(parentUID); kind == "h" {
		parentUID = s.parents[parentUID]
	}
	kind, parent := nodeID(parentUID)
	what := childKind[kind]
	name := widget.NewEntry()
	items := []*widget.FormItem{widget.NewFormItem(lang.L("place.name."+string(what)), name)}
	areas, err := s.u.app.VisibleAreas(s.u.ctx, s.u.actor)
	if err != nil {
		s.u.showError(err)
		return
	}
	areaSel := widget.NewSelect(nil, nil)
	areaIDs := map[string]int64{}
	level := model.LevelCommunity
	if what == app.PlaceHouse {
		level = model.LevelGrid
	}
	if what == app.PlaceCompound || what == app.PlaceHouse {
		var opts []string
		for _, a := range areas {
			if a.Level == level {
				label := areaPath(areas, a)
				areaIDs[label] = a.ID
				opts = append(opts, label)
			}
		}
		areaSel.SetOptions(opts)
		if len(opts) == 1 {
			areaSel.SetSelected(opts[0])
		}
		items = append(items, widget.NewFormItem(lang.L("place.area."+string(level)), areaSel))
	}
	d := dialog.NewForm(lang.L("place.new."+string(what)), lang.L("action.ok"), lang.L("action.cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		p, grid := parent, int64(0)
		if what == app.PlaceCompound {
			p = areaIDs[areaSel.Selected]
		} else if what == app.PlaceHouse {
			grid = areaIDs[areaSel.Selected]
		}
		if _, err := s.u.app.CreatePlace(s.u.ctx, s.u.actor, what, p, name.Text, grid); err != nil {
			s.u.showError(err)
			return
		}
		s.reloadBranch(parentUID)
	}, s.u.win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
	s.u.win.Canvas().Focus(name)
}

// onRename renames the chosen node.
func (s *housesScreen) onRename() {
	uid := s.selected
	kind, id := nodeID(uid)
	what, ok := placeKinds[kind]
	if !ok {
		return
	}
	name := widget.NewEntry()
	name.SetText(s.labels[uid])
	if what == app.PlaceHouse {
		room, _, _ := cutSpace(s.labels[uid])
		name.SetText(room)
	}
	d := dialog.NewForm(lang.L("house.rename"), lang.L("action.ok"), lang.L("action.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("place.name."+string(what)), name)}, func(ok bool) {
			if !ok {
				return
			}
			if err := s.u.app.RenamePlace(s.u.ctx, s.u.actor, what, id, name.Text); err != nil {
				s.u.showError(err)
				return
			}
			s.reloadBranch(s.parents[uid])
			s.u.residents.reload()
		}, s.u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}

func cutSpace(s string) (string, string, bool) {
	for i, r := range s {
		if r == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// reloadBranch forgets a branch's children so they load again.
func (s *housesScreen) reloadBranch(uid string) {
	delete(s.children, uid)
	s.tree.Refresh()
	if uid != "" {
		s.tree.OpenBranch(uid)
	}
}

// areaPath writes an area with its parents: 德源街道 › 红旗社区 › 第1网格.
func areaPath(areas []model.Area, a model.Area) string {
	byID := map[int64]model.Area{}
	for _, x := range areas {
		byID[x.ID] = x
	}
	path := a.Name
	for p := byID[a.ParentID]; p.ID != 0; p = byID[p.ParentID] {
		path = p.Name + " › " + path
	}
	return path
}
