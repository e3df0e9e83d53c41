package cli

import (
	"context"
	"errors"
	"fmt"

	flag "github.com/spf13/pflag"
	"strconv"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// vaccineVerbs are `shequ vaccine add|import|progress|todo|book|
// appointments|cancel`: 疫苗接种 from the command line.
func vaccineVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("vaccine", name, run)
	}
	return []command{v("add", vaccineAdd), v("import", vaccineImport).takes("cli.arg.xlsx"), v("progress", vaccineProgress), v("todo", vaccineTodo),
		v("book", vaccineBook), v("appointments", vaccineAppointments), v("cancel", vaccineCancel)}
}

// doseFlags are a dose given or booked: who, which, when, where.
type doseFlags struct{ number, vaccine, dose, day, place *string }

func addDoseFlags(fs *flag.FlagSet) doseFlags {
	return doseFlags{
		number:  fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber")),
		vaccine: fs.String("vaccine", "", i18n.L("cli.vaccine.flag.vaccine")),
		dose:    fs.String("dose", "", i18n.L("cli.vaccine.flag.dose")),
		day:     fs.String("day", "", i18n.L("cli.vaccine.flag.day")),
		place:   fs.String("place", "", i18n.L("cli.vaccine.flag.place")),
	}
}

func vaccineAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine add")
	d := addDoseFlags(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.AddVaccination(ctx, actor, app.VaccinationInput{IDNumber: *d.number, Vaccine: *d.vaccine, Dose: *d.dose, Day: *d.day, Place: *d.place}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("vaccine.added"))
	return nil
}

func vaccineBook(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine book")
	d := addDoseFlags(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if _, err := a.AddAppointment(ctx, actor, app.AppointmentInput{IDNumber: *d.number, Vaccine: *d.vaccine, Dose: *d.dose, Day: *d.day, Place: *d.place}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("vaccine.booked"))
	return nil
}

func vaccineCancel(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine cancel")
	appointment := fs.Int64("appointment", 0, i18n.L("cli.vaccine.flag.appointment"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.CancelAppointment(ctx, actor, *appointment); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("vaccine.cancelled"))
	return nil
}

// appointmentJSON is an appointment as --json prints it.
type appointmentJSON struct {
	ID      int64  `json:"id"`
	Day     string `json:"day"`
	Name    string `json:"name"`
	Vaccine string `json:"vaccine"`
	Dose    int    `json:"dose"`
	Place   string `json:"place"`
	Status  string `json:"status"`
}

var vaccineAppointments = listing[model.Appointment, appointmentJSON]{name: "vaccine appointments", fetch: (*app.App).Appointments,
	json: func(ap model.Appointment) appointmentJSON {
		return appointmentJSON{ap.ID, ap.Day, ap.Name, ap.Vaccine, ap.Dose, ap.Place, string(ap.Status)}
	},
	header: func() []string {
		return []string{"ID", i18n.L("field.appointment_day"), i18n.L("field.name"), i18n.L("field.vaccine"), i18n.L("field.dose"),
			i18n.L("field.vaccination_place"), i18n.L("field.status")}
	},
	row: func(ap model.Appointment) []string {
		return []string{strconv.FormatInt(ap.ID, 10), ap.Day, ap.Name, ap.Vaccine, strconv.Itoa(ap.Dose), ap.Place, i18n.L("appointment." + string(ap.Status))}
	},
}.run

func vaccineImport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine import")
	vaccine := fs.String("vaccine", "", i18n.L("cli.vaccine.flag.vaccine"))
	dose := fs.String("dose", "", i18n.L("cli.vaccine.flag.dose"))
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
	res, err := a.ImportVaccinations(ctx, actor, pos[0], app.VaccinationImport{Vaccine: *vaccine, Dose: *dose, DryRun: *dry})
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
	}
	if res.Failed() {
		return errors.New(i18n.L("vaccine.import.failed"))
	}
	fmt.Fprintln(env.Stdout, i18n.VaccinationImportSummary(res))
	return nil
}

// coverageFlags are what progress and todo count: a vaccine, the doses
// that make it done, and a cohort.
type coverageFlags struct {
	vaccine *string
	doses   *int
	out     *string
	cohort  *cohortFlags
}

func addCoverageFlags(fs *flag.FlagSet) coverageFlags {
	return coverageFlags{
		vaccine: fs.String("vaccine", "", i18n.L("cli.vaccine.flag.vaccine")),
		doses:   fs.Int("doses", 1, i18n.L("cli.vaccine.flag.doses")),
		out:     fs.String("out", "", i18n.L("cli.ledger.flag.out")),
		cohort:  addCohortFlags(fs),
	}
}

// vaccineGroupJSON is a group's progress as --json prints it.
type vaccineGroupJSON struct {
	Key       int64  `json:"key"`
	Label     string `json:"label"`
	Residents int    `json:"residents"`
	Done      int    `json:"done"`
}

func vaccineProgress(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine progress")
	c := addCoverageFlags(fs)
	by := fs.String("by", "grid", i18n.L("cli.vaccine.flag.by"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f, err := c.cohort.filter(ctx, a, actor)
	if err != nil {
		return err
	}
	group, err := vaccinationGroup(*by)
	if err != nil {
		return err
	}
	p, err := a.VaccinationProgress(ctx, actor, f, *c.vaccine, *c.doses, group)
	if err != nil {
		return err
	}
	if *c.out != "" {
		if err := report.WriteVaccination(*c.out, p, a.Now()); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.report.done", map[string]any{"Path": *c.out, "Count": p.Total.Residents}))
		return nil
	}
	if *asJSON {
		groups := []vaccineGroupJSON{}
		for _, r := range p.Rows {
			groups = append(groups, vaccineGroupJSON{r.Key, r.Label, r.Residents, r.Done})
		}
		return writeJSON(env, map[string]any{"vaccine": p.Vaccine, "doses": p.Doses, "by": string(p.By), "groups": groups,
			"total": map[string]int{"residents": p.Total.Residents, "done": p.Total.Done}})
	}
	printTable(env.Stdout, report.VaccinationRows(p))
	return nil
}

func vaccineTodo(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "vaccine todo")
	c := addCoverageFlags(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	f, err := c.cohort.filter(ctx, a, actor)
	if err != nil {
		return err
	}
	todo, err := a.Unvaccinated(ctx, actor, f, *c.vaccine, *c.doses)
	if err != nil {
		return err
	}
	if *c.out != "" {
		n, err := a.ExportResidents(ctx, actor, *c.out, app.ExportOptions{Filter: todo})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *c.out}))
		return nil
	}
	fmt.Fprintln(env.Stdout, i18n.L("vaccine.todo", map[string]any{"Count": len(todo.IDs), "Vaccine": *c.vaccine, "Doses": *c.doses}))
	return nil
}

// vaccinationGroup reads --by.
func vaccinationGroup(s string) (model.VaccinationGroup, error) {
	for _, g := range []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge} {
		if s == string(g) || s == i18n.L("vaccine.col."+string(g)) {
			return g, nil
		}
	}
	return "", usageError(i18n.L("cli.flag.badvalue", map[string]any{"Flag": "--by " + s}) + i18n.L("cli.flag.help"))
}
