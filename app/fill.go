package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"shequ/app/model"
	"shequ/app/outfile"
	"shequ/store"
)

// 报表通: a department's form (any header, over one or more rows, with
// merged cells and its own column names) filled from the registry for a
// cohort or an area, keeping the form's formatting.

// LedgerForm is a department's form to fill.
const LedgerForm LedgerKind = "form"

// Fields a form may ask for beyond a ledger's.
const (
	FieldAge       LedgerField = "age"
	FieldGrid      LedgerField = "grid"
	FieldCommunity LedgerField = "community"
	FieldStreet    LedgerField = "street"
)

func init() {
	fields := []LedgerField{FieldSeq}
	for _, f := range LedgerFields {
		if f != FieldSeq {
			fields = append(fields, f)
		}
	}
	fields = append(fields, FieldAge, FieldStreet, FieldCommunity, FieldGrid)
	syn := synonymsOf(headerSynonyms, fields...)
	for f, names := range map[LedgerField][]string{
		FieldAge:       {"年龄", "周岁", "年龄（岁）", "实际年龄"},
		FieldGrid:      {"网格", "所属网格", "网格名称", "网格号"},
		FieldCommunity: {"社区", "所属社区", "社区名称", "社区（村）", "村（社区）", "所在社区"},
		FieldStreet:    {"街道", "所属街道", "街道（镇）", "镇（街道）", "乡镇（街道）"},
	} {
		for _, n := range names {
			syn[headerKey(n)] = f
		}
	}
	specs[LedgerForm] = &ledgerSpec{fields: fields, synonyms: syn, key: FieldName}
}

// AuditFill is a department's form filled from the registry.
const AuditFill = "fill"

// InspectForm finds a form's header (the merged cells over it read as
// their text) and maps its columns to registry fields by the importer's
// synonyms, or by the mapping saved for the same header last time.
func (a *App) InspectForm(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerForm)
}

// FillOptions are a fill's choices.
type FillOptions struct {
	Sheets   []LedgerSheet // as the mapping left them; nil: inspected afresh
	Sheet    string        // the sheet to fill; "": the first with a header
	Filter   ListFilter    // whom the form lists: an area, a cohort (those living here unless it says)
	Reveal   bool          // full ID numbers and phones (the account must be allowed to see them)
	Reason   string        // why they are revealed, for the audit
	Progress func(done, total int)
}

// FillResult is what a fill wrote.
type FillResult struct {
	Sheet    string
	Others   []string // the form's other sheets with a header, not filled
	Rows     int      // residents written, one per row
	Unmapped []string // the form's columns left empty, by their headers
	// StatusAdded: former residents were asked for and the form has no
	// 状态, so a column of it was added after the form's own.
	StatusAdded bool
}

// maxFormBytes bounds what a form inflates to: excelize holds a workbook
// in memory at many times its XML (and would spill larger parts, with
// their personal data, to the temporary folder). A department's form is a
// few hundred KiB.
const maxFormBytes = 32 << 20

// verifyForm reads the whole form with the project's reader before it goes
// to excelize, which neither bounds what it reads nor checks the zip's
// checksums: a damaged or hostile form is refused here.
func verifyForm(ctx context.Context, path string) error {
	book, err := openLedger(path)
	if err != nil {
		return err
	}
	defer book.Close()
	if book.Size() > maxFormBytes {
		return problem("file", "err.fill.too_large", map[string]any{"File": filepath.Base(path), "MiB": maxFormBytes >> 20})
	}
	return book.Verify(ctx)
}

// maxSheetRows is Excel's limit of rows in a sheet.
const maxSheetRows = 1_048_576

