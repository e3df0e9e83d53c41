package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
)

// TestAWorkLogRecordsAVisitAndItsCorrections: a grid worker logs a visit,
// correcting the resident's phone on the way; the registry keeps the change
// in the history, the log names it, the month's ledger lists it, and a
// worker of another grid sees none of it.
func TestAWorkLogRecordsAVisitAndItsCorrections(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta, grid, office := appealApp(t)
	ctx := context.Background()
	mine := ta.rows(t, grid, app.ListFilter{})
	r := mine[0]
	full, err := ta.Resident(ctx, grid, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	fix := app.ResidentInput{ID: r.ID, Name: full.Name, IDNumber: full.IDNumber, Sex: full.Sex, Birth: full.Birth, Phone: "13911112222",
		Ethnicity: full.Ethnicity, Kind: full.Kind, Status: full.Status, Notes: full.Notes, UpdatedAt: full.UpdatedAt}
	if _, err := ta.AddWorkLog(ctx, grid, app.WorkLogInput{Day: "2026-12-01", Kind: model.WorkVisit, Content: "x",
		ResidentIDs: []int64{r.ID}}); problemKeys(t, err)["day"] != "err.worklog.day" {
		t.Fatalf("a log for tomorrow: %v", err)
	}
	if _, err := ta.AddWorkLog(ctx, grid, app.WorkLogInput{Kind: model.WorkVisit, ResidentIDs: []int64{r.ID}}); problemKeys(t, err)["content"] != "err.worklog.content" {
		t.Fatalf("a log without content: %v", err)
	}
	id, err := ta.AddWorkLog(ctx, grid, app.WorkLogInput{Day: "2026-11-28", Kind: model.WorkVisit, Content: "入户走访，了解生活情况",
		ResidentIDs: []int64{r.ID}, HouseIDs: []int64{r.HouseID}, Corrections: []app.ResidentInput{fix}})
	if err != nil || id == 0 {
		t.Fatal(err)
	}
	hist, _ := ta.History(ctx, grid, r.ID)
	found := false
	for _, h := range hist {
		if h.Field == "phone" && h.New == "13911112222" && h.Account == "grid1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the phone's change is not in the history: %+v", hist)
	}
	logs, err := ta.WorkLogs(ctx, office, app.WorkLogFilter{Month: "2026-11"})
	if err != nil || len(logs) != 1 {
		t.Fatalf("the office sees %d logs: %v", len(logs), err)
	}
	l := logs[0]
	if l.Account != "grid1" || len(l.Residents) != 1 || len(l.Houses) != 1 || l.Houses[0].Name == "" ||
		!strings.Contains(l.Content, "现场更正："+r.Name+"(联系电话)") {
		t.Fatalf("the log %+v", l)
	}
	if logs, _ := ta.WorkLogs(ctx, office, app.WorkLogFilter{Month: "2026-10"}); len(logs) != 0 {
		t.Errorf("October has %d logs", len(logs))
	}
	// another grid's worker sees none of it
	grids := ta.grids(t)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "g2", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{grids[1].ID}, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	g2, _ := ta.Login(ctx, "g2", adminPassword)
	if logs, _ := ta.WorkLogs(ctx, g2, app.WorkLogFilter{Month: "2026-11"}); len(logs) != 0 {
		t.Errorf("another grid's worker sees %d logs", len(logs))
	}
	if _, err := ta.AddWorkLog(ctx, g2, app.WorkLogInput{Kind: model.WorkVisit, Content: "x", ResidentIDs: []int64{r.ID}}); err == nil {
		t.Error("logged a visit to someone of another grid")
	}
	// the month's ledger
	path := filepath.Join(t.TempDir(), "工作日志.xlsx")
	if _, err := ta.ExportWorkLogs(ctx, grid, app.WorkLogFilter{Month: "2026-11"}, path); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("exported without the permission: %v", err)
	}
	n, err := ta.ExportWorkLogs(ctx, office, app.WorkLogFilter{Month: "2026-11"}, path)
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("工作日志")
	checkPrinted(t, f, "工作日志", "landscape", 1, "G2")
	f.Close()
	if len(rows) != 2 || rows[0][0] != "日期" || rows[1][0] != "2026-11-28" || rows[1][3] != "入户走访" || rows[1][4] != r.Name {
		t.Fatalf("the ledger %q", rows)
	}
}

