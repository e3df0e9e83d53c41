package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shequ/app/model"
)

// Roles lists the roles in display order.
var Roles = []model.Role{model.RoleWorker, model.RoleGrid, model.RoleLeader, model.RoleAdmin}

// AccountInput is a new account as an administrator fills it in.
type AccountInput struct {
	Username  string
	Password  string
	Role      model.Role
	Areas     []int64 // street, community or grid ids; grids only for 网格员
	CanReveal bool
	CanExport bool
	// PersonalData lets an administrator without areas see residents'
	// personal data (administrators do not by default).
	PersonalData bool
}

// CreateAccount adds an account. Only an administrator may; every role but
// the administrator's needs areas, and a grid worker's are grids.
func (a *App) CreateAccount(ctx context.Context, actor *Actor, in AccountInput) (int64, error) {
	if err := mayManageAccounts(actor); err != nil {
		return 0, err
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return 0, err
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	var given []givenArea
	for _, id := range in.Areas {
		ar, ok := byID[id]
		given = append(given, givenArea{ok: ok, level: ar.Level, name: ar.Name, asked: fmt.Sprint(id)})
	}
	if ps := accountProblems(in, given); len(ps) > 0 {
		return 0, ps
	}
	hash, err := a.cost.hash(in.Password)
	if err != nil {
		return 0, err
	}
	acc := model.Account{Username: strings.TrimSpace(in.Username), DisplayName: strings.TrimSpace(in.Username), PasswordHash: hash,
		Role: in.Role, AreaIDs: in.Areas, CanReveal: in.CanReveal, CanExport: in.CanExport,
		PersonalData: in.PersonalData && in.Role == model.RoleAdmin}
	id, err := a.st.CreateAccount(ctx, auditNote(actor.Account.Username, AuditAccountCreate, "account:%d", map[string]any{"user": acc.Username,
		"role": acc.Role, "areas": in.Areas, "reveal": in.CanReveal, "export": in.CanExport, "personal_data": acc.PersonalData}), acc)
	if errors.Is(err, model.ErrConflict) {
		return 0, fmt.Errorf("%w: %w", model.ErrConflict, problem("username", "err.username.taken", map[string]any{"Name": acc.Username}))
	}
	return id, err
}

// givenArea is an area an account is given, as found (or not).
type givenArea struct {
	ok          bool
	level       model.AreaLevel
	name, asked string
}

// accountProblems checks a new account, on a desktop or a server: a
// user name and password that pass, a role, and areas that exist (grids
// for a grid worker; some for every role but the administrator).
func accountProblems(in AccountInput, areas []givenArea) Problems {
	return append(credentialProblems(in.Username, in.Password), roleProblems(in.Role, areas)...)
}

// roleProblems checks a role and the areas that go with it.
func roleProblems(role model.Role, areas []givenArea) Problems {
	var ps Problems
	if !slices.Contains(Roles, role) {
		ps = append(ps, Problem{Field: "role", Key: "err.choice"})
	}
	for _, ar := range areas {
		if !ar.ok {
			ps = append(ps, Problem{Field: "area", Key: "err.area.unknown", Data: map[string]any{"Name": ar.asked}})
		} else if role == model.RoleGrid && ar.level != model.LevelGrid {
			ps = append(ps, Problem{Field: "area", Key: "err.area.gridonly", Data: map[string]any{"Name": ar.name}})
		}
	}
	if role != model.RoleAdmin && len(areas) == 0 {
		ps = append(ps, Problem{Field: "area", Key: "err.area.required"})
	}
	return ps
}

// Accounts lists the accounts, for an administrator.
func (a *App) Accounts(ctx context.Context, actor *Actor) ([]model.Account, error) {
	if err := mayManageAccounts(actor); err != nil {
		return nil, err
	}
	return a.st.Accounts(ctx)
}

// ResetPassword gives another account a new password (an administrator's
// act, audited); it also lifts a lockout.
func (a *App) ResetPassword(ctx context.Context, actor *Actor, username, password string) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	acc, err := a.st.AccountByName(ctx, strings.TrimSpace(username))
	if err != nil {
		return err
	}
	if err := CheckPassword(acc.Username, password); err != nil {
		return err
	}
	hash, err := a.cost.hash(password)
	if err != nil {
		return err
	}
	return a.st.SetPassword(ctx, auditNote(actor.Account.Username, AuditPasswordReset, target("account", acc.ID), map[string]any{"user": acc.Username}),
		acc.ID, hash, model.SignInKey(acc.Username))
}

// ChangePassword changes the actor's own password, given the old one,
// which is a guess like a sign-in's and counts against the same limit.
func (a *App) ChangePassword(ctx context.Context, actor *Actor, old, password string) error {
	if actor == nil {
		return model.ErrForbidden
	}
	acc, err := a.st.AccountByName(ctx, actor.Account.Username)
	if err != nil {
		return err
	}
	if err := CheckPassword(acc.Username, password); err != nil {
		return err
	}
	key, now := model.SignInKey(acc.Username), a.now()
	ok, _, retry, err := a.st.TakeSignIn(ctx, model.SignIns, now, key)
	if err != nil {
		return err
	}
	if !ok {
		return lockedError(now, retry)
	}
	if !a.verify(acc.PasswordHash, old) {
		return problem("password", "err.password.old", nil)
	}
	hash, err := a.cost.hash(password)
	if err != nil {
		return err
	}
	// SetPassword lets go of the attempts held, this one included.
	return a.st.SetPassword(ctx, auditNote(acc.Username, AuditPasswordChange, target("account", acc.ID), nil), acc.ID, hash, key)
}

