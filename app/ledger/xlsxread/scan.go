package xlsxread

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The scanner is a minimal pull tokenizer over a byte stream. It knows just
// enough XML for spreadsheet parts: start, end and self-closing tags with
// quoted attributes, character data with entities, CDATA sections, comments
// and processing instructions. Namespace prefixes are dropped, as excelize
// matches elements by local name only. Unlike encoding/xml it allocates
// nothing per token: tags are returned as slices of its buffer, valid until
// the next call.

const (
	scanBufSize = 256 << 10
	// lookahead is how many bytes a tag parse asks for up front, so that
	// nearly every tag is complete in the buffer at the first attempt.
	lookahead = 512
	// maxToken bounds a single tag (the buffer grows to hold one), so a
	// corrupt part cannot make the scanner buffer without limit.
	maxToken = 16 << 20
	// maxEntity bounds an entity reference such as &#x1F600; (leading zeros
	// are legal, hence the slack).
	maxEntity = 40
)

var (
	errEOF         = errors.New("unexpected end of part")
	errSyntax      = errors.New("malformed XML")
	errTokenLong   = errors.New("XML tag too long")
	errControlChar = errors.New("control character in text")
)

type tagKind uint8

const (
	tagStart tagKind = iota + 1
	tagEnd
	tagEmpty // self-closing <x/>
)

type tag struct {
	kind  tagKind
	name  []byte // local name, prefix dropped
	attrs []byte // raw attribute text of start and empty tags
}

type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int // unread bytes are buf[pos:end]
	eof      bool
	err      error // read error other than io.EOF
	// names and marks are the stack of open elements in skipElement.
	names []byte
	marks []int
	// budget is how many more bytes of text readText may append: the
	// reader of a cell or a string item sets it to maxCellBytes, so one
	// cell of a zip bomb is refused at that size instead of read whole.
	budget int
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, scanBufSize), budget: maxCellBytes}
}

// errCellTooLong is a cell (or string item) beyond Excel's limit.
var errCellTooLong = fmt.Errorf("%w: a cell holds more than Excel's 32,767 characters", ErrTooLarge)

// spend takes n bytes of text from the budget.
func (s *scanner) spend(n int) error {
	if s.budget -= n; s.budget < 0 {
		return errCellTooLong
	}
	return nil
}

// checkCell checks a complete cell's text against Excel's limit in
// characters (the byte budget lets through up to 4 bytes a character).
func checkCell(text []byte) error {
	if len(text) > maxCellChars && utf8.RuneCount(text) > maxCellChars {
		return errCellTooLong
	}
	return nil
}

// drain reads the rest of the part, so that the zip reader, which checks a
// part's size and CRC only at its end, says whether the part is damaged.
func (s *scanner) drain() error {
	for {
		s.pos = s.end
		if !s.fill() {
			return s.err
		}
	}
}

// damaged marks the errors of a zip part whose bytes do not hold
// together as ErrDamaged.
func damaged(err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &corrupt) {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return err
}

// fill moves the unread bytes to the front of the buffer and reads more,
// growing the buffer when a single token fills it. It reports whether new
// bytes arrived. Slices of the buffer taken before are invalid afterwards.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxToken {
			s.err, s.eof = errTokenLong, true
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 { // io.Reader may return 0, nil; don't spin forever
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = damaged(err)
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err, s.eof = io.ErrNoProgress, true
	return false
}

// ensure tries to have at least n unread bytes.
func (s *scanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// eofErr is the error for a part that ends where more was required.
func (s *scanner) eofErr() error {
	if s.err != nil {
		return s.err
	}
	return errEOF
}

// nextTag skips character data, comments, CDATA and processing instructions
// and parses the next tag. At the clean end of the input it returns false
// and a nil error (or the read error).
func (s *scanner) nextTag(t *tag) (bool, error) {
	for {
		if s.pos < s.end && s.buf[s.pos] == '<' { // tags usually follow each other
			isTag, err := s.markup(t)
			if err != nil || isTag {
				return isTag, err
			}
			continue
		}
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			s.pos = s.end
			if !s.fill() {
				return false, s.err
			}
			continue
		}
		s.pos += i
		isTag, err := s.markup(t)
		if err != nil || isTag {
			return isTag, err
		}
	}
}

