package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	flag "github.com/spf13/pflag"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// worklogVerbs are `shequ worklog add|list|export|edit|withdraw|history`:
// a grid worker's log, with the visited residents' phone or status
// corrected in the same step; an entry corrected or withdrawn (--id) by
// its author or an administrator, its history kept.
func worklogVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("worklog", name, run)
	}
	return []command{v("add", worklogAdd), v("list", worklogList), v("export", worklogExport),
		v("edit", worklogEdit), v("withdraw", worklogWithdraw), v("history", worklogHistory)}
}

// worklogEntry reads --id's entry, for the verbs that change or show one.
func worklogEntry(ctx context.Context, a *app.App, actor *app.Actor, id int64) (model.WorkLog, []model.WorkLogChange, error) {
	if id == 0 {
		return model.WorkLog{}, nil, usageError(i18n.L("cli.worklog.noid"))
	}
	return a.WorkLogEntry(ctx, actor, id)
}

// worklogEdit corrects an entry: what is not given stays.
func worklogEdit(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog edit")
	id := fs.Int64("id", 0, i18n.L("cli.worklog.flag.id"))
	day := fs.String("day", "", i18n.L("cli.worklog.flag.day"))
	kind := fs.String("kind", "", i18n.L("cli.worklog.flag.kind"))
	content := fs.String("content", "", i18n.L("cli.appeal.flag.content"))
	reason := fs.String("reason", "", i18n.L("cli.worklog.flag.reason"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	l, _, err := worklogEntry(ctx, a, actor, *id)
	if err != nil {
		return err
	}
	in := app.WorkLogEdit{Day: l.Day, Kind: l.Kind, Content: l.Content, Reason: *reason}
	if fs.Changed("day") {
		in.Day = *day
	}
	if fs.Changed("kind") {
		if in.Kind, err = word(*kind, model.WorkKinds, i18n.WorkKind); err != nil {
			return err
		}
	}
	if fs.Changed("content") {
		in.Content = *content
	}
	if err := a.EditWorkLog(ctx, actor, *id, in); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("worklog.edited.done", map[string]any{"ID": *id}))
	return nil
}

// worklogWithdraw withdraws an entry, with why: it stays, marked, out of
// counts and exports.
func worklogWithdraw(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog withdraw")
	id := fs.Int64("id", 0, i18n.L("cli.worklog.flag.id"))
	reason := fs.String("reason", "", i18n.L("cli.worklog.flag.reason"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if _, _, err := worklogEntry(ctx, a, actor, *id); err != nil {
		return err
	}
	if err := a.WithdrawWorkLog(ctx, actor, *id, *reason); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("worklog.withdrawn.done", map[string]any{"ID": *id}))
	return nil
}

// worklogHistory shows an entry with its corrections.
func worklogHistory(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog history")
	id := fs.Int64("id", 0, i18n.L("cli.worklog.flag.id"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	l, hist, err := worklogEntry(ctx, a, actor, *id)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, workLogOut(l, hist))
	}
	rows := [][]string{{i18n.L("worklog.col.when"), i18n.L("worklog.col.worker"), i18n.L("worklog.col.change"),
		i18n.L("worklog.col.day"), i18n.L("worklog.col.kind"), i18n.L("worklog.col.content"), i18n.L("field.reason")}}
	for _, c := range hist {
		rows = append(rows, []string{app.LocalTime(c.At), c.Account, i18n.L("worklog.change." + c.Action), c.Day, i18n.WorkKind(c.Kind),
			strings.ReplaceAll(c.Content, "\n", " "), c.Reason})
	}
	rows = append(rows, []string{"", l.Account, i18n.WorkLogState(l), l.Day, i18n.WorkKind(l.Kind),
		strings.ReplaceAll(l.Content, "\n", " "), l.WithdrawReason})
	printTable(env.Stdout, rows)
	return nil
}

func worklogAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog add")
	day := fs.String("day", "", i18n.L("cli.worklog.flag.day"))
	kind := fs.String("kind", "", i18n.L("cli.worklog.flag.kind"))
	content := fs.String("content", "", i18n.L("cli.appeal.flag.content"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	var who multi
	fs.Var(&who, "resident-id-number", i18n.L("cli.worklog.flag.resident"))
	phoneNo := fs.String("phone", "", i18n.L("cli.worklog.flag.phone"))
	status := fs.String("status", "", i18n.L("cli.worklog.flag.status"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	in := app.WorkLogInput{Day: *day, Content: *content}
	if in.GridID, err = a.AreaByName(ctx, actor, *area); err != nil {
		return err
	}
	if in.Kind, err = word(*kind, model.WorkKinds, i18n.WorkKind); err != nil {
		return err
	}
	for i, n := range who {
		r, visible, ok, err := a.ResidentByIDNumber(ctx, actor, n)
		if err != nil {
			return err
		}
		if !ok || !visible {
			return errors.New(i18n.L("err.appeal.reporter"))
		}
		in.ResidentIDs = append(in.ResidentIDs, r.ID)
		if i == 0 && (*phoneNo != "" || *status != "") { // corrections are the first resident's
			fix, err := correction(r, *phoneNo, *status)
			if err != nil {
				return err
			}
			in.Corrections = append(in.Corrections, fix)
		}
	}
	id, err := a.AddWorkLog(ctx, actor, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, id)
	return nil
}

// correction is a visited resident with the phone or status the visit found.
func correction(r model.Resident, phoneNo, status string) (app.ResidentInput, error) {
	fix := app.ResidentInput{ID: r.ID, Name: r.Name, IDNumber: r.IDNumber, Sex: r.Sex, Birth: r.Birth, Phone: r.Phone,
		Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status, Notes: r.Notes, UpdatedAt: r.UpdatedAt}
	if phoneNo != "" {
		fix.Phone = phoneNo
	}
	if status != "" { // the ledger's words, as --status of a cohort
		st, err := coded(app.FieldStatus, []string{status}, model.Statuses)
		if err != nil {
			return fix, err
		}
		fix.Status = st[0]
	}
	return fix, nil
}

// workLogFilter makes the flags that choose logs and reads them.
func workLogFilter(fs *flag.FlagSet) func(ctx context.Context, a *app.App, actor *app.Actor) (app.WorkLogFilter, error) {
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	month := fs.String("month", "", i18n.L("cli.worklog.flag.month"))
	worker := fs.String("worker", "", i18n.L("cli.worklog.flag.worker"))
	return func(ctx context.Context, a *app.App, actor *app.Actor) (app.WorkLogFilter, error) {
		areaID, err := a.AreaByName(ctx, actor, *area)
		return app.WorkLogFilter{Month: *month, AreaID: areaID, Account: *worker}, err
	}
}

func worklogExport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog export")
	filter := workLogFilter(fs)
	out := ledgerOut(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f, err := filter(ctx, a, actor)
	if err != nil {
		return err
	}
	n, err := a.ExportWorkLogs(ctx, actor, f, *out)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
	return nil
}

func worklogList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "worklog list")
	filter := workLogFilter(fs)
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f, err := filter(ctx, a, actor)
	if err != nil {
		return err
	}
	logs, err := a.WorkLogs(ctx, actor, f)
	if err != nil {
		return err
	}
	if *asJSON {
		list := []logJSON{}
		for _, l := range logs {
			list = append(list, workLogOut(l, nil))
		}
		return writeJSON(env, list)
	}
	rows := [][]string{{i18n.L("worklog.col.id"), i18n.L("worklog.col.day"), i18n.L("worklog.col.worker"), i18n.L("worklog.col.kind"),
		i18n.L("worklog.col.who"), i18n.L("worklog.col.content"), i18n.L("worklog.col.state")}}
	for _, l := range logs {
		var names []string
		for _, r := range l.Residents {
			names = append(names, r.Name)
		}
		for _, h := range l.Houses {
			names = append(names, h.Name)
		}
		rows = append(rows, []string{strconv.FormatInt(l.ID, 10), l.Day, l.Account, i18n.WorkKind(l.Kind), strings.Join(names, "、"),
			strings.ReplaceAll(l.Content, "\n", " "), i18n.WorkLogState(l)})
	}
	printTable(env.Stdout, rows)
	return nil
}

// logJSON is an entry as --json prints it, with codes (kind), never words;
// a withdrawn one says when, by whom and why; history is its corrections.
type logJSON struct {
	ID             int64        `json:"id"`
	Day            string       `json:"day"`
	Worker         string       `json:"worker"`
	Kind           string       `json:"kind"`
	Residents      []string     `json:"residents"`
	Houses         []string     `json:"houses"`
	Content        string       `json:"content"`
	Edited         int          `json:"edited"`
	Withdrawn      string       `json:"withdrawn,omitempty"`
	WithdrawnBy    string       `json:"withdrawn_by,omitempty"`
	WithdrawReason string       `json:"withdraw_reason,omitempty"`
	History        []changeJSON `json:"history,omitempty"`
}

type changeJSON struct {
	Action  string `json:"action"`
	Account string `json:"account"`
	At      string `json:"at"`
	Day     string `json:"day"`
	Kind    string `json:"kind"`
	Content string `json:"content"`
	Reason  string `json:"reason"`
}

func workLogOut(l model.WorkLog, hist []model.WorkLogChange) logJSON {
	j := logJSON{ID: l.ID, Day: l.Day, Worker: l.Account, Kind: string(l.Kind), Content: l.Content, Residents: []string{},
		Houses: []string{}, Edited: l.Edited, Withdrawn: l.Withdrawn, WithdrawnBy: l.WithdrawnBy, WithdrawReason: l.WithdrawReason}
	for _, r := range l.Residents {
		j.Residents = append(j.Residents, r.Name)
	}
	for _, h := range l.Houses {
		j.Houses = append(j.Houses, h.Name)
	}
	for _, c := range hist {
		j.History = append(j.History, changeJSON{c.Action, c.Account, c.At, c.Day, string(c.Kind), c.Content, c.Reason})
	}
	return j
}
