// Package xlsxread streams the cells of .xlsx workbooks quickly and in
// bounded memory.
//
// It exists because excelize's row iterator decodes sheet XML with
// encoding/xml, which takes ten times longer than the decompression itself
// on ledgers of a million rows. This package scans the decompressed bytes by
// hand (the decompression runs a few chunks ahead in its own goroutine) and
// hands out the same raw values as excelize's
// rows.Columns(excelize.Options{RawCellValue: true}):
//
//   - shared strings resolved; a rich-text item is the text of its <t>
//     followed by the texts of its runs, phonetic <rPh> runs left out;
//   - inline strings likewise; t="str", numbers, booleans, errors and t="d"
//     dates are the text of <v> exactly as written; a formula cell gives its
//     cached <v>;
//   - XML entities and CDATA decoded, whitespace kept as is, \r\n and a lone
//     \r in the XML read as \n (as every XML parser must; &#13; stays \r);
//   - Excel's _xHHHH_ escapes (_x000D_ for a carriage return, _x005F_ for a
//     literal underscore) decoded in shared and inline strings only, exactly
//     as excelize's bstrUnmarshal does, including its quirks: an escaped
//     surrogate half vanishes, and SaveAs does not escape a literal
//     "_x000D_" it writes into shared strings, so that reads back as \r.
//
// Where excelize is lenient with corrupt input this package is strict: a
// malformed, truncated or non-UTF-8 sheet, an unknown shared-string index
// (excelize gives "" or, for a non-numeric index, the first string) and a
// malformed cell reference are errors naming the sheet and row, where
// excelize mostly stops silently or drops the cell. Other differences:
// rows missing from the XML are not reported (excelize's iterator reports
// them as empty rows); rows past 1,048,576 are read (excelize stops with
// ErrMaxRows); two cells with the same column keep the later one (excelize
// shifts it to the end of the row); the shared-string part is found through
// the workbook's relationships (excelize assumes xl/sharedStrings.xml).
// Character data that is skipped rather than returned is not validated.
//
// Only the shared-string table is held in memory, as one byte arena plus
// offsets; sheets are streamed. A Book may be used by several goroutines at
// once.
package xlsxread

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// ErrNotXLSX reports a file that is not an .xlsx workbook: an old binary
// .xls, a CSV, an encrypted workbook, a renamed file, a zip without a
// workbook part. Callers test for it to tell the user to re-save as .xlsx.
var ErrNotXLSX = errors.New("xlsxread: not an .xlsx workbook")

// ErrDamaged reports a workbook whose zip does not hold together: a part
// whose bytes do not match its checksum or its recorded size (a file
// changed by hand, cut off, or damaged on a disk). What was read from it
// must not be used.
var ErrDamaged = errors.New("xlsxread: damaged workbook")

// ErrTooLarge reports a workbook beyond the bounds this package reads in:
// a cell longer than Excel's 32,767 characters, a shared-string table
// beyond maxSharedStrings or maxSharedBytes, a sheet of more than
// maxEmptyRows rows of nothing. Excel writes none of these; a zip bomb
// does, and is refused while it is read rather than after it is in memory.
var ErrTooLarge = errors.New("xlsxread: workbook too large")

// Bounds of what is read, see ErrTooLarge.
const (
	// maxCellChars is Excel's limit on a cell's text. While a cell is read
	// its UTF-8 is bounded by maxCellBytes (enough for any text within the
	// limit); its characters are counted when it is complete.
	maxCellChars = 32767
	maxCellBytes = 4 * maxCellChars
	// maxSharedStrings and maxSharedBytes bound the shared-string table:
	// a ledger of 1.5 million rows has about 7 million distinct strings in
	// 100 MiB. At the bounds the table takes 64 + 160 MiB, and up to 2.25
	// times the bytes while its arena grows.
	maxSharedStrings = 1 << 24
	maxSharedBytes   = 160 << 20
	// maxEmptyRows bounds the rows with no value in a sheet: Excel has at
	// most 1,048,576 rows in all.
	maxEmptyRows = 1 << 20
	// maxBookBytes bounds the inflated size of all parts together, as the
	// zip records it (the zip reader holds each part to its recorded
	// size). A ledger of 1.5 million rows inflates to about 500 MiB; 4 GiB
	// of anything is scanned in about 20 seconds, so a workbook that
	// inflates a thousand times is refused before it is read.
	maxBookBytes = 4 << 30
)

