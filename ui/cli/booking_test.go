package cli_test

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clocks are the tests' clocks, by test: fixToday sets one, the commands
// of an env made for the test read it (time.Now until set).
var clocks sync.Map // *testing.T → *atomic.Pointer[time.Time]

func clockOf(t *testing.T) *atomic.Pointer[time.Time] {
	c, loaded := clocks.LoadOrStore(t, new(atomic.Pointer[time.Time]))
	if !loaded {
		t.Cleanup(func() { clocks.Delete(t) })
	}
	return c.(*atomic.Pointer[time.Time])
}

// fixToday sets the commands' clock for a test, before or after newEnv.
func fixToday(t *testing.T, at time.Time) { clockOf(t).Store(&at) }

// TestBookingsFromTheCommandLine: a community's space added, booked by a
// resident and an organisation, a clash refused with who holds the time,
// the day listed, a booking cancelled, and the week's usage written.
func TestBookingsFromTheCommandLine(t *testing.T) {
	fixToday(t, time.Date(2026, 12, 1, 12, 0, 0, 0, time.Local))
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	e.vars["SHEQU_NEW_PASSWORD"] = "Booking#2024x"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "desk", "--role", "worker", "--areas", "红旗社区"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Booking#2024x"
	b := func(args ...string) result {
		return e.run(t, append([]string{"booking", args[0], "--db", db, "--user", "desk"}, args[1:]...)...)
	}
	expect(t, b("space-add", "--area", "红旗社区", "--name", "多功能厅", "--capacity", "40", "--opens", "8:30", "--closes", "21:00",
		"--equipment", "投影"), 0, []string{"已添加空间“多功能厅”"}, nil)
	expect(t, b("space-add", "--area", "红旗社区", "--name", "多功能厅", "--capacity", "4", "--opens", "8:30", "--closes", "8:00"), 1, nil,
		[]string{"这里已有名为“多功能厅”的空间", "关闭时间要晚于开放时间 08:30"})
	expect(t, b("spaces"), 0, []string{"多功能厅", "08:30–21:00", "可预约"}, nil)
	expect(t, b("add", "--space", "多功能厅", "--day", "2026-12-02", "--from", "9:00", "--to", "11:30", "--org", "夕阳红舞蹈队",
		"--contact", "李老师", "--phone", "13800001111", "--purpose", "排练", "--people", "20"), 0, []string{"已预约“多功能厅”（预约号 1）"}, nil)
	expect(t, b("add", "--space", "多功能厅", "--day", "2026-12-02", "--from", "11:00", "--to", "12:00", "--org", "书画社",
		"--contact", "王老师", "--phone", "13800002222"), 1, nil, []string{"与已有预约冲突", "11:30", "夕阳红舞蹈队"})
	expect(t, b("add", "--space", "多功能厅", "--day", "2026-12-02", "--from", "11:30", "--to", "12:00", "--org", "书画社",
		"--contact", "王老师", "--phone", "13800002222", "--people", "41"), 1, nil, []string{"最多容纳 40 人"})
	expect(t, b("add", "--space", "多功能厅", "--day", "2026-12-02", "--from", "11:30", "--to", "12:00", "--org", "书画社",
		"--contact", "王老师", "--phone", "13800002222"), 0, []string{"预约号 2"}, nil)
	expect(t, b("add", "--space", "多功能厅", "--day", "2026-12-09", "--from", "19:00", "--to", "20:30", "--org", "广场舞队",
		"--contact", "陈阿姨", "--phone", "13600001111", "--weeks", "3"), 0, []string{"预约号 3"}, nil)
	expect(t, b("list", "--day", "2026-12-23"), 0, []string{"广场舞队（陈阿姨）", "共 1 个预约"}, nil)
	expect(t, b("add", "--space", "会议室", "--day", "2026-12-02", "--from", "9:00", "--to", "10:00"), 1, nil, []string{"没有名为“会议室”的空间"})
	expect(t, b("list", "--day", "2026-12-02"), 0, []string{"夕阳红舞蹈队（李老师）", "138****1111", "2026-12-02 11:30", "共 2 个预约"}, nil)
	expect(t, b("cancel", "--id", "2", "--reason", "下雨"), 0, []string{"已取消预约"}, nil)
	expect(t, b("cancel", "--id", "2"), 1, nil, []string{"已经取消过了"})
	expect(t, b("list", "--day", "2026-12-03", "--week"), 0, []string{"2026-11-30 至 2026-12-06 共 1 个预约"}, nil)
	out := filepath.Join(dir, "使用.xlsx")
	expect(t, b("usage", "--from", "2026-11-30", "--to", "2026-12-06", "--out", out), 0, []string{"多功能厅", "2.5", "87.5", "2.9%"}, nil)
	rows := readRows(t, out, "空间使用")
	found := false
	for _, r := range rows {
		if len(r) > 5 && r[0] == "多功能厅" && r[1] == "1" && r[2] == "1" && r[5] == "2.9%" {
			found = true
		}
	}
	if !found {
		t.Fatalf("usage sheet %q", rows)
	}
	expect(t, b("space-edit", "--space", "多功能厅", "--closed", "true"), 0, []string{"已保存空间“多功能厅”"}, nil)
	expect(t, b("spaces"), 0, []string{"已停用"}, nil)
	expect(t, e.run(t, "booking", "--db", db), 2, nil, []string{"用法："})
}
