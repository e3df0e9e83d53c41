package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// ledgerApp is a fresh database with one street, one community and two
// grids, and a community worker who may export and reveal.
type ledgerApp struct {
	*testApp
	grid1, grid2, community int64
	worker                  *app.Actor
}

func newLedgerApp(t *testing.T) *ledgerApp {
	t.Helper()
	ctx := context.Background()
	ta := newApp(t)
	la := &ledgerApp{testApp: ta}
	street, err := ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{Level: model.LevelStreet, Name: "德源街道"})
	if err != nil {
		t.Fatal(err)
	}
	if la.community, err = ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{ParentID: street, Level: model.LevelCommunity, Name: "红旗社区"}); err != nil {
		t.Fatal(err)
	}
	if la.grid1, err = ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{ParentID: la.community, Level: model.LevelGrid, Name: "第1网格"}); err != nil {
		t.Fatal(err)
	}
	if la.grid2, err = ta.st.CreateArea(ctx, noEntry, ta.admin.Account.ID, model.Area{ParentID: la.community, Level: model.LevelGrid, Name: "第2网格"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "wang", Password: adminPassword, Role: model.RoleWorker,
		Areas: []int64{la.community}, CanReveal: true, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	if la.worker, err = ta.Login(ctx, "wang", adminPassword); err != nil {
		t.Fatal(err)
	}
	return la
}

// id makes a valid ID number born on a day.
func id(t *testing.T, birth string, seq int, sex idnumber.Sex) string {
	t.Helper()
	d, err := time.Parse("2006-01-02", birth)
	if err != nil {
		t.Fatal(err)
	}
	return idnumber.Synthesize("510104", d, seq, sex)
}

// writeBook writes sheets of rows (nil cells are left empty) and applies
// extra edits (merges, typed cells) before saving.
func writeBook(t *testing.T, path string, sheets []string, rows map[string][][]any, edit func(f *excelize.File)) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func problemList(res *app.ImportResult) []string {
	var out []string
	for _, p := range res.Problems {
		level := "W"
		if p.Error {
			level = "E"
		}
		out = append(out, fmt.Sprintf("%s %s:%d %s %s", level, p.Sheet, p.Row, p.Field, p.Key))
	}
	sort.Strings(out)
	return out
}

// TestImportMessyLedger imports a ledger as offices keep them and checks
// exactly what was imported and exactly what the report says.
func TestImportMessyLedger(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	zhang, li := id(t, "1980-01-02", 1, idnumber.Male), id(t, "1982-05-06", 2, idnumber.Female)
	for seq := 3; !strings.HasSuffix(li, "X"); seq++ {
		li = id(t, "1982-05-06", seq, idnumber.Female) // a check character X, typed in lower case below
	}
	wang := id(t, "1990-01-01", 4, idnumber.Male)
	zhao := id(t, "1975-03-04", 5, idnumber.Female)
	old15 := "510104750607123" // 15 digits: 1975-06-07, odd: male
	zhou := id(t, "2000-02-02", 6, idnumber.Female)
	fullWidth := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, zhao)
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	header := []any{"序号", "居民姓名", "性别", "身份证号码", "出生年月日", "手机号", "住址", "与户主关系", "居民标签"}
	sheets := map[string][][]any{
		"锦绣花园": {
			{"红旗社区居民信息登记表"},
			{"填报单位：红旗社区", nil, nil, nil, "填报人：张三"},
			header,
			{1, "张  三", "男", zhang, "1980/1/2", "138 0013 8000", "3栋2单元501", "户主", "志愿者、居民骨干"},
			{2, "李四", "女", strings.ToLower(li), nil, "+86 13900139000", nil, "妻", "志愿者"},
			{3, "张小宝", "男", "未办理", "2025年3月4日", nil, nil, "子", nil},
			{4, "王五", "男", nil, nil, nil, "3幢2单元502室", "户主", nil},
			{5, "赵六", "女", fullWidth, "1970.01.01", "1380013800", "3栋2单元502号", "配偶", nil},
			{6, "张 三", "男", zhang, "1980/1/2", "138-0013-8000", "3栋2单元501", "户主", "志愿者，居民骨干"},
			{7, "张三丰", "男", zhang, nil, nil, "3栋2单元503", "户主", nil},
			{8, nil, "女", nil, "1990-01-01", nil, "3栋2单元503", "其他", nil},
			{9, "孙七", nil, "'" + old15, nil, nil, "3-2-503", "户主", nil},
			{"合计", "共9人"},
			{"填表说明：本表由网格员逐户填写"},
		},
		"填表说明": {{"1. 每人一行"}, {"2. 身份证号填 18 位"}},
		"Sheet3": {
			{"姓名", "公民身份号码", "小区", "楼栋", "单元", "房号", "与户主关系", "人员类别"},
			{"周八", zhou, "阳光小区", "1号楼", "1单元", "101", "租户", "流动人口"},
		},
	}
	writeBook(t, path, []string{"锦绣花园", "填表说明", "Sheet3"}, sheets, func(f *excelize.File) {
		f.MergeCell("锦绣花园", "A1", "I1")
		f.MergeCell("锦绣花园", "G4", "G6") // one household's address over its members
		// Li's birth date as a real Excel date, and Wang's ID number as
		// the number Excel makes of it.
		f.SetCellValue("锦绣花园", "E5", time.Date(1982, 5, 6, 0, 0, 0, 0, time.UTC))
		f.SetCellValue("锦绣花园", "D7", 5.10104199001011e17)
	})
	_ = wang

	sheetsFound, err := la.InspectLedger(ctx, la.worker, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheetsFound) != 3 || sheetsFound[0].HeaderRow != 3 || !sheetsFound[0].Imported() || sheetsFound[1].Imported() ||
		sheetsFound[1].Skip != "ledger.skip.no_header" || sheetsFound[2].HeaderRow != 1 {
		t.Fatalf("sheets: %+v", sheetsFound)
	}
	wantFields := []app.LedgerField{app.FieldSeq, app.FieldName, app.FieldSex, app.FieldIDNumber, app.FieldBirth, app.FieldPhone,
		app.FieldAddress, app.FieldRelation, app.FieldTags}
	if !slices.Equal(sheetsFound[0].Fields, wantFields) {
		t.Fatalf("fields = %v", sheetsFound[0].Fields)
	}

	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid1})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	want := []string{
		"E 锦绣花园:10 id_number err.ledger.id_twice",
		"E 锦绣花园:11 name err.name.required",
		"E 锦绣花园:7 id_number err.ledger.id_numeric",
		"W 锦绣花园:6 id_number warn.ledger.no_id",
		"W 锦绣花园:8 birth warn.ledger.birth_contradicts",
		"W 锦绣花园:8 phone warn.ledger.phone",
		"W 锦绣花园:9  warn.ledger.repeat",
	}
	if got := problemList(res); !slices.Equal(got, want) {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Imported != 6 || res.Skipped != 3 || res.Warnings != 4 || res.HousesCreated != 4 || res.Updated != 0 {
		t.Fatalf("result %+v", res)
	}

	got := map[string]model.ResidentRow{}
	for _, r := range la.rows(t, la.worker, app.ListFilter{}) {
		got[r.Name] = r
	}
	check := func(name, idn, birth string, sex model.Sex, ph, addr string, rel model.Relation, kind model.Kind) {
		t.Helper()
		r, ok := got[name]
		if !ok {
			t.Fatalf("%s not imported; have %v", name, slices.Collect(mapsKeys(got)))
		}
		if r.IDNumber != idn || r.Birth != birth || r.Sex != sex || r.Phone != ph || app.FormatAddress(r.Address) != addr ||
			r.Relation != rel || r.Kind != kind || r.GridID != la.grid1 {
			t.Errorf("%s = %+v %q", name, r.Resident, app.FormatAddress(r.Address))
		}
	}
	check("张三", zhang, "1980-01-02", model.Male, "13800138000", "锦绣花园 3栋2单元501", model.RelHead, model.KindRegistered)
	check("李四", li, "1982-05-06", model.Female, "13900139000", "锦绣花园 3栋2单元501", model.RelSpouse, model.KindRegistered)
	check("张小宝", "", "2025-03-04", model.Male, "", "锦绣花园 3栋2单元501", model.RelChild, model.KindRegistered)
	check("赵六", zhao, "1975-03-04", model.Female, "", "锦绣花园 3栋2单元502", model.RelSpouse, model.KindRegistered)
	check("孙七", mustConvert(t, old15), "1975-06-07", model.Male, "", "锦绣花园 3栋2单元503", model.RelHead, model.KindRegistered)
	check("周八", zhou, "2000-02-02", model.Female, "", "阳光小区 1栋1单元101", model.RelTenant, model.KindFloating)
	if len(got) != 6 {
		t.Fatalf("%d residents, want 6", len(got))
	}

	// The report: one line per problem, the row as Excel numbers it, the
	// row's values as written after the five columns.
	report := filepath.Join(t.TempDir(), "report.xlsx")
	text := app.ReportText{
		Problem: func(p app.ImportProblem) string { return p.Key },
		Field:   func(f app.LedgerField) string { return string(f) },
		Level: func(e bool) string {
			if e {
				return "错误"
			}
			return "警告"
		},
	}
	if err := res.WriteReport(report, text); err != nil {
		t.Fatal(err)
	}
	rows := readSheet(t, report, "问题清单")
	if len(rows) != 2+7 {
		t.Fatalf("report rows %d: %q", len(rows), rows)
	}
	if h := rows[1]; !slices.Equal(h[:5], []string{"工作表", "行号", "字段", "问题", "级别"}) || h[5] != "序号" || h[8] != "身份证号码" {
		t.Fatalf("report header %q", h)
	}
	var lines []string
	for _, r := range rows[2:] {
		lines = append(lines, strings.Join(r[:5], "|")+"|"+r[5]+"|"+r[6])
	}
	sort.Strings(lines)
	wantLines := []string{
		"锦绣花园|10|身份证号码|err.ledger.id_twice|错误|7|张三丰",
		"锦绣花园|11|居民姓名|err.name.required|错误|8|",
		"锦绣花园|6|身份证号码|warn.ledger.no_id|警告|3|张小宝",
		"锦绣花园|7|身份证号码|err.ledger.id_numeric|错误|4|王五",
		"锦绣花园|8|出生年月日|warn.ledger.birth_contradicts|警告|5|赵六",
		"锦绣花园|8|手机号|warn.ledger.phone|警告|5|赵六",
		"锦绣花园|9||warn.ledger.repeat|警告|6|张 三",
	}
	if !slices.Equal(lines, wantLines) {
		t.Fatalf("report:\n%s", strings.Join(lines, "\n"))
	}
	// Importing the report itself is refused sheet by sheet: it is not a ledger.
	again, err := la.InspectLedger(ctx, la.worker, report)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].Skip != "ledger.skip.report" {
		t.Fatalf("report inspected as %+v", again)
	}
}

