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

// runBooking is `shequ booking spaces|space-add|space-edit|add|cancel|list|usage`:
// 空间预约 from the command line.
func runBooking(ctx context.Context, env *Env, args []string) error {
	verbs := []string{"spaces", "space-add", "space-edit", "add", "cancel", "list", "usage"}
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return errors.New(i18n.L("cli.booking.usage"))
	}
	verb := args[0]
	fs, db := flags(env, "booking")
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	space := fs.String("space", "", i18n.L("cli.booking.flag.space"))
	name := fs.String("name", "", i18n.L("cli.booking.flag.name"))
	place := fs.String("place", "", i18n.L("cli.booking.flag.place"))
	capacity := fs.String("capacity", "", i18n.L("cli.booking.flag.capacity"))
	opens := fs.String("opens", "", i18n.L("cli.booking.flag.opens"))
	closes := fs.String("closes", "", i18n.L("cli.booking.flag.closes"))
	equipment := fs.String("equipment", "", i18n.L("cli.booking.flag.equipment"))
	closed := fs.String("closed", "", i18n.L("cli.booking.flag.closed"))
	day := fs.String("day", "", i18n.L("cli.booking.flag.day"))
	from := fs.String("from", "", i18n.L("cli.booking.flag.from"))
	to := fs.String("to", "", i18n.L("cli.booking.flag.to"))
	number := fs.String("id-number", "", i18n.L("cli.booking.flag.idnumber"))
	org := fs.String("org", "", i18n.L("cli.booking.flag.org"))
	contact := fs.String("contact", "", i18n.L("cli.booking.flag.contact"))
	phoneNo := fs.String("phone", "", i18n.L("cli.visitor.flag.phone"))
	purpose := fs.String("purpose", "", i18n.L("cli.booking.flag.purpose"))
	people := fs.String("people", "", i18n.L("cli.booking.flag.people"))
	weeks := fs.String("weeks", "", i18n.L("cli.booking.flag.weeks"))
	week := fs.Bool("week", false, i18n.L("cli.booking.flag.week"))
	id := fs.Int64("id", 0, i18n.L("cli.booking.flag.id"))
	why := fs.String("reason", "", i18n.L("cli.booking.flag.reason"))
	out := fs.String("out", "", i18n.L("cli.booking.flag.out"))
	pos, err := parseArgs(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errors.New(i18n.L("cli.booking.usage"))
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer done()
	spaceOf := func() (model.Space, error) { return a.SpaceByName(ctx, actor, *space) }
	switch verb {
	case "spaces":
		list, err := a.Spaces(ctx, actor)
		if err != nil {
			return err
		}
		rows := [][]string{{i18n.L("field.space_name"), i18n.L("field.location"), i18n.L("field.capacity"), i18n.L("booking.hours"),
			i18n.L("field.equipment"), i18n.L("field.status")}}
		for _, sp := range list {
			rows = append(rows, []string{sp.Name, sp.Place, strconv.Itoa(sp.Capacity), sp.Opens + "–" + sp.Closes, sp.Equipment, spaceState(sp)})
		}
		printTable(env.Stdout, rows)
	case "space-add":
		areaID, err := a.AreaByName(ctx, actor, *area)
		if err != nil {
			return err
		}
		if _, err := a.AddSpace(ctx, actor, app.SpaceInput{AreaID: areaID, Name: *name, Place: *place, Capacity: *capacity, Opens: *opens,
			Closes: *closes, Equipment: *equipment}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("booking.space_added", map[string]any{"Name": *name}))
	case "space-edit":
		sp, err := spaceOf()
		if err != nil {
			return err
		}
		in := app.SpaceInput{Name: sp.Name, Place: sp.Place, Capacity: strconv.Itoa(sp.Capacity), Opens: sp.Opens, Closes: sp.Closes,
			Equipment: sp.Equipment, Closed: sp.Closed}
		for _, f := range []struct{ flag, old *string }{{name, &in.Name}, {place, &in.Place}, {capacity, &in.Capacity}, {opens, &in.Opens},
			{closes, &in.Closes}, {equipment, &in.Equipment}} {
			if *f.flag != "" {
				*f.old = *f.flag
			}
		}
		if *closed != "" {
			if in.Closed, err = strconv.ParseBool(*closed); err != nil {
				return errors.New(i18n.L("cli.booking.closed", map[string]any{"Value": *closed}))
			}
		}
		if err := a.EditSpace(ctx, actor, sp.ID, in); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("booking.space_saved", map[string]any{"Name": in.Name}))
	case "add":
		sp, err := spaceOf()
		if err != nil {
			return err
		}
		bid, err := a.BookSpace(ctx, actor, app.BookingInput{SpaceID: sp.ID, Day: *day, From: *from, To: *to, IDNumber: *number,
			Organisation: *org, Contact: *contact, Phone: *phoneNo, Purpose: *purpose, People: *people, Weeks: *weeks})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("booking.added", map[string]any{"ID": bid, "Name": sp.Name}))
	case "cancel":
		if err := a.CancelBooking(ctx, actor, *id, *why); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("booking.cancelled"))
	case "list":
		d := *day
		if d == "" {
			d = app.Today().Format("2006-01-02")
		}
		first, last := d, d
		if *week {
			if dd, ok := app.ParseDate(d); ok {
				first, last = app.Week(dd)
			}
		}
		var ids []int64
		if *space != "" {
			sp, err := spaceOf()
			if err != nil {
				return err
			}
			ids = []int64{sp.ID}
		}
		list, err := a.Bookings(ctx, actor, ids, first, last)
		if err != nil {
			return err
		}
		rows := [][]string{{"ID", i18n.L("field.space"), i18n.L("field.starts"), i18n.L("field.ends"), i18n.L("booking.who"),
			i18n.L("field.phone"), i18n.L("field.purpose"), i18n.L("field.people")}}
		for _, b := range list {
			rows = append(rows, []string{strconv.FormatInt(b.ID, 10), b.Space, b.Starts, b.Ends[11:], app.BookingWho(b), b.Phone, b.Purpose,
				strconv.Itoa(b.People)})
		}
		printTable(env.Stdout, rows)
		fmt.Fprintln(env.Stdout, i18n.L("booking.count", map[string]any{"Count": len(list), "From": first, "To": last}))
	case "usage":
		first, last := *from, *to
		if first == "" && last == "" {
			first, last = app.Week(app.Today().Format("2006-01-02"))
		}
		use, err := a.SpaceUsage(ctx, actor, first, last)
		if err != nil {
			return err
		}
		printTable(env.Stdout, report.SpaceUsageRows(use))
		if *out != "" {
			if err := report.WriteSpaceUsage(*out, use, first, last); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
		}
	}
	return nil
}

// spaceState is a space's state in a list.
func spaceState(sp model.Space) string {
	if sp.Closed {
		return i18n.L("space.closed")
	}
	return i18n.L("space.open")
}
