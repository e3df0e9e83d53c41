package cli_test

import (
	"path/filepath"
	"testing"
	"time"
)

// TestActivitiesFromTheCommandLine: an activity in a space for a saved
// cohort, invitations, sign-ups past the places onto the waiting list, a
// place handed on, check-in on the day, the summary and the export.
func TestActivitiesFromTheCommandLine(t *testing.T) {
	fixToday(t, time.Date(2026, 12, 1, 12, 0, 0, 0, time.Local))
	e, dir, db := exporterDB(t)
	run := func(args ...string) result {
		return e.run(t, append([]string{args[0], args[1], "--db", db, "--user", "li"}, args[2:]...)...)
	}
	expect(t, run("cohort", "save", "老年人", "--age", "60-"), 0, nil, nil)
	old := filepath.Join(dir, "old.xlsx")
	expect(t, run("cohort", "export", "--age", "60-", "--out", old, "--reveal", "--reason", "活动报名"), 0, nil, nil)
	var ids []string
	for _, r := range readRows(t, old, "居民台账")[2:] {
		if len(r) > 3 && r[3] != "" {
			ids = append(ids, r[3])
		}
	}
	if len(ids) < 4 {
		t.Fatalf("%d of the old with ID numbers", len(ids))
	}
	expect(t, run("booking", "space-add", "--area", "红旗社区", "--name", "活动室", "--capacity", "30", "--opens", "8:00", "--closes", "18:00"), 0, nil, nil)
	expect(t, run("activity", "add", "--area", "红旗社区", "--name", "包饺子", "--day", "2026-12-03", "--from", "9:00", "--to", "11:00",
		"--space", "活动室", "--capacity", "2", "--cohort", "老年人"), 0, []string{"已添加活动“包饺子”（活动号 1）"}, nil)
	expect(t, run("booking", "list", "--day", "2026-12-03"), 0, []string{"包饺子（li）", "共 1 个预约"}, nil)
	expect(t, run("activity", "add", "--area", "红旗社区", "--name", "讲座", "--day", "2026-12-03", "--from", "10:00", "--to", "12:00",
		"--space", "活动室", "--capacity", "40"), 1, nil, []string{"最多容纳 30 人"})
	expect(t, run("activity", "add", "--area", "红旗社区", "--name", "讲座", "--day", "2026-12-03", "--from", "10:00", "--to", "12:00",
		"--space", "活动室", "--capacity", "20"), 1, nil, []string{"与已有预约冲突", "包饺子"})
	expect(t, run("activity", "invite", "--id", "1"), 0, []string{"已邀请"}, nil)
	signup := func(i int, want string) {
		t.Helper()
		expect(t, run("activity", "signup", "--id", "1", "--id-number", ids[i]), 0, []string{want}, nil)
	}
	signup(0, "报名成功")
	signup(1, "报名成功")
	signup(2, "已进入候补名单")
	signup(3, "已进入候补名单")
	expect(t, run("activity", "signup", "--id", "1", "--id-number", ids[0]), 1, nil, []string{"已经报名了"})
	expect(t, run("activity", "drop", "--id", "1", "--id-number", ids[1]), 0, []string{"已取消报名", "空出的名额已给候补的"}, nil)
	expect(t, run("activity", "checkin", "--id", "1", "--id-number", ids[0]), 1, nil, []string{"只能在当天签到"})
	fixToday(t, time.Date(2026, 12, 3, 9, 5, 0, 0, time.Local))
	expect(t, run("activity", "checkin", "--id", "1", "--id-number", ids[0]), 0, []string{"签到成功"}, nil)
	expect(t, run("activity", "checkin", "--id", "1", "--id-number", ids[3]), 1, nil, []string{"还在候补名单上"})
	expect(t, run("activity", "show", "--id", "1"), 0, []string{"名额 2，报名 2，候补 1", "签到 1（到场率 50.0%）", "已报名", "候补"}, nil)
	expect(t, run("activity", "list", "--from", "2026-12-01"), 0, []string{"包饺子", "老年人", "1 个活动，报名 2 人次，签到 1 人次，到场率 50.0%"}, nil)
	out := filepath.Join(dir, "名单.xlsx")
	expect(t, run("activity", "export", "--id", "1", "--out", out), 0, []string{"已导出"}, nil)
	rows := readRows(t, out, "活动名单")
	if len(rows) < 4 || rows[2][4] != "已报名" || rows[2][2] == ids[0] || rows[2][6] == "" || rows[4][4] != "候补" {
		t.Fatalf("exported %q", rows[:min(5, len(rows))])
	}
	expect(t, run("activity", "cancel", "--id", "1"), 0, []string{"活动已取消"}, nil)
	expect(t, run("activity", "list", "--from", "2026-12-01"), 0, []string{"包饺子（已取消）"}, nil)
	expect(t, run("booking", "list", "--day", "2026-12-03"), 0, []string{"共 0 个预约"}, nil)
	expect(t, e.run(t, "activity", "--db", db), 2, nil, []string{"用法："})
}
