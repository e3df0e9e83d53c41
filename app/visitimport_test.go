package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
)

// gate is a grid worker who may export and reveal, a compound of the
// grid with one of its houses, and a stranger's ID number.
type gate struct {
	ta       *testApp
	actor    *app.Actor
	compound model.Compound
	home     model.Address
	house    string // the home as a log writes it: 3栋2单元501
	stranger string
}

func newGate(t *testing.T) *gate {
	t.Helper()
	return gateOf(t, newDemoApp(t, 2000, 5))
}

func gateOf(t *testing.T, ta *testApp) *gate {
	t.Helper()
	ctx := context.Background()
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "guard", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{ta.grids(t)[0].ID}, CanExport: true, CanReveal: true}); err != nil {
		t.Fatal(err)
	}
	actor, err := ta.Login(ctx, "guard", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{ta: ta, actor: actor,
		stranger: idnumber.Synthesize("330106", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 7, idnumber.Female)}
	for _, r := range ta.rows(t, actor, app.ListFilter{}) {
		if r.Address.HouseID != 0 {
			g.home = r.Address
			break
		}
	}
	compounds, err := ta.Compounds(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range compounds {
		if c.Name == g.home.Compound {
			g.compound = c
		}
	}
	g.house = app.HouseText(g.home)
	return g
}

// writeLog writes rows (from A1) into a sheet of a new workbook.
func writeLog(t *testing.T, sheet string, rows ...[]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "到访登记.xlsx")
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// visitsOf lists every visit the actor sees, newest first.
func visitsOf(t *testing.T, ta *testApp, actor *app.Actor) []model.Visit {
	t.Helper()
	list, _, err := ta.Visits(context.Background(), actor, app.VisitFilter{}, nil, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// visitProblems lists an import's problems as "E 7 id_number err.id.checksum".
func visitProblems(res *app.VisitImportResult) []string {
	var out []string
	for _, p := range res.Problems {
		level := "W"
		if p.Error {
			level = "E"
		}
		out = append(out, fmt.Sprintf("%s %d %s %s", level, p.Row, p.Field, p.Key))
	}
	return out
}

// TestVisitImportReadsAMessyLog: a gate's log as offices keep it (a title
// above the header, headers of their own, spaces and full-width digits,
// Excel date-times, a time out of the day alone, blank numbered lines)
// is read by meaning and imported.
func TestVisitImportReadsAMessyLog(t *testing.T) {
	t.Parallel()
	g := newGate(t)
	ctx := context.Background()
	c := g.compound.Name
	dashed := fmt.Sprintf("%s-%s-%s", g.home.Building, g.home.Unit, g.home.Room)
	path := writeLog(t, "门岗登记",
		[]any{c + "门岗来访登记表"},
		[]any{},
		[]any{"序号", " 来访人 ", "身份证号（18位）", "手机号", "小区名称", "被访房屋", "来访事由", "体温", "进入时间", "离开"},
		[]any{1, "张 三", g.stranger, "138 0013 8000", c, g.house, "探亲", "36.5", "2026/11/29 8:30", "2026-11-29 10:00"},
		[]any{2, "李四", "", "", c, "", "送快递", "正常", time.Date(2026, 11, 29, 9, 5, 0, 0, time.UTC), "9:30"},
		[]any{3, "王五", "/", "无", c, dashed, "维修", "", "2026年11月29日 14时05分", ""},
		[]any{4, "赵六", "", "", "  " + c + "小区 ", "", "", "", "２０２６／１１／２９　１１：２０", ""},
		[]any{5},
		[]any{6},
		[]any{"合计：4人"},
	)
	sheets, err := g.ta.InspectVisits(ctx, g.actor, path)
	if err != nil {
		t.Fatal(err)
	}
	s := sheets[0]
	want := []app.LedgerField{app.FieldSeq, app.FieldName, app.FieldIDNumber, app.FieldPhone, app.FieldCompound, app.FieldVisitedHouse,
		app.FieldVisitReason, app.FieldHealth, app.FieldTimeIn, app.FieldTimeOut}
	if s.HeaderRow != 3 || !slices.Equal(s.Fields, want) {
		t.Fatalf("header row %d, fields %v", s.HeaderRow, s.Fields)
	}
	if s.Preview[1][8] != "2026-11-29 09:05" {
		t.Errorf("an Excel date-time previewed as %q", s.Preview[1][8])
	}
	res, err := g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() || res.Rows != 4 || res.Imported != 4 || len(res.Problems) != 0 {
		t.Fatalf("%+v %v", res, visitProblems(res))
	}
	got := map[string]model.Visit{}
	for _, v := range visitsOf(t, g.ta, g.actor) {
		got[v.Name] = v
	}
	if v := got["张三"]; v.TimeIn != "2026-11-29 08:30" || v.TimeOut != "2026-11-29 10:00" || v.IDNumber != g.stranger ||
		v.Phone != "13800138000" || v.HouseID != g.home.HouseID || v.Reason != "探亲" || v.Health != "36.5" {
		t.Errorf("张三: %+v", v)
	}
	if v := got["李四"]; v.TimeIn != "2026-11-29 09:05" || v.TimeOut != "2026-11-29 09:30" || v.HouseID != 0 || v.CompoundID != g.compound.ID {
		t.Errorf("李四: %+v", v)
	}
	if v := got["王五"]; v.TimeIn != "2026-11-29 14:05" || v.IDNumber != "" || v.Phone != "" || v.HouseID != g.home.HouseID {
		t.Errorf("王五: %+v", v)
	}
	if v := got["赵六"]; v.TimeIn != "2026-11-29 11:20" {
		t.Errorf("赵六: %+v", v)
	}
	log, err := g.ta.AuditLog(ctx, g.ta.admin, model.AuditFilter{Action: app.AuditVisitImport}, 5)
	if err != nil || len(log) != 1 || log[0].Account != "guard" || log[0].Target != "到访登记.xlsx" {
		t.Errorf("audit: %+v (%v)", log, err)
	}
}

// TestVisitImportDayAndTimeColumns: a log with the day in one column and
// the times of day in others (text or Excel times), of one compound
// chosen for a log without a compound column.
func TestVisitImportDayAndTimeColumns(t *testing.T) {
	t.Parallel()
	g := newGate(t)
	ctx := context.Background()
	path := writeLog(t, "十一月",
		[]any{"日期", "时间", "姓名", "离开时间", "事由"},
		[]any{"2026-11-30", "08:15", "钱七", "09:00", "访友"},
		[]any{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 0.375, "孙八", 0.5, ""},
	)
	if _, err := g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{}); problemKeys(t, err)["mapping"] != "err.visit.no_compound_column" {
		t.Fatalf("no compound column and none chosen: %v", err)
	}
	res, err := g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{CompoundID: g.compound.ID})
	if err != nil || res.Imported != 2 {
		t.Fatalf("%+v %v (%v)", res, visitProblems(res), err)
	}
	got := visitsOf(t, g.ta, g.actor)
	if len(got) != 2 || got[0].Name != "孙八" || got[0].TimeIn != "2026-12-01 09:00" || got[0].TimeOut != "2026-12-01 12:00" ||
		got[1].TimeIn != "2026-11-30 08:15" || got[1].TimeOut != "2026-11-30 09:00" || got[1].CompoundID != g.compound.ID {
		t.Fatalf("%+v", got)
	}
}

// TestVisitImportNamesEveryProblem: one wrong row and nothing is
// imported; every wrong cell is named by its row as Excel shows it and
// its field.
func TestVisitImportNamesEveryProblem(t *testing.T) {
	t.Parallel()
	g := newGate(t)
	ctx := context.Background()
	// A compound the guard's grid has no house in.
	elsewhere := "新建花园"
	if _, err := g.ta.st.CreateCompound(ctx, noEntry, g.ta.admin.Account.ID, model.Compound{CommunityID: g.compound.CommunityID, Name: elsewhere}); err != nil {
		t.Fatal(err)
	}
	bad := g.stranger[:17] + "0" // a check character that is not its own
	if bad == g.stranger {
		bad = g.stranger[:17] + "1"
	}
	c := g.compound.Name
	path := writeLog(t, "Sheet1",
		[]any{"来访时间", "离开时间", "姓名", "公民身份号码", "联系电话", "小区", "到访房屋"},
		[]any{"2026-11-29 08:00", "", "甲", "", "", c, g.house},                         // 2
		[]any{"2026-11-29 08:10", "", "乙", "", "", c, ""},                              // 3
		[]any{"2026-11-29 08:20", "", "丙", "", "", "不存在的小区", ""},                       // 4
		[]any{"2026-11-29 08:30", "2026-11-29 08:00", "丁", "", "", c, ""},              // 5
		[]any{"2026-11-29 08:40", "", "", "", "", c, ""},                               // 6
		[]any{"2026-11-29 08:50", "", "戊", bad, "", c, ""},                             // 7
		[]any{"昨天上午", "", "己", "", "", c, ""},                                          // 8
		[]any{"2026-11-29 09:10", "", "庚", "", "", c, "99栋9单元9999"},                    // 9
		[]any{"2026-11-29 09:20", "", "辛", "3301**********0079", "138****8000", c, ""}, // 10
		[]any{"9:30", "", "壬", "", "", c, ""},                                          // 11
		[]any{"2026-11-29 09:40", "", "癸", "", "12345", c, ""},                         // 12
		[]any{"", "", "子", "", "", c, ""},                                              // 13
		[]any{"2026-11-29 10:00", "", "丑", "", "", elsewhere, ""},                      // 14
	)
	res, err := g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"E 4 compound err.compound.unknown",
		"E 5 time_out err.visit.out_before_in",
		"E 6 name err.name.required",
		"E 7 id_number err.id.checksum",
		"E 8 time_in err.visit.time",
		"E 9 visited_house err.visit.house",
		"E 10 id_number err.ledger.id_masked",
		"E 10 phone err.visit.phone_masked",
		"E 11 time_in err.visit.time_no_day",
		"E 12 phone err.phone.invalid",
		"E 13 time_in err.visit.no_time",
		"E 14 compound err.compound.unknown",
	}
	if got := visitProblems(res); !res.Failed() || !slices.Equal(got, want) {
		t.Fatalf("problems:\n%q\nwant\n%q", got, want)
	}
	if p := res.Problems[0]; p.Sheet != "Sheet1" || p.Data["Name"] != "不存在的小区" {
		t.Errorf("the unknown compound: %+v", p)
	}
	if res.Imported != 0 || len(visitsOf(t, g.ta, g.actor)) != 0 {
		t.Fatalf("a file with errors imported %d", res.Imported)
	}
	// A mapping without the name or the time refuses before any row.
	sheets, err := g.ta.InspectVisits(ctx, g.actor, path)
	if err != nil {
		t.Fatal(err)
	}
	sheets[0].Fields[0], sheets[0].Fields[2] = app.FieldNone, app.FieldNone
	_, err = g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{Sheets: sheets})
	var ps app.Problems
	if !errors.As(err, &ps) || len(ps) != 2 || ps[0].Key != "err.ledger.no_name_column" || ps[1].Key != "err.visit.no_time_column" {
		t.Fatalf("mapping problems: %v", err)
	}
}

