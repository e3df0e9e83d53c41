package cli

import (
	"context"
	"fmt"

	flag "github.com/spf13/pflag"
	"strconv"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// bookingVerbs are `shequ booking spaces|space-add|space-edit|add|cancel|
// list|usage`: 空间预约 from the command line.
func bookingVerbs() []command {
	v := func(name string, run func(context.Context, *Env, []string) error) command {
		return verb("booking", name, run)
	}
	return []command{v("spaces", bookingSpaces), v("space-add", bookingSpaceAdd), v("space-edit", bookingSpaceEdit),
		v("add", bookingAdd), v("cancel", bookingCancel), v("list", bookingList), v("usage", bookingUsage)}
}

// spaceJSON is a space as --json prints it.
type spaceJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Place     string `json:"place"`
	Capacity  int    `json:"capacity"`
	Opens     string `json:"opens"`
	Closes    string `json:"closes"`
	Equipment string `json:"equipment"`
	Closed    bool   `json:"closed"`
}

var bookingSpaces = listing[model.Space, spaceJSON]{name: "booking spaces", fetch: (*app.App).Spaces,
	json: func(sp model.Space) spaceJSON {
		return spaceJSON{sp.ID, sp.Name, sp.Place, sp.Capacity, sp.Opens, sp.Closes, sp.Equipment, sp.Closed}
	},
	header: func() []string {
		return []string{i18n.L("field.space_name"), i18n.L("field.location"), i18n.L("field.capacity"), i18n.L("booking.hours"),
			i18n.L("field.equipment"), i18n.L("field.status")}
	},
	row: func(sp model.Space) []string {
		return []string{sp.Name, sp.Place, strconv.Itoa(sp.Capacity), sp.Opens + "–" + sp.Closes, sp.Equipment, spaceState(sp)}
	},
}.run

// spaceFlags are a space's fields, for space-add and space-edit.
type spaceFlags struct{ name, place, capacity, opens, closes, equipment *string }

func addSpaceFlags(fs *flag.FlagSet) spaceFlags {
	return spaceFlags{
		name:      fs.String("name", "", i18n.L("cli.booking.flag.name")),
		place:     fs.String("place", "", i18n.L("cli.booking.flag.place")),
		capacity:  fs.String("capacity", "", i18n.L("cli.booking.flag.capacity")),
		opens:     fs.String("opens", "", i18n.L("cli.booking.flag.opens")),
		closes:    fs.String("closes", "", i18n.L("cli.booking.flag.closes")),
		equipment: fs.String("equipment", "", i18n.L("cli.booking.flag.equipment")),
	}
}

func bookingSpaceAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking space-add")
	area := fs.String("area", "", i18n.L("cli.flag.area"))
	f := addSpaceFlags(fs)
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	areaID, err := a.AreaByName(ctx, actor, *area)
	if err != nil {
		return err
	}
	if _, err := a.AddSpace(ctx, actor, app.SpaceInput{AreaID: areaID, Name: *f.name, Place: *f.place, Capacity: *f.capacity, Opens: *f.opens,
		Closes: *f.closes, Equipment: *f.equipment}); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("booking.space_added", map[string]any{"Name": *f.name}))
	return nil
}

