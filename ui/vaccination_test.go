package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"shequ/app"
)

// TestVaccinationScreen: the health department's list imported through
// the wizard (a dry run first), progress by grid, a dose typed, and the
// residents still to call opened as the residents list.
func TestVaccinationScreen(t *testing.T) {
	u, w, _ := ledgerUI(t)
	ctx := context.Background()
	l, err := u.app.Residents(ctx, u.actor, app.ListFilter{}) // those living here: a cohort's default
	if err != nil {
		t.Fatal(err)
	}
	total, _ := l.Count(ctx)
	rows, err := l.Page(ctx, nil, total, false)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		if r.IDNumber != "" {
			ids = append(ids, r.IDNumber)
		}
	}
	path := filepath.Join(t.TempDir(), "接种名单.xlsx")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"身份证号码", "剂次", "接种日期", "接种单位"})
	for i, id := range ids[:10] {
		x.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+2), &[]any{id, "第1剂", "2021-05-10", "卫生服务中心"})
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	x.Close()

	u.tabs.SelectIndex(6)
	drain(t)
	s := u.vaccination
	if !shows(w, "还没有接种记录") {
		t.Fatalf("empty screen: %q", texts(w))
	}
	s.importer = u.importOf(app.LedgerVaccination)
	drain(t)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(path)
	entries[1].SetText("新冠疫苗") // the list has no vaccine column
	tapText(t, w, "确定")
	drain(t)
	tapText(t, w, "试导入")
	drain(t)
	if r := s.importer.vaccinationResult; r == nil || !r.DryRun || r.Added != 0 || !shows(w, "试导入（未写入）：名单 10 行，其中 10 行找到居民") {
		t.Fatalf("dry run: %+v %q", r, texts(w))
	}
	tapText(t, w, "关闭")
	tapText(t, w, "导入")
	drain(t)
	if r := s.importer.vaccinationResult; r == nil || r.Added != 10 {
		t.Fatalf("import: %+v", r)
	}
	tapText(t, w, "关闭")
	drain(t)
	if s.vaccine.Text != "新冠疫苗" || s.progress == nil || s.progress.Total.Done != 10 || s.progress.Total.Residents != total {
		t.Fatalf("progress after the import: %q %+v", s.vaccine.Text, s.progress)
	}
	if !shows(w, "已接种 10 / "+strconv.Itoa(total)+" 人") {
		t.Fatalf("status: %q", s.status.Text)
	}
	s.by.SetSelected("年龄段")
	drain(t)
	sortsAndFits(t, w, s.table, 0) // by age band
	s.by.SetSelected("网格")
	drain(t)

	// A dose typed at the desk.
	s.addDose()
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText(ids[20])
	tapText(t, w, "确定")
	drain(t)
	if s.progress.Total.Done != 11 {
		t.Fatalf("after a dose typed: %+v", s.progress.Total)
	}
	s.showTodo()
	drain(t)
	if u.residents.pager.total != total-11 || !shows(w, "未接种 新冠疫苗 第 1 剂") {
		t.Fatalf("still to call: %d, want %d; %q", u.residents.pager.total, total-11, u.residents.status.Text)
	}
	test.Tap(u.residents.matchBtn) // the residents screen is usable after it
	tapText(t, w, "取消")
}
