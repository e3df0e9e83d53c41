package app_test

import (
	"context"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// TestAResidentChosenByIDKeepsToScope: the window's picker names residents
// by id; a grid worker's id of a resident of another grid (an id is only
// a number: anything can send one) is refused by every use case that takes
// one, as by ID number, and says nothing of that resident; the worker's own
// resident is taken; nobody named is said as such.
func TestAResidentChosenByIDKeepsToScope(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	setToday(t, 2026, 12, 1)
	comm := ta.areaOf(t, model.LevelCommunity)
	grids := ta.grids(t)
	worker := ta.account(t, "gridworker", model.RoleGrid, grids[0].ID)
	mine := ta.rows(t, worker, app.ListFilter{AreaID: grids[0].ID, Cohort: &app.CohortFilter{Ages: "20-"}})[0]
	theirs := ta.rows(t, ta.admin, app.ListFilter{AreaID: grids[1].ID, Cohort: &app.CohortFilter{Ages: "20-"}})[0]
	act, err := ta.AddActivity(ctx, ta.admin, app.ActivityInput{AreaID: comm.ID, Name: "健康讲座", Day: "2026-12-03", From: "9:00", To: "10:00",
		Place: "广场", Capacity: "20"})
	if err != nil {
		t.Fatal(err)
	}
	shop, err := ta.AddMerchant(ctx, ta.admin, app.MerchantInput{AreaID: comm.ID, Name: "红旗超市", Category: "超市"})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := ta.AddBatch(ctx, ta.admin, app.BatchInput{MerchantID: shop, Name: "敬老消费券", Value: "20", From: "2026-12-01", To: "2026-12-31",
		Quota: "100", PerResident: "1"})
	if err != nil {
		t.Fatal(err)
	}
	uses := []struct {
		name string
		call func(who app.Who) error
	}{
		{"SignUp", func(who app.Who) error { _, err := ta.SignUp(ctx, worker, act, who); return err }},
		{"IssueCoupon", func(who app.Who) error { _, err := ta.IssueCoupon(ctx, worker, batch, who); return err }},
		{"AddVaccination", func(who app.Who) error {
			return ta.AddVaccination(ctx, worker, app.VaccinationInput{ResidentID: who.ID, IDNumber: who.IDNumber, Vaccine: "流感疫苗", Dose: "1",
				Day: "2026-11-20"})
		}},
		{"AddAppointment", func(who app.Who) error {
			_, err := ta.AddAppointment(ctx, worker, app.AppointmentInput{ResidentID: who.ID, IDNumber: who.IDNumber, Vaccine: "流感疫苗", Dose: "2",
				Day: "2026-12-20"})
			return err
		}},
		{"TakeAppeal", func(who app.Who) error {
			_, err := ta.TakeAppeal(ctx, worker, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生", Content: "楼道堆物",
				ReporterID: who.ID, ReporterIDNumber: who.IDNumber, GridID: grids[0].ID})
			return err
		}},
	}
	for _, c := range uses {
		err := c.call(app.ByID(theirs.ID))
		keys := problemKeys(t, err)
		if k := keys["resident"] + keys["reporter"]; k != "err.picked.gone" {
			t.Errorf("%s of another grid's resident by id: %v", c.name, err)
		}
		if strings.Contains(err.Error(), theirs.Name) {
			t.Errorf("%s names another grid's resident: %v", c.name, err)
		}
		if err := c.call(app.ByNumber(theirs.IDNumber)); err == nil {
			t.Errorf("%s of another grid's resident by ID number was taken", c.name)
		}
		if err := c.call(app.ByID(mine.ID)); err != nil {
			t.Errorf("%s of the worker's own resident by id: %v", c.name, err)
		}
		if c.name != "TakeAppeal" { // an appeal without a reporter asks for a name instead
			if keys := problemKeys(t, c.call(app.Who{})); keys["resident"] != "err.picked.none" {
				t.Errorf("%s of nobody: %v", c.name, keys)
			}
		}
	}
	people, err := ta.Attendees(ctx, ta.admin, act)
	if err != nil || len(people) != 1 || people[0].Name != mine.Name {
		t.Fatalf("the activity's people: %+v, %v", people, err)
	}
	list, err := ta.Appeals(ctx, ta.admin, app.AppealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range list {
		if ap.ReporterName == theirs.Name {
			t.Errorf("an appeal was taken with another grid's reporter: %+v", ap)
		}
	}
}
