package xlsxread

import (
	"archive/zip"
	"io"
	"sync"
)

// Decompression costs about as much as scanning, so large parts are
// inflated by a goroutine running a few chunks ahead of the scanner: on two
// or more cores the two overlap. Memory stays bounded by the chunks.
const (
	asyncChunk  = 256 << 10
	asyncChunks = 4
	// asyncMin is the part size below which a goroutine is not worth it.
	asyncMin = 1 << 20
)

type chunk struct {
	b   []byte
	n   int
	err error // after the chunk's bytes, the source ended with this
}

type asyncReader struct {
	src     io.ReadCloser
	full    chan *chunk
	free    chan *chunk
	done    chan struct{}
	wg      sync.WaitGroup
	cur     *chunk
	off     int
	err     error
	closing sync.Once
}

// openPart opens a part for streaming, inflating it ahead in another
// goroutine when it is large.
func openPart(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil || f.UncompressedSize64 < asyncMin {
		return rc, err
	}
	return newAsyncReader(rc), nil
}

// newAsyncReader starts reading src ahead; Close stops it and closes src.
func newAsyncReader(src io.ReadCloser) *asyncReader {
	a := &asyncReader{
		src:  src,
		full: make(chan *chunk, asyncChunks),
		free: make(chan *chunk, asyncChunks),
		done: make(chan struct{}),
	}
	for range asyncChunks {
		a.free <- &chunk{b: make([]byte, asyncChunk)}
	}
	a.wg.Add(1)
	go a.fill()
	return a
}

func (a *asyncReader) fill() {
	defer a.wg.Done()
	for {
		var c *chunk
		select {
		case c = <-a.free:
		case <-a.done:
			return
		}
		c.n, c.err = readFull(a.src, c.b)
		select {
		case a.full <- c:
		case <-a.done:
			return
		}
		if c.err != nil {
			return
		}
	}
}

// readFull fills b unless src ends or fails first, and returns src's own
// error: io.ReadFull would turn an early io.EOF into io.ErrUnexpectedEOF
// and so hide the zip reader's io.ErrUnexpectedEOF for a part cut short.
func readFull(src io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := src.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (a *asyncReader) Read(p []byte) (int, error) {
	for a.cur == nil || a.off == a.cur.n {
		if a.err != nil {
			return 0, a.err
		}
		if a.cur != nil {
			if a.cur.err != nil {
				a.err = a.cur.err
				continue
			}
			a.free <- a.cur // never blocks: the channel holds every chunk
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.b[a.off:a.cur.n])
	a.off += n
	return n, nil
}

// Close stops the goroutine and waits for it, so that the zip file is not
// read after the Book is closed.
func (a *asyncReader) Close() error {
	a.closing.Do(func() { close(a.done) })
	a.wg.Wait()
	return a.src.Close()
}
