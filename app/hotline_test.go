package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
)

// writeHotline writes a 12345 export as the hotline's system does: a title
// row, then the header, then orders.
func writeHotline(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"12345政务服务便民热线工单导出"},
		{"序号", "工单编号", "来电时间", "诉求内容", "问题分类", "来电人", "来电号码", "事发地址", "紧急程度"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestA12345ExportIsImportedOnceAndNeverHalf: the columns are found by
// their meaning; a row without an order number stops the import with its
// row and field and nothing is written; fixed, the orders come in with
// their times, categories (unknown ones as 其他, warned) and urgency; the
// same export again adds nothing.
func TestA12345ExportIsImportedOnceAndNeverHalf(t *testing.T) {
	t.Parallel()
	ta, grid, _ := appealApp(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "12345.xlsx")
	good := [][]any{
		{1, "GD20261128001", "2026-11-28 09:30", "小区门口夜市噪音扰民", "治安", "刘先生", "13800138000", "锦绣花园东门", "紧急"},
		{2, "GD20261128002", 46354.625, "路灯不亮", "市政设施", "", "12345", "锦绣花园3栋", "一般"},
	}
	writeHotline(t, path, append(good, []any{3, "", "2026-11-28", "没有编号的工单", "其他", "", "", "", ""}))
	sheets, err := ta.InspectHotline(ctx, grid, path)
	if err != nil || len(sheets) != 1 || sheets[0].HeaderRow != 2 || sheets[0].Field(app.FieldOrderNo) != 1 ||
		sheets[0].Field(app.FieldCategory) != 4 || sheets[0].Field(app.FieldName) != 5 {
		t.Fatalf("inspected %+v %v", sheets, err)
	}
	res, err := ta.ImportHotline(ctx, grid, path, app.HotlineOptions{})
	if err != nil || !res.Failed() || res.Imported != 0 {
		t.Fatalf("with a bad row: %+v %v", res, err)
	}
	var bad app.ImportProblem
	for _, p := range res.Problems {
		if p.Error {
			bad = p
		}
	}
	if bad.Row != 5 || bad.Field != app.FieldOrderNo || bad.Key != "err.hotline.no" {
		t.Fatalf("the problem: %+v", bad)
	}
	if rows, _ := ta.Appeals(ctx, grid, app.AppealFilter{}); len(rows) != 0 {
		t.Fatalf("half an import: %d appeals", len(rows))
	}
	writeHotline(t, path, good)
	if res, err = ta.ImportHotline(ctx, grid, path, app.HotlineOptions{DryRun: true}); err != nil || res.Imported != 2 || res.Failed() {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if rows, _ := ta.Appeals(ctx, grid, app.AppealFilter{}); len(rows) != 0 {
		t.Fatal("a dry run wrote")
	}
	res, err = ta.ImportHotline(ctx, grid, path, app.HotlineOptions{})
	if err != nil || res.Imported != 2 || len(res.Problems) != 2 { // 市政设施 is no category; 12345 is no phone
		t.Fatalf("imported %+v %v", res, err)
	}
	rows, _ := ta.Appeals(ctx, grid, app.AppealFilter{})
	byNo := map[string]app.AppealRow{}
	for _, r := range rows {
		byNo[r.ExternalNo] = r
	}
	a1, a2 := byNo["GD20261128001"], byNo["GD20261128002"]
	if a1.Channel != model.ChannelHotline || a1.Category != "治安" || a1.Urgency != model.UrgencyUrgent || a1.ReporterName != "刘先生" ||
		app.LocalTime(a1.ReceivedAt) != "2026-11-28 09:30" || a1.Place != "锦绣花园东门" {
		t.Errorf("order 1: %+v", a1.Appeal)
	}
	if a2.Category != "其他" || a2.ReporterName == "" || a2.ReporterPhone != "" || app.LocalTime(a2.ReceivedAt) != "2026-11-28 15:00" {
		t.Errorf("order 2: %+v", a2.Appeal)
	}
	res, err = ta.ImportHotline(ctx, grid, path, app.HotlineOptions{})
	if err != nil || res.Imported != 0 || res.Duplicates != 2 {
		t.Fatalf("again: %+v %v", res, err)
	}
}
