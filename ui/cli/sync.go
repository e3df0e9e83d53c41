package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// openServer opens a server's database given as postgres://… or sqlite:FILE.
func openServer(ctx context.Context, env *Env, spec string) (*app.Server, func(), error) {
	s, done, err := env.OpenServer(ctx, spec)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", i18n.L("cli.serve.badstore"), err)
	}
	return s, done, nil
}

// serverSession opens a server's database and checks --user's password there.
func serverSession(ctx context.Context, env *Env, spec, user string) (*app.Server, model.ServerAccount, func(), error) {
	if user == "" {
		return nil, model.ServerAccount{}, nil, errors.New(i18n.L("cli.nouser"))
	}
	s, done, err := openServer(ctx, env, spec)
	if err != nil {
		return nil, model.ServerAccount{}, nil, err
	}
	pw, err := password(env, false)
	if err != nil {
		done()
		return nil, model.ServerAccount{}, nil, err
	}
	acc, err := s.SignIn(ctx, user, pw)
	if err != nil {
		done()
		return nil, model.ServerAccount{}, nil, err
	}
	return s, acc, done, nil
}

// initServer is `shequ init --store URL`: the server database's tables
// and its administrator.
func initServer(ctx context.Context, env *Env, spec, admin string, personal bool) error {
	pw, err := password(env, true)
	if err != nil {
		return err
	}
	if err := app.CheckPassword(admin, pw); err != nil {
		return err
	}
	s, done, err := openServer(ctx, env, spec)
	if err != nil {
		return err
	}
	defer done()
	if err := s.Init(ctx, admin, pw, personal); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.init.done", map[string]any{"User": admin, "DB": spec}))
	return nil
}

