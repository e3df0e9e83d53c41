package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/ui/widgets"
)

// topChecks lists the check boxes of the top dialog.
func topChecks(w fyne.Window) []*widgets.Check {
	var out []*widgets.Check
	walkTop(w, func(o fyne.CanvasObject) {
		if c, ok := o.(*widgets.Check); ok {
			out = append(out, c)
		}
	})
	return out
}

// TestMatchWizardSortsAListAndOpensItsGroups: a list of five of the
// worker's residents (one renamed) and a stranger, matched with the list
// as it is for who is left out; a group opens as the residents list.
func TestMatchWizardSortsAListAndOpensItsGroups(t *testing.T) {
	u, w, _ := ledgerUI(t)
	ctx := context.Background()
	l, err := u.app.Residents(ctx, u.actor, app.ListFilter{}) // those living here: a cohort's default
	if err != nil {
		t.Fatal(err)
	}
	total, _ := l.Count(ctx)
	rows, err := l.Page(ctx, nil, 40, false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "补贴名单.xlsx")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"申请人姓名", "身份证号码"})
	n := 2
	for _, r := range rows {
		if r.IDNumber == "" || n > 6 {
			continue
		}
		name := r.Name
		if n == 2 {
			name = "另一个名字"
		}
		x.SetSheetRow("Sheet1", "A"+strconv.Itoa(n), &[]any{name, r.IDNumber})
		n++
	}
	x.SetSheetRow("Sheet1", "A"+strconv.Itoa(n), &[]any{"外来人", idnumber.Synthesize("110105", time.Date(1960, 1, 2, 0, 0, 0, 0, time.UTC), 5, idnumber.Male)})
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	x.Close()

	test.Tap(u.residents.matchBtn)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(path)
	checks := topChecks(w)
	if len(checks) != 1 {
		t.Fatalf("%d check boxes in the first step", len(checks))
	}
	checks[0].SetChecked(true)
	tapText(t, w, "确定")
	drain(t)
	if sel := topSelects(w); len(sel) != 2 || sel[0].Selected != "姓名" || sel[1].Selected != "公民身份号码" {
		t.Fatalf("mapping %v", selected(sel))
	}
	tapText(t, w, "开始比对")
	drain(t)
	res := u.lastMatch
	if res == nil || res.Count(app.MatchSame) != 4 || res.Count(app.MatchRenamed) != 1 || res.Count(app.MatchMissing) != 1 ||
		res.Count(app.MatchAbsent) != total-5 {
		t.Fatalf("match result %+v", res)
	}
	if !shows(w, "名单共 6 行，其中 0 行有问题") || !shows(w, "身份证号匹配、姓名不一致") {
		t.Fatalf("result dialog: %q", texts(w))
	}
	_, buttons, _ := dialogWidgets(w)
	for _, b := range buttons {
		if b.Text == "名单" && !b.Disabled() {
			test.Tap(b) // the first: 已匹配
			break
		}
	}
	drain(t)
	if u.residents.pager.total != 4 || !shows(w, "共 4 人  ·  已匹配（补贴名单.xlsx）") {
		t.Fatalf("list shows %d: %q", u.residents.pager.total, u.residents.status.Text)
	}
	// The result is not lost with the list opened: it comes back from
	// the list's foot, and its 名单有、库中无 opens as the list's rows.
	if !u.residents.matchBack.Visible() {
		t.Fatal("no way back to the match result from the list")
	}
	test.Tap(u.residents.matchBack)
	if !shows(w, "名单共 6 行，其中 0 行有问题") {
		t.Fatalf("the result did not come back: %q", texts(w))
	}
	_, buttons, _ = dialogWidgets(w)
	var opens []*widget.Button
	for _, b := range buttons {
		if b.Text == "名单" {
			opens = append(opens, b)
		}
	}
	if len(opens) != 5 || opens[2].Disabled() { // 已匹配, 姓名不一致, 名单有、库中无, 其他辖区, 人群中不在名单上
		t.Fatalf("%d group buttons; 名单有、库中无 disabled: %v", len(opens), len(opens) > 2 && opens[2].Disabled())
	}
	test.Tap(opens[2])
	stranger := res.Groups[app.MatchMissing][0]
	if !shows(w, "外来人") || !shows(w, app.MaskIDNumber(stranger.IDNumber)) || shows(w, stranger.IDNumber) {
		t.Fatalf("名单有、库中无 shows %q", texts(w))
	}
	if n := len(w.Canvas().Overlays().List()); n != 2 {
		t.Fatalf("%d dialogs: the rows should be over the result", n)
	}
	u.residents.clearFilters()
	drain(t)
	if all, _ := mustList(t, u).Count(ctx); u.residents.pager.total != all {
		t.Fatalf("cleared list shows %d, want %d", u.residents.pager.total, all)
	}
}

// TestFillWizardWritesTheFormForTheList: 报表通 from the residents
// screen: the form's columns mapped, saved under a new name, one row per
// resident the list shows.
func TestFillWizardWritesTheFormForTheList(t *testing.T) {
	u, w, _ := ledgerUI(t)
	dir := t.TempDir()
	form := filepath.Join(dir, "统计表.xlsx")
	x := excelize.NewFile()
	for cell, v := range map[string]string{"A1": "居民情况统计表", "A2": "序号", "B2": "姓名", "C2": "性别", "D2": "年龄", "E2": "是否低保"} {
		x.SetCellValue("Sheet1", cell, v)
	}
	x.MergeCell("Sheet1", "A1", "E1")
	if err := x.SaveAs(form); err != nil {
		t.Fatal(err)
	}
	x.Close()
	test.Tap(u.residents.fillBtn)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(form)
	tapText(t, w, "确定")
	drain(t)
	if sel := topSelects(w); len(sel) != 5 || sel[3].Selected != "年龄" || sel[4].Selected != "留空" {
		t.Fatalf("mapping %v", selected(sel))
	}
	tapText(t, w, "填写并另存…")
	entries, _, _ = dialogWidgets(w)
	out := filepath.Join(dir, "统计表（已填）.xlsx")
	entries[0].SetText(out)
	tapText(t, w, "确定")
	drain(t)
	current, err := u.app.Residents(context.Background(), u.actor, app.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := current.Count(context.Background())
	if u.lastFill == nil || u.lastFill.Rows != n || n != livingHere(t, u) || len(u.lastFill.Unmapped) != 1 {
		t.Fatalf("fill %+v, those living here %d, the list %d", u.lastFill, n, u.residents.pager.total)
	}
	if !shows(w, "以下列没有对应的居民信息，留空：是否低保") {
		t.Fatalf("fill result: %q", texts(w))
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Sheet1", "B3"); v == "" {
		t.Fatal("no name in the first row")
	}
}
