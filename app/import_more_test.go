package app_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// simpleLedger writes a canonical-layout ledger of rows.
func simpleLedger(t *testing.T, rows ...[]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.xlsx")
	// The canonical layout without 状态, as many offices' ledgers are:
	// everyone in them lives here.
	var header []any
	for _, h := range app.LedgerHeader {
		if h.Field != app.FieldStatus {
			header = append(header, h.Header)
		}
	}
	writeBook(t, path, []string{"居民台账"}, map[string][][]any{"居民台账": append([][]any{header}, rows...)}, nil)
	return path
}

// TestImportDryRunAndUpdate: a dry run reports and writes nothing; an
// import skips registered residents unless asked to update them, and an
// update is in the resident's history.
func TestImportDryRunAndUpdate(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	a := id(t, "1960-07-08", 1, idnumber.Male)
	path := simpleLedger(t,
		[]any{1, "钱一", "男", a, nil, "汉", "13800138000", "幸福里", "2", "1", "301", "户主", "户籍", "志愿者", "=HYPERLINK(\"x\")"},
	)
	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid2, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	if res.Imported != 1 || !res.DryRun {
		t.Fatalf("dry run %+v", res)
	}
	if n := len(la.rows(t, la.worker, app.ListFilter{})); n != 0 {
		t.Fatalf("dry run wrote %d residents", n)
	}
	if res, err = la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid2}); err != nil || res.Imported != 1 {
		t.Fatalf("import: %v %+v", err, res)
	}
	res.Close()
	rows := la.rows(t, la.worker, app.ListFilter{})
	if len(rows) != 1 || rows[0].Ethnicity != "汉族" || rows[0].GridID != la.grid2 || rows[0].Notes != `=HYPERLINK("x")` {
		t.Fatalf("imported %+v", rows)
	}
	first := rows[0]

	changed := simpleLedger(t,
		[]any{1, "钱一", "男", a, nil, "汉族", "13900139000", "幸福里", "2", "1", "302", "户主", "流动", nil, nil},
	)
	res, err = la.Import(ctx, la.worker, changed, app.ImportOptions{Grid: la.grid2})
	if err != nil || res.Existing != 1 || res.Imported != 0 || res.Updated != 0 {
		t.Fatalf("skip: %v %+v", err, res)
	}
	res.Close()
	res, err = la.Import(ctx, la.worker, changed, app.ImportOptions{Grid: la.grid2, Update: true})
	if err != nil || res.Updated != 1 || res.HousesCreated != 1 {
		t.Fatalf("update: %v %+v", err, res)
	}
	res.Close()
	after := la.rows(t, la.worker, app.ListFilter{})
	if len(after) != 1 || after[0].ID != first.ID || after[0].Phone != "13900139000" || after[0].Kind != model.KindFloating ||
		after[0].Address.Room != "302" || after[0].Notes != first.Notes {
		t.Fatalf("updated %+v %+v", after[0].Resident, after[0].Address)
	}
	hist, err := la.History(ctx, la.worker, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, h := range hist {
		seen[h.Field+":"+h.Old+">"+h.New] = true
	}
	for _, want := range []string{"phone:13800138000>13900139000", "kind:registered>floating"} {
		if !seen[want] {
			t.Errorf("history lacks %s: %+v", want, hist)
		}
	}
	entries, err := la.AuditLog(ctx, la.admin, storeFilter("import"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 || !strings.Contains(entries[0].Detail, `"updated":1`) || !strings.Contains(entries[3].Detail, `"dry_run":true`) {
		t.Fatalf("audit %+v", entries)
	}
}

// TestImportScope: houses outside the account's grids and residents
// registered elsewhere are refused row by row; a grid worker's new houses
// go in their grid.
func TestImportScope(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	a, b := id(t, "1970-01-01", 1, idnumber.Male), id(t, "1971-01-01", 2, idnumber.Female)
	res, err := la.Import(ctx, la.worker, simpleLedger(t, []any{1, "甲", nil, a, nil, nil, nil, "东院", "1", "1", "101", "户主", nil, nil, nil}),
		app.ImportOptions{Grid: la.grid2})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	if _, err := la.CreateAccount(ctx, la.admin, app.AccountInput{Username: "grid1", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{la.grid1}}); err != nil {
		t.Fatal(err)
	}
	g, err := la.Login(ctx, "grid1", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := la.Import(ctx, g, "x.xlsx", app.ImportOptions{Grid: la.grid2}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("import into another grid: %v", err)
	}
	res, err = la.Import(ctx, g, simpleLedger(t,
		[]any{1, "甲", nil, a, nil, nil, nil, "东院", "1", "1", "102", "户主", nil, nil, nil},
		[]any{2, "乙", nil, b, nil, nil, nil, "东院", "1", "1", "101", "配偶", nil, nil, nil},
		[]any{3, "丙", nil, id(t, "1990-01-01", 3, idnumber.Male), nil, nil, nil, "东院", "1", "1", "103", "户主", nil, nil, nil},
	), app.ImportOptions{Update: true})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if got := problemList(res); len(got) != 2 || got[0] != "E 居民台账:2 id_number err.ledger.exists_elsewhere" ||
		got[1] != "E 居民台账:3 address err.ledger.house_scope" {
		t.Fatalf("problems %q", got)
	}
	rows := la.rows(t, g, app.ListFilter{})
	if len(rows) != 1 || rows[0].Name != "丙" || rows[0].GridID != la.grid1 {
		t.Fatalf("grid worker sees %+v", rows)
	}
}

// TestImportNotXLSX: an old .xls or a text file is a clear refusal.
func TestImportNotXLSX(t *testing.T) {
	t.Parallel()
	la := newLedgerApp(t)
	path := filepath.Join(t.TempDir(), "old.xls")
	if err := os.WriteFile(path, []byte("\xd0\xcf\x11\xe0 not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := la.InspectLedger(context.Background(), la.worker, path)
	if keys := problemKeys(t, err); keys["file"] != "err.ledger.not_xlsx" {
		t.Fatalf("keys %v", keys)
	}
}

// TestImportCancelAndCrash: a cancelled import and an import killed with
// SIGKILL midway leave the database as it was, and whole.
func TestImportCancelAndCrash(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes a 30,000-row ledger")
	}
	la := newLedgerApp(t)
	ctx := context.Background()
	ledger := filepath.Join(t.TempDir(), "big.xlsx")
	if err := writeBenchLedger(ledger, 30_000); err != nil {
		t.Fatal(err)
	}
	before := countAll(t, la.testApp)

	cctx, cancel := context.WithCancel(ctx)
	_, err := la.Import(cctx, la.worker, ledger, app.ImportOptions{Grid: la.grid1, Progress: func(done, total int) {
		if done > 5000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled import: %v", err)
	}
	if n := countAll(t, la.testApp); n != before {
		t.Fatalf("after cancel %d residents, before %d", n, before)
	}

	la.st.Close()
	dbPath := la.DBPath()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SHEQU_CRASH_DB="+dbPath, "SHEQU_CRASH_LEDGER="+ledger, "SHEQU_CRASH_GRID="+itoa(la.grid1))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "WRITING") {
	}
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Kill() // SIGKILL: no deferred cleanup, no rollback
	cmd.Wait()

	again, err := openExisting(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer again.st.Close()
	integrity, v, err := again.Check(ctx)
	if err != nil || integrity != "ok" || !v.Whole() {
		t.Fatalf("after a crash: %q, audit %+v, %v", integrity, v, err)
	}
	if n, _ := again.st.CountAll(ctx); n != before {
		t.Fatalf("after a crash %d residents, before %d", n, before)
	}
}

// TestImportCrashChild imports until killed, in a child process.
func TestImportCrashChild(t *testing.T) {
	t.Parallel()
	dbPath := os.Getenv("SHEQU_CRASH_DB")
	if dbPath == "" {
		t.Skip("run by TestImportCancelAndCrash")
	}
	ctx := context.Background()
	ta, err := openExisting(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := ta.Login(ctx, "wang", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	grid := int64(atoi(os.Getenv("SHEQU_CRASH_GRID")))
	said := false
	ta.Import(ctx, actor, os.Getenv("SHEQU_CRASH_LEDGER"), app.ImportOptions{Grid: grid, Progress: func(done, total int) {
		if done > 3000 && !said {
			said = true
			os.Stdout.WriteString("WRITING\n")
		}
		if done > 20000 {
			select {} // hold the transaction open until killed
		}
	}})
	t.Fatal("the import ended before it was killed")
}

func storeFilter(action string) model.AuditFilter { return model.AuditFilter{Action: action} }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestSavedMappingIsUsedAgain: a mapping saved for a header is applied to
// the next ledger with the same header, by the window and the command line.
func TestSavedMappingIsUsedAgain(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "odd.xlsx")
	writeBook(t, path, []string{"Sheet1"}, map[string][][]any{"Sheet1": {
		{"姓名", "证件", "家庭地址", "联系手机"},
		{"甲", id(t, "1980-01-01", 1, idnumber.Male), "东院1栋1单元101", "13800138000"},
	}}, nil)
	sheets, err := la.InspectLedger(ctx, la.worker, path)
	if err != nil {
		t.Fatal(err)
	}
	if f := sheets[0].Fields; f[1] != app.FieldNone || f[2] != app.FieldNone || sheets[0].Saved {
		t.Fatalf("fields %v", f)
	}
	sheets[0].Fields[1], sheets[0].Fields[2] = app.FieldIDNumber, app.FieldAddress
	if err := la.SaveLedgerMapping(ctx, la.worker, sheets[0]); err != nil {
		t.Fatal(err)
	}
	again, err := la.InspectLedger(ctx, la.worker, path)
	if err != nil {
		t.Fatal(err)
	}
	if f := again[0].Fields; !again[0].Saved || f[1] != app.FieldIDNumber || f[2] != app.FieldAddress || f[3] != app.FieldPhone {
		t.Fatalf("saved mapping not used: %+v", again[0])
	}
	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid1}) // as the command line: no sheets given
	if err != nil || res.Imported != 1 || res.Warnings != 0 {
		t.Fatalf("import with the saved mapping: %v %+v", err, res)
	}
	res.Close()
}

// TestImportAsksForAGridOnlyForNewHouses: a ledger of people already
// registered (new phones) imports without a grid; a row whose house is new
// says it needs one and the others go in; an account that sees one grid
// never has to name it.
func TestImportAsksForAGridOnlyForNewHouses(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	a, b := id(t, "1960-07-08", 1, idnumber.Male), id(t, "1972-03-04", 2, idnumber.Female)
	first := simpleLedger(t,
		[]any{1, "钱一", "男", a, nil, "汉", "13800138000", "幸福里", "2", "1", "301", "户主", "户籍", nil, nil},
		[]any{2, "孙二", "女", b, nil, "汉", "13900139000", "幸福里", "2", "1", "302", "户主", "户籍", nil, nil},
	)
	if res, err := la.Import(ctx, la.worker, first, app.ImportOptions{Grid: la.grid1}); err != nil || res.Imported != 2 {
		t.Fatalf("first import: %v %+v", err, res)
	}
	again := simpleLedger(t,
		[]any{1, "钱一", "男", a, nil, "汉", "13811112222", "幸福里", "2", "1", "301", "户主", "户籍", nil, nil},
		[]any{2, "周三", "男", id(t, "1980-01-02", 3, idnumber.Male), nil, "汉", "13700137000", "新家园", "5", "1", "101", "户主", "户籍", nil, nil},
	)
	res, err := la.Import(ctx, la.worker, again, app.ImportOptions{Update: true})
	if err != nil {
		t.Fatalf("an update of registered people asked for a grid: %v", err)
	}
	res.Close()
	if res.Updated != 1 || res.HousesCreated != 0 {
		t.Fatalf("update: %+v", res)
	}
	if ps := problemList(res); len(ps) != 1 || !strings.Contains(ps[0], "err.ledger.house_new") {
		t.Fatalf("the new house's row: %v", ps)
	}
	rows := la.rows(t, la.worker, app.ListFilter{Search: "钱一"})
	if len(rows) != 1 || !strings.HasSuffix(rows[0].Phone, "2222") {
		t.Fatalf("phone not updated: %+v", rows)
	}

	// A grid worker sees one grid: new houses go there unasked.
	if _, err := la.CreateAccount(ctx, la.admin, app.AccountInput{Username: "zhao", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{la.grid2}}); err != nil {
		t.Fatal(err)
	}
	zhao, err := la.Login(ctx, "zhao", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	res, err = la.Import(ctx, zhao, simpleLedger(t,
		[]any{1, "吴四", "男", id(t, "1990-05-06", 4, idnumber.Male), nil, "汉", "13600136000", "新家园", "5", "1", "102", "户主", "户籍", nil, nil}),
		app.ImportOptions{})
	if err != nil || res.Imported != 1 || res.HousesCreated != 1 {
		t.Fatalf("a grid worker's import: %v %+v", err, res)
	}
}
