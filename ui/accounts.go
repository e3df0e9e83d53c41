package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// accountsScreen is 账号管理 for administrators: who may sign in, with
// which role, areas and permissions; add an account, reset a password.
type accountsScreen struct {
	u        *UI
	content  fyne.CanvasObject
	accounts []model.Account
	names    map[int64]string
	list     *widget.List
	picked   int
	reset    *widget.Button
}

func newAccountsScreen(u *UI) *accountsScreen {
	s := &accountsScreen{u: u, picked: -1, names: map[int64]string{}}
	s.list = widget.NewList(func() int { return len(s.accounts) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.line(s.accounts[i])) })
	s.list.OnSelected = func(i widget.ListItemID) { s.picked = i; s.reset.Enable() }
	add := widget.NewButtonWithIcon(i18n.L("accounts.add"), theme.ContentAddIcon(), s.onAdd)
	add.Importance = widget.HighImportance
	s.reset = widget.NewButtonWithIcon(i18n.L("accounts.reset"), theme.ViewRefreshIcon(), s.onReset)
	s.reset.Disable()
	area := widget.NewButtonWithIcon(i18n.L("areas.add"), theme.FolderNewIcon(), func() { u.addArea(nil) })
	s.content = container.NewBorder(container.NewHBox(add, s.reset, area), nil, nil, nil, s.list)
	return s
}

// addArea makes a street, community and grid from a path (an
// administrator's work); done, when given, gets the last one's id.
func (u *UI) addArea(done func(id int64, path string)) {
	path := widget.NewEntry()
	path.SetPlaceHolder("德源街道/红旗社区/第1网格")
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

func (s *accountsScreen) line(a model.Account) string {
	var areas, perms []string
	for _, id := range a.AreaIDs {
		areas = append(areas, s.names[id])
	}
	if a.CanReveal {
		perms = append(perms, i18n.L("perm.reveal"))
	}
	if a.CanExport {
		perms = append(perms, i18n.L("perm.export"))
	}
	if a.PersonalData {
		perms = append(perms, i18n.L("accounts.personal"))
	}
	parts := []string{a.Username, i18n.L("role." + string(a.Role)), strings.Join(areas, "、"), strings.Join(perms, "、")}
	return strings.Join(parts, "    ")
}

// reload reads the accounts and the names of their areas.
func (s *accountsScreen) reload() {
	type result struct {
		accs  []model.Account
		areas []model.Area
	}
	run(func() (result, error) {
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
		for _, a := range r.areas {
			s.names[a.ID] = areaPath(r.areas, a)
		}
		s.accounts, s.picked = r.accs, -1
		s.list.UnselectAll()
		s.reset.Disable()
		s.list.Refresh()
	})
}

// onAdd asks for a new account: name, password twice, role, areas and
// the two permissions.
func (s *accountsScreen) onAdd() {
	areas, err := s.u.app.VisibleAreas(s.u.ctx, s.u.actor)
	if err != nil {
		s.u.showError(err)
		return
	}
	name, pw, pw2 := widget.NewEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	role := newSelect(labels(app.Roles, func(r model.Role) string { return i18n.L("role." + string(r)) }), nil)
	role.SetSelected(i18n.L("role.worker"))
	ids := map[string]int64{}
	var opts []string
	for _, a := range areas {
		label := areaPath(areas, a)
		ids[label] = a.ID
		opts = append(opts, label)
	}
	areaChecks := widget.NewCheckGroup(opts, nil)
	reveal := widget.NewCheck(i18n.L("perm.reveal"), nil)
	export := widget.NewCheck(i18n.L("perm.export"), nil)
	personal := widget.NewCheck(i18n.L("accounts.personal"), nil)
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("field.username"), name),
		{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
		widget.NewFormItem(i18n.L("field.role"), role),
		widget.NewFormItem(i18n.L("field.area"), container.NewGridWrap(fyne.NewSize(460, 180), container.NewVScroll(areaChecks))),
		widget.NewFormItem(i18n.L("cli.account.perms"), container.NewVBox(reveal, export, personal)),
	}
	s.u.showForm(i18n.L("accounts.add"), items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(i18n.L("err.password.mismatch"))
		}
		r, _ := pickLabel(app.Roles, func(r model.Role) string { return i18n.L("role." + string(r)) }, role.Selected)
		var chosen []int64
		for _, label := range areaChecks.Selected {
			chosen = append(chosen, ids[label])
		}
		_, err := s.u.app.CreateAccount(s.u.ctx, s.u.actor, app.AccountInput{Username: name.Text, Password: pw.Text, Role: r,
			Areas: chosen, CanReveal: reveal.Checked, CanExport: export.Checked, PersonalData: personal.Checked})
		return err
	}, func() {
		s.u.notify(i18n.L("cli.account.added", map[string]any{"Name": name.Text, "Role": role.Selected}))
		s.reload()
	})
}

// onReset gives the chosen account a new password.
func (s *accountsScreen) onReset() {
	if s.picked < 0 {
		return
	}
	acc := s.accounts[s.picked]
	pw, pw2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
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