func mustConvert(t *testing.T, id15 string) string {
	t.Helper()
	info, err := idnumber.Parse(id15)
	if err != nil {
		t.Fatal(err)
	}
	return info.Number
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readSheet reads every row of a workbook's sheet as excelize formats it.
func readSheet(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLedgerRoundTrip exports a demo community's ledger, imports it into
// an empty database with no mapping, and exports again: the two ledgers
// are the same, cell for cell, and so are the residents.
func TestLedgerRoundTrip(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ctx := context.Background()
	src := newDemoApp(t, 300, 5)
	if _, err := src.CreateAccount(ctx, src.admin, app.AccountInput{Username: "exporter", Password: adminPassword, Role: model.RoleAdmin,
		CanReveal: true, CanExport: true, PersonalData: true}); err != nil {
		t.Fatal(err)
	}
	exporter, err := src.Login(ctx, "exporter", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Tags, notes that would read as formulas, line breaks and a resident
	// without an ID number travel too.
	areas, _ := src.st.Areas(ctx)
	var grid int64
	for _, a := range areas {
		if a.Level == model.LevelGrid && grid == 0 {
			grid = a.ID
		}
	}
	extra := simpleLedger(t,
		[]any{1, "司马 Anna", "女", id(t, "1988-08-08", 7, idnumber.Female), nil, "回族", "0571-88886666-12", "新村", "A", "", "1-101", "户主",
			"流动", "志愿者、独居老人", "=1+1\n第二行"},
		[]any{2, "司马小", "男", "未办理", "2025-01-02", nil, nil, "新村", "A", "", "1-101", "子女", "境外", "志愿者", "-3 @张 +1"},
	)
	res0, err := src.Import(ctx, exporter, extra, app.ImportOptions{Grid: grid})
	if err != nil || res0.Imported != 2 {
		t.Fatalf("extra rows: %v %+v", err, res0)
	}
	res0.Close()
	// Former residents are in the ledger only when asked for, each with
	// their 状态.
	living := filepath.Join(dir, "living.xlsx")
	n, err := src.ExportResidents(ctx, exporter, living, app.ExportOptions{Reveal: true, Reason: "测试", Title: "德源街道"})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(src.rows(t, exporter, app.ListFilter{})); n != want || n >= 302 {
		t.Fatalf("exported %d of those living here, want %d (of 302)", n, want)
	}
	for _, r := range readSheet(t, living, "居民台账")[2:] {
		if r[13] != "在住" && r[13] != "外出" {
			t.Fatalf("a former resident in the ledger of those living here: %q", r)
		}
	}
	first := filepath.Join(dir, "first.xlsx")
	n, err = src.ExportResidents(ctx, exporter, first, app.ExportOptions{Filter: everyone(), Reveal: true, Reason: "测试", Title: "德源街道"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 302 {
		t.Fatalf("exported %d", n)
	}
	former := 0
	for _, r := range readSheet(t, first, "居民台账")[2:] {
		if r[13] == "迁出" || r[13] == "死亡" {
			former++
		}
	}
	if former != 302-len(src.rows(t, exporter, app.ListFilter{})) {
		t.Fatalf("%d rows marked 迁出 or 死亡", former)
	}

	dst := newLedgerApp(t)
	sheets, err := dst.InspectLedger(ctx, dst.worker, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != 1 || sheets[0].HeaderRow != 2 || sheets[0].Rows != 302 || slices.Contains(sheets[0].Fields[1:], app.FieldNone) {
		t.Fatalf("sheets %+v", sheets[0])
	}
	res, err := dst.Import(ctx, dst.worker, first, app.ImportOptions{Grid: dst.grid1})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if res.Imported != 302 || res.Skipped != 0 {
		t.Fatalf("imported %+v", problemList(res))
	}
	for _, p := range res.Problems {
		// The demo's empty relations and unknown phones are the only
		// warnings a clean ledger may give.
		if p.Error {
			t.Errorf("problem %+v", p)
		}
	}
	second := filepath.Join(dir, "second.xlsx")
	if _, err := dst.ExportResidents(ctx, dst.worker, second, app.ExportOptions{Filter: everyone(), Reveal: true, Reason: "测试", Title: "德源街道"}); err != nil {
		t.Fatal(err)
	}
	a, b := readSheet(t, first, "居民台账"), readSheet(t, second, "居民台账")
	if len(a) != 304 || len(a) != len(b) {
		t.Fatalf("rows %d and %d", len(a), len(b))
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("row %d differs:\n%q\n%q", i+1, a[i], b[i])
		}
	}
	// A former resident read back lived in their house, as a move-out
	// leaves them: among its past members, not its present ones.
	checked := 0
	for _, r := range dst.rows(t, dst.worker, everyone()) {
		if r.Status != model.StatusMoved && r.Status != model.StatusDead || r.HouseID == 0 {
			continue
		}
		now, _ := dst.Household(ctx, dst.worker, r.HouseID, false)
		past, _ := dst.Household(ctx, dst.worker, r.HouseID, true)
		isMember := func(ms []model.Member) bool {
			return slices.ContainsFunc(ms, func(m model.Member) bool { return m.ID == r.ID })
		}
		if isMember(now) || !isMember(past) {
			t.Errorf("%s (%s) is a present member of their house, or no member at all", r.Name, r.Status)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no former resident read back")
	}
	var anna []string
	for _, r := range b {
		if len(r) > 1 && r[1] == "司马 Anna" {
			anna = r
		}
	}
	if anna == nil || anna[14] != "志愿者、独居老人" || anna[15] != "'=1+1\n第二行" || anna[6] != "0571-88886666-12" || anna[13] != "在住" {
		t.Fatalf("exported %q", anna)
	}
}
