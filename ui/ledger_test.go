package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/ui/widgets"
)

// ledgerUI is the window signed in as a community worker who may export
// and reveal, over a small demo.
func ledgerUI(t *testing.T) (*UI, fyne.Window, *app.App) {
	t.Helper()
	a, fa := demoWithAccount(t, 40, app.AccountInput{Username: "zhao", Role: model.RoleWorker, CanExport: true, CanReveal: true},
		func(areas []model.Area) []int64 { return firstArea(areas, model.LevelCommunity) })
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "zhao", Password: testPassword})
	drain(t)
	return u, w, a
}

// topSelects lists the selects of the top dialog.
func topSelects(w fyne.Window) []*widgets.Select {
	var out []*widgets.Select
	walkTop(w, func(o fyne.CanvasObject) {
		if s, ok := o.(*widgets.Select); ok {
			out = append(out, s)
		}
	})
	return out
}

// tapText taps the top dialog's button of that text, and lets what it
// started finish.
func tapText(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	_, buttons, _ := dialogWidgets(w)
	for _, b := range buttons {
		if b.Text == text {
			test.Tap(b)
			drain(t) // what it started, as a user waits for it
			return
		}
	}
	t.Fatalf("no button %q in the top dialog", text)
}

func TestImportWizardMapsPreviewsAndImports(t *testing.T) {
	u, w, a := ledgerUI(t)
	before := u.residents.pager.total
	path := filepath.Join(t.TempDir(), "网格台账.xlsx")
	f := excelize.NewFile()
	ids := []string{
		idnumber.Synthesize("510104", time.Date(1950, 3, 4, 0, 0, 0, 0, time.UTC), 1, idnumber.Male),
		idnumber.Synthesize("510104", time.Date(1952, 5, 6, 0, 0, 0, 0, time.UTC), 2, idnumber.Female),
	}
	for r, row := range [][]any{
		{"网格居民登记"},
		{"姓名", "证件", "家庭住址", "与户主关系", "户籍地"},
		{"丁一", ids[0], "新苑小区3栋1单元201", "户主", "四川"},
		{"丁二", ids[1], "新苑小区3栋1单元201", "配偶", "四川"},
	} {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	test.Tap(u.residents.importBtn)
	drain(t)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(path)
	sel := topSelects(w)
	if len(sel) != 1 || len(sel[0].Options) == 0 {
		t.Fatalf("grid choice: %d selects", len(sel))
	}
	sel[0].SetSelectedIndex(0)
	tapText(t, w, "确定")
	drain(t)
	if !shows(w, "第 2 行是表头") || !shows(w, "丁一") {
		t.Fatalf("no mapping with a preview: %q", texts(w))
	}
	// 证件 is no known header: the user says it is the ID number.
	sel = topSelects(w)
	if len(sel) != 5 || sel[0].Selected != "姓名" || sel[1].Selected != "不导入" || sel[2].Selected != "住址" {
		t.Fatalf("mapping %d selects: %v", len(sel), selected(sel))
	}
	sel[1].SetSelected("公民身份号码")

	tapText(t, w, "试导入")
	drain(t)
	if !shows(w, "试导入（未写入）：导入 2 人，新建房屋 1 户") {
		t.Fatalf("dry run result: %q", texts(w))
	}
	tapText(t, w, "关闭")
	if n, _ := mustList(t, u).Count(context.Background()); n != before {
		t.Fatalf("a dry run wrote: %d residents, before %d", n, before)
	}
	tapText(t, w, "导入")
	drain(t)
	if !shows(w, "导入 2 人，新建房屋 1 户，跳过 0 行（错误），警告 0 条") {
		t.Fatalf("import result: %q", texts(w))
	}
	tapText(t, w, "关闭")
	drain(t)
	if u.residents.pager.total != before+2 {
		t.Fatalf("list shows %d, want %d", u.residents.pager.total, before+2)
	}
	log, _ := a.AuditLog(context.Background(), mustAdmin(t, a), model.AuditFilter{Action: app.AuditImport}, 5)
	if len(log) != 2 || log[0].Account != "zhao" || log[0].Target != "网格台账.xlsx" {
		t.Fatalf("import audit %+v", log)
	}
}

func selected(sel []*widgets.Select) []string {
	var out []string
	for _, s := range sel {
		out = append(out, s.Selected)
	}
	return out
}

func mustAdmin(t *testing.T, a *app.App) *app.Actor {
	t.Helper()
	admin, err := a.Login(context.Background(), "admin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return admin
}

func TestExportWritesWhatTheListShows(t *testing.T) {
	u, w, a := ledgerUI(t)
	first := loadRow(t, u.residents, 0)
	u.residents.search.SetText(first.cells[0])
	u.residents.reload()
	drain(t)
	n := u.residents.pager.total
	test.Tap(u.residents.exportBtn)
	if !shows(w, "共 "+strconv.Itoa(n)+" 人") {
		t.Fatalf("export does not say what it writes: %q", texts(w))
	}
	entries, _, _ := dialogWidgets(w)
	path := filepath.Join(t.TempDir(), "导出.xlsx")
	entries[0].SetText(path)
	tapText(t, w, "确定")
	drain(t)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("居民台账")
	f.Close()
	if len(rows) != n+2 || rows[2][1] != first.cells[0] || !strings.Contains(rows[2][3], "*") {
		t.Fatalf("exported %d rows, first %q", len(rows), rows[2])
	}
	log, _ := a.AuditLog(context.Background(), mustAdmin(t, a), model.AuditFilter{Action: app.AuditExport}, 5)
	if len(log) != 1 || !strings.Contains(log[0].Detail, `"reveal":false`) {
		t.Fatalf("export audit %+v", log)
	}
	os.Remove(path)
}

func TestAdministratorSetsTheIdleLimitAndRetention(t *testing.T) {
	u, w := newTestUI(t, 10)
	u.settings()
	drain(t)
	entries, _, _ := dialogWidgets(w)
	if len(entries) != 2 || entries[0].Text != "15" || entries[1].Text != "36" {
		t.Fatalf("settings form: %d entries", len(entries))
	}
	entries[1].SetText("3")
	tapText(t, w, "确定")
	if !shows(w, "审计日志至少保留 6 个月") {
		t.Fatalf("a retention under six months was taken: %q", texts(w))
	}
	entries[0].SetText("7")
	entries[1].SetText("24")
	tapText(t, w, "确定")
	if u.idle != 7*time.Minute {
		t.Fatalf("idle limit now %v", u.idle)
	}
	if m, _ := u.app.AuditRetention(context.Background()); m != 24 {
		t.Fatalf("retention %d", m)
	}
	u.audit.purge()
	drain(t)
	tapText(t, w, "确定")
	if !shows(w, "没有超过 24 个月的记录") {
		t.Fatalf("purge said: %q", texts(w))
	}
}

func TestABlankStartMakesItsGridFromTheImportWizard(t *testing.T) {
	u, w := newTestUI(t, 0)
	test.Tap(u.residents.importBtn)
	drain(t)
	sel := topSelects(w)
	if len(sel) != 1 || len(sel[0].Options) != 0 || sel[0].PlaceHolder != "还没有网格：请先新建区域" {
		t.Fatalf("grid choice on a blank database: %+v", sel)
	}
	tapText(t, w, "新建区域…")
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("德源街道/红旗社区/第1网格")
	tapText(t, w, "确定")
	if sel[0].Selected != "红旗社区 › 第1网格" {
		t.Fatalf("new grid not chosen: %q of %q", sel[0].Selected, sel[0].Options)
	}
	areas, _ := u.app.VisibleAreas(context.Background(), u.actor)
	if len(areas) != 3 {
		t.Fatalf("areas %+v", areas)
	}
}

// TestBrowseShowsTheFilesOfItsKind: the file dialog shows the files of
// the kind asked for (an import once showed only files without an
// extension, hiding every workbook).
func TestBrowseShowsTheFilesOfItsKind(t *testing.T) {
	for _, c := range []struct {
		save bool
		name string
		want []string
	}{
		{false, "台账.xlsx", []string{".xlsx", ".xlsm"}},
		{false, "", []string{".xlsx", ".xlsm"}},
		{true, "到访登记.xlsx", []string{".xlsx"}},
		{true, "chart.png", []string{".png", ".svg"}},
		{false, "照片.jpg", []string{".jpg", ".jpeg", ".png"}},
	} {
		if got := browseExts(c.save, c.name); !slices.Equal(got, c.want) {
			t.Errorf("%v %q: %v, want %v", c.save, c.name, got, c.want)
		}
	}
}