// FillForm writes a copy of the form at path to out with one row per
// resident of the filter under the header of its first sheet with a
// header, in the form's own cell formats: the blank rows the form drew
// are used first, and rows are inserted above whatever follows them (a
// 填表人 line). ID numbers and phones are masked unless revealed; it
// needs the export permission and is audited.
func (a *App) FillForm(ctx context.Context, actor *Actor, path, out string, opt FillOptions) (*FillResult, error) {
	if err := mayExport(actor, "form", out, opt.Reveal, opt.Reason); err != nil {
		return nil, err
	}
	if outfile.NotInput(out, path) != nil {
		return nil, problem("file", "err.fill.same_file", nil)
	}
	var err error
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectForm(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	s, others, err := sheetToFill(opt.Sheets, opt.Sheet)
	if err != nil {
		return nil, err
	}
	res := &FillResult{Sheet: s.Name, Others: others}
	if res.Unmapped, err = unmappedHeaders(s); err != nil {
		return nil, err
	}
	q, err := a.residentQuery(ctx, actor, opt.Filter)
	if err != nil {
		return nil, err
	}
	w := &formWriter{a: a, sheet: s.Name, first: s.HeaderRow + 1, reveal: opt.Reveal}
	if w.areas, err = a.areasByID(ctx); err != nil {
		return nil, err
	}
	if w.x, err = openForm(ctx, path); err != nil {
		return nil, err
	}
	defer w.x.Close()
	if err := w.layout(s); err != nil {
		return nil, err
	}
	if formerIncluded(q.Cohort) && !slices.Contains(w.fields, FieldStatus) && len(w.fields) > 0 {
		// Former residents asked for on a form that has no 状态: a column
		// of it after the form's own, so no one is taken for living here.
		if err := w.addStatus(s.HeaderRow); err != nil {
			return nil, err
		}
		res.StatusAdded = true
	}
	w.countDrawn()
	seq, total := 0, 0
	err = a.st.EachLedgerRow(ctx, q, func(n int) error {
		total = n
		return w.makeRoom(n)
	}, func(r *store.LedgerRow) error {
		seq++
		if err := w.writeRow(seq, r); err != nil {
			return err
		}
		if opt.Progress != nil && seq%500 == 0 {
			opt.Progress(seq, total)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	res.Rows = seq
	if err := outfile.SaveBook(w.x, out); err != nil {
		return nil, fmt.Errorf("app: fill a form to %s: %w", filepath.Base(out), err)
	}
	return res, a.audit(ctx, actor.Account.Username, AuditFill, filepath.Base(out), map[string]any{"form": filepath.Base(path),
		"area": opt.Filter.AreaID, "compound": opt.Filter.CompoundID, "reveal": opt.Reveal, "reason": opt.Reason, "rows": res.Rows})
}

// sheetToFill chooses the one sheet filled: the one asked for, else the
// first with a header; the others are named, to be filled in a round of
// their own.
func sheetToFill(sheets []LedgerSheet, name string) (s *LedgerSheet, others []string, err error) {
	for i := range sheets {
		sh := &sheets[i]
		switch {
		case !sh.Imported():
		case s == nil && (name == "" || sh.Name == name):
			s = sh
		default:
			others = append(others, sh.Name)
		}
	}
	if s == nil && name != "" {
		return nil, nil, problem("sheet", "err.fill.sheet", map[string]any{"Sheet": name})
	}
	if s == nil {
		return nil, nil, problem("file", "err.fill.no_header", nil)
	}
	return s, others, nil
}

// unmappedHeaders lists the form's columns left empty, by their headers;
// a form none of whose columns is mapped is refused.
func unmappedHeaders(s *LedgerSheet) (unmapped []string, err error) {
	mapped := 0
	for i, h := range s.Headers {
		if i < len(s.Fields) && s.Fields[i] != FieldNone {
			mapped++
		} else if h != "" {
			unmapped = append(unmapped, h)
		}
	}
	if mapped == 0 {
		return nil, problem("mapping", "err.fill.nothing_mapped", nil)
	}
	return unmapped, nil
}

// areasByID gives every area by its id, to name a resident's grid,
// community and street.
func (a *App) areasByID(ctx context.Context) (map[int64]model.Area, error) {
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	return byID, nil
}

// openForm opens the form in excelize once the project's reader has
// found it sound and small enough.
func openForm(ctx context.Context, path string) (*excelize.File, error) {
	if err := verifyForm(ctx, path); err != nil {
		return nil, err
	}
	x, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxFormBytes, UnzipXMLSizeLimit: maxFormBytes})
	if err != nil {
		return nil, problem("file", "err.ledger.not_xlsx", map[string]any{"File": filepath.Base(path)})
	}
	return x, nil
}

// formWriter writes residents into a form's sheet under its header.
type formWriter struct {
	a      *App
	x      *excelize.File
	sheet  string
	first  int           // the first row under the header
	fields []LedgerField // each column's field
	styles []int         // each column's format, as in the first row under the header
	footer int           // the form's row after those to fill, 0: none
	drawn  int           // the blank rows drawn for filling, before the footer
	areas  map[int64]model.Area
	reveal bool
}

// layout reads the form's footer and the format of its columns.
func (w *formWriter) layout(s *LedgerSheet) error {
	// The form's own rows: blank ones drawn for filling, then a footer
	// (填表人, 审核人, 合计) that must stay under the rows written.
	rows, err := w.x.GetRows(w.sheet)
	if err != nil {
		return err
	}
	if w.footer, err = formFooter(rows, s, w.first); err != nil {
		return err
	}
	w.fields = make([]LedgerField, len(s.Headers))
	copy(w.fields, s.Fields)
	w.styles = make([]int, len(s.Headers))
	for c := range s.Headers {
		cell, _ := excelize.CoordinatesToCellName(c+1, w.first)
		if w.styles[c], err = w.x.GetCellStyle(w.sheet, cell); err != nil {
			return err
		}
	}
	return nil
}

// formFooter finds the first row under the header that is not blank, 0
// when there is none. A row with values in two mapped columns is data
// already there: filling would push it down unfilled. A department's
// example row (例, 示例) is written over.
func formFooter(rows [][]string, s *LedgerSheet, first int) (int, error) {
	for r := first; r <= len(rows); r++ {
		cells := rows[r-1]
		text := strings.TrimSpace(strings.Join(cells, ""))
		if text == "" || isExampleRow(cells) {
			continue
		}
		filled := 0
		for c, f := range s.Fields {
			if f != FieldNone && f != FieldSeq && c < len(cells) && strings.TrimSpace(cells[c]) != "" {
				filled++
			}
		}
		if filled >= 2 {
			return 0, problem("file", "err.fill.has_rows", map[string]any{"Row": r, "Sheet": s.Name})
		}
		return r, nil
	}
	return 0, nil
}

// addStatus adds a 状态 column after the form's own, headed in the format
// of the last header cell.
func (w *formWriter) addStatus(headerRow int) error {
	last, _ := excelize.CoordinatesToCellName(len(w.fields), headerRow)
	head, _ := excelize.CoordinatesToCellName(len(w.fields)+1, headerRow)
	style, err := w.x.GetCellStyle(w.sheet, last)
	if err == nil {
		err = w.x.SetCellStr(w.sheet, head, "状态")
	}
	if err == nil && style != 0 {
		err = w.x.SetCellStyle(w.sheet, head, head, style)
	}
	if err != nil {
		return err
	}
	w.fields, w.styles = append(w.fields, FieldStatus), append(w.styles, w.styles[len(w.styles)-1])
	return nil
}

// countDrawn counts the rows drawn for filling: those in the first one's
// format; a blank row after them, before the footer, stays between the
// two.
func (w *formWriter) countDrawn() {
	if w.footer == 0 {
		return
	}
	for r := w.first; r < w.footer; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if st, _ := w.x.GetCellStyle(w.sheet, cell); st != w.styles[0] && r > w.first {
			break
		}
		w.drawn++
	}
}

// makeRoom refuses a fill of nobody or of more rows than a sheet holds,
// and inserts the rows the drawn ones lack above the footer.
func (w *formWriter) makeRoom(n int) error {
	if n == 0 {
		return problem("cohort", "err.fill.nobody", nil)
	}
	if w.first+n > maxSheetRows {
		return problem("cohort", "err.fill.too_many", map[string]any{"Count": n, "Max": maxSheetRows - w.first})
	}
	if w.footer > 0 && n > w.drawn {
		return w.x.InsertRows(w.sheet, w.first+w.drawn, n-w.drawn)
	}
	return nil
}

// writeRow writes the seq-th resident, every column in the form's
// format, filled or not.
func (w *formWriter) writeRow(seq int, r *store.LedgerRow) error {
	row := w.first + seq - 1
	for c, f := range w.fields {
		cell, _ := excelize.CoordinatesToCellName(c+1, row)
		var err error
		if f != FieldNone {
			v, number := formValue(w.a, f, seq, r, w.areas, w.reveal)
			if number {
				err = w.x.SetCellInt(w.sheet, cell, int64(v.(int)))
			} else {
				err = w.x.SetCellStr(w.sheet, cell, v.(string))
			}
		} else if seq <= w.drawn || w.footer == 0 {
			err = w.x.SetCellStr(w.sheet, cell, "") // an example row's cell
		}
		if err == nil && w.styles[c] != 0 {
			err = w.x.SetCellStyle(w.sheet, cell, cell, w.styles[c])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isExampleRow recognizes a form's example row: 例, 示例, 样例 in its
// first cell, or 示例 anywhere.
func isExampleRow(cells []string) bool {
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if strings.Contains(c, "示例") || i == 0 && (c == "例" || strings.HasPrefix(c, "例：") || strings.HasPrefix(c, "例:") || c == "样例") {
			return true
		}
	}
	return false
}

// formValue is what a form's column of field f holds for a resident: an
// int for a number (序号, 年龄), else text.
func formValue(a *App, f LedgerField, seq int, r *store.LedgerRow, areas map[int64]model.Area, reveal bool) (any, bool) {
	switch f {
	case FieldSeq:
		return seq, true
	case FieldName:
		return r.Name, false
	case FieldSex:
		return LedgerValue(FieldSex, string(r.Sex)), false
	case FieldIDNumber:
		if reveal {
			return r.IDNumber, false
		}
		return MaskIDNumber(r.IDNumber), false
	case FieldPhone:
		if reveal {
			return r.Phone, false
		}
		return MaskPhone(r.Phone), false
	case FieldBirth:
		return r.Birth, false
	case FieldAge:
		if age := a.Age(r.Birth); age >= 0 {
			return age, true
		}
		return "", false
	case FieldEthnicity:
		return r.Ethnicity, false
	case FieldCompound:
		return r.Address.Compound, false
	case FieldBuilding:
		return r.Address.Building, false
	case FieldUnit:
		return r.Address.Unit, false
	case FieldRoom:
		return r.Address.Room, false
	case FieldAddress:
		return FormatAddress(r.Address), false
	case FieldRelation, FieldKind, FieldStatus:
		code := map[LedgerField]string{FieldRelation: string(r.Relation), FieldKind: string(r.Kind), FieldStatus: string(r.Status)}[f]
		return LedgerValue(f, code), false
	case FieldTags:
		return r.Tags, false
	case FieldNotes:
		return r.Notes, false
	case FieldGrid, FieldCommunity, FieldStreet:
		ar := areas[r.GridID]
		for ar.ID != 0 && levelField[ar.Level] != f {
			ar = areas[ar.ParentID]
		}
		return ar.Name, false
	}
	return "", false
}

// formerIncluded tells whether a query's residents may include former
// ones (迁出, 死亡), who are then marked as such wherever listed.
func formerIncluded(c *model.Cohort) bool {
	return c != nil && slices.ContainsFunc(c.Statuses, func(st model.Status) bool { return !slices.Contains(model.Living, st) })
}

var levelField = map[model.AreaLevel]LedgerField{model.LevelGrid: FieldGrid, model.LevelCommunity: FieldCommunity, model.LevelStreet: FieldStreet}
