package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"shequ/app/model"
	"shequ/ui/widgets"
)

// TestAnAppealFromIntakeToClosedInTheWindow: taken in through the form,
// then accepted, answered and closed with the dialog's buttons, the list
// and the timeline following.
func TestAnAppealFromIntakeToClosedInTheWindow(t *testing.T) {
	u, w := newTestUI(t, 300)
	s := u.appeals
	u.tabs.SelectIndex(4)
	drain(t)
	if len(s.rows) != 0 || len(s.cats) != 7 {
		t.Fatalf("%d appeals, %d categories at the start", len(s.rows), len(s.cats))
	}
	check := func(ok bool, format string, args ...any) {
		t.Helper()
		if !ok {
			t.Fatalf(format, args...)
		}
	}
	// intake: a missing content is said in the form
	test.Tap(s.addBtn)
	sels := topSelects(w)
	sels[1].SetSelected("环境卫生")
	entries, _, radios := dialogWidgets(w)
	tapText(t, w, "确定")
	check(shows(w, "请填写诉求内容"), "no word of the missing content: %q", texts(w))
	entries[0].SetText("楼道堆放杂物，影响通行") // the content
	entries[2].SetText("张先生")         // name
	entries[3].SetText("13800138000") // phone
	radios[0].SetSelected("紧急")
	tapText(t, w, "确定")
	drain(t)
	check(len(s.rows) == 1 && s.rows[0].Urgency == model.UrgencyUrgent && s.rows[0].Status == model.AppealPending,
		"after intake: %+v", s.rows)
	id := s.rows[0].ID

	step := func(button string, fill func()) {
		t.Helper()
		s.open(id)
		drain(t)
		b := s.detail.actions[actionNamed(button)]
		if b == nil {
			t.Fatalf("no %s for a %s appeal", button, s.detail.detail.Status)
		}
		test.Tap(b)
		if fill != nil {
			fill()
		}
		tapText(t, w, "确定")
		drain(t)
	}
	step("受理", nil)
	check(s.rows[0].Status == model.AppealAccepted && s.rows[0].Assignee == "admin", "accepted: %+v", s.rows[0])
	// no 办结 before an answer
	s.open(id)
	drain(t)
	check(s.detail.actions[model.ActClose] == nil, "办结 offered before an answer")
	step("答复", func() {
		entries, _, _ := dialogWidgets(w)
		entries[0].SetText("已联系物业清理")
		topSelects(w)[0].SetSelected("上门")
	})
	check(s.rows[0].Status == model.AppealAnswered, "answered: %s", s.rows[0].Status)
	step("办结", func() { topSelects(w)[0].SetSelected("满意") })
	// closed: out of 我的待办, in the whole list
	check(len(s.rows) == 0, "a closed appeal stays on the to-do list")
	s.todo.SetChecked(false)
	drain(t)
	check(len(s.rows) == 1 && s.rows[0].Status == model.AppealClosed && s.rows[0].Satisfaction == model.Satisfied, "closed: %+v", s.rows)
	s.open(id)
	drain(t)
	check(len(s.detail.detail.Steps) == 4 && shows(w, "已联系物业清理") && shows(w, "办结 → 已办结"), "the timeline: %q", texts(w))

	// the figures, exported
	st, err := u.app.AppealStats(context.Background(), u.actor, "", "", "category")
	check(err == nil && st.All.Received == 1 && st.All.AnswerRate() == 100, "stats %+v %v", st, err)
	s.showStats()
	drain(t)
	tapText(t, w, "导出 Excel…")
	entries, _, _ = dialogWidgets(w)
	path := filepath.Join(t.TempDir(), "诉求统计.xlsx")
	entries[0].SetText(path)
	tapText(t, w, "确定")
	f, err := excelize.OpenFile(path)
	check(err == nil, "the figures: %v", err)
	rows, _ := f.GetRows("诉求统计")
	f.Close()
	check(len(rows) >= 6 && rows[4][0] == "合计" && rows[4][2] == "100.0%", "the sheet: %q", rows)
}

func actionNamed(word string) model.AppealAction {
	for _, a := range []model.AppealAction{model.ActAccept, model.ActAnswer, model.ActClose} {
		if map[model.AppealAction]string{model.ActAccept: "受理", model.ActAnswer: "答复", model.ActClose: "办结"}[a] == word {
			return a
		}
	}
	return ""
}

// TestA12345ExportThroughTheImportWizard: the ledger wizard reads a
// hotline export, maps a column the user names, and imports the orders
// once.
func TestA12345ExportThroughTheImportWizard(t *testing.T) {
	u, w := newTestUI(t, 100)
	u.tabs.SelectIndex(4)
	drain(t)
	path := filepath.Join(t.TempDir(), "12345导出.xlsx")
	f := excelize.NewFile()
	for r, row := range [][]any{
		{"工单编号", "来电时间", "反映事项", "诉求类别", "来电人", "来电号码"},
		{"GD1", "2026-11-27 10:00", "小区垃圾未清运", "环境卫生", "周", "13800138000"},
		{"GD2", "2026-11-27 11:00", "占道停车", "城市管理", "吴", "13900139000"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	test.Tap(u.appeals.importBtn)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText(path)
	topSelects(w)[0].SetSelectedIndex(0)
	tapText(t, w, "确定")
	drain(t)
	sel := topSelects(w)
	if len(sel) != 6 || sel[0].Selected != "工单编号" || sel[2].Selected != "不导入" {
		t.Fatalf("mapping: %d selects, %v", len(sel), selected(sel))
	}
	sel[2].SetSelected("诉求内容") // 反映事项 is the content
	tapText(t, w, "导入")
	drain(t)
	if !shows(w, "导入12345工单 2 件") || len(u.appeals.rows) != 2 {
		t.Fatalf("after the import: %d appeals, %q", len(u.appeals.rows), texts(w))
	}
	tapText(t, w, "关闭")
	sortsAndFits(t, w, u.appeals.list, 5) // by content
	u.appeals.showStats()
	drain(t)
	sortsAndFits(t, w, u.appeals.stats, 0) // by category
}

// TestTheCategoriesWindowListsTheMarkedDays: 类别与期限 lists the year's
// official holidays and make-up days, and a day the office marks joins
// the list at once, as its own.
func TestTheCategoriesWindowListsTheMarkedDays(t *testing.T) {
	setClock(time.Date(2026, 11, 29, 12, 0, 0, 0, time.Local))
	u, w := newTestUI(t, 0)
	u.appeals.editCategories()
	drain(t)
	list := u.appeals.holidays
	if list == nil || !strings.Contains(list.Text, "2026-10-01 — 2026-10-07  国庆节  休息") || !strings.Contains(list.Text, "2026-10-10  国庆节  上班（调休）") {
		t.Fatalf("the marked days: %v", list)
	}
	entries, _, _ := dialogWidgets(w)
	var from *widgets.Entry
	for _, e := range entries {
		if strings.Contains(e.PlaceHolder, "2026-10-01") {
			from = e
		}
	}
	if from == nil {
		t.Fatal("no day to mark")
	}
	from.SetText("2026-12-24")
	tapText(t, w, "标为放假")
	if !strings.Contains(list.Text, "2026-12-24  本单位设定  休息") {
		t.Fatalf("the office's day is not listed: %q", list.Text)
	}
}
