// Package xlsxwrite streams a residents' ledger (台账) into an .xlsx workbook
// that is ready to be filtered on screen and printed for signatures.
//
// It is a thin layer over excelize's StreamWriter: every data row goes
// straight to the stream (no per-row allocation of its own beyond boxing the
// values, which SetRow needs anyway), so exports of 1.5 million rows cost
// about the same time and memory as bare StreamWriter.SetRow calls. Everything
// that makes the sheet usable — styles, widths, frozen header, autofilter,
// print setup, <dimension> — is prepared on the worksheet before its stream
// writer is created, because excelize's StreamWriter only serialises those
// worksheet fields (at NewStreamWriter, at the first SetRow and at Flush) and
// never lets them be changed afterwards.
//
// Formula injection: a Text value that begins with = + - @ TAB CR (or an
// apostrophe) is written with one apostrophe prepended ("'=SUM(A1)"), so
// neither Excel nor a later CSV re-save of the sheet ever evaluates it. An
// importer reading these files back must strip exactly one leading
// apostrophe from text cells that start with one. (excelize's Style has no
// quotePrefix option, and quotePrefix would not survive a CSV re-save anyway,
// so the value itself is changed.)
package xlsxwrite

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"shequ/app/outfile"
)

// Kind says how a column's values are written.
type Kind uint8

const (
	// Text is written as a string cell with the text number format "@" so
	// Excel never turns 18-digit ID numbers or phones into numbers, not even
	// when the cell is edited later.
	Text Kind = iota
	// Date takes "YYYY-MM-DD" and writes a real date (serial number) with the
	// number format yyyy-mm-dd; "" gives an empty cell; an unparseable value
	// (or one before 1900-01-01, which Excel cannot show) is written as text.
	Date
	// Number parses the value as an integer or float and writes a number; ""
	// gives an empty cell; an unparseable value is written as text, and so is
	// an integer of more than 15 digits, which Excel would silently round.
	Number
)

// Column describes one ledger column.
type Column struct {
	Header string
	// Width is the Excel column width in characters; 0 means automatic from
	// the header's display width (CJK counts 2), at least 6 (12 for dates so
	// they never show as ####).
	Width float64
	Kind  Kind
	// List, when set and Options.Validation is true, becomes a drop-down list
	// validation on this column's data cells. Items must not contain commas
	// (Excel's list separator), the first must not start with "=", and all
	// items together are limited to 255 characters.
	List []string
}

// Options configures a workbook.
type Options struct {
	// Sheet is the base sheet name, e.g. "居民台账"; further sheets are
	// "居民台账(2)", "居民台账(3)" …. It must not contain an apostrophe
	// because it is quoted inside defined names.
	Sheet string
	// Title is an optional title row above the header, merged across all
	// columns, bold and larger.
	Title string
	// Rows is the number of data rows that will be written, known in advance:
	// each sheet's <dimension> is written before its data, so it has to be.
	// Writing a different number makes Row (too many) or Close (too few)
	// fail and no file is produced.
	Rows int
	// Creator is the exporting account: workbook Creator and LastModifiedBy.
	Creator string
	// Created is the workbook's creation time; zero means now.
	Created time.Time
	// Subject (e.g. the filter used) goes into the Subject and Description
	// properties.
	Subject string
	// Footer is the left part of the printed footer; the centre always shows
	// "第 &P 页，共 &N 页". An "&" in it is printed literally.
	Footer string
	// BlankRows are ruled empty rows after the data, taller for
	// handwriting: a blank template prints as a form to fill by hand. They
	// must fit on the last sheet.
	BlankRows int
	// Validation adds Column.List drop-downs (for blank templates) to the
	// data rows from the first data row to row 1000 or the last written row,
	// whichever is more (capped at the sheet's row limit).
	Validation bool
	// MaxRows is the number of rows per sheet including title and header;
	// 0 means Excel's limit of 1,048,576.
	MaxRows int
}

