package replica_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
	"shequ/store"
)

// TestSyncBench measures sync at scale; it runs only when asked:
//
//	SHEQU_SYNC_BENCH=1500000 [SHEQU_SYNC_STORE=postgres] go test ./app/replica -run TestSyncBench -v -timeout 3h
//
// It prints the first pull of a new desktop (rows/s), a round of 1,000
// edits, and 100 clients pushing and pulling at once (throughput, p50,
// p95), each a median of SHEQU_SYNC_RUNS (3) where it repeats.
func TestSyncBench(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SHEQU_SYNC_BENCH"))
	if n == 0 {
		t.Skip("SHEQU_SYNC_BENCH=residents runs it")
	}
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	if os.Getenv("SHEQU_SYNC_STORE") == "postgres" {
		spec = pgDatabase(t)
	}
	ctx := context.Background()
	start := time.Now()
	w := newWorld(t, spec, n)
	rows, _ := w.hub.Rows(ctx)
	t.Logf("seeded %s with %d residents (%d rows) in %s", strings.SplitN(spec, ":", 2)[0], n, rows, time.Since(start).Round(time.Second))

	// First pull of a new desktop, against the bulk load of the same
	// registry into a new file (the import's loader, without reading a
	// workbook) in the same run. CPU is the process's: the server's share
	// of the pull is in it too.
	start, cpu0 := time.Now(), cpuTime()
	d := w.replica("admin")
	pull, pullCPU := time.Since(start), cpuTime()-cpu0
	t.Logf("first pull: %d rows in %s (cpu %s), %.0f rows/s", rows, pull.Round(100*time.Millisecond), pullCPU.Round(100*time.Millisecond), float64(rows)/pull.Seconds())
	load, loadCPU := bulkLoad(t, n)
	t.Logf("bulk load of the same %d residents: %s (cpu %s); first pull / load: %.2f× wall, %.2f× cpu", n, load.Round(100*time.Millisecond),
		loadCPU.Round(100*time.Millisecond), pull.Seconds()/load.Seconds(), pullCPU.Seconds()/loadCPU.Seconds())
	if os.Getenv("SHEQU_SYNC_BENCH_ONLY") == "pull" {
		return
	}

	// A round of 1,000 edits, and another desktop pulling them.
	other := w.replica("admin")
	list, _ := d.Residents(ctx, d.actor, app.ListFilter{})
	rs, _ := list.Page(ctx, nil, 1000, false)
	var pushT, pullT []time.Duration
	for run := range 3 {
		for i, r := range rs {
			d.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = fmt.Sprint("bench ", run, " ", i) })
		}
		s := time.Now()
		res := d.sync(t)
		pushT = append(pushT, time.Since(s))
		if res.Pushed != len(rs) {
			t.Fatalf("pushed %d", res.Pushed)
		}
		s = time.Now()
		res = other.sync(t)
		pullT = append(pullT, time.Since(s))
		if res.Pulled != len(rs) {
			t.Fatalf("pulled %d", res.Pulled)
		}
	}
	t.Logf("1,000 edits: push round median %s, pull on another desktop median %s", median(pushT), median(pullT))

	// 100 clients at once, each pushing 10 edits and pulling, 20 times.
	var uids []string
	for _, r := range rs {
		uids = append(uids, d.uid(t, r.ID))
	}
	const clients, rounds = 100, 20
	// Every client starts where a desktop stands after its first pull:
	// one full pull gives the cursor (the same account's, so the same).
	first, _ := newRawClient(w, "")
	if _, err := first.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: pw, Node: fmt.Sprintf("%032x", 0xbd0000)}); err != nil {
		t.Fatal(err)
	}
	p, err := first.Pull(ctx, "", replica.MaxPage)
	for err == nil && p.More {
		p, err = first.Pull(ctx, p.Cursor, replica.MaxPage)
	}
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg, ready sync.WaitGroup
	// One enrolment at a time: the server checks at most five sign-ins
	// of an account at once (more are refused as guesses would be).
	var enrolling sync.Mutex
	go1 := make(chan struct{})
	for c := range clients {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			cl, _ := newRawClient(w, "")
			node := fmt.Sprintf("%032x", 0xbe0000+c)
			enrolling.Lock()
			_, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: pw, Node: node})
			enrolling.Unlock()
			ready.Done()
			if err != nil {
				t.Error(err)
				return
			}
			<-go1
			cursor := p.Cursor
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			for i := range rounds {
				var ops []model.SyncOp
				for k := range 10 {
					ops = append(ops, model.SyncOp{Seq: int64(i*10 + k + 1), Entity: "resident", UID: uids[rng.IntN(len(uids))], Op: model.OpPut,
						Fields: map[string]string{"notes": fmt.Sprint(c, "/", i)}, HLC: uniqueHLC()})
				}
				s := time.Now()
				if _, err := cl.Push(ctx, ops); err != nil {
					t.Error(err)
					return
				}
				for more := true; more; {
					page, err := cl.Pull(ctx, cursor, replica.MaxPage)
					if err != nil {
						t.Error(err)
						return
					}
					cursor, more = page.Cursor, page.More
				}
				mu.Lock()
				lat = append(lat, time.Since(s))
				mu.Unlock()
			}
		}()
	}
	ready.Wait()
	start = time.Now()
	close(go1)
	wg.Wait()
	total := time.Since(start)
	slices.Sort(lat)
	t.Logf("%d clients × %d rounds (push 10 + pull): %.0f rounds/s, %.0f edits/s; latency p50 %s p95 %s max %s",
		clients, rounds, float64(len(lat))/total.Seconds(), float64(len(lat)*10)/total.Seconds(),
		lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*95/100].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// bulkLoad times the demo district of n residents loaded into a new
// file, as the seed was: the bulk loader an import uses.
func bulkLoad(t *testing.T, n int) (wall, cpu time.Duration) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, quiet)
	admin, err := a.Init(ctx, "admin", pw, true)
	if err != nil {
		t.Fatal(err)
	}
	start, cpu0 := time.Now(), cpuTime()
	if err := a.Demo(ctx, admin, n, 1, nil); err != nil {
		t.Fatal(err)
	}
	return time.Since(start), cpuTime() - cpu0
}
