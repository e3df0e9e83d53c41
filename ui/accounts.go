package ui

import (
	"errors"
	"slices"
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

// accountsScreen is 账号管理 for administrators: who may sign in, with
// which role, areas and permissions; add, change, stop or restart an
// account, reset a password.
type accountsScreen struct {
	u       *UI
	content fyne.CanvasObject
	table   *widgets.DataTable[model.Account]
	names   map[int64]string
	areas   []model.Area // as last read, for the forms

	edit, reset, stop *widget.Button
}

func newAccountsScreen(u *UI) *accountsScreen {
	s := &accountsScreen{u: u, names: map[int64]string{}}
	s.table = widgets.NewDataTable([]widgets.Column[model.Account]{
		{Title: i18n.L("field.username"), Width: 130, Text: func(a model.Account) string { return a.Username }},
		{Title: i18n.L("field.display_name"), Width: 110, Text: func(a model.Account) string { return a.DisplayName }},
		{Title: i18n.L("field.role"), Width: 110, Text: func(a model.Account) string { return i18n.L("role." + string(a.Role)) }},
		{Title: i18n.L("field.area"), Width: 260, Grow: true, Text: s.areasOf},
		{Title: i18n.L("cli.account.perms"), Width: 260, Text: permsOf},
		{Title: i18n.L("accounts.state"), Width: 80, Text: stateOf},
	})
	s.table.SortBy(0, false)
	s.table.OnSelected = func(model.Account) { s.updateActions() }
	s.table.OnActivated = func(model.Account) { s.onEdit() }
	add := widget.NewButtonWithIcon(i18n.L("accounts.add"), theme.ContentAddIcon(), s.onAdd)
	add.Importance = widget.HighImportance
	s.edit = widget.NewButtonWithIcon(i18n.L("accounts.edit"), theme.DocumentCreateIcon(), s.onEdit)
	s.reset = widget.NewButtonWithIcon(i18n.L("accounts.reset"), theme.ViewRefreshIcon(), s.onReset)
	s.stop = widget.NewButtonWithIcon(i18n.L("accounts.disable"), theme.CancelIcon(), s.onStop)
	s.updateActions()
	s.content = container.NewBorder(container.NewHBox(add, s.edit, s.reset, s.stop), nil, nil, nil, s.table.Content())
	return s
}

// updateActions offers what fits the chosen account.
func (s *accountsScreen) updateActions() {
	acc, ok := s.table.Selected()
	for _, b := range []*widget.Button{s.edit, s.reset, s.stop} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && acc.Disabled {
		s.stop.SetText(i18n.L("accounts.enable"))
		s.stop.SetIcon(theme.ConfirmIcon())
	} else {
		s.stop.SetText(i18n.L("accounts.disable"))
		s.stop.SetIcon(theme.CancelIcon())
	}
}

func (s *accountsScreen) areasOf(a model.Account) string {
	if len(a.AreaIDs) == 0 {
		return i18n.L("accounts.everywhere")
	}
	var areas []string
	for _, id := range a.AreaIDs {
		areas = append(areas, s.names[id])
	}
	return strings.Join(areas, "、")
}

func permsOf(a model.Account) string {
	var perms []string
	if a.CanReveal {
		perms = append(perms, i18n.L("perm.reveal"))
	}
	if a.CanExport {
		perms = append(perms, i18n.L("perm.export"))
	}
	if a.PersonalData {
		perms = append(perms, i18n.L("accounts.personal"))
	}
	return strings.Join(perms, "、")
}

func stateOf(a model.Account) string {
	if a.Disabled {
		return i18n.L("accounts.disabled")
	}
	return i18n.L("accounts.enabled")
}

// reload reads the accounts and the names of their areas.
func (s *accountsScreen) reload() {
	type result struct {
		accs  []model.Account
		areas []model.Area
	}
	run(s.u, func() (result, error) {
		accs, err := s.u.app.Accounts(s.u.ctx, s.u.actor)
		if err != nil {
			return result{}, err
		}
		areas, err := s.u.app.VisibleAreas(s.u.ctx, s.u.actor)
		return result{accs, areas}, err
	}, func(r result, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.areas = r.areas
		for _, a := range r.areas {
			s.names[a.ID] = areaPath(r.areas, a)
		}
		s.table.SetRows(r.accs)
		s.updateActions()
	})
}

// accountForm is the part of the add and edit forms that says what an
// account may do: role, areas and permissions.
type accountForm struct {
	role                     *widgets.Select
	areas                    *widget.CheckGroup
	ids                      map[string]int64
	reveal, export, personal *widgets.Check
}

func (s *accountsScreen) newAccountForm() (*accountForm, []*widget.FormItem) {
	areas := s.areas
	f := &accountForm{ids: map[string]int64{}}
	f.role = newSelect(labels(app.Roles, func(r model.Role) string { return i18n.L("role." + string(r)) }), nil)
	f.role.SetSelected(i18n.L("role.worker"))
	var opts []string
	for _, a := range areas {
		label := areaPath(areas, a)
		f.ids[label] = a.ID
		opts = append(opts, label)
	}
	f.areas = widget.NewCheckGroup(opts, nil)
	f.reveal = widgets.NewCheck(i18n.L("perm.reveal"), nil)
	f.export = widgets.NewCheck(i18n.L("perm.export"), nil)
	f.personal = widgets.NewCheck(i18n.L("accounts.personal"), nil)
	height := min(180, s.u.win.Canvas().Size().Height-460) // the form and its buttons fit a 768-pixel screen
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("field.role"), f.role),
		{Text: i18n.L("field.area"), Widget: container.NewGridWrap(fyne.NewSize(460, max(height, 90)), container.NewVScroll(f.areas)),
			HintText: i18n.L("accounts.areas.hint")},
		widget.NewFormItem(i18n.L("cli.account.perms"), container.NewVBox(f.reveal, f.export, f.personal)),
	}
	return f, items
}

