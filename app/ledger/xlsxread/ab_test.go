package xlsxread

import (
	"bytes"
	"context"
	"io"
	"testing"
)

func BenchmarkRowsSync(b *testing.B) {
	asyncMin = 1 << 62
	defer func() { asyncMin = asyncMinConst }()
	BenchmarkRows(b)
}

func BenchmarkParseOnly(b *testing.B) {
	path := benchLedger(b, benchRows(b))
	book, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	rc, _ := book.part("xl/worksheets/sheet1.xml").Open()
	data, _ := io.ReadAll(rc)
	rc.Close()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p := rowParser{s: newScanner(bytes.NewReader(data)), sst: &book.sst}
		if err := p.run(context.Background(), func(int, []Cell) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(benchRows(b)), "ns/row")
}
