package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
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
	err := a.st.Audit(ctx, maskEntry(model.AuditEntry{Account: who, Action: action, Target: target, Detail: d}))
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

// auditNote is the audit entry an audited store write commits together
// with its change. A target of "kind:%d" takes the id of the row the
// change creates; an update's changed fields join the detail, and an
// update that changed nothing leaves no entry.
func auditNote(who, action, tgt string, detail map[string]any) store.AuditNote {
	return func(id int64, fields []string) model.AuditEntry {
		t := tgt
		if strings.Contains(t, "%d") {
			t = fmt.Sprintf(t, id)
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
		return maskEntry(model.AuditEntry{Account: who, Action: action, Target: t, Detail: text})
	}
}

// ListPage is the most rows a listing shows before it is an export.
const ListPage = 200

// RecordList decides and audits a listing of residents printed by the
// command line, before it is printed: more than ListPage rows is an
// export (the export permission, audited as one), fewer a listing.
func (a *App) RecordList(ctx context.Context, actor *Actor, f ListFilter, rows int) error {
	export, err := mayListOut(actor, rows)
	if err != nil {
		return err
	}
	action, detail := AuditList, map[string]any{"search": maskedSearch(f.Search), "area": f.AreaID, "compound": f.CompoundID, "rows": rows}
	if export {
		action, detail["what"] = AuditExport, "residents"
	}
	return a.audit(ctx, actor.Account.Username, action, "", detail)
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
func (a *App) AuditLog(ctx context.Context, actor *Actor, f model.AuditFilter, limit int) ([]model.AuditEntry, error) {
	if actor == nil || actor.Account.Role != model.RoleAdmin {
		return nil, fmt.Errorf("app: audit log: %w", model.ErrForbidden)
	}
	list, err := a.st.AuditEntries(ctx, f, limit)
	for i := range list {
		list[i] = maskEntry(list[i])
	}
	return list, err
}

// numberRun is a run of characters that may be an ID number or a phone;
// idRun and phoneRun are the runs that are.
var (
	numberRun = regexp.MustCompile(`[0-9][0-9Xx-]*`)
	idRun     = regexp.MustCompile(`^([0-9]{17}[0-9Xx]|[0-9]{15})$`)
	phoneRun  = regexp.MustCompile(`^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$`)
)

// maskEntry masks the ID numbers and phones in an audit entry's target
// and detail (a search typed, a file named after someone): entries are
// masked as they are written and again as they are shown, for entries
// written before. The trail keeps what was done, never whose numbers.
func maskEntry(e model.AuditEntry) model.AuditEntry {
	mask := func(s string) string {
		return numberRun.ReplaceAllStringFunc(s, func(run string) string {
			switch {
			case idRun.MatchString(run):
				return MaskIDNumber(run)
			case phoneRun.MatchString(run):
				return MaskPhone(run)
			}
			return run
		})
	}
	e.Target, e.Detail = mask(e.Target), mask(e.Detail)
	return e
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
