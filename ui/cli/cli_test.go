package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"
	"shequ/app"

	"shequ/app/model"
	"shequ/store"
	"shequ/ui/cli"
	"shequ/ui/i18n"
)

const password = "Ledger#2024x"

var sharedDir string

func TestMain(m *testing.M) {
	// the command line speaks the user's language: these tests read Chinese
	os.Setenv("SHEQU_LANG", "zh")
	if lang, err := i18n.Setup(); err != nil || lang != i18n.Chinese {
		fmt.Fprintln(os.Stderr, "language setup:", lang, err)
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "shequ-cli-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is what one command runs with: a data folder of its own and
// SHEQU_PASSWORD, no terminal.
type env struct {
	vars  map[string]string
	stdin *os.File
	log   func(dbPath string) *slog.Logger
	clock *atomic.Pointer[time.Time] // fixToday's, nil: time.Now
}

func newEnv(t *testing.T) *env {
	return &env{vars: map[string]string{
		"SHEQU_PASSWORD": password,
		"XDG_DATA_HOME":  filepath.Join(t.TempDir(), "data"),
	}, clock: clockOf(t)}
}

// now is the env's clock.
func (e *env) now() time.Time {
	if e.clock == nil {
		return time.Now()
	}
	if at := e.clock.Load(); at != nil {
		return *at
	}
	return time.Now()
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs one command; a command that does not end in time is a hang.
func (e *env) run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	ce := &cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return e.vars[k] }, Log: e.log, OpenApp: e.openApp, OpenServer: openServer,
		DB: e.defaultDB(), Version: testVersion}
	if e.stdin != nil {
		ce.Stdin = e.stdin
	}
	done := make(chan int, 1)
	go func() { done <- cli.Run(context.Background(), ce, args) }()
	select {
	case code := <-done:
		return result{code, out.String(), errOut.String()}
	case <-time.After(2 * time.Minute):
		t.Fatalf("shequ %s does not end", strings.Join(args, " "))
		return result{}
	}
}

// defaultDB is where the command line keeps the database of this env.
func (e *env) defaultDB() string {
	return filepath.Join(e.vars["XDG_DATA_HOME"], "shequ", "shequ.db")
}

func expect(t *testing.T, r result, code int, stdout, stderr []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stdout {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

var (
	sharedOnce sync.Once
	sharedDB   string
)

// shared is a database with an administrator "admin" and 500 demo
// residents from seed 3, made once through the command line and only read.
func shared(t *testing.T) string {
	t.Helper()
	sharedOnce.Do(func() {
		e := &env{vars: map[string]string{"SHEQU_PASSWORD": password}}
		db := filepath.Join(sharedDir, "shared.db")
		if r := e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"); r.code != 0 {
			t.Fatalf("init: %+v", r)
		}
		if r := e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "500", "--seed", "3"); r.code != 0 {
			t.Fatalf("demo: %+v", r)
		}
		sharedDB = db
	})
	if sharedDB == "" {
		t.Fatal("no shared database")
	}
	return sharedDB
}

// residentJSON is the --json form of a resident.
type residentJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Sex       string `json:"sex"`
	Age       int    `json:"age"`
	IDNumber  string `json:"id_number"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	Relation  string `json:"relation"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Ethnicity string `json:"ethnicity"`
}

