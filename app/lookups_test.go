package app_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// lookUp is a read the window makes, as it makes it; its result (and
// error) is what the screen has to show.
type lookUp struct {
	name   string
	call   func(ctx context.Context, w *lookUpWorld, actor *app.Actor) (any, error)
	masked bool // the use case masks numbers itself (else the face does, tested there)
	shows  bool // a keeper of A's records finds A in it
}

// lookUpWorld is a demo district with A planted in grid 0 and B in grid 1,
// each in every kind of record.
type lookUpWorld struct {
	*testApp
	a, b              surfacePerson
	activity, appealB int64
	worklogB          int64
	houseA, houseB    int64
}

// surfacePerson is a resident planted with numbers found nowhere else.
type surfacePerson struct {
	name, id, phone string
	resident        int64
}

func rows(ctx context.Context, w *lookUpWorld, actor *app.Actor, f app.ListFilter) (any, error) {
	l, err := w.Residents(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	return l.Page(ctx, nil, 5000, false)
}

var lookUps = []lookUp{
	{"Residents", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return rows(ctx, w, ac, app.ListFilter{})
	}, false, true},
	{"Residents by B's ID number", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return rows(ctx, w, ac, app.ListFilter{Search: w.b.id})
	}, false, false},
	{"Residents by B's phone", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return rows(ctx, w, ac, app.ListFilter{Search: w.b.phone})
	}, false, false},
	{"Residents by name", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return rows(ctx, w, ac, app.ListFilter{Search: "闻人"})
	}, false, true},
	{"Resident A", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Resident(ctx, ac, w.a.resident)
	}, false, true},
	{"Resident B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Resident(ctx, ac, w.b.resident)
	}, false, false},
	{"OpenResident B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.OpenResident(ctx, ac, w.b.resident)
	}, false, false},
	{"History B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.History(ctx, ac, w.b.resident)
	}, false, false},
	{"ResidentTags B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.ResidentTags(ctx, ac, w.b.resident)
	}, false, false},
	{"Vaccinations B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Vaccinations(ctx, ac, w.b.resident)
	}, false, false},
	{"ResidentByIDNumber B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		r, visible, ok, err := w.ResidentByIDNumber(ctx, ac, w.b.id)
		return []any{r, visible, ok}, err
	}, false, false},
	{"Household of A's house", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Household(ctx, ac, w.houseA, true)
	}, false, true},
	{"Household of B's house", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Household(ctx, ac, w.houseB, true)
	}, false, false},
	{"Visitor A", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Visitor(ctx, ac, w.a.id)
	}, true, true},
	{"Visitor B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Visitor(ctx, ac, w.b.id)
	}, true, false},
	{"Visits", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		list, _, err := w.Visits(ctx, ac, app.VisitFilter{}, nil, 1000)
		return list, err
	}, false, true},
	{"Visits of B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		list, _, err := w.Visits(ctx, ac, app.VisitFilter{Person: w.b.id}, nil, 1000)
		return list, err
	}, false, false},
	{"Bookings", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		d := w.Now().AddDate(0, 0, 1).Format("2006-01-02")
		return w.Bookings(ctx, ac, nil, d, d)
	}, true, true},
	{"Attendees", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Attendees(ctx, ac, w.activity)
	}, true, true},
	{"Appeals", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Appeals(ctx, ac, app.AppealFilter{})
	}, true, true},
	{"AppealDetail B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.AppealDetail(ctx, ac, w.appealB)
	}, true, false},
	{"WorkLogs", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.WorkLogs(ctx, ac, app.WorkLogFilter{})
	}, false, true},
	{"WorkLogEntry B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		l, hist, err := w.WorkLogEntry(ctx, ac, w.worklogB)
		return []any{l, hist}, err
	}, false, false},
	{"Appointments", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) { return w.Appointments(ctx, ac) }, false, true},
	{"AuditLog", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.AuditLog(ctx, ac, model.AuditFilter{}, 100000)
	}, true, false},
	{"Reveal B", func(ctx context.Context, w *lookUpWorld, ac *app.Actor) (any, error) {
		return w.Reveal(ctx, ac, w.b.resident, "核对身份")
	}, true, false},
}

