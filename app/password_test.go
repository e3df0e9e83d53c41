package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
	"shequ/store/hub"
)

// Common passwords and ones holding the user name are refused wherever a
// password is set: the first account, a new account, a reset, a change,
// and the server's accounts.
func TestCommonPasswordsAndNamesRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ user, pw, want string }{
		{"wang", "Wang1234", "err.password.name"},
		{"wang", "xWANG-2024", "err.password.name"},
		{"admin", "Password1", "err.password.common"},
		{"admin", "1Qaz2wsx", "err.password.common"}, // a list entry, case aside
		{"admin", "Qwerty123", "err.password.common"},
		{"admin", "P@ssw0rd", "err.password.common"},
		{"admin", "Admin123!", "err.password.name"},
	} {
		err := app.CheckPassword(tc.user, tc.pw)
		if got := problemKeys(t, err)["password"]; got != tc.want {
			t.Errorf("CheckPassword(%q, %q) = %v, want %s", tc.user, tc.pw, err, tc.want)
		}
	}
	for _, pw := range []string{adminPassword, "Ledger#2024x", "台账Ab2024"} {
		if err := app.CheckPassword("admin", pw); err != nil {
			t.Errorf("CheckPassword(admin, %q) = %v", pw, err)
		}
	}

	ctx := context.Background()
	refused := func(what string, err error) {
		t.Helper()
		if got := problemKeys(t, err)["password"]; got != "err.password.common" {
			t.Errorf("%s with Password1: %v, want err.password.common", what, err)
		}
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "first.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = app.New(st, quiet).Init(ctx, "admin", "Password1", true)
	refused("the first account", err)

	ta := newApp(t)
	_, err = ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "liu", Password: "Password1", Role: model.RoleAdmin})
	refused("a new account", err)
	refused("a reset", ta.ResetPassword(ctx, ta.admin, "admin", "Password1"))
	refused("a change", ta.ChangePassword(ctx, ta.admin, adminPassword, "Password1"))

	h, err := hub.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := app.NewServer(h)
	refused("the server's first account", srv.Init(ctx, "admin", "Password1", true))
	if err := srv.Init(ctx, "admin", adminPassword, true); err != nil {
		t.Fatal(err)
	}
	actor, err := srv.SignIn(ctx, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	refused("a server account", srv.AddAccount(ctx, actor, app.AccountInput{Username: "liu", Password: "Password1", Role: model.RoleAdmin}, nil))
}
