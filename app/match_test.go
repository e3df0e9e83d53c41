package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// TestMatchSortsAListIntoItsGroups: a health department's list, with a
// title row, odd headers, a repeated header, IDs typed every which way,
// people from another grid and people nowhere, matched by a grid worker.
func TestMatchSortsAListIntoItsGroups(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	grids := ta.grids(t)
	mine, other := grids[0].ID, grids[1].ID
	inGrid := func(g int64) []model.ResidentRow {
		var out []model.ResidentRow
		for _, r := range ta.rows(t, ta.admin, app.ListFilter{AreaID: g}) {
			if r.IDNumber != "" {
				out = append(out, r)
			}
		}
		return out
	}
	here, there := inGrid(mine), inGrid(other)
	if len(here) < 6 || len(there) < 1 {
		t.Fatalf("demo too small: %d and %d residents with ID numbers", len(here), len(there))
	}
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "grid1", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{mine}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	worker, err := ta.Login(ctx, "grid1", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	nobody := id(t, "1990-05-06", 77, idnumber.Female)
	fullWidth := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r + 0xFEE0
		}
		return r
	}, here[2].IDNumber)
	badSum := here[0].IDNumber[:17] + map[bool]string{true: "1", false: "2"}[here[0].IDNumber[17] == '2']
	path := filepath.Join(t.TempDir(), "疫苗接种名单.xlsx")
	writeBook(t, path, []string{"名单"}, map[string][][]any{"名单": {
		{"XX区新冠疫苗接种名单（第三批）"},
		{"序号", "姓 名", "身份证号码（18位）", "接种日期"},
		{1, here[0].Name, here[0].IDNumber, "2021-05-01"},                           // 3: same
		{2, here[1].Name + " ", " " + strings.ToLower(here[1].IDNumber) + " ", nil}, // 4: same, typed loosely
		{3, here[2].Name, fullWidth, nil},                                           // 5: same, full-width digits
		{4, "改了名", here[3].IDNumber, nil},                                           // 6: renamed
		{5, "某某", nobody, nil},                                                      // 7: missing
		{6, there[0].Name, there[0].IDNumber, nil},                                  // 8: elsewhere
		{7, "某甲", badSum, nil},                                                      // 9: bad check character
		{8, "某乙", nil, nil},                                                         // 10: no ID number
		{"序号", "姓 名", "身份证号码（18位）", "接种日期"},                                         // 11: the header again
		{9, here[0].Name, here[0].IDNumber, nil},                                    // 12: a repeat
		{10, "", here[4].IDNumber, nil},                                             // 13: same (no name to check)
	}}, func(f *excelize.File) { f.MergeCell("名单", "A1", "D1") })

	sheets, err := ta.InspectList(ctx, worker, path)
	if err != nil {
		t.Fatal(err)
	}
	if s := sheets[0]; s.HeaderRow != 2 || s.Field(app.FieldIDNumber) != 2 || s.Field(app.FieldName) != 1 {
		t.Fatalf("header row %d, id column %d, name column %d", s.HeaderRow, s.Field(app.FieldIDNumber), s.Field(app.FieldName))
	}
	res, err := ta.Match(ctx, worker, path, app.MatchOptions{Sheets: sheets, Cohort: &app.ListFilter{AreaID: mine}})
	if err != nil {
		t.Fatal(err)
	}
	rowsOf := func(g app.MatchGroup) []int {
		var out []int
		for _, m := range res.Groups[g] {
			out = append(out, m.Row)
		}
		return out
	}
	for g, want := range map[app.MatchGroup][]int{
		app.MatchSame: {3, 4, 5, 13}, app.MatchRenamed: {6}, app.MatchMissing: {7}, app.MatchElsewhere: {8},
	} {
		if got := rowsOf(g); !slices.Equal(got, want) {
			t.Errorf("%s: rows %v, want %v", g, got, want)
		}
	}
	if m := res.Groups[app.MatchRenamed][0]; m.Registered != here[3].Name || m.ResidentID != here[3].ID {
		t.Errorf("renamed row: %+v, want %s", m, here[3].Name)
	}
	if m := res.Groups[app.MatchElsewhere][0]; m.ResidentID != 0 {
		t.Errorf("a resident of another grid is told: %+v", m)
	}
	var problems []string
	for _, p := range res.Problems {
		problems = append(problems, strings.Join([]string{p.Sheet, itoa(int64(p.Row)), string(p.Field), p.Key}, "/"))
	}
	wantProblems := []string{"名单/9/id_number/err.id.checksum", "名单/10/id_number/err.match.no_id", "名单/12/id_number/warn.match.repeat"}
	if !slices.Equal(problems, wantProblems) {
		t.Errorf("problems %v, want %v", problems, wantProblems)
	}
	if res.Rows != 10 || res.Repeats != 1 {
		t.Errorf("%d rows, %d repeats; want 10 and 1", res.Rows, res.Repeats)
	}
	// Who of the grid the list leaves out: everyone of it but the five found.
	all := ta.rows(t, worker, app.ListFilter{AreaID: mine}) // those living here
	if got := res.Count(app.MatchAbsent); got != len(all)-5 {
		t.Errorf("absent %d, want %d", got, len(all)-5)
	}
	// Each group of residents opens as a list of exactly them.
	f, ok := res.Residents(app.MatchSame)
	if !ok {
		t.Fatal("the matched group is not a residents list")
	}
	var names []string
	for _, r := range ta.rows(t, worker, f) {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	want := []string{here[0].Name, here[1].Name, here[2].Name, here[4].Name}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("matched list %v, want %v", names, want)
	}
	if _, ok := res.Residents(app.MatchMissing); ok {
		t.Error("people not in the registry open as a residents list")
	}
	// … and can be tagged.
	tag, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: "已接种"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ta.TagList(ctx, worker, f, tag, true); err != nil || n != 4 {
		t.Errorf("tagged %d (%v), want 4", n, err)
	}

	// The result as a workbook: a sheet per group, ID numbers masked.
	out := filepath.Join(t.TempDir(), "比对结果.xlsx")
	text := app.ReportText{Problem: func(p app.ImportProblem) string { return "问题:" + p.Key }}
	if err := ta.ExportMatch(ctx, worker, res, out, true, "核对", text); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("revealed by an account without the right: %v", err)
	}
	if err := ta.ExportMatch(ctx, worker, res, out, false, "", text); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	wantSheets := []string{"已匹配", "姓名不一致", "未在库", "其他辖区", "人群中未在名单", "问题行"}
	if got := x.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %v, want %v", got, wantSheets)
	}
	for sheet, n := range map[string]int{"已匹配": 4, "姓名不一致": 1, "未在库": 1, "其他辖区": 1, "人群中未在名单": len(all) - 5, "问题行": 3} {
		rows, _ := x.GetRows(sheet)
		if len(rows)-1 != n {
			t.Errorf("sheet %s: %d rows, want %d", sheet, len(rows)-1, n)
		}
	}
	checkPrinted(t, x, "姓名不一致", "landscape", 1, "H2")
	checkPrinted(t, x, "问题行", "portrait", 1, "C4")
	renamed, _ := x.GetRows("姓名不一致")
	if got := renamed[1]; got[3] != "改了名" || got[5] != here[3].Name || got[4] != app.MaskIDNumber(here[3].IDNumber) {
		t.Errorf("renamed row %q", got)
	}
	problemRows, _ := x.GetRows("问题行")
	if problemRows[1][2] != "问题:err.id.checksum" {
		t.Errorf("the checksum problem reads %q", problemRows[1][2])
	}
	absent, _ := x.GetRows("人群中未在名单")
	for _, r := range absent[1:] {
		if r[13] != "在住" && r[13] != "外出" {
			t.Fatalf("a former resident among those the list leaves out: %q", r)
		}
	}

	// Former residents are in the cohort only when asked for, and then
	// marked in the sheet of those the list leaves out.
	former := app.ListFilter{AreaID: mine, Cohort: &app.CohortFilter{Statuses: []model.Status{model.StatusMoved, model.StatusDead}}}
	gone := ta.rows(t, worker, former)
	if len(gone) == 0 {
		t.Fatal("no former residents in the grid: the test proves little")
	}
	res, err = ta.Match(ctx, worker, path, app.MatchOptions{Sheets: sheets, Cohort: &former})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Count(app.MatchAbsent); got != len(gone) {
		t.Errorf("absent of the former residents %d, want %d", got, len(gone))
	}
	out2 := filepath.Join(t.TempDir(), "比对结果2.xlsx")
	if err := ta.ExportMatch(ctx, worker, res, out2, false, "", text); err != nil {
		t.Fatal(err)
	}
	y, err := excelize.OpenFile(out2)
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	absent, _ = y.GetRows("人群中未在名单")
	if len(absent)-1 != len(gone) || absent[0][13] != "状态" {
		t.Fatalf("%d rows under %q, want %d", len(absent)-1, absent[0], len(gone))
	}
	for _, r := range absent[1:] {
		if r[13] != "迁出" && r[13] != "死亡" {
			t.Errorf("a former resident not marked: %q", r)
		}
	}
}