// ErrNoSheet reports a sheet name that the workbook does not have.
var ErrNoSheet = errors.New("xlsxread: no such sheet")

// Book is an open workbook. Its methods are safe for concurrent use.
type Book struct {
	closer   io.Closer
	parts    map[string]*zip.File // by lower-cased part name: OPC names are case-insensitive
	sheets   []Sheet
	date1904 bool
	sst      sharedStrings
	size     uint64 // all parts inflated, as the zip records them
}

// Sheet is one sheet of a workbook, as listed in workbook.xml.
type Sheet struct {
	Name   string
	Hidden bool // state="hidden" or "veryHidden"
	part   string
}

// CellType is the kind of value a cell holds, from its t attribute.
type CellType uint8

// Cell types. Excel keeps dates as numbers (styled as dates), so only the
// rare t="d" cells are Date.
const (
	Empty  CellType = iota // no value, or an empty string
	Number                 // t absent or t="n" (and unknown t values, as excelize does)
	String                 // t="s" (shared), t="inlineStr", t="str" (formula result string)
	Bool                   // t="b"
	Error                  // t="e"
	Date                   // t="d" (ISO 8601 text)
)

// Cell is one cell's raw value. A cell whose value is empty is Cell{}.
type Cell struct {
	Value string
	Type  CellType
}

// Range is a rectangle of cells: 1-based rows, 0-based columns, inclusive.
type Range struct{ FirstRow, FirstCol, LastRow, LastCol int }

// Open opens the workbook at path and reads its sheet list, its date system
// and its shared-string table. The sheets themselves are read later, on
// demand.
func Open(path string) (*Book, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotXLSX, path, err)
		}
		return nil, fmt.Errorf("xlsxread: %w", err)
	}
	b, err := newBook(&zr.Reader)
	if err != nil {
		zr.Close()
		return nil, err
	}
	b.closer = zr
	return b, nil
}

func newBook(zr *zip.Reader) (*Book, error) {
	b := &Book{parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.parts[partKey(f.Name)] = f
		if b.size += f.UncompressedSize64; b.size > maxBookBytes || b.size < f.UncompressedSize64 {
			return nil, fmt.Errorf("%w: it inflates to more than %d GiB", ErrTooLarge, maxBookBytes>>30)
		}
	}
	if err := b.load(); err != nil {
		return nil, err
	}
	return b, nil
}

// Close releases the file. Strings already handed out stay valid.
func (b *Book) Close() error {
	if b.closer == nil {
		return nil
	}
	return b.closer.Close()
}

// Verify reads every part of the workbook to its end: each sheet's rows
// within the bounds of ErrTooLarge, the other parts for their checksums
// (ErrDamaged). It is for callers that hand the file to a reader without
// these checks (excelize).
func (b *Book) Verify(ctx context.Context) error {
	sheets := map[string]bool{}
	for _, sh := range b.sheets {
		if b.part(sh.part) == nil {
			continue
		}
		sheets[partKey(sh.part)] = true
		if err := b.Rows(ctx, sh.Name, func(int, []Cell) error { return nil }); err != nil {
			return err
		}
	}
	for key, f := range b.parts {
		if sheets[key] || f.FileInfo().IsDir() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("xlsxread: %s: %w", f.Name, damaged(err))
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("xlsxread: %s: %w", f.Name, damaged(err))
		}
	}
	return nil
}

// Size is what the workbook's parts inflate to, together.
func (b *Book) Size() uint64 { return b.size }

// Sheets returns the workbook's sheets in workbook order.
func (b *Book) Sheets() []Sheet { return append([]Sheet(nil), b.sheets...) }

// Date1904 reports whether serial dates count from 1904 (old Mac workbooks)
// rather than 1900; the caller needs it to turn date numbers into dates.
func (b *Book) Date1904() bool { return b.date1904 }

// partKey normalises a part name for lookup: some writers use backslashes or
// a leading slash, and part names are case-insensitive.
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

func (b *Book) part(name string) *zip.File { return b.parts[partKey(name)] }

// Relationship types are matched by suffix because Strict OOXML files use
// purl.oclc.org URIs instead of schemas.openxmlformats.org ones.
const (
	relOfficeDocument = "/officeDocument"
	relSharedStrings  = "/sharedStrings"
)

