// Package app holds the use cases of Shequ: the rules of the registry,
// who may see what, and the demo data. The GUI and the command line are
// two faces of these same calls; app never imports Fyne and holds no SQL.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"shequ/app/model"
	"shequ/store"
)

// App is the use cases over one open store.
type App struct {
	st  *store.Store
	log *slog.Logger
	// syncing keeps to one sync round at a time on this database.
	syncing sync.Mutex
	// verify and now are VerifyPassword and time.Now; tests count the
	// password checks and move the clock through them.
	verify func(hash, password string) bool
	now    func() time.Time
	// cost is what new passwords are hashed at: productionCost but in tests.
	cost passwordCost
}

// Option changes a new App from its defaults.
type Option func(*App)

// WithClock makes the App read the time from now instead of time.Now:
// today's date (ages, default dates, what is current) and the sign-in
// windows. Tests fix the day with it.
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// WithTestPasswords makes the App hash new passwords at argon2id's
// smallest cost, in a test binary only (elsewhere it changes nothing):
// at the production cost each hash takes a second under the race
// detector, and most tests make accounts.
func WithTestPasswords() Option {
	return func(a *App) {
		if testing.Testing() {
			a.cost = testCost
		}
	}
}

// New returns the use cases over st, logging to log (nil: slog.Default()).
func New(st *store.Store, log *slog.Logger, opts ...Option) *App {
	if log == nil {
		log = slog.Default()
	}
	a := &App{st: st, log: log, verify: VerifyPassword, now: time.Now, cost: productionCost}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Now is the App's clock (time.Now unless WithClock).
func (a *App) Now() time.Time { return a.now() }

// today is the clock's date, YYYY-MM-DD.
func (a *App) today() string { return a.now().Format("2006-01-02") }

// DBPath is the database file the app works on.
func (a *App) DBPath() string { return a.st.Path() }

// Problem is something wrong with what a user typed: which field, and a
// message key with its data, translated by the face that shows it
// (lang.L(Key, Data) in the GUI and the command line).
type Problem struct {
	Field string
	Key   string
	Data  map[string]any
}

// Problems is a list of problems; as an error it wraps model.ErrInvalid.
type Problems []Problem

func (p Problems) Error() string {
	if len(p) == 0 {
		return "no problems"
	}
	return fmt.Sprintf("invalid %s: %s (+%d more)", p[0].Field, p[0].Key, len(p)-1)
}

// Unwrap makes errors.Is(err, model.ErrInvalid) true.
func (p Problems) Unwrap() error { return model.ErrInvalid }

// Field returns the first problem of a field, if any.
func (p Problems) Field(name string) (Problem, bool) {
	for _, x := range p {
		if x.Field == name {
			return x, true
		}
	}
	return Problem{}, false
}

// ErrBadLogin is a wrong user name or password; the two are not told apart.
var ErrBadLogin = errors.New("app: wrong user name or password")

// problem builds a one-problem error.
func problem(field, key string, data map[string]any) error {
	return Problems{{Field: field, Key: key, Data: data}}
}
