package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/model"
)

// auditOf lists the audit entries of an action, newest first.
func (ta *testApp) auditOf(t *testing.T, action string) []model.AuditEntry {
	t.Helper()
	list, err := ta.st.AuditEntries(context.Background(), model.AuditFilter{Action: action}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The gate's look-up of an ID number fills only what the account may see
// (earlier visits and residents of its own grids), the phone masked unless
// the account may reveal, and is audited; a visit registered without a
// phone takes the known one.
func TestVisitorLookUpKeepsToScope(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	grids := ta.grids(t)
	make := func(name string, role model.Role, reveal, personal bool, areas ...int64) *app.Actor {
		if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: name, Password: adminPassword, Role: role, Areas: areas,
			CanReveal: reveal, PersonalData: personal}); err != nil {
			t.Fatal(err)
		}
		a, err := ta.Login(ctx, name, adminPassword)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	guard := make("guard", model.RoleGrid, false, false, grids[0].ID)
	other := make("other", model.RoleGrid, false, false, grids[1].ID)
	revealer := make("revealer", model.RoleGrid, true, false, grids[0].ID)
	keeper := make("keeper", model.RoleAdmin, false, false)

	home := ta.residentOf(t, guard)
	there := ta.residentOf(t, other)
	compounds, err := ta.Compounds(ctx, guard)
	if err != nil {
		t.Fatal(err)
	}
	var compound model.Compound
	for _, c := range compounds {
		if c.Name == home.Address.Compound {
			compound = c
		}
	}
	stranger := idnumber.Synthesize("330106", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 7, idnumber.Female)
	if _, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, House: app.HouseText(home.Address), Name: "来访人",
		IDNumber: stranger, Phone: "13800138000", TimeIn: "2026-11-28 09:15"}); err != nil {
		t.Fatal(err)
	}
	before := len(ta.auditOf(t, app.AuditVisitorLookUp))
	for _, c := range []struct {
		who    string
		actor  *app.Actor
		number string
		name   string // "" not found
		phone  string
	}{
		{"the guard, an earlier visitor", guard, stranger, "来访人", app.MaskPhone("13800138000")},
		{"the guard, a resident of the grid", guard, home.IDNumber, home.Name, app.MaskPhone(home.Phone)},
		{"the guard, a resident of another grid", guard, there.IDNumber, "", ""},
		{"another grid, a visitor to a house of the first", other, stranger, "", ""},
		{"the revealer", revealer, stranger, "来访人", "13800138000"},
		{"an administrator without the personal-data view", keeper, stranger, "", ""},
		{"an administrator without the personal-data view, a resident", keeper, home.IDNumber, "", ""},
	} {
		k, err := ta.Visitor(ctx, c.actor, c.number)
		if err != nil {
			t.Fatalf("%s: %v", c.who, err)
		}
		if k.Found != (c.name != "") || k.Name != c.name || k.Phone != c.phone {
			t.Errorf("%s: %+v, want %q %q", c.who, k, c.name, c.phone)
		}
	}
	looks := ta.auditOf(t, app.AuditVisitorLookUp)
	if len(looks)-before != 7 {
		t.Fatalf("%d look-ups audited, want 7", len(looks)-before)
	}
	for _, e := range looks {
		if strings.Contains(e.Detail, stranger) || strings.Contains(e.Detail, home.IDNumber) || !strings.Contains(e.Detail, app.MaskIDNumber(stranger)[:4]) &&
			!strings.Contains(e.Detail, app.MaskIDNumber(home.IDNumber)[:4]) && !strings.Contains(e.Detail, app.MaskIDNumber(there.IDNumber)[:4]) {
			t.Errorf("look-up entry %q", e.Detail)
		}
	}
	// The form leaves a masked phone empty: the visit takes the known one.
	id, err := ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, Name: "来访人", IDNumber: stranger, TimeIn: "2026-11-29 10:00"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := ta.st.Visit(ctx, id); err != nil || v.Phone != "13800138000" {
		t.Errorf("the second visit's phone %q (%v)", v.Phone, err)
	}
	// …but not one the account could not have looked up.
	id, err = ta.RegisterVisit(ctx, guard, app.VisitInput{CompoundID: compound.ID, Name: there.Name, IDNumber: there.IDNumber, TimeIn: "2026-11-29 10:05"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := ta.st.Visit(ctx, id); err != nil || v.Phone != "" {
		t.Errorf("a phone from another grid %q (%v)", v.Phone, err)
	}
}

// Bookings by residents outside the actor's grids show nothing of the
// person: not the surname, not a masked phone.
func TestBookingsHideOutOfScopeBookers(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	setToday(t, 2026, 12, 1)
	comm := ta.areaOf(t, model.LevelCommunity)
	grids := ta.grids(t)
	worker := ta.account(t, "worker", model.RoleWorker, comm.ID)
	g0 := ta.account(t, "g0", model.RoleGrid, grids[0].ID)
	g1 := ta.account(t, "g1", model.RoleGrid, grids[1].ID)
	keeper := ta.account(t, "keeper", model.RoleAdmin)
	room, err := ta.AddSpace(ctx, worker, app.SpaceInput{AreaID: comm.ID, Name: "会议室", Capacity: "20", Opens: "8:00", Closes: "20:00"})
	if err != nil {
		t.Fatal(err)
	}
	r := ta.residentOf(t, g1)
	if _, err := ta.BookSpace(ctx, g1, app.BookingInput{SpaceID: room, Day: "2026-12-02", From: "9:00", To: "10:00", IDNumber: r.IDNumber}); err != nil {
		t.Fatal(err)
	}
	surname := string([]rune(r.Name)[:1])
	for _, c := range []struct {
		who   string
		actor *app.Actor
		in    bool
	}{{"the booker's grid", g1, true}, {"the community", worker, true}, {"another grid", g0, false}, {"an administrator without the view", keeper, false}} {
		list, err := ta.Bookings(ctx, c.actor, []int64{room}, "2026-12-02", "2026-12-02")
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %+v %v", c.who, list, err)
		}
		b := list[0]
		if b.Phone == r.Phone || strings.Contains(b.Phone, r.Phone[7:]) && !c.in {
			t.Errorf("%s sees the phone %q", c.who, b.Phone)
		}
		if c.in && b.Contact != r.Name {
			t.Errorf("%s sees %q, want %q", c.who, b.Contact, r.Name)
		}
		if !c.in && (strings.Contains(b.Contact, surname) || b.Phone != "") {
			t.Errorf("%s sees %q %q of a booker outside its grids", c.who, b.Contact, b.Phone)
		}
	}
	// Nor does a clash name them.
	_, err = ta.BookSpace(ctx, g0, app.BookingInput{SpaceID: room, Day: "2026-12-02", From: "9:30", To: "9:45", Organisation: "舞蹈队",
		Contact: "李老师", Phone: "13800001111"})
	var ps app.Problems
	if !errors.As(err, &ps) || ps[0].Key != "err.booking.clash" || strings.Contains(ps[0].Data["Who"].(string), surname) {
		t.Errorf("a clash with a booker outside the grids: %v %+v", err, ps)
	}
}

