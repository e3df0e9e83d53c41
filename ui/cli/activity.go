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
)

// runActivity is `shequ activity add|list|show|invite|signup|drop|checkin|cancel|export`:
// 活动报名 from the command line.
func runActivity(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"add", "list", "show", "invite", "signup", "drop", "checkin", "cancel", "export"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.activity.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "activity")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	name := fs.String("name", "", i18n.L("cli.activity.flag.name"))
	day := fs.String("day", "", i18n.L("cli.booking.flag.day"))
	from := fs.String("from", "", i18n.L("cli.booking.flag.from"))
	to := fs.String("to", "", i18n.L("cli.booking.flag.to"))
	space := fs.String("space", "", i18n.L("cli.booking.flag.space"))
	place := fs.String("place", "", i18n.L("cli.booking.flag.place"))
	capacity := fs.String("capacity", "", i18n.L("cli.activity.flag.capacity"))
	cohort := fs.String("cohort", "", i18n.L("cli.activity.flag.cohort"))
	note := fs.String("note", "", i18n.L("cli.activity.flag.note"))
	id := fs.Int64("id", 0, i18n.L("cli.activity.flag.id"))
	number := fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	out := fs.String("out", "", i18n.L("cli.ledger.flag.out"))
	reveal := fs.Bool("reveal", false, i18n.L("cli.ledger.flag.reveal"))
	why := fs.String("why", "", i18n.L("cli.flag.reason"))
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errors.New(i18n.L("cli.activity.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	switch verb {
	case "add":
		areaID, err := a.AreaByName(ctx, actor, *area)
		if err != nil {
			return err
		}
		var spaceID int64
		if *space != "" {
			sp, err := a.SpaceByName(ctx, actor, *space)
			if err != nil {
				return err
			}
			spaceID = sp.ID
		}
		aid, err := a.AddActivity(ctx, actor, app.ActivityInput{AreaID: areaID, Name: *name, Day: *day, From: *from, To: *to, SpaceID: spaceID,
			Place: *place, Capacity: *capacity, Cohort: *cohort, Note: *note})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.added", map[string]any{"ID": aid, "Name": *name}))
	case "list":
		first, last := *from, *to
		if first == "" {
			first = app.Today().Format("2006-01-02")
		}
		if last == "" {
			last = "2999-12-31"
		}
		list, err := a.Activities(ctx, actor, first, last)
		if err != nil {
			return err
		}
		rows := [][]string{{"ID", i18n.L("field.activity_name"), i18n.L("field.starts"), i18n.L("field.ends"), i18n.L("field.location"),
			i18n.L("activity.col.capacity"), i18n.L("activity.col.signed"), i18n.L("activity.col.waiting"), i18n.L("activity.col.checked"),
			i18n.L("field.cohort")}}
		for _, act := range list {
			rows = append(rows, []string{strconv.FormatInt(act.ID, 10), activityTitle(act), act.Starts, act.Ends[11:], act.Place,
				strconv.Itoa(act.Capacity), strconv.Itoa(act.Signed), strconv.Itoa(act.Waiting), strconv.Itoa(act.CheckedIn), act.CohortName})
		}
		printTable(env.Stdout, rows)
		total, held := app.ActivityTotals(list)
		fmt.Fprintln(env.Stdout, i18n.L("activity.totals", map[string]any{"Count": held, "Signed": total.Signed, "Checked": total.CheckedIn,
			"Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(total))}))
	case "show":
		act, err := a.Activity(ctx, actor, *id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.summary", map[string]any{"Name": activityTitle(act), "Starts": act.Starts, "Ends": act.Ends[11:],
			"Place": act.Place, "Capacity": act.Capacity, "Signed": act.Signed, "Waiting": act.Waiting, "Invited": act.Invited,
			"Checked": act.CheckedIn, "Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(act))}))
		people, err := a.Attendees(ctx, actor, *id)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("field.name"), i18n.L("field.id_number"), i18n.L("field.phone"), i18n.L("field.status"), i18n.L("activity.col.checkin")}}
		for _, p := range people {
			rows = append(rows, []string{p.Name, p.IDNumber, p.Phone, i18n.L("attendance." + string(p.State)), p.CheckedIn})
		}
		printTable(env.Stdout, rows)
	case "invite":
		n, err := a.Invite(ctx, actor, *id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.invited", map[string]any{"Count": n}))
	case "signup":
		state, err := a.SignUp(ctx, actor, *id, app.ByNumber(*number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.signed."+string(state)))
	case "drop":
		promoted, err := a.CancelSignUp(ctx, actor, *id, app.ByNumber(*number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.dropped"))
		if promoted != "" {
			fmt.Fprintln(env.Stdout, i18n.L("activity.promoted", map[string]any{"Name": promoted}))
		}
	case "checkin":
		who, err := a.CheckIn(ctx, actor, *id, app.ByNumber(*number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.checked", map[string]any{"Name": who}))
	case "cancel":
		if err := a.CancelActivity(ctx, actor, *id); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.cancelled"))
	case "export":
		if *out == "" {
			return errors.New(i18n.L("cli.ledger.noout"))
		}
		n, err := a.ExportActivity(ctx, actor, *id, *out, *reveal, *why)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.exported", map[string]any{"Count": n, "Path": *out}))
	}
	return nil
}

// activityTitle is an activity's name, marked when cancelled.
func activityTitle(act model.Activity) string {
	if act.Cancelled != "" {
		return act.Name + i18n.L("activity.cancelled.mark")
	}
	return act.Name
}