// fill shows an account's role, areas and permissions.
func (f *accountForm) fill(a model.Account) {
	f.role.SetSelected(i18n.L("role." + string(a.Role)))
	var chosen []string
	for label, id := range f.ids {
		if slices.Contains(a.AreaIDs, id) {
			chosen = append(chosen, label)
		}
	}
	f.areas.SetSelected(chosen)
	f.reveal.SetChecked(a.CanReveal)
	f.export.SetChecked(a.CanExport)
	f.personal.SetChecked(a.PersonalData)
}

func (f *accountForm) roleAndAreas() (model.Role, []int64) {
	r, _ := pickLabel(app.Roles, func(r model.Role) string { return i18n.L("role." + string(r)) }, f.role.Selected)
	var chosen []int64
	for _, label := range f.areas.Selected {
		chosen = append(chosen, f.ids[label])
	}
	return r, chosen
}

// onAdd asks for a new account: name, password twice, role, areas and
// permissions.
func (s *accountsScreen) onAdd() {
	f, items := s.newAccountForm()
	name, pw, pw2 := widgets.NewEntry(), widgets.NewPasswordEntry(), widgets.NewPasswordEntry()
	items = append([]*widget.FormItem{
		widget.NewFormItem(i18n.L("field.username"), name),
		{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
	}, items...)
	s.u.showForm(i18n.L("accounts.add"), items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(i18n.L("err.password.mismatch"))
		}
		r, chosen := f.roleAndAreas()
		_, err := s.u.app.CreateAccount(s.u.ctx, s.u.actor, app.AccountInput{Username: name.Text, Password: pw.Text, Role: r,
			Areas: chosen, CanReveal: f.reveal.Checked, CanExport: f.export.Checked, PersonalData: f.personal.Checked})
		return err
	}, func() {
		s.u.notify(i18n.L("cli.account.added", map[string]any{"Name": name.Text, "Role": f.role.Selected}))
		s.reload()
	})
}