// notLookUps are the use cases that are not a window's read of personal
// data, by why.
var notLookUps = map[string]string{
	"writes: they answer with an id or a problem, tested with each feature": `AddActivity AddAppointment AddBatch AddMerchant AddSpace
		AddVaccination AddWorkLog EditWorkLog WithdrawWorkLog AdvanceAppeal BookSpace CancelActivity CancelAppointment CancelBooking CancelSignUp ChangePassword
		ChangeRelation CheckIn CreateAccount CreatePlace CreateTag DeleteResident DeleteTag Demo EditBatch EditSpace EnsureAreaPath Init
		Invite IssueCoupon IssueCoupons LeaveHouse LeaveVisit Login MergeTags MoveResident RecordList RedeemCoupon RegisterVisit RenamePlace
		ResetPassword SaveAppealCategory SaveCohort SaveLedgerMapping SaveResident SetAuditRetention SetCalendarDays SetHouseUse
		SetIdleMinutes SetPersonalData SetSyncAuto SetTag SignUp TakeAppeal UpdateTag CreateArea RenameArea MoveArea DeleteArea
		EditAccount SetAccountDisabled Logout`,
	"files: exports, imports, forms and reports, read by the command line's surface test": `ExportActivity ExportAudit ExportCoupons
		ExportMatch ExportResidents ExportVisits ExportWorkLogs FillForm Import ImportHotline ImportVaccinations ImportVisits InspectForm
		InspectHotline InspectLedger InspectList InspectVaccinations InspectVisits Match NoteReport Backup RestoreBackup PurgeAudit`,
	"no personal data: places, counts, settings, names of things": `Accounts Activities Activity AppealCategories AppealStats AreaByName
		AuditRetention BackupDue Batches Buildings Calendar Holidays Check CompareCohorts CompoundByName Compounds CountCohort DBPath FilterPlace
		FindHouses House Houses IdleMinutes MerchantByName Merchants NeedsSetup Pyramid Sample SavedCohort SavedCohorts SpaceAreas SpaceByName
		SpaceUsage Spaces Stats SyncStatus TagByName TagList TagNames Tags Units Unvaccinated VaccinationProgress Vaccines VerifyAudit
		VisibleAreas AreaUse FirstSteps`,
	"sync: what a server sends is tested in app/replica": `SeedServer SyncConflicts SyncEnrol SyncResolve SyncRound`,
	"no store: the clock, and what follows from it":      `Now Age CheckResident`,
}

// TestEveryLookUpKeepsToScopeAndMasks calls every read the window makes
// of personal data as each kind of account: a grid worker never gets the
// other grid's resident, an administrator without the personal-data view
// nobody, and the reads that mask do so without the reveal permission.
// The use cases are enumerated from App's methods, so a new one fails here
// until it is listed.
func TestEveryLookUpKeepsToScopeAndMasks(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, l := range lookUps {
		listed[strings.Fields(l.name)[0]] = true
	}
	for _, names := range notLookUps {
		for _, n := range strings.Fields(names) {
			listed[n] = true
		}
	}
	typ := reflect.TypeOf(&app.App{})
	for i := range typ.NumMethod() {
		if n := typ.Method(i).Name; !listed[n] {
			t.Errorf("App.%s is neither in lookUps nor in notLookUps: say what it shows", n)
		}
	}
	for n := range listed {
		if _, ok := typ.MethodByName(n); !ok {
			t.Errorf("%s is listed but App has no such method", n)
		}
	}

	w := plantLookUps(t)
	ctx := context.Background()
	comm := w.areaOf(t, model.LevelCommunity)
	grids := w.grids(t)
	roles := []struct {
		actor        *app.Actor
		seesA, seesB bool
		keeps        bool
	}{
		{w.admin, true, true, true},
		{w.account(t, "keeper", model.RoleAdmin), false, false, true},
		{w.account(t, "grida", model.RoleGrid, grids[0].ID), true, false, true},
		{w.account(t, "leader", model.RoleLeader, comm.ID), true, true, false},
	}
	for _, role := range roles {
		for _, l := range lookUps {
			got, err := l.call(ctx, w, role.actor)
			text := fmt.Sprintf("%+v %v", got, err)
			var bad []string
			for _, c := range []struct {
				p    surfacePerson
				sees bool
			}{{w.a, role.seesA}, {w.b, role.seesB}} {
				if !c.sees {
					bad = append(bad, c.p.name, c.p.id, c.p.phone)
					if l.name != "AuditLog" { // the trail keeps searched numbers masked
						bad = append(bad, app.MaskIDNumber(c.p.id), app.MaskPhone(c.p.phone))
					}
				}
				if l.masked {
					bad = append(bad, c.p.id, c.p.phone)
				}
			}
			for _, s := range bad {
				if strings.Contains(text, s) {
					t.Errorf("%s: %s gives %q", role.actor.Account.Username, l.name, s)
				}
			}
			if l.shows && role.seesA && role.keeps && !strings.Contains(text, w.a.name) {
				t.Errorf("%s: %s does not give A, whom it may see: %.300s", role.actor.Account.Username, l.name, text)
			}
		}
	}
}

