package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"shequ/ui/cli"
	"shequ/ui/i18n"
)

var (
	helpCommand = regexp.MustCompile(`(?m)^  shequ ([a-z-]+) `)
	helpVerb    = regexp.MustCompile(`(?m)^  ([a-z][a-z-]*) +\S`)
	helpFlag    = regexp.MustCompile(`(?m)^  (?:-[a-z], )?--([a-z-]+)`)
)

// commandTree is every command and verb as the help lists them: "appeal
// add" …, and each one's flags as its own --help lists them.
func commandTree(t *testing.T, e *env) map[string][]string {
	t.Helper()
	tree := map[string][]string{}
	for _, m := range helpCommand.FindAllStringSubmatch(e.run(t, "help").stdout, -1) {
		r := e.run(t, m[1], "--help")
		if r.code != 0 || r.stderr != "" {
			t.Errorf("shequ %s --help: exit %d, stderr %q", m[1], r.code, r.stderr)
		}
		_, list, isGroup := strings.Cut(r.stdout, "子命令：\n")
		if !isGroup {
			tree[m[1]] = flagsOf(r.stdout)
			continue
		}
		for _, v := range helpVerb.FindAllStringSubmatch(list, -1) {
			tree[m[1]+" "+v[1]] = nil
		}
	}
	return tree
}

func flagsOf(help string) []string {
	var fs []string
	for _, m := range helpFlag.FindAllStringSubmatch(help, -1) {
		fs = append(fs, m[1])
	}
	return fs
}

// Every command and verb answers --help (and -h) on stdout with exit 0,
// naming itself and listing its own flags as --flag, and takes none of a
// sibling verb's flags: a flag of another verb is a usage error, exit 2.
func TestEveryCommandAnswersHelpWithItsOwnFlags(t *testing.T) {
	e := newEnv(t)
	tree := commandTree(t, e)
	if len(tree) < 80 {
		t.Fatalf("the help lists %d commands and verbs", len(tree))
	}
	for name := range tree {
		for _, h := range []string{"--help", "-h"} {
			r := e.run(t, append(strings.Fields(name), h)...)
			if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "shequ "+name+" — ") {
				t.Errorf("shequ %s %s: exit %d, stderr %q, stdout %q", name, h, r.code, r.stderr, r.stdout)
			}
			if strings.Contains(r.stdout, "\n  -db") || !strings.Contains(r.stdout, "  -h, --help") {
				t.Errorf("shequ %s %s does not show its flags as --flag:\n%s", name, h, r.stdout)
			}
			tree[name] = flagsOf(r.stdout)
		}
	}
	if f := tree["version"]; !slices.Equal(f, []string{"help"}) {
		t.Errorf("version has flags %v, want only --help", f)
	}
	if f := tree["appeal list"]; len(f) > 15 || !slices.Contains(f, "status") || slices.Contains(f, "days") {
		t.Errorf("appeal list has flags %v", f)
	}
	// a flag of a sibling verb is refused, not ignored
	if tried := siblingFlags(t, e, tree); tried < 50 {
		t.Errorf("only %d flags of other verbs tried", tried)
	}
	// the verb missing, or unknown: usage on stderr, exit 2
	r := e.run(t, "appeal")
	expect(t, r, 2, nil, []string{"shequ appeal 需要一个子命令", "子命令：", "  add"})
	for _, args := range [][]string{{"appeal", "frob"}, {"help", "appeal", "frob"}} {
		r = e.run(t, args...)
		expect(t, r, 2, nil, []string{"未知的命令: appeal frob", "用法"})
		if r.stdout != "" {
			t.Errorf("%v wrote to stdout: %s", args, r.stdout)
		}
	}
	expect(t, e.run(t, "help", "appeal"), 0, []string{"shequ appeal — ", "子命令："}, nil)
	// old spellings still work, hidden
	if h := e.run(t, "visitor", "export", "--help").stdout; strings.Contains(h, "--why") || !strings.Contains(h, "--reason") {
		t.Errorf("visitor export shows --why or lacks --reason:\n%s", h)
	}
	if h := e.run(t, "appeal", "stats", "--help").stdout; strings.Contains(h, "--to-date") || !strings.Contains(h, "--to ") {
		t.Errorf("appeal stats shows --to-date or lacks --to:\n%s", h)
	}
}

