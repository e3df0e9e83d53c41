package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// account makes an account over some areas and signs it in.
func (ta *testApp) account(t *testing.T, name string, role model.Role, areas ...int64) *app.Actor {
	t.Helper()
	ctx := context.Background()
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: name, Password: adminPassword, Role: role,
		Areas: areas, CanExport: true}); err != nil {
		t.Fatal(err)
	}
	a, err := ta.Login(ctx, name, adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// areaOf finds an area by level (the first of it).
func (ta *testApp) areaOf(t *testing.T, level model.AreaLevel) model.Area {
	t.Helper()
	areas, err := ta.st.Areas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ar := range areas {
		if ar.Level == level {
			return ar
		}
	}
	t.Fatalf("no %s", level)
	return model.Area{}
}

// residentOf is a resident with an ID number the actor sees.
func (ta *testApp) residentOf(t *testing.T, actor *app.Actor) model.ResidentRow {
	t.Helper()
	for _, r := range ta.rows(t, actor, app.ListFilter{}) {
		if r.IDNumber != "" && r.Phone != "" {
			return r
		}
	}
	t.Fatal("no resident with an ID number")
	return model.ResidentRow{}
}

// TestSpacesAndBookings: spaces kept by their street or community and seen
// below them, bookings within opening hours and never over each other
// (touching ends allowed), cancelled once, and the usage counted.
func TestSpacesAndBookings(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	setToday(t, 2026, 12, 1) // noon
	street, comm := ta.areaOf(t, model.LevelStreet), ta.areaOf(t, model.LevelCommunity)
	grids := ta.grids(t)
	other, _, err := ta.EnsureAreaPath(ctx, ta.admin, street.Name+"/新华社区/第1网格")
	if err != nil {
		t.Fatal(err)
	}
	worker := ta.account(t, "worker", model.RoleWorker, comm.ID)
	grid := ta.account(t, "grid", model.RoleGrid, grids[0].ID)
	stranger := ta.account(t, "stranger", model.RoleWorker, other)
	leader := ta.account(t, "leader", model.RoleLeader, comm.ID)

	hall, err := ta.AddSpace(ctx, ta.admin, app.SpaceInput{AreaID: street.ID, Name: "街道活动中心", Capacity: "80", Opens: "8:00", Closes: "21:00",
		Equipment: "音响、投影"})
	if err != nil {
		t.Fatal(err)
	}
	room, err := ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: comm.ID, Name: "会议室", Place: "社区服务中心二楼", Capacity: "２０",
		Opens: "9点", Closes: "17：30"})
	if err != nil {
		t.Fatal(err)
	}
	// The form's problems, each on its field.
	_, err = ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: street.ID, Name: " ", Capacity: "很多", Opens: "25:00", Closes: "8:00"})
	want := map[string]string{"area": "err.space.area", "space_name": "err.space.name", "capacity": "err.space.capacity", "opens": "err.clock"}
	if got := problemKeys(t, err); len(got) != len(want) {
		t.Fatalf("problems %v, want %v", got, want)
	} else {
		for f, k := range want {
			if got[f] != k {
				t.Errorf("%s: %q, want %q", f, got[f], k)
			}
		}
	}
	_, err = ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: comm.ID, Name: "会议室", Capacity: "10", Opens: "9:00", Closes: "9:00"})
	if got := problemKeys(t, err); got["closes"] != "err.space.hours" {
		t.Fatalf("closing at opening: %v", got)
	}
	_, err = ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: comm.ID, Name: "会议室", Capacity: "10", Opens: "9:00", Closes: "12:00"})
	if got := problemKeys(t, err); got["space_name"] != "err.space.exists" {
		t.Fatalf("a name twice: %v", got)
	}
	if _, err := ta.AddSpace(ctx, grid, app.SpaceInput{AreaID: grids[0].ID, Name: "楼道", Capacity: "5", Opens: "8", Closes: "9"}); err == nil {
		t.Fatal("a grid keeps a space")
	}
	// Who sees what: the community's room below it, the street's hall everywhere in the street.
	names := func(actor *app.Actor) map[string]bool {
		list, err := ta.Spaces(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, sp := range list {
			out[sp.Name] = true
		}
		return out
	}
	if n := names(grid); !n["街道活动中心"] || !n["会议室"] {
		t.Fatalf("the grid sees %v", n)
	}
	if n := names(stranger); !n["街道活动中心"] || n["会议室"] {
		t.Fatalf("another community sees %v", n)
	}
	if err := ta.EditSpace(ctx, stranger, room, app.SpaceInput{Name: "会议室", Capacity: "30", Opens: "9:00", Closes: "17:30"}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("another community edits the room: %v", err)
	}

	r := ta.residentOf(t, grid)
	book := func(actor *app.Actor, space int64, day, from, to string) (int64, error) {
		return ta.BookSpace(ctx, actor, app.BookingInput{SpaceID: space, Day: day, From: from, To: to, IDNumber: r.IDNumber, Purpose: "排练", People: "12"})
	}
	first, err := book(grid, room, "2026-12-02", "9:00", "11:00")
	if err != nil {
		t.Fatal(err)
	}
	clash := func(from, to string) {
		t.Helper()
		_, err := book(worker, room, "2026-12-02", from, to)
		var ps app.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Key != "err.booking.clash" || ps[0].Data["From"] != "2026-12-02 09:00" ||
			ps[0].Data["Who"] != app.MaskName(r.Name) {
			t.Fatalf("%s–%s over 09:00–11:00: %v", from, to, err)
		}
	}
	clash("10:00", "12:00") // over its end
	clash("9:00", "11:00")  // the same
	clash("9:30", "10:00")  // inside
	clash("9:00", "17:00")  // around
	if _, err := book(worker, room, "2026-12-02", "11:00", "12:00"); err != nil {
		t.Fatalf("right after: %v", err)
	}
	clash("10:59", "11:01") // over both
	if _, err := book(worker, room, "2026-12-03", "9:00", "11:00"); err != nil {
		t.Fatalf("the next day: %v", err)
	}
	if _, err := book(worker, hall, "2026-12-02", "9:00", "11:00"); err != nil {
		t.Fatalf("another space: %v", err)
	}
	// Hours, the past, the order, the size, who.
	for _, c := range []struct {
		in          app.BookingInput
		field, want string
	}{
		{app.BookingInput{Day: "2026-12-02", From: "8:00", To: "9:00"}, "starts", "err.booking.hours"},
		{app.BookingInput{Day: "2026-12-02", From: "17:00", To: "18:00"}, "starts", "err.booking.hours"},
		{app.BookingInput{Day: "2026-12-01", From: "10:00", To: "11:00"}, "day", "err.booking.past"},
		{app.BookingInput{Day: "2026-12-04", From: "11:00", To: "10:00"}, "ends", "err.booking.order"},
		{app.BookingInput{Day: "2026-12-04", From: "14:00", To: "15:00", People: "21"}, "people", "err.booking.capacity"},
		{app.BookingInput{Day: "2026-12-04", From: "14:00", To: "15:00", Organisation: "舞蹈队"}, "contact", "err.booking.contact"},
		{app.BookingInput{Day: "2026-12-04", From: "14:00", To: "15:00"}, "organisation", "err.booking.who"},
		{app.BookingInput{Day: "2026-12-04", From: "14:00", To: "15:00", Organisation: "舞蹈队", IDNumber: r.IDNumber}, "organisation", "err.booking.both"},
		{app.BookingInput{Day: "12月4号", From: "14:00", To: "15:00", Organisation: "舞蹈队", Contact: "李老师", Phone: "13800001111"}, "day", "err.booking.day"},
	} {
		c.in.SpaceID = room
		if c.in.IDNumber == "" && c.in.Organisation == "" && c.field != "organisation" {
			c.in.IDNumber = r.IDNumber
		}
		_, err := ta.BookSpace(ctx, worker, c.in)
		if got := problemKeys(t, err); got[c.field] != c.want {
			t.Errorf("%+v: %v, want %s on %s", c.in, got, c.want, c.field)
		}
	}
	if _, err := ta.BookSpace(ctx, worker, app.BookingInput{SpaceID: room, Day: "2026-12-01", From: "13:00", To: "15:00", Organisation: "舞蹈队",
		Contact: "李老师", Phone: "138 0000 1111", People: "15"}); err != nil {
		t.Fatalf("this afternoon: %v", err)
	}
	if _, err := ta.BookSpace(ctx, stranger, app.BookingInput{SpaceID: hall, Day: "2026-12-05", From: "9:00", To: "10:00", IDNumber: r.IDNumber}); problemKeys(t, err)["id_number"] != "err.booking.resident" {
		t.Fatalf("a resident of another community: %v", err)
	}
	if _, err := book(stranger, room, "2026-12-05", "9:00", "10:00"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("another community's room: %v", err)
	}
	if _, err := book(leader, room, "2026-12-05", "9:00", "10:00"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a leader books: %v", err)
	}

	// The week's list: by start, phones masked, nothing of a resident outside one's grids.
	week, err := ta.Bookings(ctx, stranger, []int64{hall}, "2026-11-30", "2026-12-06")
	if err != nil || len(week) != 1 || week[0].Contact != app.HiddenName || week[0].Phone != "" {
		t.Fatalf("the stranger's week of the hall: %+v, %v", week, err)
	}
	day, err := ta.Bookings(ctx, grid, nil, "2026-12-02", "2026-12-02")
	if err != nil || len(day) != 3 || day[0].Contact != r.Name || day[0].Starts != "2026-12-02 09:00" || day[2].Starts != "2026-12-02 11:00" {
		t.Fatalf("the grid's day: %+v, %v", day, err)
	}
	if from, to := app.Week("2026-12-02"); from != "2026-11-30" || to != "2026-12-06" {
		t.Fatalf("the week of a Wednesday: %s–%s", from, to)
	}

	// Cancelled once; the time is free again; a closed space takes none.
	if err := ta.CancelBooking(ctx, grid, first, "改期"); err != nil {
		t.Fatal(err)
	}
	if err := ta.CancelBooking(ctx, grid, first, ""); problemKeys(t, err)["booking"] != "err.booking.cancelled" {
		t.Fatalf("cancelled twice: %v", err)
	}
	if _, err := book(grid, room, "2026-12-02", "9:30", "10:30"); err != nil {
		t.Fatalf("a cancelled booking's time: %v", err)
	}
	if err := ta.EditSpace(ctx, worker, room, app.SpaceInput{Name: "会议室", Capacity: "20", Opens: "9:00", Closes: "17:30", Closed: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := book(grid, room, "2026-12-07", "9:00", "10:00"); problemKeys(t, err)["space"] != "err.space.closed" {
		t.Fatalf("a closed space: %v", err)
	}

	// Usage of the week: the room open 8.5 h a day, booked 1 + 1 + 2 + 2 h.
	setToday(t, 2026, 12, 8)
	use, err := ta.SpaceUsage(ctx, worker, "2026-11-30", "2026-12-06")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range use {
		switch u.Space.Name {
		case "会议室":
			if u.Bookings != 4 || u.Cancelled != 1 || u.Minutes != 6*60 || u.Open != 7*510 || u.People != 12*3+15 {
				t.Errorf("room's use: %+v", u)
			}
		case "街道活动中心":
			if u.Bookings != 1 || u.Minutes != 120 || u.Open != 7*13*60 {
				t.Errorf("hall's use: %+v", u)
			}
		}
	}
	if err := ta.CancelBooking(ctx, worker, first+1, ""); problemKeys(t, err)["booking"] != "err.booking.over" {
		t.Fatalf("an ended booking cancelled: %v", err)
	}

	// Weekly: four Thursdays at 9:00, all or none; a clash on the third
	// books none and names its day.
	weekly := app.BookingInput{SpaceID: hall, Day: "2026-12-10", From: "9:00", To: "10:00", Organisation: "太极队", Contact: "陈老师",
		Phone: "13900001111", Weeks: "4"}
	if _, err := ta.BookSpace(ctx, worker, app.BookingInput{SpaceID: hall, Day: "2026-12-24", From: "9:30", To: "10:30", Organisation: "书画社",
		Contact: "王老师", Phone: "13800002222"}); err != nil {
		t.Fatal(err)
	}
	_, err = ta.BookSpace(ctx, worker, weekly)
	var wps app.Problems
	if !errors.As(err, &wps) || wps[0].Key != "err.booking.clash" || wps[0].Data["From"] != "2026-12-24 09:30" {
		t.Fatalf("a weekly booking over another: %v", err)
	}
	if list, _ := ta.Bookings(ctx, worker, []int64{hall}, "2026-12-10", "2027-01-31"); len(list) != 1 {
		t.Fatalf("a refused weekly booking left %d", len(list)-1)
	}
	weekly.From, weekly.To = "8:00", "9:00"
	if _, err := ta.BookSpace(ctx, worker, weekly); err != nil {
		t.Fatal(err)
	}
	if list, _ := ta.Bookings(ctx, worker, []int64{hall}, "2026-12-10", "2027-01-31"); len(list) != 5 || list[4].Starts != "2026-12-31 08:00" {
		t.Fatalf("weekly: %+v", list)
	}
	weekly.Weeks = "27"
	if _, err := ta.BookSpace(ctx, worker, weekly); problemKeys(t, err)["weeks"] != "err.booking.weeks" {
		t.Fatalf("27 weeks: %v", err)
	}
}
