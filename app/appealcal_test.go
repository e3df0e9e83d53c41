package app_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

// TestDeadlinesKnowTheOfficialHolidaysAndTheOfficesOwn: with nothing
// marked by the office, a deadline skips the National Day week of 2026 and
// counts its make-up Saturday (10-10) as a workday; a day the office marks
// off itself still counts, even against the official calendar, and the
// list of marked days shows both.
func TestDeadlinesKnowTheOfficialHolidaysAndTheOfficesOwn(t *testing.T) {
	t.Parallel()
	ta, _, office := appealApp(t)
	ctx := context.Background()
	take := func(received time.Time) model.Appeal {
		t.Helper()
		id, err := ta.TakeAppeal(ctx, office, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生",
			Content: "楼道堆放杂物", ReporterName: "李", GridID: ta.grids(t)[0].ID, Received: received})
		if err != nil {
			t.Fatal(err)
		}
		d, err := ta.AppealDetail(ctx, office, id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Appeal
	}
	// 环境卫生: accept in 1, answer in 3, close in 7 working days.
	ap := take(time.Date(2026, 9, 30, 10, 0, 0, 0, time.Local))
	if ap.DueAccept != "2026-10-08" || ap.DueAnswer != "2026-10-10" || ap.DueClose != "2026-10-15" {
		t.Fatalf("received 2026-09-30: due %s / %s / %s, want 2026-10-08 / 2026-10-10 (the 调休 Saturday) / 2026-10-15",
			ap.DueAccept, ap.DueAnswer, ap.DueClose)
	}
	// The office works on 10-08 (official: a workday anyway) and takes
	// 10-09 off; it also works the official holiday 10-07.
	if _, err := ta.SetCalendarDays(ctx, office, "2026-10-09", "", false, false); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.SetCalendarDays(ctx, office, "2026-10-07", "", true, false); err != nil {
		t.Fatal(err)
	}
	ap = take(time.Date(2026, 9, 30, 10, 0, 0, 0, time.Local))
	if ap.DueAccept != "2026-10-07" || ap.DueAnswer != "2026-10-10" || ap.DueClose != "2026-10-15" {
		t.Fatalf("with the office's days: due %s / %s / %s, want 2026-10-07 / 2026-10-10 / 2026-10-15", ap.DueAccept, ap.DueAnswer, ap.DueClose)
	}
	spans, err := ta.Holidays(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range spans {
		lines = append(lines, s.From+".."+s.To+" "+s.Name+map[bool]string{true: " work", false: " off"}[s.Workday]+
			map[bool]string{true: " office", false: ""}[s.Office])
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"2026-10-01..2026-10-06 国庆节 off", "2026-10-07..2026-10-07  work office",
		"2026-10-09..2026-10-09  off office", "2026-10-10..2026-10-10 国庆节 work", "2026-09-20..2026-09-20 国庆节 work",
		"2026-01-01..2026-01-03 元旦节 off"} {
		if !strings.Contains(all, want) {
			t.Errorf("the marked days lack %q:\n%s", want, all)
		}
	}
	// Cleared, the official mark is back.
	if _, err := ta.SetCalendarDays(ctx, office, "2026-10-07", "", false, true); err != nil {
		t.Fatal(err)
	}
	if cal, _ := ta.Calendar(ctx); cal.Workday(day("2026-10-07")) || !cal.Workday(day("2027-09-26")) {
		t.Error("10-07 cleared is not the official holiday again, or 2027's make-up Sunday is unknown")
	}
}

// TestAClosedAppealsDeadlineIsItsCloseDate: the 期限 of a closed appeal
// is the day it was closed, in the list and the detail.
func TestAClosedAppealsDeadlineIsItsCloseDate(t *testing.T) {
	t.Parallel()
	ta, _, office := appealApp(t)
	ctx := context.Background()
	id, err := ta.TakeAppeal(ctx, office, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生",
		Content: "楼道堆放杂物", ReporterName: "李", GridID: ta.grids(t)[0].ID, Received: time.Now().AddDate(0, 0, -20)})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []app.StepInput{{Action: model.ActAccept}, {Action: model.ActAnswer, Reply: "已清理", Method: model.ReplyMethods[0]},
		{Action: model.ActClose, Satisfaction: model.Satisfactions[0]}} {
		if err := ta.AdvanceAppeal(ctx, office, id, in); err != nil {
			t.Fatal(in.Action, err)
		}
	}
	today := time.Now().Format("2006-01-02")
	rows, err := ta.Appeals(ctx, office, app.AppealFilter{})
	if err != nil || len(rows) != 1 {
		t.Fatal(len(rows), err)
	}
	if rows[0].Due != today || rows[0].Mark != app.DueNone {
		t.Errorf("the closed appeal's 期限 is %q (mark %d), want its close date %s", rows[0].Due, rows[0].Mark, today)
	}
	if d, _ := ta.AppealDetail(ctx, office, id); d.Due != today {
		t.Errorf("the detail's 期限 is %q, want %s", d.Due, today)
	}
}

