package xlsxread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

const (
	// maxColumns is Excel's column limit (XFD); excelize rejects cells
	// beyond it, and it bounds the cells slice of a corrupt row.
	maxColumns = 16384
	// ctxEvery is how many rows pass between cancellation checks.
	ctxEvery = 4096
	// maxRowText and maxRowCells bound the memory and time one row may
	// take (cells counted whether they hold a value or not); a real row is
	// far below, so only a corrupt or hostile file reaches them.
	maxRowText  = 64 << 20
	maxRowCells = 4 * maxColumns
)

var (
	errRowTooLarge = fmt.Errorf("%w: row too large", ErrTooLarge)
	errEmptyRows   = fmt.Errorf("%w: more than %d rows with nothing in them", ErrTooLarge, maxEmptyRows)
)

// valueKind is how a cell's value is found, from its t attribute.
type valueKind uint8

const (
	kindPlain  valueKind = iota // the text of <v> as is
	kindShared                  // <v> indexes the shared-string table
	kindInline                  // <is> string item, else <v>
)

// Rows streams the rows of a sheet in file order. fn gets the row number as
// Excel shows it (1-based; from the row's r attribute, or previous+1 when
// absent) and the row's cells indexed by 0-based column (column from the
// cell's r attribute, or previous+1 when absent); columns without a cell
// are Cell{}; the slice has no trailing Empty cells and is reused between
// calls (fn must copy what it keeps). Rows with no cells at all are still
// reported (empty slice) when they are present in the XML. Returning an
// error from fn stops and returns that error. ctx cancellation is checked
// regularly (every few thousand rows) and returns ctx.Err().
//
// The Value strings themselves are not reused and may be kept; the values
// of one row share one allocation, so a kept value holds its row's text.
// A cell whose raw value is empty (no <v>, an empty string) is Cell{}.
//
// The part is read to its end, so a damaged one (ErrDamaged) is known only
// then, after its rows were handed out: on any error the caller drops what
// it got. A workbook beyond the bounds of ErrTooLarge is refused as soon as
// a bound is passed.
func (b *Book) Rows(ctx context.Context, sheet string, fn func(row int, cells []Cell) error) error {
	return b.rows(ctx, sheet, false, fn)
}

// rows is Rows; slow turns the fast paths off, for tests that check them
// against the general path.
func (b *Book) rows(ctx context.Context, sheet string, slow bool, fn func(row int, cells []Cell) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sh, rc, err := b.openSheet(sheet, true)
	if err != nil {
		return err
	}
	defer rc.Close()
	p := rowParser{s: newScanner(rc), sst: &b.sst, slow: slow}
	if err = p.run(ctx, fn); err == nil {
		err = p.s.drain()
	}
	var fe fnError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return fe.err
	case errors.Is(err, ctx.Err()):
		return err
	}
	return fmt.Errorf("xlsxread: sheet %q, row %d: %w", sh.Name, p.row, err)
}

// fnError carries the callback's error out unchanged.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// pendingCell is a cell of the row being read; its value is
// rowBuf[start:end] until the row is complete.
type pendingCell struct {
	col        int
	typ        CellType
	start, end int
}

type rowParser struct {
	s       *scanner
	sst     *sharedStrings
	tg      tag
	row     int
	rowBuf  []byte // the decoded values of the current row, end to end
	pend    []pendingCell
	cells   []Cell
	scratch []byte
	is      siReader
	slow    bool // no fast paths (tests)
	empty   int  // rows so far with no value
	tags    int  // cell tags so far in the current row
}

