package cli_test

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestVisitorsFromTheCommandLine: visits registered at a gate, listed by
// day, compound and person, noted out, exported masked.
func TestVisitorsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	e.vars["SHEQU_NEW_PASSWORD"] = "Guard123!"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "men", "--role", "grid", "--areas", "第1网格", "--export"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Guard123!"
	add := func(args ...string) result {
		return e.run(t, append([]string{"visitor", "add", "--db", db, "--user", "men", "--compound", "锦绣花园"}, args...)...)
	}
	expect(t, add("--name", "张来访", "--id-number", "330106198503040079", "--house", "1栋1单元101", "--reason", "探亲", "--at", "2026-11-28 09:15"), 0,
		[]string{"已登记到访（登记号 1）"}, nil)
	expect(t, add("--name", "李快递", "--reason", "送货", "--at", "2026-11-28 10:00"), 0, []string{"登记号 2"}, nil)
	expect(t, add("--name", "王某", "--house", "99栋1单元101"), 1, nil, []string{"锦绣花园没有房屋“99栋1单元101”"})
	expect(t, add("--name", "王某", "--id-number", "330106198503040072"), 1, nil, []string{"校验码不对"})
	expect(t, e.run(t, "visitor", "list", "--db", db, "--user", "men", "--from", "2026-11-28", "--to", "2026-11-28"), 0,
		[]string{"张来访", "3301**********0079", "1栋1单元101", "李快递", "共 2 条"}, nil)
	expect(t, e.run(t, "visitor", "list", "--db", db, "--user", "men", "--person", "330106198503040079"), 0, []string{"共 1 条"}, nil)
	expect(t, e.run(t, "visitor", "out", "--db", db, "--user", "men", "--id", "1", "--at", "2026-11-28 11:00"), 0, []string{"已登记离开"}, nil)
	expect(t, e.run(t, "visitor", "out", "--db", db, "--user", "men", "--id", "1"), 1, nil, []string{"已登记离开"})
	expect(t, e.run(t, "visitor", "list", "--db", db, "--user", "men", "--inside"), 0, []string{"李快递", "共 1 条"}, nil)
	out := filepath.Join(dir, "到访.xlsx")
	expect(t, e.run(t, "visitor", "export", "--db", db, "--user", "men", "--out", out), 0, []string{"已导出 2 条到访记录"}, nil)
	rows := readRows(t, out, "到访登记")
	if last := rows[len(rows)-1]; last[3] != "张来访" || last[4] != "3301**********0079" || last[2] != "2026-11-28 11:00" {
		t.Fatalf("exported %q", last)
	}
	expect(t, e.run(t, "visitor", "--db", db), 2, nil, []string{"用法："})
}

// TestVisitorImportFromTheCommandLine: a gate's log read in (nothing from
// a file with a wrong row, whose row and field are said), tried first,
// not imported twice, and another office's export read into its own
// database.
func TestVisitorImportFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	e.vars["SHEQU_NEW_PASSWORD"] = "Guard123!"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "men", "--role", "grid", "--areas", "第1网格",
		"--export", "--reveal"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Guard123!"
	log := func(name string, rows ...[]any) string {
		path := filepath.Join(dir, name)
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range append([][]any{{"来访时间", "离开时间", "来访人", "身份证号", "手机号", "小区名称", "被访房屋", "来访事由"}}, rows...) {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("Sheet1", cell, &r)
		}
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := [][]any{
		{"2026/11/28 9:15", "11:00", "张来访", "330106198503040079", "13800138000", "锦绣花园", "1栋1单元101", "探亲"},
		{"2026-11-28 10:00", "", "李快递", "", "", "锦绣花园", "", "送货"},
		{"2026-11-28 10:30", "", "王维修", "", "", "锦绣花园", "1-1-101", "维修"},
	}
	bad := log("错.xlsx", good[0], []any{"2026-11-28 10:00", "", "王某", "330106198503040072", "", "锦绣花园", "", ""})
	imp := func(db string, args ...string) result {
		return e.run(t, append([]string{"visitor", "import", "--db", db, "--user", "men"}, args...)...)
	}
	expect(t, imp(db, bad), 1, nil, []string{"工作表“Sheet1”第 3 行 · 公民身份号码：校验码不对", "登记表有 1 处错误，未导入任何记录"})
	path := log("门岗.xlsx", good...)
	expect(t, imp(db, path, "--dry-run"), 0, []string{"试导入（未写入）：登记表 3 行，可导入 3 条到访"}, nil)
	expect(t, e.run(t, "visitor", "list", "--db", db, "--user", "men"), 0, []string{"共 0 条"}, nil)
	expect(t, imp(db, path), 0, []string{"登记表 3 行：导入 3 条到访\n"}, nil)
	expect(t, e.run(t, "visitor", "list", "--db", db, "--user", "men", "--inside"), 0, []string{"李快递", "王维修", "共 2 条"}, nil)
	expect(t, imp(db, path), 0, []string{"导入 0 条到访；已登记过的 3 条、表内重复的 0 条不重复导入"}, nil)
	expect(t, imp(db, path, "--sheet", "二月"), 1, nil, []string{"没有可导入的工作表“二月”"})

	// Another office's export, revealed, read into a database of its own.
	out := filepath.Join(dir, "导出.xlsx")
	expect(t, e.run(t, "visitor", "export", "--db", db, "--user", "men", "--out", out, "--reveal", "--why", "换电脑"), 0,
		[]string{"已导出 3 条"}, nil)
	db2 := filepath.Join(dir, "h.db")
	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "init", "--db", db2, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db2, "--user", "admin", "--residents", "200"), 0, nil, nil)
	expect(t, e.run(t, "account", "add", "--db", db2, "--user", "admin", "--name", "men", "--role", "grid", "--areas", "第1网格"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Guard123!"
	expect(t, imp(db2, out), 0, []string{"导入 3 条到访"}, nil)
	expect(t, e.run(t, "visitor", "list", "--db", db2, "--user", "men"), 0,
		[]string{"2026-11-28 09:15", "2026-11-28 11:00", "张来访", "1栋1单元101", "共 3 条"}, nil)
}
