package replica_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shequ/app/model"
	"shequ/app/replica"
)

var tick atomic.Int64

// uniqueHLC is now, with a counter that makes every stamp distinct.
func uniqueHLC() string {
	return fmt.Sprintf("%013d.%05d", time.Now().UnixMilli(), tick.Add(1)%100000)
}

// Many writers push at once while a reader pages through the feed with
// a small page: the reader receives every committed change exactly once
// (none skipped by a transaction that committed after a later-numbered
// one), and desktops syncing meanwhile end equal to the server.
func TestConcurrentWritersProperty(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 300/raceScale)
		ctx := context.Background()
		var uids []string
		for k := range w.state() {
			if u, ok := strings.CutPrefix(k, "resident/"); ok {
				uids = append(uids, u)
			}
		}
		desks := []*desk{w.replica("admin"), w.replica("admin")}
		reader := w.replica("admin")
		kv, _ := reader.st.SyncState(ctx)
		rc, _ := newRawClient(w, kv["token"])
		cursor := kv["cursor"]
		var startPos int64
		if err := rawDB(t, w.spec).QueryRow("SELECT coalesce(max(pos), 0) FROM hub_feed").Scan(&startPos); err != nil {
			t.Fatal(err)
		}

		const writers, pushes = 5, 15 / raceScale
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, _ := newRawClient(w, "")
				node := fmt.Sprintf("%032x", 0xabc000+i)
				if _, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: pw, Node: node}); err != nil {
					t.Error(err)
					return
				}
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				seq := int64(0)
				for range pushes {
					var ops []model.SyncOp
					for range 1 + rng.IntN(20) {
						seq++
						ops = append(ops, model.SyncOp{Seq: seq, Entity: "resident", UID: uids[rng.IntN(len(uids))], Op: model.OpPut,
							Fields: map[string]string{[]string{"notes", "phone"}[rng.IntN(2)]: fmt.Sprint("w", i, "-", seq)}, HLC: uniqueHLC()})
					}
					if _, err := cl.Push(ctx, ops); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		for _, d := range desks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if _, err := d.SyncRound(ctx, d.actor, nil); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		got := map[string]int{}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		pull := func() bool {
			p, err := rc.Pull(ctx, cursor, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Entries {
				got[e.UID+" "+e.HLC]++
			}
			cursor = p.Cursor
			return p.More
		}
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
				pull()
				time.Sleep(2 * time.Millisecond)
			}
		}
		for pull() {
		}
		want := map[string]int{}
		rows, err := rawDB(t, w.spec).Query("SELECT uid, hlc FROM hub_feed WHERE pos > $1", startPos)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u, h string
			rows.Scan(&u, &h)
			want[u+" "+h]++
		}
		rows.Close()
		if len(want) < writers*pushes/2 {
			t.Fatalf("only %d changes committed", len(want))
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("change %s committed %d times, pulled %d times (of %d changes)", k, n, got[k], len(want))
			}
		}
		if len(got) != len(want) {
			t.Fatalf("pulled %d changes, %d committed", len(got), len(want))
		}
		for _, d := range desks {
			d.sync(t)
			same(t, "desktop", d.state(t), w.state())
		}
	})
}