func bookingSpaceEdit(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking space-edit")
	space := fs.String("space", "", i18n.L("cli.booking.flag.space"))
	f := addSpaceFlags(fs)
	closed := fs.String("closed", "", i18n.L("cli.booking.flag.closed"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	sp, err := a.SpaceByName(ctx, actor, *space)
	if err != nil {
		return err
	}
	in := app.SpaceInput{Name: sp.Name, Place: sp.Place, Capacity: strconv.Itoa(sp.Capacity), Opens: sp.Opens, Closes: sp.Closes,
		Equipment: sp.Equipment, Closed: sp.Closed}
	for _, f := range []struct{ flag, old *string }{{f.name, &in.Name}, {f.place, &in.Place}, {f.capacity, &in.Capacity}, {f.opens, &in.Opens},
		{f.closes, &in.Closes}, {f.equipment, &in.Equipment}} {
		if *f.flag != "" {
			*f.old = *f.flag
		}
	}
	if *closed != "" {
		if in.Closed, err = strconv.ParseBool(*closed); err != nil {
			return usageError(i18n.L("cli.booking.closed", map[string]any{"Value": *closed}))
		}
	}
	if err := a.EditSpace(ctx, actor, sp.ID, in); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("booking.space_saved", map[string]any{"Name": in.Name}))
	return nil
}

func bookingAdd(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking add")
	space := fs.String("space", "", i18n.L("cli.booking.flag.space"))
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
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	sp, err := a.SpaceByName(ctx, actor, *space)
	if err != nil {
		return err
	}
	bid, err := a.BookSpace(ctx, actor, app.BookingInput{SpaceID: sp.ID, Day: *day, From: *from, To: *to, IDNumber: *number,
		Organisation: *org, Contact: *contact, Phone: *phoneNo, Purpose: *purpose, People: *people, Weeks: *weeks})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("booking.added", map[string]any{"ID": bid, "Name": sp.Name}))
	return nil
}

func bookingCancel(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking cancel")
	id := fs.Int64("id", 0, i18n.L("cli.booking.flag.id"))
	why := fs.String("reason", "", i18n.L("cli.booking.flag.reason"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	if err := a.CancelBooking(ctx, actor, *id, *why); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("booking.cancelled"))
	return nil
}

// bookingJSON is a booking as --json prints it.
type bookingJSON struct {
	ID      int64  `json:"id"`
	Space   string `json:"space"`
	Starts  string `json:"starts"`
	Ends    string `json:"ends"`
	Who     string `json:"who"`
	Phone   string `json:"phone"`
	Purpose string `json:"purpose"`
	People  int    `json:"people"`
}

func bookingList(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking list")
	space := fs.String("space", "", i18n.L("cli.booking.flag.space"))
	day := fs.String("day", "", i18n.L("cli.booking.flag.day"))
	week := fs.Bool("week", false, i18n.L("cli.booking.flag.week"))
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	d := *day
	if d == "" {
		d = a.Now().Format("2006-01-02")
	}
	first, last := d, d
	if *week {
		if dd, ok := app.ParseDate(d); ok {
			first, last = app.Week(dd)
		}
	}
	var ids []int64
	if *space != "" {
		sp, err := a.SpaceByName(ctx, actor, *space)
		if err != nil {
			return err
		}
		ids = []int64{sp.ID}
	}
	list, err := a.Bookings(ctx, actor, ids, first, last)
	if err != nil {
		return err
	}
	if *asJSON {
		return listJSON(env, list, func(b model.Booking) bookingJSON {
			return bookingJSON{b.ID, b.Space, b.Starts, b.Ends, app.BookingWho(b), b.Phone, b.Purpose, b.People}
		})
	}
	printRows(env.Stdout, []string{"ID", i18n.L("field.space"), i18n.L("field.starts"), i18n.L("field.ends"), i18n.L("booking.who"),
		i18n.L("field.phone"), i18n.L("field.purpose"), i18n.L("field.people")}, list, func(b model.Booking) []string {
		return []string{strconv.FormatInt(b.ID, 10), b.Space, b.Starts, b.Ends[11:], app.BookingWho(b), b.Phone, b.Purpose,
			strconv.Itoa(b.People)}
	})
	fmt.Fprintln(env.Stdout, i18n.L("booking.count", map[string]any{"Count": len(list), "From": first, "To": last}))
	return nil
}

func bookingUsage(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, "booking usage")
	from, to := dateFlags(fs, "cli.booking.flag.from", "cli.booking.flag.to")
	out := fs.String("out", "", i18n.L("cli.booking.flag.out"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	first, last := *from, *to
	if first == "" && last == "" {
		first, last = app.Week(a.Now().Format("2006-01-02"))
	}
	use, err := a.SpaceUsage(ctx, actor, first, last)
	if err != nil {
		return err
	}
	printTable(env.Stdout, report.SpaceUsageRows(use))
	if *out != "" {
		if err := report.WriteSpaceUsage(*out, use, first, last, a.Now()); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
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
