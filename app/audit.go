package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"shequ/app/model"
	"shequ/store"
)

// Audited actions.
const (
	AuditLoginOK        = "login.ok"
	AuditLoginFail      = "login.fail"
	AuditLoginLocked    = "login.locked"
	AuditAccountCreate  = "account.create"
	AuditOpen           = "resident.open"
	AuditSearch         = "resident.search"
	AuditList           = "resident.list"
	AuditCreate         = "resident.create"
	AuditChange         = "resident.change"
	AuditMove           = "resident.move"
	AuditLeave          = "resident.leave"
	AuditRelation       = "resident.relation"
	AuditHouseUse       = "house.use"
	AuditPlaceCreate    = "place.create"
	AuditPlaceRename    = "place.rename"
	AuditDemo           = "demo.load"
	AuditPasswordReset  = "account.reset"
	AuditBackup         = "backup"
	AuditReveal         = "resident.reveal"
	AuditExport         = "export"
	AuditImport         = "import"
	AuditPasswordChange = "account.password"
)

// audit writes an entry for the actor (or, before sign-in, the user name
// typed). The trail is what an auditor reads: a read of personal data that
// cannot be recorded is refused by the caller.
func (a *App) audit(ctx context.Context, who, action, target string, detail map[string]any) error {
	d := ""
	if len(detail) > 0 {
		b, _ := json.Marshal(detail)
		d = string(b)
	}
	err := a.st.Audit(ctx, model.AuditEntry{Account: who, Action: action, Target: target, Detail: d})
	if err != nil {
		a.log.Error("audit not written", "action", action, "target", target, "err", err)
	}
	if errors.Is(err, store.ErrNoAuditKey) {
		// Said as the check says it: which key file, and what to do.
		v, _ := a.st.VerifyAudit(ctx)
		key, data := AuditMessage(v)
		return problem("audit", key, data)
	}
	return err
}

func target(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// auditing returns ctx on which the store's next change commits together
// with its audit entry. A target of "kind:%d" takes the id of the row the
// change creates; an update's changed fields join the detail, and an
// update that changed nothing leaves no entry.
func (a *App) auditing(ctx context.Context, who, action, tgt string, detail map[string]any) context.Context {
	return store.WithAudit(ctx, func(id int64, fields []string) model.AuditEntry {
		if strings.Contains(tgt, "%d") {
			tgt = fmt.Sprintf(tgt, id)
		}
		d := map[string]any{}
		for k, v := range detail {
			d[k] = v
		}
		if fields != nil {
			if len(fields) == 0 {
				return model.AuditEntry{}
			}
			d["fields"] = fields
		}
		text := ""
		if len(d) > 0 {
			b, _ := json.Marshal(d)
			text = string(b)
		}
		return model.AuditEntry{Account: who, Action: action, Target: tgt, Detail: text}
	})
}

// RecordList audits that a list of residents was shown or written out
// (the command line's listing; later exports): the filter and the rows.
func (a *App) RecordList(ctx context.Context, actor *Actor, f ListFilter, rows int) error {
	return a.audit(ctx, actor.Account.Username, AuditList, "", map[string]any{"search": f.Search, "area": f.AreaID,
		"compound": f.CompoundID, "rows": rows})
}

// VerifyAudit checks the audit trail: its keyed chain, its anchor and its
// end against the head kept outside the database.
func (a *App) VerifyAudit(ctx context.Context) (model.AuditVerdict, error) {
	return a.st.VerifyAudit(ctx)
}

// Check runs SQLite's integrity check and the audit trail's.
func (a *App) Check(ctx context.Context) (integrity string, v model.AuditVerdict, err error) {
	if integrity, err = a.st.IntegrityCheck(ctx); err != nil {
		return "", v, err
	}
	v, err = a.st.VerifyAudit(ctx)
	return integrity, v, err
}

// AuditMessage is the message key and data that say a verdict.
func AuditMessage(v model.AuditVerdict) (string, map[string]any) {
	data := map[string]any{"Count": v.Entries, "ID": v.Broken, "Missing": v.Missing, "Path": v.KeyFile}
	switch {
	case v.Problem != "":
		return v.Problem, data
	case v.Missing != 0:
		return "audit.verify.missing", data
	case v.Broken != 0:
		return "cli.audit.broken", data
	}
	return "cli.audit.whole", data
}

// AuditLog lists audit entries, newest first. Only an administrator may
// read the trail.
func (a *App) AuditLog(ctx context.Context, actor *Actor, f store.AuditFilter, limit int) ([]model.AuditEntry, error) {
	if actor == nil || actor.Account.Role != model.RoleAdmin {
		return nil, fmt.Errorf("app: audit log: %w", model.ErrForbidden)
	}
	return a.st.AuditEntries(ctx, f, limit)
}

// Revealed is a resident's full numbers, shown for a stated reason.
type Revealed struct {
	IDNumber string
	Phone    string
}

// Reveal shows one resident's full ID number and phone to an account that
// holds the reveal permission, for a reason that goes into the audit trail
// with the act itself; without both it is refused.
func (a *App) Reveal(ctx context.Context, actor *Actor, residentID int64, reason string) (Revealed, error) {
	if actor == nil || !actor.Account.CanReveal {
		return Revealed{}, fmt.Errorf("app: reveal: %w", model.ErrForbidden)
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 2 {
		return Revealed{}, problem("reason", "err.reason.required", nil)
	}
	r, err := a.Resident(ctx, actor, residentID)
	if err != nil {
		return Revealed{}, err
	}
	if err := a.audit(ctx, actor.Account.Username, AuditReveal, target("resident", residentID), map[string]any{"reason": reason}); err != nil {
		return Revealed{}, err
	}
	return Revealed{IDNumber: r.IDNumber, Phone: r.Phone}, nil
}
