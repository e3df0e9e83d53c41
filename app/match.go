package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"

	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxread"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/app/outfile"
	"shequ/store"
)

// 碰撞比对: a list from outside (a health department's vaccination list, a
// civil-affairs subsidy list, a 12345 list) matched against the registry by
// ID number, the name checked.

// AuditMatch is a list matched against the registry.
const AuditMatch = "match"

// MatchGroup is one of the groups a match sorts a list into.
type MatchGroup string

// Match groups, in the order a result shows them.
const (
	MatchSame      MatchGroup = "same"      // in the registry, the same name
	MatchRenamed   MatchGroup = "renamed"   // in the registry under another name
	MatchMissing   MatchGroup = "missing"   // in the list, not in the registry
	MatchElsewhere MatchGroup = "elsewhere" // registered, but outside the account's areas
	MatchAbsent    MatchGroup = "absent"    // in the chosen cohort, not in the list
)

// MatchGroups lists the groups in the order a result shows them.
var MatchGroups = []MatchGroup{MatchSame, MatchRenamed, MatchMissing, MatchElsewhere, MatchAbsent}

// MatchRow is a row of the list and who in the registry it matched.
type MatchRow struct {
	Sheet          string
	Row            int    // as Excel shows it
	Name, IDNumber string // as the list has them (the number cleaned: 18 characters)
	ResidentID     int64  // 0: nobody the account may see
	Registered     string // the registry's name for the resident
	Birth          string // and birth date, grid and state
	GridID         int64
	Status         model.Status
	Values         []string // the row as written, when kept (an import through the matcher)
	Cells          []xlsxread.Cell
}

// MatchOptions are a match's choices.
type MatchOptions struct {
	Sheets []LedgerSheet // as the column mapping left them; nil: inspected afresh
	// Cohort, when set, is compared the other way too: who of it the list
	// leaves out (MatchAbsent).
	Cohort   *ListFilter
	Progress func(done, total int)
	keep     bool // keep each row's values (an import reads its other columns)
}

// MatchResult is what a match found.
type MatchResult struct {
	File     string
	Sheets   []LedgerSheet
	Rows     int // the list's rows naming a person
	Groups   map[MatchGroup][]MatchRow
	Absent   []int64 // residents of the cohort the list leaves out
	Cohort   bool    // a cohort was compared
	Repeats  int     // rows repeating an ID number of an earlier row
	Problems []ImportProblem
	date1904 bool   // the list's date system, for the cells kept
	path     string // the list's file
}

// Count is the number in a group.
func (r *MatchResult) Count(g MatchGroup) int {
	if g == MatchAbsent {
		return len(r.Absent)
	}
	return len(r.Groups[g])
}

// Residents is a group as a residents list filter, to open, tag or export
// it; ok is false for a group of people the registry does not show.
func (r *MatchResult) Residents(g MatchGroup) (f ListFilter, ok bool) {
	switch g {
	case MatchAbsent:
		return ListFilter{IDs: nonNil(r.Absent)}, true
	case MatchSame, MatchRenamed:
		ids := make([]int64, 0, len(r.Groups[g]))
		for _, m := range r.Groups[g] {
			ids = append(ids, m.ResidentID)
		}
		slices.Sort(ids)
		return ListFilter{IDs: slices.Compact(ids)}, true
	}
	return ListFilter{}, false
}

// nonNil keeps an empty list a list: nil IDs would mean no limit at all.
func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// InspectList reads an outside list as the import reads a ledger: each
// sheet's header found and the columns for the ID number and the name
// mapped by meaning, or by a mapping saved for the same header.
func (a *App) InspectList(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerList)
}

// matchBatch is how many ID numbers are looked up at once.
const matchBatch = 20_000

