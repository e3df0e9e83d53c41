package ui

import (
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// areaPicker chooses a street, then a community, then a grid; each level
// lists only the children of the one above.
type areaPicker struct {
	names     map[int64]string
	parents   map[int64]int64
	levels    [3]*widgets.Select
	ids       [3]map[string]int64
	children  map[int64][]model.Area
	onChanged func()
	quiet     bool
	loaded    bool  // the tree has been read
	want      int64 // an area chosen before it was: chosen once it is
}

func newAreaPicker(u *UI, onChanged func()) *areaPicker {
	p := &areaPicker{onChanged: onChanged}
	holders := []string{i18n.L("filter.street"), i18n.L("filter.community"), i18n.L("filter.grid")}
	for i := range p.levels {
		level := i
		p.levels[i] = newSelect(nil, func(string) { p.changed(level) })
		p.levels[i].PlaceHolder = holders[i]
	}
	p.reload(u)
	return p
}

// reload reads the area tree again (after areas were added, renamed,
// moved or deleted) and starts over from the street.
func (p *areaPicker) reload(u *UI) {
	load(u, func() ([]model.Area, error) { return u.app.VisibleAreas(u.ctx, u.actor) }, func(areas []model.Area) {
		p.children, p.names, p.parents = map[int64][]model.Area{}, map[int64]string{}, map[int64]int64{}
		for _, a := range areas {
			p.children[a.ParentID] = append(p.children[a.ParentID], a)
			p.names[a.ID] = a.Name
			p.parents[a.ID] = a.ParentID
		}
		p.loaded = true
		p.fill(0, 0)
		if p.want != 0 {
			p.choose(p.want)
		}
	})
}

// fill lists the children of parent at a level and clears the levels below.
func (p *areaPicker) fill(level int, parent int64) {
	for l := level; l < len(p.levels); l++ {
		p.ids[l] = map[string]int64{}
		p.quiet = true
		p.levels[l].ClearSelected()
		p.quiet = false
		p.levels[l].SetOptions(nil)
		p.levels[l].Disable()
	}
	if level > 0 && parent == 0 {
		return
	}
	names := []string{i18n.L("filter.all")}
	for _, a := range p.children[parent] {
		p.ids[level][a.Name] = a.ID
		names = append(names, a.Name)
	}
	p.levels[level].SetOptions(names)
	p.levels[level].Enable()
}

func (p *areaPicker) changed(level int) {
	if p.quiet {
		return
	}
	if p.levels[level].Selected == i18n.L("filter.all") { // 全部: no choice at this level
		p.quiet = true
		p.levels[level].ClearSelected()
		p.quiet = false
	}
	if level+1 < len(p.levels) {
		p.fill(level+1, p.ids[level][p.levels[level].Selected])
	}
	p.onChanged()
}

// selected is the deepest chosen area, 0 for none.
func (p *areaPicker) selected() int64 {
	for l := len(p.levels) - 1; l >= 0; l-- {
		if id := p.ids[l][p.levels[l].Selected]; id != 0 {
			return id
		}
	}
	return 0
}

// community is the chosen community, 0 for none.
func (p *areaPicker) community() int64 { return p.ids[1][p.levels[1].Selected] }

func (p *areaPicker) clear() { p.fill(0, 0) }

// name is the name of an area.
func (p *areaPicker) name(id int64) string { return p.names[id] }

// choose selects an area and the levels above it, without calling back.
func (p *areaPicker) choose(id int64) {
	if !p.loaded {
		p.want = id
		return
	}
	p.want = 0
	var chain []int64
	for a := id; a != 0; a = p.parents[a] {
		chain = append([]int64{a}, chain...)
	}
	p.fill(0, 0)
	for level, a := range chain[:min(len(chain), len(p.levels))] {
		p.quiet = true
		p.levels[level].SetSelected(p.names[a])
		p.quiet = false
		if level+1 < len(p.levels) {
			p.fill(level+1, a)
		}
	}
}