func (p *rowParser) run(ctx context.Context, fn func(int, []Cell) error) error {
	s := p.s
	if s.ensure(2) && (bytes.HasPrefix(s.buf[s.pos:], []byte{0xFF, 0xFE}) || bytes.HasPrefix(s.buf[s.pos:], []byte{0xFE, 0xFF})) {
		return errors.New("UTF-16 sheets are not supported")
	}
	if rows, err := p.toSheetData(); !rows || err != nil {
		return err
	}
	for n := 1; ; n++ {
		ok, err := s.nextTag(&p.tg)
		if err != nil {
			return err
		}
		if !ok {
			return errEOF
		}
		switch {
		case p.tg.kind == tagEnd:
			if string(p.tg.name) == "sheetData" {
				return nil
			}
			return fmt.Errorf("%w: unexpected </%s>", errSyntax, p.tg.name)
		case string(p.tg.name) == "row":
			if err := p.emitRow(ctx, n, fn); err != nil {
				return err
			}
		case string(p.tg.name) == "c":
			return errors.New("cell outside a row")
		case p.tg.kind == tagStart:
			if err := s.skipElement(&p.tg); err != nil {
				return err
			}
		}
	}
}

// toSheetData skips what precedes <sheetData> and reports whether rows
// follow: a complete part without one (a chart sheet) simply has no rows;
// a truncated one is an error.
func (p *rowParser) toSheetData() (bool, error) {
	for depth := 0; ; {
		ok, err := p.s.nextTag(&p.tg)
		if err != nil {
			return false, err
		}
		if !ok {
			if depth > 0 {
				return false, errEOF
			}
			return false, nil
		}
		switch p.tg.kind {
		case tagStart:
			depth++
		case tagEnd:
			depth--
		}
		if string(p.tg.name) == "sheetData" && p.tg.kind != tagEnd {
			return p.tg.kind == tagStart, nil
		}
	}
}

// emitRow reads the row whose tag is in p.tg, the nth of the sheet, and
// hands it to fn.
func (p *rowParser) emitRow(ctx context.Context, n int, fn func(int, []Cell) error) error {
	if err := p.rowNumber(p.tg.attrs); err != nil {
		return err
	}
	p.rowBuf, p.pend = p.rowBuf[:0], p.pend[:0]
	if p.tg.kind == tagStart {
		if err := p.readRow(); err != nil {
			return err
		}
	}
	cells, err := p.finish()
	if err != nil {
		return err
	}
	if len(cells) == 0 {
		if p.empty++; p.empty > maxEmptyRows {
			return errEmptyRows
		}
	}
	if err := fn(p.row, cells); err != nil {
		return fnError{err}
	}
	if n%ctxEvery == 0 {
		return ctx.Err()
	}
	return nil
}

// rowNumber sets p.row from the row's r attribute, or to the next row.
func (p *rowParser) rowNumber(attrs []byte) error {
	p.row++
	for {
		name, val, rest, ok, err := nextAttr(attrs)
		if err != nil || !ok {
			return err
		}
		attrs = rest
		if string(name) != "r" {
			continue
		}
		if val, err = attrValue(nil, val); err != nil {
			return err
		}
		if len(val) == 0 { // excelize treats r="" as absent
			continue
		}
		n, ok := parseUint(val, math.MaxInt32)
		if !ok || n == 0 {
			return fmt.Errorf("invalid row number %s", quote(val))
		}
		p.row = n
	}
}

// readRow reads the cells of a row whose start tag was just read, up to and
// including </row>.
func (p *rowParser) readRow() error {
	col := -1
	p.tags = 0
	for {
		if len(p.rowBuf) > maxRowText || p.tags > maxRowCells {
			return errRowTooLarge
		}
		next, ok, err := p.fastCellTag(col)
		if err != nil {
			return err
		}
		if ok {
			col = next
			continue
		}
		ok, err = p.s.nextTag(&p.tg)
		if err != nil {
			return err
		}
		if !ok {
			return errEOF
		}
		switch {
		case p.tg.kind == tagEnd:
			if string(p.tg.name) == "row" {
				return nil
			}
			return fmt.Errorf("%w: unexpected </%s>", errSyntax, p.tg.name)
		case string(p.tg.name) == "c":
			if col, err = p.readCell(col); err != nil {
				return err
			}
		case p.tg.kind == tagStart:
			if err := p.s.skipElement(&p.tg); err != nil {
				return err
			}
		}
	}
}