// Match matches a list against the registry the actor may see. Rows
// without a usable ID number are reported with their sheet, row and
// field and left out; a number repeated in the list counts once. Nothing
// is written but the audit entry.
func (a *App) Match(ctx context.Context, actor *Actor, path string, opt MatchOptions) (*MatchResult, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectList(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	total, err := listRows(opt.Sheets)
	if err != nil {
		return nil, err
	}
	book, err := openLedger(path)
	if err != nil {
		return nil, err
	}
	defer book.Close()
	res := &MatchResult{File: filepath.Base(path), Sheets: opt.Sheets, Groups: map[MatchGroup][]MatchRow{}, date1904: book.Date1904(), path: path}
	lr := &listReader{opt: &opt, res: res, total: total, today: a.Now(), first: map[string]int{}, batch: make([]string, 0, matchBatch)}
	found, err := a.readList(ctx, book, lr)
	if err != nil {
		return nil, err
	}
	placeHolders(lr.list, found, sc, len(lr.first))
	listed := res.group(lr.list, opt.Cohort != nil)
	if opt.Cohort != nil {
		res.Cohort = true
		if res.Absent, err = a.absent(ctx, actor, *opt.Cohort, listed); err != nil {
			return nil, err
		}
	}
	if opt.Progress != nil {
		opt.Progress(res.Rows, res.Rows)
	}
	detail := map[string]any{"rows": res.Rows, "problems": len(res.Problems)}
	for _, g := range MatchGroups {
		detail[string(g)] = res.Count(g)
	}
	return res, a.audit(ctx, actor.Account.Username, AuditMatch, res.File, detail)
}

// listRows checks that each sheet to be read has an ID number column and
// that there is one, and counts their rows for the progress.
func listRows(sheets []LedgerSheet) (total int, err error) {
	read := 0
	var ps Problems
	for _, s := range sheets {
		if !s.Imported() {
			continue
		}
		read++
		if s.Field(FieldIDNumber) < 0 {
			ps = append(ps, Problem{Field: "mapping", Key: "err.match.no_id_column", Data: map[string]any{"Sheet": s.Name}})
		}
		total += s.Rows
	}
	if read == 0 {
		ps = append(ps, Problem{Field: "file", Key: "err.match.no_header"})
	}
	if len(ps) > 0 {
		return 0, ps
	}
	return total, nil
}

// listReader reads a list's rows for a match and hands their ID numbers
// to the lookup in batches as it goes.
type listReader struct {
	opt     *MatchOptions
	res     *MatchResult
	total   int // the sheets' rows, for the progress
	today   time.Time
	list    []MatchRow
	first   map[string]int // ID number → its row in list
	batch   []string
	batches chan<- []string
	lookup  context.Context // the lookup's, done when it has failed
}

// readList reads the list's sheets. The numbers are looked up in batches
// on a second goroutine while the file is still being read: 1 million
// rows 6.9 → 4.x s. found is what each batch found.
func (a *App) readList(ctx context.Context, book *xlsxread.Book, lr *listReader) (found [][]store.Holder, err error) {
	batches := make(chan []string, 2)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for nums := range batches {
			holders, err := a.st.HoldersOf(gctx, nums)
			if err != nil {
				for range batches { // let the reader finish
				}
				return err
			}
			found = append(found, holders)
		}
		return nil
	})
	lr.batches, lr.lookup = batches, gctx
	for _, s := range lr.opt.Sheets {
		if !s.Imported() {
			continue
		}
		idCol, nameCol := s.Field(FieldIDNumber), s.Field(FieldName)
		err := book.Rows(ctx, s.Name, func(num int, cells []xlsxread.Cell) error {
			if num <= s.HeaderRow {
				return nil
			}
			return lr.row(&s, idCol, nameCol, num, cells)
		})
		if err != nil {
			close(batches)
			g.Wait()
			return nil, fmt.Errorf("app: read sheet %s: %w", s.Name, err)
		}
	}
	if len(lr.batch) > 0 {
		batches <- lr.batch
	}
	close(batches)
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return found, nil
}

// row reads one row of the list: a row naming nobody is passed over, one
// without a usable ID number is told.
func (lr *listReader) row(s *LedgerSheet, idCol, nameCol, num int, cells []xlsxread.Cell) error {
	vals := make([]string, len(cells))
	clean := make([]string, len(cells))
	for i, c := range cells {
		vals[i], clean[i] = c.Value, CleanCell(c.Value)
	}
	if notData(clean) || s.repeatsHeader(clean) {
		return nil
	}
	res := lr.res
	res.Rows++
	if lr.opt.Progress != nil && res.Rows%10_000 == 0 {
		lr.opt.Progress(res.Rows, max(lr.total, res.Rows))
	}
	m := MatchRow{Sheet: s.Name, Row: num, Name: CleanName(valueAt(vals, nameCol))}
	if lr.opt.keep {
		m.Values, m.Cells = vals, slices.Clone(cells)
	}
	isNum := idCol < len(cells) && cells[idCol].Type == xlsxread.Number
	number, key, data := listIDNumber(CleanCode(valueAt(vals, idCol)), isNum, lr.today)
	if key != "" {
		res.Problems = append(res.Problems, ImportProblem{Sheet: s.Name, Row: num, Field: FieldIDNumber, Key: key, Data: data,
			Error: true, Values: vals})
		return nil
	}
	m.IDNumber = number
	return lr.add(m, vals)
}

// valueAt is the value in column i, "" where the row has none.
func valueAt(vals []string, i int) string {
	if i < 0 || i >= len(vals) {
		return ""
	}
	return vals[i]
}

