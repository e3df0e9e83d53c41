package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"time"

	"shequ/app/model"
)

// Settings an administrator keeps for everyone on a database, and the
// audited actions on them.
const (
	settingIdleMinutes    = "idle_minutes"
	settingAuditRetention = "audit_retention_months"
	DefaultIdleMinutes    = 15
	DefaultAuditRetention = 36 // months
	MinAuditRetention     = 6  // the law's least
	maxIdleMinutes        = 120
	AuditSettingChange    = "setting.change"
	AuditRestore          = "backup.restore"
	AuditPurge            = "audit.purge"
)

func (a *App) intSetting(ctx context.Context, key string, def int) (int, error) {
	v, err := a.st.Setting(ctx, key)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, nil
	}
	return n, nil
}

// IdleMinutes is how long a window may stay unused before it locks.
func (a *App) IdleMinutes(ctx context.Context) (int, error) {
	return a.intSetting(ctx, settingIdleMinutes, DefaultIdleMinutes)
}

// SetIdleMinutes changes the idle lock's limit (1–120 minutes) for every
// account; only an administrator may, and it is audited.
func (a *App) SetIdleMinutes(ctx context.Context, actor *Actor, minutes int) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	if minutes < 1 || minutes > maxIdleMinutes {
		return problem("idle", "err.idle.range", map[string]any{"Max": maxIdleMinutes})
	}
	return a.setSetting(ctx, actor, settingIdleMinutes, "idle", minutes)
}

// AuditRetention is how many months audit entries are kept at least.
func (a *App) AuditRetention(ctx context.Context) (int, error) {
	return a.intSetting(ctx, settingAuditRetention, DefaultAuditRetention)
}

// SetAuditRetention changes how long audit entries are kept (at least six
// months); only an administrator may, and it is audited.
func (a *App) SetAuditRetention(ctx context.Context, actor *Actor, months int) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	if months < MinAuditRetention || months > 1200 {
		return problem("retention", "err.retention.range", map[string]any{"Min": MinAuditRetention})
	}
	return a.setSetting(ctx, actor, settingAuditRetention, "audit_retention", months)
}

func (a *App) setSetting(ctx context.Context, actor *Actor, key, name string, v int) error {
	old, err := a.st.Setting(ctx, key)
	if err != nil {
		return err
	}
	return a.st.SetSetting(ctx, auditNote(actor.Account.Username, AuditSettingChange, name, map[string]any{"old": old, "new": v}),
		key, strconv.Itoa(v))
}

// RestoreBackup is Restore for an administrator at the window: the backup
// goes into a new database file (never over this one), and the act is in
// this database's audit log.
func (a *App) RestoreBackup(ctx context.Context, actor *Actor, in, db, passphrase string) (int, error) {
	if err := mayManageAccounts(actor); err != nil {
		return 0, err
	}
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	if db == a.DBPath() {
		return 0, problem("db", "err.restore.exists", map[string]any{"Path": db})
	}
	n, err := Restore(ctx, in, db, passphrase)
	if err != nil {
		return 0, err
	}
	return n, a.audit(ctx, actor.Account.Username, AuditRestore, filepath.Base(in), map[string]any{"into": db, "residents": n})
}

// PurgeAudit archives the audit entries older than the retention to an
// xlsx file and then removes them, in that order and never otherwise: the
// trail is not truncated silently. The chain stays verifiable from the
// last removed entry, and the removal is itself in the trail. It returns
// how many entries went to the archive (0: none old enough, no file).
func (a *App) PurgeAudit(ctx context.Context, actor *Actor, archive string) (int, error) {
	if err := mayManageAccounts(actor); err != nil {
		return 0, err
	}
	months, err := a.AuditRetention(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := a.Now().AddDate(0, -months, 0).UTC().Format(time.RFC3339Nano)
	last, err := a.st.AuditLastBefore(ctx, cutoff)
	if err != nil || last == 0 {
		return 0, err
	}
	n, err := a.ExportAudit(ctx, actor, model.AuditFilter{Before: last + 1}, archive)
	if err != nil {
		return 0, err
	}
	detail, _ := json.Marshal(map[string]any{"rows": n, "archive": filepath.Base(archive), "before": cutoff, "months": months})
	if err := a.st.PurgeAudit(ctx, last, n, actor.Account.Username, string(detail)); err != nil {
		return 0, err
	}
	return n, nil
}
