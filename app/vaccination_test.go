package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// TestVaccinationsTypedImportedAndCounted: doses typed at the desk, an
// appointment done by its dose, the health department's list read through
// the matcher (all or nothing), progress and the residents still to call.
func TestVaccinationsTypedImportedAndCounted(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, time.November, 29)
	ta := newDemoApp(t, 2000, 7)
	ctx := context.Background()
	grid := ta.grids(t)[0].ID
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "nurse", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{grid}}); err != nil {
		t.Fatal(err)
	}
	w, err := ta.Login(ctx, "nurse", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	var people []model.ResidentRow
	for _, r := range ta.rows(t, w, app.ListFilter{}) { // progress counts those living here
		if r.IDNumber != "" {
			people = append(people, r)
		}
	}
	const covid = "新冠疫苗"

	// Typed: an appointment first, then the dose, which makes it done.
	if _, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "1", Day: "2026-12-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "2", Day: "2026-11-01"}); problemKeys(t, err)["appointment_day"] != "err.vaccination.appointment_day" {
		t.Errorf("an appointment in the past: %v", err)
	}
	if err := ta.AddVaccination(ctx, w, app.VaccinationInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "第1剂", Day: "2026-11-20", Place: "社区卫生服务中心"}); err != nil {
		t.Fatal(err)
	}
	aps, err := ta.Appointments(ctx, w)
	if err != nil || len(aps) != 1 || aps[0].Status != model.AppointmentDone {
		t.Fatalf("appointments %+v (%v)", aps, err)
	}
	// A dose recorded, or booked already, is not booked again; a booking cancelled once.
	if _, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "1", Day: "2026-12-03"}); problemKeys(t, err)["dose"] != "err.vaccination.recorded" {
		t.Errorf("booking a dose recorded: %v", err)
	}
	booked, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "2", Day: "2026-12-20"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "第二针", Day: "2026-12-21"}); problemKeys(t, err)["dose"] != "err.vaccination.booked" {
		t.Errorf("booking a dose twice: %v", err)
	}
	if _, err := ta.AddAppointment(ctx, w, app.AppointmentInput{IDNumber: people[0].IDNumber[:17], Vaccine: covid, Dose: "2", Day: "2026-12-20"}); problemKeys(t, err)["id_number"] != "err.id.length" {
		t.Errorf("booking with 17 digits: %v", err)
	}
	if err := ta.CancelAppointment(ctx, w, booked); err != nil {
		t.Fatal(err)
	}
	if err := ta.CancelAppointment(ctx, w, booked); problemKeys(t, err)["appointment"] != "err.vaccination.not_booked" {
		t.Errorf("cancelled twice: %v", err)
	}
	for in, want := range map[app.VaccinationInput]map[string]string{
		{IDNumber: people[1].IDNumber, Vaccine: covid, Dose: "1", Day: "1900-01-01"}: {"vaccinated_on": "err.vaccination.before_birth"},
		{IDNumber: people[0].IDNumber, Vaccine: covid, Dose: "一"}:                    {"dose": "err.vaccination.recorded"},
		{IDNumber: people[1].IDNumber, Vaccine: covid, Dose: "两剂"}:                   {"dose": "err.vaccination.dose"},
		{IDNumber: people[1].IDNumber, Vaccine: covid, Dose: "1", Day: "2027-01-01"}: {"vaccinated_on": "err.vaccination.day"},
		{IDNumber: people[1].IDNumber, Dose: "1"}:                                    {"vaccine": "err.vaccination.vaccine"},
		{IDNumber: idnumber.Synthesize("110105", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 3, idnumber.Male), Vaccine: covid, Dose: "1"}: {
			"id_number": "err.vaccination.unknown"},
	} {
		keys := problemKeys(t, ta.AddVaccination(ctx, w, in))
		for f, k := range want {
			if keys[f] != k {
				t.Errorf("%+v: problems %v, want %s: %s", in, keys, f, k)
			}
		}
	}

	// The health department's list: dose 2 for people[1..10], written
	// every which way, and a stranger; one day mistyped stops it all.
	path := filepath.Join(t.TempDir(), "接种记录.xlsx")
	write := func(badDay bool) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"受种者姓名", "身份证号", "疫苗名称", "剂次", "接种日期", "接种单位"})
		doses := []any{"2", "第2剂", "第二针", 2, "二"} // and 首针 for a first, below
		for i := 1; i <= 10; i++ {
			day := any("2021-06-0" + string(rune('0'+i%9+1)))
			switch i {
			case 3:
				day = 44350 // an Excel date: 2021-06-03
			case 4:
				day = "2021-06-04 14:30" // a day and a time
			}
			if badDay && i == 5 {
				day = "2021-13-40"
			}
			f.SetSheetRow("Sheet1", "A"+itoa(int64(i+1)), &[]any{people[i].Name, people[i].IDNumber, covid, doses[i%5], day, "卫生院"})
		}
		f.SetSheetRow("Sheet1", "A12", &[]any{"外来人", idnumber.Synthesize("110105", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 4, idnumber.Female), covid, 1, "2021-06-01"})
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	write(true)
	res, err := ta.ImportVaccinations(ctx, w, path, app.VaccinationImport{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || res.Added != 0 {
		t.Fatalf("a mistyped day: failed %v, added %d", res.Failed(), res.Added)
	}
	var errs []string
	for _, p := range res.Problems {
		errs = append(errs, itoa(int64(p.Row))+"/"+string(p.Field)+"/"+p.Key)
	}
	if len(errs) != 2 || errs[0] != "6/vaccinated_on/err.vaccination.day" || errs[1] != "12/id_number/warn.vaccination.not_registered" {
		t.Fatalf("problems %v", errs)
	}
	write(false)
	if res, err = ta.ImportVaccinations(ctx, w, path, app.VaccinationImport{}); err != nil || res.Failed() || res.Added != 10 {
		t.Fatalf("import: %+v (%v)", res, err)
	}
	if res, err = ta.ImportVaccinations(ctx, w, path, app.VaccinationImport{}); err != nil || res.Added != 0 || res.Existing != 10 {
		t.Fatalf("again: %+v (%v)", res, err)
	}
	// A list names a person once a dose: both rows are read.
	two := filepath.Join(t.TempDir(), "两剂.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"身份证号", "疫苗", "剂次", "接种日期"})
	f.SetSheetRow("Sheet1", "A2", &[]any{people[11].IDNumber, "流感疫苗", 1, "2025-10-01"})
	f.SetSheetRow("Sheet1", "A3", &[]any{people[11].IDNumber, "流感疫苗", 2, "2025-11-01"})
	f.SetSheetRow("Sheet1", "A4", &[]any{people[11].IDNumber, "流感疫苗", "首针", "2025-10-08"}) // the first again, another day
	if err := f.SaveAs(two); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// (and 流感疫苗 is a name not recorded before: said once)
	if res, err := ta.ImportVaccinations(ctx, w, two, app.VaccinationImport{}); err != nil || res.Added != 2 || len(res.Problems) != 2 ||
		res.Problems[0].Key != "warn.vaccination.new_vaccine" || res.Problems[1].Key != "warn.vaccination.twice" || res.Problems[1].Row != 4 {
		t.Fatalf("two doses of one person, the first twice: %+v (%v)", res, err)
	}
	// The same list once more, its second dose on another day: the day
	// recorded stays, and the row is named.
	f = excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"身份证号", "疫苗", "剂次", "接种日期"})
	f.SetSheetRow("Sheet1", "A2", &[]any{people[11].IDNumber, "流感疫苗", 1, "2025-10-01"})
	f.SetSheetRow("Sheet1", "A3", &[]any{people[11].IDNumber, "流感疫苗", 2, "2025-11-05"})
	if err := f.SaveAs(two); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if res, err := ta.ImportVaccinations(ctx, w, two, app.VaccinationImport{}); err != nil || res.Added != 0 || res.Existing != 2 ||
		len(res.Problems) != 1 || res.Problems[0].Key != "warn.vaccination.recorded" || res.Problems[0].Row != 3 ||
		res.Problems[0].Data["Day"] != "2025-11-01" || res.Problems[0].Data["Value"] != "2025-11-05" {
		t.Fatalf("a dose recorded on another day: %+v (%v)", res, err)
	}
	if flu, err := ta.Vaccinations(ctx, w, people[11].ID); err != nil || len(flu) != 2 || flu[1].Day != "2025-11-01" && flu[0].Day != "2025-11-01" {
		t.Fatalf("people[11]'s doses %+v (%v)", flu, err)
	}
	vs, err := ta.Vaccinations(ctx, w, people[3].ID)
	if err != nil || len(vs) != 1 || vs[0].Day != "2021-06-03" || vs[0].Dose != 2 || vs[0].Place != "卫生院" || vs[0].Source != "接种记录.xlsx" {
		t.Fatalf("people[3]'s doses %+v (%v)", vs, err)
	}

	// Progress: 11 with a first dose or later (people[0] typed, 1..10
	// imported as dose 2), 10 with two.
	everyone := len(ta.rows(t, w, app.ListFilter{}))
	if all := len(ta.rows(t, w, app.ListFilter{Cohort: &app.CohortFilter{Statuses: model.Statuses}})); all == everyone {
		t.Fatal("the demo has nobody who moved away: the default of those living here is not tested")
	}
	for doses, done := range map[int]int{1: 11, 2: 10, 3: 0} {
		for _, by := range []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge} {
			p, err := ta.VaccinationProgress(ctx, w, app.ListFilter{}, covid, doses, by)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, r := range p.Rows {
				sum += r.Done
			}
			if p.Total.Residents != everyone || p.Total.Done != done || sum != done {
				t.Errorf("%d doses by %s: %d of %d (rows %d), want %d of %d", doses, by, p.Total.Done, p.Total.Residents, sum, done, everyone)
			}
		}
		f, err := ta.Unvaccinated(ctx, w, app.ListFilter{}, covid, doses)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(ta.rows(t, w, f)); n != everyone-done {
			t.Errorf("%d doses: %d to call, want %d", doses, n, everyone-done)
		}
	}
	// Each age band holds those of its full years today.
	p, _ := ta.VaccinationProgress(ctx, w, app.ListFilter{}, covid, 1, model.ByAge)
	byBand := map[int64]int{}
	for _, r := range ta.rows(t, w, app.ListFilter{}) {
		band := int64(-10)
		if age := ta.Age(r.Birth); age >= 0 {
			band = int64(min(age/10*10, 80))
		}
		byBand[band]++
	}
	for _, r := range p.Rows {
		if r.Residents != byBand[r.Key] {
			t.Errorf("band %s: %d residents, by hand %d", r.Label, r.Residents, byBand[r.Key])
		}
	}
	if len(p.Rows) != len(byBand) || (p.Rows[0].Label != "0-9岁" && p.Rows[0].Label != "出生日期不详") {
		t.Errorf("%d bands (by hand %d), the first %q", len(p.Rows), len(byBand), p.Rows[0].Label)
	}
	vaccines, err := ta.Vaccines(ctx)
	if err != nil || len(vaccines) != 2 || vaccines[0] != covid {
		t.Errorf("vaccines %v (%v)", vaccines, err)
	}
}