// siblingFlags runs each verb with a flag only a sibling verb has, and
// says how many it tried.
func siblingFlags(t *testing.T, e *env, tree map[string][]string) int {
	t.Helper()
	tried := 0
	for name, own := range tree {
		group, verb, ok := strings.Cut(name, " ")
		if !ok {
			continue
		}
		for other, theirs := range tree {
			if g, _, _ := strings.Cut(other, " "); g != group || other == name {
				continue
			}
			i := slices.IndexFunc(theirs, func(f string) bool { return !slices.Contains(own, f) && f != "why" && f != "to-date" })
			if i < 0 {
				continue
			}
			f := theirs[i]
			r := e.run(t, group, verb, "--"+f)
			if r.code != 2 || !strings.Contains(r.stderr, "没有这个参数：--"+f) || r.stdout != "" {
				t.Errorf("shequ %s --%s (a flag of %s): exit %d, stderr %q", name, f, other, r.code, r.stderr)
			}
			tried++
			break
		}
	}
	return tried
}

func TestVersionFlag(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := e.run(t, args...)
		if r.code != 0 || r.stdout != "shequ "+testVersion+"\n" || r.stderr != "" {
			t.Errorf("shequ %v: %+v", args, r)
		}
	}
	if ok, err := cli.CheckCommand([]string{"--version"}); !ok || err != nil {
		t.Errorf("--version is not a command for main: %v %v", ok, err)
	}
}

// The completion scripts come out for every shell, and the completion
// they call offers a verb's own flags and not the hidden old spellings.
func TestCompletionScripts(t *testing.T) {
	e := newEnv(t)
	for shell, want := range map[string]string{
		"bash":       "complete -o default -F __start_shequ shequ",
		"zsh":        "#compdef shequ",
		"fish":       "complete -c shequ",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := e.run(t, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, want) || r.stderr != "" {
			t.Errorf("completion %s: exit %d, stderr %q, lacks %q", shell, r.code, r.stderr, want)
		}
	}
	r := e.run(t, "__complete", "appeal", "ad")
	if !strings.Contains(r.stdout, "add\t登记一件诉求") || !strings.Contains(r.stdout, "advance\t") || strings.Contains(r.stdout, "list") {
		t.Errorf("verbs completed:\n%s", r.stdout)
	}
	r = e.run(t, "__complete", "appeal", "add", "--rep")
	if !strings.Contains(r.stdout, "--reporter-id-number") || strings.Contains(r.stdout, "--days") {
		t.Errorf("flags completed:\n%s", r.stdout)
	}
	r = e.run(t, "__complete", "visitor", "export", "--")
	if !strings.Contains(r.stdout, "--reason") || strings.Contains(r.stdout, "--why") || strings.Contains(r.stdout, "--health") {
		t.Errorf("flags completed:\n%s", r.stdout)
	}
}