// plantLookUps makes the district and plants A and B.
func plantLookUps(t *testing.T) *lookUpWorld {
	t.Helper()
	ctx := context.Background()
	w := &lookUpWorld{testApp: newDemoApp(t, 2000, 5)}
	grids := w.grids(t)
	comm := w.areaOf(t, model.LevelCommunity)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	home := map[int64]model.ResidentRow{}
	for _, r := range w.rows(t, w.admin, app.ListFilter{}) {
		if _, ok := home[r.GridID]; !ok && r.Address.HouseID != 0 {
			home[r.GridID] = r
		}
	}
	day := w.Now().AddDate(0, 0, 1).Format("2006-01-02")
	space, err := w.AddSpace(ctx, w.admin, app.SpaceInput{AreaID: comm.ID, Name: "议事厅", Capacity: "30", Opens: "8:00", Closes: "21:00"})
	must(err)
	w.activity, err = w.AddActivity(ctx, w.admin, app.ActivityInput{AreaID: comm.ID, Name: "健康讲座", Day: day, From: "9:00", To: "10:00",
		Place: "广场", Capacity: "20"})
	must(err)
	plant := func(p *surfacePerson, grid model.Area, birth time.Time, seq, hour int) int64 {
		h := home[grid.ID]
		p.id = idnumber.Synthesize("110101", birth, seq, idnumber.Male)
		var err error
		p.resident, err = w.SaveResident(ctx, w.admin, app.ResidentInput{Name: p.name, IDNumber: p.id, Phone: p.phone, HouseID: h.Address.HouseID,
			Relation: model.RelOther})
		must(err)
		c, err := w.CompoundByName(ctx, w.admin, 0, h.Address.Compound)
		must(err)
		_, err = w.RegisterVisit(ctx, w.admin, app.VisitInput{CompoundID: c, House: app.HouseText(h.Address), Name: p.name, IDNumber: p.id,
			Phone: p.phone, Reason: "探亲"})
		must(err)
		_, err = w.TakeAppeal(ctx, w.admin, app.AppealInput{Channel: model.ChannelPhone, Category: "环境卫生", Content: "楼道堆物",
			ReporterIDNumber: p.id, HouseID: h.Address.HouseID})
		must(err)
		logID, err := w.AddWorkLog(ctx, w.admin, app.WorkLogInput{Kind: model.WorkVisit, Content: "入户走访" + p.name, ResidentIDs: []int64{p.resident}})
		must(err)
		// Corrected: the history keeps the name.
		must(w.EditWorkLog(ctx, w.admin, logID, app.WorkLogEdit{Kind: model.WorkVisit, Content: "入户走访"}))
		if p == &w.b {
			w.worklogB = logID
		}
		must(w.AddVaccination(ctx, w.admin, app.VaccinationInput{IDNumber: p.id, Vaccine: "流感疫苗", Dose: "1", Day: "2026-10-01"}))
		_, err = w.AddAppointment(ctx, w.admin, app.AppointmentInput{IDNumber: p.id, Vaccine: "流感疫苗", Dose: "2", Day: day})
		must(err)
		_, err = w.BookSpace(ctx, w.admin, app.BookingInput{SpaceID: space, Day: day, From: fmt.Sprintf("%d:00", hour), To: fmt.Sprintf("%d:00", hour+1),
			IDNumber: p.id, Purpose: "排练"})
		must(err)
		_, err = w.SignUp(ctx, w.admin, w.activity, app.ByNumber(p.id))
		must(err)
		// Searched for and listed by number: in the trail.
		for _, s := range []string{p.id, p.phone} {
			_, err := w.Residents(ctx, w.admin, app.ListFilter{Search: s})
			must(err)
			must(w.RecordList(ctx, w.admin, app.ListFilter{Search: s}, 1))
		}
		return h.Address.HouseID
	}
	w.a = surfacePerson{name: "闻人甲琛", phone: "19900427001"}
	w.b = surfacePerson{name: "闻人乙琛", phone: "19900427002"}
	w.houseA = plant(&w.a, grids[0], time.Date(1951, 2, 3, 0, 0, 0, 0, time.UTC), 11, 14)
	w.houseB = plant(&w.b, grids[1], time.Date(1952, 4, 5, 0, 0, 0, 0, time.UTC), 13, 15)
	list, err := w.Appeals(ctx, w.admin, app.AppealFilter{})
	must(err)
	for _, ap := range list {
		if ap.HouseID == w.houseB {
			w.appealB = ap.ID
		}
	}
	if w.appealB == 0 {
		t.Fatal("B's appeal not found")
	}
	return w
}
