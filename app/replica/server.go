package replica

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"shequ/app/model"
	"shequ/store/hub"
)

// Server answers desktops over a hub.
type Server struct {
	Hub    *hub.Hub
	Log    *slog.Logger
	Verify func(hash, password string) bool // the desktop's argon2id check; with no hash, a dummy one
	// MaxAhead is how far a client's clock may run ahead of the server's.
	MaxAhead time.Duration

	clock   atomic.Pointer[func() time.Time]
	hashing chan struct{} // argon2id takes 64 MiB each: a few at a time
}

// NewServer makes a server with the usual limits.
func NewServer(h *hub.Hub, log *slog.Logger, verify func(hash, password string) bool) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{Hub: h, Log: log, Verify: verify, MaxAhead: 5 * time.Minute, hashing: make(chan struct{}, 2)}
	s.SetClock(time.Now)
	return s
}

// SetClock replaces the server's clock (tests move it).
func (s *Server) SetClock(now func() time.Time) { s.clock.Store(&now) }

// Now is the server's time.
func (s *Server) Now() time.Time { return (*s.clock.Load())() }

// Handler routes the protocol.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, r *http.Request) {
		s.reply(w, map[string]any{"ok": true, "server_time": s.Now().UnixMilli()})
	})
	mux.HandleFunc("POST /v1/enrol", s.enrol)
	mux.HandleFunc("POST /v1/push", s.authed(s.push))
	mux.HandleFunc("POST /v1/pull", s.authed(s.pull))
	mux.HandleFunc("POST /v1/conflicts", s.authed(s.conflicts))
	mux.HandleFunc("POST /v1/resolve", s.authed(s.resolve))
	mux.HandleFunc("POST /v1/audit-head", s.authed(s.auditHead))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusNotFound, CodeNotFound, "no such request: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

func (s *Server) reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	var b ErrorBody
	b.Error.Code, b.Error.Message, b.Error.ServerTime = code, msg, s.Now().UnixMilli()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(b)
}

// decode reads one JSON body within the size limit, refusing fields the
// protocol does not have and anything after the value.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.fail(w, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("request over %d bytes", MaxBody))
		return false
	case err != nil:
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "bad JSON: "+err.Error())
		return false
	}
	return true
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	var req EnrolRequest
	if !s.decode(w, r, &req) {
		return
	}
	if !uidRE.MatchString(req.Node) || req.Username == "" {
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "username and node (32 hex digits) are required")
		return
	}
	now := s.Now()
	acc, err := s.Hub.AccountByName(r.Context(), req.Username)
	if err != nil && !errors.Is(err, hub.ErrNotFound) {
		s.serverError(w, err)
		return
	}
	known := err == nil
	// The attempt is held before the check, so guesses sent together are
	// not all checked; an unknown name costs a check too (Verify takes a
	// missing hash as a dummy one) and gets the same answers.
	keys := []string{model.SignInKey(req.Username), "addr:" + clientAddr(r)}
	ok, retry, err := s.Hub.TakeSignIn(r.Context(), model.SignIns, now, keys...)
	if err != nil {
		s.serverError(w, err)
		return
	}
	if !ok {
		mins := int(retry.Sub(now).Minutes()) + 1
		s.fail(w, http.StatusTooManyRequests, CodeRateLimited, fmt.Sprintf("too many failed sign-ins; try again in %d minutes", mins))
		return
	}
	s.hashing <- struct{}{}
	match := s.Verify(acc.PasswordHash, req.Password)
	<-s.hashing
	if !match || !known || acc.Off {
		if known {
			s.Log.Warn("enrol refused", "user", acc.Username, "addr", clientAddr(r))
		} else {
			s.Log.Warn("enrol refused: unknown user name", "addr", clientAddr(r))
		}
		s.fail(w, http.StatusUnauthorized, CodeBadLogin, "wrong user name or password")
		return
	}
	if err := s.Hub.ReleaseSignIn(r.Context(), model.SignIns, now, keys...); err != nil {
		s.serverError(w, err)
		return
	}
	tok := make([]byte, 32)
	rand.Read(tok)
	token := hex.EncodeToString(tok)
	if err := s.Hub.Enrol(r.Context(), acc.ID, req.Node, req.Name, token); err != nil {
		s.serverError(w, err)
		return
	}
	rows, err := s.Hub.Rows(r.Context())
	if err != nil {
		s.serverError(w, err)
		return
	}
	s.Log.Info("device enrolled", "user", acc.Username, "node", req.Node, "name", req.Name)
	s.reply(w, EnrolResponse{Token: token, Rows: rows, ServerTime: now.UnixMilli(), Account: Account{
		Username: acc.Username, DisplayName: acc.DisplayName, PasswordHash: acc.PasswordHash, Role: string(acc.Role), Areas: acc.Areas,
		CanReveal: acc.CanReveal, CanExport: acc.CanExport, PersonalData: acc.PersonalData}})
}