// onEdit changes the chosen account's real name, role, areas and
// permissions.
func (s *accountsScreen) onEdit() {
	acc, ok := s.table.Selected()
	if !ok {
		return
	}
	f, items := s.newAccountForm()
	f.fill(acc)
	display := widgets.NewEntry()
	display.SetText(acc.DisplayName)
	items = append([]*widget.FormItem{{Text: i18n.L("field.display_name"), Widget: display, HintText: i18n.L("accounts.name.hint")}}, items...)
	s.u.showForm(i18n.L("accounts.edit.title", map[string]any{"Name": acc.Username}), items, func() error {
		r, chosen := f.roleAndAreas()
		return s.u.app.EditAccount(s.u.ctx, s.u.actor, acc.Username, app.AccountEdit{DisplayName: display.Text, Role: r, Areas: chosen,
			CanReveal: f.reveal.Checked, CanExport: f.export.Checked, PersonalData: f.personal.Checked})
	}, func() {
		s.u.notify(i18n.L("accounts.edited", map[string]any{"Name": acc.Username}))
		s.reload()
	})
}

// onStop stops the chosen account signing in (after a question), or lets
// it again.
func (s *accountsScreen) onStop() {
	acc, ok := s.table.Selected()
	if !ok {
		return
	}
	if acc.Disabled {
		run(s.u, func() (struct{}, error) {
			return struct{}{}, s.u.app.SetAccountDisabled(s.u.ctx, s.u.actor, acc.Username, false)
		},
			func(_ struct{}, err error) {
				if err != nil {
					s.u.showError(err)
					return
				}
				s.u.notify(i18n.L("accounts.enabled.done", map[string]any{"Name": acc.Username}))
				s.reload()
			})
		return
	}
	s.u.showForm(i18n.L("accounts.disable.title", map[string]any{"Name": acc.Username}),
		[]*widget.FormItem{{Text: "", Widget: widget.NewLabel(i18n.L("accounts.disable.ask"))}},
		func() error { return s.u.app.SetAccountDisabled(s.u.ctx, s.u.actor, acc.Username, true) },
		func() {
			s.u.notify(i18n.L("accounts.disabled.done", map[string]any{"Name": acc.Username}))
			s.reload()
		}).asks(i18n.L("accounts.disable.do"))
}

// addArea makes a street, community and grid from a path (an
// administrator's work); done, when given, gets the last one's id.
func (u *UI) addArea(done func(id int64, path string)) {
	path := widgets.NewEntry()
	path.SetPlaceHolder(i18n.L("hint.area.path"))
	var id int64
	u.showForm(i18n.L("areas.add"), []*widget.FormItem{{Text: i18n.L("areas.path"), Widget: path, HintText: i18n.L("areas.path.hint")}},
		func() error {
			var err error
			id, _, err = u.app.EnsureAreaPath(u.ctx, u.actor, path.Text)
			return err
		}, func() {
			u.notify(i18n.L("areas.done", map[string]any{"Path": path.Text}))
			if done != nil {
				done(id, path.Text)
			}
		})
}

// onReset gives the chosen account a new password.
func (s *accountsScreen) onReset() {
	acc, ok := s.table.Selected()
	if !ok {
		return
	}
	pw, pw2 := widgets.NewPasswordEntry(), widgets.NewPasswordEntry()
	items := []*widget.FormItem{
		{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
	}
	s.u.showForm(i18n.L("accounts.reset")+"："+acc.Username, items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(i18n.L("err.password.mismatch"))
		}
		return s.u.app.ResetPassword(s.u.ctx, s.u.actor, acc.Username, pw.Text)
	}, func() { s.u.notify(i18n.L("cli.account.reset", map[string]any{"Name": acc.Username})) })
}