// Writer streams one ledger workbook. It is not safe for concurrent use.
type Writer struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	cols []Column
	opt  Options

	path string        // final file, replaced only by a successful Close
	tmp  *outfile.File // the partial file, in the same directory so Close can rename it

	page     Page
	lastCol  string // column name of the last column, e.g. "O"
	headRows int    // title (optional) + header
	maxRows  int    // rows per sheet including headRows
	perSheet int    // data rows per sheet
	sheets   []string
	sheet    int // index into sheets of the sheet being streamed
	sheetRow int // last row number written on that sheet
	written  int // data rows written so far
	row      []interface{}
	cells    []excelize.Cell // row's cells, reused row after row
	st       Styles
	colText  int // column styles, unruled: what a cell typed below the table gets
	colDate  int
	ruleAll  int // conditional (dxf) style that rules the table's empty cells
	extras   []extraSheet
	err      error // sticky: once set, Close fails and removes the partial file
	done     bool
}

type extraSheet struct {
	name  string
	lines []string
}

const (
	excelMaxRows     = excelize.TotalRows // 1,048,576
	validationRows   = 1000               // template drop-downs reach at least this row
	maxSheetNameLen  = 31
	paperA4          = 9
	titleRowHeight   = 30
	blankRowHeight   = 24 // points: room for handwritten characters
	minAutoWidth     = 6
	minDateWidth     = 12
	maxFooterUTF16   = 255 // excelize.MaxFieldLength for header/footer strings
	maxExactInt      = 999_999_999_999_999
	sheetNameInvalid = ":\\/?*[]"
)

var errClosed = errors.New("xlsxwrite: writer already closed")

// Create prepares a workbook that will be saved at path (an .xlsx file) by
// Close. Nothing at path is touched before Close succeeds: rows are streamed
// to excelize's temporary files and the workbook to a temporary file next to
// path, which Close renames over path.
func Create(path string, cols []Column, opt Options) (*Writer, error) {
	w, err := newWriter(path, cols, opt)
	if err != nil {
		return nil, err
	}
	if err := w.start(); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// newWriter validates the arguments and plans the sheets.
func newWriter(path string, cols []Column, opt Options) (*Writer, error) {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return nil, fmt.Errorf("xlsxwrite: %q is not an .xlsx path", path)
	}
	if len(cols) == 0 || len(cols) > excelize.MaxColumns {
		return nil, fmt.Errorf("xlsxwrite: %d columns, want 1..%d", len(cols), excelize.MaxColumns)
	}
	if opt.Rows < 0 || opt.BlankRows < 0 {
		return nil, fmt.Errorf("xlsxwrite: Options.Rows %d or BlankRows %d is negative", opt.Rows, opt.BlankRows)
	}
	if err := checkSheetName(opt.Sheet); err != nil {
		return nil, err
	}
	// Defined names quote the sheet name and excelize's AutoFilter does not
	// double apostrophes, so keep them out altogether.
	if strings.Contains(opt.Sheet, "'") {
		return nil, fmt.Errorf("xlsxwrite: sheet name %q contains an apostrophe", opt.Sheet)
	}
	w := &Writer{
		cols:  append([]Column(nil), cols...),
		opt:   opt,
		path:  path,
		row:   make([]interface{}, len(cols)),
		cells: make([]excelize.Cell, len(cols)),
	}
	w.lastCol, _ = excelize.ColumnNumberToName(len(cols))
	w.headRows = 1
	if opt.Title != "" {
		w.headRows = 2
	}
	w.maxRows = opt.MaxRows
	if w.maxRows == 0 {
		w.maxRows = excelMaxRows
	}
	if w.maxRows <= w.headRows || w.maxRows > excelMaxRows {
		return nil, fmt.Errorf("xlsxwrite: Options.MaxRows %d, want %d..%d", opt.MaxRows, w.headRows+1, excelMaxRows)
	}
	w.perSheet = w.maxRows - w.headRows
	// The title row repeats on every page, so the page header stays empty.
	wide := 0.0
	for _, c := range cols {
		wide += colWidth(c)
	}
	w.page = Page{Portrait: wide <= PortraitWidth, HeadRows: w.headRows, Footer: opt.Footer}
	if opt.Title == "" {
		w.page.Title = opt.Sheet
	}
	if _, _, ok := w.page.headerFooter(); !ok {
		return nil, errLongFooter(opt.Footer)
	}
	n := 1
	if opt.Rows > 0 {
		n = (opt.Rows + w.perSheet - 1) / w.perSheet
	}
	w.sheets = make([]string, n)
	for i := range w.sheets {
		w.sheets[i] = opt.Sheet
		if i > 0 {
			w.sheets[i] = opt.Sheet + "(" + strconv.Itoa(i+1) + ")"
		}
	}
	if err := checkSheetName(w.sheets[n-1]); err != nil {
		return nil, err
	}
	if w.sheetDataRows(n-1)+opt.BlankRows > w.perSheet {
		return nil, fmt.Errorf("xlsxwrite: %d blank rows do not fit on the last sheet", opt.BlankRows)
	}
	if opt.Validation {
		for i, c := range cols {
			if len(c.List) == 0 {
				continue
			}
			// excelize would take the joined list for a range formula.
			if strings.HasPrefix(c.List[0], "=") {
				return nil, fmt.Errorf("xlsxwrite: column %d list starts with %q", i+1, c.List[0])
			}
			for _, item := range c.List {
				if strings.Contains(item, ",") {
					return nil, fmt.Errorf("xlsxwrite: column %d list item %q contains a comma", i+1, item)
				}
			}
		}
	}
	return w, nil
}

