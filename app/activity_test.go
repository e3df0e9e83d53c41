package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

// TestActivitiesSignUpsAndCheckIn: an activity in a space books it (and a
// clash leaves no activity), invitations from its cohort, sign-ups up to
// the capacity then a waiting list in order, a place freed going to the
// first waiting, check-in on the day once, attendance and the export.
func TestActivitiesSignUpsAndCheckIn(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	setToday(t, 2026, 12, 1)
	comm := ta.areaOf(t, model.LevelCommunity)
	worker := ta.account(t, "worker", model.RoleWorker, comm.ID)
	room, err := ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: comm.ID, Name: "活动室", Capacity: "30", Opens: "8:00", Closes: "18:00"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.SaveCohort(ctx, worker, "老年人", app.CohortFilter{Ages: "60-"}); err != nil {
		t.Fatal(err)
	}
	in := app.ActivityInput{AreaID: comm.ID, Name: "重阳节包饺子", Day: "2026-12-03", From: "9:00", To: "11:00", SpaceID: room, Capacity: "3", Cohort: "老年人"}
	id, err := ta.AddActivity(ctx, worker, in)
	if err != nil {
		t.Fatal(err)
	}
	// The space is the activity's now: another booking clashes, and so
	// does a second activity, which is then not made at all.
	if _, err := ta.BookSpace(ctx, worker, app.BookingInput{SpaceID: room, Day: "2026-12-03", From: "10:00", To: "12:00", Organisation: "书画社",
		Contact: "王老师", Phone: "13800002222"}); problemKeys(t, err)["starts"] != "err.booking.clash" {
		t.Fatalf("booking over the activity: %v", err)
	}
	clash := in
	clash.Name, clash.From = "健康讲座", "10:30"
	if _, err := ta.AddActivity(ctx, worker, clash); problemKeys(t, err)["starts"] != "err.booking.clash" {
		t.Fatalf("activity over the activity: %v", err)
	}
	if list, _ := ta.Activities(ctx, worker, "2026-12-01", "2026-12-31"); len(list) != 1 {
		t.Fatalf("a clashing activity was kept: %d activities", len(list))
	}
	// The form's problems.
	_, err = ta.AddActivity(ctx, worker, app.ActivityInput{AreaID: comm.ID, Name: "", Day: "2026-12-03", From: "17:00", To: "19:00", SpaceID: room,
		Capacity: "31", Cohort: "不存在"})
	want := map[string]string{"activity_name": "err.activity.name", "starts": "err.booking.hours", "capacity": "err.booking.capacity", "cohort": "err.cohort.unknown"}
	got := problemKeys(t, err)
	for f, k := range want {
		if got[f] != k {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], k, got)
		}
	}
	if _, err := ta.AddActivity(ctx, worker, app.ActivityInput{AreaID: comm.ID, Name: "户外徒步", Day: "2026-12-05", From: "8:00", To: "12:00",
		Capacity: "50"}); problemKeys(t, err)["location"] != "err.activity.place" {
		t.Fatalf("no place: %v", err)
	}
	walk, err := ta.AddActivity(ctx, worker, app.ActivityInput{AreaID: comm.ID, Name: "户外徒步", Day: "2026-12-05", From: "8:00", To: "12:00",
		Place: "凤凰山", Capacity: "50"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Invite(ctx, worker, walk); problemKeys(t, err)["cohort"] != "err.activity.nocohort" {
		t.Fatalf("invite without a cohort: %v", err)
	}

	// Invitations: the old of the community, living here.
	n, err := ta.Invite(ctx, worker, id)
	if err != nil {
		t.Fatal(err)
	}
	old := ta.rows(t, worker, app.ListFilter{AreaID: comm.ID, Cohort: &app.CohortFilter{Ages: "60-"}})
	if n != len(old) || n < 5 {
		t.Fatalf("invited %d, the cohort has %d", n, len(old))
	}
	if again, err := ta.Invite(ctx, worker, id); err != nil || again != 0 {
		t.Fatalf("invited again: %d, %v", again, err)
	}
	// Sign-ups: three places, then the waiting list.
	states := []model.Attendance{}
	for _, r := range old[:5] {
		s, err := ta.SignUp(ctx, worker, id, app.ByNumber(r.IDNumber))
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, s)
	}
	if states[2] != model.AttSigned || states[3] != model.AttWaiting || states[4] != model.AttWaiting {
		t.Fatalf("states %v", states)
	}
	bad := old[0].IDNumber[:17] + map[bool]string{true: "1", false: "2"}[old[0].IDNumber[17] != '1']
	if _, err := ta.SignUp(ctx, worker, id, app.ByNumber(bad)); !strings.HasPrefix(problemKeys(t, err)["id_number"], "err.id") {
		t.Fatalf("a mistyped number: %v", err)
	}
	if _, err := ta.SignUp(ctx, worker, id, app.ByNumber(old[0].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.already.signed" {
		t.Fatalf("signed up twice: %v", err)
	}
	if _, err := ta.SignUp(ctx, worker, id, app.ByNumber(old[4].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.already.waiting" {
		t.Fatalf("waiting twice: %v", err)
	}
	// A place freed goes to the first waiting, not the last.
	promoted, err := ta.CancelSignUp(ctx, worker, id, app.ByNumber(old[1].IDNumber))
	if err != nil || promoted != old[3].Name {
		t.Fatalf("promoted %q, want %q (%v)", promoted, old[3].Name, err)
	}
	if _, err := ta.CancelSignUp(ctx, worker, id, app.ByNumber(old[1].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.notsigned" {
		t.Fatalf("cancelled twice: %v", err)
	}
	// Check-in: on the day only, once, and only with a place.
	if _, err := ta.CheckIn(ctx, worker, id, app.ByNumber(old[0].IDNumber)); problemKeys(t, err)["activity"] != "err.activity.checkin_day" {
		t.Fatalf("check-in before the day: %v", err)
	}
	setClock(t, func() time.Time { return time.Date(2026, 12, 3, 8, 45, 0, 0, time.Local) })
	if name, err := ta.CheckIn(ctx, worker, id, app.ByNumber(old[0].IDNumber)); err != nil || name != old[0].Name {
		t.Fatalf("check-in: %q %v", name, err)
	}
	if _, err := ta.CheckIn(ctx, worker, id, app.ByNumber(old[0].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.checked" {
		t.Fatalf("checked in twice: %v", err)
	}
	if _, err := ta.CheckIn(ctx, worker, id, app.ByNumber(old[4].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.waiting" {
		t.Fatalf("check-in from the waiting list: %v", err)
	}
	if _, err := ta.CheckIn(ctx, worker, id, app.ByNumber(old[6].IDNumber)); problemKeys(t, err)["id_number"] != "err.activity.notsigned" {
		t.Fatalf("check-in of one invited only: %v", err)
	}
	act, err := ta.Activity(ctx, worker, id)
	if err != nil || act.Signed != 3 || act.Waiting != 1 || act.CheckedIn != 1 || act.Invited != n-5 || act.Place != "活动室" {
		t.Fatalf("counts: %+v %v", act, err)
	}
	if r := app.AttendanceRate(act); r < 33.3 || r > 33.4 {
		t.Fatalf("attendance %.1f%%", r)
	}
	people, err := ta.Attendees(ctx, worker, id)
	if err != nil || len(people) != n || people[0].State != model.AttSigned || people[3].State != model.AttWaiting ||
		people[0].IDNumber == old[0].IDNumber || people[len(people)-1].State != model.AttCancelled {
		t.Fatalf("attendees: %d, %+v", len(people), people[:4])
	}
	out := filepath.Join(t.TempDir(), "名单.xlsx")
	rows, err := ta.ExportActivity(ctx, worker, id, out, false, "")
	if err != nil || rows != n {
		t.Fatalf("export: %d %v", rows, err)
	}
	sheet := readSheet(t, out, "活动名单")
	if len(sheet) < 3 || sheet[2][4] != "已报名" || sheet[2][2] == old[0].IDNumber || sheet[2][6] == "" {
		t.Fatalf("exported: %q", sheet[:3])
	}
	// Cancelled: the space is free again, and nobody signs up.
	if err := ta.CancelActivity(ctx, worker, id); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.SignUp(ctx, worker, id, app.ByNumber(old[8].IDNumber)); problemKeys(t, err)["activity"] != "err.activity.cancelled" {
		t.Fatalf("sign-up for a cancelled activity: %v", err)
	}
	if _, err := ta.BookSpace(ctx, worker, app.BookingInput{SpaceID: room, Day: "2026-12-03", From: "14:00", To: "15:00", Organisation: "书画社",
		Contact: "王老师", Phone: "13800002222"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.BookSpace(ctx, worker, app.BookingInput{SpaceID: room, Day: "2026-12-03", From: "9:00", To: "11:00", Organisation: "书画社",
		Contact: "王老师", Phone: "13800002222"}); err != nil {
		t.Fatalf("the cancelled activity's time: %v", err)
	}
	leader := ta.account(t, "leader", model.RoleLeader, comm.ID)
	if _, err := ta.SignUp(ctx, leader, walk, app.ByNumber(old[0].IDNumber)); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a leader signs up: %v", err)
	}
}
