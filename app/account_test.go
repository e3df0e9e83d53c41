package app_test

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
	"shequ/store"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"Admin123!", true},
		{"Lmnopqr1", true},      // 8 characters, three classes
		{"abcdef1!", true},      // lower, digit, other
		{"密码是abc123", true},     // Chinese counts as other
		{"Abcdef1", false},      // 7 characters
		{"abcdefgh", false},     // one class
		{"ABCDEFGH123", false},  // two classes
		{"abcdefgh!!!!", false}, // two classes
		{"", false},
	} {
		err := app.CheckPassword("zhang", tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
		if err != nil && problemKeys(t, err)["password"] != "err.password.weak" {
			t.Errorf("CheckPassword(%q) = %v, want err.password.weak", tc.pw, err)
		}
	}
}

func TestCheckUsername(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"admin", true}, {" admin ", true}, {"张三", true}, {strings.Repeat("a", 32), true},
		{"", false}, {"   ", false}, {"a b", false}, {"a\tb", false}, {strings.Repeat("a", 33), false},
	} {
		err := app.CheckUsername(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckUsername(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && problemKeys(t, err)["username"] != "err.username" {
			t.Errorf("CheckUsername(%q) = %v", tc.name, err)
		}
	}
}

func TestHashPassword(t *testing.T) {
	t.Parallel()
	h, err := app.HashPassword("Admin123!")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") || strings.Contains(h, "Admin123!") {
		t.Errorf("hash %q", h)
	}
	if !app.VerifyPassword(h, "Admin123!") {
		t.Error("the password does not verify against its hash")
	}
	for _, tc := range []struct{ hash, pw string }{
		{h, "admin123!"},
		{h, ""},
		{"", "Admin123!"},
		{"$argon2i$v=19$m=65536,t=3,p=2$c2FsdA$a2V5", "Admin123!"},
		{strings.Replace(h, "argon2id", "argon2id$x", 1), "Admin123!"},
		{h[:len(h)-4] + "!!!!", "Admin123!"},
	} {
		if app.VerifyPassword(tc.hash, tc.pw) {
			t.Errorf("VerifyPassword(%q, %q) = true", tc.hash, tc.pw)
		}
	}
}

func TestInitAndLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "shequ.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, quiet)

	// a fresh database needs setting up
	if need, err := a.NeedsSetup(ctx); err != nil || !need {
		t.Fatalf("NeedsSetup on a fresh file = %v, %v", need, err)
	}

	// weak passwords and bad names are refused, every problem told at once
	for _, tc := range []struct {
		user, pw string
		want     map[string]string
	}{
		{"admin", "password", map[string]string{"password": "err.password.weak"}},
		{"admin", "Adm1!", map[string]string{"password": "err.password.weak"}},
		{"ad min", "Admin123!", map[string]string{"username": "err.username"}},
		{"", "weak", map[string]string{"username": "err.username", "password": "err.password.weak"}},
	} {
		_, err := a.Init(ctx, tc.user, tc.pw, true)
		if !errors.Is(err, model.ErrInvalid) {
			t.Errorf("Init(%q, %q) = %v, want ErrInvalid", tc.user, tc.pw, err)
			continue
		}
		if got := problemKeys(t, err); !maps.Equal(got, tc.want) {
			t.Errorf("Init(%q, %q) problems = %v, want %v", tc.user, tc.pw, got, tc.want)
		}
	}
	if n, _ := st.CountAccounts(ctx); n != 0 {
		t.Fatalf("refused inits made %d accounts", n)
	}

	// the first init makes an administrator who sees everything
	actor, err := a.Init(ctx, " admin ", adminPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if acc := actor.Account; acc.ID == 0 || acc.Username != "admin" || acc.Role != model.RoleAdmin || len(acc.AreaIDs) != 0 {
		t.Errorf("Init actor = %+v", acc)
	}
	// an app not told otherwise hashes at the production cost (the tests'
	// apps hash at a small one)
	if h := actor.Account.PasswordHash; !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("the administrator's hash %q is not at the production cost", h)
	}
	if need, _ := a.NeedsSetup(ctx); need {
		t.Error("NeedsSetup after Init")
	}

	// a second init is refused and makes nothing
	if _, err := a.Init(ctx, "other", "Second#2024x", true); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second Init: err = %v, want ErrConflict", err)
	}
	if n, _ := st.CountAccounts(ctx); n != 1 {
		t.Errorf("%d accounts after a second init", n)
	}

	// login with the right password, whatever the case of the name
	for _, name := range []string{"admin", "ADMIN", " admin"} {
		got, err := a.Login(ctx, name, adminPassword)
		if err != nil {
			t.Errorf("Login(%q): %v", name, err)
			continue
		}
		if got.Account.ID != actor.Account.ID || got.Account.Role != model.RoleAdmin || got.Account.PasswordHash == "" {
			t.Errorf("Login(%q) = %+v", name, got.Account)
		}
	}
	// a wrong password and an unknown user are the same error
	for _, tc := range []struct{ user, pw string }{
		{"admin", "Admin123"}, {"admin", ""}, {"nobody", "Admin123!"}, {"", ""},
	} {
		got, err := a.Login(ctx, tc.user, tc.pw)
		if !errors.Is(err, app.ErrBadLogin) || got != nil {
			t.Errorf("Login(%q, %q) = %v, %v; want ErrBadLogin", tc.user, tc.pw, got, err)
		}
	}
}
