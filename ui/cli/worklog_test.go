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

// TestWorkLogsCorrectedAndWithdrawnFromTheCommandLine: worklog edit keeps
// what was not given and the history the old content; withdraw wants a
// reason, keeps the entry marked in list and history and out of the
// ledger; a grid worker may not withdraw the administrator's entry.
func TestWorkLogsCorrectedAndWithdrawnFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "w.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "50"), 0, nil, nil)
	base := []string{"--db", db, "--user", "admin"}
	run := func(args ...string) result { return e.run(t, append(args, base...)...) }
	expect(t, run("worklog", "add", "--kind", "巡查", "--content", "巡查小区", "--area", "第1网格"), 0, []string{"1"}, nil)
	expect(t, run("worklog", "add", "--kind", "巡查", "--content", "重复的一条", "--area", "第1网格"), 0, []string{"2"}, nil)
	expect(t, run("worklog", "edit", "--content", "x"), 2, nil, []string{"--id"}) // a usage error
	expect(t, run("worklog", "edit", "--id", "1", "--content", "巡查小区消防通道", "--reason", "补充"), 0, []string{"已更正"}, nil)
	expect(t, run("worklog", "withdraw", "--id", "2"), 1, nil, []string{"撤回原因"})
	expect(t, run("worklog", "withdraw", "--id", "2", "--reason", "重复记录"), 0, []string{"已撤回"}, nil)
	expect(t, run("worklog", "edit", "--id", "2", "--content", "再改"), 1, nil, []string{"已撤回"})
	r := run("worklog", "history", "--id", "1", "--json")
	var one struct {
		Kind    string `json:"kind"`
		Content string `json:"content"`
		Edited  int    `json:"edited"`
		History []struct {
			Action, Content, Reason string
		} `json:"history"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.Kind != "patrol" || one.Content != "巡查小区消防通道" || one.Edited != 1 ||
		len(one.History) != 1 || one.History[0].Content != "巡查小区" || one.History[0].Reason != "补充" {
		t.Fatalf("history %s (%v)", r.stdout, err)
	}
	expect(t, run("worklog", "list"), 0, []string{"已撤回（admin", "已更正 1 次"}, nil)
	r = run("worklog", "list", "--json")
	var logs []struct {
		ID             int64  `json:"id"`
		Withdrawn      string `json:"withdrawn"`
		WithdrawReason string `json:"withdraw_reason"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &logs); err != nil || len(logs) != 2 || logs[1].ID != 2 || logs[1].Withdrawn == "" ||
		logs[1].WithdrawReason != "重复记录" || logs[0].Withdrawn != "" {
		t.Fatalf("listed %s (%v)", r.stdout, err)
	}
	e.vars["SHEQU_NEW_PASSWORD"] = "Grid1234!"
	expect(t, run("account", "add", "--name", "wang", "--role", "grid", "--areas", "第1网格", "--export"), 0, nil, nil)
	e.vars["SHEQU_PASSWORD"] = "Grid1234!"
	expect(t, e.run(t, "worklog", "withdraw", "--db", db, "--user", "wang", "--id", "1", "--reason", "不对"), 1, nil, []string{"无权"})
	out := filepath.Join(dir, "日志.xlsx")
	expect(t, e.run(t, "worklog", "export", "--db", db, "--user", "wang", "--out", out), 0, []string{"1"}, nil)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("工作日志")
	f.Close()
	if len(rows) != 2 || rows[1][6] != "巡查小区消防通道" {
		t.Fatalf("the ledger %q", rows)
	}
}
