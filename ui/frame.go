package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"shequ/app/model"
	"shequ/ui/i18n"
)

// mainMenu is the window's frame: the account's own actions (password,
// lock, sign out) and an administrator's data actions, where people look
// for them rather than under 关于.
func (u *UI) mainMenu() *fyne.MainMenu {
	// Nothing in the frame works while the session is locked or over.
	item := func(key string, f func()) *fyne.MenuItem {
		return fyne.NewMenuItem(i18n.L(key), func() {
			if u.actor != nil && u.lock == nil {
				touch()
				f()
			}
		})
	}
	account := fyne.NewMenu(i18n.L("menu.account"),
		item("menu.passwd", u.changePassword),
		item("menu.lock", u.lockNow),
		fyne.NewMenuItemSeparator(),
		item("menu.signout", u.signOut),
		quit(u),
	)
	menus := []*fyne.Menu{account}
	if u.actor.Account.Role == model.RoleAdmin {
		menus = append(menus, fyne.NewMenu(i18n.L("menu.data"),
			item("menu.backup", u.backup),
			item("menu.restore", u.restore),
			fyne.NewMenuItemSeparator(),
			item("menu.settings", u.settings),
		))
	}
	menus = append(menus, fyne.NewMenu(i18n.L("menu.help"), item("menu.about", func() { u.showTab(u.about) })))
	return fyne.NewMainMenu(menus...)
}

// signOut ends the session (audited) and asks who comes next: the office
// computer is shared, and the next person signs in with their own account.
func (u *UI) signOut() {
	if u.actor == nil {
		return
	}
	actor := u.actor
	run(u, func() (struct{}, error) { return struct{}{}, u.app.Logout(u.ctx, actor) }, func(_ struct{}, err error) {
		if err != nil {
			u.showError(err)
		}
	})
	u.actor = nil
	u.win.SetMainMenu(nil)
	u.win.SetTitle(i18n.L("app.title"))
	u.win.SetContent(widget.NewLabel(""))
	u.showLogin()
}

// quit closes the program, named so that it reads apart from signing out
// (Fyne would add a bare 退出 under 退出登录).
func quit(u *UI) *fyne.MenuItem {
	q := fyne.NewMenuItem(i18n.L("menu.quit"), func() { u.fa.Quit() })
	q.IsQuit = true
	return q
}

// needsExport runs f for an account that may write personal data out of
// the program (导出个人信息), and tells any other whom to ask.
func (u *UI) needsExport(f func()) func() {
	return func() {
		if u.actor != nil && u.actor.Account.CanExport {
			f()
			return
		}
		u.inform(i18n.L("perm.missing.title"), i18n.L("perm.export.missing"))
	}
}
