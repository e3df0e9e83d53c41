package ui

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// auditActions are the actions the viewer's filter offers: every action
// with a name, so a new one is offered as soon as it is named.
func auditActions() []string { return i18n.Codes("audit.action.") }

// actionLabel says an audited action in the user's language.
func actionLabel(code string) string { return i18n.L("audit.action." + code) }

// auditScreen is the 审计日志 viewer for administrators: newest first,
// filtered by account, action and target, with the chain's state.
type auditScreen struct {
	u       *UI
	content fyne.CanvasObject
	account *widgets.Entry
	action  *widgets.Select
	actions []string
	target  *widgets.Entry
	from    *widgets.Entry
	to      *widgets.Entry
	chain   *widget.Label
	entries []model.AuditEntry
	table   *widgets.DataTable[model.AuditEntry]
}

func newAuditScreen(u *UI) *auditScreen {
	s := &auditScreen{u: u, actions: auditActions()}
	s.account = widgets.NewEntry()
	s.account.SetPlaceHolder(i18n.L("audit.col.account"))
	s.target = widgets.NewEntry()
	s.target.SetPlaceHolder(i18n.L("audit.target.hint"))
	s.action = newSelect(append([]string{i18n.L("filter.all")}, labels(s.actions, actionLabel)...), func(string) { s.reload() })
	s.action.Selected = i18n.L("filter.all")
	s.from, s.to = widgets.NewEntry(), widgets.NewEntry()
	s.from.SetPlaceHolder(i18n.L("audit.from"))
	s.to.SetPlaceHolder(i18n.L("audit.to"))
	for _, e := range []*widgets.Entry{s.account, s.target, s.from, s.to} {
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.chain = widget.NewLabel("")
	s.table = widgets.NewDataTable([]widgets.Column[model.AuditEntry]{
		{Title: i18n.L("audit.col.at"), Width: 170, Text: func(e model.AuditEntry) string { return e.At.Local().Format("2006-01-02 15:04:05") },
			Less: func(a, b model.AuditEntry) bool { return a.ID < b.ID }},
		{Title: i18n.L("audit.col.account"), Width: 110, Text: func(e model.AuditEntry) string { return e.Account }},
		{Title: i18n.L("audit.col.action"), Width: 150, Text: func(e model.AuditEntry) string { return actionLabel(e.Action) }},
		{Title: i18n.L("audit.col.target"), Width: 140, Text: func(e model.AuditEntry) string { return targetLabel(e.Target) }},
		{Title: i18n.L("audit.col.detail"), Width: 300, Grow: true, Text: func(e model.AuditEntry) string { return detailText(e.Detail) }},
	})
	s.table.OnActivated = s.show
	find := widget.NewButtonWithIcon(i18n.L("audit.find"), theme.SearchIcon(), s.reload)
	verify := widget.NewButtonWithIcon(i18n.L("audit.verify"), theme.ConfirmIcon(), s.verify)
	export := widget.NewButtonWithIcon(i18n.L("audit.export"), theme.DocumentSaveIcon(), s.export)
	purge := widget.NewButtonWithIcon(i18n.L("audit.purge"), theme.DeleteIcon(), s.purge)
	bar := container.NewGridWithColumns(4, s.account, s.action, s.target, s.from, s.to, find, verify, export, purge)
	s.content = container.NewBorder(container.NewVBox(bar, s.chain), nil, nil, nil, s.table.Content())
	return s
}

// targetKinds are the kinds of row an entry can name, as a person says
// them (the filter takes either).
var targetKinds = []string{"resident", "account", "area", "house", "tag", "appeal", "appeal_category", "worklog", "visit", "booking", "activity", "coupon"}

// targetLabel says an entry's target as a person reads it: 居民 #217 for
// resident:217; a file's name or other text as it is.
func targetLabel(t string) string {
	kind, id, ok := strings.Cut(t, ":")
	if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
		return t
	}
	if name := i18n.L("audit.kind." + kind); name != "audit.kind."+kind {
		return name + " #" + id
	}
	return t
}

// targetCode reads what is typed in the target filter: 居民 217, #217,
// 217 (a resident) or resident:217; anything else (a file's name) as it is.
func targetCode(in string) string {
	in = strings.TrimSpace(strings.ReplaceAll(in, "#", " "))
	if in == "" || strings.Contains(in, ":") {
		return in
	}
	fields := strings.Fields(in)
	id := fields[len(fields)-1]
	if strings.Trim(id, "0123456789") != "" {
		return in
	}
	if len(fields) == 1 {
		return "resident:" + id
	}
	word := strings.Join(fields[:len(fields)-1], " ")
	for _, k := range targetKinds {
		if strings.EqualFold(word, i18n.L("audit.kind."+k)) || strings.EqualFold(word, k) {
			return k + ":" + id
		}
	}
	return in
}

