package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/model"
	"shequ/store"
)

// auditActions are the actions the viewer's filter offers.
var auditActions = []string{"login.ok", "login.fail", "login.locked", "resident.open", "resident.search", "resident.list",
	"resident.create", "resident.change", "resident.move", "resident.leave", "resident.relation", "house.use",
	"place.create", "place.rename", "account.create", "account.reset", "account.password", "demo.load"}

// auditScreen is the 审计日志 viewer for administrators: newest first,
// filtered by account, action and target, with the chain's state.
type auditScreen struct {
	u       *UI
	content fyne.CanvasObject
	account *widget.Entry
	action  *widget.Select
	target  *widget.Entry
	chain   *widget.Label
	entries []model.AuditEntry
	list    *widget.List
}

func newAuditScreen(u *UI) *auditScreen {
	s := &auditScreen{u: u}
	s.account = widget.NewEntry()
	s.account.SetPlaceHolder(lang.L("audit.col.account"))
	s.target = widget.NewEntry()
	s.target.SetPlaceHolder(lang.L("audit.target.hint"))
	s.action = newSelect(append([]string{lang.L("filter.all")}, auditActions...), func(string) { s.reload() })
	s.account.OnSubmitted = func(string) { s.reload() }
	s.target.OnSubmitted = func(string) { s.reload() }
	s.chain = widget.NewLabel("")
	s.list = widget.NewList(func() int { return len(s.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := s.entries[i]
			o.(*widget.Label).SetText(strings.Join([]string{e.At.Local().Format("2006-01-02 15:04:05"), e.Account, e.Action, e.Target, e.Detail}, "   "))
		})
	find := widget.NewButtonWithIcon(lang.L("audit.find"), theme.SearchIcon(), s.reload)
	verify := widget.NewButtonWithIcon(lang.L("audit.verify"), theme.ConfirmIcon(), s.verify)
	bar := container.NewGridWithColumns(5, s.account, s.action, s.target, find, verify)
	s.content = container.NewBorder(container.NewVBox(bar, s.chain), nil, nil, nil, s.list)
	return s
}

// reload reads the newest 500 entries that match.
func (s *auditScreen) reload() {
	f := store.AuditFilter{Account: strings.TrimSpace(s.account.Text), Target: strings.TrimSpace(s.target.Text)}
	if s.action.Selected != lang.L("filter.all") {
		f.Action = s.action.Selected
	}
	run(func() ([]model.AuditEntry, error) { return s.u.app.AuditLog(s.u.ctx, s.u.actor, f, 500) },
		func(es []model.AuditEntry, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.entries = es
			s.list.Refresh()
		})
}

// verify checks the hash chain and says what it found.
func (s *auditScreen) verify() {
	type result struct {
		broken int64
		n      int
	}
	run(func() (result, error) {
		b, n, err := s.u.app.VerifyAudit(s.u.ctx)
		return result{b, n}, err
	}, func(r result, err error) {
		switch {
		case err != nil:
			s.u.showError(err)
		case r.broken != 0:
			s.chain.Importance = widget.DangerImportance
			s.chain.SetText(lang.L("cli.audit.broken", map[string]any{"ID": r.broken, "Count": r.n}))
		default:
			s.chain.Importance = widget.SuccessImportance
			s.chain.SetText(lang.L("cli.audit.whole", map[string]any{"Count": r.n}))
		}
	})
}
