package cli_test

import (
	"path/filepath"
	"testing"
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
	expect(t, e.run(t, "visitor", "--db", db), 1, nil, []string{"用法："})
}