// markup consumes the markup starting at buf[pos] == '<'. For a tag it fills
// t and returns true; comments, PIs, CDATA and declarations are skipped.
func (s *scanner) markup(t *tag) (bool, error) {
	if s.end-s.pos < lookahead {
		s.ensure(lookahead)
	}
	for {
		b := s.buf[s.pos:s.end]
		if len(b) < 2 {
			if s.fill() {
				continue
			}
			return false, s.eofErr()
		}
		switch b[1] {
		case '!':
			if len(b) < 9 && s.fill() {
				continue
			}
			switch {
			case bytes.HasPrefix(b, []byte("<!--")):
				return false, s.skipPast("-->", 4)
			case bytes.HasPrefix(b, []byte("<![CDATA[")):
				return false, s.skipPast("]]>", 9)
			default: // <!DOCTYPE ...>: no internal subsets in OOXML
				return false, s.skipPast(">", 2)
			}
		case '?':
			return false, s.skipPast("?>", 2)
		case '/':
			if ok, err := s.endTag(b, t); ok || err != nil {
				return ok, err
			}
		default:
			if ok, err := s.startTag(b, t); ok || err != nil {
				return ok, err
			}
		}
		// The tag runs past the buffer.
		if s.fill() {
			continue
		}
		return false, s.eofErr()
	}
}

// endTag parses the end tag at b[0] into t and consumes it. It returns
// false and no error when b ends first.
func (s *scanner) endTag(b []byte, t *tag) (bool, error) {
	n, colon := 2, 1
	for n < len(b) && !nameStop[b[n]] {
		if b[n] == ':' {
			colon = n
		}
		n++
	}
	k := n
	for k < len(b) && isSpace(b[k]) {
		k++
	}
	if k == len(b) {
		return false, nil
	}
	if b[k] != '>' || !validName(b[2:n]) {
		return false, errSyntax
	}
	t.kind, t.name, t.attrs = tagEnd, b[colon+1:n], nil
	s.pos += k + 1
	return true, nil
}

// startTag parses the start or empty tag at b[0] into t and consumes it.
// It returns false and no error when b ends first.
func (s *scanner) startTag(b []byte, t *tag) (bool, error) {
	n, colon := 1, 0
	for n < len(b) && !nameStop[b[n]] {
		if b[n] == ':' {
			colon = n
		}
		n++
	}
	k := startTagEnd(b, n)
	if k == -1 {
		return false, nil
	}
	if k < 0 || !validName(b[1:n]) {
		return false, errSyntax
	}
	t.kind = tagStart
	if b[k-1] == '/' {
		t.kind = tagEmpty
		if k-1 < n { // <c/>: the name ran up to the slash
			n = k - 1
		}
	}
	t.name = b[colon+1 : n]
	if t.kind == tagEmpty {
		t.attrs = b[n : k-1]
	} else {
		t.attrs = b[n:k]
	}
	s.pos += k + 1
	return true, nil
}

// nameStop marks the bytes that end a tag name.
var nameStop = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n/>") {
		t[c] = true
	}
	return t
}()

// startTagEnd returns the index of the '>' closing the start tag at b[0]
// (searching from b[from]),
// skipping quoted attribute values (which may hold '>'); -1 if the buffer
// ends first, -2 if a '<' shows the tag is malformed.
func startTagEnd(b []byte, from int) int {
	var q byte
	for i := from; i < len(b); i++ {
		c := b[i]
		if q != 0 {
			if c == q {
				q = 0
			}
			continue
		}
		switch c {
		case '>':
			return i
		case '"', '\'':
			q = c
		case '<':
			return -2
		}
	}
	return -1
}

// skipPast consumes input up to and including end, the first skip bytes of
// the construct being already known.
func (s *scanner) skipPast(end string, skip int) error {
	s.pos += skip
	e := []byte(end)
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], e); i >= 0 {
			s.pos += i + len(e)
			return nil
		}
		if keep := len(e) - 1; s.end-s.pos > keep {
			s.pos = s.end - keep
		}
		if !s.fill() {
			return s.eofErr()
		}
	}
}

func isSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

func validName(n []byte) bool {
	if len(n) == 0 {
		return false
	}
	switch n[0] {
	case '"', '\'', '=', '<', '>', '/', '&':
		return false
	}
	return true
}

