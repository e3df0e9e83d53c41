package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// joinForm is the first start's way into the district: the server's
// address, the district's CA file where it signs its own certificates,
// and an account of the server's.
type joinForm struct {
	server, ca, user, password *widgets.Entry
	form                       *widget.Form
}

func newJoinForm() *joinForm {
	j := &joinForm{server: widgets.NewEntry(), ca: widgets.NewEntry(), user: widgets.NewEntry(), password: widgets.NewPasswordEntry()}
	j.server.SetPlaceHolder("https://sync.example:8443")
	j.ca.SetPlaceHolder(i18n.L("sync.ca.hint"))
	j.form = widget.NewForm(
		widget.NewFormItem(i18n.L("sync.server"), j.server),
		widget.NewFormItem(i18n.L("sync.ca"), j.ca),
		widget.NewFormItem(i18n.L("sync.user"), j.user),
		widget.NewFormItem(i18n.L("field.password"), j.password),
	)
	return j
}

// joinDistrict enrols this new database with the server as the account
// given, receives its areas' data behind a progress bar that can be
// cancelled, and signs in as that account. A failure is said under the
// fields, which keep what was typed.
func (u *UI) joinDistrict(setup dialog.Dialog, j *joinForm, msg *widget.Label) {
	server, ca, user, pw := strings.TrimSpace(j.server.Text), strings.TrimSpace(j.ca.Text), strings.TrimSpace(j.user.Text), j.password.Text
	if user == "" || pw == "" {
		setError(msg, i18n.L("setup.join.missing"))
		return
	}
	setError(msg, "")
	type joined struct {
		actor  *app.Actor
		res    app.SyncResult
		server string // as the sync settings keep it
	}
	withProgress(u, i18n.L("setup.join.progress"), func(ctx context.Context, progress func(done, total int)) (joined, error) {
		actor, res, err := u.app.SyncEnrol(ctx, nil, server, ca, user, pw, func(_ string, done, total int) {
			if total > 0 {
				progress(done, total)
			}
		})
		st, _ := u.app.SyncStatus(ctx)
		return joined{actor, res, st.Server}, err
	}, func(r joined, err error) {
		if err != nil {
			setError(msg, i18n.Message(err))
			return
		}
		setup.Hide()
		u.signedIn(r.actor)
		u.notify(i18n.L("setup.join.done", map[string]any{"Server": r.server, "User": r.actor.Account.Username, "Pulled": r.res.Pulled}))
	})
}