// TestA12345ImportPutsEachOrderInItsAddressesGrid: orders whose address
// names a house go to that house's grid (the district and street before
// the compound do not matter); one that names no house goes to the grid
// asked for; the result counts each.
func TestA12345ImportPutsEachOrderInItsAddressesGrid(t *testing.T) {
	t.Parallel()
	ta, _, office := appealApp(t)
	ctx := context.Background()
	grids := ta.grids(t)
	houses, err := ta.st.FindHouses(ctx, model.AddressQuery{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	pick := map[int64]model.Address{}
	for _, h := range houses {
		if _, ok := pick[h.GridID]; !ok && h.Room != "" && (h.GridID == grids[0].ID || h.GridID == grids[1].ID) {
			pick[h.GridID] = h
		}
	}
	if len(pick) != 2 || grids[0].ParentID != grids[1].ParentID {
		t.Fatalf("the demo has no houses in two grids of one community: %d", len(pick))
	}
	a0, a1 := pick[grids[0].ID], pick[grids[1].ID]
	path := filepath.Join(t.TempDir(), "12345.xlsx")
	writeHotline(t, path, [][]any{
		{1, "GD1", "2026-11-28 09:30", "楼上漏水", "物业服务", "刘先生", "", "某区某街道" + app.FormatAddress(a0), "一般"},
		{2, "GD2", "2026-11-28 10:30", "噪音扰民", "治安", "王女士", "", "某区某街道" + app.FormatAddress(a1), "一般"},
		{3, "GD3", "2026-11-28 11:30", "路灯不亮", "城市管理", "", "", app.FormatAddress(a1), "一般"},
		{4, "GD4", "2026-11-28 12:30", "井盖缺失", "城市管理", "", "", "人民路与解放路交叉口", "一般"},
	})
	res, err := ta.ImportHotline(ctx, office, path, app.HotlineOptions{Grid: grids[0].ID})
	if err != nil || res.Failed() || res.Imported != 4 {
		t.Fatalf("imported %+v %v", res, err)
	}
	got := map[int64]int{}
	for _, g := range res.Grids {
		got[g.ID] = g.Count
		if g.Name == "" {
			t.Errorf("grid %d has no name in the result", g.ID)
		}
	}
	if got[grids[0].ID] != 2 || got[grids[1].ID] != 2 || res.Unplaced != 1 {
		t.Fatalf("the result says %+v, unplaced %d; want 2 in each grid, 1 unplaced", res.Grids, res.Unplaced)
	}
	rows, _ := ta.Appeals(ctx, office, app.AppealFilter{})
	want := map[string]int64{"GD1": grids[0].ID, "GD2": grids[1].ID, "GD3": grids[1].ID, "GD4": grids[0].ID}
	for _, r := range rows {
		if r.GridID != want[r.ExternalNo] {
			t.Errorf("order %s (%s) went to grid %d, want %d", r.ExternalNo, r.Place, r.GridID, want[r.ExternalNo])
		}
	}
}

// TestAppealCategoryChangesAreAudited: the deadlines decide which appeals
// are late, so adding a category and changing its deadlines are in the
// audit trail with who did it.
func TestAppealCategoryChangesAreAudited(t *testing.T) {
	t.Parallel()
	ta, _, office := appealApp(t)
	ctx := context.Background()
	id, err := ta.SaveAppealCategory(ctx, office, model.AppealCategory{Name: "噪音扰民", AcceptDays: 1, AnswerDays: 3, CloseDays: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.SaveAppealCategory(ctx, office, model.AppealCategory{ID: id, Name: "噪音扰民", AcceptDays: 1, AnswerDays: 2, CloseDays: 5}); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{app.AuditAppealCatAdd, app.AuditAppealCatEdit} {
		log, err := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: action}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].Account != office.Account.Username || log[0].Target != "appeal_category:"+strconv.FormatInt(id, 10) {
			t.Errorf("%s: %+v", action, log)
		}
	}
	if log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditAppealCatEdit}, 10); len(log) == 1 && !strings.Contains(log[0].Detail, "5") {
		t.Errorf("the changed deadlines are not in the entry: %s", log[0].Detail)
	}
}
