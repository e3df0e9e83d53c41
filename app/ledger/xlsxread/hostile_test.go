// The bounds on a hostile workbook are read as the child's peak resident
// memory (getrusage), which Windows does not give.

//go:build unix

package xlsxread

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// bombBook writes a workbook whose shared strings (when sst is not nil)
// and sheet are streamed by the functions given, deflated as they go, so a
// part of hundreds of MiB costs a few hundred KiB of disk. method is
// zip.Deflate or zip.Store.
func bombBook(t testing.TB, method uint16, sst, sheet func(w io.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	part := func(name string, fill func(w io.Writer)) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		fill(w)
	}
	text := func(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }
	part("[Content_Types].xml", text(ctypesXML))
	part("_rels/.rels", text(rootRelsXML))
	part("xl/workbook.xml", text(workbookXML))
	part("xl/_rels/workbook.xml.rels", text(workbookRelsXML))
	if sst != nil {
		part("xl/sharedStrings.xml", sst)
	}
	part("xl/worksheets/sheet1.xml", sheet)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// repeat writes s n times, in large writes.
func repeat(w io.Writer, s string, n int) {
	block := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(block) / len(s)
	for n >= per {
		io.WriteString(w, block)
		n -= per
	}
	io.WriteString(w, strings.Repeat(s, n))
}

const (
	sheetHead = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
	sstHead   = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
)

// peakHeap runs fn and returns the most heap it had in use above what was
// in use before, sampled every few milliseconds.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var (
		peak uint64
		wg   sync.WaitGroup
	)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak {
				peak = m.HeapAlloc - base
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak
}

// childRSS reads Sheet1 of the workbook in a child process (this test
// binary, run again) with the memory limit main sets, and returns the
// error it reported and its peak resident memory: what a user's machine
// would see, garbage included.
func childRSS(t *testing.T, path string) (string, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildRead$")
	cmd.Env = append(os.Environ(), "XLSXREAD_CHILD="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	msg, _, _ := strings.Cut(string(out), "\n")
	return msg, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
}

// TestChildRead is the child of childRSS; run by itself it does nothing.
func TestChildRead(t *testing.T) {
	path := os.Getenv("XLSXREAD_CHILD")
	if path == "" {
		t.Skip("run by childRSS")
	}
	debug.SetMemoryLimit(256 << 20) // as app.LimitMemory
	fmt.Println(readSheet(path))
}

// readSheet opens the workbook and reads Sheet1 to its end.
func readSheet(path string) error {
	b, err := Open(path)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return nil })
}

// A cell that inflates to 128 MiB is refused once it passes Excel's
// 32,767 characters, before it is held in memory: as <v>, as an inline
// string and as one shared string.
func TestHugeCellRefusedWhileRead(t *testing.T) {
	const size = 128 << 20
	cases := map[string]struct{ sst, sheet func(io.Writer) }{
		"value": {nil, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="str"><v>`)
			repeat(w, "1", size)
			io.WriteString(w, `</v></c></row>`+sheetTail)
		}},
		"inline string": {nil, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>`)
			repeat(w, "备", size/3)
			io.WriteString(w, `</t></is></c></row>`+sheetTail)
		}},
		"shared string": {func(w io.Writer) {
			io.WriteString(w, sstHead+`<si><t>`)
			repeat(w, "a", size)
			io.WriteString(w, `</t></si></sst>`)
		}, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`+sheetTail)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := bombBook(t, zip.Deflate, tc.sst, tc.sheet)
			var err error
			peak := peakHeap(func() { err = readSheet(path) })
			t.Logf("peak heap %d MiB: %v", peak>>20, err)
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "32,767") {
				t.Fatalf("err = %v, want ErrTooLarge naming Excel's limit", err)
			}
			if peak > 32<<20 {
				t.Errorf("peak heap %d MiB, want under 32 MiB", peak>>20)
			}
		})
	}
}

// A cell of exactly 32,767 characters (the most Excel allows) is read.
func TestCellAtExcelLimitRead(t *testing.T) {
	long := strings.Repeat("备", maxCellChars)
	path := bombBook(t, zip.Deflate, func(w io.Writer) {
		io.WriteString(w, sstHead+`<si><t>`+long+`</t></si></sst>`)
	}, func(w io.Writer) {
		io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>`+long+`</t></is></c></row>`+sheetTail)
	})
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := cellsOf(t, b, "Sheet1")
	if len(got[1]) != 2 || got[1][0].Value != long || got[1][1].Value != long {
		t.Fatalf("row 1 = %d cells, want both of %d characters", len(got[1]), maxCellChars)
	}
}