// TestVisitImportSkipsDuplicates: a visit registered before, or twice in
// the file, is imported once and counted; importing a file again adds
// nothing.
func TestVisitImportSkipsDuplicates(t *testing.T) {
	t.Parallel()
	g := newGate(t)
	ctx := context.Background()
	c := g.compound.Name
	other := idnumber.Synthesize("330106", time.Date(1970, 5, 6, 0, 0, 0, 0, time.UTC), 3, idnumber.Male)
	for _, in := range []app.VisitInput{
		{Name: "来访人", IDNumber: g.stranger, TimeIn: "2026-11-29 08:30"},
		{Name: "老王", TimeIn: "2026-11-29 10:00"},
	} {
		in.CompoundID = g.compound.ID
		if _, err := g.ta.RegisterVisit(ctx, g.actor, in); err != nil {
			t.Fatal(err)
		}
	}
	rows := [][]any{
		{"到访时间", "来访人", "身份证号", "小区"},
		{"2026-11-29 08:30", "来访人", g.stranger, c}, // 2: registered before
		{"2026-11-29 09:00", "快递员", "", c},         // 3
		{"2026-11-29 09:00", "快递员", "", c},         // 4: row 3 again
		{"2026-11-29 10:00", "老王", other, c},       // 5: registered before without the number
		{"2026-11-29 08:30", "来访人", "", c},         // 6: row 2 without the number
		{"2026-11-29 08:30", "来访人", other, c},      // 7: someone else of the same name
	}
	res, err := g.ta.ImportVisits(ctx, g.actor, writeLog(t, "Sheet1", append(rows, []any{"2026-11-29 09:00", "快递员", "", c + "x"})...),
		app.VisitImport{})
	if err != nil || !res.Failed() || res.Imported != 0 || len(visitsOf(t, g.ta, g.actor)) != 2 {
		t.Fatalf("with an error: %+v (%v)", res, err)
	}
	path := writeLog(t, "Sheet1", rows...)
	res, err = g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{DryRun: true})
	if err != nil || res.Failed() || res.Imported != 2 || res.Existing != 2 || res.Repeated != 2 || len(visitsOf(t, g.ta, g.actor)) != 2 {
		t.Fatalf("dry run: %+v %v (%v)", res, visitProblems(res), err)
	}
	res, err = g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{})
	if err != nil || res.Imported != 2 || res.Existing != 2 || res.Repeated != 2 {
		t.Fatalf("import: %+v (%v)", res, err)
	}
	if got := visitProblems(res); !slices.Equal(got, []string{"W 4  warn.visit.twice", "W 6  warn.visit.twice"}) ||
		res.Problems[0].Data["Row"] != 3 || res.Problems[1].Data["Row"] != 2 {
		t.Errorf("problems %q %+v", got, res.Problems)
	}
	if n := len(visitsOf(t, g.ta, g.actor)); n != 4 {
		t.Fatalf("%d visits, want 4", n)
	}
	res, err = g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{})
	if err != nil || res.Imported != 0 || res.Existing != 4 || res.Repeated != 2 || len(visitsOf(t, g.ta, g.actor)) != 4 {
		t.Fatalf("again: %+v (%v)", res, err)
	}
}

