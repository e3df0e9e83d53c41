package replica_test

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// A new desktop joins as a grid worker with no account of its own: a
// join cancelled halfway leaves no account and goes on when asked again;
// then, with the server gone, the grid worker signs in on the reopened
// file with the server's password, as a grid worker of the same grid, and
// sees the grid's residents.
func TestJoinedDesktopSignsInOfflineAsTheServersAccount(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	ctx := context.Background()
	old := app.SyncPage
	app.SyncPage = 50
	t.Cleanup(func() { app.SyncPage = old })
	file := filepath.Join(t.TempDir(), "laptop.db")
	d := w.open(file)
	cut, cancel := context.WithCancel(ctx)
	_, _, err := d.SyncEnrol(cut, nil, w.ts.URL, "", "grid1", pw, func(stage string, done, total int) {
		if stage == "pull" && done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a join cancelled halfway: %v", err)
	}
	if setup, _ := d.NeedsSetup(ctx); !setup {
		t.Fatal("a join cancelled halfway left an account")
	}
	actor, _, err := d.SyncEnrol(ctx, nil, w.ts.URL, "", "grid1", pw, nil)
	if err != nil {
		t.Fatalf("the join asked again: %v", err)
	}
	if actor.Account.Username != "grid1" || actor.Account.Role != model.RoleGrid {
		t.Fatalf("joined as %+v", actor.Account)
	}
	d.st.Close()
	w.ts.Close()

	off := w.open(file)
	if setup, _ := off.NeedsSetup(ctx); setup {
		t.Fatal("the joined file asks for a first administrator")
	}
	if _, err := off.Login(ctx, "grid1", "wrong"); !errors.Is(err, app.ErrBadLogin) {
		t.Errorf("a wrong password offline: %v", err)
	}
	g, err := off.Login(ctx, "grid1", pw)
	if err != nil {
		t.Fatalf("grid1 signs in offline: %v", err)
	}
	if g.Account.Role != model.RoleGrid || len(g.Account.AreaIDs) != 1 {
		t.Fatalf("offline grid1 is %s of areas %v", g.Account.Role, g.Account.AreaIDs)
	}
	if uid, _ := off.st.UIDOf(ctx, "area", g.Account.AreaIDs[0]); uid != w.grid1 {
		t.Fatalf("offline grid1 is %s of areas %v", g.Account.Role, g.Account.AreaIDs)
	}
	all := &app.CohortFilter{Statuses: model.Statuses}
	list, err := off.Residents(ctx, g, app.ListFilter{Cohort: all})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := list.Count(ctx); n != 100 {
		t.Errorf("grid1 sees %d residents offline, want the grid's 100", n)
	}
	if st, _ := off.SyncStatus(ctx); !st.Enrolled || st.User != "grid1" {
		t.Errorf("sync state %+v", st)
	}
}

// A join over TLS says what is wrong with the certificate rather than
// that the server cannot be reached: a district's own certificate with no
// CA file given, a CA file that is not there or holds none. With the CA
// file it joins.
func TestJoinSaysWhatIsWrongWithTheCertificate(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 10)
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(w.srv.Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the test's
	ts.StartTLS()
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	ca, notCA := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "notes.txt")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600)
	os.WriteFile(notCA, []byte("not a certificate"), 0o600)
	d := w.open(filepath.Join(dir, "laptop.db"))
	for _, c := range []struct{ ca, key string }{
		{"", "err.sync.cert"},
		{filepath.Join(dir, "missing.pem"), "err.sync.cafile"},
		{notCA, "err.sync.cafile"},
	} {
		_, _, err := d.SyncEnrol(ctx, nil, ts.URL, c.ca, "admin", pw, nil)
		var ps app.Problems
		if !errors.As(err, &ps) || ps[0].Key != c.key {
			t.Errorf("CA file %q: %v, want %s", c.ca, err, c.key)
		}
	}
	if _, _, err := d.SyncEnrol(ctx, nil, ts.URL, ca, "admin", pw, nil); err != nil {
		t.Fatalf("with the district's CA file: %v", err)
	}
}
