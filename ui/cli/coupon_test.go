package cli_test

import (
	"path/filepath"
	"testing"
	"time"
)

// TestCouponsFromTheCommandLine: a merchant and a batch, issued to a grid's
// old, the codes exported, one redeemed once and refused the second time,
// the figures with their workbook.
func TestCouponsFromTheCommandLine(t *testing.T) {
	fixToday(t, time.Date(2026, 12, 1, 12, 0, 0, 0, time.Local))
	e, dir, db := exporterDB(t)
	run := func(args ...string) result {
		return e.run(t, append([]string{"coupon", args[0], "--db", db, "--user", "li"}, args[1:]...)...)
	}
	expect(t, run("merchant-add", "--area", "红旗社区", "--name", "红旗超市", "--category", "超市"), 0, []string{"已添加商户“红旗超市”"}, nil)
	expect(t, run("merchants"), 0, []string{"红旗超市", "超市"}, nil)
	expect(t, run("batch-add", "--merchant", "红旗超市", "--name", "敬老消费券", "--value", "20", "--from", "2026-12-01", "--to", "2026-12-31",
		"--quota", "500"), 0, []string{"批次号 1"}, nil)
	expect(t, run("batch-add", "--merchant", "红旗超市", "--name", "坏券", "--value", "-5", "--from", "2026-12-01", "--to", "2026-11-30",
		"--quota", "x"), 1, nil, []string{"面值“-5”不对", "有效期止要不早于有效期起", "发放总量“x”不对"})
	issued := run("issue", "--batch", "1", "--area", "第1网格", "--age", "60-")
	expect(t, issued, 0, []string{"已发放", "0 人已领满限额"}, nil)
	expect(t, run("issue", "--batch", "1", "--area", "第1网格", "--age", "60-"), 0, []string{"已发放 0 张"}, nil)
	out := filepath.Join(dir, "券码.xlsx")
	expect(t, run("export", "--batch", "1", "--out", out), 0, []string{"已导出"}, nil)
	code := readRows(t, out, "优惠券")[2][4]
	expect(t, run("redeem", "--merchant", "红旗超市", "--code", code), 0, []string{"核销成功：敬老消费券 20 元"}, nil)
	expect(t, run("redeem", "--merchant", "红旗超市", "--code", code), 1, nil, []string{"已于", "核销，不能重复使用"})
	figures := filepath.Join(dir, "统计.xlsx")
	expect(t, run("batches", "--out", figures), 0, []string{"敬老消费券", "20", "合计"}, nil)
	found := false
	for _, r := range readRows(t, figures, "优惠券统计") {
		if len(r) > 10 && r[1] == "敬老消费券" && r[6] == "1" && r[10] == "20" {
			found = true
		}
	}
	if !found {
		t.Fatalf("figures %q", readRows(t, figures, "优惠券统计"))
	}
	expect(t, e.run(t, "coupon", "--db", db), 2, nil, []string{"用法："})
}