// Every listing's --json is the same whatever the language: codes and
// keys, no words.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	fixToday(t, time.Date(2026, 12, 1, 12, 0, 0, 0, time.Local))
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "j.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "200"), 0, nil, nil)
	base := []string{"--db", db, "--user", "admin"}
	run := func(args ...string) result {
		t.Helper()
		return e.run(t, append(args, base...)...)
	}
	for _, args := range [][]string{
		{"appeal", "add", "--channel", "来电", "--category", "环境卫生", "--content", "楼道堆放杂物", "--reporter", "张先生", "--urgency", "紧急"},
		{"appeal", "advance", "--id", "1", "--to", "accepted"},
		{"worklog", "add", "--kind", "巡查", "--content", "巡查", "--area", "第1网格"},
		{"tag", "new", "--name", "剪纸", "--category", "兴趣爱好"},
		{"booking", "space-add", "--area", "红旗社区", "--name", "活动室", "--capacity", "30", "--opens", "8:00", "--closes", "18:00"},
		{"booking", "add", "--space", "活动室", "--day", "2026-12-02", "--from", "9:00", "--to", "10:00", "--org", "窗花社", "--contact", "王老师", "--phone", "13800002222"},
		{"activity", "add", "--area", "红旗社区", "--name", "包饺子", "--day", "2026-12-03", "--from", "14:00", "--to", "16:00", "--place", "食堂", "--capacity", "20"},
		{"coupon", "merchant-add", "--area", "红旗社区", "--name", "红旗超市", "--category", "超市"},
		{"coupon", "batch-add", "--merchant", "红旗超市", "--name", "敬老消费券", "--value", "20", "--from", "2026-12-01", "--to", "2026-12-31", "--quota", "500"},
	} {
		expect(t, run(args...), 0, nil, nil)
	}
	listings := [][]string{
		{"residents", "--limit", "5"}, {"tag", "list"}, {"area", "list"}, {"account", "list"}, {"cohort", "list", "--age", "60-", "--limit", "5"},
		{"appeal", "list"}, {"appeal", "show", "--id", "1"}, {"appeal", "stats"}, {"appeal", "categories"}, {"worklog", "list"},
		{"booking", "spaces"}, {"booking", "list", "--day", "2026-12-02"}, {"activity", "list"}, {"coupon", "merchants"}, {"coupon", "batches"},
		{"vaccine", "appointments"}, {"visitor", "list"}, {"cohort", "saved"},
		{"chart", "pyramid"}, {"chart", "by-area"}, {"chart", "tags"}, {"chart", "composition"}, {"chart", "moves"},
	}
	out := map[string][2]string{}
	for i, lang := range []string{"zh", "en"} {
		os.Setenv("SHEQU_LANG", lang)
		if _, err := i18n.Setup(); err != nil {
			t.Fatal(err)
		}
		for _, args := range listings {
			r := run(append(args, "--json")...)
			if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") && !strings.HasPrefix(strings.TrimSpace(r.stdout), "[") {
				t.Errorf("%v --json under %s: exit %d, %s%s", args, lang, r.code, r.stdout, r.stderr)
			}
			o := out[strings.Join(args, " ")]
			o[i] = r.stdout
			out[strings.Join(args, " ")] = o
		}
	}
	os.Setenv("SHEQU_LANG", "zh")
	if _, err := i18n.Setup(); err != nil {
		t.Fatal(err)
	}
	for name, o := range out {
		if o[0] != o[1] {
			t.Errorf("%s --json differs:\nzh: %s\nen: %s", name, o[0], o[1])
		}
	}
	for _, want := range []string{`"status": "accepted"`, `"channel": "phone"`, `"urgency": "urgent"`} {
		if !strings.Contains(out["appeal list"][0], want) {
			t.Errorf("appeal list --json lacks %s: %s", want, out["appeal list"][0])
		}
	}
	if !strings.Contains(out["worklog list"][0], `"kind": "patrol"`) {
		t.Errorf("worklog list --json: %s", out["worklog list"][0])
	}
	// the audit log's keys are the JSON's, not Go's
	r := run("audit", "list", "--limit", "1", "--json")
	if !strings.Contains(r.stdout, `"action":`) || strings.Contains(r.stdout, `"Action"`) {
		t.Errorf("audit list --json: %s", r.stdout)
	}
}

