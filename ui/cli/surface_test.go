package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/store"
)

// surfacePerson is a resident planted with numbers found nowhere else.
type surfacePerson struct {
	name, id, phone string
	resident        int64
}

// surfaceRun is one invocation of a command (the words after its name).
// Placeholders: {out.xlsx} {out.png} {out.svg} an output file, {match}
// {form} {ledger} {doses} {visits} an input file, {A.id} {B.id} {A.name}
// {B.name} {A.phone} {B.phone} the planted people, {day} the day booked,
// {activity} {batch} {appeal} {space} {compound} {gridA} the planted rows.
// shows: an account that sees A finds A's name in what it prints or
// writes, so the surface is reached rather than empty. trail: the audit
// trail, where searched numbers show masked to whoever reads it.
type surfaceRun struct {
	args         []string
	shows, trail bool
}

func sr(shows bool, args ...string) surfaceRun { return surfaceRun{args: args, shows: shows} }

func trail(args ...string) surfaceRun { return surfaceRun{args: args, trail: true} }

// surfaceRuns are the command line's outputs of personal data: every
// listing, look-up, export and report, and the writes that find a person
// by an ID number (and might say who it is). A new command goes here or
// in surfaceSilent.
var surfaceRuns = map[string][]surfaceRun{
	"residents": {sr(true, "--limit", "0", "--json"), sr(false), sr(true, "--search", "闻人"), sr(false, "--search", "{B.id}"),
		sr(false, "--search", "{B.phone}"), sr(true, "--search", "{A.id}"), sr(false, "--area", "{gridB}")},
	"tag": {sr(false, "list"), sr(false, "add", "--tag", "志愿者", "--id-number", "{B.id}"), sr(false, "add", "--tag", "志愿者", "--search", "{B.id}")},
	"cohort": {sr(true, "list", "--limit", "0", "--json"), sr(false, "count"), sr(true, "list", "--tag", "志愿者", "--limit", "0"), sr(true, "export", "--out", "{out.xlsx}"),
		sr(false, "sample", "--n", "5", "--json"), sr(false, "compare", "--with", "老人")},
	"chart":    {sr(false, "pyramid"), sr(false, "tags", "--out", "{out.svg}"), sr(false, "by-area")},
	"report":   {sr(false, "--out", "{out.xlsx}")},
	"appeal":   {sr(true, "list"), sr(true, "list", "--json"), sr(true, "show", "--id", "{appeal}"), sr(false, "stats")},
	"worklog":  {sr(true, "list", "--month", "{month}"), sr(true, "list", "--month", "{month}", "--json"), sr(true, "export", "--month", "{month}", "--out", "{out.xlsx}"), sr(false, "add", "--kind", "走访", "--content", "核实", "--resident-id-number", "{B.id}")},
	"import":   {sr(false, "residents", "{ledger}", "--dry-run")},
	"match":    {sr(false, "{match}"), sr(true, "{match}", "--out", "{out.xlsx}")},
	"fill":     {sr(true, "{form}", "--out", "{out.xlsx}")},
	"vaccine":  {sr(false, "progress", "--vaccine", "流感疫苗"), sr(true, "todo", "--vaccine", "流感疫苗", "--doses", "2", "--out", "{out.xlsx}"), sr(true, "appointments"), sr(false, "add", "--id-number", "{B.id}", "--vaccine", "流感疫苗", "--dose", "2", "--day", "2026-10-20"), sr(false, "import", "{doses}", "--vaccine", "流感疫苗", "--dry-run")},
	"visitor":  {sr(true, "list"), sr(true, "list", "--json"), sr(false, "list", "--person", "{B.id}"), sr(true, "export", "--out", "{out.xlsx}"), sr(false, "import", "{visits}", "--dry-run")},
	"booking":  {sr(true, "list", "--day", "{day}"), sr(true, "list", "--day", "{day}", "--week"), sr(false, "usage", "--from", "{day}", "--to", "{day}", "--out", "{out.xlsx}"), sr(false, "add", "--space", "{space}", "--day", "{day}", "--from", "10:00", "--to", "11:00", "--id-number", "{B.id}")},
	"activity": {sr(false, "list"), sr(true, "show", "--id", "{activity}"), sr(true, "export", "--id", "{activity}", "--out", "{out.xlsx}"), sr(false, "signup", "--id", "{activity}", "--id-number", "{B.id}")},
	"coupon":   {sr(false, "batches"), sr(true, "export", "--batch", "{batch}", "--out", "{out.xlsx}"), sr(false, "issue", "--batch", "{batch}", "--id-number", "{B.id}"), sr(false, "merchants")},
	"export":   {sr(true, "residents", "--out", "{out.xlsx}")},
	"audit":    {trail("list"), trail("list", "--json", "--limit", "0"), trail("list", "--xlsx", "{out.xlsx}")},
	"account":  {sr(false, "list")},
}