// listIDNumber reads a list's ID number: the number as 18 characters, or
// the key and data of the problem with it.
func listIDNumber(id string, isNum bool, today time.Time) (number, key string, data map[string]any) {
	switch {
	case id == "" || NoIDNumber(id):
		return "", "err.match.no_id", nil
	case NumericIDNumber(id, isNum):
		return "", "err.ledger.id_numeric", map[string]any{"Value": id}
	case strings.Contains(id, "*"):
		return "", "err.ledger.id_masked", nil
	}
	info, err := idnumber.ParseAt(id, today)
	if err != nil {
		return "", idProblemKey(err), idProblemData(err)
	}
	return info.Number, "", nil
}

// add keeps a row with its ID number, a repeat of an earlier row's once
// (told), and passes on a full batch of numbers to look up.
func (lr *listReader) add(m MatchRow, vals []string) error {
	if i, ok := lr.first[m.IDNumber]; ok {
		if lr.opt.keep { // a list of doses names a person once a dose
			lr.list = append(lr.list, m)
			return nil
		}
		lr.res.Repeats++
		lr.res.Problems = append(lr.res.Problems, ImportProblem{Sheet: m.Sheet, Row: m.Row, Field: FieldIDNumber, Key: "warn.match.repeat",
			Data: map[string]any{"Row": lr.list[i].Row, "Sheet": lr.list[i].Sheet}, Values: vals})
		return nil
	}
	lr.first[m.IDNumber] = len(lr.list)
	lr.list = append(lr.list, m)
	if lr.batch = append(lr.batch, m.IDNumber); len(lr.batch) == matchBatch {
		select {
		case lr.batches <- lr.batch:
		case <-lr.lookup.Done():
			return lr.lookup.Err()
		}
		lr.batch = make([]string, 0, matchBatch)
	}
	return nil
}

// placeHolders gives each row who holds its number. Who is found outside
// the actor's areas is told apart, without their details.
func placeHolders(list []MatchRow, found [][]store.Holder, sc model.Scope, n int) {
	holders := make(map[string]store.Holder, n)
	for _, part := range found {
		for _, h := range part {
			holders[h.IDNumber] = h
		}
	}
	for i := range list {
		m := &list[i]
		if h, ok := holders[m.IDNumber]; !ok {
			continue
		} else if inScope(sc, h.GridID) {
			m.ResidentID, m.Registered, m.Birth, m.GridID, m.Status = h.ID, h.Name, h.Birth, h.GridID, h.Status
		} else {
			m.ResidentID = -1
		}
	}
}

// group sorts the rows into the result's groups. With cohort it says who
// of the registry the list names, to find who it leaves out.
func (r *MatchResult) group(list []MatchRow, cohort bool) (listed map[int64]bool) {
	if cohort {
		listed = make(map[int64]bool, len(list))
	}
	for _, m := range list {
		g := MatchMissing
		switch {
		case m.ResidentID < 0:
			m.ResidentID, g = 0, MatchElsewhere
		case m.ResidentID > 0 && (m.Name == "" || sameName(m.Name, m.Registered)):
			g = MatchSame
		case m.ResidentID > 0:
			g = MatchRenamed
		}
		if listed != nil && m.ResidentID > 0 {
			listed[m.ResidentID] = true
		}
		r.Groups[g] = append(r.Groups[g], m)
	}
	return listed
}

// absent lists the residents of the cohort the list does not name.
func (a *App) absent(ctx context.Context, actor *Actor, cohort ListFilter, listed map[int64]bool) ([]int64, error) {
	q, err := a.residentQuery(ctx, actor, cohort)
	if err != nil {
		return nil, err
	}
	ids, err := a.st.ResidentIDs(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		if !listed[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// sameName compares names as offices write them: spaces and the forms of
// the middle dot of a transliterated name (·•・) do not count.
func sameName(a, b string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case ' ', '\u3000', '·', '•', '・', '.', '‧':
				return -1
			}
			return r
		}, toHalfWidth(s))
	}
	return norm(a) == norm(b)
}

