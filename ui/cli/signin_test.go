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
