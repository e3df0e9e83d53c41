package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestAppealsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "a.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "300"), 0, nil, nil)
	base := []string{"--db", db, "--user", "admin"}
	run := func(args ...string) result { return e.run(t, append(args, base...)...) }

	r := run("appeal", "add", "--channel", "来电", "--category", "环境卫生", "--content", "楼道堆放杂物", "--reporter", "张先生",
		"--phone", "13800138000", "--urgency", "紧急")
	expect(t, r, 0, []string{"1"}, nil)
	r = run("appeal", "add", "--channel", "来访", "--category", "物业服务", "--content", "小区路灯不亮", "--reporter", "李", "--compound", "锦绣花园")
	expect(t, r, 0, []string{"2"}, nil)
	expect(t, run("appeal", "show", "--id", "2"), 0, []string{"锦绣花园"}, nil)
	expect(t, run("appeal", "advance", "--id", "2", "--to", "已受理"), 0, nil, nil)
	expect(t, run("appeal", "advance", "--id", "2", "--to", "已答复", "--reply", "已报修", "--method", "电话"), 0, nil, nil)
	expect(t, run("appeal", "advance", "--id", "2", "--to", "已办结", "--satisfaction", "满意"), 0, nil, nil)
	expect(t, run("appeal", "add", "--channel", "传真", "--category", "环境卫生", "--content", "x", "--reporter", "李"), 1, nil, []string{"传真"})
	expect(t, run("appeal", "add", "--channel", "来电", "--category", "天气", "--content", "x", "--reporter", "李"), 1, nil, []string{"没有名为“天气”的诉求类别"})

	// an illegal step: exit 1 and why
	expect(t, run("appeal", "advance", "--id", "1", "--to", "已办结"), 1, nil, []string{"现为“待受理”", "可以：受理"})
	expect(t, run("appeal", "advance", "--id", "1", "--to", "已受理"), 0, []string{"已受理"}, nil)
	expect(t, run("appeal", "assign", "--id", "1", "--to", "nobody"), 1, nil, []string{"nobody"})
	expect(t, run("appeal", "extend", "--id", "1", "--days", "2"), 1, nil, []string{"原因"})
	expect(t, run("appeal", "extend", "--id", "1", "--days", "2", "--comment", "等物业"), 0, nil, nil)
	expect(t, run("appeal", "advance", "--id", "1", "--to", "已答复", "--reply", "已清理"), 1, nil, []string{"答复方式"})
	expect(t, run("appeal", "advance", "--id", "1", "--to", "已答复", "--reply", "已清理", "--method", "上门"), 0, nil, nil)
	expect(t, run("appeal", "advance", "--id", "1", "--to", "已办结", "--satisfaction", "基本满意"), 0, []string{"已办结"}, nil)
	r = run("appeal", "show", "--id", "1", "--json")
	var shown struct {
		Status   string `json:"status"`
		Phone    string `json:"phone"`
		Timeline []struct {
			Action  string `json:"action"`
			Comment string `json:"comment"`
		} `json:"timeline"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil {
		t.Fatal(err, r.stdout)
	}
	if shown.Status != "closed" || shown.Phone != "138****8000" || len(shown.Timeline) != 5 || shown.Timeline[2].Comment != "+2 等物业" {
		t.Fatalf("shown %+v", shown)
	}

	// a third appeal stays open: two of three answered and closed
	expect(t, run("appeal", "add", "--channel", "12345工单", "--category", "物业服务", "--content", "电梯坏了", "--reporter", "王",
		"--external", "GD001"), 0, []string{"3"}, nil)
	expect(t, run("appeal", "add", "--channel", "12345工单", "--category", "物业服务", "--content", "电梯坏了", "--reporter", "王",
		"--external", "GD001"), 1, nil, []string{"GD001 已经登记过"})
	r = run("appeal", "stats", "--json")
	var stats struct {
		All struct {
			Received   int     `json:"received"`
			AnswerRate float64 `json:"answer_rate"`
			CloseRate  float64 `json:"close_rate"`
			Satisfied  float64 `json:"satisfaction_rate"`
		} `json:"all"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &stats); err != nil {
		t.Fatal(err, r.stdout)
	}
	if stats.All.Received != 3 || stats.All.AnswerRate != 66.7 || stats.All.CloseRate != 66.7 || stats.All.Satisfied != 100 {
		t.Errorf("stats %+v", stats.All)
	}
	expect(t, run("appeal", "stats"), 0, []string{"答复率", "66.7%"}, nil)
	expect(t, run("appeal", "list", "--todo"), 0, []string{"电梯坏了"}, nil)
	if r := run("appeal", "list", "--status", "已办结"); strings.Contains(r.stdout, "电梯") || !strings.Contains(r.stdout, "楼道") {
		t.Errorf("closed ones: %s", r.stdout)
	}
	expect(t, run("appeal", "holiday", "--from", "2026-10-01", "--to-date", "2026-10-07"), 0, []string{"7 天"}, nil)
	// the office's own marks over the official ones, and the official make-up days
	expect(t, run("appeal", "holiday", "list", "--year", "2026"), 0, []string{"2026-10-01 — 2026-10-07  本单位设定  休息",
		"2026-10-10  国庆节  上班（调休）", "2026-02-15 — 2026-02-23  春节  休息"}, nil)
	expect(t, run("appeal", "categories"), 0, []string{"环境卫生", "1 / 3 / 7"}, nil)
}

func TestA12345ExportFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "100"), 0, nil, nil)
	path := filepath.Join(dir, "工单.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{{"工单编号", "受理时间", "工单内容", "工单分类", "联系人", "联系电话"},
		{"A1", "2026-11-20 10:00", "井盖缺失", "城市管理", "赵", "13800138000"},
		{"A2", "2026-11-21 11:00", "楼道灯坏", "物业服务", "钱", "13900139000"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	base := []string{"--db", db, "--user", "admin", "--area", "第1网格"}
	expect(t, e.run(t, append([]string{"appeal", "import", path, "--dry-run"}, base...)...), 0, []string{"可导入12345工单 2 件"}, nil)
	expect(t, e.run(t, append([]string{"appeal", "import", path}, base...)...), 0, []string{"导入12345工单 2 件", "其中 2 件的地址没有找到房屋"}, nil)
	expect(t, e.run(t, append([]string{"appeal", "import", path}, base...)...), 0, []string{"导入12345工单 0 件，已导入过 2 件"}, nil)
	expect(t, e.run(t, "appeal", "list", "--db", db, "--user", "admin", "--channel", "12345工单"), 0, []string{"井盖缺失", "楼道灯坏"}, nil)
}
