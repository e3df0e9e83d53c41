package app_test

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
)

// The ledger bench: `make bench-ledger` (SHEQU_LEDGER_BENCH=1, rows from
// SHEQU_LEDGER_ROWS, default 100,000). Each stage runs in its own process
// so that its peak memory is its own; the import and the export are set
// against floors measured in the same run:
//
//	unzip   decompressing the sheet's XML alone
//	parse   excelize's row iterator alone
//	floor   excelize's row iterator + bare text inserts into SQLite, one transaction
//	import  shequ's import into an empty database
//	wfloor  excelize's StreamWriter writing the same values
//	export  shequ's export of what was imported

func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("SHEQU_LEDGER_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func TestLedgerBench(t *testing.T) {
	if os.Getenv("SHEQU_LEDGER_BENCH") == "" {
		t.Skip("set SHEQU_LEDGER_BENCH=1 (make bench-ledger)")
	}
	n := benchRows()
	dir := os.Getenv("SHEQU_LEDGER_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	ledger := filepath.Join(dir, fmt.Sprintf("ledger-%d.xlsx", n))
	if _, err := os.Stat(ledger); err != nil {
		start := time.Now()
		if err := writeBenchLedger(ledger, n); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s in %.1fs", ledger, time.Since(start).Seconds())
	}
	type result struct {
		wall time.Duration
		rss  int64 // KiB
	}
	runs := 1
	if n <= 200_000 {
		runs = 3
	}
	if r, err := strconv.Atoi(os.Getenv("SHEQU_LEDGER_RUNS")); err == nil && r > 0 {
		runs = r
	}
	results := map[string]result{}
	stages := []string{"unzip", "parse", "floor", "import", "wfloor", "export"}
	if only := os.Getenv("SHEQU_LEDGER_STAGES"); only != "" {
		stages = strings.Split(only, ",") // e.g. "import,export"; "none" only writes the ledger
	}
	for _, stage := range stages {
		if stage == "none" {
			return
		}
		var walls []time.Duration
		var rss int64
		for i := 0; i < runs; i++ {
			cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerBenchStage$", "-test.count=1")
			cmd.Env = append(os.Environ(), "SHEQU_LEDGER_STAGE="+stage, "SHEQU_LEDGER_FILE="+ledger, "SHEQU_LEDGER_DIR="+dir)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", stage, err, out)
			}
			var ns int64
			for _, line := range strings.Split(string(out), "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "WALL "); ok {
					ns, _ = strconv.ParseInt(v, 10, 64)
				}
			}
			walls = append(walls, time.Duration(ns))
			rss = max(rss, peakRSS(cmd.ProcessState))
		}
		sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
		results[stage] = result{walls[len(walls)/2], rss}
		t.Logf("%s: %v, %d MB", stage, walls, rss/1024)
	}
	fmt.Printf("\nledger bench, %d rows (median of %d runs)\n", n, runs)
	fmt.Printf("%-8s %10s %10s %12s\n", "stage", "wall s", "peak MB", "ratio")
	ratio := map[string]string{"import": "floor", "export": "wfloor", "parse": "floor"}
	for _, stage := range stages {
		r := results[stage]
		rs := ""
		if base, ok := ratio[stage]; ok && results[base].wall > 0 {
			rs = fmt.Sprintf("%.2f× %s", r.wall.Seconds()/results[base].wall.Seconds(), base)
		}
		fmt.Printf("%-8s %10.1f %10d %12s\n", stage, r.wall.Seconds(), r.rss/1024, rs)
	}
}

// TestLedgerBenchStage is one stage of the bench, in a child process.
func TestLedgerBenchStage(t *testing.T) {
	stage := os.Getenv("SHEQU_LEDGER_STAGE")
	if stage == "" {
		t.Skip("run by TestLedgerBench")
	}
	file, dir := os.Getenv("SHEQU_LEDGER_FILE"), os.Getenv("SHEQU_LEDGER_DIR")
	ctx := context.Background()
	if stage == "import" || stage == "export" {
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(256 << 20) // as main does; the floors run as they are
		}
	}
	// SHEQU_LEDGER_CPUPROFILE=F writes the stage's CPU profile for pprof.
	if f := os.Getenv("SHEQU_LEDGER_CPUPROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	var err error
	switch stage {
	case "unzip":
		err = benchUnzip(file)
	case "parse":
		err = benchParse(file, nil)
	case "floor":
		err = benchFloor(file, filepath.Join(dir, "floor.db"))
	case "import":
		err = benchImport(ctx, file, filepath.Join(dir, "import.db"), &start)
	case "wfloor":
		err = benchWriteFloor(benchRows(), filepath.Join(dir, "wfloor.xlsx"))
	case "export":
		err = benchExport(ctx, filepath.Join(dir, "import.db"), filepath.Join(dir, "export.xlsx"), &start)
	}
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("WALL %d\n", time.Since(start).Nanoseconds())
}