// Searched ID numbers and phones are masked in every audit entry: as
// written, and as shown (the log, its export) for entries written before.
func TestAuditMasksSearchedNumbers(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	r := ta.residentOf(t, ta.admin)
	keeper := ta.account(t, "keeper", model.RoleAdmin)
	// As the command line's listing writes it.
	if err := ta.RecordList(ctx, ta.admin, app.ListFilter{Search: r.IDNumber}, 1); err != nil {
		t.Fatal(err)
	}
	if err := ta.RecordList(ctx, ta.admin, app.ListFilter{Search: r.Phone}, 1); err != nil {
		t.Fatal(err)
	}
	for _, e := range ta.auditOf(t, app.AuditList) {
		if strings.Contains(e.Detail, r.IDNumber) || strings.Contains(e.Detail, r.Phone) {
			t.Errorf("written unmasked: %q", e.Detail)
		}
	}
	// An entry of an older version, written with the numbers whole.
	old := `{"search":"` + r.IDNumber + `","also":"电话` + r.Phone + `，座机028-87654321","rows":1}`
	if err := ta.st.Audit(ctx, model.AuditEntry{Account: "admin", Action: app.AuditList, Target: "名单" + r.IDNumber + ".xlsx", Detail: old}); err != nil {
		t.Fatal(err)
	}
	list, err := ta.AuditLog(ctx, keeper, model.AuditFilter{Action: app.AuditList}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var shown string
	for _, e := range list {
		shown += e.Target + " " + e.Detail + "\n"
	}
	for _, whole := range []string{r.IDNumber, r.Phone, "87654321"} {
		if strings.Contains(shown, whole) {
			t.Errorf("the log shows %s:\n%s", whole, shown)
		}
	}
	if !strings.Contains(shown, app.MaskIDNumber(r.IDNumber)) || !strings.Contains(shown, `"rows":1`) {
		t.Errorf("the log lost what it should keep:\n%s", shown)
	}
	out := filepath.Join(t.TempDir(), "审计.xlsx")
	if _, err := ta.ExportAudit(ctx, keeper, model.AuditFilter{}, out); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("审计日志")
	for _, row := range rows {
		for _, cell := range row {
			if strings.Contains(cell, r.IDNumber) || strings.Contains(cell, r.Phone) {
				t.Errorf("the audit export shows %q", cell)
			}
		}
	}
	// The chain still verifies: entries are masked as shown, not changed.
	if v, err := ta.VerifyAudit(ctx); err != nil || !v.Whole() {
		t.Errorf("chain not whole: %+v (%v)", v, err)
	}
}

// A listing of more than a page to a file or pipe is an export: it needs
// the export permission and is audited as one.
func TestListingBeyondAPageIsAnExport(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 300, 5)
	ctx := context.Background()
	comm := ta.areaOf(t, model.LevelCommunity)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "reader", Password: adminPassword, Role: model.RoleWorker,
		Areas: []int64{comm.ID}}); err != nil {
		t.Fatal(err)
	}
	reader, err := ta.Login(ctx, "reader", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	exporter := ta.account(t, "exporter", model.RoleWorker, comm.ID)
	if err := ta.RecordList(ctx, reader, app.ListFilter{}, app.ListPage); err != nil {
		t.Errorf("a page: %v", err)
	}
	exports := len(ta.auditOf(t, app.AuditExport))
	if err := ta.RecordList(ctx, reader, app.ListFilter{}, app.ListPage+1); problemKeys(t, err)["limit"] != "err.list.export" {
		t.Errorf("more than a page without the export permission: %v", err)
	}
	if err := ta.RecordList(ctx, exporter, app.ListFilter{Search: "13800138000"}, 300); err != nil {
		t.Fatal(err)
	}
	list := ta.auditOf(t, app.AuditExport)
	if len(list) != exports+1 || list[0].Account != "exporter" || !strings.Contains(list[0].Detail, `"rows":300`) ||
		strings.Contains(list[0].Detail, "13800138000") {
		t.Errorf("the listing's audit: %+v", list[:min(1, len(list))])
	}
}

