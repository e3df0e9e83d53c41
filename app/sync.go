package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store"
	"shequ/store/hub"
)

// Sync: this desktop as a replica of a server's database. Local changes
// go to the outbox in the transaction that makes them (store/sync.go);
// a round pushes the outbox, then pulls the server's changes page by
// page, each page applied with its cursor in one transaction.

// AuditSync is a sync round, with what moved.
const (
	AuditSync        = "sync.round"
	AuditSyncEnrol   = "sync.enrol"
	AuditSyncResolve = "sync.resolve"
)

// Sync state keys.
const (
	syncServer   = "server"
	syncCA       = "ca"
	syncToken    = "token"
	syncNode     = "node"
	syncUser     = "user"
	syncCursor   = "cursor"
	syncLast     = "last_sync"
	syncLastErr  = "last_error"
	syncResult   = "last_result"
	syncResyncAt = "resync"
	syncAuto     = "auto"
)

// SetSyncAuto turns background sync on or off for this database.
func (a *App) SetSyncAuto(ctx context.Context, on bool) error {
	v := ""
	if on {
		v = "1"
	}
	return a.st.SetSyncState(ctx, map[string]string{syncAuto: v})
}

// SyncStatus is what the 同步 screen shows.
type SyncStatus struct {
	Server, User string
	Enrolled     bool
	LastSync     time.Time
	LastError    string
	Waiting      int  // local changes not yet sent
	Problems     int  // pulled rows this replica could not apply, changes the server refused
	Auto         bool // sync in the background
	Last         SyncResult
}

// SyncResult is what one round moved.
type SyncResult struct {
	Pushed, Pulled, Refused, Conflicts, Forgotten int
	Resync                                        bool
	Restamped                                     int64
	// AuditCut is the audit entry the server recorded from this desktop
	// that the trail no longer holds as it was (0: none): entries removed
	// or rewritten since the server last saw it.
	AuditCut int64
}

// SyncProgress is told how a round goes: its stage and rows done of total
// (total 0 when not known).
type SyncProgress func(stage string, done, total int)

// SyncPage is how many rows a pull asks for at once (tests ask for few).
var SyncPage = replica.MaxPage

// ErrSyncBusy is a round asked for while one runs.
var ErrSyncBusy = errors.New("app: a sync is running")

// ErrNotEnrolled is a round asked for before the desktop joined a server.
var ErrNotEnrolled = errors.New("app: not enrolled with a sync server")

// SyncStatus reads the replica's state.
func (a *App) SyncStatus(ctx context.Context) (SyncStatus, error) {
	kv, err := a.st.SyncState(ctx)
	if err != nil {
		return SyncStatus{}, err
	}
	st := SyncStatus{Server: kv[syncServer], User: kv[syncUser], Enrolled: kv[syncToken] != "", LastError: kv[syncLastErr], Auto: kv[syncAuto] == "1"}
	st.LastSync, _ = time.Parse(time.RFC3339, kv[syncLast])
	fmt.Sscanf(kv[syncResult], "%d %d %d %d %d", &st.Last.Pushed, &st.Last.Pulled, &st.Last.Refused, &st.Last.Conflicts, &st.Last.Forgotten)
	if st.Waiting, err = a.st.OutboxCount(ctx); err != nil {
		return st, err
	}
	st.Problems, err = a.st.SyncProblems(ctx)
	return st, err
}

