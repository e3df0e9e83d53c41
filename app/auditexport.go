package app

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app/ledger/xlsxwrite"
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
	x, err := xlsxwrite.NewBook()
	if err != nil {
		return 0, err
	}
	defer x.Close()
	const sheet = "审计日志"
	x.SetSheetName("Sheet1", sheet)
	st, err := xlsxwrite.NewStyles(x)
	if err != nil {
		return 0, err
	}
	now := time.Now()
	if err := x.SetDocProps(&excelize.DocProperties{Creator: actor.Account.Username, LastModifiedBy: actor.Account.Username,
		Created: now.UTC().Format(time.RFC3339), Title: "社区台账 审计日志"}); err != nil {
		return 0, err
	}
	exported := fmt.Sprintf("由 %s 于 %s 导出", actor.Account.Username, now.Format("2006-01-02 15:04"))
	if err := xlsxwrite.SetPage(x, sheet, xlsxwrite.Page{HeadRows: 1, Title: "社区台账 审计日志", Footer: exported}); err != nil {
		return 0, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return 0, err
	}
	const detailWidth = 60
	for i, w := range []float64{8, 20, 12, 14, 20, detailWidth} {
		sw.SetColWidth(i+1, i+1, w)
	}
	header := []any{"序号", "时间", "账号", "操作", "对象", "详情"}
	for i, h := range header {
		header[i] = excelize.Cell{StyleID: st.Head, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return 0, err
	}
	cells, vals := make([]excelize.Cell, len(header)), make([]any, len(header))
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
			ht := excelize.RowOpts{Height: xlsxwrite.WrappedHeight(e.Detail, detailWidth)}
			if err := sw.SetRow(cell, xlsxwrite.Ruled(row, st.Wrap, cells, vals), ht); err != nil {
				return n, err
			}
		}
		if len(page) < 5000 {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	footer, _ := excelize.CoordinatesToCellName(1, n+3)
	if err := sw.SetRow(footer, []any{excelize.Cell{StyleID: st.Line, Value: fmt.Sprintf("%s，共 %d 条", exported, n)}}); err != nil {
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
