package i18n

import (
	"errors"
	"fmt"
	"strings"

	"shequ/app"
	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
	"shequ/app/outfile"
)

// Sex, Kind, Status, Relation and Level translate stored codes for display.
func Sex(s model.Sex) string {
	if s == "" {
		return ""
	}
	return L("sex." + string(s))
}

// Kind translates a resident kind (人员类别).
func Kind(k model.Kind) string { return L("kind." + string(k)) }

// Status translates a resident status.
func Status(s model.Status) string { return L("status." + string(s)) }

// Relation translates a relation to the householder.
func Relation(r model.Relation) string {
	if r == "" {
		return ""
	}
	return L("relation." + string(r))
}

// Use translates a house use.
func Use(u model.HouseUse) string { return L("use." + string(u)) }

// Field translates a field name of a problem.
func Field(name string) string { return L("field." + name) }

// Problem translates one problem with what was typed.
func Problem(p app.Problem) string {
	if p.Key == "err.appeal.step" { // codes in the data, said in words
		st := model.AppealStatus(fmt.Sprint(p.Data["Status"]))
		var can []string
		for _, a := range app.Allowed(st) {
			can = append(can, Action(a))
		}
		data := map[string]any{"Status": AppealStatus(st), "Action": Action(model.AppealAction(fmt.Sprint(p.Data["Action"]))),
			"Allowed": strings.Join(can, "、")}
		return L(p.Key, data)
	}
	return L(p.Key, p.Data)
}

// tooLarge trims the package prefixes from a reader's error, leaving where
// (sheet, row) and which bound.
var tooLarge = strings.NewReplacer("app: ", "", "xlsxread: ", "", "workbook too large: ", "")

// Message says an error in the user's language: problems with what was
// typed by field and key, the rest by their sentinel.
func Message(err error) string {
	var (
		ps    app.Problems
		input *outfile.InputError
		newer *model.NewerSchemaError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ps) && len(ps) == 1:
		return Problem(ps[0])
	case errors.As(err, &ps):
		var parts []string
		for _, p := range ps {
			parts = append(parts, Field(p.Field)+": "+Problem(p))
		}
		return strings.Join(parts, "\n")
	case errors.As(err, &input):
		return L("err.output.is_input", map[string]any{"Path": input.Path})
	case errors.As(err, &newer):
		return L("err.db.newer", map[string]any{"Path": newer.Path, "Have": newer.Have, "Know": newer.Know})
	case errors.Is(err, model.ErrBusy):
		return L("err.db.busy")
	case errors.Is(err, xlsxread.ErrDamaged):
		return L("err.ledger.damaged")
	case errors.Is(err, xlsxread.ErrTooLarge):
		return L("err.ledger.too_large", map[string]any{"Detail": tooLarge.Replace(err.Error())})
	case errors.Is(err, app.ErrPassphrase):
		return L("err.passphrase")
	case errors.Is(err, app.ErrBadLogin):
		return L("err.login")
	case errors.Is(err, model.ErrForbidden):
		return L("err.forbidden")
	case errors.Is(err, model.ErrNotFound):
		return L("err.notfound")
	case errors.Is(err, model.ErrConflict):
		return L("err.conflict")
	case errors.Is(err, app.ErrNotEnrolled):
		return L("err.sync.notenrolled")
	}
	return err.Error()
}

// LedgerField names a ledger field.
func LedgerField(f app.LedgerField) string {
	if f == app.FieldNone {
		return L("ledger.field.none")
	}
	return L("field." + string(f))
}

// ImportProblem says one problem of an import with where it is:
// 工作表“Sheet1”第 5 行 · 公民身份号码：….
func ImportProblem(p app.ImportProblem) string {
	level := L("ledger.level.warning")
	if p.Error {
		level = L("ledger.level.error")
	}
	where := L("ledger.where", map[string]any{"Sheet": p.Sheet, "Row": p.Row})
	if p.Field != app.FieldNone {
		where += " · " + LedgerField(p.Field)
	}
	return level + " " + where + "：" + L(p.Key, p.Data)
}

// VaccinationImportSummary is the line an import of doses ends with.
func VaccinationImportSummary(r *app.VaccinationImportResult) string {
	key := "vaccine.import.summary"
	if r.DryRun {
		key = "vaccine.import.dry"
	}
	m := r.Match
	return L(key, map[string]any{"Rows": r.Rows, "Added": r.Added, "Existing": r.Existing,
		"Matched": m.Count(app.MatchSame) + m.Count(app.MatchRenamed), "Missing": m.Count(app.MatchMissing) + m.Count(app.MatchElsewhere)})
}

// MatchGroup names a group of a 碰撞比对.
func MatchGroup(g app.MatchGroup) string { return L("match.group." + string(g)) }

// ReportText says an import report's problems in the user's language.
func ReportText() app.ReportText {
	return app.ReportText{
		Problem: func(p app.ImportProblem) string { return L(p.Key, p.Data) },
		Field:   LedgerField,
		Level: func(isErr bool) string {
			if isErr {
				return L("ledger.level.error")
			}
			return L("ledger.level.warning")
		},
	}
}

// ImportSummary is the line an import ends with: 导入 N 人，新建房屋 H 户，
// 跳过 K 行（错误），警告 W 条.
func ImportSummary(r *app.ImportResult) string {
	s := L("ledger.summary", map[string]any{"Imported": r.Imported + r.Updated, "Houses": r.HousesCreated,
		"Skipped": r.Skipped, "Warnings": r.Warnings})
	if r.Updated > 0 {
		s += L("ledger.summary.updated", map[string]any{"Count": r.Updated})
	}
	if r.Existing > 0 {
		s += L("ledger.summary.existing", map[string]any{"Count": r.Existing})
	}
	if r.Unchanged > 0 {
		s += L("ledger.summary.unchanged", map[string]any{"Count": r.Unchanged})
	}
	if r.DryRun {
		s = L("ledger.summary.dry") + s
	}
	return s
}