// demoServer is `shequ demo --store URL`: demo data made as on a desktop,
// in a file of its own, then loaded into the server.
func demoServer(ctx context.Context, env *Env, spec, user string, n int, seed uint64) error {
	s, acc, done, err := serverSession(ctx, env, spec, user)
	if err != nil {
		return err
	}
	defer done()
	dir, err := os.MkdirTemp("", "shequ-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	a, closeDemo, err := env.OpenApp(ctx, filepath.Join(dir, "demo.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer closeDemo()
	start, last := time.Now(), time.Now()
	rows, err := s.Demo(ctx, acc, a, n, seed, func(done int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(env.Stderr, "%d\n", done)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.demo.server", map[string]any{"Count": n, "Rows": rows, "Seconds": fmt.Sprintf("%.1f", time.Since(start).Seconds())}))
	return nil
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := bareFlags("serve")
	listen := fs.String("listen", "127.0.0.1:8443", i18n.L("cli.flag.listen"))
	spec := fs.String("store", "", i18n.L("cli.flag.store"))
	cert := fs.String("tls-cert", "", i18n.L("cli.flag.tlscert"))
	key := fs.String("tls-key", "", i18n.L("cli.flag.tlskey"))
	insecure := fs.Bool("insecure-loopback", false, i18n.L("cli.flag.insecure"))
	retain := fs.Int("retain-days", 180, i18n.L("cli.flag.retain"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *spec == "" {
		return errors.New(i18n.L("cli.serve.nostore"))
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", *listen, err)
	}
	if *insecure {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return errors.New(i18n.L("cli.serve.notloopback", map[string]any{"Addr": *listen}))
		}
	} else if *cert == "" || *key == "" {
		return errors.New(i18n.L("cli.serve.notls"))
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	if file, ok := strings.CutPrefix(*spec, "sqlite:"); ok {
		if err := seedFromDesktop(ctx, env, file, log); err != nil {
			return err
		}
	}
	s, done, err := openServer(ctx, env, *spec)
	if err != nil {
		return err
	}
	defer done()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: s.Handler(log), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute}
	scheme := "https"
	if *insecure {
		scheme = "http"
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.serve.listening", map[string]any{"URL": scheme + "://" + ln.Addr().String(), "Store": redact(*spec)}))
	go func() {
		<-ctx.Done()
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(c)
	}()
	go func() {
		for t := time.NewTicker(time.Hour); ctx.Err() == nil; <-t.C {
			if n, err := s.Prune(ctx, time.Duration(*retain)*24*time.Hour); err != nil {
				log.Error("prune", "err", err)
			} else if n > 0 {
				log.Info("feed pruned", "entries", n)
			}
		}
	}()
	if *insecure {
		err = hs.Serve(ln)
	} else {
		err = hs.ServeTLS(ln, *cert, *key)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// redact hides a password in a store's URL.
func redact(spec string) string {
	if i, j := strings.Index(spec, "://"), strings.LastIndex(spec, "@"); i >= 0 && j > i {
		if k := strings.Index(spec[i+3:j], ":"); k >= 0 {
			return spec[:i+3+k+1] + "***" + spec[j:]
		}
	}
	return spec
}

// seedFromDesktop lets a desktop database be a server's store: the first
// time it is served, its accounts and registry become the server's.
func seedFromDesktop(ctx context.Context, env *Env, file string, log *slog.Logger) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("%s: %s", i18n.L("cli.nodb"), file)
	}
	s, closeServer, err := openServer(ctx, env, "sqlite:"+file)
	if err != nil {
		return err
	}
	rows, accounts, err := s.Counts(ctx)
	closeServer()
	if err != nil || rows > 0 || accounts > 0 {
		return err
	}
	a, done, err := env.OpenApp(ctx, file, log)
	if err != nil {
		return err
	}
	defer done()
	s, closeServer, err = openServer(ctx, env, "sqlite:"+file)
	if err != nil {
		return err
	}
	defer closeServer()
	n, err := a.SeedServer(ctx, s, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, i18n.L("cli.serve.seeded", map[string]any{"Rows": n}))
	return nil
}

func runSync(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "sync")
	server := fs.String("server", "", i18n.L("cli.flag.server"))
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	ca := fs.String("ca", "", i18n.L("cli.flag.ca"))
	// The old spellings of `sync conflicts` and `sync resolve N --take`.
	showConflicts := fs.Bool("conflicts", false, i18n.L("cli.flag.conflicts"))
	resolve := fs.Int64("resolve", 0, i18n.L("cli.flag.resolve"))
	take := fs.String("take", "", i18n.L("cli.flag.take"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	for _, old := range []string{"conflicts", "resolve", "take", "json"} {
		fs.MarkHidden(old)
	}
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *user == "" {
		return errors.New(i18n.L("cli.nouser"))
	}
	_, statErr := os.Stat(*db)
	a, done, err := Open(ctx, env, *db, true)
	if err != nil {
		return err
	}
	defer done()
	pw, err := password(env, false)
	if err != nil {
		return err
	}
	progress := func(stage string, n, total int) {
		if total > 0 {
			fmt.Fprintf(env.Stderr, "%s %d/%d\n", i18n.L("sync.stage."+stage), n, total)
		}
	}
	setup, err := a.NeedsSetup(ctx)
	if err != nil {
		return err
	}
	var res app.SyncResult
	if errors.Is(statErr, os.ErrNotExist) || setup {
		// A new file becomes a replica of the server for this account.
		if *server == "" {
			return errors.New(i18n.L("cli.sync.noserver"))
		}
		if _, res, err = a.SyncEnrol(ctx, nil, *server, *ca, *user, pw, progress); err != nil {
			if errors.Is(statErr, os.ErrNotExist) {
				// Nothing of a replica that never began is left behind.
				done()
				for _, f := range []string{*db, *db + "-wal", *db + "-shm"} {
					os.Remove(f)
				}
			}
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.sync.replica", map[string]any{"DB": *db, "Pulled": res.Pulled, "User": *user}))
		return nil
	}
	actor, err := a.Login(ctx, *user, pw)
	if err != nil {
		return err
	}
	st, err := a.SyncStatus(ctx)
	if err != nil {
		return err
	}
	switch {
	case *showConflicts:
		cs, err := a.SyncConflicts(ctx, actor)
		if err != nil {
			return err
		}
		return conflicts.show(env, cs, *asJSON)
	case *resolve != 0:
		if *take != "kept" && *take != "lost" {
			return usageError(i18n.L("cli.sync.take"))
		}
		return resolveConflict(ctx, env, a, actor, *resolve, *take)
	case !st.Enrolled || (*server != "" && strings.TrimRight(*server, "/") != st.Server):
		if *server == "" {
			return errors.New(i18n.L("cli.sync.noserver"))
		}
		if _, res, err = a.SyncEnrol(ctx, actor, *server, *ca, *user, pw, progress); err != nil {
			return err
		}
	default:
		if res, err = a.SyncRound(ctx, actor, progress); err != nil {
			return err
		}
	}
	fmt.Fprintln(env.Stdout, i18n.SyncSummary(res))
	return nil
}

// syncVerbs are the conflicts a sync kept one side of: listed, and
// settled one at a time.
func syncVerbs() []command {
	return []command{verb("sync", "conflicts", conflicts.run), verb("sync", "resolve", syncResolve).takes("cli.arg.id")}
}

// conflicts lists the conflicts a sync kept one side of.
var conflicts = listing[model.SyncConflict, model.SyncConflict]{name: "sync conflicts", fetch: (*app.App).SyncConflicts,
	json:   func(c model.SyncConflict) model.SyncConflict { return c },
	header: func() []string { return strings.Split(i18n.L("cli.sync.conflicthead"), "\t") },
	row: func(c model.SyncConflict) []string {
		return []string{strconv.FormatInt(c.ID, 10), c.Label, i18n.L("field." + c.Field), c.Kept, c.Lost, c.At}
	},
	foot: func(env *Env, cs []model.SyncConflict) {
		fmt.Fprintln(env.Stdout, i18n.L("cli.sync.conflicts", map[string]any{"Count": len(cs)}))
	},
}

func syncResolve(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "sync resolve")
	take := fs.String("take", "", i18n.L("cli.flag.take"))
	pos, err := parseN(env, fs, args, 1)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError(i18n.L("cli.sync.badid", map[string]any{"ID": pos[0]}))
	}
	if *take != "kept" && *take != "lost" {
		return usageError(i18n.L("cli.sync.take"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	return resolveConflict(ctx, env, a, actor, id, *take)
}

// resolveConflict takes the kept or the lost side of a conflict.
func resolveConflict(ctx context.Context, env *Env, a *app.App, actor *app.Actor, id int64, take string) error {
	cs, err := a.SyncConflicts(ctx, actor)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == id {
			if err := a.SyncResolve(ctx, actor, c, take == "lost"); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, i18n.L("cli.sync.resolved", map[string]any{"ID": c.ID}))
			return nil
		}
	}
	return errors.New(i18n.L("cli.sync.noconflict", map[string]any{"ID": id}))
}

// deviceJSON is a device as --json prints it.
type deviceJSON struct {
	Node     string `json:"node"`
	Name     string `json:"name"`
	Username string `json:"username"`
	Created  string `json:"created"`
	Revoked  string `json:"revoked"`
}

func runDevices(ctx context.Context, env *Env, args []string) error {
	fs := bareFlags("devices")
	spec := fs.String("store", "", i18n.L("cli.flag.store"))
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	revoke := fs.String("revoke", "", i18n.L("cli.flag.revoke"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	s, acc, done, err := serverSession(ctx, env, *spec, *user)
	if err != nil {
		return err
	}
	defer done()
	if *revoke != "" {
		if err := s.Revoke(ctx, acc, *revoke); errors.Is(err, model.ErrNotFound) {
			return errors.New(i18n.L("cli.devices.nodevice", map[string]any{"Node": *revoke}))
		} else if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.devices.revoked", map[string]any{"Node": *revoke}))
		return nil
	}
	ds, err := s.Devices(ctx, acc)
	if err != nil {
		return err
	}
	if *asJSON {
		return listJSON(env, ds, func(d model.Device) deviceJSON { return deviceJSON{d.Node, d.Name, d.Username, d.Created, d.Revoked} })
	}
	printRows(env.Stdout, strings.Split(i18n.L("cli.devices.head"), "\t"), ds, func(d model.Device) []string {
		return []string{d.Node, d.Name, d.Username, d.Created, d.Revoked}
	})
	fmt.Fprintln(env.Stdout, i18n.L("cli.devices.count", map[string]any{"Count": strconv.Itoa(len(ds))}))
	return nil
}
