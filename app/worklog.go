package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/app/outfile"
)

// Audit actions of work logs.
const (
	AuditWorkLog         = "worklog.add"
	AuditWorkLogEdit     = "worklog.edit"
	AuditWorkLogWithdraw = "worklog.withdraw"
)

// WorkLogInput is a log entry as a grid worker writes it. Corrections are
// the visited residents' data as corrected during the visit: each is saved
// to the registry (with its history) before the entry, which names the
// fields changed.
type WorkLogInput struct {
	Day         string // "" is today
	Kind        model.WorkKind
	Content     string
	ResidentIDs []int64
	HouseIDs    []int64
	GridID      int64 // when neither residents nor houses say it
	Corrections []ResidentInput
	// Seen are residents as they were when the visit began, corrected
	// since by the resident form: the entry names what changed.
	Seen []model.Resident
}

// AddWorkLog records a log entry in the grid of those it concerned.
func (a *App) AddWorkLog(ctx context.Context, actor *Actor, in WorkLogInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return 0, err
	}
	day, content, ps := a.checkWorkLog(in.Day, in.Kind, in.Content)
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	l := model.WorkLog{AccountID: actor.Account.ID, Day: day, Kind: in.Kind, GridID: in.GridID}
	for _, id := range in.ResidentIDs {
		r, err := a.Resident(ctx, actor, id)
		if err != nil {
			add("residents", "err.worklog.resident", nil)
			continue
		}
		l.Residents = append(l.Residents, model.Named{ID: id, Name: r.Name})
		if l.GridID == 0 {
			l.GridID = r.GridID
		}
	}
	for _, id := range in.HouseIDs {
		addr, err := a.House(ctx, actor, id)
		if err != nil || !inScope(sc, addr.GridID) {
			add("houses", "err.appeal.place", nil)
			continue
		}
		l.Houses = append(l.Houses, model.Named{ID: id, Name: FormatAddress(addr)})
		if l.GridID == 0 {
			l.GridID = addr.GridID
		}
	}
	if l.GridID == 0 && len(sc.Grids) == 1 {
		l.GridID = sc.Grids[0]
	}
	if l.GridID == 0 || !inScope(sc, l.GridID) {
		add("grid", "err.worklog.grid", nil)
	}
	if len(ps) > 0 {
		return 0, ps
	}
	// The corrections first: each to the registry with its history.
	var fixed []string
	for _, c := range in.Corrections {
		before, err := a.Resident(ctx, actor, c.ID)
		if err != nil {
			return 0, err
		}
		if _, err := a.SaveResident(ctx, actor, c); err != nil {
			return 0, err
		}
		after, err := a.Resident(ctx, actor, c.ID)
		if err != nil {
			return 0, err
		}
		if f := changedFields(before.Resident, after.Resident); len(f) > 0 {
			fixed = append(fixed, fmt.Sprintf("%s(%s)", after.Name, strings.Join(f, "、")))
		}
	}
	for _, old := range in.Seen {
		now, err := a.Resident(ctx, actor, old.ID)
		if err != nil {
			return 0, err
		}
		if f := changedFields(old, now.Resident); len(f) > 0 {
			fixed = append(fixed, fmt.Sprintf("%s(%s)", now.Name, strings.Join(f, "、")))
		}
	}
	l.Content = content
	if len(fixed) > 0 {
		l.Content += "\n" + correctedPrefix + strings.Join(fixed, "；")
	}
	return a.st.AddWorkLog(ctx, auditNote(actor.Account.Username, AuditWorkLog, "worklog:%d",
		map[string]any{"kind": in.Kind, "day": day, "residents": len(l.Residents), "corrected": len(fixed)}), l)
}

// checkWorkLog is the one check of an entry's day ("" is today; not in
// the future), kind and content.
func (a *App) checkWorkLog(dayText string, kind model.WorkKind, text string) (day, content string, ps Problems) {
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	day = a.today()
	if strings.TrimSpace(dayText) != "" {
		d, ok := ParseDate(dayText)
		if !ok || d > a.today() {
			add("day", "err.worklog.day", nil)
		}
		day = d
	}
	if !slices.Contains(model.WorkKinds, kind) {
		add("kind", "err.worklog.kind", nil)
	}
	content = strings.TrimSpace(text)
	if content == "" {
		add("content", "err.worklog.content", nil)
	} else if utf8.RuneCountInString(content) > maxAppealText {
		add("content", "err.appeal.toolong", map[string]any{"Max": maxAppealText})
	}
	return day, content, ps
}

// WorkLogEdit is a correction of an entry: its day, kind and content as
// they should be, and why (optional).
type WorkLogEdit struct {
	Day     string
	Kind    model.WorkKind
	Content string
	Reason  string
}

