package xlsxread

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/xuri/excelize/v2"
)

// excelizeRows reads a sheet with excelize's row iterator and raw values,
// the reference this package must match. excelize numbers its iterations
// 1, 2, 3... and reports rows missing from the XML as empty, so rows are
// compared by number and only those with a non-empty cell are kept (ours
// reports only rows present in the XML). Trailing empty cells are trimmed:
// excelize keeps a trailing "" for a formula cell with no cached value.
func excelizeRows(t testing.TB, path, sheet string) map[int][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("excelize open: %v", err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatalf("excelize rows: %v", err)
	}
	defer rows.Close()
	out := map[int][]string{}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("excelize columns, row %d: %v", n, err)
		}
		for len(cols) > 0 && cols[len(cols)-1] == "" {
			cols = cols[:len(cols)-1]
		}
		if len(cols) > 0 {
			out[n] = cols
		}
	}
	if err := rows.Error(); err != nil {
		t.Fatalf("excelize rows: %v", err)
	}
	return out
}

// ourRows reads a sheet with Rows, checks the documented invariants, and
// returns the non-empty rows as excelizeRows does.
func ourRows(t testing.TB, b *Book, sheet string) map[int][]string {
	t.Helper()
	return ourRowsPath(t, b, sheet, false)
}

// ourRowsPath is ourRows with the fast paths on or off.
func ourRowsPath(t testing.TB, b *Book, sheet string, slow bool) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	err := b.rows(context.Background(), sheet, slow, func(row int, cells []Cell) error {
		if row < 1 {
			return fmt.Errorf("row number %d", row)
		}
		if n := len(cells); n > 0 && cells[n-1] == (Cell{}) {
			return fmt.Errorf("row %d has a trailing empty cell", row)
		}
		var vals []string
		for i, c := range cells {
			if (c.Type == Empty) != (c.Value == "") {
				return fmt.Errorf("row %d col %d: type %d with value %q", row, i, c.Type, c.Value)
			}
			vals = append(vals, c.Value)
		}
		if len(vals) > 0 {
			if _, dup := out[row]; dup {
				return fmt.Errorf("row %d reported twice", row)
			}
			out[row] = vals
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	return out
}

// sameAsExcelize checks every sheet of the file against excelize.
func sameAsExcelize(t *testing.T, path string) {
	t.Helper()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, sh := range b.Sheets() {
		want := excelizeRows(t, path, sh.Name)
		if len(want) == 0 {
			t.Errorf("sheet %q: excelize read no rows; the test data is wrong", sh.Name)
		}
		diffRows(t, sh.Name, ourRows(t, b, sh.Name), want)
		diffRows(t, sh.Name+" (general path)", ourRowsPath(t, b, sh.Name, true), want)
	}
}

func diffRows(t *testing.T, sheet string, got, want map[int][]string) {
	t.Helper()
	var nums []int
	for n := range want {
		nums = append(nums, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	bad := 0
	for _, n := range nums {
		if !slices.Equal(got[n], want[n]) {
			t.Errorf("sheet %q row %d:\n got %q\nwant %q", sheet, n, got[n], want[n])
			if bad++; bad > 10 {
				t.Fatal("too many differences")
			}
		}
	}
}

// cellsOf reads a sheet into row number → a copy of its cells.
func cellsOf(t *testing.T, b *Book, sheet string) map[int][]Cell {
	t.Helper()
	out := map[int][]Cell{}
	err := b.Rows(context.Background(), sheet, func(row int, cells []Cell) error {
		out[row] = slices.Clone(cells)
		return nil
	})
	if err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	return out
}

func wantCells(t *testing.T, got map[int][]Cell, want map[int][]Cell) {
	t.Helper()
	for row, w := range want {
		g, ok := got[row]
		if !ok {
			t.Errorf("row %d missing", row)
			continue
		}
		if !reflect.DeepEqual(g, w) && !(len(g) == 0 && len(w) == 0) {
			t.Errorf("row %d:\n got %+v\nwant %+v", row, g, w)
		}
	}
	for row := range got {
		if _, ok := want[row]; !ok {
			t.Errorf("unexpected row %d: %+v", row, got[row])
		}
	}
}

// Minimal package parts for hand-written workbooks.
const (
	ctypesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
	rootRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbookXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
)

// writeZip writes a package from the given parts, adding the standard
// parts that are not given (a nil value leaves a part out).
func writeZip(t testing.TB, dir string, parts map[string]*string) string {
	t.Helper()
	all := map[string]*string{
		"[Content_Types].xml":        ptr(ctypesXML),
		"_rels/.rels":                ptr(rootRelsXML),
		"xl/workbook.xml":            ptr(workbookXML),
		"xl/_rels/workbook.xml.rels": ptr(workbookRelsXML),
	}
	for k, v := range parts {
		all[k] = v
	}
	path := filepath.Join(dir, "book.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		if all[name] == nil {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(*all[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func ptr(s string) *string { return &s }