// checkServerURL allows https, and plain http only to this machine.
func checkServerURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return "", problem("server", "err.sync.url", nil)
	}
	if u.Scheme == "http" {
		ip := net.ParseIP(u.Hostname())
		if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "", problem("server", "err.sync.plain", nil)
		}
	} else if u.Scheme != "https" {
		return "", problem("server", "err.sync.url", nil)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// syncError turns the server's refusals into what a person can act on.
func syncError(err error) error {
	var e *replica.Error
	if errors.As(err, &e) {
		key := map[string]string{
			replica.CodeBadLogin: "err.sync.badlogin", replica.CodeRateLimited: "err.sync.ratelimited",
			replica.CodeRevoked: "err.sync.revoked", replica.CodeUnauthorized: "err.sync.revoked",
			replica.CodeClockAhead: "err.sync.clock", replica.CodeForbidden: "err.sync.forbidden",
		}[e.Code]
		if key == "" {
			key = "err.sync.server"
		}
		return fmt.Errorf("%w: %w", err, problem("server", key, map[string]any{"Message": e.Message}))
	}
	if untrusted(err) {
		return fmt.Errorf("%w: %w", err, problem("ca", "err.sync.cert", nil))
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) {
		return fmt.Errorf("%w: %w", err, problem("server", "err.sync.unreachable", nil))
	}
	return err
}

// untrusted tells a server certificate this computer does not trust (a
// district's own authority not given, or a certificate for another
// address) from a server it cannot reach.
func untrusted(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// newSyncClient is replica.NewClient with a CA file that cannot be read,
// or holds no certificate, said as such.
func newSyncClient(base, token, caFile string) (*replica.Client, error) {
	cl, err := replica.NewClient(base, token, caFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, problem("ca", "err.sync.cafile", map[string]any{"File": caFile}))
	}
	return cl, nil
}

// SyncEnrol joins this database to a server with an account of the
// server's. A database with no registry becomes a replica of the
// account's areas; one with rows seeds a server that holds none; both
// holding rows is refused (a new replica is made in a new file). actor is
// nil when the file is new: the account is then made here from the
// server's, so the person signs in offline with the same password.
func (a *App) SyncEnrol(ctx context.Context, actor *Actor, server, caFile, user, password string, progress SyncProgress) (*Actor, SyncResult, error) {
	if actor != nil && actor.Account.Role != model.RoleAdmin && !strings.EqualFold(actor.Account.Username, user) {
		return nil, SyncResult{}, fmt.Errorf("app: sync enrol: %w: %w", model.ErrForbidden, problem("user", "err.sync.otheruser", nil))
	}
	base, err := checkServerURL(server)
	if err != nil {
		return nil, SyncResult{}, err
	}
	if !a.syncing.TryLock() {
		return nil, SyncResult{}, ErrSyncBusy
	}
	kv, err := a.st.SyncState(ctx)
	if err != nil {
		a.syncing.Unlock()
		return nil, SyncResult{}, err
	}
	node := kv[syncNode]
	if node == "" {
		u := uuid.Must(uuid.NewV7())
		node = strings.ReplaceAll(u.String(), "-", "")
	}
	cl, err := newSyncClient(base, "", caFile)
	if err != nil {
		a.syncing.Unlock()
		return nil, SyncResult{}, err
	}
	host, _ := os.Hostname()
	er, err := cl.Enrol(ctx, replica.EnrolRequest{Username: strings.TrimSpace(user), Password: password, Node: node, Name: host})
	if err != nil {
		a.syncing.Unlock()
		return nil, SyncResult{}, syncError(err)
	}
	empty, err := a.st.RegistryEmpty(ctx)
	if err != nil {
		a.syncing.Unlock()
		return nil, SyncResult{}, err
	}
	if kv[syncServer] != "" && kv[syncServer] != base {
		// Another server's rows would mix with this one's.
		a.syncing.Unlock()
		return nil, SyncResult{}, fmt.Errorf("app: sync enrol: %w: %w", model.ErrConflict, problem("server", "err.sync.otherserver", map[string]any{"Server": kv[syncServer]}))
	}
	first := kv[syncToken] == "" && kv[syncCursor] == ""
	if first && !empty && er.Rows > 0 {
		a.syncing.Unlock()
		return nil, SyncResult{}, fmt.Errorf("app: sync enrol: %w: %w", model.ErrConflict, problem("server", "err.sync.bothdata", nil))
	}
	state := map[string]string{syncServer: base, syncCA: caFile, syncToken: er.Token, syncNode: node, syncUser: er.Account.Username}
	if err := a.st.StartRecording(ctx, state, first && !empty); err != nil {
		a.syncing.Unlock()
		return nil, SyncResult{}, err
	}
	who := er.Account.Username
	if actor != nil {
		who = actor.Account.Username
	}
	a.audit(ctx, who, AuditSyncEnrol, "", map[string]any{"server": base, "user": er.Account.Username, "seed": first && !empty})
	a.syncing.Unlock()
	res, err := a.SyncRound(ctx, actor, progress)
	if err != nil {
		return nil, res, err
	}
	// The server's account is made here too (an administrator may enrol
	// a desktop for a grid worker), to sign in offline with its password.
	made, err := a.replicaAccount(ctx, er.Account)
	if err != nil {
		return nil, res, err
	}
	if actor == nil {
		actor = made
	}
	return actor, res, nil
}

// replicaAccount makes (or finds) the local account of the server's one.
func (a *App) replicaAccount(ctx context.Context, ra replica.Account) (*Actor, error) {
	if acc, err := a.st.AccountByName(ctx, ra.Username); err == nil {
		return &Actor{Account: acc}, nil
	}
	acc := model.Account{Username: ra.Username, DisplayName: ra.DisplayName, PasswordHash: ra.PasswordHash, Role: model.Role(ra.Role),
		CanReveal: ra.CanReveal, CanExport: ra.CanExport, PersonalData: ra.PersonalData}
	for _, uid := range ra.Areas {
		id, err := a.st.IDOf(ctx, "area", uid)
		if err != nil {
			return nil, fmt.Errorf("app: replica account: area %s: %w", uid, err)
		}
		acc.AreaIDs = append(acc.AreaIDs, id)
	}
	note := auditNote(acc.Username, AuditAccountCreate, "account:%d", map[string]any{"role": string(acc.Role), "from": "sync"})
	var err error
	if acc.ID, err = a.st.CreateAccount(ctx, note, acc); err != nil {
		return nil, err
	}
	return &Actor{Account: acc}, nil
}

func (a *App) syncClient(kv map[string]string) (*replica.Client, error) {
	if kv[syncToken] == "" {
		return nil, ErrNotEnrolled
	}
	return newSyncClient(kv[syncServer], kv[syncToken], kv[syncCA])
}

// SyncRound pushes what waits and pulls what changed. The outbox is sent
// in batches the server acknowledges; a batch whose answer is lost is
// sent again and applied once. A clock the server finds far ahead has
// its waiting changes stamped back to the server's time and is reported.
func (a *App) SyncRound(ctx context.Context, actor *Actor, progress SyncProgress) (SyncResult, error) {
	if !a.syncing.TryLock() {
		return SyncResult{}, ErrSyncBusy
	}
	defer a.syncing.Unlock()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	res, err := a.syncRound(ctx, progress)
	state := map[string]string{syncLast: time.Now().UTC().Format(time.RFC3339), syncLastErr: "",
		syncResult: fmt.Sprintf("%d %d %d %d %d", res.Pushed, res.Pulled, res.Refused, res.Conflicts, res.Forgotten)}
	if err != nil {
		// Kept as the message's key where there is one, for the screen
		// to say in the user's language.
		last := err.Error()
		var ps Problems
		if errors.As(syncError(err), &ps) && len(ps) > 0 {
			last = ps[0].Key
		}
		state = map[string]string{syncLastErr: last}
	}
	if serr := a.st.SetSyncState(ctx, state); serr != nil && err == nil {
		err = serr
	}
	who := ""
	if actor != nil {
		who = actor.Account.Username
	}
	if res.Pushed+res.Pulled > 0 || err != nil || res.AuditCut != 0 {
		detail := map[string]any{"pushed": res.Pushed, "pulled": res.Pulled, "conflicts": res.Conflicts, "refused": res.Refused, "forgotten": res.Forgotten}
		if err != nil {
			detail["error"] = err.Error()
		}
		if res.AuditCut != 0 {
			detail["audit_cut"] = res.AuditCut
		}
		a.audit(ctx, who, AuditSync, "", detail)
	}
	if err != nil {
		a.log.Warn("sync failed", "err", err)
		return res, syncError(err)
	}
	return res, nil
}

func (a *App) syncRound(ctx context.Context, progress SyncProgress) (res SyncResult, err error) {
	kv, err := a.st.SyncState(ctx)
	if err != nil {
		return res, err
	}
	cl, err := a.syncClient(kv)
	if err != nil {
		return res, err
	}
	if err := a.pushOutbox(ctx, cl, progress, &res); err != nil {
		return res, err
	}
	// A first pull into a replica with no residents loads as an import
	// does: indexes, summaries and search grams are built once at its end
	// (or, when it is cut short, at once; after a crash, at the next open).
	if kv[syncCursor] == "" {
		if _, err := a.st.BeginFirstPull(ctx); err != nil {
			return res, err
		}
	}
	defer func() {
		if ferr := a.st.FinishFirstPull(ctx); ferr != nil && err == nil {
			err = ferr
		}
	}()
	if err := a.pullPages(ctx, cl, kv, progress, &res); err != nil {
		return res, err
	}
	res.AuditCut = a.reportAuditHead(ctx, cl)
	return res, nil
}

// pushOutbox sends the outbox in batches; a clock ahead of the server's
// has the changes restamped once and sent again.
func (a *App) pushOutbox(ctx context.Context, cl *replica.Client, progress SyncProgress, res *SyncResult) error {
	waiting, err := a.st.OutboxCount(ctx)
	if err != nil {
		return err
	}
	restamped := false
	for {
		ops, err := a.st.Outbox(ctx, replica.MaxBatch)
		if err != nil || len(ops) == 0 {
			return err
		}
		progress("push", res.Pushed, waiting)
		pr, err := cl.Push(ctx, ops)
		var e *replica.Error
		if errors.As(err, &e) && e.Code == replica.CodeClockAhead && !restamped && e.ServerTime > 0 {
			restamped = true
			n, err := a.st.RestampOutbox(ctx, fmt.Sprintf("%013d.%05d", e.ServerTime, 0))
			if err != nil {
				return err
			}
			res.Restamped = n
			a.log.Warn("clock ahead of the server: changes restamped", "changes", n)
			continue
		}
		if err != nil {
			return err
		}
		// What the server refused is kept to be shown, not dropped unseen.
		var refused []store.Refused
		for _, rf := range pr.Refused {
			refused = append(refused, store.Refused{Seq: rf.Seq, Code: rf.Code})
			a.log.Warn("change refused by the server", "seq", rf.Seq, "code", rf.Code)
		}
		if err := a.st.AckOutbox(ctx, pr.Acked, refused); err != nil {
			return err
		}
		res.Pushed += pr.Applied + len(pr.Refused)
		res.Refused += len(pr.Refused)
		res.Conflicts += pr.Conflicts
	}
}

// pullPages applies the server's pages from the cursor in kv on; after a
// resync into a replica that held rows, those not sent are forgotten.
func (a *App) pullPages(ctx context.Context, cl *replica.Client, kv map[string]string, progress SyncProgress, res *SyncResult) error {
	cursor := kv[syncCursor]
	mark := false
	for {
		p, err := cl.Pull(ctx, cursor, SyncPage)
		if err != nil {
			return err
		}
		if p.Resync {
			res.Resync = true
			// A replica that held rows learns which of them are still its
			// own: those not sent in the resync are forgotten at its end.
			empty, err := a.st.RegistryEmpty(ctx)
			if err != nil {
				return err
			}
			mark = !empty && cursor != ""
		}
		state := map[string]string{syncCursor: p.Cursor}
		if p.Resync {
			state[syncResyncAt] = strconv.Itoa(p.Total)
			kv[syncResyncAt] = state[syncResyncAt]
		}
		n, err := a.st.ApplyPulled(ctx, store.Pulled{Entries: p.Entries, State: state, Seen: p.Seen, Mark: mark})
		if err != nil {
			return err
		}
		res.Pulled += n
		cursor = p.Cursor
		total, _ := strconv.Atoi(kv[syncResyncAt])
		if p.Resync {
			total = p.Total
		}
		progress("pull", res.Pulled, total)
		if !p.More {
			break
		}
	}
	if mark {
		var err error
		if res.Forgotten, err = a.st.ForgetUnreceived(ctx); err != nil {
			return err
		}
	}
	return nil
}

// reportAuditHead sends the audit trail's newest entry to the server, a
// witness outside this computer, and checks the trail still holds the
// entry the server recorded before; it returns that entry's id when not.
// The round's work is done by then, so a server that cannot take the head
// (an older one) costs only a line in the log.
func (a *App) reportAuditHead(ctx context.Context, cl *replica.Client) int64 {
	id, last, hash, err := a.st.AuditHeadNow(ctx)
	if err != nil || id == "" {
		return 0
	}
	prev, err := cl.AuditHead(ctx, hub.AuditHead{HeadID: id, LastID: last, Hash: hash})
	if err != nil {
		a.log.Warn("audit head not sent to the server", "err", err)
		return 0
	}
	if prev.LastID == 0 {
		return 0
	}
	if ok, err := a.st.AuditHolds(ctx, prev.LastID, prev.Hash); err != nil || ok {
		return 0
	}
	a.log.Error("the audit trail no longer holds the entry the sync server recorded", "entry", prev.LastID, "now", last)
	return prev.LastID
}

// SyncConflicts lists the server's open conflicts on rows this account sees.
func (a *App) SyncConflicts(ctx context.Context, actor *Actor) ([]model.SyncConflict, error) {
	if actor == nil {
		return nil, model.ErrForbidden
	}
	kv, err := a.st.SyncState(ctx)
	if err != nil {
		return nil, err
	}
	cl, err := a.syncClient(kv)
	if err != nil {
		return nil, err
	}
	cs, err := cl.Conflicts(ctx)
	if err != nil {
		return nil, syncError(err)
	}
	for i := range cs {
		cs[i].Kept, cs[i].Lost = maskSynced(cs[i].Field, cs[i].Kept), maskSynced(cs[i].Field, cs[i].Lost)
	}
	return cs, nil
}

// maskSynced shows a conflicting value as lists do: ID numbers and
// phones masked. An edit that met a delete is its fields, each masked.
func maskSynced(field, v string) string {
	switch field {
	case "id_number":
		return MaskIDNumber(v)
	case "phone":
		return MaskPhone(v)
	case "_deleted":
		var f map[string]string
		if json.Unmarshal([]byte(v), &f) != nil {
			return v
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(f)) {
			parts = append(parts, k+": "+maskSynced(k, f[k]))
		}
		return strings.Join(parts, "; ")
	}
	return v
}

// SyncResolve closes a conflict with the value chosen, then syncs so the
// choice arrives here too.
func (a *App) SyncResolve(ctx context.Context, actor *Actor, c model.SyncConflict, takeLost bool) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	kv, err := a.st.SyncState(ctx)
	if err != nil {
		return err
	}
	cl, err := a.syncClient(kv)
	if err != nil {
		return err
	}
	if err := cl.Resolve(ctx, c.ID, takeLost); err != nil {
		return syncError(err)
	}
	a.audit(ctx, actor.Account.Username, AuditSyncResolve, c.Entity+":"+c.UID, map[string]any{"field": c.Field, "took": map[bool]string{true: c.Lost, false: c.Kept}[takeLost]})
	_, err = a.SyncRound(ctx, actor, nil)
	return err
}

// DeleteResident removes a resident registered by mistake (a duplicate,
// a wrong person): personal data goes, and on a replica a tombstone goes
// to the server, where it wins over any edit until a restore.
func (a *App) DeleteResident(ctx context.Context, actor *Actor, id int64) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	if _, err := a.Resident(ctx, actor, id); err != nil {
		return err
	}
	note := auditNote(actor.Account.Username, AuditDelete, target("resident", id), nil)
	return a.st.DeleteResident(ctx, note, actor.Account.ID, id)
}

// AuditDelete is a resident deleted.
const AuditDelete = "resident.delete"
