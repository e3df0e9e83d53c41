package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	flag "github.com/spf13/pflag"
	"strconv"

	"shequ/app"
	"shequ/ui/i18n"
)

// visitorVerbs are `shequ visitor add|out|list|export|import`: 到访登记
// from the command line.
func visitorVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("visitor", name, run)
	}
	return []command{v("add", visitorAdd), v("out", visitorOut), v("list", visitorList), v("export", visitorExport), v("import", visitorImport).takes("cli.arg.xlsx")}
}

// placeFlags are --area and --compound, read into their ids.
func placeFlags(fs *flag.FlagSet) func(ctx context.Context, a *app.App, actor *app.Actor) (area, compound int64, err error) {
	compound := fs.String("compound", "", i18n.L("cli.flag.compound"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	return func(ctx context.Context, a *app.App, actor *app.Actor) (int64, int64, error) {
		areaID, err := a.AreaByName(ctx, actor, *area)
		if err != nil {
			return 0, 0, err
		}
		compoundID, err := a.CompoundByName(ctx, actor, areaID, *compound)
		return areaID, compoundID, err
	}
}

func visitorAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "visitor add")
	place := placeFlags(fs)
	house := fs.String("house", "", i18n.L("cli.visitor.flag.house"))
	name := fs.String("name", "", i18n.L("cli.visitor.flag.name"))
	number := fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	phoneNo := fs.String("phone", "", i18n.L("cli.visitor.flag.phone"))
	reason := fs.String("reason", "", i18n.L("cli.visitor.flag.reason"))
	health := fs.String("health", "", i18n.L("cli.visitor.flag.health"))
	at := fs.String("at", "", i18n.L("cli.visitor.flag.at"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	_, compoundID, err := place(ctx, a, actor)
	if err != nil {
		return err
	}
	vid, err := a.RegisterVisit(ctx, actor, app.VisitInput{CompoundID: compoundID, House: *house, Name: *name, IDNumber: *number,
		Phone: *phoneNo, Reason: *reason, Health: *health, TimeIn: *at})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("visitor.added", map[string]any{"ID": vid}))
	return nil
}

func visitorOut(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "visitor out")
	id := fs.Int64("id", 0, i18n.L("cli.visitor.flag.id"))
	at := fs.String("at", "", i18n.L("cli.visitor.flag.at"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.LeaveVisit(ctx, actor, *id, *at); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("visitor.out"))
	return nil
}

// visitFilter makes the flags that choose visits and reads them.
func visitFilter(fs *flag.FlagSet) func(ctx context.Context, a *app.App, actor *app.Actor) (app.VisitFilter, error) {
	place := placeFlags(fs)
	from, to := dateFlags(fs, "audit.from", "audit.to")
	person := fs.String("person", "", i18n.L("cli.visitor.flag.person"))
	inside := fs.Bool("inside", false, i18n.L("cli.visitor.flag.inside"))
	return func(ctx context.Context, a *app.App, actor *app.Actor) (app.VisitFilter, error) {
		_, compoundID, err := place(ctx, a, actor)
		return app.VisitFilter{From: *from, To: *to, CompoundID: compoundID, Person: *person, Inside: *inside}, err
	}
}

func visitorList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "visitor list")
	filter := visitFilter(fs)
	limit := fs.Int("limit", 50, i18n.L("cli.flag.limit"))
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
	list, n, err := a.Visits(ctx, actor, f, nil, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		type visitJSON struct {
			ID       int64  `json:"id"`
			TimeIn   string `json:"time_in"`
			TimeOut  string `json:"time_out"`
			Name     string `json:"name"`
			IDNumber string `json:"id_number"`
			Compound string `json:"compound"`
			House    string `json:"house"`
			Reason   string `json:"reason"`
			Health   string `json:"health"`
		}
		out := struct {
			Total  int         `json:"total"`
			Visits []visitJSON `json:"visits"`
		}{Total: n, Visits: []visitJSON{}}
		for _, v := range list {
			out.Visits = append(out.Visits, visitJSON{v.ID, v.TimeIn, v.TimeOut, v.Name, app.MaskIDNumber(v.IDNumber), v.Address.Compound,
				app.HouseText(v.Address), v.Reason, v.Health})
		}
		return json.NewEncoder(env.Stdout).Encode(out)
	}
	rows := [][]string{{"ID", i18n.L("field.time_in"), i18n.L("field.time_out"), i18n.L("field.name"), i18n.L("field.id_number"),
		i18n.L("field.compound"), i18n.L("visitor.col.house"), i18n.L("visitor.col.reason"), i18n.L("field.health")}}
	for _, v := range list {
		rows = append(rows, []string{strconv.FormatInt(v.ID, 10), v.TimeIn, v.TimeOut, v.Name, app.MaskIDNumber(v.IDNumber),
			v.Address.Compound, app.HouseText(v.Address), v.Reason, v.Health})
	}
	printTable(env.Stdout, rows)
	fmt.Fprintln(env.Stdout, i18n.L("visitor.count", map[string]any{"Count": n, "Shown": len(list)}))
	return nil
}

func visitorExport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "visitor export")
	filter := visitFilter(fs)
	out := ledgerOut(fs)
	reveal, why := revealFlags(fs, "cli.ledger.flag.reveal")
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f, err := filter(ctx, a, actor)
	if err != nil {
		return err
	}
	n, err := a.ExportVisits(ctx, actor, f, *out, *reveal, *why)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("visitor.exported", map[string]any{"Count": n, "Path": *out}))
	return nil
}

func visitorImport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "visitor import")
	place := placeFlags(fs)
	sheet := fs.String("sheet", "", i18n.L("cli.visitor.flag.sheet"))
	dry := fs.Bool("dry-run", false, i18n.L("cli.flag.dryrun"))
	pos, err := parseN(env, fs, args, 1)
	if err != nil {
		return err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	areaID, compoundID, err := place(ctx, a, actor)
	if err != nil {
		return err
	}
	return importVisits(ctx, env, a, actor, pos[0], app.VisitImport{Sheet: *sheet, CompoundID: compoundID, Area: areaID, DryRun: *dry})
}

// importVisits is `shequ visitor import FILE`: a visitors' log read in,
// its problems on stderr, what it did on stdout.
func importVisits(ctx context.Context, env *Env, a *app.App, actor *app.Actor, path string, opt app.VisitImport) error {
	res, err := a.ImportVisits(ctx, actor, path, opt)
	if err != nil {
		return err
	}
	errs := 0
	for _, p := range res.Problems {
		fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
		if p.Error {
			errs++
		}
	}
	if res.Failed() {
		return errors.New(i18n.L("visitor.import.failed", map[string]any{"Count": errs}))
	}
	key := "visitor.import.summary"
	if res.DryRun {
		key = "visitor.import.dry"
	}
	data := map[string]any{"Rows": res.Rows, "Imported": res.Imported, "Existing": res.Existing, "Repeated": res.Repeated}
	summary := i18n.L(key, data)
	if res.Existing+res.Repeated > 0 {
		summary += i18n.L("visitor.import.skipped", data)
	}
	fmt.Fprintln(env.Stdout, summary)
	return nil
}
