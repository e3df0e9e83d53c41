package ui

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/replica"
)

// A first start joins the district with no local administrator asked
// for. A server whose certificate this computer does not trust, and a
// wrong password, are said under the fields, which keep what was typed;
// with the district's CA file and the right password the desktop
// receives grid1's grid and is signed in as grid1, a grid worker.
func TestFirstStartJoinsTheDistrictAsTheServersAccount(t *testing.T) {
	_, h := syncServer(t, 120)
	ts := httptest.NewUnstartedServer(replica.NewServer(h, nil, app.VerifyPassword).Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the test's
	ts.StartTLS()
	t.Cleanup(ts.Close)
	ca := filepath.Join(t.TempDir(), "district-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	u, w := startBare(t, false)
	_, _, radios := dialogWidgets(w)
	radios[0].SetSelected("从区里的服务器同步（用服务器上的账号加入）")
	entries, _, _ := dialogWidgets(w)
	if len(entries) != 4 || !shows(w, "本机将加入区里的同步服务器") || shows(w, "管理员账号") {
		t.Fatalf("the join form has %d entries: %v", len(entries), texts(w))
	}
	server, caFile, user, pw := entries[0], entries[1], entries[2], entries[3]
	server.SetText(ts.URL)
	user.SetText("grid1")
	pw.SetText("wrong")
	kept := func(when, password string) {
		t.Helper()
		if u.actor != nil || server.Text != ts.URL || user.Text != "grid1" || pw.Text != password {
			t.Fatalf("%s: signed in %v; fields %q %q %q", when, u.actor != nil, server.Text, user.Text, pw.Text)
		}
	}
	tapText(t, w, "加入")
	drain(t)
	if !shows(w, "本机不信任服务器的证书") {
		t.Fatalf("an untrusted certificate: %v", texts(w))
	}
	kept("an untrusted certificate", "wrong")
	caFile.SetText(ca)
	tapText(t, w, "加入")
	drain(t)
	if !shows(w, "服务器上的用户名或密码不对") {
		t.Fatalf("a wrong password: %v", texts(w))
	}
	kept("a wrong password", "wrong")
	pw.SetText(testPassword)
	tapText(t, w, "加入")
	drain(t)
	if u.actor == nil {
		t.Fatalf("not signed in after joining: %v", texts(w))
	}
	acc := u.actor.Account
	if acc.Username != "grid1" || acc.Role != model.RoleGrid || len(acc.AreaIDs) != 1 || u.accounts != nil {
		t.Fatalf("signed in as %s (%s, areas %v), account screens %v", acc.Username, acc.Role, acc.AreaIDs, u.accounts != nil)
	}
	if !strings.HasSuffix(w.Title(), "grid1") || !shows(w, "以 grid1 登录") {
		t.Errorf("title %q; window %v", w.Title(), texts(w))
	}
	if living := livingHere(t, u); living == 0 || u.residents.pager.total != living {
		t.Errorf("the residents screen shows %d, want the grid's %d living here", u.residents.pager.total, living)
	}
	if st, _ := u.app.SyncStatus(u.ctx); !st.Enrolled || st.User != "grid1" {
		t.Errorf("sync state %+v", st)
	}
}

// A join cut off halfway (cancelled, the network gone) leaves no account:
// the next start asks again, ready to go on with the same server and user.
func TestFirstStartGoesOnWithAJoinCutOffHalfway(t *testing.T) {
	ts, _ := syncServer(t, 60)
	a, fa := testApp(t)
	old := app.SyncPage
	app.SyncPage = 20
	t.Cleanup(func() { app.SyncPage = old })
	ctx, cancel := context.WithCancel(context.Background())
	_, _, err := a.SyncEnrol(ctx, nil, ts.URL, "", "grid1", testPassword, func(_ string, done, _ int) {
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cut off halfway: %v", err)
	}
	u, w := startWindow(fa, a, Options{Version: "test"})
	drain(t) // the join's settings are read off the window's goroutine
	entries, _, radios := dialogWidgets(w)
	if radios[0].Selected != "从区里的服务器同步（用服务器上的账号加入）" || len(entries) != 4 || entries[0].Text != ts.URL || entries[2].Text != "grid1" {
		t.Fatalf("the first start after a join cut off: %q, %d entries: %v", radios[0].Selected, len(entries), texts(w))
	}
	entries[3].SetText(testPassword)
	tapText(t, w, "加入")
	drain(t)
	if u.actor == nil || u.actor.Account.Username != "grid1" {
		t.Fatalf("not signed in as grid1: %v", texts(w))
	}
	if living := livingHere(t, u); u.residents.pager.total != living {
		t.Errorf("the residents screen shows %d, want %d", u.residents.pager.total, living)
	}
}
