package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store/hub"
)

// The server's side of the app: a sync server's database with what is
// done to it from the command line (its first administrator, its accounts
// and devices, the feed's pruning, the replica protocol it serves), and
// filling it from a desktop's database (the district's registry moving
// to a server, or demo data).

// Server is the use cases over a sync server's database.
type Server struct {
	h *hub.Hub
}

// NewServer returns the use cases over a server's database; main opens
// it (PostgreSQL or SQLite) and closes it.
func NewServer(h *hub.Hub) *Server { return &Server{h: h} }

// SeedServer copies this database's accounts and every synced row into a
// server's, in pages of page rows, parents first. It returns how many
// rows went.
func (a *App) SeedServer(ctx context.Context, s *Server, progress func(done int)) (int, error) {
	if err := a.copyAccounts(ctx, s.h); err != nil {
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
		if err := s.h.Seed(ctx, node, ops); err != nil {
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
		sa := model.ServerAccount{Username: acc.Username, DisplayName: acc.DisplayName, PasswordHash: acc.PasswordHash, Role: acc.Role,
			CanReveal: acc.CanReveal, CanExport: acc.CanExport, PersonalData: acc.PersonalData, Off: acc.Disabled}
		for _, id := range acc.AreaIDs {
			uid, err := a.st.UIDOf(ctx, "area", id)
			if err != nil {
				return err
			}
			sa.Areas = append(sa.Areas, uid)
		}
		if err := h.PutAccount(ctx, sa); err != nil {
			return err
		}
	}
	return nil
}

// Counts says how many synced rows and accounts the server's database
// holds: a desktop's database served for the first time has neither.
func (s *Server) Counts(ctx context.Context) (rows, accounts int, err error) {
	if rows, err = s.h.Rows(ctx); err != nil {
		return 0, 0, err
	}
	accounts, err = s.h.CountAccounts(ctx)
	return rows, accounts, err
}

// Init makes a server database's first account, an administrator.
func (s *Server) Init(ctx context.Context, username, password string, personalData bool) error {
	if ps := credentialProblems(username, password); len(ps) > 0 {
		return ps
	}
	n, err := s.h.CountAccounts(ctx)
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
	return s.h.PutAccount(ctx, model.ServerAccount{Username: strings.TrimSpace(username), DisplayName: strings.TrimSpace(username),
		PasswordHash: hash, Role: model.RoleAdmin, PersonalData: personalData})
}

// SignIn checks an account of the server's database, for the commands
// that act on it (--store). Its attempts count with the server's own
// sign-ins, held before the check as Login holds them.
func (s *Server) SignIn(ctx context.Context, username, password string) (model.ServerAccount, error) {
	username = strings.TrimSpace(username)
	acc, err := s.h.AccountByName(ctx, username)
	if err != nil && !errors.Is(err, hub.ErrNotFound) {
		return model.ServerAccount{}, err
	}
	key, now := model.SignInKey(username), time.Now()
	ok, retry, err2 := s.h.TakeSignIn(ctx, model.SignIns, now, key)
	if err2 != nil {
		return model.ServerAccount{}, err2
	}
	if !ok {
		return model.ServerAccount{}, lockedError(now, retry)
	}
	if !VerifyPassword(acc.PasswordHash, password) || err != nil || acc.Off {
		return model.ServerAccount{}, ErrBadLogin
	}
	if err := s.h.ReleaseSignIn(ctx, model.SignIns, now, key); err != nil {
		return model.ServerAccount{}, err
	}
	return acc, nil
}

// AddAccount adds an account to a server's database, by an administrator
// of it, with areas named as on the desktop (a name two areas share is
// given as 社区/网格).
func (s *Server) AddAccount(ctx context.Context, actor model.ServerAccount, in AccountInput, areaNames []string) error {
	if err := mayKeepServer(actor); err != nil {
		return err
	}
	tree, err := s.h.Areas(ctx)
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
	if _, err := s.h.AccountByName(ctx, in.Username); err == nil {
		return fmt.Errorf("%w: %w", model.ErrConflict, problem("username", "err.username.taken", map[string]any{"Name": in.Username}))
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return err
	}
	return s.h.PutAccount(ctx, model.ServerAccount{Username: strings.TrimSpace(in.Username), DisplayName: strings.TrimSpace(in.Username),
		PasswordHash: hash, Role: in.Role, Areas: uids, CanReveal: in.CanReveal, CanExport: in.CanExport,
		PersonalData: in.PersonalData && in.Role == model.RoleAdmin})
}

// Devices lists the desktops enrolled with the server, for an
// administrator of it.
func (s *Server) Devices(ctx context.Context, actor model.ServerAccount) ([]model.Device, error) {
	if err := mayKeepServer(actor); err != nil {
		return nil, err
	}
	return s.h.Devices(ctx)
}

// Revoke ends an enrolled desktop's token: it syncs again only after
// enrolling anew. A node that is not enrolled, or already revoked, is
// model.ErrNotFound.
func (s *Server) Revoke(ctx context.Context, actor model.ServerAccount, node string) error {
	if err := mayKeepServer(actor); err != nil {
		return err
	}
	if err := s.h.Revoke(ctx, node); errors.Is(err, hub.ErrNotFound) {
		return fmt.Errorf("app: revoke %s: %w", node, model.ErrNotFound)
	} else if err != nil {
		return err
	}
	return nil
}

// Demo fills an empty server's database with demo data made as on a
// desktop, in desk (a database of its own that the caller made for it),
// by an administrator of the server. It returns how many rows went.
func (s *Server) Demo(ctx context.Context, actor model.ServerAccount, desk *App, n int, seed uint64, progress func(done int)) (int, error) {
	if err := mayKeepServer(actor); err != nil {
		return 0, err
	}
	rows, err := s.h.Rows(ctx)
	if err != nil {
		return 0, err
	}
	if rows > 0 {
		return 0, fmt.Errorf("app: demo on a server: %w: %w", model.ErrConflict, problem("", "err.server.notempty", map[string]any{"Rows": rows}))
	}
	// The demo is made on desk by the same administrator, with the
	// personal data it needs to write residents.
	maker := &Actor{Account: model.Account{Username: actor.Username, Role: model.RoleAdmin, PersonalData: true}}
	if err := desk.Demo(ctx, maker, n, seed, nil); err != nil {
		return 0, err
	}
	return desk.SeedServer(ctx, s, progress)
}

// Prune drops the feed's entries older than keep and says how many went;
// a desktop that had not pulled past them pulls everything again.
func (s *Server) Prune(ctx context.Context, keep time.Duration) (int64, error) {
	return s.h.Prune(ctx, keep)
}

// Handler answers desktops: enrolment, pushes, pulls and conflicts, as
// app/replica speaks them, logging to log.
func (s *Server) Handler(log *slog.Logger) http.Handler {
	return replica.NewServer(s.h, log, VerifyPassword).Handler()
}
