package ui

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/model"
)

// aboutContent says what the program is, its version, and where its
// database and log are.
func (u *UI) aboutContent() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(lang.L("about.text"))
	text.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("about.version"), widget.NewLabel(u.opts.Version)),
		widget.NewFormItem(lang.L("about.db"), selectable(u.app.DBPath())),
		widget.NewFormItem(lang.L("about.log"), selectable(u.opts.LogPath)),
		widget.NewFormItem(lang.L("about.user"), widget.NewLabel(u.actor.Account.Username+"（"+lang.L("role."+string(u.actor.Account.Role))+"）")),
	)
	passwd := widget.NewButtonWithIcon(lang.L("about.passwd"), theme.AccountIcon(), u.changePassword)
	buttons := container.NewHBox(passwd)
	if u.actor.Account.Role == model.RoleAdmin {
		buttons.Add(widget.NewButtonWithIcon(lang.L("backup.button"), theme.DocumentSaveIcon(), u.backup))
		buttons.Add(widget.NewButtonWithIcon(lang.L("restore.button"), theme.HistoryIcon(), u.restore))
		buttons.Add(widget.NewButtonWithIcon(lang.L("settings.button"), theme.SettingsIcon(), u.settings))
	}
	return container.NewVBox(title, text, form, buttons)
}

// backup asks for a file and a passphrase, twice, and writes an encrypted
// backup in the background.
func (u *UI) backup() {
	file := widget.NewEntry()
	file.SetText(strings.TrimSuffix(u.app.DBPath(), filepath.Ext(u.app.DBPath())) + "-" + time.Now().Format("20060102") + ".backup")
	phrase, phrase2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("backup.file"), file),
		{Text: lang.L("field.passphrase"), Widget: phrase, HintText: lang.L("backup.phrase.hint")},
		widget.NewFormItem(lang.L("setup.password2"), phrase2),
	}
	u.showForm(lang.L("backup.title"), items, func() error {
		if phrase.Text != phrase2.Text {
			return errors.New(lang.L("err.password.mismatch"))
		}
		if len([]rune(phrase.Text)) < 8 {
			return errors.New(lang.L("err.passphrase.short"))
		}
		return nil
	}, func() {
		path, pass := file.Text, phrase.Text
		u.notify(lang.L("backup.running"))
		run(func() (struct{}, error) { return struct{}{}, u.app.Backup(u.ctx, u.actor, path, pass) },
			func(_ struct{}, err error) {
				if err != nil {
					u.showError(err)
					return
				}
				u.notify(lang.L("backup.done", map[string]any{"Path": path}))
			})
	})
}

// restore decrypts a backup into a new database file, to be opened with
// --db (the open database is never overwritten).
func (u *UI) restore() {
	in, db, phrase := widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	db.SetText(strings.TrimSuffix(u.app.DBPath(), filepath.Ext(u.app.DBPath())) + "-restored-" + time.Now().Format("20060102") + ".db")
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("restore.in"), in),
		{Text: lang.L("restore.db"), Widget: db, HintText: lang.L("restore.db.hint")},
		widget.NewFormItem(lang.L("field.passphrase"), phrase),
	}
	u.showForm(lang.L("restore.button"), items, func() error {
		if strings.TrimSpace(in.Text) == "" || strings.TrimSpace(db.Text) == "" {
			return errors.New(lang.L("ledger.file.required"))
		}
		return nil
	}, func() {
		src, dst, pass := in.Text, db.Text, phrase.Text
		u.notify(lang.L("restore.running"))
		run(func() (int, error) { return u.app.RestoreBackup(u.ctx, u.actor, src, dst, pass) }, func(n int, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			dialog.NewInformation(lang.L("restore.button"), lang.L("restore.done", map[string]any{"Count": n, "Path": dst}), u.win).Show()
		})
	})
}

// settings lets an administrator set the idle lock's limit and how long
// the audit log is kept, for every account on this database.
func (u *UI) settings() {
	idle, _ := u.app.IdleMinutes(u.ctx)
	months, _ := u.app.AuditRetention(u.ctx)
	idleEntry, keep := widget.NewEntry(), widget.NewEntry()
	idleEntry.SetText(strconv.Itoa(idle))
	keep.SetText(strconv.Itoa(months))
	items := []*widget.FormItem{
		{Text: lang.L("settings.idle"), Widget: idleEntry, HintText: lang.L("settings.idle.hint")},
		{Text: lang.L("settings.retention"), Widget: keep, HintText: lang.L("settings.retention.hint")},
	}
	u.showForm(lang.L("settings.button"), items, func() error {
		i, err1 := strconv.Atoi(strings.TrimSpace(idleEntry.Text))
		m, err2 := strconv.Atoi(strings.TrimSpace(keep.Text))
		if err1 != nil || err2 != nil {
			return errors.New(lang.L("settings.numbers"))
		}
		if err := u.app.SetIdleMinutes(u.ctx, u.actor, i); err != nil {
			return err
		}
		if err := u.app.SetAuditRetention(u.ctx, u.actor, m); err != nil {
			return err
		}
		if u.opts.Idle <= 0 { // SHEQU_IDLE_MINUTES, when set, wins
			u.idle = time.Duration(i) * time.Minute
		}
		return nil
	}, func() { u.notify(lang.L("settings.saved")) })
}

// remindBackup tells an administrator when the last backup is over a week old.
func (u *UI) remindBackup() {
	type result struct {
		due  bool
		last time.Time
	}
	run(func() (result, error) {
		due, last, err := u.app.BackupDue(u.ctx, u.actor)
		return result{due, last}, err
	}, func(r result, err error) {
		if err != nil || !r.due {
			return
		}
		msg := lang.L("backup.due.never")
		if !r.last.IsZero() {
			msg = lang.L("backup.due", map[string]any{"Date": r.last.Local().Format("2006-01-02")})
		}
		dialog.ShowInformation(lang.L("backup.title"), msg, u.win)
	})
}

// changePassword asks for the current password and a new one, twice.
func (u *UI) changePassword() {
	old, pw, pw2 := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("about.passwd.old"), old),
		{Text: lang.L("setup.password"), Widget: pw, HintText: lang.L("setup.password.rule")},
		widget.NewFormItem(lang.L("setup.password2"), pw2),
	}
	u.showForm(lang.L("about.passwd"), items, func() error {
		if pw.Text != pw2.Text {
			return errors.New(lang.L("err.password.mismatch"))
		}
		return u.app.ChangePassword(u.ctx, u.actor, old.Text, pw.Text)
	}, func() { u.notify(lang.L("about.passwd.done")) })
}

// selectable is a read-only text that can be selected and copied.
func selectable(s string) fyne.CanvasObject {
	e := widget.NewEntry()
	e.SetText(s)
	e.OnChanged = func(string) { e.SetText(s) }
	return e
}