// The shared-string table is bounded by count (empty items cost a few
// bytes of XML each) and by bytes (items each under the cell limit).
func TestSharedStringTableBounded(t *testing.T) {
	sheet := func(w io.Writer) { io.WriteString(w, sheetHead+sheetTail) }
	cases := map[string]func(io.Writer){
		"count": func(w io.Writer) {
			io.WriteString(w, sstHead)
			repeat(w, "<si/>", maxSharedStrings+1)
			io.WriteString(w, `</sst>`)
		},
		"bytes": func(w io.Writer) {
			io.WriteString(w, sstHead)
			repeat(w, "<si><t>"+strings.Repeat("a", maxCellChars)+"</t></si>", maxSharedBytes/maxCellChars+2)
			io.WriteString(w, `</sst>`)
		},
	}
	for name, sst := range cases {
		t.Run(name, func(t *testing.T) {
			path := bombBook(t, zip.Deflate, sst, sheet)
			msg, rss := childRSS(t, path)
			t.Logf("peak RSS %d MiB: %s", rss>>20, msg)
			if !strings.Contains(msg, ErrTooLarge.Error()) {
				t.Fatalf("err = %s, want ErrTooLarge", msg)
			}
			if rss > 500<<20 && !raceEnabled {
				t.Errorf("peak RSS %d MiB, want under 500 MiB", rss>>20)
			}
		})
	}
}

// Rows of nothing stop being read past a limit, so a flood of <row/> is
// refused in a moment instead of handing millions of empty rows on.
func TestEmptyRowFloodRefused(t *testing.T) {
	path := bombBook(t, zip.Deflate, nil, func(w io.Writer) {
		io.WriteString(w, sheetHead)
		repeat(w, "<row/>", maxEmptyRows+1)
		io.WriteString(w, `<row r="9999999"><c t="inlineStr"><is><t>x</t></is></c></row>`+sheetTail)
	})
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	calls := 0
	err = b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { calls++; return nil })
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v after %d rows, want ErrTooLarge", err, calls)
	}
	if calls > maxEmptyRows {
		t.Errorf("%d rows handed on, want at most %d", calls, maxEmptyRows)
	}
}

// A stored (uncompressed) workbook with one digit changed no longer
// matches its CRC: reading the sheet or the shared strings to the end
// says so, so the changed phone is not taken as good.
func TestDamagedPartRefused(t *testing.T) {
	const phone = "13800138000"
	cases := map[string]struct{ sst, sheet func(io.Writer) }{
		"sheet": {nil, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>`+phone+`</t></is></c></row>`+sheetTail)
		}},
		"shared strings": {func(w io.Writer) {
			io.WriteString(w, sstHead+`<si><t>`+phone+`</t></si></sst>`)
		}, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`+sheetTail)
		}},
		"after the sheet data": {nil, func(w io.Writer) {
			io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>`+sheetTail[:len(`</sheetData>`)])
			io.WriteString(w, `<pageSetup r:id="`+phone+`"/></worksheet>`)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := bombBook(t, zip.Store, tc.sst, tc.sheet)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			i := bytes.Index(data, []byte(phone))
			data[i+len(phone)-1] = '9'
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			b, err := Open(path)
			if err == nil {
				// Rows streams: the cells before the end are handed out,
				// and the error at the end tells the caller to drop them.
				err = b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return nil })
				b.Close()
			}
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("err = %v, want ErrDamaged", err)
			}
		})
	}
}

// A zip whose parts say they inflate to more than maxBookBytes is refused
// at Open, before a byte of them is inflated.
func TestInflatedSizeBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, text := range map[string]string{"_rels/.rels": rootRelsXML, "xl/workbook.xml": workbookXML, "xl/_rels/workbook.xml.rels": workbookRelsXML} {
		w, _ := zw.Create(name)
		io.WriteString(w, text)
	}
	// Deflated sheet data whose header claims 5 GiB: the zip reader
	// would stop it there, so the claim is what bounds the work.
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	io.WriteString(fw, sheetHead+sheetTail)
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: 5 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := Open(path)
	if err == nil {
		b.Close()
	}
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// Verify reads the parts Rows does not (here the styles), so a change
// there is found before the file goes to excelize, which does not check.
func TestVerifyChecksEveryPart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stored.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{{"_rels/.rels", rootRelsXML}, {"xl/workbook.xml", workbookXML},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML}, {"xl/styles.xml", `<styleSheet><numFmts count="1"/></styleSheet>`},
		{"xl/worksheets/sheet1.xml", sheetHead + `<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>` + sheetTail}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p[1])
	}
	zw.Close()
	f.Close()
	data, _ := os.ReadFile(path)
	i := bytes.Index(data, []byte(`count="1"`))
	data[i+7] = '2'
	os.WriteFile(path, data, 0o600)

	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return nil }); err != nil {
		t.Fatalf("Rows: %v (the sheet itself is sound)", err)
	}
	if err := b.Verify(context.Background()); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Verify: %v, want ErrDamaged", err)
	}
}