// writeBenchLedger writes a ledger in the canonical layout: households of
// 1–4 in compounds of 10 buildings × 4 units × 36 rooms.
func writeBenchLedger(path string, n int) error {
	cols := make([]xlsxwrite.Column, len(app.LedgerHeader))
	for i, h := range app.LedgerHeader {
		cols[i] = xlsxwrite.Column{Header: h.Header}
		if h.Field == app.FieldBirth {
			cols[i].Kind = xlsxwrite.Date
		}
	}
	w, err := xlsxwrite.Create(path, cols, xlsxwrite.Options{Sheet: "居民台账", Title: "德源街道 居民台账", Rows: n})
	if err != nil {
		return err
	}
	if err := benchLedgerRows(n, w.Row); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// benchLedgerRows makes the bench ledger's rows.
func benchLedgerRows(n int, fn func([]string) error) error {
	family := []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"}
	given := []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "平"}
	rels := []string{"户主", "配偶", "子女", "父母"}
	tags := []string{"", "", "", "志愿者", "居民骨干", "独居老人、优抚对象", "产业人才"}
	house, member, size := 0, 0, 1
	vals := make([]string, len(app.LedgerHeader))
	for i := 0; i < n; i++ {
		if member == size {
			house, member, size = house+1, 0, 1+house%4
		}
		sex := idnumber.Male
		if (i+member)%2 == 1 {
			sex = idnumber.Female
		}
		birth := time.Date(1940+i%80, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		num := idnumber.Synthesize(fmt.Sprintf("5101%02d", 4+(i/500)%90), birth, i/(500*90), sex)
		sx := "男"
		if sex == idnumber.Female {
			sx = "女"
		}
		compound := house / 1440
		b, u, room := house%1440/144+1, house%144/36+1, house%36/4*100+101+house%4
		vals[0] = strconv.Itoa(i + 1)
		vals[1] = family[i%len(family)] + given[(i/len(family))%len(given)]
		vals[2], vals[3], vals[4], vals[5] = sx, num, birth.Format("2006-01-02"), "汉族"
		vals[6] = fmt.Sprintf("13%09d", i)
		vals[7], vals[8], vals[9], vals[10] = fmt.Sprintf("小区%03d", compound), strconv.Itoa(b), strconv.Itoa(u), strconv.Itoa(room)
		vals[11], vals[12], vals[13], vals[14] = rels[member%len(rels)], "户籍", tags[i%len(tags)], ""
		if err := fn(vals); err != nil {
			return err
		}
		member++
	}
	return nil
}

func benchUnzip(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer z.Close()
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			r, err := f.Open()
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, r)
			r.Close()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// benchParse iterates every row of every sheet with excelize, handing
// each to fn (a ledger past Excel's row limit goes on in a second sheet).
func benchParse(path string, fn func([]string) error) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return err
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return err
			}
			if fn != nil {
				if err := fn(cols); err != nil {
					rows.Close()
					return err
				}
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

func benchFloor(path, dbPath string) error {
	os.Remove(dbPath)
	db, err := sql.Open("sqlite", dbPath+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	cols := make([]string, 15)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d TEXT", i)
	}
	if _, err := db.Exec("CREATE TABLE t(" + strings.Join(cols, ", ") + ")"); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	st, err := tx.Prepare("INSERT INTO t VALUES (" + strings.Repeat("?, ", 14) + "?)")
	if err != nil {
		return err
	}
	args := make([]any, 15)
	err = benchParse(path, func(c []string) error {
		for i := range args {
			args[i] = ""
			if i < len(c) {
				args[i] = c[i]
			}
		}
		_, err := st.Exec(args...)
		return err
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

func benchImport(ctx context.Context, file, dbPath string, start *time.Time) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	ta, err := openApp(dbPath)
	if err != nil {
		return err
	}
	defer ta.st.Close()
	street, err := ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{Level: model.LevelStreet, Name: "德源街道"})
	if err != nil {
		return err
	}
	comm, err := ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{ParentID: street, Level: model.LevelCommunity, Name: "德源社区"})
	if err != nil {
		return err
	}
	grid, err := ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{ParentID: comm, Level: model.LevelGrid, Name: "第1网格"})
	if err != nil {
		return err
	}
	*start = time.Now() // the account's password hash is not the import's time
	res, err := ta.Import(ctx, ta.admin, file, app.ImportOptions{Grid: grid})
	if err != nil {
		return err
	}
	defer res.Close()
	if res.Skipped > 0 {
		return fmt.Errorf("%d rows skipped: %+v", res.Skipped, res.Problems[0])
	}
	fmt.Printf("imported %d, houses %d in %.1fs\n", res.Imported, res.HousesCreated, time.Since(*start).Seconds())
	return nil
}

func benchWriteFloor(n int, out string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet, row := "Sheet1", make([]any, 15)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	i := 0
	err = benchLedgerRows(n, func(c []string) error {
		if i == 1_048_576 { // a sheet is full: the rest go on the next, as the export does
			if err := sw.Flush(); err != nil {
				return err
			}
			sheet, i = "Sheet2", 0
			if _, err := f.NewSheet(sheet); err != nil {
				return err
			}
			if sw, err = f.NewStreamWriter(sheet); err != nil {
				return err
			}
		}
		i++
		for j := range row {
			row[j] = c[j]
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(out)
}

func benchExport(ctx context.Context, dbPath, out string, start *time.Time) error {
	ta, err := openExisting(dbPath)
	if err != nil {
		return err
	}
	defer ta.st.Close()
	admin, err := ta.Login(ctx, "admin", adminPassword)
	if err != nil {
		return err
	}
	if _, err := ta.CreateAccount(ctx, admin, app.AccountInput{Username: "exporter", Password: adminPassword, Role: model.RoleAdmin,
		CanReveal: true, CanExport: true, PersonalData: true}); err != nil && !errors.Is(err, model.ErrConflict) {
		return err
	}
	actor, err := ta.Login(ctx, "exporter", adminPassword)
	if err != nil {
		return err
	}
	*start = time.Now()
	_, err = ta.ExportResidents(ctx, actor, out, app.ExportOptions{Reveal: true, Reason: "bench"})
	return err
}
