package app

import "context"

// AuditLogout is a session ended by its user (signing out, or switching
// to another account); an idle lock is not an end.
const AuditLogout = "login.out"

// Logout ends the actor's session: only the audit trail remembers it, so
// a shared office computer shows who worked when.
func (a *App) Logout(ctx context.Context, actor *Actor) error {
	if actor == nil {
		return nil
	}
	return a.audit(ctx, actor.Account.Username, AuditLogout, target("account", actor.Account.ID), nil)
}
