package replica_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shequ/app"
	"shequ/store"
)

// pgctl runs the test cluster's pg_ctl (as the postgres user under root).
func pgctl(t *testing.T, args ...string) {
	t.Helper()
	bin, data := os.Getenv("SHEQU_TEST_PGCTL"), os.Getenv("SHEQU_TEST_PGDATA")
	if bin == "" || data == "" {
		t.Fatal("SHEQU_TEST_PGCTL and SHEQU_TEST_PGDATA are not set (scripts/pg.sh)")
	}
	args = append([]string{"-D", data, "-w"}, args...)
	cmd := exec.Command(bin, args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl %v: %v\n%s", args, err, out)
	}
}

func pgStart(t *testing.T) {
	pgctl(t, "-l", filepath.Join(os.Getenv("SHEQU_TEST_PGSOCK"), "server.log"), "-o",
		"-h 127.0.0.1 -p "+os.Getenv("SHEQU_TEST_PGPORT")+" -k "+os.Getenv("SHEQU_TEST_PGSOCK")+" -c fsync=off -c max_connections=300", "start")
}

// The server's PostgreSQL stopped with `pg_ctl stop -m immediate` (a
// crash) while a batch is being applied: that batch is lost whole, what
// was acknowledged stays, and once the database is back the desktop's
// next round sends the rest; server and desktop end equal, each row once.
func TestDatabaseCrashMidBatch(t *testing.T) {
	spec := pgDatabase(t)
	w := newWorld(t, spec, 0)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := &desk{App: app.New(st, quiet), st: st}
	if d.actor, err = d.Init(ctx, "admin", pw, true); err != nil {
		t.Fatal(err)
	}
	if err := d.Demo(ctx, d.actor, 2000, 7, nil); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	var pushes atomic.Int32
	inner := w.srv.Handler()
	w.serve(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/push" {
			if pushes.Add(1) == 3 {
				once.Do(func() {
					go func() {
						time.Sleep(30 * time.Millisecond)
						pgctl(t, "-m", "immediate", "stop")
					}()
				})
			}
		}
		inner.ServeHTTP(rw, r)
	}))
	t.Cleanup(func() {
		// Never leave the cluster down for the tests after this one.
		if exec.Command("sh", "-c", "test -f "+os.Getenv("SHEQU_TEST_PGDATA")+"/postmaster.pid").Run() != nil {
			pgStart(t)
		}
	})
	_, _, err = d.SyncEnrol(ctx, d.actor, w.ts.URL, "", "admin", pw, nil)
	if err == nil {
		t.Fatal("the round went through a database crash without an error")
	}
	waiting, _ := st.OutboxCount(ctx)
	if waiting == 0 {
		t.Fatal("nothing left to send after the crash")
	}
	time.Sleep(100 * time.Millisecond)
	pgStart(t)
	for i := 0; ; i++ {
		_, err := d.SyncRound(ctx, d.actor, nil)
		if err == nil {
			break
		}
		if i == 20 {
			t.Fatalf("no round after the database came back: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
	state := w.state()
	same(t, "after the crash", d.state(t), state)
	if n, _ := w.hub.FeedLen(ctx); n != len(state) {
		t.Errorf("the feed holds %d changes for %d rows: a batch was applied twice", n, len(state))
	}
}