// start creates the partial file, the workbook, its styles and the first sheet.
func (w *Writer) start() error {
	tmp, err := outfile.Create(w.path)
	if err != nil {
		return err
	}
	w.tmp = tmp
	if w.f, err = NewBook(); err != nil {
		return err
	}
	if err := w.f.SetSheetName(w.f.GetSheetName(0), w.sheets[0]); err != nil {
		return err
	}
	if err := w.newStyles(); err != nil {
		return err
	}
	if err := w.setDocProps(); err != nil {
		return err
	}
	return w.openSheet(0)
}

func (w *Writer) newStyles() error {
	var err error
	if w.st, err = NewStyles(w.f); err != nil {
		return err
	}
	if w.colText, err = w.f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	if w.colDate, err = w.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return err
	}
	w.ruleAll, err = w.f.NewConditionalStyle(&excelize.Style{Border: rules})
	return err
}

func (w *Writer) setDocProps() error {
	created := w.opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	ts := created.UTC().Format("2006-01-02T15:04:05Z") // W3CDTF, as docProps/core.xml expects
	title := w.opt.Title
	if title == "" {
		title = w.opt.Sheet
	}
	return w.f.SetDocProps(&excelize.DocProperties{
		Creator:        w.opt.Creator,
		LastModifiedBy: w.opt.Creator,
		Created:        ts,
		Modified:       ts,
		Title:          title,
		Subject:        w.opt.Subject,
		Description:    w.opt.Subject,
	})
}

// sheetDataRows is how many data rows sheet i will hold, from Options.Rows.
func (w *Writer) sheetDataRows(i int) int {
	return min(w.perSheet, w.opt.Rows-i*w.perSheet)
}

