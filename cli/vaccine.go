package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"fyne.io/fyne/v2/lang"

	"shequ/app"
	"shequ/i18n"
	"shequ/model"
	"shequ/report"
)

// runVaccine is `shequ vaccine add|import|progress|todo|book|appointments`:
// 疫苗接种 from the command line.
func runVaccine(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"add", "import", "progress", "todo", "book", "appointments", "cancel"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(lang.L("cli.vaccine.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "vaccine")
	user := fs.String("user", "", lang.L("cli.flag.user"))
	number := fs.String("id-number", "", lang.L("cli.vaccine.flag.idnumber"))
	vaccine := fs.String("vaccine", "", lang.L("cli.vaccine.flag.vaccine"))
	dose := fs.String("dose", "", lang.L("cli.vaccine.flag.dose"))
	day := fs.String("day", "", lang.L("cli.vaccine.flag.day"))
	place := fs.String("place", "", lang.L("cli.vaccine.flag.place"))
	doses := fs.Int("doses", 1, lang.L("cli.vaccine.flag.doses"))
	by := fs.String("by", "grid", lang.L("cli.vaccine.flag.by"))
	dry := fs.Bool("dry-run", false, lang.L("cli.flag.dryrun"))
	out := fs.String("out", "", lang.L("cli.ledger.flag.out"))
	appointment := fs.Int64("appointment", 0, lang.L("cli.vaccine.flag.appointment"))
	var c *cohortFlags
	if verb == "progress" || verb == "todo" {
		c = addCohortFlags(fs)
	}
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if (verb == "import") != (len(pos) == 1) || len(pos) > 1 {
		return errors.New(lang.L("cli.vaccine.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	filter := func() (app.ListFilter, error) { return c.filter(ctx, a, actor) }
	switch verb {
	case "add":
		if err := a.AddVaccination(ctx, actor, app.VaccinationInput{IDNumber: *number, Vaccine: *vaccine, Dose: *dose, Day: *day, Place: *place}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("vaccine.added"))
	case "book":
		if _, err := a.AddAppointment(ctx, actor, app.AppointmentInput{IDNumber: *number, Vaccine: *vaccine, Dose: *dose, Day: *day, Place: *place}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("vaccine.booked"))
	case "cancel":
		if err := a.CancelAppointment(ctx, actor, *appointment); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, lang.L("vaccine.cancelled"))
	case "appointments":
		aps, err := a.Appointments(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{"ID", lang.L("field.appointment_day"), lang.L("field.name"), lang.L("field.vaccine"), lang.L("field.dose"), lang.L("field.vaccination_place"), lang.L("field.status")}}
		for _, ap := range aps {
			rows = append(rows, []string{strconv.FormatInt(ap.ID, 10), ap.Day, ap.Name, ap.Vaccine, strconv.Itoa(ap.Dose), ap.Place, lang.L("appointment." + string(ap.Status))})
		}
		printTable(env.Stdout, rows)
	case "import":
		res, err := a.ImportVaccinations(ctx, actor, pos[0], app.VaccinationImport{Vaccine: *vaccine, Dose: *dose, DryRun: *dry})
		if err != nil {
			return err
		}
		for _, p := range res.Problems {
			fmt.Fprintln(env.Stderr, i18n.ImportProblem(p))
		}
		if res.Failed() {
			return errors.New(lang.L("vaccine.import.failed"))
		}
		fmt.Fprintln(env.Stdout, i18n.VaccinationImportSummary(res))
	case "progress":
		f, err := filter()
		if err != nil {
			return err
		}
		group, err := vaccinationGroup(*by)
		if err != nil {
			return err
		}
		p, err := a.VaccinationProgress(ctx, actor, f, *vaccine, *doses, group)
		if err != nil {
			return err
		}
		rows := report.VaccinationRows(p)
		if *out != "" {
			if err := report.WriteVaccination(*out, p); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, lang.L("cli.report.done", map[string]any{"Path": *out, "Count": p.Total.Residents}))
			return nil
		}
		printTable(env.Stdout, rows)
	case "todo":
		f, err := filter()
		if err != nil {
			return err
		}
		todo, err := a.Unvaccinated(ctx, actor, f, *vaccine, *doses)
		if err != nil {
			return err
		}
		if *out != "" {
			n, err := a.ExportResidents(ctx, actor, *out, app.ExportOptions{Filter: todo})
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, lang.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
			return nil
		}
		fmt.Fprintln(env.Stdout, lang.L("vaccine.todo", map[string]any{"Count": len(todo.IDs), "Vaccine": *vaccine, "Doses": *doses}))
	}
	return nil
}

// vaccinationGroup reads --by.
func vaccinationGroup(s string) (model.VaccinationGroup, error) {
	for _, g := range []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge} {
		if s == string(g) || s == lang.L("vaccine.col."+string(g)) {
			return g, nil
		}
	}
	return "", errors.New(lang.L("cli.flag.badvalue", map[string]any{"Flag": "--by " + s}) + lang.L("cli.flag.help"))
}
