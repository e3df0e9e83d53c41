package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// TestWorkdaysSkipWeekendsAndHolidays: deadlines count working days, with
// the office's holidays off and its make-up weekend days on.
func TestWorkdaysSkipWeekendsAndHolidays(t *testing.T) {
	t.Parallel()
	cal := app.Calendar{"2026-10-01": false, "2026-10-02": false, "2026-10-05": false, "2026-10-06": false,
		"2026-10-07": false, "2026-10-08": false, "2026-10-10": true}
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-27", 1, "2026-11-30"}, // Friday + 1 → Monday
		{"2026-11-28", 1, "2026-11-30"}, // Saturday + 1 → Monday
		{"2026-11-25", 3, "2026-11-30"}, // Wednesday + 3 → Monday
		{"2026-11-28", 0, "2026-11-30"}, // a weekend day itself → Monday
		{"2026-09-30", 1, "2026-10-09"}, // the National Day week off
		{"2026-09-30", 2, "2026-10-10"}, // Saturday the 10th is worked
		{"2026-09-30", 3, "2026-10-12"},
	} {
		if got := cal.AddWorkdays(day(c.from), c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

// appealApp is a demo of two grids with a worker of the first grid and
// one of the community.
func appealApp(t *testing.T) (*testApp, *app.Actor, *app.Actor) {
	t.Helper()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	grids := ta.grids(t)
	for _, in := range []app.AccountInput{
		{Username: "grid1", Password: adminPassword, Role: model.RoleGrid, Areas: []int64{grids[0].ID}},
		{Username: "office", Password: adminPassword, Role: model.RoleWorker, Areas: []int64{grids[0].ParentID}, CanExport: true},
	} {
		if _, err := ta.CreateAccount(ctx, ta.admin, in); err != nil {
			t.Fatal(err)
		}
	}
	g, _ := ta.Login(ctx, "grid1", adminPassword)
	o, _ := ta.Login(ctx, "office", adminPassword)
	return ta, g, o
}

// TestAnAppealGoesFromIntakeToClosedAndRefusesIllegalSteps walks every
// transition, legal and not.
func TestAnAppealGoesFromIntakeToClosedAndRefusesIllegalSteps(t *testing.T) {
	t.Parallel()
	ta, grid, office := appealApp(t)
	ctx := context.Background()
	r := ta.rows(t, office, app.ListFilter{})[0]
	// Received on a Friday: accept by Monday, answer by Wednesday, close by the next Tuesday.
	id, err := ta.TakeAppeal(ctx, office, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生",
		Content: "楼道堆放杂物", ReporterIDNumber: r.IDNumber, HouseID: r.HouseID, Received: time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.TakeAppeal(ctx, office, app.AppealInput{Channel: model.ChannelPhone, Content: "x", ReporterName: "李",
		HouseID: r.HouseID}); problemKeys(t, err)["category"] != "err.appeal.nocategory" {
		t.Fatalf("taken in without a category: %v", err)
	}
	d, err := ta.AppealDetail(ctx, office, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != model.AppealPending || d.DueAccept != "2026-11-30" || d.DueAnswer != "2026-12-02" || d.DueClose != "2026-12-08" ||
		d.ReporterName != r.Name || d.GridID != r.GridID || d.Place == "" {
		t.Fatalf("taken in as %+v", d.Appeal)
	}
	illegal := func(act model.AppealAction) {
		t.Helper()
		err := ta.AdvanceAppeal(ctx, office, id, app.StepInput{Action: act, Comment: "x", Reply: "x", Method: model.ReplyPhone,
			Satisfaction: model.Satisfied, Days: 1, Assignee: "grid1"})
		if keys := problemKeys(t, err); keys["action"] != "err.appeal.step" {
			t.Fatalf("%s allowed from %s: %v", act, d.Status, err)
		}
	}
	legal := func(in app.StepInput, want model.AppealStatus) {
		t.Helper()
		if err := ta.AdvanceAppeal(ctx, office, id, in); err != nil {
			t.Fatalf("%s: %v", in.Action, err)
		}
		if d, _ = ta.AppealDetail(ctx, office, id); d.Status != want {
			t.Fatalf("after %s: %s, want %s", in.Action, d.Status, want)
		}
	}
	for _, act := range []model.AppealAction{model.ActStart, model.ActAnswer, model.ActClose, model.ActReturn, model.ActReopen} {
		illegal(act)
	}
	legal(app.StepInput{Action: model.ActAccept}, model.AppealAccepted)
	if d.AssigneeID != office.Account.ID {
		t.Errorf("accepted without taking it: assignee %d", d.AssigneeID)
	}
	illegal(model.ActAccept)
	illegal(model.ActClose)
	// 退回 needs a reason, then the appeal is unaccepted again
	if keys := problemKeys(t, ta.AdvanceAppeal(ctx, office, id, app.StepInput{Action: model.ActReturn})); keys["comment"] != "err.appeal.reason" {
		t.Fatal("returned without a reason")
	}
	legal(app.StepInput{Action: model.ActReturn, Comment: "不属本社区"}, model.AppealPending)
	legal(app.StepInput{Action: model.ActAccept}, model.AppealAccepted)
	// 转派 to the grid worker, who then works on it
	legal(app.StepInput{Action: model.ActReassign, Assignee: "grid1", Comment: "请上门查看"}, model.AppealAccepted)
	if d.Assignee != "grid1" {
		t.Fatalf("reassigned to %q", d.Assignee)
	}
	if err := ta.AdvanceAppeal(ctx, grid, id, app.StepInput{Action: model.ActStart}); err != nil {
		t.Fatal(err)
	}
	// 延期 by two working days moves the open deadlines
	legal(app.StepInput{Action: model.ActExtend, Days: 2, Comment: "需物业配合"}, model.AppealProcessing)
	if d.DueAnswer != "2026-12-04" || d.DueClose != "2026-12-10" || d.DueAccept != "2026-11-30" {
		t.Fatalf("extended to %s / %s (accept %s)", d.DueAnswer, d.DueClose, d.DueAccept)
	}
	if keys := problemKeys(t, ta.AdvanceAppeal(ctx, office, id, app.StepInput{Action: model.ActAnswer, Method: model.ReplyPhone})); keys["reply"] != "err.appeal.reply" {
		t.Fatal("answered without a reply")
	}
	legal(app.StepInput{Action: model.ActAnswer, Reply: "已清理", Method: model.ReplyVisit}, model.AppealAnswered)
	if keys := problemKeys(t, ta.AdvanceAppeal(ctx, office, id, app.StepInput{Action: model.ActClose})); keys["satisfaction"] != "err.appeal.satisfaction" {
		t.Fatal("closed without a verdict")
	}
	legal(app.StepInput{Action: model.ActClose, Satisfaction: model.Dissatisfied}, model.AppealClosed)
	for _, act := range []model.AppealAction{model.ActAccept, model.ActStart, model.ActAnswer, model.ActClose, model.ActReassign, model.ActReturn, model.ActExtend} {
		illegal(act)
	}
	legal(app.StepInput{Action: model.ActReopen, Comment: "居民反映仍未清理"}, model.AppealProcessing)
	if d.Satisfaction != "" || d.AnsweredAt != "" {
		t.Errorf("reopened but keeps %q %q", d.Satisfaction, d.AnsweredAt)
	}
	// the timeline keeps every step, who and why
	var acts []model.AppealAction
	for _, st := range d.Steps {
		acts = append(acts, st.Action)
	}
	want := []model.AppealAction{model.ActIntake, model.ActAccept, model.ActReturn, model.ActAccept, model.ActReassign, model.ActStart,
		model.ActExtend, model.ActAnswer, model.ActClose, model.ActReopen}
	if len(acts) != len(want) {
		t.Fatalf("timeline %v", acts)
	}
	for i := range want {
		if acts[i] != want[i] {
			t.Fatalf("timeline %v, want %v", acts, want)
		}
	}
	if d.Steps[5].Account != "grid1" || d.Steps[2].Comment != "不属本社区" {
		t.Errorf("steps %+v", d.Steps)
	}
}

// TestAppealsStayWithinTheirGridsAndA12345OrderIsTakenOnce.
func TestAppealsStayWithinTheirGridsAndA12345OrderIsTakenOnce(t *testing.T) {
	t.Parallel()
	ta, grid, office := appealApp(t)
	ctx := context.Background()
	in := app.AppealInput{Channel: model.ChannelHotline, Category: "物业服务", Content: "电梯故障", ReporterName: "张先生",
		ReporterPhone: "13800138000", ExternalNo: "GD2026112900012"}
	id, err := ta.TakeAppeal(ctx, office, in) // the office has one community: which grid is not known
	if keys := problemKeys(t, err); keys["grid"] != "err.appeal.grid" {
		t.Fatalf("taken without a grid: %d %v", id, err)
	}
	if id, err = ta.TakeAppeal(ctx, grid, in); err != nil { // the grid worker's one grid
		t.Fatal(err)
	}
	if _, err := ta.TakeAppeal(ctx, grid, in); problemKeys(t, err)["external"] != "err.appeal.duplicate" {
		t.Fatalf("the same order twice: %v", err)
	}
	// a leader reads, does not act
	lead, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "lead", Password: adminPassword, Role: model.RoleLeader,
		Areas: []int64{ta.grids(t)[0].ID}})
	if err != nil || lead == 0 {
		t.Fatal(err)
	}
	l, _ := ta.Login(ctx, "lead", adminPassword)
	if err := ta.AdvanceAppeal(ctx, l, id, app.StepInput{Action: model.ActAccept}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a leader accepted: %v", err)
	}
	rows, err := ta.Appeals(ctx, l, app.AppealFilter{})
	if err != nil || len(rows) != 1 || rows[0].ReporterPhone != "138****8000" {
		t.Fatalf("the leader's list: %+v %v", rows, err)
	}
	// someone of another grid does not see it
	if grids := ta.grids(t); len(grids) > 1 {
		if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "g2", Password: adminPassword, Role: model.RoleGrid,
			Areas: []int64{grids[1].ID}}); err != nil {
			t.Fatal(err)
		}
		g2, _ := ta.Login(ctx, "g2", adminPassword)
		if _, err := ta.AppealDetail(ctx, g2, id); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("another grid's worker opened it: %v", err)
		}
	}
}