// Cohort says a cohort's conditions in a line (25-35 岁、女、流动、2 个标签条件).
func Cohort(c *app.CohortFilter) string {
	if c == nil {
		return ""
	}
	var parts []string
	if c.Ages != "" {
		parts = append(parts, L("cohort.ages.short", map[string]any{"Ages": c.Ages}))
	}
	if c.Sex != "" {
		parts = append(parts, Sex(c.Sex))
	}
	for _, k := range c.Kinds {
		parts = append(parts, Kind(k))
	}
	for _, st := range c.Statuses {
		parts = append(parts, Status(st))
	}
	if n := len(c.TagsAny) + len(c.TagsAll) + len(c.TagsNone); n > 0 {
		parts = append(parts, L("cohort.tags.short", map[string]any{"Count": n}))
	}
	if c.Alone {
		parts = append(parts, L("cohort.alone"))
	}
	if len(parts) == 0 {
		parts = append(parts, L("cohort.some"))
	}
	return strings.Join(parts, "、")
}

// AppealStatus, Channel, Urgency, Satisfaction, ReplyMethod and Action
// translate an appeal's codes.
func AppealStatus(s model.AppealStatus) string { return L("appeal.status." + string(s)) }

// Channel translates how an appeal came in.
func Channel(c model.Channel) string { return L("appeal.channel." + string(c)) }

// Urgency translates 一般 / 紧急.
func Urgency(u model.Urgency) string { return L("appeal.urgency." + string(u)) }

// Satisfaction translates a verdict at closing ("" stays "").
func Satisfaction(s model.Satisfaction) string {
	if s == "" {
		return ""
	}
	return L("appeal.satisfaction." + string(s))
}

// ReplyMethod translates how a resident was answered ("" stays "").
func ReplyMethod(m model.ReplyMethod) string {
	if m == "" {
		return ""
	}
	return L("appeal.method." + string(m))
}

// Action translates a step of an appeal's handling.
func Action(a model.AppealAction) string { return L("appeal.action." + string(a)) }

// WorkKind translates what a work log records.
func WorkKind(k model.WorkKind) string { return L("worklog.kind." + string(k)) }

// WorkLogState says whether a work log entry stands, was corrected, or
// was withdrawn (when, by whom).
func WorkLogState(l model.WorkLog) string {
	switch {
	case l.Withdrawn != "":
		return L("worklog.state.withdrawn", map[string]any{"At": app.LocalTime(l.Withdrawn), "By": l.WithdrawnBy})
	case l.Edited > 0:
		return L("worklog.state.edited", map[string]any{"Count": l.Edited})
	}
	return ""
}

// Due is a deadline with its mark: 2026-11-27 超期, 2026-11-30 将到期.
func Due(due string, m app.Due) string {
	switch m {
	case app.DueOver:
		return due + " " + L("appeal.overdue")
	case app.DueSoon:
		return due + " " + L("appeal.duesoon")
	}
	return due
}

// HolidaySpan is a run of marked days as a line: 2026-10-01 — 2026-10-06
// 国庆节 休息; the office's own say so.
func HolidaySpan(s app.HolidaySpan) string {
	days := s.From
	if s.To != s.From {
		days += " — " + s.To
	}
	name := s.Name
	if s.Office {
		name = L("appeal.holiday.office")
	}
	kind := L("appeal.holiday.dayoff")
	if s.Workday {
		kind = L("appeal.holiday.workday")
	}
	return days + "  " + name + "  " + kind
}

// HotlineGrids says where a 12345 import's orders went: each grid's
// count, and how many found no house by their address ("" for none).
func HotlineGrids(r *app.HotlineResult) string {
	if len(r.Grids) == 0 {
		return ""
	}
	var parts []string
	for _, g := range r.Grids {
		name := g.Name
		if name == "" {
			name = L("appeal.stats.none")
		}
		parts = append(parts, L("hotline.grids.one", map[string]any{"Grid": name, "Count": g.Count}))
	}
	return L("hotline.grids", map[string]any{"Grids": strings.Join(parts, L("hotline.grids.sep")), "Unplaced": r.Unplaced})
}

// LedgerFieldOf names a field as a kind of ledger calls it: a 12345
// export's caller is 来电人, its place 诉求地址, its content 诉求内容.
func LedgerFieldOf(k app.LedgerKind, f app.LedgerField) string {
	if f == app.FieldNone && (k == app.LedgerList || k == app.LedgerForm) {
		return L("ledger.field.none." + string(k)) // 不用于比对, 留空
	}
	if k == app.LedgerHotline {
		switch f {
		case app.FieldName:
			return L("hotline.field.name")
		case app.FieldAddress:
			return L("hotline.field.address")
		case app.FieldContent:
			return L("hotline.field.content")
		}
	}
	return LedgerField(f)
}

// SyncSummary is one sync round's line, for the window and the command line.
func SyncSummary(res app.SyncResult) string {
	s := L("sync.done", map[string]any{"Pushed": res.Pushed, "Pulled": res.Pulled, "Conflicts": res.Conflicts, "Refused": res.Refused})
	if res.Forgotten > 0 {
		s += L("sync.forgotten", map[string]any{"Count": res.Forgotten})
	}
	if res.Restamped > 0 {
		s += L("sync.restamped", map[string]any{"Count": res.Restamped})
	}
	if res.AuditCut > 0 {
		s += L("sync.auditcut", map[string]any{"ID": res.AuditCut})
	}
	return s
}