// readCell reads the cell whose tag is in p.tg, prev being the column of
// the cell before it, and returns its column. A cell with a value is added
// to p.pend.
func (p *rowParser) readCell(prev int) (int, error) {
	p.tags++
	col, typ, kind, err := cellAttrs(prev, p.tg.attrs)
	if err != nil || p.tg.kind == tagEmpty {
		return col, err
	}
	return col, p.cellBody(col, typ, kind)
}

// fastCellTag reads a cell's start tag straight from the buffer in one pass
// when it is plain: <c> without prefix, attributes without prefixes or
// entities, all in the buffer. Otherwise it consumes nothing and reports
// false, and the general path takes over.
func (p *rowParser) fastCellTag(prev int) (int, bool, error) {
	s := p.s
	if s.end-s.pos < lookahead {
		s.ensure(lookahead)
	}
	if !p.slow { // whitespace between cells (pretty-printed XML) means nothing
		for s.pos < s.end && isSpace(s.buf[s.pos]) {
			s.pos++
		}
		if s.end-s.pos < lookahead {
			s.ensure(lookahead)
		}
	}
	b := s.buf[s.pos:s.end]
	if p.slow || len(b) < 4 || b[0] != '<' || b[1] != 'c' || !(isSpace(b[2]) || b[2] == '>' || b[2] == '/') {
		return 0, false, nil
	}
	col, typ, kind, end, err := plainCellAttrs(b, prev)
	if end < 0 || err != nil {
		return 0, false, err
	}
	s.pos += end
	p.tags++
	if b[end-2] == '/' { // <c .../>
		return col, true, nil
	}
	return col, true, p.cellBody(col, typ, kind)
}

// plainCellAttrs reads the attributes of the cell tag at b[0] ("<c"), prev
// being the column of the cell before it, and returns the index after the
// tag. A tag that is not plain (a prefix, an entity, a '<') or runs past
// the buffer has end -1.
func plainCellAttrs(b []byte, prev int) (col int, typ CellType, kind valueKind, end int, err error) {
	col, typ, kind = prev+1, Number, kindPlain
	i := 2
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i+1 >= len(b) {
			return 0, 0, 0, -1, nil
		}
		if b[i] == '>' {
			i++
			break
		}
		if b[i] == '/' {
			if b[i+1] != '>' {
				return 0, 0, 0, -1, nil
			}
			i += 2
			break
		}
		n := i
		for n < len(b) && b[n] != '=' {
			if !plainName[b[n]] {
				return 0, 0, 0, -1, nil
			}
			n++
		}
		if n == i || n+1 >= len(b) || (b[n+1] != '"' && b[n+1] != '\'') {
			return 0, 0, 0, -1, nil
		}
		q, k := b[n+1], n+2
		for k < len(b) && b[k] != q {
			if b[k] == '&' || b[k] == '<' {
				return 0, 0, 0, -1, nil
			}
			k++
		}
		if k == len(b) {
			return 0, 0, 0, -1, nil
		}
		switch val := b[n+2 : k]; string(b[i:n]) {
		case "r":
			if len(val) > 0 { // excelize treats r="" as absent
				c, ok := parseColumn(val)
				if !ok {
					return 0, 0, 0, -1, fmt.Errorf("invalid cell reference %s", quote(val))
				}
				col = c
			}
		case "t":
			typ, kind = cellType(val)
		}
		i = k + 1
	}
	if col >= maxColumns {
		return 0, 0, 0, -1, fmt.Errorf("column %d beyond Excel's limit", col+1)
	}
	return col, typ, kind, i, nil
}

// plainName marks the bytes of attribute names the fast path accepts.
var plainName = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
	}
	return t
}()

