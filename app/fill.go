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
	// One sheet is filled: the one asked for, else the first with a
	// header; the others are named, to be filled in a round of their own.
	var s *LedgerSheet
	var others []string
	for i := range opt.Sheets {
		sh := &opt.Sheets[i]
		switch {
		case !sh.Imported():
		case s == nil && (opt.Sheet == "" || sh.Name == opt.Sheet):
			s = sh
		default:
			others = append(others, sh.Name)
		}
	}
	if s == nil && opt.Sheet != "" {
		return nil, problem("sheet", "err.fill.sheet", map[string]any{"Sheet": opt.Sheet})
	}
	if s == nil {
		return nil, problem("file", "err.fill.no_header", nil)
	}
	res := &FillResult{Sheet: s.Name, Others: others}
	mapped := 0
	for i, h := range s.Headers {
		if i < len(s.Fields) && s.Fields[i] != FieldNone {
			mapped++
		} else if h != "" {
			res.Unmapped = append(res.Unmapped, h)
		}
	}
	if mapped == 0 {
		return nil, problem("mapping", "err.fill.nothing_mapped", nil)
	}
	q, err := a.residentQuery(ctx, actor, opt.Filter)
	if err != nil {
		return nil, err
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]model.Area{}
	for _, ar := range areas {
		byID[ar.ID] = ar
	}
	if err := verifyForm(ctx, path); err != nil {
		return nil, err
	}
	x, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxFormBytes, UnzipXMLSizeLimit: maxFormBytes})
	if err != nil {
		return nil, problem("file", "err.ledger.not_xlsx", map[string]any{"File": filepath.Base(path)})
	}
	defer x.Close()
	first := s.HeaderRow + 1
	// The form's own rows: blank ones drawn for filling, then a footer
	// (填表人, 审核人, 合计) that must stay under the rows written.
	rows, err := x.GetRows(s.Name)
	if err != nil {
		return nil, err
	}
	// A row under the header with values in two mapped columns is data
	// already there: filling would push it down unfilled. A department's
	// example row (例, 示例) is written over.
	footer := 0
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
			return nil, problem("file", "err.fill.has_rows", map[string]any{"Row": r, "Sheet": s.Name})
		}
		footer = r
		break
	}
	fields := make([]LedgerField, len(s.Headers))
	copy(fields, s.Fields)
	styles := make([]int, len(s.Headers))
	for c := range s.Headers {
		cell, _ := excelize.CoordinatesToCellName(c+1, first)
		if styles[c], err = x.GetCellStyle(s.Name, cell); err != nil {
			return nil, err
		}
	}
	if formerIncluded(q.Cohort) && !slices.Contains(fields, FieldStatus) && len(fields) > 0 {
		// Former residents asked for on a form that has no 状态: a column
		// of it after the form's own, so no one is taken for living here.
		last, _ := excelize.CoordinatesToCellName(len(fields), s.HeaderRow)
		head, _ := excelize.CoordinatesToCellName(len(fields)+1, s.HeaderRow)
		style, err := x.GetCellStyle(s.Name, last)
		if err == nil {
			err = x.SetCellStr(s.Name, head, "状态")
		}
		if err == nil && style != 0 {
			err = x.SetCellStyle(s.Name, head, head, style)
		}
		if err != nil {
			return nil, err
		}
		fields, styles = append(fields, FieldStatus), append(styles, styles[len(styles)-1])
		res.StatusAdded = true
	}
	// The rows drawn for filling are those in the first one's format; a
	// blank row after them, before the footer, stays between the two.
	drawn := 0
	if footer > 0 {
		for r := first; r < footer; r++ {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if st, _ := x.GetCellStyle(s.Name, cell); st != styles[0] && r > first {
				break
			}
			drawn++
		}
	}
	seq, total := 0, 0
	err = a.st.EachLedgerRow(ctx, q, func(n int) error {
		total = n
		if n == 0 {
			return problem("cohort", "err.fill.nobody", nil)
		}
		if first+n > maxSheetRows {
			return problem("cohort", "err.fill.too_many", map[string]any{"Count": n, "Max": maxSheetRows - first})
		}
		if footer > 0 && n > drawn {
			return x.InsertRows(s.Name, first+drawn, n-drawn)
		}
		return nil
	}, func(r *store.LedgerRow) error {
		seq++
		row := first + seq - 1
		for c, f := range fields {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			var err error
			if f != FieldNone {
				v, number := formValue(f, seq, r, byID, opt.Reveal)
				if number {
					err = x.SetCellInt(s.Name, cell, int64(v.(int)))
				} else {
					err = x.SetCellStr(s.Name, cell, v.(string))
				}
			} else if seq <= drawn || footer == 0 {
				err = x.SetCellStr(s.Name, cell, "") // an example row's cell
			}
			if err == nil && styles[c] != 0 { // every column in the form's format, filled or not
				err = x.SetCellStyle(s.Name, cell, cell, styles[c])
			}
			if err != nil {
				return err
			}
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
	if err := outfile.SaveBook(x, out); err != nil {
		return nil, fmt.Errorf("app: fill a form to %s: %w", filepath.Base(out), err)
	}
	return res, a.audit(ctx, actor.Account.Username, AuditFill, filepath.Base(out), map[string]any{"form": filepath.Base(path),
		"area": opt.Filter.AreaID, "compound": opt.Filter.CompoundID, "reveal": opt.Reveal, "reason": opt.Reason, "rows": res.Rows})
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
func formValue(f LedgerField, seq int, r *store.LedgerRow, areas map[int64]model.Area, reveal bool) (any, bool) {
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
		if age := Age(r.Birth); age >= 0 {
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
