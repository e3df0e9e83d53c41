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
