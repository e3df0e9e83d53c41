package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// auditActions are the actions the viewer's filter offers.
var auditActions = []string{"login.ok", "login.fail", "login.locked", "resident.open", "resident.search", "resident.list",
	"resident.create", "resident.change", "resident.move", "resident.leave", "resident.relation", "resident.reveal", "house.use",
	"place.create", "place.rename", "account.create", "account.reset", "account.password", "demo.load", "backup", "export",
	"import", "setting.change", "backup.restore", "audit.purge", "area.create", "account.personal_data",
	"tag.create", "tag.change", "tag.merge", "tag.delete", "tag.set", "tag.unset", "cohort.save", "audit.guard", "audit.rekey",
	"visit.lookup", "area.rename", "area.move", "area.delete", "login.out", "account.edit", "account.disable", "account.enable"}

// actionLabel says an audited action in the user's language.
func actionLabel(code string) string { return i18n.L("audit.action." + code) }

// auditScreen is the 审计日志 viewer for administrators: newest first,
// filtered by account, action and target, with the chain's state.
type auditScreen struct {
	u       *UI
	content fyne.CanvasObject
	account *widget.Entry
	action  *widget.Select
	target  *widget.Entry
	from    *widget.Entry
	to      *widget.Entry
	chain   *widget.Label
	entries []model.AuditEntry
	list    *widget.List
}

func newAuditScreen(u *UI) *auditScreen {
	s := &auditScreen{u: u}
	s.account = widget.NewEntry()
	s.account.SetPlaceHolder(i18n.L("audit.col.account"))
	s.target = widget.NewEntry()
	s.target.SetPlaceHolder(i18n.L("audit.target.hint"))
	s.action = newSelect(append([]string{i18n.L("filter.all")}, labels(auditActions, actionLabel)...), func(string) { s.reload() })
	s.action.Selected = i18n.L("filter.all")
	s.from, s.to = widget.NewEntry(), widget.NewEntry()
	s.from.SetPlaceHolder(i18n.L("audit.from"))
	s.to.SetPlaceHolder(i18n.L("audit.to"))
	for _, e := range []*widget.Entry{s.account, s.target, s.from, s.to} {
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.chain = widget.NewLabel("")
	s.list = widget.NewList(func() int { return len(s.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := s.entries[i]
			o.(*widget.Label).SetText(strings.Join([]string{e.At.Local().Format("2006-01-02 15:04:05"), e.Account, actionLabel(e.Action), e.Target, e.Detail}, "   "))
		})
	find := widget.NewButtonWithIcon(i18n.L("audit.find"), theme.SearchIcon(), s.reload)
	verify := widget.NewButtonWithIcon(i18n.L("audit.verify"), theme.ConfirmIcon(), s.verify)
	export := widget.NewButtonWithIcon(i18n.L("audit.export"), theme.DocumentSaveIcon(), s.export)
	purge := widget.NewButtonWithIcon(i18n.L("audit.purge"), theme.DeleteIcon(), s.purge)
	bar := container.NewGridWithColumns(4, s.account, s.action, s.target, s.from, s.to, find, verify, export, purge)
	s.content = container.NewBorder(container.NewVBox(bar, s.chain), nil, nil, nil, s.list)
	return s
}

// filter reads the viewer's fields.
func (s *auditScreen) filter() (model.AuditFilter, error) {
	f := model.AuditFilter{Account: strings.TrimSpace(s.account.Text), Target: strings.TrimSpace(s.target.Text)}
	if code, ok := pickLabel(auditActions, actionLabel, s.action.Selected); ok {
		f.Action = code
	}
	var err error
	f.From, f.To, err = app.DayBounds(s.from.Text, s.to.Text)
	return f, err
}

// export writes every matching entry to an xlsx file.
func (s *auditScreen) export() {
	f, err := s.filter()
	if err != nil {
		s.u.showError(err)
		return
	}
	file := widget.NewEntry()
	file.SetText(strings.TrimSuffix(s.u.app.DBPath(), filepath.Ext(s.u.app.DBPath())) + "-audit-" + time.Now().Format("20060102") + ".xlsx")
	u := s.u
	u.showForm(i18n.L("audit.export"), []*widget.FormItem{widget.NewFormItem(i18n.L("audit.export.file"), file)},
		func() error { return checkFolder(strings.TrimSpace(file.Text)) }, func() {
			path := strings.TrimSpace(file.Text)
			exportLater(u, func(ctx context.Context) (int, error) { return u.app.ExportAudit(ctx, u.actor, f, path) },
				func(n int) { u.notify(i18n.L("cli.audit.exported", map[string]any{"Count": n, "Path": path})) })
		})
}

// purge archives the entries past the retention to an xlsx file, then
// removes them; the form says how long entries are kept.
func (s *auditScreen) purge() {
	months, err := s.u.app.AuditRetention(s.u.ctx)
	if err != nil {
		s.u.showError(err)
		return
	}
	file := widget.NewEntry()
	file.SetText(strings.TrimSuffix(s.u.app.DBPath(), filepath.Ext(s.u.app.DBPath())) + "-audit-archive-" + time.Now().Format("20060102") + ".xlsx")
	help := widget.NewLabel(i18n.L("audit.purge.help", map[string]any{"Months": months}))
	help.Wrapping = fyne.TextWrapWord
	s.u.showForm(i18n.L("audit.purge"), []*widget.FormItem{{Text: "", Widget: help}, widget.NewFormItem(i18n.L("audit.export.file"), file)}, func() error {
		n, err := s.u.app.PurgeAudit(s.u.ctx, s.u.actor, file.Text)
		if err != nil {
			return err
		}
		if n == 0 {
			s.u.notify(i18n.L("audit.purge.none", map[string]any{"Months": months}))
		} else {
			s.u.notify(i18n.L("audit.purge.done", map[string]any{"Count": n, "Path": file.Text}))
		}
		s.reload()
		return nil
	}, nil)
}

// reload reads the newest 500 entries that match.
func (s *auditScreen) reload() {
	f, err := s.filter()
	if err != nil {
		s.u.showError(err)
		return
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
	run(func() (model.AuditVerdict, error) { return s.u.app.VerifyAudit(s.u.ctx) }, func(v model.AuditVerdict, err error) {
		switch {
		case err != nil:
			s.u.showError(err)
			return
		case v.Whole():
			s.chain.Importance = widget.SuccessImportance
		default:
			s.chain.Importance = widget.DangerImportance
		}
		s.chain.SetText(i18n.L(app.AuditMessage(v)))
	})
}