// TestAWorkLogIsCorrectedAndWithdrawnWithItsHistory: its author corrects
// an entry (the history keeps the old values) and withdraws it with a
// reason; the withdrawn entry stays, marked, out of the count and the
// month's ledger, and can be changed no more. Another grid worker of the
// same grid, or a community worker, may do neither; an administrator may.
func TestAWorkLogIsCorrectedAndWithdrawnWithItsHistory(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	ta, grid, office := appealApp(t)
	ctx := context.Background()
	grids := ta.grids(t)
	for _, in := range []app.AccountInput{
		{Username: "grid1b", Password: adminPassword, Role: model.RoleGrid, Areas: []int64{grids[0].ID}},
		{Username: "admin2", Password: adminPassword, Role: model.RoleAdmin, Areas: []int64{grids[0].ParentID}},
	} {
		if _, err := ta.CreateAccount(ctx, ta.admin, in); err != nil {
			t.Fatal(err)
		}
	}
	other, _ := ta.Login(ctx, "grid1b", adminPassword)
	admin, _ := ta.Login(ctx, "admin2", adminPassword)
	add := func(content string) int64 {
		id, err := ta.AddWorkLog(ctx, grid, app.WorkLogInput{Day: "2026-11-28", Kind: model.WorkVisit, Content: content, GridID: grids[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b, c := add("入户走访"), add("巡查楼道"), add("政策宣传")
	if err := ta.EditWorkLog(ctx, grid, a, app.WorkLogEdit{Day: "2026-11-27", Kind: model.WorkPatrol, Content: "巡查消防通道",
		Reason: "写错了"}); err != nil {
		t.Fatal(err)
	}
	if err := ta.EditWorkLog(ctx, grid, a, app.WorkLogEdit{Day: "2026-11-27", Kind: model.WorkPatrol}); problemKeys(t, err)["content"] != "err.worklog.content" {
		t.Fatalf("corrected to no content: %v", err)
	}
	for _, who := range []*app.Actor{other, office} {
		if err := ta.EditWorkLog(ctx, who, a, app.WorkLogEdit{Day: "2026-11-27", Kind: model.WorkPatrol, Content: "x"}); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("%s corrected another's entry: %v", who.Account.Username, err)
		}
		if err := ta.WithdrawWorkLog(ctx, who, a, "不对"); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("%s withdrew another's entry: %v", who.Account.Username, err)
		}
	}
	if err := ta.WithdrawWorkLog(ctx, grid, a, " "); problemKeys(t, err)["reason"] != "err.worklog.reason" {
		t.Fatalf("withdrawn without a reason: %v", err)
	}
	if err := ta.WithdrawWorkLog(ctx, grid, a, "重复记录"); err != nil {
		t.Fatal(err)
	}
	if err := ta.WithdrawWorkLog(ctx, admin, c, "与走访无关"); err != nil {
		t.Fatalf("an administrator withdraws: %v", err)
	}
	if err := ta.EditWorkLog(ctx, grid, a, app.WorkLogEdit{Day: "2026-11-27", Kind: model.WorkPatrol, Content: "再改"}); problemKeys(t, err)["id"] != "err.worklog.withdrawn" {
		t.Fatalf("a withdrawn entry corrected: %v", err)
	}
	logs, err := ta.WorkLogs(ctx, office, app.WorkLogFilter{Month: "2026-11"})
	if err != nil || len(logs) != 3 {
		t.Fatalf("the office sees %d entries (the withdrawn ones stay, marked): %v", len(logs), err)
	}
	byID := map[int64]model.WorkLog{}
	for _, l := range logs {
		byID[l.ID] = l
	}
	la := byID[a]
	if la.Withdrawn == "" || la.WithdrawnBy != "grid1" || la.WithdrawReason != "重复记录" || la.Content != "巡查消防通道" ||
		la.Kind != model.WorkPatrol || la.Day != "2026-11-27" || la.Edited != 1 {
		t.Fatalf("the corrected, withdrawn entry: %+v", la)
	}
	if byID[b].Withdrawn != "" || byID[c].WithdrawnBy != "admin2" || app.CountWorkLogs(logs) != 1 {
		t.Fatalf("standing %d (want 1): %+v", app.CountWorkLogs(logs), logs)
	}
	_, hist, err := ta.WorkLogEntry(ctx, office, a)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history %+v %v", hist, err)
	}
	if h := hist[0]; h.Action != "edit" || h.Account != "grid1" || h.Day != "2026-11-28" || h.Kind != model.WorkVisit ||
		h.Content != "入户走访" || h.Reason != "写错了" {
		t.Errorf("the correction keeps %+v", h)
	}
	if h := hist[1]; h.Action != "withdraw" || h.Content != "巡查消防通道" || h.Reason != "重复记录" {
		t.Errorf("the withdrawal keeps %+v", h)
	}
	path := filepath.Join(t.TempDir(), "工作日志.xlsx")
	n, err := ta.ExportWorkLogs(ctx, office, app.WorkLogFilter{Month: "2026-11"}, path)
	if err != nil || n != 1 {
		t.Fatalf("exported %d (want 1): %v", n, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("工作日志")
	f.Close()
	if len(rows) != 2 || rows[1][6] != "巡查楼道" {
		t.Fatalf("the ledger %q", rows)
	}
}