// openSheet prepares sheet i and starts streaming it with title and header.
// The worksheet fields are set before NewStreamWriter because the stream
// writer serialises them from the same worksheet struct and offers no way to
// change them later (see excelize stream.go: bulkAppendFields).
func (w *Writer) openSheet(i int) error {
	f, name := w.f, w.sheets[i]
	if i > 0 {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	h := w.headRows
	lastRow := h + w.sheetDataRows(i)
	if i == len(w.sheets)-1 {
		lastRow += w.opt.BlankRows
	}
	last := w.lastCol + strconv.Itoa(lastRow)
	// Written at NewStreamWriter; without it readers that trust <dimension>
	// (openpyxl read-only) see a single cell.
	if err := f.SetSheetDimension(name, "A1:"+last); err != nil {
		return err
	}
	if err := f.AutoFilter(name, "A"+strconv.Itoa(h)+":"+last, nil); err != nil {
		return err
	}
	// After AutoFilter, which replaces sheetPr.
	if err := SetPage(f, name, w.page); err != nil {
		return err
	}
	// Written cells carry ruled styles; the empty ones are left out of
	// the stream (writing each would cost the export of a big ledger a
	// tenth of its time), so one rule that is always true rules the whole
	// table, and only the table, on screen and on paper.
	if lastRow > h {
		err := f.SetConditionalFormat(name, "A"+strconv.Itoa(h+1)+":"+last, []excelize.ConditionalFormatOptions{
			{Type: "formula", Criteria: "TRUE", Format: &w.ruleAll}})
		if err != nil {
			return err
		}
	}
	if w.opt.Validation {
		if err := w.addValidations(name, lastRow); err != nil {
			return err
		}
	}

	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	w.sw, w.sheet, w.sheetRow = sw, i, 0
	// Last column first: excelize puts each newly set column in front of the
	// existing <col> elements, and Excel wants them in ascending order.
	for c := len(w.cols) - 1; c >= 0; c-- {
		col := w.cols[c]
		if err := sw.SetColWidth(c+1, c+1, colWidth(col)); err != nil {
			return err
		}
		// A column style, not per-cell styles: StreamWriter copies it into
		// every written cell's s attribute for free, and cells typed into the
		// blank rows of a template get it too.
		style := 0
		switch col.Kind {
		case Text:
			style = w.colText
		case Date:
			style = w.colDate
		}
		if style != 0 {
			if err := sw.SetColStyle(c+1, c+1, style); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      h,
		TopLeftCell: "A" + strconv.Itoa(h+1),
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A" + strconv.Itoa(h+1), ActiveCell: "A" + strconv.Itoa(h+1), Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	if w.opt.Title != "" {
		err := sw.SetRow("A1", []interface{}{excelize.Cell{StyleID: w.st.Title, Value: w.opt.Title}},
			excelize.RowOpts{Height: titleRowHeight})
		if err != nil {
			return err
		}
		if len(w.cols) > 1 {
			if err := sw.MergeCell("A1", w.lastCol+"1"); err != nil {
				return err
			}
		}
	}
	head := make([]interface{}, len(w.cols))
	for c, col := range w.cols {
		head[c] = excelize.Cell{StyleID: w.st.Head, Value: col.Header}
	}
	if err := sw.SetRow("A"+strconv.Itoa(h), head); err != nil {
		return err
	}
	w.sheetRow = h
	return nil
}

func (w *Writer) addValidations(name string, lastRow int) error {
	first := w.headRows + 1
	last := min(max(validationRows, lastRow), w.maxRows)
	for c, col := range w.cols {
		if len(col.List) == 0 {
			continue
		}
		cn, _ := excelize.ColumnNumberToName(c + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cn + strconv.Itoa(first) + ":" + cn + strconv.Itoa(last)
		if err := dv.SetDropList(col.List); err != nil {
			return fmt.Errorf("xlsxwrite: column %q list: %w", col.Header, err)
		}
		// A warning, not a stop: a hand-filled template may need a value the
		// list does not have.
		dv.SetError(excelize.DataValidationErrorStyleWarning, col.Header, "请从下拉列表中选择")
		if err := w.f.AddDataValidation(name, dv); err != nil {
			return err
		}
	}
	return nil
}

// Row writes one data row; len(values) must equal the number of columns.
// Writing more rows than Options.Rows is an error (the sheets' dimensions
// are already written), and so is any error from excelize; either makes
// Close fail and remove the partial file.
func (w *Writer) Row(values []string) error {
	if w.done {
		return errClosed
	}
	if w.err != nil {
		return w.err
	}
	if len(values) != len(w.cols) {
		return fmt.Errorf("xlsxwrite: row has %d values, want %d", len(values), len(w.cols))
	}
	if w.written == w.opt.Rows {
		w.err = fmt.Errorf("xlsxwrite: more rows than Options.Rows (%d)", w.opt.Rows)
		return w.err
	}
	if w.sheetRow == w.maxRows {
		if err := w.sw.Flush(); err != nil {
			w.err = err
			return err
		}
		if err := w.openSheet(w.sheet + 1); err != nil {
			w.err = err
			return err
		}
	}
	for i, v := range values {
		c, ok := w.cell(w.cols[i].Kind, v)
		w.setCell(i, c, ok)
	}
	w.sheetRow++
	if err := w.sw.SetRow("A"+strconv.Itoa(w.sheetRow), w.row); err != nil {
		w.err = err
		return err
	}
	w.written++
	return nil
}

// cell converts one value for SetRow into a ruled cell: its style is
// the ruled one of its kind (one id per kind). An empty value is left out
// of the row (false) and ruled by the table's conditional format.
func (w *Writer) cell(k Kind, v string) (excelize.Cell, bool) {
	if v == "" {
		return excelize.Cell{}, false
	}
	switch k {
	case Date:
		if n, ok := excelDate(v); ok {
			return excelize.Cell{StyleID: w.st.Date, Value: n}, true
		}
	case Number:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n >= -maxExactInt && n <= maxExactInt {
				return excelize.Cell{StyleID: w.st.General, Value: n}, true
			}
		} else if plainFloat(v) {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				return excelize.Cell{StyleID: w.st.General, Value: x}, true
			}
		}
	}
	return w.textCell(v), true
}

// setCell puts cell i of the row: through w.cells, reused row after row,
// so boxing it allocates nothing; or nil, which leaves it out.
func (w *Writer) setCell(i int, c excelize.Cell, ok bool) {
	if !ok {
		w.row[i] = nil
		return
	}
	w.cells[i] = c
	w.row[i] = &w.cells[i]
}

// textCell is a ruled text cell, guarded against formula injection.
func (w *Writer) textCell(v string) excelize.Cell {
	if needsQuote(v) {
		v = "'" + v
	}
	return excelize.Cell{StyleID: w.st.Text, Value: v}
}

// needsQuote reports whether Excel (or a CSV re-save opened in Excel) could
// take v as a formula. A leading apostrophe is guarded too so that stripping
// one apostrophe on import always restores the original value.
func needsQuote(v string) bool {
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return true
	}
	return false
}

