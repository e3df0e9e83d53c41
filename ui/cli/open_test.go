package cli_test

import (
	"context"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"shequ/app"
	"shequ/store"
	"shequ/store/hub"
)

// testVersion is the version the commands are given, as main gives its own.
const testVersion = "1.2.3-test"

// openApp opens a database as main does, with passwords hashed cheaply:
// the tests choose the storage for the command line the way the program
// does.
func openApp(ctx context.Context, path string, log *slog.Logger, opts ...app.Option) (*app.App, func(), error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return app.New(st, log, append(opts, app.WithTestPasswords())...), func() { st.Close() }, nil
}

// openApp opens a database on the test's clock.
func (e *env) openApp(ctx context.Context, path string, log *slog.Logger) (*app.App, func(), error) {
	return openApp(ctx, path, log, app.WithClock(e.now))
}

// openServer opens a server's database as main does.
func openServer(ctx context.Context, spec string) (*app.Server, func(), error) {
	h, err := hub.Open(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return app.NewServer(h), func() { h.Close() }, nil
}

// The command line opens databases only through Env.OpenApp and
// Env.OpenServer, which main gives it: none of its files imports the
// store, the desktop's or the server's.
func TestCommandLineImportsNoStore(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		pf, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pf.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "shequ/store" || strings.HasPrefix(p, "shequ/store/") {
				t.Errorf("%s imports %s", f, p)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d files read", checked)
	}
}
