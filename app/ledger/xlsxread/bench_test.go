package xlsxread

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// benchRows is the size of the benchmark ledger: 100,000 rows unless
// SHEQU_XLSX_ROWS says otherwise.
func benchRows(tb testing.TB) int {
	if v := os.Getenv("SHEQU_XLSX_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			tb.Fatalf("SHEQU_XLSX_ROWS=%q", v)
		}
		return n
	}
	return 100_000
}

type ledgerFile struct {
	once sync.Once
	err  error
}

var ledgers sync.Map // file name → *ledgerFile

// benchLedger returns a residents' ledger of n data rows plus a header,
// written once into os.TempDir and reused by later runs: generating a
// million rows takes longer than reading them. Unless shared, it is written
// by excelize's StreamWriter (inline strings); shared, it has a
// shared-string table as Excel writes.
func benchLedger(tb testing.TB, n int, shared bool) string {
	tb.Helper()
	name := fmt.Sprintf("shequ-xlsxread-bench-%d.xlsx", n)
	if shared {
		name = fmt.Sprintf("shequ-xlsxread-bench-%d-sst.xlsx", n)
	}
	path := filepath.Join(os.TempDir(), name)
	v, _ := ledgers.LoadOrStore(name, new(ledgerFile))
	lf := v.(*ledgerFile)
	lf.once.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		tmp := path + ".tmp.xlsx"
		if n+1 <= excelize.TotalRows && !shared {
			lf.err = writeLedgerExcelize(tmp, n)
		} else {
			lf.err = writeLedgerRaw(tmp, n, shared)
		}
		if lf.err == nil {
			lf.err = os.Rename(tmp, path)
		}
	})
	if lf.err != nil {
		tb.Fatal(lf.err)
	}
	return path
}

var (
	surnames  = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givens    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然欣怡梓涵子轩思远佳琪雨桐")
	ethnics   = []string{"汉族", "汉族", "汉族", "汉族", "回族", "满族", "壮族", "蒙古族", "土家族", "苗族"}
	compounds = []string{"幸福里小区", "阳光花园", "锦绣家园", "翠湖苑", "金色港湾", "和平新村", "东方明珠城", "滨江一号"}
	relations = []string{"户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "租户"}
	category  = []string{"常住人口", "流动人口", "户籍人口", "境外人员"}
	tagsList  = []string{"", "党员", "低保", "独居老人", "残疾人", "退役军人", "党员;志愿者", "重点关注"}
	notesList = []string{"", "", "", "租住，合同至2025年底", "联系电话已核实", "外出务工 & 暂不在家", "需要上门走访 <优先>"}
)

// ledgerRow makes row i (1-based data row) of the benchmark ledger.
func ledgerRow(i int, r *rand.Rand) []any {
	name := string(surnames[r.IntN(len(surnames))]) + string(givens[r.IntN(len(givens))])
	if r.IntN(2) == 0 {
		name += string(givens[r.IntN(len(givens))])
	}
	sex := "男"
	if r.IntN(2) == 0 {
		sex = "女"
	}
	birth := time.Date(1930+r.IntN(90), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	id := fmt.Sprintf("%06d%s%03d%d", 110101+r.IntN(500000), birth.Format("20060102"), r.IntN(1000), r.IntN(10))
	phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
	return []any{
		i, name, sex, id, birth.Format("2006-01-02"), ethnics[r.IntN(len(ethnics))], phone,
		compounds[r.IntN(len(compounds))], fmt.Sprintf("%d栋", 1+r.IntN(30)), fmt.Sprintf("%d单元", 1+r.IntN(6)),
		strconv.Itoa((1+r.IntN(33))*100 + 1 + r.IntN(4)), relations[r.IntN(len(relations))],
		category[r.IntN(len(category))], tagsList[r.IntN(len(tagsList))], notesList[r.IntN(len(notesList))],
	}
}

var ledgerHeader = []any{"序号", "姓名", "性别", "身份证号", "出生日期", "民族", "联系电话", "小区", "楼栋", "单元", "房号", "与户主关系", "人员类别", "标签", "备注"}

func writeLedgerExcelize(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", ledgerHeader); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, ledgerRow(i, r)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeLedgerRaw writes the ledger's XML directly: with inline strings as
// StreamWriter does, for sizes beyond Excel's 1,048,576 rows that excelize
// refuses to write; or, with shared, through a shared-string table as
// Excel itself saves.
func writeLedgerRaw(path string, n int, shared bool) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	parts := map[string]string{
		"[Content_Types].xml":        ctypesXML,
		"_rels/.rels":                rootRelsXML,
		"xl/workbook.xml":            workbookXML,
		"xl/_rels/workbook.xml.rels": workbookRelsXML,
	}
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(body)); err != nil {
			return err
		}
	}
	zf, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(zf, 1<<20)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	r := rand.New(rand.NewPCG(1, 2))
	index := map[string]int{}
	var strs []string
	writeRow := func(row int, vals []any) {
		fmt.Fprintf(w, `<row r="%d">`, row)
		for c, v := range vals {
			ref := excelize.ColumnNumberToName
			col, _ := ref(c + 1)
			switch v := v.(type) {
			case int:
				fmt.Fprintf(w, `<c r="%s%d"><v>%d</v></c>`, col, row, v)
			case string:
				switch {
				case v == "":
				case shared:
					i, ok := index[v]
					if !ok {
						i = len(strs)
						index[v] = i
						strs = append(strs, v)
					}
					fmt.Fprintf(w, `<c r="%s%d" t="s"><v>%d</v></c>`, col, row, i)
				default:
					fmt.Fprintf(w, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, col, row, escapeXML(v))
				}
			}
		}
		w.WriteString(`</row>`)
	}
	writeRow(1, ledgerHeader)
	for i := 1; i <= n; i++ {
		writeRow(i+1, ledgerRow(i, r))
	}
	w.WriteString(`</sheetData></worksheet>`)
	if err := w.Flush(); err != nil {
		return err
	}
	if shared {
		zf, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(zf, 1<<20)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
		for _, s := range strs {
			fmt.Fprintf(w, `<si><t>%s</t></si>`, escapeXML(s))
		}
		w.WriteString(`</sst>`)
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}

func escapeXML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// sheetSize is the decompressed size of the ledger's sheet, for MB/s.
func sheetSize(tb testing.TB, path string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			return int64(f.UncompressedSize64)
		}
	}
	tb.Fatal("no sheet1.xml")
	return 0
}

