package app_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
)

// writeForm writes a department's form as offices get them: a title over
// the table, a two-row header of merged cells with a column the registry
// cannot fill, six blank bordered rows and a 填表人 line under them.
func writeForm(t *testing.T, path string) (border int) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "高龄补贴"
	f.SetSheetName("Sheet1", sh)
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sh, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "XX街道80周岁以上老人高龄补贴花名册")
	merge("A1", "I1")
	set("A2", "填报单位：")
	for cell, v := range map[string]string{"A3": "序号", "B3": "基本信息", "B4": "姓 名", "C4": "性别", "D4": "身份证号码",
		"E3": "联系方式", "E4": "联系电话", "F4": "现住址", "G3": "年龄（周岁）", "H3": "所属网格", "I3": "补贴金额（元）"} {
		set(cell, v)
	}
	for _, m := range [][2]string{{"A3", "A4"}, {"B3", "D3"}, {"E3", "F3"}, {"G3", "G4"}, {"H3", "H4"}, {"I3", "I4"}} {
		merge(m[0], m[1])
	}
	var err error
	border, err = f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sh, "A5", "I10", border); err != nil {
		t.Fatal(err)
	}
	set("A5", "例")
	set("B5", "张三（示例）")
	set("I5", "300")
	// row 11 is left blank between the rows drawn and the footer
	set("A12", "填表人：          审核人：          填报日期：")
	merge("A12", "I12")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return border
}

