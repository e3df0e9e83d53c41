package xlsxwrite

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// benchRows is the ledger size for the benchmarks: 100,000 rows unless
// SHEQU_XLSX_ROWS says otherwise.
func benchRows(b *testing.B) int {
	n := 100_000
	if s := os.Getenv("SHEQU_XLSX_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("SHEQU_XLSX_ROWS=%q", s)
		}
		n = v
	}
	return n
}

// benchPool is a set of realistic ledger rows, cycled through by both
// benchmarks so they write exactly the same values.
var benchPool = sync.OnceValue(func() [][]string {
	surnames := []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄"}
	given := []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军"}
	rel := []string{"户主", "配偶", "子女", "父母", "其他"}
	kind := []string{"户籍", "常住", "流动"}
	pool := make([][]string, 1024)
	for i := range pool {
		birth := time.Date(1940+i%70, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		note := ""
		if i%7 == 0 {
			note = "独居老人，每周走访"
		}
		pool[i] = []string{
			strconv.Itoa(i + 1),
			surnames[i%len(surnames)] + given[i%len(given)],
			[]string{"男", "女"}[i%2],
			fmt.Sprintf("110105%s%03d%d", birth.Format("20060102"), i%1000, i%10),
			birth.Format("2006-01-02"),
			"汉族",
			fmt.Sprintf("138%08d", i*7919%100000000),
			"德源小区",
			strconv.Itoa(1+i%30) + "栋",
			strconv.Itoa(1+i%4) + "单元",
			fmt.Sprintf("%d%02d", 1+i%18, 1+i%4),
			rel[i%len(rel)],
			kind[i%len(kind)],
			"",
			note,
		}
	}
	return pool
})

// writeBare is the yardstick: excelize's StreamWriter with the same 15
// string values per row and nothing else.
func writeBare(path string, n int) error {
	pool := benchPool()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := make([]interface{}, 15)
	for r := range n {
		for i, v := range pool[r%len(pool)] {
			row[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, r+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func writeOurs(path string, n int) error { return writeWith(ledgerCols(), path, n) }

// writeAllText writes every column as Text, so the only differences from
// writeBare left are the per-cell style attribute, the omitted empty cells
// and the sheet set-up.
func writeAllText(path string, n int) error {
	cols := ledgerCols()
	for i := range cols {
		cols[i].Kind = Text
	}
	return writeWith(cols, path, n)
}

func writeWith(cols []Column, path string, n int) error {
	pool := benchPool()
	w, err := Create(path, cols, Options{
		Sheet: "居民台账", Title: "德源社区 居民台账", Rows: n, Creator: "bench",
		Footer: "德源社区 · 导出：bench", Validation: true,
	})
	if err != nil {
		return err
	}
	for r := range n {
		if err := w.Row(pool[r%len(pool)]); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

func benchWrite(b *testing.B, write func(string, int) error) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	benchPool()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := write(path, n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}

func BenchmarkBareStreamWriter(b *testing.B) { benchWrite(b, writeBare) }

func BenchmarkWriter(b *testing.B) { benchWrite(b, writeOurs) }

// run measures one write: wall time, bytes allocated and peak live heap
// (sampled with runtime/metrics, which does not stop the world).
func run(b *testing.B, write func(string, int) error, path string, n int) (time.Duration, uint64, uint64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	if err := write(path, n); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	close(stop)
	<-done
	runtime.ReadMemStats(&after)
	return d, after.TotalAlloc - before.TotalAlloc, peak
}

// BenchmarkWriterVsBare alternates our writer and the bare StreamWriter in
// the same process so machine noise hits them alike, and reports ns/row of
// each, the time ratio (goal ≤ 1.1), allocated bytes per row and peak heap.
// "ledger" is the real 15-column ledger (序号 a number, 出生日期 a date);
// "allText" makes every column Text to isolate the cost of the styles.
func BenchmarkWriterVsBare(b *testing.B) {
	for _, v := range []struct {
		name  string
		write func(string, int) error
	}{{"ledger", writeOurs}, {"allText", writeAllText}} {
		b.Run(v.name, func(b *testing.B) { compare(b, v.write) })
	}
}

func compare(b *testing.B, ours func(string, int) error) {
	n := benchRows(b)
	dir := b.TempDir()
	benchPool()
	var tBare, tOurs time.Duration
	var aBare, aOurs, pBare, pOurs uint64
	b.ResetTimer()
	for b.Loop() {
		d, a, p := run(b, writeBare, filepath.Join(dir, "bare.xlsx"), n)
		tBare, aBare, pBare = tBare+d, aBare+a, max(pBare, p)
		d, a, p = run(b, ours, filepath.Join(dir, "ours.xlsx"), n)
		tOurs, aOurs, pOurs = tOurs+d, aOurs+a, max(pOurs, p)
	}
	rows := float64(b.N * n)
	b.ReportMetric(float64(tBare.Nanoseconds())/rows, "bare-ns/row")
	b.ReportMetric(float64(tOurs.Nanoseconds())/rows, "ours-ns/row")
	b.ReportMetric(float64(tOurs)/float64(tBare), "ratio")
	b.ReportMetric(float64(aBare)/rows, "bare-B/row")
	b.ReportMetric(float64(aOurs)/rows, "ours-B/row")
	b.ReportMetric(float64(pBare)/(1<<20), "bare-peakMB")
	b.ReportMetric(float64(pOurs)/(1<<20), "ours-peakMB")
}
