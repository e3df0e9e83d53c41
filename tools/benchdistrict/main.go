// Command benchdistrict measures Shequ at district scale and prints one
// table, medians over several runs, beside the alternatives: excelize's
// floors, exceljs streaming into better-sqlite3 in Node, and the sqlite3
// shell on the same database file.
//
//	go run ./tools/benchdistrict [-residents 1500000] [-runs 3] [-dir out/district]
//
// It builds shequ, makes the district with `shequ demo`, runs the app's
// benchmarks on it, the ledger bench (TestLedgerBench), the Node pipeline
// (bench/node, installed with npm on first use), the same searches in the
// sqlite3 shell, and the window's start and memory under Xvfb. It is not
// part of the tests; it takes about half an hour at 1.5 million.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	user     = "bench"
	password = "Bench123!"
)

var (
	residents = flag.Int("residents", 1_500_000, "residents in the district")
	runs      = flag.Int("runs", 3, "runs of each measurement (the median is printed)")
	dir       = flag.String("dir", "out/district", "working folder (kept between runs: the district is made once)")
	skip      = flag.String("skip", "", "parts to leave out, comma separated: search,sqlite3,ledger,node,gui")
)

// row is one line of the table.
type row struct {
	what, value, against, target string
}

var table []row

func add(what, value, against, target string) {
	table = append(table, row{what, value, against, target})
	fmt.Fprintf(os.Stderr, "  %s: %s %s\n", what, value, against)
}

func main() {
	flag.Parse()
	must(os.MkdirAll(*dir, 0o755))
	abs, _ := filepath.Abs(*dir)
	*dir = abs
	skipped := map[string]bool{}
	for _, s := range strings.Split(*skip, ",") {
		skipped[strings.TrimSpace(s)] = true
	}
	bin := filepath.Join(*dir, "shequ")
	step("build", func() { run("go", "build", "-o", bin, ".") })
	db := filepath.Join(*dir, fmt.Sprintf("district-%d.db", *residents))
	if _, err := os.Stat(db); err != nil {
		step("demo", func() {
			shequ(bin, "init", "--db", db, "--admin", user, "--personal-data")
			start := time.Now()
			shequ(bin, "demo", "--db", db, "--user", user, "--residents", strconv.Itoa(*residents))
			add("shequ demo (make the district)", secs(time.Since(start)), "", "")
		})
	}
	if !skipped["sqlite3"] { // first: the app's rows name the shell's times beside them
		step("the same searches in the sqlite3 shell", func() { sqliteShell(db) })
	}
	if !skipped["search"] {
		step("searches, pages, cohorts", func() { goBench(db) })
	}
	if !skipped["ledger"] {
		step("ledger import and export", ledgerBench)
	}
	if !skipped["node"] {
		step("exceljs + better-sqlite3 in Node", nodeBench)
	}
	if !skipped["gui"] {
		step("the window", func() { gui(bin, db) })
	}
	print()
}

func step(name string, fn func()) {
	fmt.Fprintf(os.Stderr, "== %s\n", name)
	fn()
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchdistrict:", err)
		os.Exit(1)
	}
}

// run runs a command, its output to stderr, and fails on an error.
func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	must(cmd.Run())
}

// output runs a command with extra environment and returns its output.
func output(env []string, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fmt.Fprintln(os.Stderr, string(out))
	}
	must(err)
	return string(out)
}

func shequ(bin string, args ...string) {
	output([]string{"SHEQU_PASSWORD=" + password, "LANG=C.UTF-8"}, bin, args...)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
func ms(v float64) string         { return fmt.Sprintf("%.1f ms", v) }

// goBench runs the app's benchmarks on the district and adds their medians.
func goBench(db string) {
	out := output([]string{"SHEQU_BENCH_DB=" + db, "SHEQU_BENCH_USER=" + user, "SHEQU_PASSWORD=" + password,
		"SHEQU_BENCH_RESIDENTS=" + strconv.Itoa(*residents)},
		"go", "test", "./app", "-run", "^$", "-bench", "BenchmarkSearch|BenchmarkPage|BenchmarkCohortCount|BenchmarkPyramid",
		"-benchtime", "20x", "-count", strconv.Itoa(*runs))
	re := regexp.MustCompile(`^Benchmark(\S+?)-\d+\s+\d+\s+(\d+) ns/op`)
	got := map[string][]float64{}
	var order []string
	for _, line := range strings.Split(out, "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			ns, _ := strconv.ParseFloat(m[2], 64)
			if got[m[1]] == nil {
				order = append(order, m[1])
			}
			got[m[1]] = append(got[m[1]], ns/1e6)
		}
	}
	for _, name := range order {
		target := ""
		switch {
		case strings.HasPrefix(name, "Search/"), strings.HasPrefix(name, "Page/First"), strings.HasPrefix(name, "Page/Last"):
			target = "< 50 ms"
		case strings.HasPrefix(name, "CohortCount/"), strings.HasPrefix(name, "Pyramid/"):
			target = "< 100 ms"
		}
		v := median(got[name])
		shellMS := ""
		if s, ok := shellTimes[name]; ok {
			shellMS = fmt.Sprintf("sqlite3 shell %.2f ms (Shequ %.2f× as long)", s, v/s)
		}
		add(name, ms(v), shellMS, target)
	}
}

