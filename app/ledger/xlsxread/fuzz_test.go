package xlsxread

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// memBook builds a workbook in memory around one sheet part, returning it
// and the zip's bytes.
func memBook(t testing.TB, sheet []byte) (*Book, []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml":        ctypesXML,
		"_rels/.rels":                rootRelsXML,
		"xl/workbook.xml":            workbookXML,
		"xl/_rels/workbook.xml.rels": workbookRelsXML,
		"xl/sharedStrings.xml":       handSST,
		"xl/worksheets/sheet1.xml":   string(sheet),
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBook(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b, buf.Bytes()
}

type fuzzRow struct {
	n     int
	cells []Cell
}

// readAll reads the sheet, checking the invariants of Rows on the way.
func readAll(t *testing.T, b *Book, slow bool) ([]fuzzRow, error) {
	var rows []fuzzRow
	err := b.rows(context.Background(), "Sheet1", slow, func(row int, cells []Cell) error {
		if row < 1 {
			t.Fatalf("row number %d", row)
		}
		if len(cells) > maxColumns {
			t.Fatalf("row %d: %d cells", row, len(cells))
		}
		if n := len(cells); n > 0 && cells[n-1] == (Cell{}) {
			t.Fatalf("row %d: trailing empty cell", row)
		}
		for i, c := range cells {
			if (c.Type == Empty) != (c.Value == "") || c.Type > Date {
				t.Fatalf("row %d col %d: %+v", row, i, c)
			}
		}
		rows = append(rows, fuzzRow{row, append([]Cell(nil), cells...)})
		return nil
	})
	return rows, err
}

var fuzzSeeds = []string{
	handSheet,
	`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1"><v>1</v></c></row></sheetData></worksheet>`,
	`<worksheet><sheetData><row><c t="s"><v>3</v></c><c t="inlineStr"><is><t>x_x0041_&amp;</t></is></c></row><row/></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>`,
	`<worksheet><dimension ref="A1:C3"/><sheetData><row r="2"><c r="C2" t="str"><f>1</f><v><![CDATA[a]]b]]></v></c></row></sheetData></worksheet>`,
	"<worksheet><sheetData><row r=\"1\"><c><v>1\r\n2</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"b\"><v>0</v></c></row></sheetData></worksheet>",
	`<worksheet><sheetData><row><c r="B1" t="inlineStr"><is><r><t>a</t></r><t>b</t><r><t>c</t><t>d</t></r></is></c><c><v>1<x>2</x>3</v><v>4</v></c></row></sheetData></worksheet>`,
}

// FuzzRows feeds arbitrary sheet XML to Rows, Merges and Dimension: they
// must not panic or hang, Rows must keep its invariants, and its fast paths
// must agree with its general path.
func FuzzRows(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, sheet []byte) {
		b, _ := memBook(t, sheet)
		done := make(chan struct{})
		go func() {
			defer close(done)
			fast, errFast := readAll(t, b, false)
			slow, errSlow := readAll(t, b, true)
			// The fast paths must agree with the general path.
			if (errFast == nil) != (errSlow == nil) || !reflect.DeepEqual(fast, slow) {
				t.Errorf("fast and general paths differ:\nfast %v %+v\nslow %v %+v", errFast, fast, errSlow, slow)
			}
			if errFast != nil && !strings.Contains(errFast.Error(), `sheet "Sheet1", row `) {
				t.Errorf("error does not name sheet and row: %v", errFast)
			}
			if m, err := b.Merges(context.Background(), "Sheet1"); err == nil {
				for _, r := range m {
					if r.FirstRow < 1 || r.FirstCol < 0 || r.LastRow < r.FirstRow || r.LastCol < r.FirstCol {
						t.Errorf("bad range %+v", r)
					}
				}
			}
			b.Dimension("Sheet1")
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := b.Rows(ctx, "Sheet1", func(int, []Cell) error { return nil }); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled: %v", err)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("hang")
		}
	})
}

// FuzzRowsVsExcelize compares Rows with excelize on well-formed sheet XML
// (what encoding/xml accepts without error) whose rows sit in <sheetData>
// in increasing order; excelize, which stops silently at the first XML
// error and misplaces out-of-order cells, is no reference elsewhere.
func FuzzRowsVsExcelize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, sheet []byte) {
		i, j := bytes.Index(sheet, []byte("<sheetData>")), bytes.Index(sheet, []byte("row"))
		if i < 0 || j < i || bytes.Count(sheet, []byte("sheetData")) != 2 {
			return
		}
		for d := xml.NewDecoder(bytes.NewReader(sheet)); ; {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				return
			}
		}
		b, zipped := memBook(t, sheet)
		ours, last, ordered := map[int][]string{}, 0, true
		err := b.Rows(context.Background(), "Sheet1", func(row int, cells []Cell) error {
			ordered = ordered && row > last
			last = row
			var v []string
			for _, c := range cells {
				v = append(v, c.Value)
			}
			if len(v) > 0 {
				ours[row] = v
			}
			return nil
		})
		if err != nil || !ordered || last > 1000 {
			return
		}
		x, err := excelize.OpenReader(bytes.NewReader(zipped))
		if err != nil {
			return
		}
		defer x.Close()
		rows, err := x.Rows("Sheet1")
		if err != nil {
			return
		}
		theirs := map[int][]string{}
		for n := 1; rows.Next(); n++ {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return
			}
			for len(cols) > 0 && cols[len(cols)-1] == "" {
				cols = cols[:len(cols)-1]
			}
			if len(cols) > 0 {
				theirs[n] = cols
			}
		}
		if rows.Error() == nil && !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("ours %v\nexcelize %v", ours, theirs)
		}
	})
}
