package app_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxread"
)

// rezip rewrites a workbook part by part with the given method; edit
// replaces the parts it names with what its function writes.
func rezip(t *testing.T, path string, method uint16, edit map[string]func(io.Writer)) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if fill, ok := edit[f.Name]; ok {
			fill(w)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// changeDigit stores the workbook uncompressed and changes the last digit
// of the one place text occurs, as a disk or a hand with a hex editor
// would: the zip's CRC no longer matches.
func changeDigit(t *testing.T, path, text string) {
	t.Helper()
	rezip(t, path, zip.Store, nil)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(data, []byte(text)) != 1 {
		t.Fatalf("%q occurs %d times in the stored workbook", text, bytes.Count(data, []byte(text)))
	}
	i := bytes.Index(data, []byte(text)) + len(text) - 1
	data[i] = '0' + (data[i]-'0'+1)%10
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A ledger whose stored bytes were changed (one digit of a phone) is
// refused as damaged, by the import and by a match, and nothing of it is
// imported.
func TestDamagedWorkbookRefusedByEveryReader(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	path := simpleLedger(t,
		[]any{1, "钱一", "男", id(t, "1960-07-08", 1, idnumber.Male), nil, "汉", "13800138000", "幸福里", "2", "1", "301", "户主", "户籍", nil, nil},
		[]any{2, "钱二", "女", id(t, "1962-01-02", 2, idnumber.Female), nil, "汉", "13900139000", "幸福里", "2", "1", "301", "配偶", "户籍", nil, nil},
	)
	changeDigit(t, path, "13900139000")

	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid2})
	if err == nil {
		res.Close()
	}
	if !errors.Is(err, xlsxread.ErrDamaged) {
		t.Errorf("import: %v, want a damaged workbook", err)
	}
	if n, _ := la.st.CountAll(ctx); n != 0 {
		t.Errorf("%d residents imported from a damaged ledger", n)
	}
	if _, err := la.Match(ctx, la.worker, path, app.MatchOptions{}); !errors.Is(err, xlsxread.ErrDamaged) {
		t.Errorf("match: %v, want a damaged workbook", err)
	}
}

// A form whose styles part was changed is refused before excelize (which
// does not check) fills it.
func TestDamagedFormNotFilled(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 200, 1)
	ctx := context.Background()
	dir := t.TempDir()
	form := filepath.Join(dir, "form.xlsx")
	writeForm(t, form)
	rezip(t, form, zip.Store, nil)
	data, _ := os.ReadFile(form)
	i := bytes.Index(data, []byte(`<fonts count="`))
	if i < 0 {
		t.Fatal("no fonts in the styles")
	}
	data[i+len(`<fonts count="`)]++ // one more font than there are
	os.WriteFile(form, data, 0o600)

	admin := ta.admin
	admin.Account.CanExport = true
	_, err := ta.FillForm(ctx, admin, form, filepath.Join(dir, "out.xlsx"), app.FillOptions{})
	if !errors.Is(err, xlsxread.ErrDamaged) {
		t.Fatalf("fill: %v, want a damaged workbook", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.xlsx")); err == nil {
		t.Error("a form was filled from a damaged one")
	}
}

// A ledger one of whose cells inflates to 256 MiB is refused by the import
// in a moment, as beyond Excel's cell limit.
func TestHugeCellLedgerRefused(t *testing.T) {
	la := newLedgerApp(t)
	ctx := context.Background()
	path := simpleLedger(t, []any{1, "钱一"})
	rezip(t, path, zip.Deflate, map[string]func(io.Writer){"xl/worksheets/sheet1.xml": func(w io.Writer) {
		io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("备", 1<<16)
		for range (256 << 20) / len(chunk) {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
	}})
	start := time.Now()
	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid2})
	if err == nil {
		res.Close()
	}
	if !errors.Is(err, xlsxread.ErrTooLarge) {
		t.Fatalf("import: %v, want a workbook too large", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refused after %v", d)
	}
}

// A note longer than a free-text field takes is imported cut, with a row
// warning naming the field; typed in a form it is refused. What is stored
// always fits an export's cell.
func TestLongNoteSaidOnInput(t *testing.T) {
	t.Parallel()
	setToday(t, 2026, 11, 29)
	la := newLedgerApp(t)
	ctx := context.Background()
	long := strings.Repeat("备注很长。", 1000) // 5,000 characters
	path := simpleLedger(t,
		[]any{1, "钱一", "男", id(t, "1960-07-08", 1, idnumber.Male), nil, "汉", "13800138000", "幸福里", "2", "1", "301", "户主", "户籍", nil, long})
	res, err := la.Import(ctx, la.worker, path, app.ImportOptions{Grid: la.grid2})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	var warned bool
	for _, p := range res.Problems {
		warned = warned || p.Field == app.FieldNotes && p.Key == "warn.ledger.text_long" && !p.Error && p.Row == 2
	}
	if !warned || res.Imported != 1 {
		t.Errorf("imported %d, problems %v; want the row imported with a warning on 备注", res.Imported, problemList(res))
	}
	rows := la.rows(t, la.worker, app.ListFilter{})
	if len(rows) != 1 || []rune(rows[0].Notes)[0] != '备' || len([]rune(rows[0].Notes)) != 4000 {
		t.Fatalf("stored note of %d characters", len([]rune(rows[0].Notes)))
	}
	if _, ps := la.CheckResident(app.ResidentInput{Name: "钱二", Notes: long}); len(ps) == 0 || ps[0].Field != "notes" {
		t.Errorf("a form took a note of 5,000 characters: %v", ps)
	}
}
