package cli_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestVaccinesFromTheCommandLine: the health department's list imported
// (a dry run first), a dose typed, progress by grid and age, the residents
// still to call, an appointment.
func TestVaccinesFromTheCommandLine(t *testing.T) {
	e, dir, db := exporterDB(t)
	ledger := filepath.Join(dir, "ledger.xlsx")
	expect(t, e.run(t, "export", "residents", "--db", db, "--user", "li", "--out", ledger, "--reveal", "--reason", "接种"), 0, nil, nil)
	var ids []string
	for _, r := range readRows(t, ledger, "居民台账")[2:] {
		if r[3] != "" {
			ids = append(ids, r[3])
		}
	}
	list := filepath.Join(dir, "接种.xlsx")
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"身份证号", "剂次", "接种日期"})
	for i, id := range ids[:20] {
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &[]any{id, "第1剂", yesterday}) // after everyone's birth
	}
	if err := x.SaveAs(list); err != nil {
		t.Fatal(err)
	}
	x.Close()
	expect(t, e.run(t, "vaccine", "import", list, "--db", db, "--user", "li"), 1, nil, []string{"没有疫苗名称列"})
	expect(t, e.run(t, "vaccine", "import", list, "--db", db, "--user", "li", "--vaccine", "新冠疫苗", "--dry-run"), 0,
		[]string{"试导入（未写入）：名单 20 行，其中 20 行找到居民"}, nil)
	expect(t, e.run(t, "vaccine", "import", list, "--db", db, "--user", "li", "--vaccine", "新冠疫苗"), 0,
		[]string{"新记录 20 剂，已有 0 剂"}, nil)
	expect(t, e.run(t, "vaccine", "add", "--db", db, "--user", "li", "--id-number", ids[0], "--vaccine", "新冠疫苗", "--dose", "2", "--day", "2021-07-01"), 0,
		[]string{"已记录接种"}, nil)
	expect(t, e.run(t, "vaccine", "add", "--db", db, "--user", "li", "--id-number", ids[0], "--vaccine", "新冠疫苗", "--dose", "第2剂"), 1,
		nil, []string{"新冠疫苗 第 2 剂已经记录过了"})
	all := []string{"--status", "在住,外出,迁出,死亡"} // progress counts those living here unless told
	expect(t, e.run(t, append([]string{"vaccine", "progress", "--db", db, "--user", "li", "--vaccine", "新冠疫苗"}, all...)...), 0,
		[]string{"网格", "接种率", "第1网格", "合计", "200", "20", "10.0%"}, nil)
	if r := e.run(t, "vaccine", "progress", "--db", db, "--user", "li", "--vaccine", "新冠疫苗"); r.code != 0 || strings.Contains(r.stdout, "200") {
		t.Errorf("progress counts those who moved away:\n%s%s", r.stdout, r.stderr)
	}
	expect(t, e.run(t, append([]string{"vaccine", "progress", "--db", db, "--user", "li", "--vaccine", "新冠疫苗", "--doses", "2", "--by", "age"}, all...)...), 0,
		[]string{"年龄段", "合计", "0.5%"}, nil)
	expect(t, e.run(t, "vaccine", "progress", "--db", db, "--user", "li", "--vaccine", "新冠疫苗", "--by", "street"), 2, nil, []string{"--by street"})
	expect(t, e.run(t, append([]string{"vaccine", "todo", "--db", db, "--user", "li", "--vaccine", "新冠疫苗"}, all...)...), 0,
		[]string{"尚未接种 新冠疫苗 第 1 剂的居民：180 人"}, nil)
	out := filepath.Join(dir, "待接种.xlsx")
	expect(t, e.run(t, append([]string{"vaccine", "todo", "--db", db, "--user", "li", "--vaccine", "新冠疫苗", "--out", out}, all...)...), 0,
		[]string{"已导出 180 人"}, nil)
	expect(t, e.run(t, "vaccine", "book", "--db", db, "--user", "li", "--id-number", ids[30], "--vaccine", "新冠疫苗", "--dose", "1", "--day", "2099-01-02"), 0,
		[]string{"已预约"}, nil)
	expect(t, e.run(t, "vaccine", "appointments", "--db", db, "--user", "li"), 0, []string{"2099-01-02", "新冠疫苗", "已预约"}, nil)
	expect(t, e.run(t, "vaccine", "--db", db), 2, nil, []string{"用法："})
}
