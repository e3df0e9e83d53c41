package cli

import (
	"context"
	"fmt"
	"strconv"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// activityVerbs are `shequ activity add|list|show|invite|signup|drop|
// checkin|cancel|export`: 活动报名 from the command line.
func activityVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("activity", name, run)
	}
	return []command{v("add", activityAdd), v("list", activityList), v("show", activityShow), v("invite", activityInvite),
		v("signup", activitySignUp), v("drop", activityDrop), v("checkin", activityCheckIn), v("cancel", activityCancel),
		v("export", activityExport)}
}

func activityAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "activity add")
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
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
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
	return nil
}

// activityJSON is an activity as --json prints it.
type activityJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Starts    string `json:"starts"`
	Ends      string `json:"ends"`
	Place     string `json:"place"`
	Capacity  int    `json:"capacity"`
	Signed    int    `json:"signed"`
	Waiting   int    `json:"waiting"`
	CheckedIn int    `json:"checked_in"`
	Cohort    string `json:"cohort"`
	Cancelled bool   `json:"cancelled"`
}

func activityList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "activity list")
	from, to := dateFlags(fs, "cli.activity.flag.from", "cli.activity.flag.to")
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	first, last := *from, *to
	if first == "" {
		first = a.Now().Format("2006-01-02")
	}
	if last == "" {
		last = "2999-12-31"
	}
	list, err := a.Activities(ctx, actor, first, last)
	if err != nil {
		return err
	}
	if *asJSON {
		return listJSON(env, list, func(act model.Activity) activityJSON {
			return activityJSON{act.ID, act.Name, act.Starts, act.Ends, act.Place, act.Capacity, act.Signed, act.Waiting,
				act.CheckedIn, act.CohortName, act.Cancelled != ""}
		})
	}
	printRows(env.Stdout, []string{"ID", i18n.L("field.activity_name"), i18n.L("field.starts"), i18n.L("field.ends"), i18n.L("field.location"),
		i18n.L("activity.col.capacity"), i18n.L("activity.col.signed"), i18n.L("activity.col.waiting"), i18n.L("activity.col.checked"),
		i18n.L("field.cohort")}, list, func(act model.Activity) []string {
		return []string{strconv.FormatInt(act.ID, 10), activityTitle(act), act.Starts, act.Ends[11:], act.Place,
			strconv.Itoa(act.Capacity), strconv.Itoa(act.Signed), strconv.Itoa(act.Waiting), strconv.Itoa(act.CheckedIn), act.CohortName}
	})
	total, held := app.ActivityTotals(list)
	fmt.Fprintln(env.Stdout, i18n.L("activity.totals", map[string]any{"Count": held, "Signed": total.Signed, "Checked": total.CheckedIn,
		"Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(total))}))
	return nil
}

// onActivity is a verb on one activity (--id), and with number on one
// resident of it (--id-number).
func onActivity(ctx context.Context, env *Env, args []string, name string, number bool,
	do func(ctx context.Context, a *app.App, actor *app.Actor, id int64, number string) error) error {
	fs, db, user := userFlags(env, "activity "+name)
	id := fs.Int64("id", 0, i18n.L("cli.activity.flag.id"))
	n := new(string)
	if number {
		n = fs.String("id-number", "", i18n.L("cli.vaccine.flag.idnumber"))
	}
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	return do(ctx, a, actor, *id, *n)
}

func activityShow(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "show", false, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, _ string) error {
		act, err := a.Activity(ctx, actor, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.summary", map[string]any{"Name": activityTitle(act), "Starts": act.Starts, "Ends": act.Ends[11:],
			"Place": act.Place, "Capacity": act.Capacity, "Signed": act.Signed, "Waiting": act.Waiting, "Invited": act.Invited,
			"Checked": act.CheckedIn, "Rate": fmt.Sprintf("%.1f%%", app.AttendanceRate(act))}))
		people, err := a.Attendees(ctx, actor, id)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("field.name"), i18n.L("field.id_number"), i18n.L("field.phone"), i18n.L("field.status"), i18n.L("activity.col.checkin")}}
		for _, p := range people {
			rows = append(rows, []string{p.Name, p.IDNumber, p.Phone, i18n.L("attendance." + string(p.State)), p.CheckedIn})
		}
		printTable(env.Stdout, rows)
		return nil
	})
}

func activityInvite(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "invite", false, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, _ string) error {
		n, err := a.Invite(ctx, actor, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.invited", map[string]any{"Count": n}))
		return nil
	})
}

func activitySignUp(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "signup", true, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, number string) error {
		state, err := a.SignUp(ctx, actor, id, app.ByNumber(number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.signed."+string(state)))
		return nil
	})
}

func activityDrop(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "drop", true, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, number string) error {
		promoted, err := a.CancelSignUp(ctx, actor, id, app.ByNumber(number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.dropped"))
		if promoted != "" {
			fmt.Fprintln(env.Stdout, i18n.L("activity.promoted", map[string]any{"Name": promoted}))
		}
		return nil
	})
}

func activityCheckIn(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "checkin", true, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, number string) error {
		who, err := a.CheckIn(ctx, actor, id, app.ByNumber(number))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.checked", map[string]any{"Name": who}))
		return nil
	})
}

func activityCancel(ctx context.Context, env *Env, args []string) error {
	return onActivity(ctx, env, args, "cancel", false, func(ctx context.Context, a *app.App, actor *app.Actor, id int64, _ string) error {
		if err := a.CancelActivity(ctx, actor, id); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("activity.cancelled"))
		return nil
	})
}

func activityExport(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "activity export")
	id := fs.Int64("id", 0, i18n.L("cli.activity.flag.id"))
	out := ledgerOut(fs)
	reveal, why := revealFlags(fs, "cli.ledger.flag.reveal")
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	n, err := a.ExportActivity(ctx, actor, *id, *out, *reveal, *why)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("activity.exported", map[string]any{"Count": n, "Path": *out}))
	return nil
}

// activityTitle is an activity's name, marked when cancelled.
func activityTitle(act model.Activity) string {
	if act.Cancelled != "" {
		return act.Name + i18n.L("activity.cancelled.mark")
	}
	return act.Name
}
