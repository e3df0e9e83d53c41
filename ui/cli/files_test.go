package cli_test

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An output pointed at a file the command reads is refused before
// anything is done: a problem report over the ledger imported (by its
// name or a link to it), a backup over the database.
func TestOutputOverAnInputRefused(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "20"), 0, nil, nil)
	ledger := filepath.Join(dir, "台账.xlsx")
	f := excelize.NewFile()
	for i, row := range [][]any{{"姓名", "身份证号码", "小区", "楼栋", "单元", "房号"}, {"张三", "不是号码", "锦绣花园", "3栋", "2单元", "501"}, {"李四", nil, "锦绣花园", "3栋", "2单元", "502"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	if err := f.SaveAs(ledger); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(ledger)
	link := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.Symlink(ledger, link); err != nil {
		t.Fatal(err)
	}
	e.vars["SHEQU_BACKUP_PASSPHRASE"] = "a long passphrase"
	for _, args := range [][]string{
		{"import", "residents", ledger, "--db", db, "--user", "admin", "--area", "第1网格", "--report", ledger},
		{"import", "residents", ledger, "--db", db, "--user", "admin", "--area", "第1网格", "--report", link},
		{"import", "residents", "--report", filepath.Join(dir, ".", "台账.xlsx"), ledger, "--db", db, "--user", "admin", "--area", "第1网格"},
		{"backup", "--db", db, "--user", "admin", "--out", db},
	} {
		expect(t, e.run(t, args...), 1, nil, []string{"是本次操作正在读取的文件", "另选一个文件名"})
	}
	if after, _ := os.ReadFile(ledger); !bytes.Equal(after, before) {
		t.Error("the ledger was overwritten")
	}
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var residents int
	if err := raw.QueryRow("SELECT count(*) FROM resident").Scan(&residents); err != nil || residents != 20 {
		t.Errorf("%d residents imported (%v): the import ran before the refusal", residents, err)
	}
}

// A database of a newer Shequ is refused naming both versions, not as a
// file that is no database.
func TestNewerDatabaseSaid(t *testing.T) {
	e := newEnv(t)
	db := filepath.Join(t.TempDir(), "n.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin"), 0, nil, nil)
	raw := rawOpen(t, db)
	if _, err := raw.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := e.run(t, "residents", "--db", db, "--user", "admin")
	expect(t, r, 1, nil, []string{"更新版本", "数据库版本 9999"})
	if bytes.Contains([]byte(r.stderr), []byte("不是 Shequ 的数据库")) {
		t.Errorf("said as no database: %s", r.stderr)
	}
}

// A ledger whose stored bytes were changed is refused, said in words, and
// nothing of it is imported.
func TestDamagedLedgerSaid(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "20"), 0, nil, nil)
	ledger := filepath.Join(dir, "台账.xlsx")
	f := excelize.NewFile()
	for i, row := range [][]any{{"姓名", "手机号", "小区", "楼栋", "单元", "房号"}, {"张三", "13900139000", "锦绣花园", "3栋", "2单元", "501"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	if err := f.SaveAs(ledger); err != nil {
		t.Fatal(err)
	}
	// Stored, not deflated, and one digit of the phone changed.
	zr, err := zip.OpenReader(ledger)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Store})
		rc, _ := zf.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zr.Close()
	zw.Close()
	data := bytes.Replace(buf.Bytes(), []byte("13900139000"), []byte("13900139001"), 1)
	os.WriteFile(ledger, data, 0o600)

	expect(t, e.run(t, "import", "residents", ledger, "--db", db, "--user", "admin", "--area", "第1网格"), 1, nil, []string{"工作簿已损坏", "另存为"})
	r := e.run(t, "residents", "--db", db, "--user", "admin", "--search", "张三")
	if bytes.Contains([]byte(r.stdout), []byte("张三")) {
		t.Errorf("the damaged ledger's resident was imported:\n%s", r.stdout)
	}
}
