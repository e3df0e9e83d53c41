package xlsxread

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"testing/iotest"
	"time"
)

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestAsyncReader(t *testing.T) {
	data := make([]byte, 3*asyncChunk+12345)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	for _, n := range []int{0, 1, asyncChunk - 1, asyncChunk, asyncChunk + 1, len(data)} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"plain": func(r io.Reader) io.Reader { return r },
			"half":  iotest.HalfReader,
			"byte":  iotest.OneByteReader,
		} {
			src := &closeCounter{Reader: wrap(bytes.NewReader(data[:n]))}
			a := newAsyncReader(src)
			got, err := io.ReadAll(iotest.HalfReader(a))
			if err != nil || !bytes.Equal(got, data[:n]) {
				t.Errorf("%s %d: read %d bytes, err %v", name, n, len(got), err)
			}
			if err := a.Close(); err != nil || src.closed != 1 {
				t.Errorf("%s %d: Close: %v, source closed %d times", name, n, err, src.closed)
			}
		}
	}

	boom := errors.New("boom")
	a := newAsyncReader(&closeCounter{Reader: io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(boom))})
	got, err := io.ReadAll(a)
	if !errors.Is(err, boom) || !bytes.Equal(got, data[:100]) {
		t.Errorf("error source: %d bytes, %v", len(got), err)
	}
	a.Close()
}

// TestAsyncReaderStopsEarly closes the reader long before the end of an
// endless source: the goroutine must stop, not leak.
func TestAsyncReaderStopsEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		a := newAsyncReader(&closeCounter{Reader: zeros{}})
		buf := make([]byte, 1000)
		if _, err := io.ReadFull(a, buf); err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines left, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestRowsStopsEarly stops reading a sheet large enough to be read ahead:
// Rows must return promptly and leave no goroutine behind.
func TestRowsStopsEarly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	if err := writeLedgerRaw(path, 5000, false); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	before := runtime.NumGoroutine()
	stop := errors.New("stop")
	for range 10 {
		err := b.Rows(context.Background(), "Sheet1", func(row int, _ []Cell) error {
			if row == 3 {
				return stop
			}
			return nil
		})
		if err != stop {
			t.Fatalf("err = %v", err)
		}
	}
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines left, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
