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

// housesScreen is the 房屋 screen: the tree 小区 › 楼栋 › 单元 › 房号,
// loaded branch by branch, and the household of the chosen house.
type housesScreen struct {
	u        *UI
	content  fyne.CanvasObject
	tree     *widget.Tree
	children map[string][]string
	labels   map[string]string
	parents  map[string]string
	loading  map[string]int // branches being read, by the read's number
	reads    int
	selected string

	addBtn, addCompound, renameBtn *widget.Button

	houseID  int64
	title    *widget.Label
	members  []model.Member
	table    *widgets.DataTable[model.Member]
	withPast *widgets.Check
	useSel   *widgets.Select
	useBox   *fyne.Container // the use and its label, shown with a house
	use      model.HouseUse
	actions  []*widget.Button
}

func newHousesScreen(u *UI) *housesScreen {
	s := &housesScreen{u: u}
	s.resetTree()
	s.tree = widget.NewTree(s.childUIDs, s.isBranch,
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(uid string, _ bool, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.labels[uid]) })
	s.tree.OnSelected = s.onNodeSelected
	s.addCompound = widget.NewButtonWithIcon(i18n.L("place.new.compound"), theme.ContentAddIcon(), func() { s.add("") })
	s.addBtn = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { s.add(s.selected) })
	s.renameBtn = widget.NewButtonWithIcon(i18n.L("house.rename"), theme.DocumentCreateIcon(), s.onRename)
	places := widgets.NewFlow(s.addCompound, s.addBtn, s.renameBtn)
	if !u.canWrite() {
		places.Hide()
	}
	left := container.NewBorder(places, nil, nil, nil, s.tree)
	s.updatePlaceActions()

	s.title = widget.NewLabel(i18n.L("house.none"))
	s.title.TextStyle = fyne.TextStyle{Bold: true}
	s.title.Wrapping = fyne.TextWrapWord
	s.table = widgets.NewDataTable([]widgets.Column[model.Member]{
		{Title: i18n.L("col.name"), Width: 110, Text: func(m model.Member) string { return m.Name }},
		{Title: i18n.L("col.relation"), Width: 90, Text: func(m model.Member) string { return i18n.Relation(m.Relation) }},
		{Title: i18n.L("col.sex"), Width: 56, Text: func(m model.Member) string { return i18n.Sex(m.Sex) }},
		{Title: i18n.L("col.age"), Width: 56, Text: func(m model.Member) string { return s.u.ageText(m.Birth) },
			Less: func(a, b model.Member) bool { return a.Birth > b.Birth }},
		{Title: i18n.L("house.col.since"), Width: 100, Text: func(m model.Member) string { return m.Since }},
		{Title: i18n.L("house.col.until"), Width: 100, Text: func(m model.Member) string { return m.Until }},
		{Title: i18n.L("col.status"), Width: 70, Grow: true, Text: func(m model.Member) string { return i18n.Status(m.Status) }},
	})
	s.table.OnSelected = func(model.Member) { s.updateActions() }
	s.table.OnActivated = func(m model.Member) { u.openResidentForm(m.ID, 0) }
	s.withPast = widgets.NewCheck(i18n.L("house.withpast"), func(bool) { s.refreshHousehold() })
	s.useSel = newSelect(labels(model.HouseUses, i18n.Use), s.onUse)
	s.useBox = container.NewHBox(widget.NewLabel(i18n.L("field.use")), s.useSel)
	s.useBox.Hide()
	s.actions = []*widget.Button{
		widget.NewButtonWithIcon(i18n.L("house.member.add"), theme.ContentAddIcon(), func() { u.openResidentForm(0, s.houseID) }),
		widget.NewButtonWithIcon(i18n.L("house.member.open"), theme.DocumentIcon(), func() { u.openResidentForm(s.member().ID, 0) }),
		widget.NewButtonWithIcon(i18n.L("house.member.relation"), theme.AccountIcon(), s.onRelation),
		widget.NewButtonWithIcon(i18n.L("house.member.move"), theme.MailForwardIcon(), s.onMove),
		widget.NewButtonWithIcon(i18n.L("house.member.moved"), theme.LogoutIcon(), func() { s.onLeave(model.StatusMoved) }),
		widget.NewButtonWithIcon(i18n.L("house.member.dead"), theme.CancelIcon(), func() { s.onLeave(model.StatusDead) }),
	}
	bar := widgets.NewFlow()
	for i, b := range s.actions {
		if i == 1 || u.canWrite() { // a leader may open a member, not change one
			bar.Add(b)
		}
	}
	if !u.canWrite() {
		s.useSel.Disable()
	}
	right := container.NewBorder(container.NewVBox(s.title, widgets.NewFlow(s.useBox, s.withPast), bar),
		nil, nil, nil, s.table.Content())
	split := container.NewHSplit(left, right)
	split.Offset = 0.35
	s.content = split
	s.updateActions()
	return s
}

