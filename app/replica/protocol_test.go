package replica_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
)

func newRawClient(w *world, token string) (*replica.Client, error) {
	return replica.NewClient(w.ts.URL, token, "")
}

// hlcNow is a clock reading shifted by d.
func hlcNow(d time.Duration) string {
	return fmt.Sprintf("%013d.%05d", time.Now().Add(d).UnixMilli(), 0)
}

// post sends a raw body and returns the status and error code.
func post(t *testing.T, w *world, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb replica.ErrorBody
	json.NewDecoder(resp.Body).Decode(&eb)
	return resp.StatusCode, eb.Error.Code
}

// The server's limits and refusals, each with a code a client acts on.
func TestProtocolRefusals(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	d := w.replica("admin")
	kv, _ := d.st.SyncState(context.Background())
	tok := kv["token"]
	for _, c := range []struct {
		name, path, token, body string
		status                  int
		code                    string
	}{
		{"no token", "/v1/pull", "", `{"cursor":""}`, 401, replica.CodeUnauthorized},
		{"bad token", "/v1/pull", "abc", `{"cursor":""}`, 401, replica.CodeUnauthorized},
		{"unknown field", "/v1/pull", tok, `{"cursor":"","since":1}`, 400, replica.CodeBadRequest},
		{"two values", "/v1/pull", tok, `{"cursor":""}{"cursor":""}`, 400, replica.CodeBadRequest},
		{"unknown op field", "/v1/push", tok, `{"ops":[{"seq":1,"entity":"resident","uid":"0123456789abcdef0123456789abcdef","op":"put","hlc":"1764000000000.00000","base":0,"extra":1}]}`, 400, replica.CodeBadRequest},
		{"bad entity", "/v1/push", tok, `{"ops":[{"seq":1,"entity":"account","uid":"0123456789abcdef0123456789abcdef","op":"put","hlc":"1764000000000.00000","base":0}]}`, 400, replica.CodeBadRequest},
		{"bad hlc", "/v1/push", tok, `{"ops":[{"seq":1,"entity":"resident","uid":"0123456789abcdef0123456789abcdef","op":"put","hlc":"soon","base":0}]}`, 400, replica.CodeBadRequest},
		{"too large", "/v1/push", tok, `{"ops":[],"x":"` + strings.Repeat("x", replica.MaxBody) + `"}`, 413, replica.CodeTooLarge},
		{"no such request", "/v1/nothing", tok, `{}`, 404, replica.CodeNotFound},
	} {
		if status, code := post(t, w, c.path, c.token, c.body); status != c.status || code != c.code {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, code, c.status, c.code)
		}
	}
	var ops []model.SyncOp
	for i := range replica.MaxBatch + 1 {
		ops = append(ops, model.SyncOp{Seq: int64(i + 1), Entity: "resident", UID: "0123456789abcdef0123456789abcdef", Op: model.OpDelete, HLC: hlcNow(0)})
	}
	body, _ := json.Marshal(replica.PushRequest{Ops: ops})
	if status, code := post(t, w, "/v1/push", tok, string(body)); status != 413 || code != replica.CodeBatchLarge {
		t.Errorf("a batch of %d: %d %q", len(ops), status, code)
	}
}

// Failed sign-ins are limited per account and per address: past five,
// even the right password waits. A revoked device is refused with its
// own code and enrols again.
func TestEnrolLimitsAndRevoke(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	ctx := context.Background()
	cl, _ := newRawClient(w, "")
	node := "0123456789abcdef0123456789abcdef"
	for i := range 5 {
		_, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: "wrong", Node: node})
		if !replica.IsCode(err, replica.CodeBadLogin) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: pw, Node: node}); !replica.IsCode(err, replica.CodeRateLimited) {
		t.Fatalf("after five failures: %v", err)
	}
	// Another account from the same address waits too.
	if _, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "grid1", Password: pw, Node: node}); !replica.IsCode(err, replica.CodeRateLimited) {
		t.Fatalf("another account from the address: %v", err)
	}
	w.srv.SetClock(func() time.Time { return time.Now().Add(16 * time.Minute) })
	if _, err := cl.Enrol(ctx, replica.EnrolRequest{Username: "admin", Password: pw, Node: node}); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// A device whose token was revoked cannot sync until it enrols again.