// surfaceSilent are the commands that show no resident's personal data,
// and why.
var surfaceSilent = map[string]string{
	"init":       "makes a database and its first account",
	"demo":       "makes demo data and says how many",
	"area":       "adds areas (the place tree holds no personal data)",
	"template":   "writes a blank ledger",
	"completion": "prints the shell completion scripts",
	"check":      "says whether the file and the audit chain are whole",
	"settings":   "shows and changes settings",
	"backup":     "writes an encrypted copy, sealed with a passphrase",
	"restore":    "replaces the database with a checked backup",
	"serve":      "runs the sync server; its pulls are tested in app/replica",
	"sync":       "runs a sync round and says its counts",
	"devices":    "lists a server's enrolled desktops (accounts and machine names)",
	"version":    "prints the version",
}

// surfaceRole is an account the outputs are read as, and whose personal
// data it may see (none of them may reveal full numbers); a keeper of
// records (not a 领导, who reads only) is expected to reach A.
type surfaceRole struct {
	user         string
	seesA, seesB bool
	keeps        bool
}

// TestEverySurfaceKeepsToScopeAndMasks runs every listing, look-up,
// export and report of the command line as each kind of account and reads
// all it prints and writes: a grid worker never meets the other grid's
// resident (name, ID number, phone, even masked), an administrator
// without the personal-data view meets nobody, and without the reveal
// permission no full ID number or phone appears. Commands are enumerated
// from the command table (the help), so a new one fails here until it is
// listed above.
func TestEverySurfaceKeepsToScopeAndMasks(t *testing.T) {
	e := newEnv(t)
	e.vars["SHEQU_NEW_PASSWORD"] = password
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	w := plantSurfaces(t, db, dir)

	// The command table: every command is covered or said to show nothing.
	help := e.run(t, "help")
	names := regexp.MustCompile(`(?m)^  shequ ([a-z-]+) `).FindAllStringSubmatch(help.stdout, -1)
	if len(names) < 20 {
		t.Fatalf("the help lists %d commands:\n%s", len(names), help.stdout)
	}
	var commands []string
	for _, m := range names {
		commands = append(commands, m[1])
		_, listed := surfaceRuns[m[1]]
		if _, silent := surfaceSilent[m[1]]; !listed && !silent {
			t.Errorf("command %q is neither in surfaceRuns nor in surfaceSilent: say what it shows", m[1])
		}
	}
	for name := range surfaceRuns {
		if !slices.Contains(commands, name) {
			t.Errorf("surfaceRuns names %q, which is no command", name)
		}
	}

	roles := []surfaceRole{
		{"boss", true, true, true},     // administrator with the personal-data view
		{"keeper", false, false, true}, // administrator without it
		{"grida", true, false, true},   // grid worker of grid A
		{"leader", true, true, false},  // 领导 of the community
	}
	reached := map[string]bool{}
	for _, role := range roles {
		for _, name := range commands {
			for i, r := range surfaceRuns[name] {
				args, inputs := w.expand(t, r.args)
				out := filepath.Join(dir, "out")
				os.RemoveAll(out)
				if err := os.Mkdir(out, 0o700); err != nil {
					t.Fatal(err)
				}
				for j := range args {
					args[j] = strings.ReplaceAll(args[j], "{outdir}", out)
				}
				full := append([]string{name}, args...)
				full = append(full, "--db", db, "--user", role.user)
				res := e.run(t, full...)
				text := res.stdout + "\n" + res.stderr + "\n" + filesText(t, out)
				what := fmt.Sprintf("%s: shequ %s", role.user, strings.Join(full, " "))
				for _, bad := range w.forbidden(role, inputs, r.trail) {
					if strings.Contains(text, bad) {
						t.Errorf("%s shows %q\n%s", what, bad, excerpt(text, bad))
					}
				}
				if r.shows && role.seesA && role.keeps {
					if !strings.Contains(text, w.a.name) {
						t.Errorf("%s does not show the resident it may see (exit %d):\n%s", what, res.code, strings.TrimSpace(res.stdout+res.stderr))
					}
					reached[fmt.Sprintf("%s/%d", name, i)] = true
				}
			}
		}
	}
	if len(reached) == 0 {
		t.Fatal("no surface showed anyone")
	}
}