// nextAttr parses the first attribute of a, returning its local name, its
// raw (still escaped) value and the rest. ok is false when a holds no more
// attributes. The loops are written out: values are a few bytes long, too
// short for bytes.IndexByte to pay off.
func nextAttr(a []byte) (name, val, rest []byte, ok bool, err error) {
	i := 0
	for i < len(a) && isSpace(a[i]) {
		i++
	}
	if i == len(a) {
		return nil, nil, nil, false, nil
	}
	j, colon := i, -1
	for j < len(a) && a[j] != '=' && !isSpace(a[j]) {
		if a[j] == ':' {
			colon = j
		}
		j++
	}
	name = a[i:j]
	for j < len(a) && isSpace(a[j]) {
		j++
	}
	if j == len(a) || a[j] != '=' || len(name) == 0 {
		return nil, nil, nil, false, errSyntax
	}
	j++
	for j < len(a) && isSpace(a[j]) {
		j++
	}
	if j == len(a) || (a[j] != '"' && a[j] != '\'') {
		return nil, nil, nil, false, errSyntax
	}
	q := a[j]
	k := j + 1
	for k < len(a) && a[k] != q {
		k++
	}
	if k == len(a) {
		return nil, nil, nil, false, errSyntax
	}
	val, rest = a[j+1:k], a[k+1:]
	switch {
	case len(name) >= 5 && string(name[:5]) == "xmlns" && (len(name) == 5 || name[5] == ':'):
		// xmlns:r="..." declares a prefix; it is not an attribute named r.
		name = nil
	case colon >= 0:
		name = name[colon-i+1:]
	}
	return name, val, rest, true, nil
}

// attrValue decodes an attribute value into dst when it holds entities;
// otherwise it returns the raw value unchanged (no copy).
func attrValue(dst, raw []byte) ([]byte, error) {
	amp := false
	for _, c := range raw {
		if c == '&' {
			amp = true
			break
		}
	}
	if !amp {
		return raw, nil
	}
	dst = dst[:0]
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 {
			return nil, errSyntax
		}
		var err error
		if dst, err = appendEntity(dst, raw[1:j]); err != nil {
			return nil, err
		}
		raw = raw[j+1:]
	}
	return dst, nil
}

// appendEntity appends the character named by an entity reference (the
// text between & and ;). Like encoding/xml in strict mode it knows the five
// predefined entities and &#N; / &#xH; (lower-case x only), turns a
// surrogate code point into U+FFFD and rejects characters XML forbids.
func appendEntity(dst, name []byte) ([]byte, error) {
	switch string(name) {
	case "amp":
		return append(dst, '&'), nil
	case "lt":
		return append(dst, '<'), nil
	case "gt":
		return append(dst, '>'), nil
	case "quot":
		return append(dst, '"'), nil
	case "apos":
		return append(dst, '\''), nil
	}
	if len(name) < 2 || name[0] != '#' {
		return nil, errEntity
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return nil, errEntity
	}
	var n uint64
	for _, c := range digits {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return nil, errEntity
		}
		n = n*uint64(base) + uint64(d)
		if n > unicode.MaxRune {
			return nil, errEntity
		}
	}
	r := rune(n)
	if 0xD800 <= r && r <= 0xDFFF {
		r = unicode.ReplacementChar // what string(rune(n)) gives in encoding/xml
	} else if !xmlChar(r) {
		return nil, errEntity
	}
	return appendRune(dst, r), nil
}

var errEntity = errors.New("invalid character entity")

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func appendRune(dst []byte, r rune) []byte {
	if r < 0x80 {
		return append(dst, byte(r))
	}
	return append(dst, string(r)...)
}

// textStop marks the bytes that end the fast copy loop of readText.
var textStop = func() (t [256]bool) {
	t['<'], t['&'], t['\r'] = true, true, true
	for c := 0; c < 0x20; c++ {
		if c != '\t' && c != '\n' && c != '\r' {
			t[c] = true
		}
	}
	return t
}()