// TestFillAFormKeepsItsLayout: the header is found under its merged
// cells, columns are mapped by their meaning, a row per resident is
// written in the form's own cell format, and the footer moves down.
func TestFillAFormKeepsItsLayout(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 1500, 5)
	ctx := context.Background()
	dir := t.TempDir()
	form := filepath.Join(dir, "高龄补贴花名册.xlsx")
	writeForm(t, form)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "filler", Password: adminPassword, Role: model.RoleWorker,
		Areas: []int64{ta.grids(t)[0].ParentID}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	worker, err := ta.Login(ctx, "filler", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := ta.InspectForm(ctx, worker, form)
	if err != nil {
		t.Fatal(err)
	}
	s := sheets[0]
	wantFields := []app.LedgerField{app.FieldSeq, app.FieldName, app.FieldSex, app.FieldIDNumber, app.FieldPhone, app.FieldAddress,
		app.FieldAge, app.FieldGrid, app.FieldNone}
	if s.HeaderRow != 4 || !slices.Equal(s.Fields, wantFields) {
		t.Fatalf("header row %d, fields %v; want 4 and %v (headers %q)", s.HeaderRow, s.Fields, wantFields, s.Headers)
	}
	cohort := app.ListFilter{Cohort: &app.CohortFilter{Ages: "80-"}}
	want := ta.rows(t, worker, cohort) // a form lists those living here
	if len(want) <= 6 {
		t.Fatalf("only %d residents of 80 and over: the form's blank rows would do", len(want))
	}
	out := filepath.Join(dir, "填好的.xlsx")
	if _, err := ta.FillForm(ctx, worker, form, form, app.FillOptions{Sheets: sheets, Filter: cohort}); err == nil {
		t.Fatal("the form itself was overwritten")
	}
	res, err := ta.FillForm(ctx, worker, form, out, app.FillOptions{Sheets: sheets, Filter: cohort})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != len(want) || !slices.Equal(res.Unmapped, []string{"补贴金额(元)"}) || res.StatusAdded {
		t.Fatalf("rows %d (want %d), unmapped %q, 状态 added %v", res.Rows, len(want), res.Unmapped, res.StatusAdded)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sh := "高龄补贴"
	get := func(cell string) string {
		v, err := x.GetCellValue(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("A1") != "XX街道80周岁以上老人高龄补贴花名册" || get("B3") != "基本信息" || get("B4") != "姓 名" {
		t.Errorf("title and header changed: %q %q %q", get("A1"), get("B3"), get("B4"))
	}
	merges, _ := x.GetMergeCells(sh)
	if len(merges) != 8 {
		t.Errorf("%d merged ranges, want the form's 8", len(merges))
	}
	names := map[string]bool{}
	for _, r := range want {
		names[r.Name] = true
	}
	grid := map[int64]string{}
	for _, g := range ta.grids(t) {
		grid[g.ID] = g.Name
	}
	for i := range want {
		row := strconv.Itoa(5 + i)
		if get("A"+row) != strconv.Itoa(i+1) || !names[get("B"+row)] {
			t.Fatalf("row %s: %q %q", row, get("A"+row), get("B"+row))
		}
		age, err := strconv.Atoi(get("G" + row))
		if err != nil || age < 80 {
			t.Errorf("row %s: age %q", row, get("G"+row))
		}
		if id := get("D" + row); id != "" && id == want[0].IDNumber {
			t.Errorf("row %s: the ID number is not masked", row)
		}
		if get("H"+row) == "" || get("I"+row) != "" {
			t.Errorf("row %s: grid %q, amount %q", row, get("H"+row), get("I"+row))
		}
		if st, _ := x.GetCellStyle(sh, "B"+row); st == 0 {
			t.Errorf("row %s: written without the form's cell format", row)
		}
	}
	footer := strconv.Itoa(5 + len(want) + 1) // the blank row kept above it
	if get("A"+footer) != "填表人：          审核人：          填报日期：" || get("A"+strconv.Itoa(5+len(want))) != "" {
		t.Errorf("footer row %s reads %q", footer, get("A"+footer))
	}
	if get("I5") != "" {
		t.Errorf("the example row's amount is left: %q", get("I5"))
	}
	if st, _ := x.GetCellStyle(sh, "I"+strconv.Itoa(4+len(want))); st == 0 {
		t.Error("a row added has no border in the column left empty")
	}
	log, err := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditFill}, 5)
	if err != nil || len(log) == 0 || log[0].Account != "filler" {
		t.Errorf("fill audit %+v (%v)", log, err)
	}

	// The mapping, saved, is the template for next month's copy.
	s.Fields[8] = app.FieldNotes
	if err := ta.SaveLedgerMapping(ctx, worker, s); err != nil {
		t.Fatal(err)
	}
	again, err := ta.InspectForm(ctx, worker, form)
	if err != nil {
		t.Fatal(err)
	}
	if !again[0].Saved || again[0].Fields[8] != app.FieldNotes {
		t.Errorf("saved mapping not found again: %v", again[0].Fields)
	}
	// … and it is the form's, not a ledger's with the same header.
	if led, err := ta.InspectLedger(ctx, worker, form); err != nil || (len(led) > 0 && led[0].Saved) {
		t.Errorf("a residents' import reads the form's mapping: %+v (%v)", led, err)
	}
}

// TestFillRefusesAFormWithRows: a form that has residents written under
// its header already is not filled over (the rows would be pushed down).
// TestFillAFormOfFormerResidentsMarksThem: a form lists former residents
// (迁出, 死亡) only when they are asked for, and then, on a form without
// 状态, in a column of it added after the form's own.
func TestFillAFormOfFormerResidentsMarksThem(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 1500, 5)
	ctx := context.Background()
	dir := t.TempDir()
	form := filepath.Join(dir, "花名册.xlsx")
	writeForm(t, form)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "filler", Password: adminPassword, Role: model.RoleWorker,
		Areas: []int64{ta.grids(t)[0].ParentID}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	worker, err := ta.Login(ctx, "filler", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := ta.InspectForm(ctx, worker, form)
	if err != nil {
		t.Fatal(err)
	}
	all := len(ta.rows(t, worker, everyone()))
	living := len(ta.rows(t, worker, app.ListFilter{}))
	former := app.ListFilter{Cohort: &app.CohortFilter{Statuses: []model.Status{model.StatusMoved, model.StatusDead}}}
	if living == all || len(ta.rows(t, worker, former)) != all-living {
		t.Fatalf("%d living of %d", living, all)
	}
	read := func(out string) (rows [][]string) {
		t.Helper()
		x, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		all, _ := x.GetRows("高龄补贴")
		return all
	}
	for _, c := range []struct {
		what   string
		filter app.ListFilter
		rows   int
		marked bool
	}{{"those living here", app.ListFilter{}, living, false}, {"former residents", former, all - living, true},
		{"everyone", everyone(), all, true}} {
		out := filepath.Join(dir, c.what+".xlsx")
		res, err := ta.FillForm(ctx, worker, form, out, app.FillOptions{Sheets: sheets, Filter: c.filter, Reveal: false})
		if err != nil {
			t.Fatal(err)
		}
		rows := read(out)
		if res.Rows != c.rows || res.StatusAdded != c.marked {
			t.Fatalf("%s: %d rows (want %d), 状态 added %v", c.what, res.Rows, c.rows, res.StatusAdded)
		}
		head := rows[3]
		if got := len(head) == 10 && head[9] == "状态"; got != c.marked {
			t.Fatalf("%s: header %q", c.what, head)
		}
		moved := 0
		for _, r := range rows[4 : 4+res.Rows] {
			if c.marked && (len(r) < 10 || r[9] == "") {
				t.Fatalf("%s: row without its 状态: %q", c.what, r)
			}
			if c.marked && (r[9] == "迁出" || r[9] == "死亡") {
				moved++
			}
		}
		if c.marked && moved != all-living {
			t.Errorf("%s: %d rows marked 迁出 or 死亡, want %d", c.what, moved, all-living)
		}
	}
}

func TestFillRefusesAFormWithRows(t *testing.T) {
	t.Parallel()
	ta := sharedDemo(t)
	dir := t.TempDir()
	form := filepath.Join(dir, "表.xlsx")
	writeBook(t, form, []string{"Sheet1"}, map[string][][]any{"Sheet1": {{"姓名", "身份证号", "联系电话"}, {"王五", "110105194912310021", ""}}}, nil)
	acc := &app.Actor{Account: model.Account{ID: ta.admin.Account.ID, Username: "admin", Role: model.RoleAdmin, PersonalData: true, CanExport: true}}
	_, err := ta.FillForm(context.Background(), acc, form, filepath.Join(dir, "out.xlsx"), app.FillOptions{})
	if keys := problemKeys(t, err); keys["file"] != "err.fill.has_rows" {
		t.Fatalf("problems %v (%v)", keys, err)
	}
}

// TestFillOneSheetOfMany: the sheet asked for is filled, the other named.
func TestFillOneSheetOfMany(t *testing.T) {
	t.Parallel()
	ta := sharedDemo(t)
	dir := t.TempDir()
	form := filepath.Join(dir, "两张表.xlsx")
	writeBook(t, form, []string{"高龄", "独居"}, map[string][][]any{"高龄": {{"姓名", "年龄"}}, "独居": {{"姓名", "性别"}}}, nil)
	acc := &app.Actor{Account: model.Account{ID: ta.admin.Account.ID, Username: "admin", Role: model.RoleAdmin, PersonalData: true, CanExport: true}}
	out := filepath.Join(dir, "out.xlsx")
	res, err := ta.FillForm(context.Background(), acc, form, out, app.FillOptions{Sheet: "独居", Filter: app.ListFilter{Cohort: &app.CohortFilter{Alone: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sheet != "独居" || len(res.Others) != 1 || res.Others[0] != "高龄" || res.Rows == 0 {
		t.Fatalf("%+v", res)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("独居", "A2"); v == "" {
		t.Error("the sheet asked for is empty")
	}
	if v, _ := x.GetCellValue("高龄", "A2"); v != "" {
		t.Errorf("the other sheet was filled: %q", v)
	}
	if _, err := ta.FillForm(context.Background(), acc, form, out, app.FillOptions{Sheet: "没有"}); problemKeys(t, err)["sheet"] != "err.fill.sheet" {
		t.Errorf("a sheet not there: %v", err)
	}
}