type caller struct {
	acc  model.ServerAccount
	node string
	vis  hub.Visible
}

func (s *Server) authed(fn func(http.ResponseWriter, *http.Request, caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			s.fail(w, http.StatusUnauthorized, CodeUnauthorized, "no device token: enrol first")
			return
		}
		acc, node, err := s.Hub.Device(r.Context(), token)
		switch {
		case errors.Is(err, hub.ErrRevoked):
			s.fail(w, http.StatusUnauthorized, CodeRevoked, "this device's access was revoked: enrol again")
			return
		case errors.Is(err, hub.ErrNotFound):
			s.fail(w, http.StatusUnauthorized, CodeUnauthorized, "unknown device token: enrol again")
			return
		case err != nil:
			s.serverError(w, err)
			return
		}
		if acc.Off {
			s.fail(w, http.StatusUnauthorized, CodeRevoked, "this account is disabled")
			return
		}
		vis, err := s.Hub.VisibleTo(r.Context(), acc)
		if err != nil {
			s.serverError(w, err)
			return
		}
		fn(w, r, caller{acc: acc, node: node, vis: vis})
	}
}

var (
	uidRE = regexp.MustCompile(`^[0-9a-f]{32}$`)
	hlcRE = regexp.MustCompile(`^[0-9]{13}\.[0-9]{5}$`)
)

