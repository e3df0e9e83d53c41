package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"shequ/app/model"
	"shequ/store/hub"
)

// The server's side of the app: filling a server's database from a
// desktop one (the district's registry moving to a server, or demo data),
// and its accounts.

// SeedServer copies this database's accounts and every synced row into a
// server's, in pages of page rows, parents first. It returns how many
// rows went.
func (a *App) SeedServer(ctx context.Context, h *hub.Hub, progress func(done int)) (int, error) {
	if err := a.copyAccounts(ctx, h); err != nil {
		return 0, err
	}
	node := strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
	var seq int64
	done := 0
	err := a.st.ExportRows(ctx, 1000, func(ops []model.SyncOp) error {
		for i := range ops {
			seq++
			ops[i].Seq = seq
		}
		if err := h.Seed(ctx, node, ops); err != nil {
			return err
		}
		done += len(ops)
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil {
		return done, fmt.Errorf("app: seed server: %w", err)
	}
	a.log.Info("server seeded", "rows", done)
	return done, nil
}

// copyAccounts writes this database's accounts to the server's, areas by
// uid: the same people sign in there with the same passwords.
func (a *App) copyAccounts(ctx context.Context, h *hub.Hub) error {
	accs, err := a.st.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, acc := range accs {
		ha := hub.Account{Username: acc.Username, DisplayName: acc.DisplayName, PasswordHash: acc.PasswordHash, Role: string(acc.Role),
			CanReveal: acc.CanReveal, CanExport: acc.CanExport, PersonalData: acc.PersonalData, Off: acc.Disabled}
		for _, id := range acc.AreaIDs {
			uid, err := a.st.UIDOf(ctx, "area", id)
			if err != nil {
				return err
			}
			ha.Areas = append(ha.Areas, uid)
		}
		if err := h.PutAccount(ctx, ha); err != nil {
			return err
		}
	}
	return nil
}

// InitServer makes a server database's first account, an administrator.
func InitServer(ctx context.Context, h *hub.Hub, username, password string, personalData bool) error {
	if ps := credentialProblems(username, password); len(ps) > 0 {
		return ps
	}
	n, err := h.CountAccounts(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("app: init server: %w: %w", model.ErrConflict, problem("username", "err.init.exists", nil))
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return h.PutAccount(ctx, hub.Account{Username: strings.TrimSpace(username), DisplayName: strings.TrimSpace(username), PasswordHash: hash,
		Role: string(model.RoleAdmin), PersonalData: personalData})
}

// ServerLogin checks an account of the server's database, for the
// commands that act on it (--store). Its attempts count with the server's
// own sign-ins, held before the check as Login holds them.
func ServerLogin(ctx context.Context, h *hub.Hub, username, password string) (hub.Account, error) {
	username = strings.TrimSpace(username)
	acc, err := h.AccountByName(ctx, username)
	if err != nil && !errors.Is(err, hub.ErrNotFound) {
		return hub.Account{}, err
	}
	key, now := model.SignInKey(username), time.Now()
	ok, retry, err2 := h.TakeSignIn(ctx, model.SignIns, now, key)
	if err2 != nil {
		return hub.Account{}, err2
	}
	if !ok {
		return hub.Account{}, lockedError(now, retry)
	}
	if !VerifyPassword(acc.PasswordHash, password) || err != nil || acc.Off {
		return hub.Account{}, ErrBadLogin
	}
	if err := h.ReleaseSignIn(ctx, model.SignIns, now, key); err != nil {
		return hub.Account{}, err
	}
	return acc, nil
}

// ServerAddAccount adds an account to a server's database, by an
// administrator of it, with areas named as on the desktop (a name two
// areas share is given as 社区/网格).
func ServerAddAccount(ctx context.Context, h *hub.Hub, actor hub.Account, in AccountInput, areaNames []string) error {
	if actor.Role != string(model.RoleAdmin) {
		return fmt.Errorf("app: server account: %w", model.ErrForbidden)
	}
	tree, err := h.Areas(ctx)
	if err != nil {
		return err
	}
	var given []givenArea
	var uids []string
	for _, name := range areaNames {
		var found []hub.Area
		for _, ar := range tree {
			if ar.Name == name || tree[ar.Parent].Name+"/"+ar.Name == name {
				found = append(found, ar)
			}
		}
		g := givenArea{ok: len(found) == 1, asked: name}
		if g.ok {
			g.level, g.name = model.AreaLevel(found[0].Level), found[0].Name
			uids = append(uids, found[0].UID)
		}
		given = append(given, g)
	}
	if ps := accountProblems(in, given); len(ps) > 0 {
		return ps
	}
	if _, err := h.AccountByName(ctx, in.Username); err == nil {
		return fmt.Errorf("%w: %w", model.ErrConflict, problem("username", "err.username.taken", map[string]any{"Name": in.Username}))
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return err
	}
	return h.PutAccount(ctx, hub.Account{Username: strings.TrimSpace(in.Username), DisplayName: strings.TrimSpace(in.Username), PasswordHash: hash,
		Role: string(in.Role), Areas: uids, CanReveal: in.CanReveal, CanExport: in.CanExport, PersonalData: in.PersonalData && in.Role == model.RoleAdmin})
}
