package replica_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"shequ/app"
	"shequ/store"
)

// TestMain lets the test binary run one sync round as a child process
// (SHEQU_SYNC_CHILD=FILE), which the fault tests kill with SIGKILL.
func TestMain(m *testing.M) {
	if file := os.Getenv("SHEQU_SYNC_CHILD"); file != "" {
		ctx := context.Background()
		st, err := store.Open(ctx, file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if n, err := strconv.Atoi(os.Getenv("SHEQU_SYNC_PAGE")); err == nil {
			app.SyncPage = n
		}
		a := app.New(st, quiet)
		var res app.SyncResult
		// As `shequ sync` does: a file without accounts joins the server.
		if setup, _ := a.NeedsSetup(ctx); setup {
			_, res, err = a.SyncEnrol(ctx, nil, os.Getenv("SHEQU_SYNC_SERVER"), "", "admin", pw, nil)
		} else {
			res, err = a.SyncRound(ctx, nil, nil)
		}
		st.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%d %d\n", res.Pushed, res.Pulled)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child runs a sync round of file in a process of its own.
type child struct {
	mu  sync.Mutex
	cmd *exec.Cmd
}

func (c *child) start(t *testing.T, w *world, file string, page int) chan error {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SHEQU_SYNC_CHILD="+file, "SHEQU_SYNC_PAGE="+strconv.Itoa(page), "SHEQU_SYNC_SERVER="+w.ts.URL)
	cmd.Stderr = os.Stderr
	c.mu.Lock()
	c.cmd = cmd
	c.mu.Unlock()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done
}

// kill ends the child at once, as a power cut or the task manager would.
func (c *child) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Process.Wait()
}

// serveKilling wraps the server: the nth request to path is answered
// only after the child was killed, so the server has done the work and
// the desktop never hears of it.
func serveKilling(w *world, c *child, path string, nth int) {
	var mu sync.Mutex
	seen := 0
	inner := w.srv.Handler()
	w.serve(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen += map[bool]int{true: 1}[r.URL.Path == path]
		hit := r.URL.Path == path && seen == nth
		mu.Unlock()
		if !hit {
			inner.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		c.kill()
	}))
}

// A desktop killed after its push reached the server and before the
// answer did: the next round sends the batch again, the server applies
// it once, and nothing is lost.
func TestKilledAfterPush(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 200)
		ctx := context.Background()
		d := w.replica("admin")
		for i := range 30 {
			r := d.resident(t, i)
			d.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = fmt.Sprint("探访", i) })
		}
		d.st.Close()
		before, _ := w.hub.FeedLen(ctx)
		var c child
		serveKilling(w, &c, "/v1/push", 1)
		if err := <-c.start(t, w, d.file, 2000); err == nil {
			t.Fatal("the child was not killed")
		}
		mid, _ := w.hub.FeedLen(ctx)
		if mid-before != 30 {
			t.Fatalf("the server applied %d of 30 before the kill", mid-before)
		}
		w.serve(w.srv.Handler())
		if err := <-c.start(t, w, d.file, 2000); err != nil {
			t.Fatalf("the round after the kill: %v", err)
		}
		after, _ := w.hub.FeedLen(ctx)
		if after != mid {
			t.Fatalf("the batch sent again was applied again: feed %d → %d", mid, after)
		}
		again := w.open(d.file)
		if n, _ := again.st.OutboxCount(ctx); n != 0 {
			t.Errorf("%d changes still waiting", n)
		}
		same(t, "after the kill", again.state(t), w.state())
	})
}

// A new desktop killed in the middle of its first pull, between pages:
// each page was applied with its cursor, so the next round goes on from
// there, and the replica ends equal to the server with nothing twice.
func TestKilledDuringPull(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 600)
		ctx := context.Background()
		file := t.TempDir() + "/new.db"
		var c child
		serveKilling(w, &c, "/v1/pull", 3)
		if err := <-c.start(t, w, file, 200); err == nil {
			t.Fatal("the child was not killed")
		}
		if _, ok := indexes(t, file)["resident_cohort"]; ok {
			t.Errorf("the first pull kept the residents' indexes up row by row")
		}
		half := w.open(file)
		if n := len(half.state(t)); n != 400 {
			t.Fatalf("after two pages of 200 the replica holds %d rows", n)
		}
		// What the first pull left to its end was built when reopened.
		freshIndexes(t).check(t, file)
		counted(t, file)
		half.st.Close()
		w.serve(w.srv.Handler())
		if err := <-c.start(t, w, file, 200); err != nil {
			t.Fatalf("the round after the kill: %v", err)
		}
		d := w.open(file)
		if n, _ := d.st.SyncProblems(ctx); n != 0 {
			t.Errorf("%d rows could not be applied", n)
		}
		same(t, "after the kill", d.state(t), w.state())
		actor, err := d.Login(ctx, "admin", pw)
		if err != nil {
			t.Fatalf("sign in on the new replica: %v", err)
		}
		// The name search, left to the end of the first pull, was made.
		d.actor = actor
		name := []rune(d.resident(t, 0).Name)
		list, err := d.Residents(ctx, actor, app.ListFilter{Search: string(name[len(name)-2:])})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := list.Count(ctx); n == 0 {
			t.Errorf("no one found by part of a name after the first pull")
		}
	})
}