// TestMatchNeedsAnIDColumn: a list without an ID number column is refused
// with the sheet named.
func TestMatchNeedsAnIDColumn(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	path := filepath.Join(t.TempDir(), "名单.xlsx")
	writeBook(t, path, []string{"补贴名单"}, map[string][][]any{"补贴名单": {{"姓名", "身份证号"}, {"张三", "110105194912310021"}}}, nil)
	sheets, err := ta.InspectList(context.Background(), ta.admin, path)
	if err != nil {
		t.Fatal(err)
	}
	sheets[0].Fields[1] = app.FieldNone
	_, err = ta.Match(context.Background(), ta.admin, path, app.MatchOptions{Sheets: sheets})
	if keys := problemKeys(t, err); keys["mapping"] != "err.match.no_id_column" {
		t.Fatalf("problems %v (%v)", keys, err)
	}
}

// TestListHeadersNameTheirPersonsNumberAnyWay: 受种者身份证号 and 儿童身份证号
// are the listed person's, 监护人身份证号 is not.
func TestListHeadersNameTheirPersonsNumberAnyWay(t *testing.T) {
	t.Parallel()
	ta := newApp(t)
	path := filepath.Join(t.TempDir(), "名单.xlsx")
	writeBook(t, path, []string{"A", "B"}, map[string][][]any{
		"A": {{"姓名", "受种者身份证号"}},
		"B": {{"儿童姓名", "监护人身份证号", "儿童身份证号"}},
	}, nil)
	sheets, err := ta.InspectList(context.Background(), ta.admin, path)
	if err != nil {
		t.Fatal(err)
	}
	if sheets[0].Field(app.FieldIDNumber) != 1 || sheets[1].Field(app.FieldIDNumber) != 2 || sheets[1].Field(app.FieldName) != 0 {
		t.Fatalf("A %v, B %v", sheets[0].Fields, sheets[1].Fields)
	}
}