// surfaceWorld is the planted database.
type surfaceWorld struct {
	a, b  surfacePerson
	vars  map[string]string // placeholders' values
	files map[string]string // input placeholders' files
}

// plantSurfaces makes a demo district of two grids with A in the first and
// B in the second, each in every kind of record (visit, booking, activity,
// coupon, appeal, work log, vaccination and appointment, tag), the
// accounts, and the input files.
func plantSurfaces(t *testing.T, db, dir string) *surfaceWorld {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := app.New(st, nil, app.WithTestPasswords())
	boss, err := a.Init(ctx, "admin", password, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Demo(ctx, boss, 2000, 4, nil); err != nil {
		t.Fatal(err)
	}
	areas, err := st.Areas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var grids []model.Area
	var comm model.Area
	for _, ar := range areas {
		if ar.Level == model.LevelGrid {
			grids = append(grids, ar)
		}
	}
	for _, ar := range areas {
		if ar.ID == grids[0].ParentID {
			comm = ar
		}
	}
	if len(grids) < 2 || grids[1].ParentID != comm.ID {
		t.Fatalf("the demo has %d grids", len(grids))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	account := func(in app.AccountInput) {
		in.Password, in.CanExport = password, true
		_, err := a.CreateAccount(ctx, boss, in)
		must(err)
	}
	account(app.AccountInput{Username: "boss", Role: model.RoleAdmin, PersonalData: true})
	account(app.AccountInput{Username: "keeper", Role: model.RoleAdmin})
	account(app.AccountInput{Username: "grida", Role: model.RoleGrid, Areas: []int64{grids[0].ID}})
	account(app.AccountInput{Username: "leader", Role: model.RoleLeader, Areas: []int64{comm.ID}})
	if boss, err = a.Login(ctx, "boss", password); err != nil {
		t.Fatal(err)
	}
	list, err := a.Residents(ctx, boss, app.ListFilter{})
	must(err)
	rows, err := list.Page(ctx, nil, 3000, false)
	must(err)
	home := map[int64]model.ResidentRow{}
	for _, r := range rows {
		if _, ok := home[r.GridID]; !ok && r.Address.HouseID != 0 {
			home[r.GridID] = r
		}
	}
	w := &surfaceWorld{files: map[string]string{}}
	day := a.Now().AddDate(0, 0, 1).Format("2006-01-02")
	plant := func(p *surfacePerson, grid model.Area, birth time.Time, seq int) {
		h := home[grid.ID]
		p.id = idnumber.Synthesize("110101", birth, seq, idnumber.Male)
		p.resident, err = a.SaveResident(ctx, boss, app.ResidentInput{Name: p.name, IDNumber: p.id, Phone: p.phone, HouseID: h.Address.HouseID,
			Relation: model.RelOther})
		must(err)
		c, err := a.CompoundByName(ctx, boss, 0, h.Address.Compound)
		must(err)
		_, err = a.RegisterVisit(ctx, boss, app.VisitInput{CompoundID: c, House: app.HouseText(h.Address), Name: p.name, IDNumber: p.id,
			Phone: p.phone, Reason: "探亲"})
		must(err)
		_, err = a.TakeAppeal(ctx, boss, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生", Content: "楼道堆物",
			ReporterIDNumber: p.id, HouseID: h.Address.HouseID})
		must(err)
		_, err = a.AddWorkLog(ctx, boss, app.WorkLogInput{Kind: model.WorkVisit, Content: "入户走访", ResidentIDs: []int64{p.resident}})
		must(err)
		must(a.AddVaccination(ctx, boss, app.VaccinationInput{IDNumber: p.id, Vaccine: "流感疫苗", Dose: "1", Day: "2026-10-01"}))
		_, err = a.AddAppointment(ctx, boss, app.AppointmentInput{IDNumber: p.id, Vaccine: "流感疫苗", Dose: "2", Day: day})
		must(err)
	}
	w.a = surfacePerson{name: "闻人甲琛", phone: "19900427001"}
	w.b = surfacePerson{name: "闻人乙琛", phone: "19900427002"}
	plant(&w.a, grids[0], time.Date(1951, 2, 3, 0, 0, 0, 0, time.UTC), 11)
	plant(&w.b, grids[1], time.Date(1952, 4, 5, 0, 0, 0, 0, time.UTC), 13)

	tags, err := a.Tags(ctx, boss)
	must(err)
	tag := int64(0)
	for _, tg := range tags {
		if tg.Name == "志愿者" {
			tag = tg.ID
		}
	}
	if tag == 0 {
		tag, err = a.CreateTag(ctx, boss, model.Tag{Category: "志愿者", Name: "志愿者"})
		must(err)
	}
	must(a.SetTag(ctx, boss, w.a.resident, tag, true))
	must(a.SetTag(ctx, boss, w.b.resident, tag, true))
	must(a.SaveCohort(ctx, boss, "老人", app.CohortFilter{Ages: "60-"}))

	space, err := a.AddSpace(ctx, boss, app.SpaceInput{AreaID: comm.ID, Name: "议事厅", Capacity: "30", Opens: "8:00", Closes: "21:00"})
	must(err)
	for i, p := range []surfacePerson{w.a, w.b} {
		_, err := a.BookSpace(ctx, boss, app.BookingInput{SpaceID: space, Day: day, From: fmt.Sprintf("%d:00", 14+i), To: fmt.Sprintf("%d:00", 15+i),
			IDNumber: p.id, Purpose: "排练"})
		must(err)
	}
	act, err := a.AddActivity(ctx, boss, app.ActivityInput{AreaID: comm.ID, Name: "健康讲座", Day: day, From: "9:00", To: "10:00", Place: "广场",
		Capacity: "20"})
	must(err)
	m, err := a.AddMerchant(ctx, boss, app.MerchantInput{AreaID: comm.ID, Name: "便民超市", Contact: "王店长", Phone: "13800009999"})
	must(err)
	batch, err := a.AddBatch(ctx, boss, app.BatchInput{MerchantID: m, Name: "满减券", Value: "20", From: a.Now().Format("2006-01-02"),
		To: day, Quota: "10"})
	must(err)
	for _, p := range []surfacePerson{w.a, w.b} {
		_, err := a.SignUp(ctx, boss, act, app.ByNumber(p.id))
		must(err)
		_, err = a.IssueCoupon(ctx, boss, batch, app.ByNumber(p.id))
		must(err)
		// Searches for their numbers, in the audit trail.
		for _, s := range []string{p.id, p.phone} {
			_, err := a.Residents(ctx, boss, app.ListFilter{Search: s})
			must(err)
			must(a.RecordList(ctx, boss, app.ListFilter{Search: s}, 1))
		}
	}

	w.vars = map[string]string{"{A.id}": w.a.id, "{B.id}": w.b.id, "{A.phone}": w.a.phone, "{B.phone}": w.b.phone, "{A.name}": w.a.name,
		"{B.name}": w.b.name, "{day}": day, "{month}": a.Now().Format("2006-01"), "{activity}": fmt.Sprint(act), "{batch}": fmt.Sprint(batch),
		"{space}": "议事厅", "{appeal}": "1", "{gridB}": grids[1].Name}
	xlsx := func(name string, rows ...[]any) {
		path := filepath.Join(dir, name+".xlsx")
		f := excelize.NewFile()
		for i, r := range rows {
			must(f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r))
		}
		must(f.SaveAs(path))
		f.Close()
		w.files["{"+name+"}"] = path
	}
	// Lists as they come from outside: the numbers only, names of their own.
	xlsx("match", []any{"姓名", "证件号码"}, []any{"某甲", w.a.id}, []any{"某乙", w.b.id})
	xlsx("form", []any{"姓名", "公民身份号码", "联系电话", "住址"})
	xlsx("ledger", []any{"姓名", "公民身份号码", "联系电话", "小区", "楼栋", "单元", "房号"},
		[]any{"某乙", w.b.id, "", home[grids[1].ID].Address.Compound, home[grids[1].ID].Address.Building, home[grids[1].ID].Address.Unit, home[grids[1].ID].Address.Room})
	xlsx("doses", []any{"身份证号", "剂次", "接种日期"}, []any{w.a.id, "第2剂", "2026-10-20"}, []any{w.b.id, "第2剂", "2026-10-20"})
	xlsx("visits", []any{"来访时间", "姓名", "公民身份号码", "小区"}, []any{"2026-11-01 09:00", "某乙", w.b.id, home[grids[1].ID].Address.Compound})
	return w
}

