package ui

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// aboutContent says what the program is, its version, and where its
// database and log are.
func (u *UI) aboutContent() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(i18n.L("app.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(i18n.L("about.text"))
	text.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(i18n.L("about.version"), widget.NewLabel(u.opts.Version)),
		widget.NewFormItem(i18n.L("about.db"), selectable(u.app.DBPath())),
		widget.NewFormItem(i18n.L("about.log"), selectable(u.opts.LogPath)),
		widget.NewFormItem(i18n.L("about.user"), widget.NewLabel(u.actor.Account.Username+"（"+i18n.L("role."+string(u.actor.Account.Role))+"）")),
	)
	where := widget.NewLabel(i18n.L("about.menu"))
	where.Wrapping = fyne.TextWrapWord
	return container.NewVBox(title, text, form, where)
}

// backup asks for a file and a passphrase, twice, and writes an encrypted
// backup in the background.
func (u *UI) backup() {
	file := widgets.NewEntry()
	file.SetText(u.defaultPath(strings.TrimSuffix(filepath.Base(u.app.DBPath()), filepath.Ext(u.app.DBPath())), ".backup"))
	phrase, phrase2 := widgets.NewPasswordEntry(), widgets.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("backup.file"), file),
		{Text: i18n.L("field.passphrase"), Widget: phrase, HintText: i18n.L("backup.phrase.hint")},
		widget.NewFormItem(i18n.L("setup.password2"), phrase2),
	}
	u.showForm(i18n.L("backup.title"), items, func() error {
		if phrase.Text != phrase2.Text {
			return errors.New(i18n.L("err.password.mismatch"))
		}
		if len([]rune(phrase.Text)) < 8 {
			return errors.New(i18n.L("err.passphrase.short"))
		}
		return nil
	}, func() {
		path, pass := file.Text, phrase.Text
		u.notify(i18n.L("backup.running"))
		run(u, func() (struct{}, error) { return struct{}{}, u.app.Backup(u.ctx, u.actor, path, pass) },
			func(_ struct{}, err error) {
				if err != nil {
					u.showError(err)
					return
				}
				u.notify(i18n.L("backup.done", map[string]any{"Path": path}))
			})
	})
}

// restore decrypts a backup into a new database file, to be opened with
// --db (the open database is never overwritten).
func (u *UI) restore() {
	in, db, phrase := widgets.NewEntry(), widgets.NewEntry(), widgets.NewPasswordEntry()
	db.SetText(strings.TrimSuffix(u.app.DBPath(), filepath.Ext(u.app.DBPath())) + "-restored-" + time.Now().Format("20060102") + ".db")
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("restore.in"), in),
		{Text: i18n.L("restore.db"), Widget: db, HintText: i18n.L("restore.db.hint")},
		widget.NewFormItem(i18n.L("field.passphrase"), phrase),
	}
	u.showForm(i18n.L("restore.button"), items, func() error {
		if strings.TrimSpace(in.Text) == "" || strings.TrimSpace(db.Text) == "" {
			return errors.New(i18n.L("ledger.file.required"))
		}
		return nil
	}, func() {
		src, dst, pass := in.Text, db.Text, phrase.Text
		u.notify(i18n.L("restore.running"))
		run(u, func() (int, error) { return u.app.RestoreBackup(u.ctx, u.actor, src, dst, pass) }, func(n int, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			u.inform(i18n.L("restore.button"), i18n.L("restore.done", map[string]any{"Count": n, "Path": dst}))
		})
	})
}

// settings lets an administrator set the idle lock's limit and how long
// the audit log is kept, for every account on this database.
func (u *UI) settings() {
	run(u, func() ([2]int, error) {
		idle, _ := u.app.IdleMinutes(u.ctx)
		months, _ := u.app.AuditRetention(u.ctx)
		return [2]int{idle, months}, nil
	}, func(now [2]int, _ error) { u.settingsForm(now[0], now[1]) })
}

// settingsForm is the settings' form, filled with what they are now.
func (u *UI) settingsForm(idle, months int) {
	idleEntry, keep := widgets.NewEntry(), widgets.NewEntry()
	idleEntry.SetText(strconv.Itoa(idle))
	keep.SetText(strconv.Itoa(months))
	items := []*widget.FormItem{
		{Text: i18n.L("settings.idle"), Widget: idleEntry, HintText: i18n.L("settings.idle.hint")},
		{Text: i18n.L("settings.retention"), Widget: keep, HintText: i18n.L("settings.retention.hint")},
	}
	u.showForm(i18n.L("settings.button"), items, func() error {
		i, err1 := strconv.Atoi(strings.TrimSpace(idleEntry.Text))
		m, err2 := strconv.Atoi(strings.TrimSpace(keep.Text))
		if err1 != nil || err2 != nil {
			return errors.New(i18n.L("settings.numbers"))
		}
		if err := u.app.SetIdleMinutes(u.ctx, u.actor, i); err != nil {
			return err
		}
		return u.app.SetAuditRetention(u.ctx, u.actor, m)
	}, func() {
		if u.opts.Idle <= 0 { // SHEQU_IDLE_MINUTES, when set, wins
			if i, err := strconv.Atoi(strings.TrimSpace(idleEntry.Text)); err == nil {
				u.idle = time.Duration(i) * time.Minute
			}
		}
		u.notify(i18n.L("settings.saved"))
	})
}

// remindBackup tells an administrator when the last backup is over a week old.
func (u *UI) remindBackup() {
	type result struct {
		due  bool
		last time.Time
	}
	run(u, func() (result, error) {
		due, last, err := u.app.BackupDue(u.ctx, u.actor)
		return result{due, last}, err
	}, func(r result, err error) {
		if err != nil || !r.due {
			return
		}
		msg := i18n.L("backup.due.never")
		if !r.last.IsZero() {
			msg = i18n.L("backup.due", map[string]any{"Date": r.last.Local().Format("2006-01-02")})
		}
		u.inform(i18n.L("backup.title"), msg)
	})
}

// changePassword asks for the current password and a new one, twice.
func (u *UI) changePassword() {
	old, pw, pw2 := widgets.NewPasswordEntry(), widgets.NewPasswordEntry(), widgets.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("about.passwd.old"), old),
		{Text: i18n.L("setup.password"), Widget: pw, HintText: i18n.L("setup.password.rule")},
		widget.NewFormItem(i18n.L("setup.password2"), pw2),
	}
	u.showForm(i18n.L("about.passwd"), items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(i18n.L("err.password.mismatch"))
		}
		return u.app.ChangePassword(u.ctx, u.actor, old.Text, pw.Text)
	}, func() { u.notify(i18n.L("about.passwd.done")) })
}

// selectable is a read-only text that can be selected and copied.
func selectable(s string) fyne.CanvasObject {
	e := widgets.NewEntry()
	e.SetText(s)
	e.OnChanged = func(string) { e.SetText(s) }
	return e
}