func parseJSON(t *testing.T, out string) []residentJSON {
	t.Helper()
	var doc struct {
		Total     int            `json:"total"`
		Shown     int            `json:"shown"`
		Residents []residentJSON `json:"residents"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("--json output is not {total, residents, shown}: %v\n%s", err, out)
	}
	if doc.Shown != len(doc.Residents) || doc.Total < doc.Shown {
		t.Fatalf("--json says total %d, shown %d, with %d residents", doc.Total, doc.Shown, len(doc.Residents))
	}
	return doc.Residents
}

var (
	maskedID     = regexp.MustCompile(`^\d{4}\*{10}\d{3}[\dX]$`)
	maskedMobile = regexp.MustCompile(`^1[3-9]\d\*{4}\d{4}$`)
	unmasked     = regexp.MustCompile(`\d{17}[\dX]|1[3-9]\d{9}`)
	summary      = regexp.MustCompile(`(?m)^共 (\d+) 人，显示 (\d+) 人$`)
)

func TestInitDemoAndList(t *testing.T) {
	e := newEnv(t)
	db := e.defaultDB()

	// init makes the database in the data folder
	r := e.run(t, "init", "--admin", "admin", "--personal-data")
	expect(t, r, 0, []string{"已创建数据库", db, "admin"}, nil)
	if r.stderr != "" {
		t.Errorf("init wrote to stderr: %s", r.stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("no database at %s: %v", db, err)
	}

	// demo fills it
	r = e.run(t, "demo", "--user", "admin", "--residents", "500", "--seed", "3")
	expect(t, r, 0, []string{"已生成 500 名示例居民"}, nil)

	// more than a page is an export: refused without the permission
	r = e.run(t, "residents", "--user", "admin", "--json", "--limit", "1000")
	expect(t, r, 1, nil, []string{"导出个人信息"})
	if r.stdout != "" {
		t.Errorf("a refused listing printed %q", r.stdout)
	}
	e.vars["SHEQU_NEW_PASSWORD"] = password
	expect(t, e.run(t, "account", "add", "--user", "admin", "--name", "li", "--role", "admin", "--export", "--personal-data"), 0, nil, nil)

	// residents --json lists them with masked numbers
	// residents --json lists them with masked numbers: everyone ever
	// registered when asked for
	r = e.run(t, "residents", "--user", "li", "--json", "--limit", "1000", "--status", "all")
	expect(t, r, 0, nil, nil)
	rows := parseJSON(t, r.stdout)
	if len(rows) != 500 {
		t.Fatalf("--json gave %d residents, want 500", len(rows))
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	withID, withPhone := 0, 0
	for _, j := range rows {
		real, err := st.Resident(context.Background(), j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Name != real.Name || j.Sex != string(real.Sex) || j.Kind != string(real.Kind) || j.Status != string(real.Status) || j.Address == "" {
			t.Errorf("resident %d: %+v, stored %+v", j.ID, j, real)
		}
		if real.IDNumber != "" {
			withID++
			if !maskedID.MatchString(j.IDNumber) || j.IDNumber != app.MaskIDNumber(real.IDNumber) {
				t.Errorf("resident %d: id_number %q", j.ID, j.IDNumber)
			}
			if strings.Contains(r.stdout, real.IDNumber) {
				t.Errorf("the output shows the ID number of %d", j.ID)
			}
		}
		if real.Phone != "" {
			withPhone++
			if !maskedMobile.MatchString(j.Phone) || j.Phone != app.MaskPhone(real.Phone) {
				t.Errorf("resident %d: phone %q", j.ID, j.Phone)
			}
			if strings.Contains(r.stdout, real.Phone) {
				t.Errorf("the output shows the phone of %d", j.ID)
			}
		}
	}
	if withID < 400 || withPhone < 300 {
		t.Errorf("only %d ID numbers and %d phones to check", withID, withPhone)
	}

	// --search with a part of a name finds that name
	someone := rows[250]
	part := string([]rune(someone.Name)[len([]rune(someone.Name))-1:])
	r = e.run(t, "residents", "--user", "admin", "--search", part, "--json", "--limit", "1000")
	expect(t, r, 0, nil, nil)
	found := parseJSON(t, r.stdout)
	var ids []int64
	for _, j := range found {
		ids = append(ids, j.ID)
		if !strings.Contains(j.Name, part) {
			t.Errorf("search %q found %s", part, j.Name)
		}
	}
	if !slices.Contains(ids, someone.ID) || len(found) >= 500 {
		t.Errorf("search %q: %d residents, without %d (%s)?", part, len(found), someone.ID, someone.Name)
	}

	// --search with a whole ID number finds its owner, still masked
	var owner model.Resident
	for _, j := range rows {
		if owner, err = st.Resident(context.Background(), j.ID); err == nil && owner.IDNumber != "" {
			break
		}
	}
	r = e.run(t, "residents", "--user", "admin", "--search", owner.IDNumber, "--json")
	if got := parseJSON(t, r.stdout); len(got) != 1 || got[0].ID != owner.ID || got[0].IDNumber != app.MaskIDNumber(owner.IDNumber) {
		t.Errorf("search by ID number: %+v", got)
	}

	// the table has a header, the rows and a summary line
	r = e.run(t, "residents", "--user", "admin", "--limit", "10", "--status", "all")
	expect(t, r, 0, []string{"姓名", "性别", "年龄", "公民身份号码", "联系电话"}, nil)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 12 {
		t.Fatalf("table of %d lines, want header, 10 rows and the summary:\n%s", len(lines), r.stdout)
	}
	if !strings.HasPrefix(lines[0], "姓名") {
		t.Errorf("header %q", lines[0])
	}
	if m := summary.FindStringSubmatch(lines[11]); m == nil || m[1] != "500" || m[2] != "10" {
		t.Errorf("summary %q, want 共 500 人，显示 10 人", lines[11])
	}
	masked := 0
	for _, l := range lines[1:11] {
		if unmasked.MatchString(l) {
			t.Errorf("row with an unmasked number: %q", l)
		}
		if strings.Contains(l, "**********") {
			masked++
		}
	}
	if masked == 0 {
		t.Error("no row shows a masked ID number")
	}

	// --area takes a name or a path; an unknown one is an error
	for _, area := range []string{"第1网格", "红旗社区", "德源街道/红旗社区/第1网格"} {
		r = e.run(t, "residents", "--user", "admin", "--area", area, "--limit", "1", "--status", "all")
		expect(t, r, 0, []string{"共 500 人，显示 1 人"}, nil)
	}
	r = e.run(t, "residents", "--user", "admin", "--area", "第9网格")
	expect(t, r, 1, nil, []string{"错误", "第9网格"})
	if r.stdout != "" {
		t.Errorf("an unknown area printed %q", r.stdout)
	}

	// demo data goes only into an empty database
	r = e.run(t, "demo", "--user", "admin", "--residents", "10")
	expect(t, r, 1, nil, []string{"错误", "示例数据只能载入空数据库"})
	// and a second init is refused
	r = e.run(t, "init", "--admin", "other")
	expect(t, r, 1, nil, []string{"错误"})
}

func TestHelp(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		cmd   string
		flags []string
	}{
		{"init", []string{"-db", "-admin"}},
		{"demo", []string{"-db", "-user", "-residents", "-seed"}},
		{"residents", []string{"-db", "-user", "-search", "-area", "-limit", "-json"}},
		{"version", []string{"--help"}},
	} {
		for _, help := range []string{"--help", "-h"} {
			r := e.run(t, tc.cmd, help)
			expect(t, r, 0, append([]string{"shequ " + tc.cmd}, tc.flags...), nil)
			if r.stderr != "" {
				t.Errorf("%s %s wrote to stderr: %s", tc.cmd, help, r.stderr)
			}
		}
	}
	// the general usage lists every command
	for _, args := range [][]string{nil, {"help"}, {"--help"}, {"-h"}} {
		r := e.run(t, args...)
		expect(t, r, 0, []string{"用法", "shequ init", "shequ demo", "shequ residents", "shequ version"}, nil)
	}
	if _, err := os.Stat(e.defaultDB()); err == nil {
		t.Error("help made a database")
	}
}

func TestVersionAndUnknownCommands(t *testing.T) {
	e := newEnv(t)
	expect(t, e.run(t, "version"), 0, []string{"shequ " + testVersion}, nil)
	r := e.run(t, "frobnicate")
	expect(t, r, 2, nil, []string{"未知的命令", "frobnicate", "用法"})
	if r.stdout != "" {
		t.Errorf("unknown command wrote to stdout: %s", r.stdout)
	}
	expect(t, e.run(t, "version", "extra"), 2, nil, []string{"多余的参数", "extra"})
	expect(t, e.run(t, "residents", "--nope"), 2, nil, []string{"错误", "nope"})
	for _, name := range []string{"init", "demo", "residents", "serve", "sync", "devices", "version", "help", "--help"} {
		if !cli.IsCommand(name) {
			t.Errorf("IsCommand(%q) = false", name)
		}
	}
	for _, name := range []string{"", "--db", "shequ.db", "server"} {
		if cli.IsCommand(name) {
			t.Errorf("IsCommand(%q) = true", name)
		}
	}
}

func TestLoginFailures(t *testing.T) {
	db := shared(t)
	e := newEnv(t)

	e.vars["SHEQU_PASSWORD"] = "Wrong123!"
	r := e.run(t, "residents", "--db", db, "--user", "admin")
	expect(t, r, 1, nil, []string{"错误", "账号或密码不正确"})
	if r.stdout != "" {
		t.Errorf("wrong password wrote to stdout: %s", r.stdout)
	}

	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "residents", "--db", db, "--user", "nobody"), 1, nil, []string{"账号或密码不正确"})
	expect(t, e.run(t, "demo", "--db", db, "--user", "nobody"), 1, nil, []string{"账号或密码不正确"})
	expect(t, e.run(t, "residents", "--db", db), 1, nil, []string{"请用 --user 指定账号"})

	// the right password works on the same database
	r = e.run(t, "residents", "--db", db, "--user", "admin", "--limit", "1", "--status", "全部")
	expect(t, r, 0, []string{"共 500 人，显示 1 人"}, nil)
}

func TestMissingDatabase(t *testing.T) {
	e := newEnv(t)
	missing := filepath.Join(t.TempDir(), "nowhere", "shequ.db")
	for _, cmd := range []string{"residents", "demo"} {
		r := e.run(t, cmd, "--db", missing, "--user", "admin")
		expect(t, r, 1, nil, []string{"数据库文件不存在", "shequ init", missing})
	}
	// the default database is missing too until init
	expect(t, e.run(t, "residents", "--user", "admin"), 1, nil, []string{"数据库文件不存在", e.defaultDB()})
	// and looking for it made neither the file nor its folder
	for _, p := range []string{missing, filepath.Dir(missing), e.defaultDB()} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was created", p)
		}
	}
}

func TestNoPasswordAndNoTerminal(t *testing.T) {
	db := shared(t)
	e := newEnv(t)
	delete(e.vars, "SHEQU_PASSWORD")

	// with no stdin at all
	start := time.Now()
	r := e.run(t, "residents", "--db", db, "--user", "admin")
	expect(t, r, 1, nil, []string{"没有密码", "SHEQU_PASSWORD"})
	if time.Since(start) > 20*time.Second {
		t.Errorf("took %v to give up", time.Since(start))
	}

	// with stdin a pipe, not a terminal
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	e.stdin = pr
	expect(t, e.run(t, "residents", "--db", db, "--user", "admin"), 1, nil, []string{"没有密码"})

	// init without a password makes no database
	r = e.run(t, "init", "--admin", "admin")
	expect(t, r, 1, nil, []string{"没有密码"})
	if _, err := os.Stat(e.defaultDB()); err == nil {
		t.Error("init without a password made a database")
	}
}

func TestInitRefusals(t *testing.T) {
	e := newEnv(t)
	expect(t, e.run(t, "init"), 1, nil, []string{"--admin"})
	expect(t, e.run(t, "init", "--admin", "a b"), 1, nil, []string{"账号名"})

	e.vars["SHEQU_PASSWORD"] = "weak"
	expect(t, e.run(t, "init", "--admin", "admin"), 1, nil, []string{"密码", "至少 8 位"})

	// a refused init leaves no database behind
	if _, err := os.Stat(e.defaultDB()); err == nil {
		t.Error("a refused init made a database")
	}
	// and the next, good one works
	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "init", "--admin", "admin"), 0, []string{"已创建数据库"}, nil)
}

func TestLog(t *testing.T) {
	// given the process's default logger writing into a buffer
	var def bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&def, nil)))
	defer slog.SetDefault(old)

	// when commands run without Env.Log, nothing is logged anywhere
	e := newEnv(t)
	expect(t, e.run(t, "init", "--admin", "admin"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Wrong123!"
	expect(t, e.run(t, "residents", "--user", "admin"), 1, nil, nil)
	if def.Len() != 0 {
		t.Errorf("without Env.Log the commands logged to the default logger:\n%s", def.String())
	}

	// when Env.Log is given, it is asked for the database's log and used
	var logged bytes.Buffer
	var asked []string
	e.log = func(db string) *slog.Logger {
		asked = append(asked, db)
		return slog.New(slog.NewTextHandler(&logged, nil))
	}
	expect(t, e.run(t, "residents", "--user", "admin"), 1, nil, nil)
	if !slices.Equal(asked, []string{e.defaultDB()}) || !strings.Contains(logged.String(), "login failed") {
		t.Errorf("Env.Log asked for %v, logged %q", asked, logged.String())
	}
	if def.Len() != 0 {
		t.Errorf("with Env.Log the default logger got:\n%s", def.String())
	}
}

func TestMistakesAreSaidOnceInChinese(t *testing.T) {
	e := newEnv(t)
	db := shared(t)
	// an unknown flag: one line, translated, pointing to --help
	r := e.run(t, "residents", "--db", db, "--user", "admin", "--colour")
	expect(t, r, 2, nil, []string{"没有这个参数：--colour", "--help"})
	if strings.Count(r.stderr, "colour") != 1 || r.stdout != "" {
		t.Errorf("the mistake is not said exactly once: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	// a flag without its value
	r = e.run(t, "residents", "--db")
	expect(t, r, 2, nil, []string{"参数 --db 后面需要一个值"})
	// a folder that does not exist is not made
	missing := filepath.Join(t.TempDir(), "typo", "x.db")
	r = e.run(t, "init", "--db", missing, "--admin", "admin")
	expect(t, r, 1, nil, []string{"文件夹不存在"})
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Error("init made a mistyped folder")
	}
	// a folder given as the database
	r = e.run(t, "residents", "--db", t.TempDir(), "--user", "admin")
	expect(t, r, 1, nil, []string{"无法打开数据库文件"})
}

func TestJSONCarriesTheTotalAndLimitZeroListsEveryone(t *testing.T) {
	e := newEnv(t)
	db := e.defaultDB()
	expect(t, e.run(t, "init", "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--user", "admin", "--residents", "300"), 0, nil, nil)
	e.vars["SHEQU_NEW_PASSWORD"] = password
	expect(t, e.run(t, "account", "add", "--user", "admin", "--name", "li", "--role", "admin", "--export", "--personal-data"), 0, nil, nil)
	r := e.run(t, "residents", "--db", db, "--user", "li", "--limit", "0", "--json")
	expect(t, r, 0, []string{`"total": `}, nil)
	var doc struct {
		Total, Shown int
		Residents    []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Total == 0 || doc.Shown != doc.Total || len(doc.Residents) != doc.Total {
		t.Errorf("total %d, shown %d, rows %d", doc.Total, doc.Shown, len(doc.Residents))
	}
	if ok, err := cli.CheckCommand([]string{"bogus"}); ok || err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("a mistyped command is not refused: %v", err)
	}
	if ok, err := cli.CheckCommand([]string{"--db", "x.db"}); ok || err != nil {
		t.Errorf("flags alone are the window: %v %v", ok, err)
	}
}

func TestAccountsAuditAndCheckFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "acc.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "300"), 0, nil, nil)

	// an administrator adds a grid worker, who then sees only their grid
	e.vars["SHEQU_NEW_PASSWORD"] = "Grid123!x"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "wang", "--role", "grid", "--areas", "第1网格"), 0,
		[]string{"已新建账号 wang（网格员）"}, nil)
	r := e.run(t, "account", "list", "--db", db, "--user", "admin")
	expect(t, r, 0, []string{"wang", "网格员", "第1网格", "共 2 个账号"}, nil)
	e.vars["SHEQU_PASSWORD"] = "Grid123!x"
	expect(t, e.run(t, "residents", "--db", db, "--user", "wang", "--status", "all"), 0, []string{"共 300 人"}, nil)
	// who is not an administrator may not add accounts nor read the audit
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "wang", "--name", "li", "--areas", "第1网格"), 1, nil, []string{"无权"})
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "wang"), 1, nil, []string{"无权"})
	e.vars["SHEQU_PASSWORD"] = password

	// an administrator changes what the account may do, then stops it
	expect(t, e.run(t, "account", "edit", "--db", db, "--user", "admin", "--name", "wang", "--display-name", "王芳", "--export"), 0,
		[]string{"账号 wang 已修改"}, nil)
	r = e.run(t, "account", "list", "--json", "--db", db, "--user", "admin")
	expect(t, r, 0, []string{`"username":"wang","name":"王芳","role":"grid","areas":["第1网格"],"reveal":false,"export":true`}, nil)
	expect(t, e.run(t, "account", "edit", "--db", db, "--user", "admin", "--name", "nobody"), 1, nil, []string{"没有名为 nobody 的账号"})
	expect(t, e.run(t, "account", "disable", "--db", db, "--user", "admin", "--name", "wang"), 0, []string{"账号 wang 已停用"}, nil)
	e.vars["SHEQU_PASSWORD"] = "Grid123!x"
	expect(t, e.run(t, "residents", "--db", db, "--user", "wang"), 1, nil, []string{"这个账号已停用"})
	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "account", "enable", "--db", db, "--user", "admin", "--name", "wang"), 0, []string{"账号 wang 已启用"}, nil)
	expect(t, e.run(t, "account", "disable", "--db", db, "--user", "admin", "--name", "admin"), 1, nil, []string{"不能停用自己"})

	// the audit lists what happened; verify and check find it whole
	r = e.run(t, "audit", "list", "--db", db, "--user", "admin", "--account", "wang")
	expect(t, r, 0, []string{"login.ok", "resident.list"}, nil)
	expect(t, e.run(t, "audit", "verify", "--db", db), 0, []string{"审计日志完整"}, nil)
	expect(t, e.run(t, "check", "--db", db), 0, []string{"数据库文件完好"}, nil)
	today := time.Now().Format("2006-01-02")
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--from", today, "--to", today), 0, []string{"login.ok"}, nil)
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--from", "2000-01-01", "--to", "2000-01-02"), 0,
		[]string{"显示 0 条"}, nil)

	// the newest entry cut off behind the program's back, guards put back: the
	// head kept beside the key tells
	raw := rawOpen(t, db)
	if _, err := raw.Exec(`DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
		CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'no'); END`); err != nil {
		t.Fatal(err)
	}
	expect(t, e.run(t, "audit", "verify", "--db", db), 1, nil, []string{"最新的 1 条记录被删除"})
	expect(t, e.run(t, "check", "--db", db), 1, nil, []string{"最新的 1 条记录被删除"})

	// an entry edited behind the program's back is named
	if _, err := raw.Exec("DROP TRIGGER audit_append_only_update; UPDATE audit SET account = 'x' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	expect(t, e.run(t, "audit", "verify", "--db", db), 1, nil, []string{"第 2 条记录被修改"})
	expect(t, e.run(t, "check", "--db", db), 1, nil, []string{"第 2 条"})
}

// rawOpen opens a database file directly, as someone going around the program would.
func rawOpen(t *testing.T, file string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBackupAndRestoreFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := shared(t)
	dir := t.TempDir()
	out, target := filepath.Join(dir, "b.backup"), filepath.Join(dir, "r.db")
	// without a passphrase and a terminal: said, nothing written
	expect(t, e.run(t, "backup", "--db", db, "--user", "admin", "--out", out), 1, nil, []string{"SHEQU_BACKUP_PASSPHRASE"})
	e.vars["SHEQU_BACKUP_PASSPHRASE"] = "德源社区备份口令"
	expect(t, e.run(t, "backup", "--db", db, "--user", "admin", "--out", out), 0, []string{"已备份到"}, nil)
	e.vars["SHEQU_BACKUP_PASSPHRASE"] = "another phrase"
	expect(t, e.run(t, "restore", "--in", out, "--db", target), 1, nil, []string{"备份口令不对"})
	if _, err := os.Stat(target); err == nil {
		t.Fatal("a wrong passphrase made a database")
	}
	e.vars["SHEQU_BACKUP_PASSPHRASE"] = "德源社区备份口令"
	expect(t, e.run(t, "restore", "--in", out, "--db", target), 0, []string{"已恢复到", "审计日志完整"}, nil)
	expect(t, e.run(t, "check", "--db", target), 0, []string{"数据库文件完好"}, nil)
	expect(t, e.run(t, "restore", "--in", out, "--db", target), 1, nil, []string{"已存在"})
}

// TestResidentsSortAndStatusFromTheCommandLine: `residents` lists those
// living here unless --status asks for others; --sort name is pinyin
// order (陈 before 张), --desc its exact reverse, and a sort it does not
// know is refused with the ones it does.
func TestResidentsSortAndStatusFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := shared(t)
	// Listing all 500 is an export: an account that may (made once on the
	// shared database).
	e.vars["SHEQU_NEW_PASSWORD"] = password
	e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "sorter", "--role", "admin", "--export", "--personal-data")
	list := func(args ...string) []residentJSON {
		t.Helper()
		r := e.run(t, append([]string{"residents", "--db", db, "--user", "sorter", "--json", "--limit", "0"}, args...)...)
		expect(t, r, 0, nil, nil)
		return parseJSON(t, r.stdout)
	}
	living, all := list(), list("--status", "all")
	former := list("--status", "迁出,死亡")
	if len(all) != 500 || len(living)+len(former) != 500 || len(former) == 0 {
		t.Fatalf("%d living, %d former, %d in all", len(living), len(former), len(all))
	}
	for _, r := range living {
		if r.Status != string(model.StatusPresent) && r.Status != string(model.StatusAway) {
			t.Fatalf("a former resident among those living here: %+v", r)
		}
	}
	for _, r := range former {
		if r.Status != string(model.StatusMoved) && r.Status != string(model.StatusDead) {
			t.Fatalf("--status 迁出,死亡 lists %+v", r)
		}
	}

	for _, sort := range []string{"name", "age", "address", "id"} {
		asc, desc := list("--sort", sort), list("--sort", sort, "--desc")
		if len(asc) != len(living) || len(desc) != len(asc) {
			t.Fatalf("--sort %s: %d and %d rows of %d", sort, len(asc), len(desc), len(living))
		}
		for i := range asc {
			if asc[i].ID != desc[len(desc)-1-i].ID {
				t.Fatalf("--sort %s --desc is not the reverse at row %d", sort, i)
			}
		}
		for i := 1; i < len(asc); i++ {
			a, b := asc[i-1], asc[i]
			if sort == "age" && a.Age >= 0 && b.Age >= 0 && a.Age > b.Age {
				t.Fatalf("--sort age: %d before %d", a.Age, b.Age)
			}
			if sort == "name" && bytes.Compare(store.NameKey(a.Name), store.NameKey(b.Name)) > 0 {
				t.Fatalf("--sort name: %s before %s", a.Name, b.Name)
			}
		}
		if sort == "name" {
			lastChen, firstZhang := -1, len(asc)
			for i, r := range asc {
				if strings.HasPrefix(r.Name, "陈") {
					lastChen = i
				}
				if strings.HasPrefix(r.Name, "张") && i < firstZhang {
					firstZhang = i
				}
			}
			if lastChen < 0 || firstZhang == len(asc) || lastChen > firstZhang {
				t.Fatalf("陈 at %d, 张 from %d: not pinyin order", lastChen, firstZhang)
			}
		}
	}
	expect(t, e.run(t, "residents", "--db", db, "--user", "admin", "--sort", "phone"), 1, nil, []string{"不能按“phone”排序", "name、age、address"})
	expect(t, e.run(t, "residents", "--db", db, "--user", "admin", "--status", "搬走"), 1, nil, []string{"无法识别“搬走”"})
}