// expand fills an invocation's placeholders; inputs are the words and the
// input files' cells it carries (what the user gave, which it may echo).
func (w *surfaceWorld) expand(t *testing.T, args []string) (out []string, inputs string) {
	t.Helper()
	var given []string
	for _, arg := range args {
		for k, v := range w.vars {
			arg = strings.ReplaceAll(arg, k, v)
		}
		if f, ok := w.files[arg]; ok {
			arg = f
			given = append(given, filesText(t, f))
		}
		if ext, ok := strings.CutPrefix(arg, "{out"); ok {
			arg = filepath.Join("{outdir}", "out"+strings.TrimSuffix(ext, "}"))
		}
		out = append(out, arg)
		given = append(given, arg)
	}
	return out, strings.Join(given, "\n")
}

// forbidden is what role must not meet, less what the invocation's own
// input carried; in the audit trail numbers show masked.
func (w *surfaceWorld) forbidden(role surfaceRole, inputs string, trail bool) []string {
	var bad []string
	add := func(ss ...string) {
		for _, s := range ss {
			if !strings.Contains(inputs, s) {
				bad = append(bad, s)
			}
		}
	}
	for _, p := range []surfacePerson{w.a, w.b} {
		add(p.id, p.phone) // nobody may reveal
	}
	for _, c := range []struct {
		p    surfacePerson
		sees bool
	}{{w.a, role.seesA}, {w.b, role.seesB}} {
		if !c.sees {
			add(c.p.name)
			if !trail {
				add(app.MaskPhone(c.p.phone))
			}
			if !trail && !strings.Contains(inputs, c.p.id) {
				add(app.MaskIDNumber(c.p.id))
			}
		}
	}
	return bad
}

// filesText is the text of the files under path (a file or a folder):
// every cell of a workbook, any other file as it is.
func filesText(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(path, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".xlsx") {
			f, err := excelize.OpenFile(p)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return nil
			}
			defer f.Close()
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					b.WriteString(strings.Join(r, "\t") + "\n")
				}
			}
			props, _ := f.GetDocProps()
			if props != nil {
				b.WriteString(props.Title + " " + props.Subject + " " + props.Description + "\n")
			}
			return nil
		}
		raw, _ := os.ReadFile(p)
		b.Write(raw)
		return nil
	})
	return b.String()
}

// excerpt is the line of text around s.
func excerpt(text, s string) string {
	i := strings.Index(text, s)
	from := strings.LastIndexByte(text[:i], '\n') + 1
	to := strings.IndexByte(text[i:], '\n')
	if to < 0 {
		to = len(text) - i
	}
	return text[from : i+to]
}
