package app

import (
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
	"shequ/store"
)

// LedgerSheet is one sheet of a ledger as the import reads it.
type LedgerSheet struct {
	Kind      LedgerKind // what the ledger lists
	Name      string
	HeaderRow int           // the header's row number as Excel shows it; 0: none found
	Headers   []string      // the header's cells as written
	Fields    []LedgerField // what each column holds (FieldNone: left out)
	Saved     bool          // Fields come from a mapping saved earlier
	Preview   [][]string    // the first rows under the header, as written
	Rows      int           // rows under the header by the sheet's dimension (0: unknown)
	Skip      string        // why the sheet is left out (a message key); "" when it is imported
}

// Imported reports whether the sheet's rows are read.
func (s LedgerSheet) Imported() bool { return s.Skip == "" }

// Field returns the column mapped to f, or -1.
func (s LedgerSheet) Field(f LedgerField) int { return slices.Index(s.Fields, f) }

// Signature identifies a header row, to find a saved mapping again.
func (s LedgerSheet) Signature() string {
	keys := make([]string, len(s.Headers))
	for i, h := range s.Headers {
		keys[i] = headerKey(h)
	}
	sig := strings.TrimRight(strings.Join(keys, "|"), "|")
	if s.Kind == LedgerList || s.Kind == LedgerForm || s.Kind == LedgerVisit {
		// A list or a form may share a ledger's headers but not its
		// fields. (Residents' and hotline mappings were saved unmarked.)
		sig = string(s.Kind) + ":" + sig
	}
	return sig
}

const (
	headerScanRows = 30 // a header is looked for in a sheet's first rows
	previewRows    = 8
	maxShown       = 1000 // problems kept in memory for the window; the report has them all
)

var errStop = errors.New("stop")

// openLedger opens an xlsx file, saying in the user's words what is wrong.
func openLedger(path string) (*xlsxread.Book, error) {
	book, err := xlsxread.Open(path)
	switch {
	case errors.Is(err, xlsxread.ErrNotXLSX):
		return nil, problem("file", "err.ledger.not_xlsx", map[string]any{"File": filepath.Base(path)})
	case errors.Is(err, os.ErrNotExist):
		return nil, problem("file", "err.ledger.no_file", map[string]any{"File": path})
	case err != nil:
		return nil, fmt.Errorf("app: open ledger %s: %w", filepath.Base(path), err)
	}
	return book, nil
}

// InspectLedger finds each sheet's header and maps its columns by their
// meaning (or by a mapping saved for the same header), with a preview of
// the first rows, so the user can check the mapping before importing.
func (a *App) InspectLedger(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerResidents)
}

