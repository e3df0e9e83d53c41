package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
	"shequ/store/hub"
)

// checkGate is a password check that counts the checks and holds each until
// opened, so that guesses sent together are all in flight at once. Only
// the right password matches, and only against a real hash.
type checkGate struct {
	checks atomic.Int32
	open   chan struct{}
	right  string
}

func newCheckGate(right string) *checkGate {
	return &checkGate{open: make(chan struct{}), right: right}
}

func (g *checkGate) verify(hash, password string) bool {
	g.checks.Add(1)
	<-g.open
	return hash != "" && password == g.right
}

// collect reads n answers from ch, giving up after d.
func collect(ch <-chan error, n int, d time.Duration) []error {
	var got []error
	timeout := time.After(d)
	for len(got) < n {
		select {
		case err := <-ch:
			got = append(got, err)
		case <-timeout:
			return got
		}
	}
	return got
}

// A hundred wrong passwords at once: at most five are checked, the others
// are refused unchecked, and the right password sent while they are
// checked is refused too, until the lock window has passed.
func TestParallelSignInsCheckAtMostFive(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	g := newCheckGate(adminPassword)
	app.SetVerify(ta.App, g.verify)
	const n = 100
	answers := make(chan error, n)
	for i := range n {
		go func() {
			_, err := ta.Login(ctx, "admin", fmt.Sprintf("Wrong%03d!", i))
			answers <- err
		}()
	}
	early := collect(answers, n-5, 5*time.Second) // the rest are in their checks
	right := make(chan error, 1)
	go func() {
		_, err := ta.Login(ctx, "admin", adminPassword)
		right <- err
	}()
	rightErr := collect(right, 1, time.Second)
	close(g.open)
	all := append(early, collect(answers, n-len(early), 10*time.Second)...)
	rightErr = append(rightErr, collect(right, 1-len(rightErr), 10*time.Second)...)
	if c := g.checks.Load(); c > 5 {
		t.Errorf("%d passwords checked, want at most 5", c)
	}
	locked := 0
	for _, err := range all {
		switch {
		case errors.Is(err, app.ErrLocked):
			locked++
		case !errors.Is(err, app.ErrBadLogin):
			t.Errorf("a wrong password: %v", err)
		}
	}
	if locked < n-5 {
		t.Errorf("%d of %d wrong passwords refused unchecked, want at least %d", locked, n, n-5)
	}
	if len(rightErr) != 1 || !errors.Is(rightErr[0], app.ErrLocked) {
		t.Fatalf("the right password during the lock: %v, want ErrLocked", rightErr)
	}
	// once the window has passed, the right password works
	app.SetClock(ta.App, func() time.Time { return time.Now().Add(16 * time.Minute) })
	if _, err := ta.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// A lock is kept in the database: closing and opening it again does not
// lift it.
func TestSignInLockSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "shequ.db")
	ta, err := openApp(file)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		ta.Login(ctx, "admin", "Wrong123!")
	}
	ta.st.Close()
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, quiet)
	if _, err := a.Login(ctx, "admin", adminPassword); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("after reopening: %v, want ErrLocked", err)
	}
	app.SetClock(a, func() time.Time { return time.Now().Add(16 * time.Minute) })
	if _, err := a.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// An unknown name and a known one answer alike: each runs one password
// check, the same error, and both lock after five tries.
func TestUnknownAndKnownNamesAnswerAlike(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	var checks atomic.Int32
	app.SetVerify(ta.App, func(hash, password string) bool {
		checks.Add(1)
		return hash != "" && password == adminPassword
	})
	var msgs []string
	for _, name := range []string{"admin", "nobody"} {
		for i := range 6 {
			checks.Store(0)
			_, err := ta.Login(ctx, name, "Wrong123!")
			want, wantChecks := app.ErrBadLogin, int32(1)
			if i == 5 {
				want, wantChecks = app.ErrLocked, 0
				msgs = append(msgs, fmt.Sprint(problemKeys(t, err)))
			}
			if !errors.Is(err, want) {
				t.Errorf("%s, try %d: %v, want %v", name, i+1, err, want)
			}
			if c := checks.Load(); c != wantChecks {
				t.Errorf("%s, try %d: %d password checks, want %d", name, i+1, c, wantChecks)
			}
		}
	}
	if len(msgs) == 2 && msgs[0] != msgs[1] {
		t.Errorf("locked known and unknown names answer %s and %s", msgs[0], msgs[1])
	}
}

// The check against no stored hash (an unknown name) costs what a real
// one does: argon2id's 64 MiB are allocated each time.
func TestVerifyWithoutHashRunsArgon2(t *testing.T) {
	real, err := app.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	app.VerifyPassword("", "warm the dummy hash up")
	for _, hash := range []string{real, "", "$argon2id$broken"} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ok := app.VerifyPassword(hash, "Wrong123!")
		runtime.ReadMemStats(&after)
		if ok {
			t.Errorf("VerifyPassword(%q) matched", hash)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got < 60<<20 {
			t.Errorf("VerifyPassword(%q) allocated %d KiB: no argon2id check", hash, got>>10)
		}
	}
}

// syncBuffer is a log destination several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A password typed into the user name field is never recorded: a failed
// sign-in under an unknown name says only that an unknown name was tried,
// and one under a known name is recorded under the account's own name.
func TestFailedSignInNeverRecordsTheTypedName(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	ctx := context.Background()
	var logged syncBuffer
	a := app.New(ta.st, slog.New(slog.NewTextHandler(&logged, nil)))
	const typed = "Hunter2#Secret"
	for range 6 { // five failures, then locked
		if _, err := a.Login(ctx, typed, "whatever"); err == nil {
			t.Fatal("an unknown name signed in")
		}
	}
	if _, err := a.Login(ctx, " ADMIN ", "Wrong123!"); !errors.Is(err, app.ErrBadLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	entries, err := ta.AuditLog(ctx, ta.admin, model.AuditFilter{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var unknown, locked, known int
	for _, e := range entries {
		if strings.Contains(strings.ToLower(e.Account+e.Target+e.Detail), strings.ToLower(typed)) {
			t.Errorf("the typed name is in the audit trail: %+v", e)
		}
		switch {
		case e.Action == app.AuditLoginFail && e.Account == "" && strings.Contains(e.Detail, "unknown"):
			unknown++
		case e.Action == app.AuditLoginLocked && e.Account == "":
			locked++
		case e.Action == app.AuditLoginFail && e.Account == "admin" && e.Target != "":
			known++
		}
	}
	if unknown != 5 || locked != 1 || known != 1 {
		t.Errorf("recorded %d unknown-name failures, %d locked, %d under admin; want 5, 1, 1", unknown, locked, known)
	}
	if strings.Contains(strings.ToLower(logged.String()), strings.ToLower(typed)) {
		t.Errorf("the typed name is in the log:\n%s", logged.String())
	}
}

// The command line's sign-ins to a server's database (--store) count
// against the same limit, and the lock stays when the database is opened
// again.
func TestServerLoginLocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	h, err := hub.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.NewServer(h).Init(ctx, "admin", adminPassword, true); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := app.NewServer(h).SignIn(ctx, "admin", "Wrong123!"); !errors.Is(err, app.ErrBadLogin) {
			t.Fatalf("try %d: %v", i+1, err)
		}
	}
	h.Close()
	if h, err = hub.Open(ctx, spec); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := app.NewServer(h).SignIn(ctx, "admin", adminPassword); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("the right password after five wrong: %v, want ErrLocked", err)
	}
}