func TestRevokedDevice(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	ctx := context.Background()
	d := w.replica("admin")
	kv, _ := d.st.SyncState(ctx)
	if err := w.hub.Revoke(ctx, kv["node"]); err != nil {
		t.Fatal(err)
	}
	_, err := d.SyncRound(ctx, d.actor, nil)
	if !replica.IsCode(err, replica.CodeRevoked) {
		t.Fatalf("sync after revoke: %v", err)
	}
	if st, _ := d.SyncStatus(ctx); st.LastError == "" {
		t.Error("the failed round left no error to show")
	}
	if _, _, err := d.SyncEnrol(ctx, d.actor, w.ts.URL, "", "admin", pw, nil); err != nil {
		t.Fatalf("enrol again: %v", err)
	}
	d.sync(t)
	// Another server's rows would mix with this one's: refused.
	other := newWorld(t, "sqlite:"+t.TempDir()+"/other.db", 0)
	if _, _, err := d.SyncEnrol(ctx, d.actor, other.ts.URL, "", "admin", pw, nil); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("enrol with another server: %v", err)
	}
}

// The same batch pushed many times at once is applied once.
func TestReplayedBatchAppliedOnce(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 100)
		ctx := context.Background()
		d := w.replica("admin")
		r := d.resident(t, 1)
		for i := range 20 {
			d.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = fmt.Sprint("第", i, "次") })
		}
		ops, err := d.st.Outbox(ctx, 1000)
		if err != nil || len(ops) != 20 {
			t.Fatalf("outbox: %d %v", len(ops), err)
		}
		before, _ := w.hub.FeedLen(ctx)
		kv, _ := d.st.SyncState(ctx)
		var wg sync.WaitGroup
		applied := make([]int, 8)
		for i := range applied {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, _ := newRawClient(w, kv["token"])
				res, err := cl.Push(ctx, ops)
				if err != nil {
					t.Error(err)
					return
				}
				applied[i] = res.Applied
			}()
		}
		wg.Wait()
		total := 0
		for _, n := range applied {
			total += n
		}
		after, _ := w.hub.FeedLen(ctx)
		if total != 20 || after-before != 20 {
			t.Fatalf("8 pushes of 20 operations applied %d (%v), feed grew by %d; want 20", total, applied, after-before)
		}
		d.sync(t) // the answers were lost to the desktop: it sends again, the server skips
		same(t, "after replays", d.state(t), w.state())
		if got := w.state()["resident/"+d.uid(t, r.ID)]["notes"]; got != "第19次" {
			t.Errorf("notes %q, want the last edit", got)
		}
	})
}

// A desktop whose clock runs a day ahead of the server's is refused; its
// waiting changes are stamped with the server's time and sent, and it is
// told. One a day behind is accepted.
func TestClockSkew(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	ctx := context.Background()
	d := w.replica("admin")
	r, other := d.resident(t, 2), d.resident(t, 3)
	cl, _ := newRawClient(w, "")
	kv, _ := d.st.SyncState(ctx)
	cl.Token = kv["token"]
	_, err := cl.Push(ctx, []model.SyncOp{{Seq: 1 << 40, Entity: "resident", UID: d.uid(t, r.ID), Op: model.OpPut, Fields: map[string]string{"notes": "x"}, HLC: hlcNow(24 * time.Hour)}})
	if !replica.IsCode(err, replica.CodeClockAhead) {
		t.Fatalf("an operation stamped a day ahead: %v", err)
	}
	// The desktop's clock is moved a day ahead (a hybrid clock follows
	// the latest it has seen): by a change stamped so, put in past the
	// server's check.
	if err := w.hub.Seed(ctx, "ffffffffffffffffffffffffffffffff", []model.SyncOp{{Seq: 1, Entity: "resident", UID: d.uid(t, other.ID), Op: model.OpPut,
		Fields: map[string]string{"notes": "from the future"}, HLC: hlcNow(24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	d.sync(t)
	d.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = "快了一天" })
	res := d.sync(t)
	if res.Restamped != 1 || res.Pushed != 1 {
		t.Fatalf("round with a clock ahead: %+v", res)
	}
	if got := w.state()["resident/"+d.uid(t, r.ID)]; got["notes"] != "快了一天" {
		t.Fatalf("server has %q", got["notes"])
	}
	w.srv.SetClock(func() time.Time { return time.Now().Add(24 * time.Hour) }) // a day behind
	d.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = "慢了一天" })
	if res := d.sync(t); res.Pushed != 1 || res.Restamped != 0 {
		t.Fatalf("round with a clock behind: %+v", res)
	}
	same(t, "after skew", d.state(t), w.state())
}