func BenchmarkRows(b *testing.B)               { benchOurs(b, false) }
func BenchmarkExcelizeRows(b *testing.B)       { benchExcelize(b, false) }
func BenchmarkRowsShared(b *testing.B)         { benchOurs(b, true) }
func BenchmarkExcelizeRowsShared(b *testing.B) { benchExcelize(b, true) }

// benchOurs times Open plus Rows over the whole ledger.
func benchOurs(b *testing.B, shared bool) {
	n := benchRows(b)
	path := benchLedger(b, n, shared)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	for b.Loop() {
		book, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, cells := 0, 0
		err = book.Rows(context.Background(), "Sheet1", func(_ int, cs []Cell) error {
			rows++
			for _, c := range cs {
				if c.Type != Empty {
					cells++
				}
			}
			return nil
		})
		book.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rows != n+1 || cells < 13*n {
			b.Fatalf("read %d rows, %d cells", rows, cells)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n+1), "ns/row")
}

// benchExcelize times the same with excelize's row iterator.
func benchExcelize(b *testing.B, shared bool) {
	n := benchRows(b)
	if n+1 > excelize.TotalRows {
		b.Skipf("excelize stops at %d rows", excelize.TotalRows)
	}
	path := benchLedger(b, n, shared)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		it, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		rows, cells := 0, 0
		for it.Next() {
			cols, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			rows++
			for _, c := range cols {
				if c != "" {
					cells++
				}
			}
		}
		it.Close()
		f.Close()
		if rows != n+1 || cells < 13*n {
			b.Fatalf("read %d rows, %d cells", rows, cells)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n+1), "ns/row")
}

// TestBenchLedgerMatchesExcelize checks the benchmark data in its three
// forms, large enough (a few MB of XML) to take the read-ahead path.
func TestBenchLedgerMatchesExcelize(t *testing.T) {
	dir := t.TempDir()
	for i, w := range []func(string, int) error{
		writeLedgerExcelize,
		func(p string, n int) error { return writeLedgerRaw(p, n, false) },
		func(p string, n int) error { return writeLedgerRaw(p, n, true) },
	} {
		path := filepath.Join(dir, fmt.Sprintf("ledger%d.xlsx", i))
		if err := w(path, 5000); err != nil {
			t.Fatal(err)
		}
		if size := sheetSize(t, path); size < asyncMin {
			t.Fatalf("sheet of %d bytes is too small to be read ahead", size)
		}
		sameAsExcelize(t, path)
	}
}

// BenchmarkUnzip is the floor: decompressing the sheet part and nothing else.
func BenchmarkUnzip(b *testing.B) {
	n := benchRows(b)
	path := benchLedger(b, n, false)
	b.SetBytes(sheetSize(b, path))
	for b.Loop() {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		}
		zr.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n+1), "ns/row")
}