// ExportMatch writes a match's result, one sheet per group and one for the
// rows left out (their messages in the user's language by text), with ID numbers masked unless revealed (which the account
// must be allowed, with a reason). It needs the export permission and is
// audited.
func (a *App) ExportMatch(ctx context.Context, actor *Actor, res *MatchResult, path string, reveal bool, reason string, text ReportText) error {
	if err := mayExport(actor, "match", path, reveal, reason); err != nil {
		return err
	}
	if outfile.NotInput(path, res.path) != nil {
		return problem("file", "err.match.same_file", nil)
	}
	x, err := xlsxwrite.NewBook()
	if err != nil {
		return err
	}
	defer x.Close()
	st, err := xlsxwrite.NewStyles(x)
	if err != nil {
		return err
	}
	b := &matchBook{x: x, st: st, footer: "比对结果 · 导出：" + actor.Account.Username + " " + time.Now().Format("2006-01-02 15:04")}
	if err := a.matchGroups(ctx, b, res, reveal); err != nil {
		return err
	}
	if res.Cohort {
		if err := a.matchAbsent(ctx, actor, b, res, reveal); err != nil {
			return err
		}
	}
	err = b.sheet("问题行", []string{"名单工作表", "名单行号", "问题"}, []float64{14, 10, 60}, func(add func(...any) error) error {
		for _, p := range res.Problems {
			if err := add(p.Sheet, p.Row, text.Problem(p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := x.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	x.SetActiveSheet(0)
	if err := outfile.SaveBook(x, path); err != nil {
		return fmt.Errorf("app: export match to %s: %w", filepath.Base(path), err)
	}
	return a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "match", "list": res.File,
		"reveal": reveal, "reason": reason, "rows": strconv.Itoa(res.Rows)})
}

// matchBook is a match result's workbook being written: ruled sheets with
// a page setup each.
type matchBook struct {
	x      *excelize.File
	st     xlsxwrite.Styles
	footer string
}

// sheet writes a sheet of header and rows, ruled, printed portrait when
// narrow.
func (b *matchBook) sheet(name string, header []string, widths []float64, rows func(add func(...any) error) error) error {
	if _, err := b.x.NewSheet(name); err != nil {
		return err
	}
	wide := 0.0
	for _, w := range widths[:min(len(widths), len(header))] {
		wide += w
	}
	err := xlsxwrite.SetPage(b.x, name, xlsxwrite.Page{Portrait: wide <= xlsxwrite.PortraitWidth, HeadRows: 1, Title: name, Footer: b.footer})
	if err != nil {
		return err
	}
	sw, err := b.x.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{Value: h, StyleID: b.st.Head}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	cells, row := make([]excelize.Cell, len(header)), make([]any, len(header))
	err = rows(func(vals ...any) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, xlsxwrite.Ruled(vals, b.st.General, cells, row))
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// matchGroups writes a sheet for each group of the list's rows: found,
// found under another name, not in the registry, registered elsewhere.
func (a *App) matchGroups(ctx context.Context, b *matchBook, res *MatchResult, reveal bool) error {
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return err
	}
	gridName := map[int64]string{}
	for _, ar := range areas {
		gridName[ar.ID] = ar.Name
	}
	mask := func(id string) string {
		if reveal {
			return id
		}
		return MaskIDNumber(id)
	}
	head := []string{"序号", "名单工作表", "名单行号", "名单姓名", "公民身份号码"}
	widths := []float64{8, 14, 10, 14, 22, 14, 12, 8}
	for _, g := range []MatchGroup{MatchSame, MatchRenamed, MatchMissing, MatchElsewhere} {
		registered := g == MatchSame || g == MatchRenamed
		h := head
		if registered {
			h = append(slices.Clone(head), "登记姓名", "网格", "状态")
		}
		err := b.sheet(MatchSheetNames[g], h, widths, func(add func(...any) error) error {
			for i, m := range res.Groups[g] {
				vals := []any{i + 1, m.Sheet, m.Row, m.Name, mask(m.IDNumber)}
				if registered {
					vals = append(vals, m.Registered, gridName[m.GridID], LedgerValue(FieldStatus, string(m.Status)))
				}
				if err := add(vals...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// matchAbsent writes who of the cohort the list leaves out, in the
// ledger's own layout.
func (a *App) matchAbsent(ctx context.Context, actor *Actor, b *matchBook, res *MatchResult, reveal bool) error {
	q, err := a.residentQuery(ctx, actor, ListFilter{IDs: nonNil(res.Absent)})
	if err != nil {
		return err
	}
	head := make([]string, len(LedgerHeader))
	widths := make([]float64, len(LedgerHeader))
	for i, h := range LedgerHeader {
		head[i], widths[i] = h.Header, 12
	}
	widths[3] = 22
	return b.sheet(MatchSheetNames[MatchAbsent], head, widths, func(add func(...any) error) error {
		seq := 0
		return a.st.EachLedgerRow(ctx, q, func(int) error { return nil }, func(r *store.LedgerRow) error {
			seq++
			vals := ledgerValues(seq, r, reveal)
			row := make([]any, len(vals))
			for i, v := range vals {
				row[i] = v
			}
			row[0] = seq
			return add(row...)
		})
	})
}

// MatchSheetNames are the result's sheets: workbooks are Chinese documents
// whatever the window's language.
var MatchSheetNames = map[MatchGroup]string{
	MatchSame: "已匹配", MatchRenamed: "姓名不一致", MatchMissing: "未在库", MatchElsewhere: "其他辖区", MatchAbsent: "人群中未在名单",
}