// TestAppealStatisticsMatchAHandCount: five appeals with known fates; the
// rates and medians are what a person counts.
func TestAppealStatisticsMatchAHandCount(t *testing.T) {
	t.Parallel()
	ta, grid, _ := appealApp(t)
	ctx := context.Background()
	recv := time.Now().Add(-48 * time.Hour)
	take := func(cat string) int64 {
		id, err := ta.TakeAppeal(ctx, grid, app.AppealInput{Channel: model.ChannelGrid, Category: cat, Content: "事项",
			ReporterName: "李", Received: recv})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	step := func(id int64, in app.StepInput) {
		if err := ta.AdvanceAppeal(ctx, grid, id, in); err != nil {
			t.Fatal(err)
		}
	}
	a1, a2, a3, a4, _ := take("环境卫生"), take("环境卫生"), take("物业服务"), take("物业服务"), take("治安")
	for _, id := range []int64{a1, a2, a3, a4} {
		step(id, app.StepInput{Action: model.ActAccept})
	}
	for _, id := range []int64{a1, a2, a3} {
		step(id, app.StepInput{Action: model.ActAnswer, Reply: "已处理", Method: model.ReplyPhone})
	}
	step(a1, app.StepInput{Action: model.ActClose, Satisfaction: model.Satisfied})
	step(a2, app.StepInput{Action: model.ActClose, Satisfaction: model.Dissatisfied})
	s, err := ta.AppealStats(ctx, grid, "", "", "category")
	if err != nil {
		t.Fatal(err)
	}
	all := s.All
	if all.Received != 5 || all.Answered != 3 || all.Closed != 2 || all.Rated != 2 || all.Satisfied != 1 {
		t.Fatalf("all: %+v", all)
	}
	if all.AnswerRate() != 60 || all.CloseRate() != 40 || all.SatisfactionRate() != 50 || all.OnTimeRate() != 100 {
		t.Errorf("rates %.1f %.1f %.1f %.1f", all.AnswerRate(), all.CloseRate(), all.SatisfactionRate(), all.OnTimeRate())
	}
	if all.AnswerHours < 47 || all.AnswerHours > 49 {
		t.Errorf("median hours to answer %.1f, want about 48", all.AnswerHours)
	}
	if len(s.Groups) != 3 || s.Groups[0].Received != 2 || s.Groups[2].Label != "治安" || s.Groups[2].AcceptHours != -1 {
		t.Errorf("groups %+v", s.Groups)
	}
}