// AuditPersonalData is an administrator's view of personal data given or
// taken.
const AuditPersonalData = "account.personal_data"

// SetPersonalData gives an administrator account (possibly the actor's
// own) the view of residents' personal data, or takes it; audited.
func (a *App) SetPersonalData(ctx context.Context, actor *Actor, username string, on bool) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	acc, err := a.st.AccountByName(ctx, username)
	if err != nil {
		return err
	}
	if acc.Role != model.RoleAdmin {
		return problem("role", "err.personal_data.role", nil)
	}
	if err := a.st.SetPersonalData(ctx, auditNote(actor.Account.Username, AuditPersonalData, target("account", acc.ID),
		map[string]any{"user": acc.Username, "on": on}), acc.ID, on); err != nil {
		return err
	}
	if acc.ID == actor.Account.ID {
		actor.Account.PersonalData = on
	}
	return nil
}

// Audited changes to an account.
const (
	AuditAccountEdit    = "account.edit"
	AuditAccountDisable = "account.disable"
	AuditAccountEnable  = "account.enable"
)

// AccountEdit is what an administrator may change of an account: its real
// name (姓名, shown in 转派 and the logs), role, areas and permissions.
type AccountEdit struct {
	DisplayName  string
	Role         model.Role
	Areas        []int64
	CanReveal    bool
	CanExport    bool
	PersonalData bool // an administrator's view of residents' personal data
}

// EditAccount changes an account's name, role, areas and permissions;
// audited with what changed. The last working administrator stays one.
func (a *App) EditAccount(ctx context.Context, actor *Actor, username string, in AccountEdit) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	acc, err := a.st.AccountByName(ctx, strings.TrimSpace(username))
	if err != nil {
		return err
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	var given []givenArea
	for _, id := range in.Areas {
		ar, ok := byID[id]
		given = append(given, givenArea{ok: ok, level: ar.Level, name: ar.Name, asked: fmt.Sprint(id)})
	}
	ps := roleProblems(in.Role, given)
	in.DisplayName = strings.Join(strings.Fields(in.DisplayName), " ")
	if len([]rune(in.DisplayName)) > 30 {
		ps = append(ps, Problem{Field: "display_name", Key: "err.display_name.long"})
	}
	if len(ps) > 0 {
		return ps
	}
	if acc.Role == model.RoleAdmin && in.Role != model.RoleAdmin {
		if err := a.keepAnAdministrator(ctx, acc.ID); err != nil {
			return err
		}
	}
	if in.DisplayName == "" {
		in.DisplayName = acc.Username
	}
	next := model.Account{ID: acc.ID, Username: acc.Username, DisplayName: in.DisplayName, Role: in.Role, AreaIDs: in.Areas,
		CanReveal: in.CanReveal, CanExport: in.CanExport, PersonalData: in.PersonalData && in.Role == model.RoleAdmin}
	err = a.st.UpdateAccount(ctx, auditNote(actor.Account.Username, AuditAccountEdit, target("account", acc.ID), map[string]any{
		"user": acc.Username, "name": next.DisplayName, "role": next.Role, "areas": next.AreaIDs, "reveal": next.CanReveal,
		"export": next.CanExport, "personal_data": next.PersonalData}), next)
	if err == nil && acc.ID == actor.Account.ID { // the window follows its own account's change
		hash := actor.Account.PasswordHash
		actor.Account = next
		actor.Account.PasswordHash = hash
	}
	return err
}

// SetAccountDisabled stops an account from signing in, or lets it again;
// its history stays. An administrator does not disable their own account,
// nor the last working administrator.
func (a *App) SetAccountDisabled(ctx context.Context, actor *Actor, username string, disabled bool) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	acc, err := a.st.AccountByName(ctx, strings.TrimSpace(username))
	if err != nil {
		return err
	}
	if disabled && acc.ID == actor.Account.ID {
		return problem("username", "err.account.self", nil)
	}
	if disabled && acc.Role == model.RoleAdmin {
		if err := a.keepAnAdministrator(ctx, acc.ID); err != nil {
			return err
		}
	}
	action := AuditAccountEnable
	if disabled {
		action = AuditAccountDisable
	}
	return a.st.SetAccountDisabled(ctx, auditNote(actor.Account.Username, action, target("account", acc.ID),
		map[string]any{"user": acc.Username}), acc.ID, disabled)
}

// keepAnAdministrator refuses a change that would leave no working
// administrator but the account id: nobody could keep accounts any more.
func (a *App) keepAnAdministrator(ctx context.Context, id int64) error {
	accs, err := a.st.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, other := range accs {
		if other.ID != id && other.Role == model.RoleAdmin && !other.Disabled {
			return nil
		}
	}
	return problem("role", "err.account.lastadmin", nil)
}
