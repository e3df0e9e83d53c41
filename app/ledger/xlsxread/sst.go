package xlsxread

import (
	"archive/zip"
	"bytes"
	"fmt"
	"unicode/utf8"
)

// sharedStrings is the workbook's shared-string table. A ledger of a million
// rows can have millions of distinct strings (ID and phone numbers), so they
// live in one arena indexed by offsets rather than as millions of strings:
// 4 bytes of overhead per string instead of 16 plus an allocation each.
type sharedStrings struct {
	arena []byte
	offs  []uint32 // string i is arena[offs[i]:offs[i+1]]
}

func (t *sharedStrings) count() int { return max(len(t.offs)-1, 0) }

func (t *sharedStrings) get(i int) []byte { return t.arena[t.offs[i]:t.offs[i+1]] }

func (t *sharedStrings) load(f *zip.File) error {
	rc, err := openPart(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	// The decoded text is never longer than the XML holding it; half is a
	// fair first guess that avoids most regrowth. The size comes from the
	// zip header, so it is bounded rather than trusted.
	t.arena = make([]byte, 0, min(f.UncompressedSize64/2, 16<<20))
	t.offs = append(t.offs[:0], 0)
	s := newScanner(rc)
	var (
		tg    tag
		si    siReader
		depth int
	)
loop:
	for {
		ok, err := s.nextTag(&tg)
		if err != nil {
			return fmt.Errorf("string %d: %w", t.count(), err)
		}
		if !ok {
			if depth > 0 {
				return fmt.Errorf("string %d: %w", t.count(), errEOF)
			}
			break
		}
		switch tg.kind {
		case tagStart:
			if depth == 0 {
				t.reserve(tg.attrs)
				depth++
				continue
			}
			if string(tg.name) != "si" {
				if err := s.skipElement(&tg); err != nil {
					return fmt.Errorf("string %d: %w", t.count(), err)
				}
				continue
			}
			start := len(t.arena)
			s.budget = maxCellBytes
			if t.arena, err = si.read(s, t.arena, "si"); err != nil {
				return fmt.Errorf("string %d: %w", t.count(), err)
			}
			if !utf8.Valid(t.arena[start:]) {
				return fmt.Errorf("string %d: invalid UTF-8", t.count())
			}
			if err := checkCell(t.arena[start:]); err != nil {
				return fmt.Errorf("string %d: %w", t.count(), err)
			}
			if len(t.arena) > maxSharedBytes {
				return errSharedBytes
			}
			if err := t.add(); err != nil {
				return err
			}
		case tagEmpty:
			if depth == 1 && string(tg.name) == "si" {
				if err := t.add(); err != nil {
					return err
				}
			}
		case tagEnd:
			if depth--; depth == 0 {
				break loop // </sst>
			}
		}
	}
	// The part's end is read for its checksum.
	if err := s.drain(); err != nil {
		return err
	}
	// The table is kept for the life of the Book: drop the slack.
	if cap(t.arena)-len(t.arena) > len(t.arena)/8 {
		t.arena = append([]byte(nil), t.arena...)
	}
	if cap(t.offs)-len(t.offs) > len(t.offs)/8 {
		t.offs = append([]uint32(nil), t.offs...)
	}
	return nil
}

var (
	errSharedCount = fmt.Errorf("%w: more than %d shared strings", ErrTooLarge, maxSharedStrings)
	errSharedBytes = fmt.Errorf("%w: shared strings over %d MiB", ErrTooLarge, maxSharedBytes>>20)
)

// add ends the string item just read into the arena.
func (t *sharedStrings) add() error {
	if t.count() >= maxSharedStrings {
		return errSharedCount
	}
	t.offs = append(t.offs, uint32(len(t.arena)))
	return nil
}

// reserve sizes the offsets from the root's uniqueCount, bounded so that a
// corrupt count cannot force a huge allocation.
func (t *sharedStrings) reserve(attrs []byte) {
	for {
		name, val, rest, ok, err := nextAttr(attrs)
		if !ok || err != nil {
			return
		}
		attrs = rest
		if string(name) == "uniqueCount" {
			if n, ok := parseUint(val, 1<<22); ok {
				t.offs = append(make([]uint32, 0, n+1), t.offs...)
			}
			return
		}
	}
}

// siReader decodes string items: <si> of shared strings and <is> of inline
// strings. It mirrors excelize's xlsxSI.String(): the text of the direct <t>
// (the last one if repeated), then the text of each rich-text run <r><t>;
// phonetic runs <rPh> and anything else are ignored; then _xHHHH_ escapes
// are decoded.
type siReader struct {
	runs []byte
	tg   tag
}

// read consumes the item <end> whose start tag was just read and appends
// its text to dst. The direct <t> is read straight into dst (it comes first in the
// result); runs are gathered aside and appended at the end.
func (x *siReader) read(s *scanner, dst []byte, end string) ([]byte, error) {
	start := len(dst)
	x.runs = x.runs[:0]
	for {
		ok, err := s.nextTag(&x.tg)
		if err != nil {
			return dst, err
		}
		if !ok {
			return dst, errEOF
		}
		switch x.tg.kind {
		case tagEnd:
			if string(x.tg.name) != end {
				return dst, mismatch([]byte(end), x.tg.name)
			}
			dst = append(dst, x.runs...)
			return dst[:start+len(bstrUnescape(dst[start:]))], nil
		case tagEmpty:
			if string(x.tg.name) == "t" {
				dst = dst[:start]
			}
		case tagStart:
			switch string(x.tg.name) {
			case "t":
				dst, err = s.readElementText(dst[:start], &x.tg, "t")
			case "r":
				x.runs, err = x.readRun(s, x.runs)
			default:
				err = s.skipElement(&x.tg)
			}
			if err != nil {
				return dst, err
			}
		}
	}
}

// readRun appends the text of a rich-text run (the last <t> of it).
func (x *siReader) readRun(s *scanner, dst []byte) ([]byte, error) {
	start := len(dst)
	for {
		ok, err := s.nextTag(&x.tg)
		if err != nil {
			return dst, err
		}
		if !ok {
			return dst, errEOF
		}
		switch x.tg.kind {
		case tagEnd:
			if string(x.tg.name) != "r" {
				return dst, mismatch([]byte("r"), x.tg.name)
			}
			return dst, nil
		case tagEmpty:
			if string(x.tg.name) == "t" {
				dst = dst[:start]
			}
		case tagStart:
			if string(x.tg.name) == "t" {
				dst, err = s.readElementText(dst[:start], &x.tg, "t")
			} else {
				err = s.skipElement(&x.tg)
			}
			if err != nil {
				return dst, err
			}
		}
	}
}

// bstrUnescape decodes, in place, the _xHHHH_ escapes that Excel uses for
// characters XML cannot carry (e.g. _x000D_ for a carriage return), exactly
// as excelize's bstrUnmarshal does for shared and inline strings: matches are
// taken left to right without overlap, so _x005F_x000D_ stays as the
// literal text _x000D_; an escaped surrogate half decodes to nothing.
func bstrUnescape(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] != '_' { // most strings have none: check cheaply
		i++
	}
	if i == len(b) {
		return b
	}
	i = bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	w := i
	for i < len(b) {
		if b[i] == '_' && i+7 <= len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if r, ok := hex4(b[i+2 : i+6]); ok {
				if !(0xD800 <= r && r <= 0xDFFF) {
					w += utf8.EncodeRune(b[w:], r) // at most 3 bytes, in place of 7
				}
				i += 7
				continue
			}
		}
		b[w] = b[i]
		w++
		i++
	}
	return b[:w]
}

func hex4(h []byte) (rune, bool) {
	var r rune
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