// shellTimes are the sqlite3 shell's medians by benchmark name.
var shellTimes = map[string]float64{}

// sqliteShell times the searches a user of the sqlite3 shell would type,
// for the same resident the app's benchmarks search for.
func sqliteShell(db string) {
	q := func(sql string) string {
		return strings.TrimSpace(output(nil, "sqlite3", "-readonly", db, sql))
	}
	mid := q("SELECT max(id) / 2 FROM resident")
	who := strings.Split(q("SELECT id_number, phone, name FROM resident WHERE id >= "+mid+" AND id_number <> '' AND phone <> '' LIMIT 1"), "|")
	if len(who) != 3 {
		must(fmt.Errorf("no resident to search for"))
	}
	idn, phone, name := who[0], who[1], []rune(who[2])
	cols := "r.id, r.name, r.id_number, r.phone"
	searches := map[string]string{
		"Search/IDNumber":         "SELECT " + cols + " FROM resident r WHERE r.id_number = '" + idn + "'",
		"Search/Phone":            "SELECT " + cols + " FROM resident r WHERE r.phone = '" + phone + "'",
		"Search/Name1":            "SELECT " + cols + " FROM resident r WHERE r.name LIKE '%" + string(name[:1]) + "%' LIMIT 100",
		"Search/Name2":            "SELECT " + cols + " FROM resident r WHERE r.name LIKE '%" + string(name[:2]) + "%' LIMIT 100",
		"Search/Name3":            "SELECT " + cols + " FROM resident r WHERE r.name LIKE '%" + string(name) + "%' LIMIT 100",
		"Page/First/id":           "SELECT " + cols + " FROM resident r ORDER BY r.id LIMIT 100",
		"Page/Last/id":            "SELECT " + cols + " FROM resident r ORDER BY r.id DESC LIMIT 100",
		"CohortCount/Women25to35": "SELECT count(*) FROM resident WHERE sex = 'F' AND birth > date('now', '-36 years') AND birth <= date('now', '-25 years')",
	}
	// The shell's own timer counts whole milliseconds: time reps of each
	// query in one process instead, less a process running as many empty
	// statements.
	const reps = 20
	shell := func(sql string) float64 {
		var script strings.Builder
		script.WriteString(".output /dev/null\n")
		for range reps {
			script.WriteString(sql + ";\n")
		}
		var walls []float64
		for range *runs {
			cmd := exec.Command("sqlite3", "-readonly", db)
			cmd.Stdin = strings.NewReader(script.String())
			start := time.Now()
			must(cmd.Run())
			walls = append(walls, float64(time.Since(start).Microseconds())/1000)
		}
		return median(walls)
	}
	empty := shell("SELECT 1")
	for name, sql := range searches {
		shellTimes[name] = max(0.001, (shell(sql)-empty)/reps)
	}
}

// ledger holds the ledger bench's stage medians in seconds.
var ledger = map[string]float64{}

func ledgerBench() {
	out := output([]string{"SHEQU_LEDGER_BENCH=1", "SHEQU_LEDGER_ROWS=" + strconv.Itoa(*residents), "SHEQU_LEDGER_DIR=" + *dir,
		"SHEQU_LEDGER_RUNS=" + strconv.Itoa(*runs), "SHEQU_LEDGER_STAGES=unzip,floor,import,wfloor,export"},
		"go", "test", "./app", "-run", "^TestLedgerBench$", "-count=1", "-v", "-timeout", "120m")
	re := regexp.MustCompile(`^(unzip|floor|import|wfloor|export)\s+([\d.]+)\s+(\d+)`)
	mem := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if m := re.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			ledger[m[1]], _ = strconv.ParseFloat(m[2], 64)
			mem[m[1]] = m[3] + " MB"
		}
	}
	add("unzip the ledger's sheet", fmt.Sprintf("%.1f s", ledger["unzip"]), "", "")
	add("floor: excelize rows + bare inserts", fmt.Sprintf("%.1f s", ledger["floor"]), mem["floor"], "")
	add("import "+strconv.Itoa(*residents)+" rows", fmt.Sprintf("%.1f s", ledger["import"]),
		fmt.Sprintf("%.2f× floor, peak %s", ledger["import"]/ledger["floor"], mem["import"]), "≤ 1× floor")
	add("floor: excelize StreamWriter", fmt.Sprintf("%.1f s", ledger["wfloor"]), mem["wfloor"], "")
	add("export "+strconv.Itoa(*residents)+" rows", fmt.Sprintf("%.1f s", ledger["export"]),
		fmt.Sprintf("%.2f× floor, peak %s", ledger["export"]/ledger["wfloor"], mem["export"]), "≤ 1.1× floor")
}

