package cli_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestLedgersFromTheCommandLine: a template, an export (masked unless
// revealed with a reason, by an account that may), and the export read
// back by import with --dry-run, --report and --on-duplicate.
func TestLedgersFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)

	tpl := filepath.Join(dir, "tpl.xlsx")
	expect(t, e.run(t, "template", "residents", "--out", tpl), 0, []string{"模板已写入"}, nil)
	expect(t, e.run(t, "template", "--out", tpl), 2, nil, []string{"shequ template 需要一个子命令", "  residents "})

	// the administrator has no export permission; an account given it has
	out := filepath.Join(dir, "out.xlsx")
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "admin", "--out", out), 1, nil, []string{"无权"})
	e.vars["SHEQU_NEW_PASSWORD"] = "Export123!"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "li", "--role", "admin", "--export", "--reveal", "--personal-data"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Export123!"
	r := e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", out)
	if expect(t, r, 0, []string{"已导出 "}, nil); strings.Contains(r.stdout, "已导出 200 人") {
		t.Errorf("the ledger of those living here holds everyone ever registered: %s", r.stdout)
	}
	// former residents only when asked for, each marked with its 状态
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", out, "--status", "all"), 0, []string{"已导出 200 人"}, nil)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := f.GetCellValue("居民台账", "D3")
	f.Close()
	if !maskedID.MatchString(id) {
		t.Fatalf("exported ID number %q is not masked", id)
	}
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", out, "--reveal"), 1, nil, []string{"原因"})
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", out, "--reveal", "--reason", "复核", "--status", "all"), 0, []string{"已导出 200 人"}, nil)

	// read back: everyone is registered already
	report := filepath.Join(dir, "report.xlsx")
	expect(t, e.run(t, "import", "residents", out, "--db", db, "--user", "li", "--dry-run", "--area", "第1网格"), 0,
		[]string{"试导入（未写入）：导入 0 人，新建房屋 0 户，跳过 0 行（错误）", "已登记居民 200 人按设置未更新"}, nil)
	expect(t, e.run(t, "import", "residents", out, "--db", db, "--user", "li", "--on-duplicate", "update", "--area", "第1网格",
		"--report", report), 0, []string{"导入 0 人", "已登记居民 200 人与台账一致"}, nil)
	expect(t, e.run(t, "import", "residents", out, "--db", db, "--user", "li", "--on-duplicate", "maybe"), 1, nil, []string{"--on-duplicate maybe"})
	expect(t, e.run(t, "import", "residents", filepath.Join(dir, "none.xlsx"), "--db", db, "--user", "li", "--area", "第1网格"), 1, nil,
		[]string{"找不到文件"})
	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--action", "export"), 0, []string{`"reason":"复核"`, `"rows":200`}, nil)
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--action", "import"), 0, []string{`"unchanged":200`}, nil)
}

func TestSettingsAndAuditPurgeFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "s.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "settings", "--db", db, "--user", "admin"), 0, []string{"空闲锁定（分钟）: 15", "审计日志保留（月）: 36"}, nil)
	expect(t, e.run(t, "settings", "--db", db, "--user", "admin", "--audit-retention", "3"), 1, nil, []string{"至少保留 6 个月"})
	expect(t, e.run(t, "settings", "--db", db, "--user", "admin", "--idle-minutes", "5", "--audit-retention", "12"), 0,
		[]string{"空闲锁定（分钟）: 5", "审计日志保留（月）: 12"}, nil)
	archive := filepath.Join(t.TempDir(), "a.xlsx")
	expect(t, e.run(t, "audit", "purge", "--db", db, "--user", "admin", "--out", archive), 0, []string{"没有超过 12 个月的记录"}, nil)
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--action", "setting.change"), 0, []string{"audit_retention", "idle"}, nil)
}

func TestAreasFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "a.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "area", "add", "德源街道/红旗社区/第1网格", "--db", db, "--user", "admin"), 0, []string{"新建 3 级"}, nil)
	expect(t, e.run(t, "area", "add", "德源街道/红旗社区/第2网格", "--db", db, "--user", "admin"), 0, []string{"新建 1 级"}, nil)
	expect(t, e.run(t, "area", "add", "--db", db, "--user", "admin"), 2, nil, []string{"shequ area add 街道/社区/网格"})
	// Kept by hand: a grid made by mistake goes, a community moves and is
	// renamed; the tree lists as it now is, in JSON with stable codes.
	expect(t, e.run(t, "area", "add", "德源街道/红旗社区/第9网格", "--db", db, "--user", "admin"), 0, nil, nil)
	expect(t, e.run(t, "area", "delete", "第9网格", "--db", db, "--user", "admin"), 0, []string{"已删除“第9网格”"}, nil)
	expect(t, e.run(t, "area", "add", "红光街道", "--db", db, "--user", "admin"), 0, nil, nil)
	expect(t, e.run(t, "area", "move", "红旗社区", "红光街道", "--db", db, "--user", "admin"), 0, []string{"已移到 红光街道"}, nil)
	expect(t, e.run(t, "area", "rename", "红旗社区", "红旗新村", "--db", db, "--user", "admin"), 0, []string{"已改名为“红旗新村”"}, nil)
	expect(t, e.run(t, "area", "delete", "红光街道", "--db", db, "--user", "admin"), 1, nil, []string{"还在使用，不能删除：下级区域 1"})
	expect(t, e.run(t, "area", "list", "--db", db, "--user", "admin"), 0, []string{"红光街道（街道）\n  红旗新村（社区）\n    第1网格（网格）"}, nil)
	expect(t, e.run(t, "area", "list", "--json", "--db", db, "--user", "admin"), 0,
		[]string{`"level":"grid","name":"第1网格","path":"红光街道/红旗新村/第1网格"`}, nil)
	// a blank database, its grid, and a ledger: the first thing an office does
	ledger := filepath.Join(t.TempDir(), "l.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "住址"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"张三", "11010519491231002X", "东院3栋2单元501"})
	if err := f.SaveAs(ledger); err != nil {
		t.Fatal(err)
	}
	expect(t, e.run(t, "import", "residents", ledger, "--db", db, "--user", "admin", "--area", "第1网格"), 0,
		[]string{"导入 1 人，新建房屋 1 户"}, nil)
}

func TestTagsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "t.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "300"), 0, nil, nil)
	r := e.run(t, "tag", "list", "--db", db, "--user", "admin")
	expect(t, r, 0, []string{"特殊群体", "独居老人"}, nil)
	expect(t, e.run(t, "tag", "add", "--db", db, "--user", "admin", "--tag", "独居老人"), 1, nil, []string{"请指明给谁"})
	expect(t, e.run(t, "tag", "add", "--db", db, "--user", "admin", "--tag", "无此标签", "--search", "王"), 1, nil, []string{"没有名为“无此标签”的标签"})
	r = e.run(t, "tag", "add", "--db", db, "--user", "admin", "--tag", "志愿者", "--search", "3栋2单元501")
	expect(t, r, 0, []string{"已为", "加上标签“志愿者”"}, nil)
	r = e.run(t, "tag", "remove", "--db", db, "--user", "admin", "--tag", "志愿者", "--search", "3栋2单元501")
	expect(t, r, 0, []string{"去掉标签“志愿者”"}, nil)
}

func TestCohortsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "c.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "400"), 0, nil, nil)
	// cohort count is of those living here unless former residents are
	// asked for
	expect(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--status", "all"), 0, []string{"共 400 人"}, nil)
	living := countOf(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin"))
	if n := countOf(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--status", "在住,外出")); n != living || living >= 400 || living < 300 {
		t.Fatalf("cohort count: %d by default, %d 在住 and 外出, of 400", living, n)
	}
	former := countOf(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--status", "迁出", "--status", "死亡"))
	if former != 400-living {
		t.Fatalf("%d 迁出 or 死亡, want %d", former, 400-living)
	}
	r := e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--age", "25-35", "--sex", "女", "--at", "2026-01-01")
	expect(t, r, 0, []string{"共 "}, nil)
	expect(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--age", "35-25"), 1, nil, []string{"年龄请写成"})
	expect(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--kind", "游客"), 1, nil, []string{"无法识别“游客”"})
	expect(t, e.run(t, "tag", "add", "--db", db, "--user", "admin", "--tag", "独居老人", "--search", "1栋1单元101"), 0, nil, nil)
	r = e.run(t, "cohort", "list", "--db", db, "--user", "admin", "--tag", "独居老人", "--json", "--limit", "0")
	tagged := parseJSON(t, r.stdout)
	if len(tagged) == 0 {
		t.Fatalf("nobody with the tag: %s", r.stdout)
	}
	at101 := 0 // the demo tags some of its old people living alone too
	for _, x := range tagged {
		if !maskedID.MatchString(x.IDNumber) {
			t.Fatalf("listed %+v", x)
		}
		if strings.Contains(x.Address, "1栋1单元101") {
			at101++
		}
	}
	if at101 == 0 {
		t.Fatalf("the residents of 1栋1单元101 are not among those tagged: %+v", tagged)
	}
	r = e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--no-tag", "独居老人")
	expect(t, r, 0, []string{fmt.Sprintf("共 %d 人", living-len(tagged))}, nil)
	out := filepath.Join(t.TempDir(), "c.xlsx")
	e.vars["SHEQU_NEW_PASSWORD"] = "Export123!"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "li", "--role", "admin", "--export", "--personal-data"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Export123!"
	expect(t, e.run(t, "cohort", "export", "--db", db, "--user", "li", "--tag", "独居老人", "--out", out), 0,
		[]string{fmt.Sprintf("已导出 %d 人", len(tagged))}, nil)
}

// countOf reads the count a command printed (共 N 人).
func countOf(t *testing.T, r result) int {
	t.Helper()
	m := regexp.MustCompile(`共 (\d+) 人`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("no count: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestCohortSampleFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "s.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "500"), 0, nil, nil)
	a := e.run(t, "cohort", "sample", "--db", db, "--user", "admin", "--age", "60-", "--n", "5", "--seed", "3", "--json")
	b := e.run(t, "cohort", "sample", "--db", db, "--user", "admin", "--age", "60-", "--n", "5", "--seed", "3", "--json")
	if len(parseJSON(t, a.stdout)) != 5 || a.stdout != b.stdout {
		t.Fatalf("samples differ or are not 5:\n%s\n%s", a.stdout, b.stdout)
	}
	expect(t, e.run(t, "cohort", "sample", "--db", db, "--user", "admin", "--age", "60-"), 1, nil, []string{"请填写要抽取的人数"})
}

func TestSavedCohortsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "v.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "300"), 0, nil, nil)
	want := e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--age", "60-", "--sex", "女")
	expect(t, e.run(t, "cohort", "save", "老年女性", "--db", db, "--user", "admin", "--age", "60-", "--sex", "女"), 0, []string{"人群“老年女性”已保存"}, nil)
	expect(t, e.run(t, "cohort", "saved", "--db", db, "--user", "admin"), 0, []string{"老年女性", "60- 岁、女"}, nil)
	got := e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--saved", "老年女性")
	if got.code != 0 || got.stdout != want.stdout {
		t.Fatalf("saved cohort counts %q, the same filters %q", got.stdout, want.stdout)
	}
	expect(t, e.run(t, "cohort", "count", "--db", db, "--user", "admin", "--saved", "无此人群"), 1, nil, []string{"没有名为“无此人群”的人群"})
	expect(t, e.run(t, "cohort", "save", "--db", db, "--user", "admin"), 2, nil, []string{"用法"})
}

func TestCompareCohortsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "k.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "300"), 0, nil, nil)
	expect(t, e.run(t, "cohort", "save", "老人", "--db", db, "--user", "admin", "--age", "60-"), 0, nil, nil)
	r := e.run(t, "cohort", "compare", "--db", db, "--user", "admin", "--kind", "流动", "--with", "老人")
	expect(t, r, 0, []string{"本人群", "老人", "人数", "60 岁及以上"}, nil)
	expect(t, e.run(t, "cohort", "compare", "--db", db, "--user", "admin"), 2, nil, []string{"--with"})
}
