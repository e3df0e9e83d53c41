package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

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

// passwordCost is an argon2id cost: passes, KiB of memory, lanes.
type passwordCost struct {
	time, memory uint32
	threads      uint8
}

var (
	productionCost = passwordCost{argonTime, argonMemory, argonThreads}
	// testCost is argon2id's smallest memory for two lanes, one pass.
	testCost = passwordCost{1, 16, argonThreads}
)

// HashPassword returns a PHC-format argon2id hash of password.
func HashPassword(password string) (string, error) { return productionCost.hash(password) }

// hash returns a PHC-format argon2id hash of password at this cost (a
// hash names its cost: VerifyPassword checks any).
func (c passwordCost) hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, c.time, c.memory, c.threads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memory, c.time, c.threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches a hash from
// HashPassword. Without a usable hash (an unknown name) it checks against
// a dummy one all the same: the answer takes as long either way.
func VerifyPassword(hash, password string) bool {
	salt, want, m, t, p, ok := parseHash(hash)
	if !ok {
		salt, want, m, t, p, _ = parseHash(dummyHash())
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return ok && subtle.ConstantTimeCompare(got, want) == 1
}

// parseHash reads a PHC-format argon2id hash, refusing costs far above
// ours: a hash may come from a server, and must not take gigabytes.
func parseHash(hash string) (salt, key []byte, m, t uint32, p uint8, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return nil, nil, 0, 0, 0, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 4*argonMemory || t > 4*argonTime || p == 0 || p > 16 {
		return nil, nil, 0, 0, 0, false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	key, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return nil, nil, 0, 0, 0, false
	}
	return salt, key, m, t, p, true
}

// dummyHash is what an unknown name's password is checked against, made
// once on first need.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password")
	return h
})

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
	for _, err := range []error{CheckUsername(username), CheckPassword(username, password)} {
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
	hash, err := a.cost.hash(password)
	if err != nil {
		return nil, err
	}
	acc := model.Account{Username: strings.TrimSpace(username), DisplayName: strings.TrimSpace(username), PasswordHash: hash,
		Role: model.RoleAdmin, PersonalData: personalData}
	note := auditNote(acc.Username, AuditAccountCreate, "account:%d", map[string]any{"role": string(acc.Role), "personal_data": personalData})
	if acc.ID, err = a.st.CreateAccount(ctx, note, acc); err != nil {
		return nil, err
	}
	a.log.Info("administrator created", "user", acc.Username)
	return &Actor{Account: acc}, nil
}

// Login checks a user name and password and returns the actor. An
// attempt is held under the name before its password is checked (at most
// model.SignIns within the window, however many arrive together), whether
// or not an account has that name; an unknown name costs one password
// check too and gets the same answers, so neither the answer nor its time
// tells which names exist.
func (a *App) Login(ctx context.Context, username, password string) (*Actor, error) {
	username = strings.TrimSpace(username)
	acc, err := a.st.AccountByName(ctx, username)
	known := err == nil
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, err
	}
	// An unknown name is audited as such, never as typed: it may be a
	// password typed into the name field.
	who, tgt, detail := "", "", map[string]any{"reason": "unknown user"}
	if known {
		who, tgt, detail = acc.Username, target("account", acc.ID), map[string]any{}
	}
	key, now := model.SignInKey(username), a.now()
	ok, held, retry, err := a.st.TakeSignIn(ctx, model.SignIns, now, key)
	if err != nil {
		return nil, err
	}
	if !ok {
		a.audit(ctx, who, AuditLoginLocked, tgt, detail)
		return nil, lockedError(now, retry)
	}
	match := a.verify(acc.PasswordHash, password)
	if match && known && acc.Disabled {
		// Only the right password learns that the account was stopped.
		a.audit(ctx, who, AuditLoginFail, tgt, map[string]any{"reason": "disabled"})
		return nil, problem("username", "err.login.disabled", nil)
	}
	if !match || !known {
		if known {
			a.log.Warn("login failed", "user", acc.Username)
		} else {
			a.log.Warn("login failed: unknown user name")
		}
		detail["attempts"] = held
		a.audit(ctx, who, AuditLoginFail, tgt, detail)
		return nil, ErrBadLogin
	}
	if err := a.st.ReleaseSignIn(ctx, model.SignIns, now, key); err != nil {
		return nil, err
	}
	if err := a.audit(ctx, acc.Username, AuditLoginOK, tgt, nil); err != nil {
		return nil, err
	}
	return &Actor{Account: acc}, nil
}

// ErrLocked is a name locked after too many sign-ins with a wrong password.
var ErrLocked = errors.New("app: account locked")

// lockedError says when the name may be tried again, in whole minutes.
func lockedError(now, retry time.Time) error {
	mins := int(math.Ceil(retry.Sub(now).Minutes()))
	return fmt.Errorf("%w: %w", ErrLocked, problem("username", "err.login.locked", map[string]any{"Minutes": max(mins, 1)}))
}
