package cli_test

import (
	"path/filepath"
	"testing"
)

// Sign-ins of the commands that act on a server's database (--store,
// --user) count against the same limit as the server's, kept in that
// database: after five wrong passwords the right one waits too, in a new
// process as much as in this one.
func TestStoreSignInsAreLimited(t *testing.T) {
	e := newEnv(t)
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	expect(t, e.run(t, "init", "--store", spec, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "devices", "--store", spec, "--user", "admin"), 0, nil, nil)
	wrong := newEnv(t)
	wrong.vars["SHEQU_PASSWORD"] = "Wrong123!"
	for range 5 {
		expect(t, wrong.run(t, "devices", "--store", spec, "--user", "admin"), 1, nil, []string{"账号或密码不正确"})
	}
	expect(t, e.run(t, "devices", "--store", spec, "--user", "admin"), 1, nil, []string{"已锁定", "15 分钟"})
}

// What is done to a server's database is its administrators' alone: demo
// data goes only into an empty one, and a grid worker's account made there
// neither fills it nor lists or revokes its devices.
func TestServerDatabaseIsKeptByItsAdministrators(t *testing.T) {
	e := newEnv(t)
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	expect(t, e.run(t, "init", "--store", spec, "--admin", "admin"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--store", spec, "--user", "admin", "--residents", "40"), 0, []string{"已生成 40 名示例居民并载入服务器"}, nil)
	expect(t, e.run(t, "demo", "--store", spec, "--user", "admin", "--residents", "40"), 1, nil, []string{"服务器已有", "不能再载入示例数据"})
	expect(t, e.run(t, "devices", "--store", spec, "--user", "admin", "--revoke", "0123456789abcdef"), 1, nil, []string{"没有未吊销的设备 0123456789abcdef"})

	e.vars["SHEQU_NEW_PASSWORD"] = "Grid1234!"
	expect(t, e.run(t, "account", "add", "--store", spec, "--user", "admin", "--name", "wang", "--role", "grid", "--areas", "第1网格"), 0, nil, nil)
	g := newEnv(t)
	g.vars["SHEQU_PASSWORD"], g.vars["SHEQU_NEW_PASSWORD"] = "Grid1234!", "Grid5678!"
	for _, args := range [][]string{
		{"demo", "--store", spec, "--user", "wang", "--residents", "40"},
		{"devices", "--store", spec, "--user", "wang"},
		{"devices", "--store", spec, "--user", "wang", "--revoke", "0123456789abcdef"},
		{"account", "add", "--store", spec, "--user", "wang", "--name", "li", "--role", "grid", "--areas", "第1网格"},
	} {
		expect(t, g.run(t, args...), 1, nil, []string{"无权"})
	}
}