type xmlRels struct {
	Rels []struct {
		ID         string `xml:"Id,attr"`
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	WorkbookPr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		// r:id; matched by local name so both Transitional and Strict
		// namespaces work (sheet has no other attribute named id).
		ID string `xml:"id,attr"`
	} `xml:"sheets>sheet"`
}

// maxMetaPart bounds the small XML parts decoded whole with encoding/xml,
// so a hostile zip cannot make Open allocate without limit.
const maxMetaPart = 64 << 20

func (b *Book) decodePart(name string, v any) (bool, error) {
	f := b.part(name)
	if f == nil {
		return false, nil
	}
	if f.UncompressedSize64 > maxMetaPart {
		return true, fmt.Errorf("%w: %s is over %d MiB", ErrTooLarge, name, maxMetaPart>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return true, fmt.Errorf("xlsxread: %s: %w", name, err)
	}
	defer rc.Close()
	// The zip reader stops a part at its recorded size, and checks the
	// CRC at the end, which the decoder does not reach: drain it.
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return true, fmt.Errorf("xlsxread: %s: %w", name, damaged(err))
	}
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return true, fmt.Errorf("xlsxread: %s: %w", name, damaged(err))
	}
	return true, nil
}

// resolve turns a relationship target into a part name, as excelize does:
// absolute targets start at the package root, others are relative to the
// source part's folder.
func resolve(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, target)), "/")
}

func (b *Book) load() error {
	wbPath := "xl/workbook.xml"
	var root xmlRels
	if ok, err := b.decodePart("_rels/.rels", &root); ok && err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, relOfficeDocument) && b.part(resolve("", r.Target)) != nil {
				wbPath = resolve("", r.Target)
				break
			}
		}
	}
	var wb xmlWorkbook
	ok, err := b.decodePart(wbPath, &wb)
	if !ok {
		return fmt.Errorf("%w: no %s", ErrNotXLSX, wbPath)
	}
	if err != nil {
		return err
	}
	// As encoding/xml reads excelize's bool field; anything else is false.
	b.date1904, _ = strconv.ParseBool(strings.TrimSpace(wb.WorkbookPr.Date1904))

	dir, base := path.Split(wbPath)
	var rels xmlRels
	if _, err := b.decodePart(dir+"_rels/"+base+".rels", &rels); err != nil {
		return err
	}
	targets := make(map[string]string, len(rels.Rels))
	sstPath := "xl/sharedStrings.xml"
	for _, r := range rels.Rels {
		if strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		targets[r.ID] = resolve(dir, r.Target)
		if strings.HasSuffix(r.Type, relSharedStrings) && b.part(resolve(dir, r.Target)) != nil {
			sstPath = resolve(dir, r.Target)
		}
	}
	for _, s := range wb.Sheets {
		b.sheets = append(b.sheets, Sheet{
			Name:   s.Name,
			Hidden: s.State == "hidden" || s.State == "veryHidden",
			part:   targets[s.ID],
		})
	}
	if f := b.part(sstPath); f != nil {
		if err := b.sst.load(f); err != nil {
			return fmt.Errorf("xlsxread: %s: %w", sstPath, err)
		}
	}
	return nil
}

// sheet finds a sheet by name: exactly first, then ignoring case as Excel
// and excelize do.
func (b *Book) sheet(name string) (*Sheet, error) {
	for i := range b.sheets {
		if b.sheets[i].Name == name {
			return &b.sheets[i], nil
		}
	}
	for i := range b.sheets {
		if strings.EqualFold(b.sheets[i].Name, name) {
			return &b.sheets[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoSheet, name)
}

// openSheet opens the decompressed stream of a sheet's part; ahead says
// whether to inflate ahead in another goroutine (for whole-part scans).
func (b *Book) openSheet(name string, ahead bool) (*Sheet, io.ReadCloser, error) {
	sh, err := b.sheet(name)
	if err != nil {
		return nil, nil, err
	}
	f := b.part(sh.part)
	if f == nil {
		return nil, nil, fmt.Errorf("xlsxread: sheet %q: part %q missing", sh.Name, sh.part)
	}
	open := openPart
	if !ahead {
		open = (*zip.File).Open
	}
	rc, err := open(f)
	if err != nil {
		return nil, nil, fmt.Errorf("xlsxread: sheet %q: %w", sh.Name, err)
	}
	return sh, rc, nil
}
