package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"

	"shequ/app/model"
)

// Actor is the signed-in account on whose behalf a use case runs. Every
// use case takes one; what it may see is decided from it in scope.go.
type Actor struct {
	Account model.Account
}

// argon2id parameters (RFC 9106's second recommended option, with 64 MiB).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns a PHC-format argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches a hash from HashPassword.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPassword says what is wrong with a new password: at least 8
// characters from at least 3 of lower case, upper case, digits, others.
func CheckPassword(password string) error {
	classes := map[string]bool{}
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			classes["lower"] = true
		case unicode.IsUpper(r):
			classes["upper"] = true
		case unicode.IsDigit(r):
			classes["digit"] = true
		default:
			classes["other"] = true
		}
	}
	if len([]rune(password)) < 8 || len(classes) < 3 {
		return problem("password", "err.password.weak", nil)
	}
	return nil
}

// CheckUsername says what is wrong with a new user name.
func CheckUsername(name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 32 || strings.ContainsAny(name, " \t\r\n") {
		return problem("username", "err.username", nil)
	}
	return nil
}

// NeedsSetup reports whether the database has no account yet (a first start).
func (a *App) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := a.st.CountAccounts(ctx)
	return n == 0, err
}

// credentialProblems are both checks' problems together, as one
// Problems, so the user sees all.
func credentialProblems(username, password string) Problems {
	var ps Problems
	for _, err := range []error{CheckUsername(username), CheckPassword(password)} {
		var p Problems
		if errors.As(err, &p) {
			ps = append(ps, p...)
		}
	}
	return ps
}

// Init creates the first account, an administrator who sees the whole
// database. It refuses when accounts exist already.
func (a *App) Init(ctx context.Context, username, password string, personalData bool) (*Actor, error) {
	if ps := credentialProblems(username, password); len(ps) > 0 {
		return nil, ps
	}
	first, err := a.NeedsSetup(ctx)
	if err != nil {
		return nil, err
	}
	if !first {
		return nil, fmt.Errorf("app: init: %w: %w", model.ErrConflict, problem("username", "err.init.exists", nil))
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	acc := model.Account{Username: strings.TrimSpace(username), DisplayName: strings.TrimSpace(username), PasswordHash: hash,
		Role: model.RoleAdmin, PersonalData: personalData}
	ctx = a.auditing(ctx, acc.Username, AuditAccountCreate, "account:%d", map[string]any{"role": string(acc.Role), "personal_data": personalData})
	if acc.ID, err = a.st.CreateAccount(ctx, acc); err != nil {
		return nil, err
	}
	a.log.Info("administrator created", "user", acc.Username)
	return &Actor{Account: acc}, nil
}

// Login checks a user name and password and returns the actor.
func (a *App) Login(ctx context.Context, username, password string) (*Actor, error) {
	username = strings.TrimSpace(username)
	acc, err := a.st.AccountByName(ctx, username)
	if errors.Is(err, model.ErrNotFound) {
		VerifyPassword(dummyHash(), password) // same time as a real check
		a.audit(ctx, username, AuditLoginFail, "", map[string]any{"reason": "unknown user"})
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	if until := acc.LockedUntil; time.Now().Before(until) {
		a.audit(ctx, username, AuditLoginLocked, target("account", acc.ID), nil)
		mins := int(time.Until(until).Minutes()) + 1
		return nil, fmt.Errorf("%w: %w", ErrLocked, problem("username", "err.login.locked", map[string]any{"Minutes": mins}))
	}
	if acc.Disabled || !VerifyPassword(acc.PasswordHash, password) {
		a.log.Warn("login failed", "user", username)
		n, err := a.st.LoginFailed(ctx, acc.ID, maxFailedLogins, time.Now().Add(lockFor))
		if err != nil {
			return nil, err
		}
		a.audit(ctx, username, AuditLoginFail, target("account", acc.ID), map[string]any{"failures": n})
		return nil, ErrBadLogin
	}
	if err := a.st.LoginSucceeded(ctx, acc.ID); err != nil {
		return nil, err
	}
	if err := a.audit(ctx, username, AuditLoginOK, target("account", acc.ID), nil); err != nil {
		return nil, err
	}
	return &Actor{Account: acc}, nil
}

// ErrLocked is an account locked after too many failed sign-ins.
var ErrLocked = errors.New("app: account locked")

// dummyHash is checked against when the user is unknown, made once on first need.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password")
	return h
})