// check refuses a malformed operation, naming it.
func check(i int, op model.SyncOp) error {
	switch {
	case !slices.Contains(model.SyncEntities, op.Entity):
		return fmt.Errorf("operation %d (seq %d): unknown entity %q", i+1, op.Seq, op.Entity)
	case !uidRE.MatchString(op.UID):
		return fmt.Errorf("operation %d (seq %d): uid must be 32 lower-case hex digits", i+1, op.Seq)
	case !hlcRE.MatchString(op.HLC):
		return fmt.Errorf("operation %d (seq %d): hlc must be 13 digits, a dot, 5 digits", i+1, op.Seq)
	case op.Op != model.OpPut && op.Op != model.OpDelete && op.Op != model.OpRestore:
		return fmt.Errorf("operation %d (seq %d): op must be put, delete or restore", i+1, op.Seq)
	case op.Seq <= 0:
		return fmt.Errorf("operation %d: seq must be positive", i+1)
	}
	return nil
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, c caller) {
	var req PushRequest
	if !s.decode(w, r, &req) {
		return
	}
	if len(req.Ops) > MaxBatch {
		s.fail(w, http.StatusRequestEntityTooLarge, CodeBatchLarge, fmt.Sprintf("%d operations; at most %d a push", len(req.Ops), MaxBatch))
		return
	}
	now := s.Now()
	limit := now.Add(s.MaxAhead).UnixMilli()
	for i, op := range req.Ops {
		if err := check(i, op); err != nil {
			s.fail(w, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
		if i > 0 && op.Seq <= req.Ops[i-1].Seq {
			s.fail(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("operation %d: seq %d not after %d", i+1, op.Seq, req.Ops[i-1].Seq))
			return
		}
		if ms, _ := strconv.ParseInt(op.HLC[:13], 10, 64); ms > limit {
			s.fail(w, http.StatusConflict, CodeClockAhead, fmt.Sprintf("operation %d is stamped %s, after the server's time %s: correct this computer's clock",
				i+1, time.UnixMilli(ms).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
			return
		}
	}
	res, err := s.Hub.Push(r.Context(), c.vis, c.acc.Username, c.node, req.Ops)
	if err != nil {
		s.serverError(w, err)
		return
	}
	s.reply(w, PushResponse{PushResult: res, ServerTime: now.UnixMilli()})
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, c caller) {
	var req PullRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Limit <= 0 || req.Limit > MaxPage {
		req.Limit = MaxPage
	}
	p, err := s.Hub.Pull(r.Context(), c.vis, req.Cursor, req.Limit)
	if err != nil {
		s.serverError(w, err)
		return
	}
	s.replyPacked(w, r, p)
}

// packFrom is the size from which a pull's page is gzipped: a first
// pull's full pages (a page of residents is a sixth of its size so), not
// a round's few changes, which are cheap to send while packing them costs
// the CPU every client shares (100 clients at once: 44 → 39 rounds/s).
const packFrom = 512 << 10

// replyPacked answers with a body gzipped when it is large and the client
// takes it (Go's client asks by itself and unpacks unseen, so every
// desktop does).
func (s *Server) replyPacked(w http.ResponseWriter, r *http.Request, v any) {
	w.Header().Add("Vary", "Accept-Encoding")
	body, err := json.Marshal(v)
	if err != nil {
		s.serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if len(body) < packFrom || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Write(append(body, '\n'))
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	zw.Write(append(body, '\n'))
	zw.Close()
}

// acceptsGzip reads an Accept-Encoding header: gzip listed, and not with q=0.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

func (s *Server) conflicts(w http.ResponseWriter, r *http.Request, c caller) {
	var req struct{}
	if !s.decode(w, r, &req) {
		return
	}
	cs, err := s.Hub.Conflicts(r.Context(), c.vis, 500)
	if err != nil {
		s.serverError(w, err)
		return
	}
	s.reply(w, ConflictsResponse{Conflicts: cs})
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request, c caller) {
	var req ResolveRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Take != "kept" && req.Take != "lost" {
		s.fail(w, http.StatusBadRequest, CodeBadRequest, `take must be "kept" or "lost"`)
		return
	}
	if c.vis.ReadOnly {
		s.fail(w, http.StatusForbidden, CodeForbidden, "this account only reads")
		return
	}
	err := s.Hub.Resolve(r.Context(), c.vis, c.acc.Username, c.node, req.ID, req.Take == "lost")
	switch {
	case errors.Is(err, hub.ErrNotFound):
		s.fail(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no open conflict %d you may see", req.ID))
	case err != nil:
		s.serverError(w, err)
	default:
		s.reply(w, map[string]any{"ok": true})
	}
}

// auditHead keeps the newest audit entry each desktop reports, as a
// witness outside the desktop: a trail that comes back shorter is logged
// here and told to the desktop.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request, c caller) {
	var req AuditHeadRequest
	if !s.decode(w, r, &req) {
		return
	}
	if len(req.Head.HeadID) > 64 || len(req.Head.Hash) > 128 || req.Head.LastID < 0 {
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "bad audit head")
		return
	}
	prev, err := s.Hub.ReportAuditHead(r.Context(), c.node, req.Head)
	if err != nil {
		s.serverError(w, err)
		return
	}
	if req.Head.LastID < prev.LastID {
		s.Log.Warn("a desktop's audit trail is shorter than it reported before", "node", c.node, "user", c.acc.Username,
			"had", prev.LastID, "now", req.Head.LastID)
	}
	s.reply(w, AuditHeadResponse{Prev: prev})
}

func (s *Server) serverError(w http.ResponseWriter, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.Log.Error("request failed", "err", err)
	s.fail(w, http.StatusInternalServerError, CodeServer, "the server could not do this now; try again")
}
