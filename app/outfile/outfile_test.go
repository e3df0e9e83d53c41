package outfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shequ/app/model"
)

// Every file made is the owner's alone, an existing file of another mode
// included, and a failed write leaves nothing.
func TestFilesAreTheOwners(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.xlsx")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "张三")
	for _, p := range []string{old, filepath.Join(dir, "new.xlsx")} {
		if err := SaveBook(x, p); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if y, err := excelize.OpenFile(old); err != nil {
		t.Fatalf("the saved workbook does not open: %v", err)
	} else if v, _ := y.GetCellValue("Sheet1", "A1"); v != "张三" {
		t.Errorf("A1 = %q", v)
	}
	boom := errors.New("boom")
	if err := Write(filepath.Join(dir, "failed.png"), func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %q, want old.xlsx and new.xlsx", names)
	}
	f, err := New(filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi, _ := os.Stat(f.Name()); fi.Mode().Perm() != 0o600 {
		t.Errorf("New: mode %v", fi.Mode().Perm())
	}
	if _, err := New(f.Name()); !errors.Is(err, fs.ErrExist) {
		t.Errorf("New over an existing file: %v", err)
	}
}

// Files are compared, not names: another spelling, a symbolic or a hard
// link all name the input; an output not made yet is none.
func TestNotInputComparesFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "台账.xlsx")
	os.WriteFile(in, []byte("x"), 0o600)
	sym, hard := filepath.Join(dir, "sym.xlsx"), filepath.Join(dir, "hard.xlsx")
	if err := os.Symlink(in, sym); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o700)
	for _, out := range []string{in, sym, hard, filepath.Join(sub, "..", "台账.xlsx")} {
		var ie *InputError
		if err := NotInput(out, "", filepath.Join(dir, "other.db"), in); !errors.As(err, &ie) || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%s: %v, want an InputError", out, err)
		}
	}
	// an output not made yet is no input
	if err := NotInput(filepath.Join(dir, "new.xlsx"), in); err != nil {
		t.Errorf("a new file: %v", err)
	}
	other := filepath.Join(dir, "other.xlsx")
	os.WriteFile(other, []byte("x"), 0o600)
	if err := NotInput(other, in); err != nil {
		t.Errorf("another file: %v", err)
	}
}

// No code but this package creates files: a new export cannot forget the
// mode or the partial file. (SQLite makes the database's -wal and -shm
// with the database's mode; lumberjack makes logs 0600.)
func TestNoOtherWayToCreateFiles(t *testing.T) {
	forbidden := regexp.MustCompile(`\bos\.(Create|WriteFile|OpenFile)\(|\.SaveAs\(`)
	root := filepath.Join("..", "..")
	for _, top := range []string{"app", "ui", "store", "main.go"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || filepath.Dir(p) == filepath.Join(root, "app", "outfile") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(src), "\n") {
				// The audit key and head hold no personal data; they are
				// made 0600 by store/auditkey.go, which rewrites the head in
				// place on every entry.
				if p == filepath.Join(root, "store", "auditkey.go") {
					break
				}
				if forbidden.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
					t.Errorf("%s:%d creates a file itself: use shequ/app/outfile\n\t%s", p, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
