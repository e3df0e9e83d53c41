package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := bareFlags("version")
	if err := parse(env, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "shequ "+env.Version)
	return nil
}

func runInit(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "init")
	admin := fs.String("admin", "", i18n.L("cli.flag.admin"))
	personal := fs.Bool("personal-data", false, i18n.L("cli.flag.personaldata"))
	spec := fs.String("store", "", i18n.L("cli.flag.store"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *admin == "" {
		return fmt.Errorf("%s", i18n.L("cli.noadmin"))
	}
	if err := app.CheckUsername(*admin); err != nil {
		return err
	}
	if *spec != "" {
		return initServer(ctx, env, *spec, *admin, *personal)
	}
	pw, err := password(env, true)
	if err != nil {
		return err
	}
	// Refuse a weak password before a database file is made for nothing.
	if err := app.CheckPassword(*admin, pw); err != nil {
		return err
	}
	a, done, err := Open(ctx, env, *db, true)
	if err != nil {
		return err
	}
	defer done()
	if _, err := a.Init(ctx, *admin, pw, *personal); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.init.done", map[string]any{"User": *admin, "DB": *db}))
	return nil
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "demo")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	n := fs.Int("residents", 3000, i18n.L("cli.flag.residents"))
	seed := fs.Uint64("seed", 1, i18n.L("cli.flag.seed"))
	spec := fs.String("store", "", i18n.L("cli.flag.store"))
	if err := parse(env, fs, args); err != nil {
		return err
	}
	if *spec != "" {
		return demoServer(ctx, env, *spec, *user, *n, *seed)
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	last := time.Now()
	err = a.Demo(ctx, actor, *n, *seed, func(made, total int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(env.Stderr, "%d/%d\n", made, total)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.demo.done", map[string]any{"Count": *n, "Seconds": fmt.Sprintf("%.1f", time.Since(start).Seconds())}))
	return nil
}

// residentJSON is a resident as --json prints it; numbers stay masked.
type residentJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Sex       string `json:"sex"`
	Age       int    `json:"age"`
	IDNumber  string `json:"id_number"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	Relation  string `json:"relation"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Ethnicity string `json:"ethnicity"`
}

func runResidents(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "residents")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	search := fs.String("search", "", i18n.L("cli.flag.search"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	limit := fs.Int("limit", 50, i18n.L("cli.flag.limit"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	del := fs.Int64("delete", 0, i18n.L("cli.flag.delete"))
	var status multi
	fs.Var(&status, "status", i18n.L("cli.flag.status"))
	sort := fs.String("sort", "", i18n.L("cli.residents.flag.sort"))
	desc := fs.Bool("desc", false, i18n.L("cli.residents.flag.desc"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if *del != 0 {
		r, err := a.Resident(ctx, actor, *del)
		if err != nil {
			return err
		}
		if err := a.DeleteResident(ctx, actor, *del); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("form.deleted", map[string]any{"Name": r.Name}))
		return nil
	}
	f := app.ListFilter{Search: *search, Desc: *desc}
	if f.AreaID, err = a.AreaByName(ctx, actor, *area); err != nil {
		return err
	}
	if f.Sort, err = residentSort(*sort); err != nil {
		return err
	}
	sts, err := statuses(status)
	if err != nil {
		return err
	}
	if sts != nil {
		f.Cohort = &app.CohortFilter{Statuses: sts}
	}
	return listResidents(ctx, env, a, actor, f, *limit, *asJSON)
}

// residentSorts are the orders `residents --sort` offers.
var residentSorts = []model.SortKey{model.SortID, model.SortName, model.SortAge, model.SortAddress}

// residentSort reads --sort ("" is the order of registration).
func residentSort(s string) (model.SortKey, error) {
	k := model.SortKey(strings.TrimSpace(s))
	if k == "" || slices.Contains(residentSorts, k) {
		return k, nil
	}
	return "", errors.New(i18n.L("cli.residents.badsort", map[string]any{"Sort": s}))
}

// listResidents prints up to limit residents of a filter (0: all), as a
// table or streamed JSON, masked, and audits the listing.
func listResidents(ctx context.Context, env *Env, a *app.App, actor *app.Actor, f app.ListFilter, limit int, asJSON bool) error {
	list, err := a.Residents(ctx, actor, f)
	if err != nil {
		return err
	}
	total, err := list.Count(ctx)
	if err != nil {
		return err
	}
	want := limit // 0: everyone
	if want <= 0 {
		want = total
	}
	toJSON := func(r model.ResidentRow) residentJSON {
		return residentJSON{ID: r.ID, Name: r.Name, Sex: string(r.Sex), Age: a.Age(r.Birth), IDNumber: app.MaskIDNumber(r.IDNumber),
			Phone: app.MaskPhone(r.Phone), Address: app.FormatAddress(r.Address), Relation: string(r.Relation),
			Kind: string(r.Kind), Status: string(r.Status), Ethnicity: r.Ethnicity}
	}
	if err := a.RecordList(ctx, actor, f, min(want, total)); err != nil {
		return err
	}
	if asJSON {
		// Written page by page, so --limit 0 over a district streams out
		// instead of being held in memory.
		w := bufio.NewWriter(env.Stdout)
		fmt.Fprintf(w, "{\"total\": %d, \"residents\": [", total)
		shown := 0
		err := pages(ctx, list, want, func(page []model.ResidentRow) {
			for _, r := range page {
				b, _ := json.Marshal(toJSON(r))
				if shown > 0 {
					w.WriteString(",")
				}
				w.WriteString("\n  ")
				w.Write(b)
				shown++
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n], \"shown\": %d}\n", shown)
		return w.Flush()
	}
	var rows []model.ResidentRow
	if err := pages(ctx, list, want, func(page []model.ResidentRow) { rows = append(rows, page...) }); err != nil {
		return err
	}
	out := make([]residentJSON, len(rows))
	for i, r := range rows {
		out[i] = toJSON(r)
	}
	table := [][]string{{i18n.L("col.name"), i18n.L("col.sex"), i18n.L("col.age"), i18n.L("col.id_number"),
		i18n.L("col.phone"), i18n.L("col.address"), i18n.L("col.relation"), i18n.L("col.kind"), i18n.L("col.status")}}
	for i, r := range out {
		age := ""
		if r.Age >= 0 {
			age = fmt.Sprint(r.Age)
		}
		table = append(table, []string{r.Name, i18n.Sex(rows[i].Sex), age, r.IDNumber, r.Phone, r.Address,
			i18n.Relation(rows[i].Relation), i18n.Kind(rows[i].Kind), i18n.Status(rows[i].Status)})
	}
	printTable(env.Stdout, table)
	fmt.Fprintln(env.Stdout, i18n.L("cli.residents.done", map[string]any{"Count": total, "Shown": len(rows)}))
	return nil
}

// pages hands up to want rows of a list to fn, a keyset page at a time.
func pages(ctx context.Context, list *app.ResidentList, want int, fn func([]model.ResidentRow)) error {
	var after *model.Cursor
	for got := 0; got < want; {
		page, err := list.Page(ctx, after, min(1000, want-got), false)
		if err != nil || len(page) == 0 {
			return err
		}
		fn(page)
		got += len(page)
		c := list.CursorOf(page[len(page)-1].Resident)
		after = &c
	}
	return nil
}