// cellAttrs interprets a cell's attributes: its column (prev+1 without r)
// and its type.
func cellAttrs(prev int, attrs []byte) (col int, typ CellType, kind valueKind, err error) {
	col, typ, kind = prev+1, Number, kindPlain
	for {
		name, val, rest, ok, err := nextAttr(attrs)
		if err != nil {
			return col, typ, kind, err
		}
		if !ok {
			break
		}
		attrs = rest
		switch string(name) {
		case "r":
			if val, err = attrValue(nil, val); err != nil {
				return col, typ, kind, err
			}
			if len(val) > 0 { // excelize treats r="" as absent
				c, ok := parseColumn(val)
				if !ok {
					return col, typ, kind, fmt.Errorf("invalid cell reference %s", quote(val))
				}
				col = c
			}
		case "t":
			if val, err = attrValue(nil, val); err != nil {
				return col, typ, kind, err
			}
			typ, kind = cellType(val)
		}
	}
	if col >= maxColumns {
		return col, typ, kind, fmt.Errorf("column %d beyond Excel's limit", col+1)
	}
	return col, typ, kind, nil
}

// cellBody reads the content of a cell whose start tag was just read, up to
// and including </c>, and adds the cell to p.pend if it has a value.
func (p *rowParser) cellBody(col int, typ CellType, kind valueKind) error {
	if ok, err := p.fastCell(col, typ, kind); ok || err != nil {
		return err
	}
	p.s.budget = maxCellBytes
	vStart, vEnd, isStart, isEnd := -1, -1, -1, -1
	p.scratch = p.scratch[:0]
	s := p.s
	for {
		ok, err := s.nextTag(&p.tg)
		if err != nil {
			return err
		}
		if !ok {
			return errEOF
		}
		if p.tg.kind == tagEnd {
			if string(p.tg.name) != "c" {
				return fmt.Errorf("%w: unexpected </%s>", errSyntax, p.tg.name)
			}
			break
		}
		// A repeated <v> or <is> replaces the earlier one, as in
		// encoding/xml; the earlier text stays unused in rowBuf.
		switch string(p.tg.name) {
		case "v":
			if kind == kindShared {
				p.scratch = p.scratch[:0]
				if p.tg.kind == tagStart {
					p.scratch, err = s.readElementText(p.scratch, &p.tg, "v")
				}
				vStart = 0
				break
			}
			vStart = len(p.rowBuf)
			if p.tg.kind == tagStart {
				p.rowBuf, err = s.readElementText(p.rowBuf, &p.tg, "v")
			}
			vEnd = len(p.rowBuf)
		case "is":
			if kind != kindInline {
				if p.tg.kind == tagStart {
					err = s.skipElement(&p.tg)
				}
				break
			}
			isStart = len(p.rowBuf)
			if p.tg.kind == tagStart {
				p.rowBuf, err = p.is.read(s, p.rowBuf, "is")
			}
			isEnd = len(p.rowBuf)
		default:
			if p.tg.kind == tagStart {
				err = s.skipElement(&p.tg)
			}
		}
		if err != nil {
			return err
		}
	}
	start, end := vStart, vEnd
	switch kind {
	case kindShared:
		if vStart < 0 || len(p.scratch) == 0 {
			return nil
		}
		// excelize: strconv.Atoi(strings.TrimSpace(v)).
		idx, ok := parseIndex(bytes.TrimSpace(p.scratch))
		if !ok || idx >= p.sst.count() {
			return fmt.Errorf("invalid shared string index %s", quote(p.scratch))
		}
		start = len(p.rowBuf)
		p.rowBuf = append(p.rowBuf, p.sst.get(idx)...)
		end = len(p.rowBuf)
	case kindInline:
		if isStart >= 0 {
			start, end = isStart, isEnd
		}
	}
	if end > start {
		if err := checkCell(p.rowBuf[start:end]); err != nil {
			return err
		}
		p.pend = append(p.pend, pendingCell{col: col, typ: typ, start: start, end: end})
	}
	return nil
}