func nodeBench() {
	if _, err := exec.LookPath("npm"); err != nil {
		add("exceljs → better-sqlite3", "skipped", "Node.js and npm are not installed (Debian: apt-get install nodejs npm)", "")
		return
	}
	nodeDir, _ := filepath.Abs("bench/node")
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "better-sqlite3")); err != nil {
		// better-sqlite3 builds against the installed Node's headers.
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund")
		cmd.Dir, cmd.Stdout, cmd.Stderr = nodeDir, os.Stderr, os.Stderr
		cmd.Env = append(os.Environ(), "npm_config_nodedir=/usr")
		must(cmd.Run())
	}
	xlsx := filepath.Join(*dir, fmt.Sprintf("ledger-%d.xlsx", *residents))
	wall := func(args ...string) float64 {
		out := output(nil, "node", append([]string{filepath.Join(nodeDir, "pipeline.js")}, args...)...)
		for _, line := range strings.Split(out, "\n") {
			if v, ok := strings.CutPrefix(line, "WALL "); ok {
				ns, _ := strconv.ParseFloat(v, 64)
				return ns / 1e9
			}
		}
		must(fmt.Errorf("node: no time in %q", out))
		return 0
	}
	var imp, exp []float64
	for range *runs {
		db := filepath.Join(*dir, "node.db")
		os.Remove(db)
		imp = append(imp, wall("import", xlsx, db))
		exp = append(exp, wall("export", db, filepath.Join(*dir, "node.xlsx")))
	}
	i, e := median(imp), median(exp)
	add("exceljs → better-sqlite3 import", fmt.Sprintf("%.1f s", i), fmt.Sprintf("Shequ %.2f× as long", ledger["import"]/i), "Shequ faster")
	add("better-sqlite3 → exceljs export", fmt.Sprintf("%.1f s", e), fmt.Sprintf("Shequ %.2f× as long", ledger["export"]/e), "")
}

// gui times the window's start to its first screen and reads its peak
// memory, on the district and on a 10,000-resident one.
func gui(bin, db string) {
	small := filepath.Join(*dir, "district-10000.db")
	if _, err := os.Stat(small); err != nil {
		shequ(bin, "init", "--db", small, "--admin", user, "--personal-data")
		shequ(bin, "demo", "--db", small, "--user", user, "--residents", "10000")
	}
	display := fmt.Sprintf(":%d", 90+os.Getpid()%9)
	x := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24")
	must(x.Start())
	defer x.Process.Kill()
	time.Sleep(time.Second)
	for _, c := range []struct {
		name, db string
	}{{"10,000", small}, {strconv.Itoa(*residents), db}} {
		var starts []float64
		var peak int
		for range *runs {
			start, hwm := window(bin, c.db, display)
			starts, peak = append(starts, start), max(peak, hwm)
		}
		add("window start to first screen, "+c.name+" residents", ms(median(starts)), "", "< 2 s")
		add("window peak memory, "+c.name+" residents", fmt.Sprintf("%d MB", peak/1024), "", "< 400 MB")
	}
}

// window starts the GUI, waits for the first screen's line in the log,
// lets it settle and reads its peak resident memory (KiB).
func window(bin, db, display string) (startMS float64, hwm int) {
	log := strings.TrimSuffix(db, filepath.Ext(db)) + ".log"
	os.Remove(log)
	home, _ := os.MkdirTemp("", "shequ-bench-home-")
	defer os.RemoveAll(home)
	cmd := exec.Command(bin, "--db", db)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "LANG=C.UTF-8", "SHEQU_AUTOLOGIN="+user, "SHEQU_PASSWORD="+password)
	must(cmd.Start())
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	re := regexp.MustCompile(`msg="first screen" ms=(\d+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(log)
		if m := re.FindSubmatch(b); m != nil {
			startMS, _ = strconv.ParseFloat(string(m[1]), 64)
			break
		}
	}
	if startMS == 0 {
		must(fmt.Errorf("the window never showed its first screen (see %s)", log))
	}
	time.Sleep(5 * time.Second)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	must(err)
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm, _ = strconv.Atoi(strings.Fields(v)[0])
		}
	}
	return startMS, hwm
}

func print() {
	fmt.Printf("\nShequ at district scale: %d residents, medians of %d runs\n\n", *residents, *runs)
	fmt.Printf("| measurement | Shequ | against | target |\n|---|---|---|---|\n")
	for _, r := range table {
		fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.value, r.against, r.target)
	}
}
