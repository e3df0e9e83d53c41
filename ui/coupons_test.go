package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"shequ/app"
)

// TestCouponsScreen: a merchant and a batch added through their forms, the
// batch issued to the community's old, a code redeemed at the counter with
// Enter, and the same code refused the second time.
func TestCouponsScreen(t *testing.T) {
	u, w, _ := ledgerUI(t)
	ctx := context.Background()
	if err := u.app.SaveCohort(ctx, u.actor, "老年人", app.CohortFilter{Ages: "60-"}); err != nil {
		t.Fatal(err)
	}
	u.tabs.SelectIndex(10)
	drain(t)
	s := u.coupons
	if !shows(w, "还没有商户") {
		t.Fatalf("empty screen: %q", texts(w))
	}
	s.merchantForm()
	drain(t)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("红旗超市") // name, category, place, contact, phone
	tapText(t, w, "确定")
	drain(t)
	if len(s.merchants) != 1 {
		t.Fatalf("merchants: %v; %q", s.merchants, texts(w))
	}
	s.batchForm()
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText("敬老消费券") // name, value, from, to, quota, per resident
	entries[1].SetText("20")
	entries[4].SetText("100")
	tapText(t, w, "确定")
	drain(t)
	if len(s.batches) != 1 || s.table.CellText(0, 1) != "敬老消费券" {
		t.Fatalf("batches: %v", s.table.Rows())
	}
	s.table.Table().Select(widget.TableCellID{Row: 0})
	defer func() { // a second batch, to sort by name
		s.batchForm()
		entries, _, _ := dialogWidgets(w)
		entries[0].SetText("助残消费券")
		entries[1].SetText("10")
		entries[4].SetText("50")
		tapText(t, w, "确定")
		drain(t)
		sortsAndFits(t, w, s.table, 1)
	}()
	s.issueForm()
	drain(t)
	topSelects(w)[3].SetSelected("老年人") // street, community, grid, cohort
	tapText(t, w, "确定")
	drain(t)
	if !shows(w, "确认无误请再点“确定”") || s.batches[0].Issued != 0 {
		t.Fatalf("issued without the count first: %+v; %q", s.batches[0], texts(w))
	}
	tapText(t, w, "确定")
	drain(t)
	if s.batches[0].Issued == 0 || !strings.Contains(s.status.Text, "已发放") {
		t.Fatalf("after issuing: %+v, %q", s.batches[0], s.status.Text)
	}
	out := filepath.Join(t.TempDir(), "codes.xlsx")
	if _, err := u.app.ExportCoupons(ctx, u.actor, s.batches[0].ID, out, false, ""); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := x.GetCellValue("优惠券", "E3")
	x.Close()
	s.merchant.SetSelected("红旗超市")
	s.code.SetText(code)
	s.code.OnSubmitted(code) // Enter at the counter
	drain(t)
	if !strings.Contains(s.msg.Text, "核销成功：敬老消费券 20 元") || !s.msg.Visible() || s.code.Text != "" || s.batches[0].Redeemed != 1 {
		t.Fatalf("redeemed: %q, box %q, %+v", s.msg.Text, s.code.Text, s.batches[0])
	}
	s.code.SetText(code)
	s.redeem()
	drain(t)
	if !strings.Contains(s.msg.Text, "不能重复使用") || !s.msg.Visible() {
		t.Fatalf("the second time: %q", s.msg.Text)
	}
}
