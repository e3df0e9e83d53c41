package app

import (
	"encoding/gob"
	"errors"
	"io"
	"strconv"

	"shequ/app/ledger/xlsxwrite"
	"shequ/app/outfile"
)

// reportHeader begins the problem sheet of an import report; the rows'
// own values follow under their ledger's headers.
var reportHeader = []string{"工作表", "行号", "字段", "问题", "级别"}

// ReportText says problems and fields in the user's language for a report.
type ReportText struct {
	Problem func(ImportProblem) string // the message
	Field   func(LedgerField) string   // a field's name when its column has no header
	Level   func(isError bool) string  // 错误 or 警告
}

// ProblemCount counts every problem the import found (Problems holds the first
// of them).
func (r *ImportResult) ProblemCount() int { return r.spooled }

// WriteReport writes every problem of the import to an xlsx file, one line
// per problem with its sheet, row (as Excel shows it), field, message and
// level, followed by the row's values as written, so that staff can fix
// just those rows and import them again.
func (r *ImportResult) WriteReport(path string, t ReportText) error {
	if r.spool == nil {
		return errors.New("app: import report: the import's problems are gone")
	}
	if err := outfile.NotInput(path, r.source); err != nil {
		return err
	}
	if _, err := r.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// The values go under the headers of the first sheet with problems;
	// ledgers of several sheets almost always share one layout.
	var sheet *LedgerSheet
	if len(r.Problems) > 0 {
		for i := range r.Sheets {
			if r.Sheets[i].Name == r.Problems[0].Sheet {
				sheet = &r.Sheets[i]
			}
		}
	}
	cols := make([]xlsxwrite.Column, 0, len(reportHeader)+16)
	for i, h := range reportHeader {
		c := xlsxwrite.Column{Header: h}
		switch i {
		case 1:
			c.Kind = xlsxwrite.Number
		case 3:
			c.Width = 50
		}
		cols = append(cols, c)
	}
	width := 0
	if sheet != nil {
		width = len(sheet.Headers)
		for _, h := range sheet.Headers {
			cols = append(cols, xlsxwrite.Column{Header: h})
		}
	}
	w, err := xlsxwrite.Create(path, cols, xlsxwrite.Options{Sheet: "问题清单", Rows: r.spooled,
		Title: "导入问题清单 " + r.File})
	if err != nil {
		return err
	}
	dec := gob.NewDecoder(r.spool)
	vals := make([]string, len(cols))
	for i := 0; i < r.spooled; i++ {
		var p ImportProblem
		if err := dec.Decode(&p); err != nil {
			w.Abort()
			return err
		}
		field := t.Field(p.Field)
		for _, s := range r.Sheets {
			if s.Name == p.Sheet {
				if c := s.Field(p.Field); c >= 0 && c < len(s.Headers) && s.Headers[c] != "" {
					field = s.Headers[c]
				}
			}
		}
		if p.Field == FieldNone {
			field = ""
		}
		clear(vals)
		vals[0], vals[1], vals[2], vals[3], vals[4] = p.Sheet, strconv.Itoa(p.Row), field, t.Problem(p), t.Level(p.Error)
		copy(vals[len(reportHeader):], p.Values[:min(len(p.Values), width)])
		if err := w.Row(vals); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