// workLogFor reads an entry the actor may correct or withdraw: in their
// grids, theirs (or they are an administrator), and not withdrawn.
func (a *App) workLogFor(ctx context.Context, actor *Actor, id int64) (model.WorkLog, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.WorkLog{}, err
	}
	logs, err := a.st.WorkLogs(ctx, model.WorkLogQuery{ID: id, Grids: sc.Grids, AllGrids: sc.All})
	if err != nil {
		return model.WorkLog{}, err
	}
	if len(logs) != 1 {
		return model.WorkLog{}, fmt.Errorf("app: work log %d: %w", id, model.ErrNotFound)
	}
	l := logs[0]
	if err := mayChangeWorkLog(actor, l); err != nil {
		return l, err
	}
	if l.Withdrawn != "" {
		return l, problem("id", "err.worklog.withdrawn", map[string]any{"ID": id})
	}
	return l, nil
}

// EditWorkLog corrects an entry; its history keeps the values before.
// Only its author or an administrator may; nothing changed writes nothing.
func (a *App) EditWorkLog(ctx context.Context, actor *Actor, id int64, in WorkLogEdit) error {
	old, err := a.workLogFor(ctx, actor, id)
	if err != nil {
		return err
	}
	day, content, ps := a.checkWorkLog(in.Day, in.Kind, in.Content)
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > maxAppealText {
		ps = append(ps, Problem{Field: "reason", Key: "err.appeal.toolong", Data: map[string]any{"Max": maxAppealText}})
	}
	if len(ps) > 0 {
		return ps
	}
	l := old
	l.Day, l.Kind, l.Content = day, in.Kind, content
	if l.Day == old.Day && l.Kind == old.Kind && l.Content == old.Content {
		return nil
	}
	return a.st.EditWorkLog(ctx, auditNote(actor.Account.Username, AuditWorkLogEdit, fmt.Sprintf("worklog:%d", id),
		map[string]any{"author": old.Account, "reason": reason}), actor.Account.ID, old, l, reason)
}

// WithdrawWorkLog withdraws an entry, with the reason: it stays, marked,
// out of counts and exports. Only its author or an administrator may.
func (a *App) WithdrawWorkLog(ctx context.Context, actor *Actor, id int64, reason string) error {
	old, err := a.workLogFor(ctx, actor, id)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return problem("reason", "err.worklog.reason", nil)
	case utf8.RuneCountInString(reason) > maxAppealText:
		return problem("reason", "err.appeal.toolong", map[string]any{"Max": maxAppealText})
	}
	return a.st.WithdrawWorkLog(ctx, auditNote(actor.Account.Username, AuditWorkLogWithdraw, fmt.Sprintf("worklog:%d", id),
		map[string]any{"author": old.Account, "day": old.Day, "reason": reason}), actor.Account.ID, old, reason)
}

// WorkLogEntry is one entry, with the houses' addresses, and its
// corrections and withdrawal oldest first, for whoever may see it.
func (a *App) WorkLogEntry(ctx context.Context, actor *Actor, id int64) (model.WorkLog, []model.WorkLogChange, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.WorkLog{}, nil, err
	}
	logs, err := a.st.WorkLogs(ctx, model.WorkLogQuery{ID: id, Grids: sc.Grids, AllGrids: sc.All})
	if err != nil {
		return model.WorkLog{}, nil, err
	}
	if len(logs) != 1 {
		return model.WorkLog{}, nil, fmt.Errorf("app: work log %d: %w", id, model.ErrNotFound)
	}
	l := logs[0]
	for j, h := range l.Houses {
		if addr, err := a.st.HouseAddress(ctx, h.ID); err == nil {
			l.Houses[j].Name = FormatAddress(addr)
		}
	}
	hist, err := a.st.WorkLogHistory(ctx, id)
	return l, hist, err
}

// CountWorkLogs counts the entries that stand (not withdrawn).
func CountWorkLogs(logs []model.WorkLog) int {
	n := 0
	for _, l := range logs {
		if l.Withdrawn == "" {
			n++
		}
	}
	return n
}

// MayChangeWorkLog tells a screen whether to offer correcting and
// withdrawing an entry.
func MayChangeWorkLog(actor *Actor, l model.WorkLog) bool {
	return l.Withdrawn == "" && mayChangeWorkLog(actor, l) == nil
}

// correctedPrefix starts the line a log adds for the data corrected on
// the visit; a log is a Chinese document, like a ledger.
const correctedPrefix = "现场更正："

// changedFields names (in the ledger's words) the fields that differ.
func changedFields(a, b model.Resident) []string {
	var out []string
	for _, f := range []struct {
		name     string
		old, new string
	}{{"姓名", a.Name, b.Name}, {"证件号码", a.IDNumber, b.IDNumber}, {"联系电话", a.Phone, b.Phone},
		{"民族", a.Ethnicity, b.Ethnicity}, {"人员类别", string(a.Kind), string(b.Kind)},
		{"状态", string(a.Status), string(b.Status)}, {"备注", a.Notes, b.Notes}} {
		if f.old != f.new {
			out = append(out, f.name)
		}
	}
	return out
}

// WorkLogFilter is what the logs list shows: a month, an area, a worker.
type WorkLogFilter struct {
	Month   string // YYYY-MM; "" is this month
	AreaID  int64
	Account string // a worker's username; "" is everyone
}

