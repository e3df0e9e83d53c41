package app

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app/model"
	"shequ/app/outfile"
)

// DayBounds turns a period given as days (2026-11-01, 2026/11/1 …, either
// may be empty) into the audit filter's bounds: from the start of the
// first day to the end of the last, local time.
func DayBounds(from, to string) (string, string, error) {
	var out [2]string
	for i, d := range []string{from, to} {
		if d == "" {
			continue
		}
		day, ok := ParseDate(d)
		if !ok {
			return "", "", problem("date", "err.date.invalid", nil)
		}
		t, _ := time.ParseInLocation("2006-01-02", day, time.Local)
		out[i] = t.AddDate(0, 0, i).UTC().Format(time.RFC3339Nano)
	}
	return out[0], out[1], nil
}

// ExportAudit writes every entry a filter matches, newest first, to an
// xlsx file for an auditor, streamed a sheet row at a time; the workbook
// names who exported it and when, and the export is itself audited.
func (a *App) ExportAudit(ctx context.Context, actor *Actor, f model.AuditFilter, path string) (int, error) {
	if err := mayManageAccounts(actor); err != nil {
		return 0, err
	}
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "审计日志"
	x.SetSheetName("Sheet1", sheet)
	now := time.Now()
	if err := x.SetDocProps(&excelize.DocProperties{Creator: actor.Account.Username, LastModifiedBy: actor.Account.Username,
		Created: now.UTC().Format(time.RFC3339), Title: "社区台账 审计日志"}); err != nil {
		return 0, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return 0, err
	}
	sw.SetColWidth(2, 2, 20)
	sw.SetColWidth(6, 6, 60)
	header := []any{"序号", "时间", "账号", "操作", "对象", "详情"}
	if err := sw.SetRow("A1", header); err != nil {
		return 0, err
	}
	n := 0
	for {
		page, err := a.st.AuditEntries(ctx, f, 5000)
		if err != nil {
			return n, err
		}
		for _, e := range page {
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n+1)
			e = maskEntry(e)
			row := []any{e.ID, e.At.Local().Format("2006-01-02 15:04:05"), e.Account, e.Action, e.Target, e.Detail}
			if err := sw.SetRow(cell, row); err != nil {
				return n, err
			}
		}
		if len(page) < 5000 {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	footer, _ := excelize.CoordinatesToCellName(1, n+3)
	if err := sw.SetRow(footer, []any{fmt.Sprintf("由 %s 于 %s 导出，共 %d 条", actor.Account.Username, now.Format("2006-01-02 15:04"), n)}); err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	if err := outfile.SaveBook(x, path); err != nil {
		return n, fmt.Errorf("app: export audit: %w", err)
	}
	err = a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "audit",
		"account": f.Account, "action": f.Action, "target": f.Target, "from": f.From, "to": f.To, "rows": n})
	return n, err
}