// Tags are made, renamed and deleted from the command line.
func TestTagsManagedFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "t.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "100"), 0, nil, nil)
	base := []string{"--db", db, "--user", "admin"}
	run := func(args ...string) result { return e.run(t, append(args, base...)...) }
	expect(t, run("tag", "new", "--name", "剪纸", "--category", "兴趣爱好"), 0, []string{"已新建标签“剪纸”（兴趣爱好）"}, nil)
	expect(t, run("tag", "new", "--name", "剪纸", "--category", "兴趣爱好"), 1, nil, []string{"剪纸"})
	expect(t, run("tag", "add", "--tag", "剪纸", "--area", "第1网格"), 0, []string{"剪纸"}, nil)
	expect(t, run("tag", "rename", "--tag", "剪纸", "--name", "窗花"), 0, []string{"标签“剪纸”已改为“窗花”"}, nil)
	r := run("tag", "list", "--json")
	if !strings.Contains(r.stdout, `"name": "窗花"`) || strings.Contains(r.stdout, `"剪纸"`) {
		t.Errorf("after rename: %s", r.stdout)
	}
	expect(t, run("tag", "delete", "--tag", "窗花"), 0, []string{"已删除标签“窗花”"}, nil)
	if r := run("tag", "list", "--json"); strings.Contains(r.stdout, "窗花") {
		t.Errorf("after delete: %s", r.stdout)
	}
	expect(t, run("tag", "delete", "--tag", "窗花"), 1, nil, []string{"窗花"})
}

// A wrong value is said as the flag and the value, in the user's words,
// without Go's parser inside.
func TestAWrongValueIsSaidPlainly(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "residents", "--limit", "x")
	expect(t, r, 2, nil, []string{"参数的值不对：--limit x。用 --help 查看用法"})
	if strings.Contains(r.stderr, "strconv") {
		t.Errorf("Go's words in the message: %s", r.stderr)
	}
	// the single-dash spelling of old is still read
	expect(t, e.run(t, "residents", "-limit", "x"), 2, nil, []string{"参数的值不对：--limit x"})
}

// A ledger is a subcommand of import, export and template, with its own
// usage line; a file missing or one too many is a usage error that says
// how the verb is called.
func TestLedgerVerbsAreSubcommands(t *testing.T) {
	e := newEnv(t)
	for group, line := range map[string]string{
		"import":   "  shequ import residents 文件.xlsx [参数…]\n",
		"export":   "  shequ export residents [参数…]\n",
		"template": "  shequ template residents [参数…]\n",
	} {
		expect(t, e.run(t, group, "--help"), 0, []string{"子命令：\n  residents "}, nil)
		r := e.run(t, group, "residents", "--help")
		expect(t, r, 0, []string{"用法：\n" + line, "-h, --help"}, nil)
		if group != "template" && !strings.Contains(r.stdout, "--user") {
			t.Errorf("%s residents --help lacks --user:\n%s", group, r.stdout)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "residents"}, "shequ import residents 缺少参数：文件.xlsx。用法：shequ import residents 文件.xlsx [参数…]"},
		{[]string{"import", "residents", "a.xlsx", "b.xlsx", "--user", "admin"}, "shequ import residents 多余的参数：b.xlsx。用法：shequ import residents 文件.xlsx"},
		{[]string{"export", "residents", "a.xlsx", "--user", "admin"}, "shequ export residents 多余的参数：a.xlsx"},
		{[]string{"template", "residents", "a.xlsx"}, "shequ template residents 多余的参数：a.xlsx"},
		{[]string{"cohort", "save", "--user", "admin"}, "shequ cohort save 缺少参数：名字"},
		{[]string{"import", "a.xlsx"}, "未知的命令: import a.xlsx"},
	} {
		r := e.run(t, c.args...)
		expect(t, r, 2, nil, []string{c.want})
		if r.stdout != "" {
			t.Errorf("%v wrote to stdout: %s", c.args, r.stdout)
		}
	}
}

