package ui

import (
	"strings"

	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// placeKinds maps tree node prefixes to place kinds, and each kind to the
// kind of its children.
var (
	placeKinds = map[string]app.PlaceKind{"c": app.PlaceCompound, "b": app.PlaceBuilding, "u": app.PlaceUnit, "h": app.PlaceHouse}
	childKind  = map[string]app.PlaceKind{"": app.PlaceCompound, "c": app.PlaceBuilding, "b": app.PlaceUnit, "u": app.PlaceHouse}
)

// add adds a child to a node: a compound at the top (""), then a
// building, a unit, a house (a house given: a house beside it).
func (s *housesScreen) add(parentUID string) {
	load(s.u, func() ([]model.Area, error) { return s.u.app.VisibleAreas(s.u.ctx, s.u.actor) },
		func(areas []model.Area) { s.addForm(parentUID, areas) })
}

// addForm is the form of a new place under parentUID, offering areas.
func (s *housesScreen) addForm(parentUID string, areas []model.Area) {
	if kind, _ := nodeID(parentUID); kind == "h" {
		parentUID = s.parents[parentUID]
	}
	kind, parent := nodeID(parentUID)
	what := childKind[kind]
	name := widgets.NewEntry()
	name.SetPlaceHolder(i18n.L("place.hint." + string(what)))
	items := []*widget.FormItem{widget.NewFormItem(i18n.L("place.name."+string(what)), name)}
	areaSel := newSelect(nil, nil)
	areaIDs := map[string]int64{}
	if what == app.PlaceCompound || what == app.PlaceHouse {
		level := model.LevelCommunity
		if what == app.PlaceHouse {
			level = model.LevelGrid
		}
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
		items = append(items, widget.NewFormItem(i18n.L("place.area."+string(level)), areaSel))
	}
	title := i18n.L("place.new." + string(what))
	if parentUID != "" {
		title += "：" + s.path(parentUID)
	}
	s.u.showForm(title, items, func() error {
		p, grid := parent, int64(0)
		if what == app.PlaceCompound {
			p = areaIDs[areaSel.Selected]
		} else if what == app.PlaceHouse {
			grid = areaIDs[areaSel.Selected]
		}
		_, err := s.u.app.CreatePlace(s.u.ctx, s.u.actor, what, p, name.Text, grid)
		return err
	}, func() {
		s.u.notify(i18n.L("done.created", map[string]any{"Name": name.Text}))
		s.reloadBranch(parentUID)
	})
}

// path is a node's labels from its compound down: 锦绣花园 3栋 2单元.
func (s *housesScreen) path(uid string) string {
	var parts []string
	for ; uid != ""; uid = s.parents[uid] {
		parts = append([]string{s.labels[uid]}, parts...)
	}
	return strings.Join(parts, " ")
}

// onRename renames the chosen node.
func (s *housesScreen) onRename() {
	uid := s.selected
	kind, id := nodeID(uid)
	what, ok := placeKinds[kind]
	if !ok {
		return
	}
	name := widgets.NewEntry()
	name.SetText(s.labels[uid])
	if what == app.PlaceHouse {
		room, _, _ := cutSpace(s.labels[uid])
		name.SetText(room)
	}
	s.u.showForm(i18n.L("house.rename")+"："+s.path(uid), []*widget.FormItem{widget.NewFormItem(i18n.L("place.name."+string(what)), name)},
		func() error { return s.u.app.RenamePlace(s.u.ctx, s.u.actor, what, id, name.Text) },
		func() {
			s.u.notify(i18n.L("done.renamed", map[string]any{"Name": name.Text}))
			s.reloadBranch(s.parents[uid])
			s.refreshHousehold()
			s.u.residents.reload()
		})
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
	delete(s.loading, uid) // what is being read is read again
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
