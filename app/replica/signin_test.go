package replica_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store/hub"
)

// checkGate is the server's password check, counting the checks and
// holding each until opened, so that guesses sent together are all in
// flight at once. Only the right password matches, and only a real hash.
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

type answer struct {
	status     int
	code, body string
}

// enrol sends one enrol request and returns the answer (no t: it runs in
// goroutines).
func enrol(url, user, password string) answer {
	body, _ := json.Marshal(replica.EnrolRequest{Username: user, Password: password, Node: strings.Repeat("ab", 16)})
	resp, err := http.Post(url+"/v1/enrol", "application/json", bytes.NewReader(body))
	if err != nil {
		return answer{code: err.Error()}
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	var eb replica.ErrorBody
	json.Unmarshal(b.Bytes(), &eb)
	eb.Error.ServerTime = 0
	norm, _ := json.Marshal(eb)
	return answer{status: resp.StatusCode, code: eb.Error.Code, body: string(norm)}
}

// collect reads n answers from ch, giving up after d.
func collect(ch <-chan answer, n int, d time.Duration) []answer {
	var got []answer
	timeout := time.After(d)
	for len(got) < n {
		select {
		case a := <-ch:
			got = append(got, a)
		case <-timeout:
			return got
		}
	}
	return got
}

// A hundred wrong passwords sent to the server at once, for one account
// or for a hundred names from one address: at most five are checked, and
// the right password sent while they are is refused.
func TestParallelEnrolsCheckAtMostFive(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) { parallelEnrols(t, spec) })
}

func parallelEnrols(t *testing.T, spec func() string) {
	for _, tc := range []struct {
		name string
		user func(i int) string
	}{
		{"one account", func(int) string { return "admin" }},
		{"one address", func(i int) string { return fmt.Sprintf("worker%03d", i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, spec(), 0)
			for i := range 100 { // accounts, each guessed once
				if err := w.hub.PutAccount(context.Background(), model.ServerAccount{Username: fmt.Sprintf("worker%03d", i), PasswordHash: "h", Role: model.RoleWorker}); err != nil {
					t.Fatal(err)
				}
			}
			g := newCheckGate(pw)
			w.srv.Verify = g.verify
			const n = 100
			answers := make(chan answer, n)
			for i := range n {
				go func() { answers <- enrol(w.ts.URL, tc.user(i), fmt.Sprintf("Wrong%03d!", i)) }()
			}
			early := collect(answers, n-5, 5*time.Second) // the rest are in their checks
			right := make(chan answer, 1)
			go func() { right <- enrol(w.ts.URL, "admin", pw) }()
			rightAns := collect(right, 1, 2*time.Second)
			close(g.open)
			all := append(early, collect(answers, n-len(early), 10*time.Second)...)
			rightAns = append(rightAns, collect(right, 1-len(rightAns), 10*time.Second)...)
			if c := g.checks.Load(); c > 5 {
				t.Errorf("%d passwords checked, want at most 5", c)
			}
			limited := 0
			for _, a := range all {
				switch a.code {
				case replica.CodeRateLimited:
					limited++
				case replica.CodeBadLogin:
				default:
					t.Errorf("a wrong password: %d %s", a.status, a.code)
				}
			}
			if len(all) != n || limited < n-5 {
				t.Errorf("%d answers, %d refused unchecked; want %d, at least %d", len(all), limited, n, n-5)
			}
			if len(rightAns) != 1 || rightAns[0].code != replica.CodeRateLimited {
				t.Fatalf("the right password during the lock: %+v, want %s", rightAns, replica.CodeRateLimited)
			}
		})
	}
}

// The server keeps its locks in its database: a restart does not lift
// them.
func TestEnrolLockSurvivesRestart(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 0)
		for i := range 5 {
			if a := enrol(w.ts.URL, "admin", "Wrong123!"); a.code != replica.CodeBadLogin {
				t.Fatalf("try %d: %+v", i+1, a)
			}
		}
		// the server stops; another starts on the same database
		w.ts.Close()
		w.hub.Close()
		h, err := hub.Open(context.Background(), w.spec)
		if err != nil {
			t.Fatal(err)
		}
		w.hub = h
		w.srv = replica.NewServer(h, quiet, app.VerifyPassword)
		srv := httptest.NewServer(w.srv.Handler())
		defer srv.Close()
		ts := srv.URL
		if a := enrol(ts, "admin", pw); a.code != replica.CodeRateLimited {
			t.Fatalf("the right password after a restart: %+v, want %s", a, replica.CodeRateLimited)
		}
		w.srv.SetClock(func() time.Time { return time.Now().Add(16 * time.Minute) })
		if a := enrol(ts, "admin", pw); a.status != http.StatusOK {
			t.Fatalf("after the window: %+v", a)
		}
	})
}

// An unknown name and a known one with a wrong password get the same
// answer, after one password check each; and the name typed is not
// written to the server's log unless it is an account's.
func TestEnrolUnknownAndKnownNamesAnswerAlike(t *testing.T) {
	w := newWorld(t, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), 0)
	var logged syncBuffer
	w.srv.Log = slog.New(slog.NewTextHandler(&logged, nil))
	var checks atomic.Int32
	w.srv.Verify = func(hash, password string) bool {
		checks.Add(1)
		return app.VerifyPassword(hash, password)
	}
	const typed = "Hunter2#Secret"
	var got []answer
	for _, name := range []string{"admin", typed} {
		checks.Store(0)
		got = append(got, enrol(w.ts.URL, name, "Wrong123!"))
		if c := checks.Load(); c != 1 {
			t.Errorf("%s: %d password checks, want 1", name, c)
		}
	}
	if got[0] != got[1] || got[0].code != replica.CodeBadLogin {
		t.Errorf("known and unknown names answer\n%+v\n%+v", got[0], got[1])
	}
	if strings.Contains(logged.String(), typed) {
		t.Errorf("the typed name is in the server's log:\n%s", logged.String())
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
