package cli

import (
	"context"
	"errors"
	"fmt"

	flag "github.com/spf13/pflag"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// worklogVerbs are `shequ worklog add|list|export`: a grid worker's log,
// with the visited residents' phone or status corrected in the same step.
func worklogVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("worklog", name, run)
	}
	return []command{v("add", worklogAdd), v("list", worklogList), v("export", worklogExport)}
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
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError(i18n.L("cli.ledger.noout"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
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
		type logJSON struct {
			Day       string   `json:"day"`
			Worker    string   `json:"worker"`
			Kind      string   `json:"kind"`
			Residents []string `json:"residents"`
			Houses    []string `json:"houses"`
			Content   string   `json:"content"`
		}
		list := []logJSON{}
		for _, l := range logs {
			j := logJSON{Day: l.Day, Worker: l.Account, Kind: string(l.Kind), Content: l.Content, Residents: []string{}, Houses: []string{}}
			for _, r := range l.Residents {
				j.Residents = append(j.Residents, r.Name)
			}
			for _, h := range l.Houses {
				j.Houses = append(j.Houses, h.Name)
			}
			list = append(list, j)
		}
		return writeJSON(env, list)
	}
	rows := [][]string{{i18n.L("worklog.col.day"), i18n.L("worklog.col.worker"), i18n.L("worklog.col.kind"), i18n.L("worklog.col.who"),
		i18n.L("worklog.col.content")}}
	for _, l := range logs {
		var names []string
		for _, r := range l.Residents {
			names = append(names, r.Name)
		}
		for _, h := range l.Houses {
			names = append(names, h.Name)
		}
		rows = append(rows, []string{l.Day, l.Account, i18n.WorkKind(l.Kind), strings.Join(names, "、"),
			strings.ReplaceAll(l.Content, "\n", " ")})
	}
	printTable(env.Stdout, rows)
	return nil
}