// A coupon redeemed at the counter names its holder by surname to an
// account of the holder's grids, and not at all to another.
func TestRedeemingSaysNothingOfAnotherGrid(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	comm := ta.areaOf(t, model.LevelCommunity)
	grids := ta.grids(t)
	worker := ta.account(t, "worker", model.RoleWorker, comm.ID)
	g0 := ta.account(t, "g0", model.RoleGrid, grids[0].ID)
	g1 := ta.account(t, "g1", model.RoleGrid, grids[1].ID)
	shop, err := ta.AddMerchant(ctx, worker, app.MerchantInput{AreaID: comm.ID, Name: "便民超市"})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := ta.AddBatch(ctx, worker, app.BatchInput{MerchantID: shop, Name: "满减券", Value: "20", From: ta.Now().Format("2006-01-02"),
		To: ta.Now().AddDate(0, 0, 30).Format("2006-01-02"), Quota: "10", PerResident: "2"})
	if err != nil {
		t.Fatal(err)
	}
	r := ta.residentOf(t, g1)
	for range 2 {
		if _, err := ta.IssueCoupon(ctx, worker, batch, app.ByNumber(r.IDNumber)); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "券码.xlsx")
	if _, err := ta.ExportCoupons(ctx, worker, batch, out, false, ""); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("优惠券")
	x.Close()
	got, err := ta.RedeemCoupon(ctx, g0, shop, rows[2][4])
	if err != nil || got.Resident != app.HiddenName {
		t.Errorf("another grid's counter: %q %v", got.Resident, err)
	}
	got, err = ta.RedeemCoupon(ctx, g1, shop, rows[3][4])
	if err != nil || got.Resident != app.MaskName(r.Name) {
		t.Errorf("the holder's grid: %q %v", got.Resident, err)
	}
}