// WorkLogs lists the logs of a month in the actor's areas (a grid worker
// sees their grids'), with the houses' addresses; withdrawn entries are
// listed, marked (CountWorkLogs leaves them out).
func (a *App) WorkLogs(ctx context.Context, actor *Actor, f WorkLogFilter) ([]model.WorkLog, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	from, to, err := a.monthDays(f.Month)
	if err != nil {
		return nil, err
	}
	grids, all := narrow(sc, areas, f.AreaID)
	q := model.WorkLogQuery{Grids: grids, AllGrids: all, From: from, To: to}
	if f.Account != "" {
		acc, err := a.st.AccountByName(ctx, f.Account)
		if err != nil {
			return nil, problem("account", "err.appeal.assignee", map[string]any{"Name": f.Account})
		}
		q.AccountID = acc.ID
	}
	logs, err := a.st.WorkLogs(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range logs {
		for j, h := range logs[i].Houses {
			if addr, err := a.st.HouseAddress(ctx, h.ID); err == nil {
				logs[i].Houses[j].Name = FormatAddress(addr)
			}
		}
	}
	return logs, nil
}

// monthDays are a month's first and last days.
func (a *App) monthDays(month string) (string, string, error) {
	m := strings.TrimSpace(month)
	if m == "" {
		m = a.Now().Format("2006-01")
	}
	t, err := time.Parse("2006-01", toHalfWidth(m))
	if err != nil {
		return "", "", problem("month", "err.worklog.month", nil)
	}
	return t.Format("2006-01-02"), t.AddDate(0, 1, -1).Format("2006-01-02"), nil
}

// WorkLogHeader is the monthly work log ledger's layout.
var WorkLogHeader = []string{"日期", "网格", "网格员", "类别", "走访对象", "房屋", "工作内容"}

// WorkKindWords are the ledger's words for the kinds.
var WorkKindWords = map[model.WorkKind]string{model.WorkVisit: "入户走访", model.WorkPatrol: "巡查",
	model.WorkMediation: "矛盾调解", model.WorkPublicity: "政策宣传", model.WorkOther: "其他"}

// ExportWorkLogs writes a month's logs that stand (not withdrawn) as a
// ledger (月度工作日志台账) and returns how many; the export is audited.
func (a *App) ExportWorkLogs(ctx context.Context, actor *Actor, f WorkLogFilter, path string) (int, error) {
	if !actor.Account.CanExport {
		return 0, fmt.Errorf("app: export work logs: %w", model.ErrForbidden)
	}
	all, err := a.WorkLogs(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var logs []model.WorkLog // a withdrawn entry is not in the ledger
	for _, l := range all {
		if l.Withdrawn == "" {
			logs = append(logs, l)
		}
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return 0, err
	}
	names := map[int64]string{}
	for _, ar := range areas {
		names[ar.ID] = ar.Name
	}
	x, err := xlsxwrite.NewBook()
	if err != nil {
		return 0, err
	}
	defer x.Close()
	sheet := "工作日志"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return 0, err
	}
	st, err := xlsxwrite.NewStyles(x)
	if err != nil {
		return 0, err
	}
	widths := []float64{12, 12, 10, 10, 20, 28, 60} // a column per WorkLogHeader
	header := make([]any, len(WorkLogHeader))
	for i, h := range WorkLogHeader {
		header[i] = h
	}
	if err := x.SetSheetRow(sheet, "A1", &header); err != nil {
		return 0, err
	}
	for i, l := range logs {
		var who, houses []string
		for _, r := range l.Residents {
			who = append(who, r.Name)
		}
		for _, h := range l.Houses {
			houses = append(houses, h.Name)
		}
		row := []any{l.Day, names[l.GridID], l.Account, WorkKindWords[l.Kind], strings.Join(who, "、"), strings.Join(houses, "、"), l.Content}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return 0, err
		}
		ht := 0.0
		for c, w := range widths {
			ht = max(ht, xlsxwrite.WrappedHeight(fmt.Sprint(row[c]), w))
		}
		if err := x.SetRowHeight(sheet, i+2, ht); err != nil {
			return 0, err
		}
	}
	for c, w := range widths {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := x.SetColWidth(sheet, col, col, w); err != nil {
			return 0, err
		}
	}
	lastHead, _ := excelize.CoordinatesToCellName(len(WorkLogHeader), 1)
	last, _ := excelize.CoordinatesToCellName(len(WorkLogHeader), len(logs)+1)
	if err := x.SetCellStyle(sheet, "A1", lastHead, st.Head); err != nil {
		return 0, err
	}
	if len(logs) > 0 {
		if err := x.SetCellStyle(sheet, "A2", last, st.Wrap); err != nil {
			return 0, err
		}
	}
	title := strings.TrimSpace("工作日志 " + f.Month)
	if err := xlsxwrite.SetPage(x, sheet, xlsxwrite.Page{HeadRows: 1, Title: title, Footer: "导出：" + actor.Account.Username + " " + a.Now().Format("2006-01-02")}); err != nil {
		return 0, err
	}
	if err := outfile.SaveBook(x, path); err != nil {
		return 0, fmt.Errorf("app: export work logs to %s: %w", filepath.Base(path), err)
	}
	return len(logs), a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "worklogs",
		"month": f.Month, "area": f.AreaID, "rows": len(logs)})
}
