package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// runVaccine is `shequ vaccine add|import|progress|todo|book|appointments`:
// 疫苗接种 from the command line.
func runVaccine(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"add", "import", "progress", "todo", "book", "appointments", "cancel"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.vaccine.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "vaccine")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	number := fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	vaccine := fs.String("vaccine", "", i18n.L("cli.vaccine.flag.vaccine"))
	dose := fs.String("dose", "", i18n.L("cli.vaccine.flag.dose"))
	day := fs.String("day", "", i18n.L("cli.vaccine.flag.day"))
	place := fs.String("place", "", i18n.L("cli.vaccine.flag.place"))
	doses := fs.Int("doses", 1, i18n.L("cli.vaccine.flag.doses"))
	by := fs.String("by", "grid", i18n.L("cli.vaccine.flag.by"))
	dry := fs.Bool("dry-run", false, i18n.L("cli.flag.dryrun"))
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	appointment := fs.Int64("appointment", 0, i18n.L("cli.vaccine.flag.appointment"))
	var c *cohortFlags
	if verb == "progress" || verb == "todo" {
		c = addCohortFlags(fs)
	}
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if (verb == "import") != (len(pos) == 1) || len(pos) > 1 {
		return errors.New(i18n.L("cli.vaccine.usage"))
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
		fmt.Fprintln(env.Stdout, i18n.L("vaccine.added"))
	case "book":
		if _, err := a.AddAppointment(ctx, actor, app.AppointmentInput{IDNumber: *number, Vaccine: *vaccine, Dose: *dose, Day: *day, Place: *place}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("vaccine.booked"))
	case "cancel":
		if err := a.CancelAppointment(ctx, actor, *appointment); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("vaccine.cancelled"))
	case "appointments":
		aps, err := a.Appointments(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{"ID", i18n.L("field.appointment_day"), i18n.L("field.name"), i18n.L("field.vaccine"), i18n.L("field.dose"), i18n.L("field.vaccination_place"), i18n.L("field.status")}}
		for _, ap := range aps {
			rows = append(rows, []string{strconv.FormatInt(ap.ID, 10), ap.Day, ap.Name, ap.Vaccine, strconv.Itoa(ap.Dose), ap.Place, i18n.L("appointment." + string(ap.Status))})
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
			return errors.New(i18n.L("vaccine.import.failed"))
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
			fmt.Fprintln(env.Stdout, i18n.L("cli.report.done", map[string]any{"Path": *out, "Count": p.Total.Residents}))
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
			fmt.Fprintln(env.Stdout, i18n.L("cli.export.done", map[string]any{"Count": n, "Path": *out}))
			return nil
		}
		fmt.Fprintln(env.Stdout, i18n.L("vaccine.todo", map[string]any{"Count": len(todo.IDs), "Vaccine": *vaccine, "Doses": *doses}))
	}
	return nil
}

// vaccinationGroup reads --by.
func vaccinationGroup(s string) (model.VaccinationGroup, error) {
	for _, g := range []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge} {
		if s == string(g) || s == i18n.L("vaccine.col."+string(g)) {
			return g, nil
		}
	}
	return "", errors.New(i18n.L("cli.flag.badvalue", map[string]any{"Flag": "--by " + s}) + i18n.L("cli.flag.help"))
}