// TestVisitExportImportsBackUnchanged: the visits export, read into a
// fresh database of the same district, gives the same visits; a masked
// export says why it cannot be read back.
func TestVisitExportImportsBackUnchanged(t *testing.T) {
	t.Parallel()
	from := newGate(t)
	ctx := context.Background()
	for _, in := range []app.VisitInput{
		{House: from.house, Name: "来访人", IDNumber: from.stranger, Phone: "13800138000", Reason: "探亲", Health: "正常", TimeIn: "2026-11-28 09:15"},
		{Name: "快递员", Reason: "送货", TimeIn: "2026-11-28 10:00"},
		{Name: "-维修工", Phone: "028-87654321", Reason: "=修水管", Health: "36.8", TimeIn: "2026-11-29 14:30"},
	} {
		in.CompoundID = from.compound.ID
		if _, err := from.ta.RegisterVisit(ctx, from.actor, in); err != nil {
			t.Fatal(err)
		}
	}
	list := visitsOf(t, from.ta, from.actor)
	if err := from.ta.LeaveVisit(ctx, from.actor, list[2].ID, "2026-11-28 11:00"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "到访导出.xlsx")
	if _, err := from.ta.ExportVisits(ctx, from.actor, app.VisitFilter{}, out, true, "迁移到新电脑"); err != nil {
		t.Fatal(err)
	}
	to := gateOf(t, newDemoApp(t, 2000, 5))
	res, err := to.ta.ImportVisits(ctx, to.actor, out, app.VisitImport{})
	if err != nil || res.Failed() || res.Imported != 3 {
		t.Fatalf("%+v %v (%v)", res, visitProblems(res), err)
	}
	strip := func(list []model.Visit) []model.Visit {
		for i := range list {
			list[i].ID = 0
		}
		return list
	}
	want, got := strip(visitsOf(t, from.ta, from.actor)), strip(visitsOf(t, to.ta, to.actor))
	if !slices.Equal(got, want) {
		t.Fatalf("read back:\n%+v\nwant\n%+v", got, want)
	}
	masked := filepath.Join(t.TempDir(), "打码.xlsx")
	if _, err := from.ta.ExportVisits(ctx, from.actor, app.VisitFilter{}, masked, false, ""); err != nil {
		t.Fatal(err)
	}
	res, err = to.ta.ImportVisits(ctx, to.actor, masked, app.VisitImport{})
	if err != nil || !res.Failed() || !slices.Contains(visitProblems(res), "E 5 id_number err.ledger.id_masked") {
		t.Fatalf("masked: %v (%v)", visitProblems(res), err)
	}
}

