package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app/idnumber"
)

// TestMatchFromTheCommandLine: a list made from the registry's own export,
// one name changed, one stranger and one mistyped number added, matched
// with a cohort (the grid) for who the list leaves out.
func TestMatchFromTheCommandLine(t *testing.T) {
	e, dir, db := exporterDB(t)
	ledger := filepath.Join(dir, "ledger.xlsx")
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", ledger, "--reveal", "--reason", "比对"), 0, nil, nil)
	rows := readRows(t, ledger, "居民台账")

	list := filepath.Join(dir, "疫苗名单.xlsx")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"接种人姓名", "证件号码", "接种时间"})
	n := 2
	var first string
	for _, r := range rows[2:] { // the export's title, header, then residents: 30 with ID numbers
		if r[3] == "" {
			continue
		}
		if n == 32 {
			break
		}
		name := r[1]
		if n == 3 {
			first = r[3]
		}
		if n == 2 {
			name = "改名了"
		}
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &[]any{name, r[3], "2021-06-01"})
		n++
	}
	stranger := idnumber.Synthesize("110105", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), 2, idnumber.Female)
	wrong := stranger[:17] + map[bool]string{true: "1", false: "2"}[stranger[17] == '2']
	x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &[]any{"外来人", stranger, "2021-06-02"})
	x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n+1), &[]any{"写错了", wrong, "2021-06-02"})
	if err := x.SaveAs(list); err != nil {
		t.Fatal(err)
	}
	x.Close()

	out := filepath.Join(dir, "结果.xlsx")
	expect(t, e.run(t, "match", list, "--db", db, "--user", "li", "--out", out, "--area", "第1网格", "--status", "在住,外出,迁出,死亡"), 0,
		[]string{"名单共 32 行，其中 1 行有问题", "已匹配\t29", "身份证号匹配、姓名不一致\t1", "名单有、库中无\t1", "人群中不在名单上\t170", "比对结果已保存"},
		[]string{"第 33 行", "校验码不对"})
	got := readRows(t, out, "已匹配")
	if len(got) != 30 || got[1][4] == first || got[1][4] == "" {
		t.Fatalf("已匹配: %d rows, first %q (ID numbers must be masked)", len(got), got[1])
	}
	if sheets := sheetList(t, out); !slices.Contains(sheets, "人群中未在名单") {
		t.Fatalf("sheets %v", sheets)
	}
	// without a cohort there is no such group; without a list, the usage
	expect(t, e.run(t, "match", list, "--db", db, "--user", "li"), 0, []string{"已匹配\t29"}, nil)
	if r := e.run(t, "match", list, "--db", db, "--user", "li"); strings.Contains(r.stdout, "人群中不在名单上") {
		t.Fatal("a group for a cohort not given")
	}
	expect(t, e.run(t, "match", "--db", db, "--user", "li"), 2, nil, []string{"用法：shequ match"})
	expect(t, e.run(t, "match", list, "--db", db, "--user", "li", "--out", list), 1, nil, []string{"是本次操作正在读取的文件", "另选一个文件名"})
	expect(t, e.run(t, "match", list, "--db", db, "--user", "li", "--out", filepath.Join(dir, "没有", "r.xlsx")), 1, nil, []string{"不存在：请选择已有的文件夹"})
	if _, err := os.Stat(list); err != nil {
		t.Fatalf("the list is gone: %v", err)
	}
	e.vars["SHEQU_PASSWORD"] = password
	expect(t, e.run(t, "audit", "list", "--db", db, "--user", "admin", "--action", "match"), 0, []string{`"same":29`, `"renamed":1`}, nil)
}

func readRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func sheetList(t *testing.T, path string) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.GetSheetList()
}

// exporterDB is a demo of 200 residents in a fresh folder, signed in (in
// e) as "li", an administrator who sees residents and may export and reveal.
func exporterDB(t *testing.T) (e *env, dir, db string) {
	t.Helper()
	e, dir = newEnv(t), t.TempDir()
	db = filepath.Join(dir, "s.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	e.vars["SHEQU_NEW_PASSWORD"] = "Export123!"
	expect(t, e.run(t, "account", "add", "--db", db, "--user", "admin", "--name", "li", "--role", "admin", "--export", "--reveal", "--personal-data"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Export123!"
	return e, dir, db
}