func (s *housesScreen) resetTree() {
	s.children, s.labels, s.parents = map[string][]string{}, map[string]string{}, map[string]string{}
	s.loading = map[string]int{}
}

// updatePlaceActions names what 新建 will create under the chosen node.
func (s *housesScreen) updatePlaceActions() {
	kind, _ := nodeID(s.selected)
	if kind == "h" {
		kind = "u"
	}
	s.addBtn.SetText(i18n.L("place.new." + string(childKind[kind])))
	if s.selected == "" {
		s.addBtn.Hide()
		s.renameBtn.Disable()
	} else {
		s.addBtn.Show()
		s.renameBtn.Enable()
	}
}

// refreshRoot reloads the tree (after places change or on showing the screen).
func (s *housesScreen) refreshRoot() {
	s.resetTree()
	s.selected = ""
	s.tree.UnselectAll()
	s.updatePlaceActions()
	s.tree.Refresh()
}

func nodeID(uid string) (string, int64) {
	kind, id, _ := strings.Cut(uid, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	return kind, n
}

func (s *housesScreen) isBranch(uid string) bool { return !strings.HasPrefix(uid, "h:") }

// childUIDs loads a branch the first time it is opened (a district has
// 550,000 houses: only opened branches are read), in the background: the
// branch shows empty until its children come.
func (s *housesScreen) childUIDs(uid string) []string {
	if c, ok := s.children[uid]; ok {
		return c
	}
	if _, reading := s.loading[uid]; !reading {
		s.loadBranch(uid)
	}
	return nil
}

// node is a place in the tree: its uid and its label.
type node struct{ uid, label string }

// loadBranch reads a branch's children off the UI goroutine and shows them.
func (s *housesScreen) loadBranch(uid string) {
	s.reads++
	read := s.reads
	s.loading[uid] = read
	run(s.u, func() ([]node, error) { return s.readBranch(uid) }, func(nodes []node, err error) {
		if s.loading[uid] != read {
			return // the branch (or the tree) was asked for again meanwhile
		}
		delete(s.loading, uid)
		if err != nil {
			s.u.showError(err)
		}
		out := make([]string, len(nodes))
		for i, n := range nodes {
			s.labels[n.uid], s.parents[n.uid] = n.label, uid
			out[i] = n.uid
		}
		s.children[uid] = out
		s.tree.Refresh()
	})
}

// readBranch reads the children of a branch.
func (s *housesScreen) readBranch(uid string) ([]node, error) {
	kind, id := nodeID(uid)
	var out []node
	add := func(prefix string, id int64, label string) {
		out = append(out, node{fmt.Sprintf("%s:%d", prefix, id), label})
	}
	var err error
	u := s.u
	switch kind {
	case "":
		var cs []model.Compound
		if cs, err = u.app.Compounds(u.ctx, u.actor); err == nil {
			for _, c := range cs {
				add("c", c.ID, c.Name)
			}
		}
	case "c":
		var bs []model.Building
		if bs, err = u.app.Buildings(u.ctx, u.actor, id); err == nil {
			for _, b := range bs {
				add("b", b.ID, app.BuildingLabel(b.Name))
			}
		}
	case "b":
		var us []model.Unit
		if us, err = u.app.Units(u.ctx, u.actor, id); err == nil {
			for _, x := range us {
				label := app.UnitLabel(x.Name)
				if label == "" {
					label = i18n.L("house.nounit")
				}
				add("u", x.ID, label)
			}
		}
	case "u":
		var hs []model.House
		if hs, err = u.app.Houses(u.ctx, u.actor, id); err == nil {
			for _, h := range hs {
				add("h", h.ID, h.Room+"  "+i18n.Use(h.Use))
			}
		}
	}
	return out, err
}

func (s *housesScreen) onNodeSelected(uid string) {
	s.selected = uid
	s.updatePlaceActions()
	if kind, id := nodeID(uid); kind == "h" {
		s.houseID = id
		s.refreshHousehold()
		return
	}
	s.houseID, s.members = 0, nil
	s.title.SetText(i18n.L("house.none"))
	s.useBox.Hide()
	s.table.SetRows(nil)
	s.updateActions()
}

// refreshHousehold reloads the members of the chosen house.
func (s *housesScreen) refreshHousehold() {
	if s.houseID == 0 {
		return
	}
	id, past := s.houseID, s.withPast.Checked
	type result struct {
		addr    model.Address
		members []model.Member
	}
	run(s.u, func() (result, error) {
		addr, err := s.u.app.House(s.u.ctx, s.u.actor, id)
		if err != nil || s.u.seesNoPersonalData() {
			return result{addr: addr}, err // an administrator keeps the place, not who lives there
		}
		ms, err := s.u.app.Household(s.u.ctx, s.u.actor, id, past)
		return result{addr, ms}, err
	}, func(r result, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.title.SetText(i18n.L("house.title", map[string]any{"Address": app.FormatAddress(r.addr), "Count": countCurrent(r.members)}))
		if s.u.seesNoPersonalData() {
			s.title.SetText(i18n.L("house.nopersonal", map[string]any{"Address": app.FormatAddress(r.addr)}))
		}
		s.members = r.members
		s.use = r.addr.Use
		s.useSel.SetSelected(i18n.Use(r.addr.Use))
		s.useBox.Show()
		s.table.SetRows(r.members)
		s.updateActions()
	})
}

func countCurrent(ms []model.Member) int {
	n := 0
	for _, m := range ms {
		if m.Until == "" {
			n++
		}
	}
	return n
}

// member is the member chosen in the table, if any.
func (s *housesScreen) member() model.Member {
	m, _ := s.table.Selected()
	return m
}

// updateActions enables what makes sense: adding needs a house; the rest
// a current member.
func (s *housesScreen) updateActions() {
	for i, b := range s.actions {
		on := s.houseID != 0
		if i > 0 {
			_, chosen := s.table.Selected()
			on = on && chosen && (i == 1 || s.member().Until == "")
		}
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// onMove moves the chosen member to another house.
func (s *housesScreen) onMove() {
	m := s.member()
	picker := newHousePicker(s.u, 0)
	rel := newSelect(labels(model.Relations, i18n.Relation), nil)
	rel.SetSelected(i18n.Relation(m.Relation))
	if m.Relation == model.RelHead {
		rel.ClearSelected() // a householder rarely heads the household they join
	}
	date := widgets.NewEntry()
	date.SetText(s.u.app.Now().Format("2006-01-02"))
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("house.move.to"), picker.content),
		widget.NewFormItem(i18n.L("col.relation"), rel),
		widget.NewFormItem(i18n.L("house.move.date"), date),
	}
	s.u.showForm(i18n.L("house.move.title", map[string]any{"Name": m.Name}), items, func() error {
		r, _ := pickLabel(model.Relations, i18n.Relation, rel.Selected)
		return s.u.app.MoveResident(s.u.ctx, s.u.actor, m.ID, picker.houseID, r, date.Text)
	}, func() {
		s.u.notify(i18n.L("done.moved", map[string]any{"Name": m.Name}))
		s.u.residentsChanged()
	})
}

// onLeave records that the chosen member moved away or died.
func (s *housesScreen) onLeave(status model.Status) {
	m := s.member()
	date := widgets.NewEntry()
	date.SetText(s.u.app.Now().Format("2006-01-02"))
	title := i18n.L("house.leave.title."+string(status), map[string]any{"Name": m.Name})
	s.u.showForm(title, []*widget.FormItem{widget.NewFormItem(i18n.L("house.move.date"), date)}, func() error {
		return s.u.app.LeaveHouse(s.u.ctx, s.u.actor, m.ID, status, date.Text)
	}, func() {
		s.u.notify(title)
		s.u.residentsChanged()
	})
}

// onRelation changes the chosen member's relation to the householder.
func (s *housesScreen) onRelation() {
	m := s.member()
	rel := newSelect(labels(model.Relations, i18n.Relation), nil)
	rel.SetSelected(i18n.Relation(m.Relation))
	s.u.showForm(i18n.L("house.relation.title", map[string]any{"Name": m.Name}),
		[]*widget.FormItem{widget.NewFormItem(i18n.L("col.relation"), rel)}, func() error {
			r, _ := pickLabel(model.Relations, i18n.Relation, rel.Selected)
			return s.u.app.ChangeRelation(s.u.ctx, s.u.actor, m.ID, r)
		}, func() {
			s.u.notify(i18n.L("done.saved", map[string]any{"Name": m.Name}))
			s.u.residentsChanged()
		})
}

// onUse records what the chosen house is used for.
func (s *housesScreen) onUse(label string) {
	use, ok := pickLabel(model.HouseUses, i18n.Use, label)
	if !ok || s.houseID == 0 || use == s.use {
		return
	}
	house, node := s.houseID, s.selected
	run(s.u, func() (struct{}, error) { return struct{}{}, s.u.app.SetHouseUse(s.u.ctx, s.u.actor, house, use) }, func(_ struct{}, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		if s.houseID == house {
			s.use = use
		}
		s.u.notify(i18n.L("done.use", map[string]any{"Use": label}))
		s.reloadBranch(s.parents[node])
	})
}
