package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

// TestCouponsIssuedAndRedeemedOnce: a merchant's batch issued to a cohort
// within the quota per resident, refused whole past the total quota, and
// each coupon redeemed once, at its merchant, within its validity; the
// counts and the export of codes.
func TestCouponsIssuedAndRedeemedOnce(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 2000, 5)
	ctx := context.Background()
	setToday(t, 2026, 12, 1)
	comm := ta.areaOf(t, model.LevelCommunity)
	grids := ta.grids(t)
	worker := ta.account(t, "worker", model.RoleWorker, comm.ID)
	shop, err := ta.AddMerchant(ctx, worker, app.MerchantInput{AreaID: comm.ID, Name: "红旗超市", Category: "超市", Phone: "028-87654321"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := ta.AddMerchant(ctx, worker, app.MerchantInput{AreaID: comm.ID, Name: "老张面馆", Category: "餐饮"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.AddMerchant(ctx, worker, app.MerchantInput{AreaID: comm.ID, Name: "红旗超市", Phone: "12"}); len(problemKeys(t, err)) != 2 {
		t.Fatalf("a merchant twice with a bad phone: %v", err)
	}
	_, err = ta.AddBatch(ctx, worker, app.BatchInput{MerchantID: shop, Name: "", Value: "二十", From: "2026-12-10", To: "2026-12-01", Quota: "0", PerResident: "0"})
	want := map[string]string{"batch_name": "err.coupon.name", "value": "err.coupon.value", "valid_to": "err.coupon.validity", "quota": "err.coupon.quota",
		"per_resident": "err.coupon.per"}
	got := problemKeys(t, err)
	for f, k := range want {
		if got[f] != k {
			t.Errorf("%s: %q, want %q", f, got[f], k)
		}
	}
	for in, fen := range map[string]int{"20": 2000, "12.5": 1250, "￥8.05": 805, "30元": 3000} {
		if got, ok := app.ParseYuan(in); !ok || got != fen {
			t.Errorf("ParseYuan(%q) = %d", in, got)
		}
	}
	// The old of the first grid, one coupon each, and one more each allowed.
	old := ta.rows(t, worker, app.ListFilter{AreaID: grids[0].ID, Cohort: &app.CohortFilter{Ages: "60-"}})
	n := len(old)
	batch, err := ta.AddBatch(ctx, worker, app.BatchInput{MerchantID: shop, Name: "敬老消费券", Value: "20", From: "2026-12-01", To: "2026-12-31",
		Quota: "1000", PerResident: "2"})
	if err != nil {
		t.Fatal(err)
	}
	f := app.ListFilter{AreaID: grids[0].ID, Cohort: &app.CohortFilter{Ages: "60-"}}
	if issued, full, err := ta.IssueCoupons(ctx, worker, batch, f); err != nil || issued != n || full != 0 {
		t.Fatalf("issued %d (%d full), want %d: %v", issued, full, n, err)
	}
	if issued, full, err := ta.IssueCoupons(ctx, worker, batch, f); err != nil || issued != n || full != 0 {
		t.Fatalf("second round: %d (%d full): %v", issued, full, err)
	}
	if issued, full, err := ta.IssueCoupons(ctx, worker, batch, f); err != nil || issued != 0 || full != n {
		t.Fatalf("third round: %d issued, %d full: %v", issued, full, err)
	}
	if _, err := ta.IssueCoupon(ctx, worker, batch, app.ByNumber(old[0].IDNumber)); problemKeys(t, err)["id_number"] != "err.coupon.has" {
		t.Fatalf("one more to one who has two: %v", err)
	}
	// Past the total quota nothing is issued at all.
	small, err := ta.AddBatch(ctx, worker, app.BatchInput{MerchantID: shop, Name: "限量券", Value: "50", From: "2026-12-01", To: "2026-12-31", Quota: "3"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ta.IssueCoupons(ctx, worker, small, f)
	var ps app.Problems
	if !errors.As(err, &ps) || ps[0].Key != "err.coupon.quota_left" || ps[0].Data["Left"] != 3 || ps[0].Data["Want"] != n {
		t.Fatalf("past the quota: %v", err)
	}
	// Raised to what is wanted, it goes out; not below what was issued.
	if err := ta.EditBatch(ctx, worker, small, strconv.Itoa(n+3), ""); err != nil {
		t.Fatal(err)
	}
	if issued, _, err := ta.IssueCoupons(ctx, worker, small, f); err != nil || issued != n {
		t.Fatalf("after raising the quota: %d, %v", issued, err)
	}
	if err := ta.EditBatch(ctx, worker, small, "2", ""); problemKeys(t, err)["quota"] != "err.coupon.quota_issued" {
		t.Fatalf("a quota below the issued: %v", err)
	}
	if err := ta.EditBatch(ctx, worker, small, strconv.Itoa(n), ""); err != nil {
		t.Fatal(err)
	}
	batches, err := ta.Batches(ctx, worker, shop)
	if err != nil || len(batches) != 2 {
		t.Fatal(batches, err)
	}
	for _, b := range batches {
		if b.Name == "限量券" && (b.Issued != n || b.Quota != n) || b.Name == "敬老消费券" && b.Issued != 2*n {
			t.Fatalf("issued counts: %+v", b)
		}
	}

	// The codes, as exported.
	out := filepath.Join(t.TempDir(), "券码.xlsx")
	rows, err := ta.ExportCoupons(ctx, worker, batch, out, false, "")
	if err != nil || rows != 2*n {
		t.Fatalf("export: %d %v", rows, err)
	}
	sheet := readSheet(t, out, "优惠券")
	code := sheet[2][4]
	if len(code) != 11 || code[5] != '-' || sheet[2][2] == old[0].IDNumber {
		t.Fatalf("exported %q", sheet[2])
	}
	// Redeemed once, typed any way, at its own merchant only.
	if _, err := ta.RedeemCoupon(ctx, worker, other, code); problemKeys(t, err)["code"] != "err.coupon.merchant" {
		t.Fatalf("at another merchant: %v", err)
	}
	r, err := ta.RedeemCoupon(ctx, worker, shop, " "+strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	if err != nil || r.Batch.Value != 2000 || !strings.HasSuffix(r.Resident, "*") {
		t.Fatalf("redeem: %+v %v", r, err)
	}
	if _, err := ta.RedeemCoupon(ctx, worker, shop, code); problemKeys(t, err)["code"] != "err.coupon.used" {
		t.Fatalf("redeemed twice: %v", err)
	}
	if _, err := ta.RedeemCoupon(ctx, worker, shop, "ABCDE-FGHJK"); problemKeys(t, err)["code"] != "err.coupon.unknown" {
		t.Fatalf("an unknown code: %v", err)
	}
	// Validity: not before, not after; and the expired counted.
	early, err := ta.AddBatch(ctx, worker, app.BatchInput{MerchantID: other, Name: "元旦券", Value: "10", From: "2027-01-01", To: "2027-01-03", Quota: "10"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.IssueCoupon(ctx, worker, early, app.ByNumber(old[0].IDNumber)); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "元旦.xlsx")
	if _, err := ta.ExportCoupons(ctx, worker, early, out2, false, ""); err != nil {
		t.Fatal(err)
	}
	code2 := readSheet(t, out2, "优惠券")[2][4]
	if _, err := ta.RedeemCoupon(ctx, worker, other, code2); problemKeys(t, err)["code"] != "err.coupon.early" {
		t.Fatalf("before its validity: %v", err)
	}
	setToday(t, 2027, 1, 4)
	if _, err := ta.RedeemCoupon(ctx, worker, other, code2); problemKeys(t, err)["code"] != "err.coupon.late" {
		t.Fatalf("after its validity: %v", err)
	}
	if _, _, err := ta.IssueCoupons(ctx, worker, early, f); problemKeys(t, err)["batch"] != "err.coupon.expired" {
		t.Fatalf("issued after expiry: %v", err)
	}
	all, err := ta.Batches(ctx, worker, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range all {
		if b.Name == "敬老消费券" && (b.Redeemed != 1 || b.Expired != 2*n-1) || b.Name == "元旦券" && b.Expired != 1 {
			t.Fatalf("counts after expiry: %+v", b)
		}
	}
	leader := ta.account(t, "leader", model.RoleLeader, comm.ID)
	if _, err := ta.RedeemCoupon(ctx, leader, shop, code); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a leader redeems: %v", err)
	}
}