// fastCell handles the shapes nearly every writer uses for the content of
// a cell, <v>text</v></c> and <is><t>text</t></is></c>, when the text needs
// no decoding. It consumes the input only when the whole shape is in the
// buffer, so on any surprise readCell's general path starts afresh.
func (p *rowParser) fastCell(col int, typ CellType, kind valueKind) (bool, error) {
	s := p.s
	b := s.buf[s.pos:s.end]
	open, end := "<v>", "</v></c>"
	if kind == kindInline {
		open, end = "<is><t>", "</t></is></c>"
	}
	if p.slow || len(b) < len(open) || string(b[:len(open)]) != open {
		return false, nil
	}
	i := len(open)
	for i < len(b) && !textStop[b[i]] && (b[i] != '_' || kind != kindInline) { // _xHHHH_ needs decoding
		i++
	}
	if len(b)-i < len(end) || string(b[i:i+len(end)]) != end {
		return false, nil
	}
	text := b[len(open):i]
	if len(text) > maxCellBytes {
		return true, errCellTooLong
	}
	if err := checkCell(text); err != nil {
		return true, err
	}
	s.pos += i + len(end)
	if len(text) == 0 {
		return true, nil
	}
	start := len(p.rowBuf)
	if kind == kindShared {
		idx, ok := parseIndex(bytes.TrimSpace(text))
		if !ok || idx >= p.sst.count() {
			return true, fmt.Errorf("invalid shared string index %s", quote(text))
		}
		text = p.sst.get(idx)
		if len(text) == 0 {
			return true, nil
		}
	}
	p.rowBuf = append(p.rowBuf, text...)
	p.pend = append(p.pend, pendingCell{col: col, typ: typ, start: start, end: len(p.rowBuf)})
	return true, nil
}

// finish turns the pending cells into the row's cells, with one string
// allocation for the whole row.
func (p *rowParser) finish() ([]Cell, error) {
	if len(p.pend) == 0 {
		return p.cells[:0], nil
	}
	if !utf8.Valid(p.rowBuf) {
		return nil, errors.New("invalid UTF-8")
	}
	text := string(p.rowBuf)
	n := 0
	for _, c := range p.pend {
		n = max(n, c.col+1)
	}
	if cap(p.cells) < n {
		p.cells = make([]Cell, n, max(n, 2*cap(p.cells)))
	}
	p.cells = p.cells[:n]
	clear(p.cells)
	for _, c := range p.pend {
		p.cells[c.col] = Cell{Value: text[c.start:c.end], Type: c.typ}
	}
	return p.cells, nil
}

// cellType maps a cell's t attribute as excelize's getValueFrom does; an
// unknown type reads like a number (the raw <v>).
func cellType(t []byte) (CellType, valueKind) {
	switch string(t) {
	case "s":
		return String, kindShared
	case "inlineStr":
		return String, kindInline
	case "str":
		return String, kindPlain
	case "b":
		return Bool, kindPlain
	case "e":
		return Error, kindPlain
	case "d":
		return Date, kindPlain
	}
	return Number, kindPlain
}

// parseColumn returns the 0-based column of a cell reference such as B7,
// $B$7 or b7, checked as excelize's CellNameToCoordinates does (letters,
// then a positive row number; the row itself is not used).
func parseColumn(ref []byte) (int, bool) {
	col, letters, i := 0, 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		if c == '$' {
			continue
		}
		u := c &^ 0x20
		if u < 'A' || u > 'Z' {
			break
		}
		col = col*26 + int(u-'A'+1)
		letters++
		if col > maxColumns {
			return 0, false
		}
	}
	if letters == 0 {
		return 0, false
	}
	if row, ok := parseUint(ref[i:], math.MaxInt32); !ok || row == 0 {
		return 0, false
	}
	return col - 1, true
}

// parseIndex parses a shared-string index like strconv.Atoi (an optional
// sign, decimal digits), rejecting negative numbers.
func parseIndex(b []byte) (int, bool) {
	if len(b) > 0 && b[0] == '+' {
		b = b[1:]
	} else if len(b) > 1 && b[0] == '-' && len(bytes.Trim(b[1:], "0")) == 0 {
		return 0, true // "-0"
	}
	return parseUint(b, math.MaxInt32)
}