// plainFloat keeps ParseFloat to ordinary decimal notation: no "Inf", "NaN",
// hex floats or underscores.
func plainFloat(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

// excelDate parses "YYYY-MM-DD" into Excel's 1900-system serial number.
// Hand-rolled because time.Parse costs more than the whole cell write.
func excelDate(v string) (int, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(v[0:4])
	m, ok2 := digits(v[5:7])
	d, ok3 := digits(v[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	serial := daysFromCivil(y, m, d) + 25569 // 1970-01-01 is serial 25569
	if serial < 61 {
		// Excel counts the nonexistent 1900-02-29 (serial 60); dates before
		// it are one lower than the true day count.
		serial--
	}
	return serial, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns days since 1970-01-01 (proleptic Gregorian, y ≥ 0).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// Sheet adds a simple extra sheet (e.g. "填表说明" instructions) with one line
// of text per row in a wide column A. It may be called at any time before
// Close; the sheet is written at Close, after the data sheets, in call order,
// so it never interrupts the data sheets' streaming or their order. The text
// is trusted application text and is written as is (no apostrophe guard).
func (w *Writer) Sheet(name string, lines []string) error {
	if w.done {
		return errClosed
	}
	if err := checkSheetName(name); err != nil {
		return err
	}
	taken := append([]string(nil), w.sheets...)
	for _, e := range w.extras {
		taken = append(taken, e.name)
	}
	// Excel sheet names are case-insensitive.
	for _, t := range taken {
		if strings.EqualFold(t, name) {
			return fmt.Errorf("xlsxwrite: sheet %q already exists", name)
		}
	}
	w.extras = append(w.extras, extraSheet{name: name, lines: append([]string(nil), lines...)})
	return nil
}

func (w *Writer) writeExtras() error {
	if len(w.extras) == 0 {
		return nil
	}
	wrap, err := w.f.NewStyle(&excelize.Style{
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return err
	}
	for _, e := range w.extras {
		if _, err := w.f.NewSheet(e.name); err != nil {
			return err
		}
		if err := w.f.SetColWidth(e.name, "A", "A", 100); err != nil {
			return err
		}
		if err := w.f.SetColStyle(e.name, "A", wrap); err != nil {
			return err
		}
		if err := SetPage(w.f, e.name, Page{Portrait: true, Title: e.name, Footer: w.opt.Footer}); err != nil {
			return err
		}
		for i, line := range e.lines {
			if err := w.f.SetCellStr(e.name, "A"+strconv.Itoa(i+1), line); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeBlank writes Options.BlankRows ruled empty rows under the data,
// as cells with ruled styles: a form printed by any office is ruled.
func (w *Writer) writeBlank() error {
	for i, col := range w.cols {
		style := w.st.Text
		switch col.Kind {
		case Date:
			style = w.st.Date
		case Number:
			style = w.st.General
		}
		w.setCell(i, excelize.Cell{StyleID: style}, true)
	}
	for range w.opt.BlankRows {
		w.sheetRow++
		if err := w.sw.SetRow("A"+strconv.Itoa(w.sheetRow), w.row, excelize.RowOpts{Height: blankRowHeight}); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes the last sheet, writes the extra sheets and saves the
// workbook at the path given to Create. It fails if the number of rows
// written differs from Options.Rows; on any error the partial file is
// removed and an existing file at path is left as it was.
func (w *Writer) Close() error {
	if w.done {
		return errClosed
	}
	err := w.err
	if err == nil && w.written != w.opt.Rows {
		err = fmt.Errorf("xlsxwrite: %d rows written, Options.Rows is %d", w.written, w.opt.Rows)
	}
	if err == nil {
		err = w.save()
	}
	if err != nil {
		w.Abort()
		return err
	}
	w.done = true
	return nil
}

func (w *Writer) save() error {
	if err := w.writeBlank(); err != nil {
		return err
	}
	if err := w.sw.Flush(); err != nil {
		return err
	}
	if err := w.writeExtras(); err != nil {
		return err
	}
	w.f.SetActiveSheet(0)
	if _, err := w.f.WriteTo(w.tmp); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	return w.tmp.Commit()
}

// Abort discards the workbook: excelize's temporary files and the partial
// file are removed, and nothing is written at path. It is used on cancel and
// is a no-op after Close or a previous Abort.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.f != nil {
		_ = w.f.Close()
	}
	if w.tmp != nil {
		w.tmp.Abort()
	}
}

// colWidth is the Excel width for a column: Width if set, otherwise the
// header's display width plus padding.
func colWidth(c Column) float64 {
	if c.Width > 0 {
		return min(c.Width, excelize.MaxColumnWidth)
	}
	width := float64(displayWidth(c.Header) + 2)
	if c.Kind == Date {
		width = max(width, minDateWidth)
	}
	return min(max(width, minAutoWidth), excelize.MaxColumnWidth)
}

// displayWidth counts East Asian wide and fullwidth characters as 2, the
// way they occupy an Excel column.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

func wide(r rune) bool {
	return r >= 0x1100 && r <= 0x115F || // Hangul Jamo
		r >= 0x2E80 && r <= 0xA4CF && r != 0x303F || // CJK radicals … Yi, incl. punctuation and kana
		r >= 0xAC00 && r <= 0xD7A3 || // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF || // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F || // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60 || // fullwidth forms
		r >= 0xFFE0 && r <= 0xFFE6 ||
		r >= 0x20000 && r <= 0x3FFFD // CJK extension B and beyond
}

// checkSheetName applies Excel's sheet-name rules up front, so a bad name
// fails in Create/Sheet rather than halfway through an export.
func checkSheetName(name string) error {
	switch {
	case name == "":
		return errors.New("xlsxwrite: empty sheet name")
	case utf16Len(name) > maxSheetNameLen:
		return fmt.Errorf("xlsxwrite: sheet name %q is longer than %d characters", name, maxSheetNameLen)
	case strings.ContainsAny(name, sheetNameInvalid):
		return fmt.Errorf("xlsxwrite: sheet name %q contains one of %s", name, sheetNameInvalid)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("xlsxwrite: sheet name %q starts or ends with an apostrophe", name)
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF { // a surrogate pair
			n++
		}
	}
	return n
}
