package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/store"
)

func TestWorkLogsFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	base := []string{"--db", db, "--user", "admin"}
	run := func(args ...string) result { return e.run(t, append(args, base...)...) }
	// a resident's ID number, read from the file as an office knows it from the visited household
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Resident(context.Background(), 1)
	st.Close()
	if err != nil || res.IDNumber == "" {
		t.Fatal(res, err)
	}
	expect(t, run("worklog", "add", "--kind", "入户走访", "--content", "走访", "--resident-id-number", res.IDNumber, "--phone", "13700002222",
		"--status", "外出"), 0, []string{"1"}, nil)
	r := run("residents", "--search", res.IDNumber, "--json")
	if !strings.Contains(r.stdout, "137****2222") || !strings.Contains(r.stdout, `"status":"away"`) {
		t.Fatalf("not corrected: %s", r.stdout)
	}
	expect(t, run("worklog", "add", "--kind", "巡查", "--content", "巡查小区消防通道，已清理堆放物", "--area", "第1网格"), 0, []string{"2"}, nil)
	expect(t, run("worklog", "add", "--kind", "喝茶", "--content", "x"), 1, nil, []string{"喝茶"})
	expect(t, run("worklog", "add", "--kind", "巡查", "--content", "x"), 1, nil, []string{"属于哪个网格"})
	expect(t, run("worklog", "add", "--kind", "巡查", "--content", "x", "--day", "2099-01-01", "--area", "第1网格"), 1, nil, []string{"不能晚于今天"})
	r = run("worklog", "list", "--json")
	var logs []struct {
		Kind    string `json:"kind"`
		Content string `json:"content"`
		Worker  string `json:"worker"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &logs); err != nil || len(logs) != 2 || logs[1].Kind != "patrol" || logs[1].Worker != "admin" ||
		!strings.Contains(logs[0].Content, "现场更正："+res.Name+"(联系电话、状态)") {
		t.Fatalf("listed %s (%v)", r.stdout, err)
	}
	out := filepath.Join(dir, "日志.xlsx")
	expect(t, run("worklog", "export", "--out", out), 1, nil, []string{"无权"}) // the export needs its permission
	e.vars["SHEQU_NEW_PASSWORD"] = "Export123!"
	expect(t, run("account", "add", "--name", "zhao", "--role", "worker", "--areas", "第1网格", "--export"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Export123!"
	expect(t, e.run(t, "worklog", "export", "--db", db, "--user", "zhao", "--out", out), 0, []string{"2"}, nil)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("工作日志")
	f.Close()
	if len(rows) != 3 || rows[2][3] != "巡查" || !strings.Contains(rows[2][6], "消防通道") || rows[1][4] != res.Name {
		t.Fatalf("the ledger %q", rows)
	}
}