// detailText lays an entry's JSON detail out as words: key: value, …
func detailText(d string) string {
	var m map[string]any
	if d == "" || json.Unmarshal([]byte(d), &m) != nil {
		return d
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v, _ := json.Marshal(m[k])
		text := strings.Trim(string(v), `"`)
		parts = append(parts, k+": "+text)
	}
	return strings.Join(parts, "；")
}

// show opens one entry whole: its detail may be longer than its cell.
func (s *auditScreen) show(e model.AuditEntry) {
	text := widget.NewLabel(strings.Join([]string{
		i18n.L("audit.col.at") + "：" + e.At.Local().Format("2006-01-02 15:04:05"),
		i18n.L("audit.col.account") + "：" + e.Account,
		i18n.L("audit.col.action") + "：" + actionLabel(e.Action),
		i18n.L("audit.col.target") + "：" + targetLabel(e.Target),
		i18n.L("audit.col.detail") + "：" + detailText(e.Detail)}, "\n"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(actionLabel(e.Action), i18n.L("action.close"), container.NewVScroll(text), s.u.win)
	d.Resize(fyne.NewSize(min(640, s.u.win.Canvas().Size().Width-40), min(420, s.u.win.Canvas().Size().Height-40)))
	s.u.open(d, dialogKeys{enter: d.Hide})
}

// filter reads the viewer's fields.
func (s *auditScreen) filter() (model.AuditFilter, error) {
	f := model.AuditFilter{Account: strings.TrimSpace(s.account.Text), Target: targetCode(s.target.Text)}
	if code, ok := pickLabel(s.actions, actionLabel, s.action.Selected); ok {
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
	file := widgets.NewEntry()
	file.SetText(s.u.defaultPath(strings.TrimSuffix(filepath.Base(s.u.app.DBPath()), filepath.Ext(s.u.app.DBPath()))+"-audit", ".xlsx"))
	u := s.u
	u.showForm(i18n.L("audit.export"), []*widget.FormItem{widget.NewFormItem(i18n.L("audit.export.file"), file)},
		func() error { return u.checkFolder(strings.TrimSpace(file.Text)) }, func() {
			path := strings.TrimSpace(file.Text)
			exportLater(u, func(ctx context.Context) (int, error) { return u.app.ExportAudit(ctx, u.actor, f, path) },
				func(n int) { u.notify(i18n.L("cli.audit.exported", map[string]any{"Count": n, "Path": path})) })
		})
}

// purge archives the entries past the retention to an xlsx file, then
// removes them; the form says how long entries are kept.
func (s *auditScreen) purge() {
	run(s.u, func() (int, error) { return s.u.app.AuditRetention(s.u.ctx) }, func(months int, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.purgeForm(months)
	})
}

// purgeForm asks where to archive the entries older than months.
func (s *auditScreen) purgeForm(months int) {
	file := widgets.NewEntry()
	file.SetText(s.u.defaultPath(strings.TrimSuffix(filepath.Base(s.u.app.DBPath()), filepath.Ext(s.u.app.DBPath()))+"-audit-archive", ".xlsx"))
	help := widget.NewLabel(i18n.L("audit.purge.help", map[string]any{"Months": months}))
	help.Wrapping = fyne.TextWrapWord
	var n int
	s.u.showForm(i18n.L("audit.purge"), []*widget.FormItem{{Text: "", Widget: help}, widget.NewFormItem(i18n.L("audit.export.file"), file)}, func() error {
		var err error
		n, err = s.u.app.PurgeAudit(s.u.ctx, s.u.actor, file.Text)
		return err
	}, func() {
		if n == 0 {
			s.u.notify(i18n.L("audit.purge.none", map[string]any{"Months": months}))
		} else {
			s.u.notify(i18n.L("audit.purge.done", map[string]any{"Count": n, "Path": file.Text}))
		}
		s.reload()
	})
}

// reload reads the newest 500 entries that match.
func (s *auditScreen) reload() {
	f, err := s.filter()
	if err != nil {
		s.u.showError(err)
		return
	}
	run(s.u, func() ([]model.AuditEntry, error) { return s.u.app.AuditLog(s.u.ctx, s.u.actor, f, 500) },
		func(es []model.AuditEntry, err error) {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.entries = es
			s.table.SetRows(es)
		})
}

// verify checks the hash chain and says what it found.
func (s *auditScreen) verify() {
	run(s.u, func() (model.AuditVerdict, error) { return s.u.app.VerifyAudit(s.u.ctx) }, func(v model.AuditVerdict, err error) {
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
