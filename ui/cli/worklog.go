package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// runWorkLog is `shequ worklog add|list|export`: a grid worker's log, with
// the visited residents' phone or status corrected in the same step.
func runWorkLog(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"add", "list", "export"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.worklog.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "worklog")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	day := fs.String("day", "", i18n.L("cli.worklog.flag.day"))
	kind := fs.String("kind", "", i18n.L("cli.worklog.flag.kind"))
	content := fs.String("content", "", i18n.L("cli.appeal.flag.content"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	month := fs.String("month", "", i18n.L("cli.worklog.flag.month"))
	worker := fs.String("worker", "", i18n.L("cli.worklog.flag.worker"))
	phoneNo := fs.String("phone", "", i18n.L("cli.worklog.flag.phone"))
	status := fs.String("status", "", i18n.L("cli.worklog.flag.status"))
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	var who multi
	fs.Var(&who, "resident-id-number", i18n.L("cli.worklog.flag.resident"))
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errors.New(i18n.L("cli.worklog.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	areaID, err := a.AreaByName(ctx, actor, *area)
	if err != nil {
		return err
	}
	switch verb {
	case "add":
		in := app.WorkLogInput{Day: *day, Content: *content, GridID: areaID}
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
				fix := app.ResidentInput{ID: r.ID, Name: r.Name, IDNumber: r.IDNumber, Sex: r.Sex, Birth: r.Birth, Phone: r.Phone,
					Ethnicity: r.Ethnicity, Kind: r.Kind, Status: r.Status, Notes: r.Notes, UpdatedAt: r.UpdatedAt}
				if *phoneNo != "" {
					fix.Phone = *phoneNo
				}
				if *status != "" { // the ledger's words, as --status of a cohort
					st, err := coded(app.FieldStatus, []string{*status}, model.Statuses)
					if err != nil {
						return err
					}
					fix.Status = st[0]
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
	case "export":
		if *out == "" {
			return errors.New(i18n.L("cli.ledger.noout"))
		}
		n, err := a.ExportWorkLogs(ctx, actor, app.WorkLogFilter{Month: *month, AreaID: areaID, Account: *worker}, *out)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
		return nil
	}
	logs, err := a.WorkLogs(ctx, actor, app.WorkLogFilter{Month: *month, AreaID: areaID, Account: *worker})
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
			j := logJSON{Day: l.Day, Worker: l.Account, Kind: i18n.WorkKind(l.Kind), Content: l.Content, Residents: []string{}, Houses: []string{}}
			for _, r := range l.Residents {
				j.Residents = append(j.Residents, r.Name)
			}
			for _, h := range l.Houses {
				j.Houses = append(j.Houses, h.Name)
			}
			list = append(list, j)
		}
		return json.NewEncoder(env.Stdout).Encode(list)
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
