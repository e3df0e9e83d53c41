package xlsxread

import (
	"bytes"
	"context"
	"fmt"
	"math"
)

// Merges scans the sheet for its merged ranges (<mergeCells><mergeCell
// ref="A3:A5"/>), which sit after the sheet data, so this decompresses the
// sheet part once without parsing rows: the data is skipped with a plain
// byte search for the <mergeCells> tag, and only what follows is tokenized.
// A ref naming a single cell gives a one-cell range; corners are put in
// order.
func (b *Book) Merges(ctx context.Context, sheet string) ([]Range, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh, rc, err := b.openSheet(sheet, true)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out, err := merges(ctx, newScanner(rc))
	if err != nil && err != ctx.Err() {
		return nil, fmt.Errorf("xlsxread: sheet %q, merged cells: %w", sh.Name, err)
	}
	return out, err
}

// mergeKeep is how many bytes before a search hit are kept across reads, so
// that a namespace prefix before "mergeCells" can be checked.
const mergeKeep = 64

func merges(ctx context.Context, s *scanner) ([]Range, error) {
	word := []byte("mergeCells")
	from := s.pos
	for reads := 1; ; reads++ {
		if reads%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b := s.buf[:s.end] // tagOpen may look back before pos
		lt := -1
		for lt < 0 {
			i := bytes.Index(b[from:], word)
			if i < 0 {
				break
			}
			i += from
			if i+len(word) >= len(b) && !s.eof {
				break // the byte after the word is needed: read more first
			}
			if k, ok := tagOpen(b, i, i+len(word)); ok {
				lt = k
			} else {
				from = i + 1
			}
		}
		if lt >= 0 {
			s.pos = lt
			break
		}
		// Keep a tail: the word may straddle two reads, and a prefix
		// check needs the bytes before it. Rescanning it is harmless.
		s.pos = s.end - min(s.end, mergeKeep+len(word))
		if !s.fill() {
			return nil, s.err // no merged cells
		}
		from = 0
	}
	var (
		out []Range
		tg  tag
	)
	for {
		ok, err := s.nextTag(&tg)
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		switch {
		case tg.kind == tagEnd && string(tg.name) == "mergeCells":
			return out, nil
		case string(tg.name) == "mergeCell" && tg.kind != tagEnd:
			ref, err := findAttr(tg.attrs, "ref")
			if err != nil {
				return nil, err
			}
			r, ok := parseRange(ref)
			if !ok {
				return nil, fmt.Errorf("invalid merged range %s", quote(ref))
			}
			out = append(out, r)
		}
	}
}

// tagOpen reports whether b[i:j] is the name of a start tag, possibly
// prefixed ("<mergeCells", "<x:mergeCells"), and returns the index of its
// '<'. In character data '<' is always escaped, so this cannot match text.
func tagOpen(b []byte, i, j int) (int, bool) {
	if j < len(b) && !isSpace(b[j]) && b[j] != '>' && b[j] != '/' {
		return 0, false
	}
	k := i - 1
	if k >= 0 && b[k] == ':' {
		for k--; k >= 0 && k >= i-mergeKeep; k-- {
			c := b[k]
			if c == '<' || isSpace(c) || c == '>' || c == '/' || c == '"' || c == '\'' {
				break
			}
		}
	}
	if k < 0 || b[k] != '<' {
		return 0, false
	}
	return k, true
}

// Dimension returns the sheet's <dimension ref="..."> as written (e.g.
// "A1:O1500001"), "" when absent. Only the start of the part is read: the
// element precedes the sheet data.
func (b *Book) Dimension(sheet string) (string, error) {
	sh, rc, err := b.openSheet(sheet, false)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	s := newScanner(rc)
	var tg tag
	for {
		ok, err := s.nextTag(&tg)
		if err != nil {
			return "", fmt.Errorf("xlsxread: sheet %q, dimension: %w", sh.Name, err)
		}
		if !ok || string(tg.name) == "sheetData" {
			return "", nil
		}
		if tg.kind != tagEnd && string(tg.name) == "dimension" {
			ref, err := findAttr(tg.attrs, "ref")
			if err != nil {
				return "", fmt.Errorf("xlsxread: sheet %q, dimension: %w", sh.Name, err)
			}
			return string(ref), nil
		}
	}
}

// findAttr returns the decoded value of the named attribute, nil if absent.
func findAttr(attrs []byte, want string) ([]byte, error) {
	for {
		name, val, rest, ok, err := nextAttr(attrs)
		if err != nil || !ok {
			return nil, err
		}
		if string(name) == want {
			return attrValue(nil, val)
		}
		attrs = rest
	}
}

// parseRange parses "A3:B5" or a single cell "C7".
func parseRange(ref []byte) (Range, bool) {
	first, last, two := bytes.Cut(ref, []byte(":"))
	if !two {
		last = first
	}
	r1, c1, ok1 := parseCellRef(first)
	r2, c2, ok2 := parseCellRef(last)
	if !ok1 || !ok2 {
		return Range{}, false
	}
	return Range{FirstRow: min(r1, r2), FirstCol: min(c1, c2), LastRow: max(r1, r2), LastCol: max(c1, c2)}, true
}

// parseCellRef returns the 1-based row and 0-based column of a reference.
func parseCellRef(ref []byte) (row, col int, ok bool) {
	if col, ok = parseColumn(ref); !ok {
		return 0, 0, false
	}
	i := bytes.IndexAny(ref, "0123456789")
	row, _ = parseUint(ref[i:], math.MaxInt32)
	return row, col, true
}