// readText appends the character data at the current position to dst,
// decoding entities and CDATA and folding \r\n and \r into \n as
// encoding/xml does. Comments and processing instructions inside the text
// are skipped. It stops before the next tag, or at the end of input (the
// caller decides whether that is an error).
func (s *scanner) readText(dst []byte) ([]byte, error) {
	lastCR := false // the previous raw byte was \r, already written as \n
	for {
		if s.pos == s.end && !s.fill() {
			return dst, s.err
		}
		b := s.buf[s.pos:s.end]
		if lastCR {
			lastCR = false
			if b[0] == '\n' {
				s.pos++
				continue
			}
		}
		i := 0
		for i < len(b) && !textStop[b[i]] {
			i++
		}
		if err := s.spend(i); err != nil {
			return dst, err
		}
		dst = append(dst, b[:i]...)
		s.pos += i
		if i == len(b) {
			continue
		}
		switch c := b[i]; c {
		case '<':
			if s.end-s.pos < 9 && !s.eof {
				s.fill()
				continue
			}
			m := s.buf[s.pos:s.end]
			if len(m) < 2 || (m[1] != '!' && m[1] != '?') {
				return dst, nil // a tag
			}
			switch {
			case bytes.HasPrefix(m, []byte("<![CDATA[")):
				var err error
				if dst, err = s.readCDATA(dst); err != nil {
					return dst, err
				}
			case bytes.HasPrefix(m, []byte("<!--")):
				if err := s.skipPast("-->", 4); err != nil {
					return dst, err
				}
			case bytes.HasPrefix(m, []byte("<?")):
				if err := s.skipPast("?>", 2); err != nil {
					return dst, err
				}
			default:
				return dst, nil
			}
		case '\r':
			dst = append(dst, '\n')
			s.pos++
			lastCR = true
			if err := s.spend(1); err != nil {
				return dst, err
			}
		case '&':
			m := s.buf[s.pos:s.end]
			j := bytes.IndexByte(m[:min(len(m), maxEntity)], ';')
			if j < 0 {
				if len(m) < maxEntity && s.fill() {
					continue
				}
				return dst, errEntity
			}
			n, err := len(dst), error(nil)
			if dst, err = appendEntity(dst, m[1:j]); err != nil {
				return dst, err
			}
			s.pos += j + 1
			if err := s.spend(len(dst) - n); err != nil {
				return dst, err
			}
		default:
			return dst, errControlChar
		}
	}
}

// readCDATA appends the content of the CDATA section at the current
// position, folding line ends like other text.
func (s *scanner) readCDATA(dst []byte) ([]byte, error) {
	s.pos += 9
	lastCR := false
	for {
		b := s.buf[s.pos:s.end]
		i := bytes.Index(b, []byte("]]>"))
		seg := b
		if i >= 0 {
			seg = b[:i]
		} else if len(b) > 2 {
			seg = b[:len(b)-2] // "]]" may continue in the next read
		} else {
			seg = nil
		}
		for _, c := range seg {
			switch {
			case c == '\r':
				dst = append(dst, '\n')
				lastCR = true
				continue
			case c == '\n' && lastCR:
			case c < 0x20 && c != '\t' && c != '\n':
				return dst, errControlChar
			default:
				dst = append(dst, c)
			}
			lastCR = false
		}
		s.pos += len(seg)
		if err := s.spend(len(seg)); err != nil {
			return dst, err
		}
		if i >= 0 {
			s.pos += 3
			return dst, nil
		}
		if !s.fill() {
			return dst, s.eofErr()
		}
	}
}

// skipElement consumes the rest of an element whose start tag is in t,
// including everything nested in it, checking that end tags match.
func (s *scanner) skipElement(t *tag) error {
	s.names, s.marks = append(s.names[:0], t.name...), append(s.marks[:0], 0)
	for len(s.marks) > 0 {
		ok, err := s.nextTag(t)
		if err != nil {
			return err
		}
		if !ok {
			return errEOF
		}
		switch t.kind {
		case tagStart:
			s.marks = append(s.marks, len(s.names))
			s.names = append(s.names, t.name...)
		case tagEnd:
			top := s.marks[len(s.marks)-1]
			if string(s.names[top:]) != string(t.name) {
				return mismatch(s.names[top:], t.name)
			}
			s.names, s.marks = s.names[:top], s.marks[:len(s.marks)-1]
		}
	}
	return nil
}

func mismatch(start, end []byte) error {
	return fmt.Errorf("%w: <%s> closed by </%s>", errSyntax, start, end)
}

// readElementText appends the character data directly inside the element
// <name> whose start tag was just read and consumes its end tag. Text of
// nested elements is left out, as encoding/xml does for a chardata field.
func (s *scanner) readElementText(dst []byte, t *tag, name string) ([]byte, error) {
	for {
		var err error
		if dst, err = s.readText(dst); err != nil {
			return dst, err
		}
		if s.pos == s.end {
			return dst, errEOF
		}
		isTag, err := s.markup(t)
		if err != nil {
			return dst, err
		}
		if !isTag {
			continue
		}
		switch t.kind {
		case tagEnd:
			if string(t.name) != name {
				return dst, mismatch([]byte(name), t.name)
			}
			return dst, nil
		case tagStart:
			if err := s.skipElement(t); err != nil {
				return dst, err
			}
		}
	}
}

// parseUint parses a decimal attribute such as a row number, rejecting
// anything else and values above limit.
func parseUint(b []byte, limit int) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= limit
}

// quote is for error messages.
func quote(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strconv.Quote(string(b))
}
