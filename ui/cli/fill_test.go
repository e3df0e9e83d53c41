package cli_test

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFillFromTheCommandLine: a form with a merged two-row header filled
// for the women of a grid; the column the registry cannot fill is named.
func TestFillFromTheCommandLine(t *testing.T) {
	e, dir, db := exporterDB(t)

	form := filepath.Join(dir, "妇联统计表.xlsx")
	x := excelize.NewFile()
	for cell, v := range map[string]string{"A1": "妇女信息统计表", "A2": "编号", "B2": "人员信息", "B3": "名字", "C3": "公民身份证号码",
		"D3": "出生年月", "E2": "家庭住址", "F2": "是否党员"} {
		x.SetCellValue("Sheet1", cell, v)
	}
	for _, m := range [][2]string{{"A1", "F1"}, {"A2", "A3"}, {"B2", "D2"}, {"E2", "E3"}, {"F2", "F3"}} {
		x.MergeCell("Sheet1", m[0], m[1])
	}
	if err := x.SaveAs(form); err != nil {
		t.Fatal(err)
	}
	x.Close()

	out := filepath.Join(dir, "填好.xlsx")
	r := e.run(t, "fill", form, "--db", db, "--user", "li", "--out", out, "--sex", "女", "--area", "第1网格")
	expect(t, r, 0, []string{"已填写", "以下列没有对应的居民信息，留空：是否党员"}, nil)
	rows := readRows(t, out, "Sheet1")
	if len(rows) < 10 || rows[3][0] != "1" || rows[3][1] == "" || rows[3][4] == "" {
		t.Fatalf("filled rows: %d, first %q", len(rows), rows[min(3, len(rows)-1)])
	}
	if id := rows[3][2]; len(id) != 18 || id[4] != '*' {
		t.Fatalf("ID number %q not masked", id)
	}
	expect(t, e.run(t, "fill", form, "--db", db, "--user", "li", "--out", out, "--reveal"), 1, nil, []string{"原因"})
	expect(t, e.run(t, "fill", form, "--db", db, "--user", "li", "--out", out, "--reveal", "--reason", "妇联统计", "--sex", "女"), 0, []string{"已填写"}, nil)
	if id := readRows(t, out, "Sheet1")[3][2]; len(id) != 18 || id[4] == '*' {
		t.Fatalf("ID number %q masked though revealed", id)
	}
	expect(t, e.run(t, "fill", form, "--db", db, "--user", "li"), 2, nil, []string{"用法：shequ fill"})
	expect(t, e.run(t, "fill", form, "--db", db, "--user", "li", "--out", form), 1, nil, []string{"是本次操作正在读取的文件", "另选一个文件名"})
}