func (a *App) inspect(ctx context.Context, actor *Actor, path string, kind LedgerKind) ([]LedgerSheet, error) {
	if err := mayWrite(actor); err != nil {
		return nil, err
	}
	book, err := openLedger(path)
	if err != nil {
		return nil, err
	}
	defer book.Close()
	var out []LedgerSheet
	for _, sh := range book.Sheets() {
		s, err := a.inspectSheet(ctx, book, sh.Name, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// inspectSheet finds a sheet's header among its first rows, maps its
// columns and previews the rows under it.
func (a *App) inspectSheet(ctx context.Context, book *xlsxread.Book, name string, kind LedgerKind) (LedgerSheet, error) {
	s := LedgerSheet{Name: name, Kind: kind}
	spec := specs[kind]
	h, err := readHead(ctx, book, name)
	if err != nil {
		return s, err
	}
	var merges []xlsxread.Range
	raw := h.rows // the rows as written, for the preview
	if kind == LedgerForm {
		raw = make([][]string, len(h.rows))
		for i, r := range h.rows {
			raw[i] = slices.Clone(r)
		}
		// A department's form heads its columns with merged cells (序号
		// over two rows, 基本信息 over three columns): each cell of a
		// merged range reads as the range's text.
		if merges, err = book.Merges(ctx, name); err != nil {
			return s, err
		}
		expandMerges(h.rows, h.nums, merges)
	}
	best := spec.bestHeader(h.rows[:min(len(h.rows), headerScanRows)])
	if best < 0 {
		s.Skip = "ledger.skip.no_header"
		return s, nil
	}
	s.HeaderRow = headerEnd(h.nums[best], merges)
	for _, c := range h.rows[best] {
		s.Headers = append(s.Headers, CleanCell(c))
	}
	if isReportHeader(s.Headers) {
		s.Skip = "ledger.skip.report"
		return s, nil
	}
	s.Fields = spec.autoFields(s.Headers)
	under := best + 1 // the preview starts under the header
	for under < len(h.rows) && h.nums[under] <= s.HeaderRow {
		under++
	}
	s.setPreview(spec, raw[under:], h.numeric[under:], book.Date1904())
	if err := a.savedMapping(ctx, &s); err != nil {
		return s, err
	}
	if dim, _ := book.Dimension(name); dim != "" {
		if last := dimensionLastRow(dim); last > s.HeaderRow {
			s.Rows = last - s.HeaderRow
		}
	}
	return s, nil
}

// sheetHead is a sheet's first rows, enough to find the header and
// preview what is under it.
type sheetHead struct {
	rows    [][]string
	nums    []int          // each row's number as Excel shows it
	numeric []map[int]bool // each row's cells stored as numbers
}

// readHead reads the first rows of a sheet.
func readHead(ctx context.Context, book *xlsxread.Book, name string) (h sheetHead, err error) {
	err = book.Rows(ctx, name, func(row int, cells []xlsxread.Cell) error {
		if len(h.rows) >= headerScanRows+previewRows {
			return errStop
		}
		vals := make([]string, len(cells))
		isNum := map[int]bool{}
		for i, c := range cells {
			vals[i] = c.Value
			if c.Type == xlsxread.Number {
				isNum[i] = true
			}
		}
		h.numeric = append(h.numeric, isNum)
		h.rows, h.nums = append(h.rows, vals), append(h.nums, row)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return h, fmt.Errorf("app: read sheet %s: %w", name, err)
	}
	return h, nil
}

// headerEnd is the last row of a header starting at row: the header ends
// under its tallest merged cell.
func headerEnd(row int, merges []xlsxread.Range) int {
	end := row
	for _, m := range merges {
		if m.FirstRow <= row && row <= m.LastRow && m.LastRow > end {
			end = m.LastRow
		}
	}
	return end
}

// setPreview keeps the first rows under the header as the import will read
// them: a date or time cell reads as a date or time.
func (s *LedgerSheet) setPreview(spec *ledgerSpec, rows [][]string, numeric []map[int]bool, date1904 bool) {
	birth := -1
	if spec.date != FieldNone {
		birth = s.Field(spec.date)
	}
	for i := 0; i < min(len(rows), previewRows); i++ {
		vals := make([]string, len(s.Headers))
		copy(vals, rows[i])
		if birth >= 0 && numeric[i][birth] {
			if d, ok := ExcelDate(vals[birth], date1904); ok {
				vals[birth] = d
			}
		}
		for _, f := range spec.times {
			if c := s.Field(f); c >= 0 && numeric[i][c] {
				vals[c] = excelTimeText(vals[c], date1904)
			}
		}
		s.Preview = append(s.Preview, vals)
	}
}

// savedMapping applies the mapping the user saved for the same header.
func (a *App) savedMapping(ctx context.Context, s *LedgerSheet) error {
	saved, ok, err := a.st.LedgerMapping(ctx, s.Signature())
	if err != nil || !ok {
		return err
	}
	for i, h := range s.Headers {
		if f, ok := saved[headerKey(h)]; ok {
			s.Fields[i] = LedgerField(f)
		}
	}
	s.Saved = true
	return nil
}

// expandMerges writes each merged range's text into all of its cells
// among the rows read (rows[i] is row nums[i] as Excel shows it).
func expandMerges(rows [][]string, nums []int, merges []xlsxread.Range) {
	at := map[int]int{}
	for i, n := range nums {
		at[n] = i
	}
	for _, m := range merges {
		top, ok := at[m.FirstRow]
		if !ok || m.FirstCol >= len(rows[top]) {
			continue
		}
		v := rows[top][m.FirstCol]
		for r := m.FirstRow; r <= m.LastRow; r++ {
			i, ok := at[r]
			if !ok {
				continue
			}
			for len(rows[i]) <= m.LastCol {
				rows[i] = append(rows[i], "")
			}
			for c := m.FirstCol; c <= m.LastCol; c++ {
				if rows[i][c] == "" {
					rows[i][c] = v
				}
			}
		}
	}
}

// bestHeader returns the index of the row most like a header: the most
// columns named by known headers, the kind's key field among them, at
// least two.
func (spec *ledgerSpec) bestHeader(rows [][]string) int {
	best, score := -1, 1
	for i, r := range rows {
		seen := map[LedgerField]bool{}
		for _, c := range r {
			if f, ok := spec.match(c); ok {
				seen[f] = true
			}
		}
		if seen[spec.key] && (len(seen) > score || spec.alone && best < 0) {
			best, score = i, len(seen)
		}
	}
	return best
}

// autoFields maps header cells to fields by their meaning; a field named
// twice (电话 and 手机) is read from its first column.
func (spec *ledgerSpec) autoFields(headers []string) []LedgerField {
	out := make([]LedgerField, len(headers))
	seen := map[LedgerField]bool{}
	for i, h := range headers {
		if f, ok := spec.match(h); ok && !seen[f] {
			out[i], seen[f] = f, true
		}
	}
	return out
}

// isReportHeader recognizes the problem sheet of an import report, which
// names residents' columns too but is not a ledger.
func isReportHeader(h []string) bool {
	return len(h) >= 5 && h[0] == reportHeader[0] && h[1] == reportHeader[1] && h[3] == reportHeader[3]
}

func dimensionLastRow(ref string) int {
	_, last, ok := strings.Cut(ref, ":")
	if !ok {
		last = ref
	}
	n := 0
	for _, r := range last {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}

// SaveLedgerMapping keeps a sheet's column mapping, to be used again for
// ledgers with the same header.
func (a *App) SaveLedgerMapping(ctx context.Context, actor *Actor, s LedgerSheet) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	m := map[string]string{}
	for i, h := range s.Headers {
		if i < len(s.Fields) && headerKey(h) != "" {
			m[headerKey(h)] = string(s.Fields[i])
		}
	}
	return a.st.SaveLedgerMapping(ctx, s.Signature(), m, actor.Account.Username)
}

// checkMapping says what a sheet's mapping lacks before any row is read.
func checkMapping(s LedgerSheet) Problems {
	var ps Problems
	if s.Field(FieldName) < 0 {
		ps = append(ps, Problem{Field: "mapping", Key: "err.ledger.no_name_column", Data: map[string]any{"Sheet": s.Name}})
	}
	seen := map[LedgerField]bool{}
	for _, f := range s.Fields {
		if f != FieldNone && seen[f] {
			ps = append(ps, Problem{Field: "mapping", Key: "err.ledger.field_twice", Data: map[string]any{"Sheet": s.Name, "Field": string(f)}})
		}
		seen[f] = true
	}
	return ps
}

// ImportOptions say how to import a ledger.
type ImportOptions struct {
	Sheets   []LedgerSheet // from InspectLedger, as the user left the mapping; nil: inspect again
	Grid     int64         // the grid new houses go in; 0: the account's only grid
	Update   bool          // residents already registered (same ID number) are updated; else skipped
	DryRun   bool          // check everything, write nothing
	Progress func(done, total int)
}

// ImportProblem is something wrong with one row of a ledger.
type ImportProblem struct {
	Sheet  string
	Row    int // as Excel shows it
	Field  LedgerField
	Key    string // message key
	Data   map[string]any
	Error  bool     // the row was not imported; else a warning
	Values []string // the row as written
}

// ImportResult is what an import did.
type ImportResult struct {
	File          string
	Sheets        []LedgerSheet
	DryRun        bool
	Rows          int // data rows read
	Imported      int // new residents
	Updated       int // registered residents updated
	Existing      int // registered residents left as they were
	Unchanged     int // registered residents the ledger agrees with
	Skipped       int // rows not imported because of an error
	Warnings      int
	HousesCreated int
	TagsCreated   int
	Problems      []ImportProblem // the first maxShown
	spool         *os.File        // every problem, for the report
	source        string          // the ledger imported, which the report must not overwrite
	spooled       int
}

// Close removes the problems kept for the report.
func (r *ImportResult) Close() error {
	if r == nil || r.spool == nil {
		return nil
	}
	name := r.spool.Name()
	r.spool.Close()
	r.spool = nil
	return os.Remove(name)
}

// errDryRun ends the bulk write of a dry run, to roll it back.
var errDryRun = errors.New("dry run")

// row is one ledger row on its way from the reader to the database.
type row struct {
	sheet    int
	num      int
	values   []string
	res      model.Resident
	place    [4]string // compound, building, unit, room
	relGiven bool
	tags     []string
	problems []ImportProblem
	failed   bool   // an error: not imported
	skip     bool   // a repeat of an earlier row: imported once
	given    uint32 // fieldBit bits of the fields with a value, for updates
}

// Import reads a ledger's rows and writes them in one transaction: all
// accepted rows or, after an error, a cancel or a crash, none. Rows with
// errors are left out and reported; warnings are reported and the row is
// imported. The file is read on one goroutine while rows are written on
// this one.
func (a *App) Import(ctx context.Context, actor *Actor, path string, opt ImportOptions) (*ImportResult, error) {
	if err := mayWrite(actor); err != nil {
		return nil, err
	}
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	grid, community, err := importGrid(sc, areas, opt.Grid)
	if err != nil {
		return nil, err
	}
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectLedger(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	var ps Problems
	total := 0
	for _, s := range opt.Sheets {
		if s.Imported() {
			ps = append(ps, checkMapping(s)...)
			total += s.Rows
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	book, err := openLedger(path)
	if err != nil {
		return nil, err
	}
	defer book.Close()
	spool, err := os.CreateTemp("", "shequ-import-*.gob")
	if err != nil {
		return nil, err
	}
	res := &ImportResult{File: filepath.Base(path), Sheets: opt.Sheets, DryRun: opt.DryRun, spool: spool, source: path}
	enc := gob.NewEncoder(spool)
	record := func(p ImportProblem) error {
		if !p.Error {
			res.Warnings++
		}
		if len(res.Problems) < maxShown {
			res.Problems = append(res.Problems, p)
		}
		res.spooled++
		return enc.Encode(p)
	}

	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	batches := make(chan []*row, 8)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- a.readLedger(readCtx, book, opt.Sheets, batches)
	}()

	date := a.today()
	// The import's entry is made once the rows are in, from what they did.
	note := func(int64, []string) model.AuditEntry {
		return model.AuditEntry{Account: actor.Account.Username, Action: AuditImport, Target: res.File, Detail: res.auditDetail()}
	}
	err = a.st.Bulk(ctx, note, func(b *store.Bulk) error {
		heads := map[int64]bool{} // houses given a householder by this import
		done := 0
		for batch := range batches {
			for _, r := range batch {
				if err := ctx.Err(); err != nil {
					return err
				}
				done++
				if err := a.importRow(b, actor, sc, grid, community, date, opt.Update, r, heads, res); err != nil {
					return err
				}
				for _, p := range r.problems {
					p.Sheet, p.Row, p.Values = opt.Sheets[r.sheet].Name, r.num, r.values
					if si, ok := p.Data["SheetIndex"].(int); ok {
						p.Data["Sheet"] = opt.Sheets[si].Name
						delete(p.Data, "SheetIndex")
					}
					if err := record(p); err != nil {
						return err
					}
				}
				if r.failed {
					res.Skipped++
				}
			}
			res.Rows = done
			if opt.Progress != nil {
				opt.Progress(done, max(total, done))
			}
		}
		if err := <-readErr; err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = a.audit(ctx, actor.Account.Username, AuditImport, res.File, map[string]any{"dry_run": true, "rows": res.Rows})
	}
	if err != nil {
		// A reader's error reached the writer through readErr; any other
		// error stops the reader here.
		stopReading()
		res.Close()
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if !opt.DryRun {
		if err := a.st.Analyze(ctx); err != nil {
			a.log.Warn("analyze after import", "err", err)
		}
	}
	return res, nil
}

func (r *ImportResult) auditDetail() string {
	b, _ := json.Marshal(map[string]any{"rows": r.Rows, "imported": r.Imported, "updated": r.Updated, "existing": r.Existing, "unchanged": r.Unchanged,
		"skipped": r.Skipped, "warnings": r.Warnings, "houses": r.HousesCreated})
	return string(b)
}

// importGrid decides where new houses go: the grid asked for (a community
// with one grid names it), or the only grid the account sees. Without one
// (0) the import only finds houses: a row whose house is new says that it
// needs the grid (a ledger of people already registered, imported again to
// update their phones, needs none).
func importGrid(sc model.Scope, areas []model.Area, want int64) (grid, community int64, err error) {
	byID := map[int64]model.Area{}
	var grids []int64
	for _, ar := range areas {
		byID[ar.ID] = ar
		if ar.Level == model.LevelGrid && inScope(sc, ar.ID) {
			grids = append(grids, ar.ID)
		}
	}
	if want == 0 {
		if len(grids) != 1 {
			return 0, 0, nil
		}
		want = grids[0]
	}
	ar, ok := byID[want]
	if ok && ar.Level == model.LevelCommunity {
		// A community with a single grid names that grid.
		var only []int64
		for _, g := range areas {
			if g.ParentID == ar.ID && g.Level == model.LevelGrid {
				only = append(only, g.ID)
			}
		}
		if len(only) == 1 {
			ar = byID[only[0]]
		}
	}
	switch {
	case !ok || ar.Level != model.LevelGrid:
		return 0, 0, problem("area", "err.ledger.grid_required", nil)
	case !inScope(sc, ar.ID):
		return 0, 0, fmt.Errorf("app: import into grid %d: %w", ar.ID, model.ErrForbidden)
	}
	return ar.ID, ar.ParentID, nil
}

// importRow writes one prepared row: its house, the resident (new, or an
// update of the one with the same ID number) and its tags.
func (a *App) importRow(b *store.Bulk, actor *Actor, sc model.Scope, grid, community int64, date string, update bool,
	r *row, heads map[int64]bool, res *ImportResult) error {
	if r.failed || r.skip || r.values == nil {
		return nil
	}
	fail := func(field LedgerField, key string, data map[string]any) {
		r.problems = append(r.problems, ImportProblem{Field: field, Key: key, Data: data, Error: true})
		r.failed = true
	}
	// A registered resident is found first: one left as it is needs no house.
	var old model.Resident
	var found bool
	if r.res.IDNumber != "" {
		var err error
		if old, found, err = b.ResidentByIDNumber(r.res.IDNumber); err != nil {
			return err
		}
		switch {
		case found && !inScope(sc, old.GridID):
			fail(FieldIDNumber, "err.ledger.exists_elsewhere", nil)
			return nil
		case found && !update:
			res.Existing++
			return nil
		}
	}
	use := model.UseOwner
	if r.res.Relation == model.RelTenant {
		use = model.UseRented
	}
	h, err := b.PlaceHouse(community, grid, r.place[0], r.place[1], r.place[2], r.place[3], use)
	switch {
	case errors.Is(err, store.ErrNeedsGrid):
		fail(FieldAddress, "err.ledger.house_new", nil)
		return nil
	case errors.Is(err, store.ErrCompoundAmbiguous):
		fail(FieldAddress, "err.ledger.compound_ambiguous", map[string]any{"Name": r.place[0]})
		return nil
	case err != nil:
		return err
	}
	if !inScope(sc, h.GridID) {
		fail(FieldAddress, "err.ledger.house_scope", nil)
		return nil
	}
	if h.Created {
		res.HousesCreated++
	}
	r.res.HouseID, r.res.GridID = h.ID, h.GridID
	if r.res.IDNumber == "" && !h.Created {
		// Without an ID number, the same name and birth date in the same
		// house is the same person (a ledger imported again).
		var err error
		if old, found, err = b.ResidentInHouse(h.ID, r.res.Name, r.res.Birth); err != nil {
			return err
		}
		if found && !update {
			res.Existing++
			return nil
		}
	}
	if r.res.Relation == model.RelHead {
		if heads[h.ID] || (!h.Created && b.HasHead(h.ID, r.res.IDNumber)) {
			r.problems = append(r.problems, ImportProblem{Field: FieldRelation, Key: "warn.ledger.second_head"})
			r.res.Relation = model.RelOther
		} else {
			heads[h.ID] = true
		}
	}
	if found {
		changed, err := b.UpdateResident(actor.Account.ID, mergeResident(old, r), old, date)
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			res.Unchanged++
		} else {
			res.Updated++
		}
		return a.tagRow(b, actor, old.ID, r, res)
	}
	// A former resident (迁出, 死亡) lived in the house until the ledger
	// says no longer: the residence is a past one, as a move-out leaves it.
	until := ""
	if !slices.Contains(model.Living, r.res.Status) {
		until = date
	}
	id, err := b.Resident(r.res, date, until)
	if err != nil {
		return err
	}
	res.Imported++
	return a.tagRow(b, actor, id, r, res)
}

func (a *App) tagRow(b *store.Bulk, actor *Actor, id int64, r *row, res *ImportResult) error {
	for _, t := range r.tags {
		tid, created, err := b.TagID(t)
		if err != nil {
			return err
		}
		if created {
			res.TagsCreated++
		}
		if err := b.TagResident(id, tid, actor.Account.ID); err != nil {
			return err
		}
	}
	return nil
}

// mergeResident is a registered resident with what the ledger says about
// them: cells left empty in the ledger keep what is stored.
func mergeResident(old model.Resident, r *row) model.Resident {
	m := old
	has := func(f LedgerField) bool { return r.given&(1<<fieldBit(f)) != 0 }
	set := func(f LedgerField, dst *string, v string) {
		if has(f) {
			*dst = v
		}
	}
	set(FieldName, &m.Name, r.res.Name)
	set(FieldPhone, &m.Phone, r.res.Phone)
	set(FieldEthnicity, &m.Ethnicity, r.res.Ethnicity)
	set(FieldNotes, &m.Notes, r.res.Notes)
	if has(FieldKind) {
		m.Kind = r.res.Kind
	}
	if has(FieldStatus) {
		m.Status = r.res.Status
	}
	m.Sex, m.Birth = r.res.Sex, r.res.Birth // decided by the ID number
	m.HouseID = r.res.HouseID
	if r.relGiven || old.HouseID != r.res.HouseID {
		m.Relation = r.res.Relation
	}
	return m
}

// readLedger reads the imported sheets in order, prepares each row and
// sends rows to the writer in batches.
func (a *App) readLedger(ctx context.Context, book *xlsxread.Book, sheets []LedgerSheet, out chan<- []*row) error {
	d := newDeduper()
	for si, s := range sheets {
		if !s.Imported() {
			continue
		}
		p := a.newPreparer(si, s, book.Date1904(), d)
		var merges []xlsxread.Range
		mergesRead := false
		batch := make([]*row, 0, 256)
		err := book.Rows(ctx, s.Name, func(num int, cells []xlsxread.Cell) error {
			if num <= s.HeaderRow {
				return nil
			}
			if p.needsMerges(cells) && !mergesRead {
				// Merged cells are listed after a sheet's rows; read them
				// only for a ledger that has empty address cells.
				var err error
				if merges, err = book.Merges(ctx, s.Name); err != nil {
					return err
				}
				mergesRead = true
				p.setMerges(merges)
			}
			batch = append(batch, p.prepare(num, cells))
			if len(batch) == cap(batch) {
				select {
				case out <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]*row, 0, 256)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("app: read sheet %s: %w", s.Name, err)
		}
		if len(batch) > 0 {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

// deduper finds rows repeated within a ledger: the same ID number twice,
// or the same row twice.
type deduper struct {
	seed  maphash.Seed
	ids   map[uint64]seenRow // by idKey: a district's numbers in a third of the memory strings take
	exact map[uint64]seenRow
}

// idKey packs an 18-character ID number (17 digits and a check character
// of 0–9 or X) into a number, one to one.
func idKey(id string) uint64 {
	var k uint64
	for i := 0; i < 17; i++ {
		k = k*10 + uint64(id[i]-'0')
	}
	c := uint64(10)
	if id[17] != 'X' {
		c = uint64(id[17] - '0')
	}
	return k*11 + c
}

type seenRow struct {
	sheet int32
	row   int32
	hash  uint64
}

func newDeduper() *deduper {
	return &deduper{seed: maphash.MakeSeed(), ids: map[uint64]seenRow{}, exact: map[uint64]seenRow{}}
}