// TestVisitImportAccess: a 领导 reads only; a compound chosen for the
// log must be one the account sees.
func TestVisitImportAccess(t *testing.T) {
	t.Parallel()
	g := newGate(t)
	ctx := context.Background()
	path := writeLog(t, "Sheet1", []any{"来访时间", "姓名"}, []any{"2026-11-29 08:00", "甲"})
	community := g.ta.grids(t)[0].ParentID
	if _, err := g.ta.CreateAccount(ctx, g.ta.admin, app.AccountInput{Username: "lead", Password: adminPassword, Role: model.RoleLeader,
		Areas: []int64{community}}); err != nil {
		t.Fatal(err)
	}
	lead, err := g.ta.Login(ctx, "lead", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.ta.ImportVisits(ctx, lead, path, app.VisitImport{CompoundID: g.compound.ID}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a leader imported: %v", err)
	}
	if _, err := g.ta.ImportVisits(ctx, g.actor, path, app.VisitImport{CompoundID: -1}); problemKeys(t, err)["compound"] != "err.visit.compound" {
		t.Errorf("a compound not seen: %v", err)
	}
}

// BenchmarkVisitImport reads a gate's log of 100,000 visits (SHEQU_BENCH_VISITS
// sets how many) into the district's bench database: half to a house,
// half with an ID number, over the district's compounds. Each import's
// visits are removed again after it.
//
//	go test ./app -run '^$' -bench VisitImport -benchtime 1x -count 5
func BenchmarkVisitImport(b *testing.B) {
	a, actor, _ := benchApp(b)
	ctx := context.Background()
	n := 100_000
	if s := os.Getenv("SHEQU_BENCH_VISITS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db, err := sql.Open("sqlite", "file:"+a.DBPath())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	clear := func() {
		if _, err := db.Exec("DELETE FROM visit WHERE time_in >= '2031-01-01' AND name LIKE '导入访客%'"); err != nil {
			b.Fatal(err)
		}
	}
	clear()
	path := filepath.Join(b.TempDir(), "门岗登记.xlsx")
	if err := writeBenchLog(ctx, a, actor, db, path, n); err != nil {
		b.Fatal(err)
	}
	var res *app.VisitImportResult
	for b.Loop() {
		b.StopTimer()
		clear()
		b.StartTimer()
		if res, err = a.ImportVisits(ctx, actor, path, app.VisitImport{}); err != nil {
			b.Fatal(err)
		}
		if res.Failed() || res.Imported != n {
			b.Fatalf("%d imported, problems %v", res.Imported, visitProblems(res)[:min(5, len(res.Problems))])
		}
	}
	b.StopTimer()
	clear()
	b.ReportMetric(float64(res.Imported), "visits")
}

// writeBenchLog writes a log of n visits to the houses of the compounds
// whose names are the district's only ones of that name.
func writeBenchLog(ctx context.Context, a *app.App, actor *app.Actor, db *sql.DB, path string, n int) error {
	compounds, err := a.Compounds(ctx, actor)
	if err != nil {
		return err
	}
	named := map[string]int{}
	for _, c := range compounds {
		named[c.Name]++
	}
	rows, err := db.Query(`SELECT c.name, b.name, u.name, h.room FROM house h JOIN unit u ON u.id = h.unit_id
		JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id ORDER BY h.id`)
	if err != nil {
		return err
	}
	var houses [][4]string
	for rows.Next() {
		var h [4]string
		if err := rows.Scan(&h[0], &h[1], &h[2], &h[3]); err != nil {
			rows.Close()
			return err
		}
		if named[h[0]] == 1 {
			houses = append(houses, h)
		}
	}
	rows.Close()
	if len(houses) == 0 {
		return errors.New("no compound of a name of its own")
	}
	w, err := xlsxwrite.Create(path, []xlsxwrite.Column{{Header: "序号"}, {Header: "来访时间"}, {Header: "离开时间"}, {Header: "来访人"},
		{Header: "身份证号"}, {Header: "手机号"}, {Header: "小区名称"}, {Header: "被访房屋"}, {Header: "事由"}, {Header: "体温"}},
		xlsxwrite.Options{Sheet: "门岗登记", Rows: n})
	if err != nil {
		return err
	}
	start := time.Date(2031, 1, 1, 0, 0, 0, 0, time.Local)
	for i := range n {
		h := houses[i*7919%len(houses)]
		in := start.Add(time.Duration(i) * time.Minute)
		id, house := "", ""
		if i%2 == 0 {
			id = idnumber.Synthesize("330106", time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i%1000, idnumber.Male)
			house = app.HouseText(model.Address{Building: h[1], Unit: h[2], Room: h[3]})
		}
		err := w.Row([]string{strconv.Itoa(i + 1), in.Format("2006-01-02 15:04"), in.Add(40 * time.Minute).Format("2006-01-02 15:04"),
			fmt.Sprintf("导入访客%d", i), id, fmt.Sprintf("139%08d", i), h[0], house, "探亲", "36.5"})
		if err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