// The modes of sync are verbs: conflicts and resolve, each with its own
// flags; the old flags still work but are not shown.
func TestSyncVerbs(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "sync", "--help")
	expect(t, r, 0, []string{"  shequ sync [参数…]\n", "子命令：\n  conflicts ", "  resolve ", "--server"}, nil)
	_, flags, _ := strings.Cut(r.stdout, "参数：\n")
	for _, old := range []string{"--conflicts", "--resolve", "--take", "--json"} {
		if strings.Contains(flags, old) {
			t.Errorf("sync --help shows %s:\n%s", old, r.stdout)
		}
	}
	expect(t, e.run(t, "sync", "conflicts", "--help"), 0, []string{"  shequ sync conflicts [参数…]", "--json"}, nil)
	expect(t, e.run(t, "sync", "resolve", "--help"), 0, []string{"  shequ sync resolve 编号 [参数…]", "--take"}, nil)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "resolve", "--take", "kept", "--user", "admin"}, "shequ sync resolve 缺少参数：编号"},
		{[]string{"sync", "resolve", "3", "4", "--take", "kept", "--user", "admin"}, "多余的参数：4"},
		{[]string{"sync", "resolve", "x", "--take", "kept", "--user", "admin"}, "冲突编号应是正整数，收到的是：x"},
		{[]string{"sync", "resolve", "3", "--take", "both", "--user", "admin"}, "--take 须为 kept"},
		{[]string{"sync", "conflicts", "--take", "kept"}, "没有这个参数：--take"},
		{[]string{"sync", "conflicts", "extra"}, "shequ sync conflicts 多余的参数：extra"},
	} {
		r := e.run(t, c.args...)
		expect(t, r, 2, nil, []string{c.want})
		if r.stdout != "" {
			t.Errorf("%v wrote to stdout: %s", c.args, r.stdout)
		}
	}
	// a desktop that never synced is told so in words
	db := filepath.Join(t.TempDir(), "d.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "sync", "conflicts", "--db", db, "--user", "admin"), 1, nil, []string{"本机还没有登记到同步服务器"})
}

// Every verb that takes files or names shows them in its usage line, and
// says which are missing or too many with that line.
func TestPositionalArgumentsInTheUsageLine(t *testing.T) {
	e := newEnv(t)
	for verb, line := range map[string]string{
		"visitor import": "shequ visitor import 文件.xlsx [参数…]",
		"vaccine import": "shequ vaccine import 文件.xlsx [参数…]",
		"appeal import":  "shequ appeal import 文件.xlsx [参数…]",
		"area add":       "shequ area add 街道/社区/网格 [参数…]",
		"area move":      "shequ area move 区域 新上级 [参数…]",
		"cohort save":    "shequ cohort save 名字 [参数…]",
		"match":          "shequ match 名单.xlsx [参数…]",
		"fill":           "shequ fill 报表.xlsx [参数…]",
	} {
		expect(t, e.run(t, append(strings.Fields(verb), "--help")...), 0, []string{"用法：\n  " + line + "\n"}, nil)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"visitor", "import", "--user", "admin"}, "shequ visitor import 缺少参数：文件.xlsx。用法：shequ visitor import 文件.xlsx [参数…]"},
		{[]string{"appeal", "import", "a.xlsx", "b.xlsx", "--user", "admin"}, "shequ appeal import 多余的参数：b.xlsx"},
		{[]string{"area", "rename", "红旗社区", "--user", "admin"}, "shequ area rename 缺少参数：区域 新名称"},
		{[]string{"area", "delete", "红旗社区", "第1网格", "--user", "admin"}, "shequ area delete 多余的参数：第1网格"},
	} {
		r := e.run(t, c.args...)
		expect(t, r, 2, nil, []string{c.want})
		if r.stdout != "" {
			t.Errorf("%v wrote to stdout: %s", c.args, r.stdout)
		}
	}
}

// TestAWorkbookVerbAsksForItsOut: every verb that writes a workbook and is
// nothing without it says so as a usage error, before it opens anything.
func TestAWorkbookVerbAsksForItsOut(t *testing.T) {
	e := newEnv(t)
	for _, verb := range [][]string{{"export", "residents", "--user", "admin"}, {"template", "residents"}, {"visitor", "export", "--user", "admin"},
		{"worklog", "export", "--user", "admin"}, {"activity", "export", "--user", "admin"}, {"coupon", "export", "--user", "admin"},
		{"audit", "purge", "--user", "admin"}, {"cohort", "export", "--user", "admin"}} {
		expect(t, e.run(t, verb...), 2, nil, []string{"请用 --out 指定要写入的文件"})
	}
}
