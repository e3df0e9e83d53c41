package app

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
)

// AuditHotline is an import of 12345 work orders.
const AuditHotline = "appeal.import"

// InspectHotline reads a 12345 hotline export as the residents' import
// reads a ledger: each sheet's header found and its columns mapped by
// meaning (工单编号, 来电时间, 诉求内容, 诉求类别, 来电人, 联系电话, 诉求地址,
// 紧急程度) or by a mapping saved for the same header.
func (a *App) InspectHotline(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerHotline)
}

// HotlineResult is what an import of 12345 orders did (or, dry, would do).
type HotlineResult struct {
	Imported   int
	Duplicates int // orders recorded before, left alone
	Problems   []ImportProblem
	DryRun     bool
	// Grids are where the imported orders went, the most first: the
	// grid of the house their address names, or the grid asked for.
	Grids []HotlineGrid
	// Unplaced are the imported orders whose address named no house of
	// one grid: they went to the grid asked for.
	Unplaced int
}

// HotlineGrid is how many imported orders went to a grid.
type HotlineGrid struct {
	ID    int64
	Name  string
	Count int
}

// HotlineOptions are an import's choices: the sheets as mapped, the grid
// the orders go to when their address names no house, a dry run.
type HotlineOptions struct {
	Sheets []LedgerSheet // nil: inspect again
	Grid   int64
	DryRun bool
}

// ImportHotline imports the orders of a 12345 export as appeals of the
// channel 12345工单, each in the grid of the house its address names
// (opt.Grid when it names none, or houses of several grids), in one
// transaction: a row with a problem (no order
// number, no content) stops the import and is reported with its sheet,
// row and field; an order recorded before is left alone; an unknown
// category is read as 其他, with a warning.
func (a *App) ImportHotline(ctx context.Context, actor *Actor, path string, opt HotlineOptions) (*HotlineResult, error) {
	ck, err := a.appealChecker(ctx, actor)
	if err != nil {
		return nil, err
	}
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectHotline(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	book, err := openLedger(path)
	if err != nil {
		return nil, err
	}
	defer book.Close()
	pl, err := a.newPlacer(ctx, ck.sc)
	if err != nil {
		return nil, err
	}
	r := &hotlineReader{ck: ck, pl: pl, grid: opt.Grid, date1904: book.Date1904(), res: &HotlineResult{DryRun: opt.DryRun},
		placed: map[string]bool{}, seen: map[string]bool{}}
	for _, s := range opt.Sheets {
		if !s.Imported() {
			continue
		}
		if s.Field(FieldOrderNo) < 0 || s.Field(FieldContent) < 0 {
			return nil, problem("mapping", "err.hotline.mapping", map[string]any{"Sheet": s.Name})
		}
		err := book.Rows(ctx, s.Name, func(num int, cells []xlsxread.Cell) error { return r.order(ctx, s, num, cells) })
		if err != nil {
			return nil, fmt.Errorf("app: read sheet %s: %w", s.Name, err)
		}
	}
	res := r.res
	if res.Failed() { // nothing half done
		return res, nil
	}
	fresh, err := a.newOrders(ctx, r.list, r.nos, res)
	if err != nil {
		return nil, err
	}
	if err := a.countGrids(ctx, res, fresh, r.placed); err != nil {
		return nil, err
	}
	if opt.DryRun || len(fresh) == 0 {
		return res, nil
	}
	err = a.st.CreateAppeals(ctx, auditNote(actor.Account.Username, AuditHotline, filepath.Base(path),
		map[string]any{"imported": len(fresh), "duplicates": res.Duplicates}), fresh)
	return res, err
}

// newOrders leaves out the orders already taken (by their number) and
// counts them as duplicates.
func (a *App) newOrders(ctx context.Context, list []model.Appeal, nos []string, res *HotlineResult) ([]model.Appeal, error) {
	known, err := a.st.ExternalNos(ctx, nos)
	if err != nil {
		return nil, err
	}
	fresh := list[:0]
	for _, ap := range list {
		if known[ap.ExternalNo] {
			res.Duplicates++
			continue
		}
		fresh = append(fresh, ap)
	}
	res.Imported = len(fresh)
	return fresh, nil
}

// hotlineReader turns a 12345 export's rows into appeals, with the
// problems of each row.
type hotlineReader struct {
	ck       *appealChecker
	pl       *placer
	grid     int64 // where an order whose address finds no house goes
	date1904 bool
	res      *HotlineResult
	placed   map[string]bool // order numbers whose address found the grid
	seen     map[string]bool
	list     []model.Appeal
	nos      []string
}

// order reads one row: an order, a problem, or nothing (an empty row).
func (r *hotlineReader) order(ctx context.Context, s LedgerSheet, num int, cells []xlsxread.Cell) error {
	if num <= s.HeaderRow {
		return nil
	}
	get := func(f LedgerField) (string, bool) {
		i := s.Field(f)
		if i < 0 || i >= len(cells) {
			return "", false
		}
		return CleanCell(cells[i].Value), cells[i].Type == xlsxread.Number
	}
	problemAt := func(field, key string, data map[string]any, warning bool) {
		r.res.Problems = append(r.res.Problems, ImportProblem{Sheet: s.Name, Row: num, Field: LedgerField(field), Key: key, Data: data, Error: !warning})
	}
	no, _ := get(FieldOrderNo)
	content, _ := get(FieldContent)
	switch {
	case no == "" && content == "":
		return nil // an empty row
	case no == "":
		problemAt(string(FieldOrderNo), "err.hotline.no", nil, false)
		return nil
	case r.seen[no]:
		problemAt(string(FieldOrderNo), "err.hotline.twice", map[string]any{"No": no}, false)
		return nil
	}
	r.seen[no] = true
	in, err := r.input(ctx, no, content, get, problemAt)
	if err != nil {
		return err
	}
	ap, ps := r.ck.check(ctx, in)
	if len(ps) > 0 {
		for _, p := range ps {
			if p.Field == "phone" { // a wrong number is kept out, the order kept in
				problemAt(string(FieldPhone), p.Key, p.Data, true)
				in.ReporterPhone = ""
			}
		}
		if ap, ps = r.ck.check(ctx, in); len(ps) > 0 {
			problemAt(ps[0].Field, ps[0].Key, ps[0].Data, false)
			return nil
		}
	}
	r.list, r.nos = append(r.list, ap), append(r.nos, no)
	return nil
}

// input is an order as an appeal to check: the category (其他 when the
// office has none of that name), the caller, the place and its grid, the
// urgency and when it was received.
func (r *hotlineReader) input(ctx context.Context, no, content string, get func(LedgerField) (string, bool),
	problemAt func(field, key string, data map[string]any, warning bool)) (AppealInput, error) {
	in := AppealInput{Channel: model.ChannelHotline, Content: content, ExternalNo: no, GridID: r.grid}
	in.Category, _ = get(FieldCategory)
	if !r.ck.hasCategory(in.Category) {
		if in.Category != "" {
			problemAt(string(FieldCategory), "err.hotline.category", map[string]any{"Name": in.Category}, true)
		}
		in.Category = "其他"
	}
	in.ReporterName, _ = get(FieldName)
	if in.ReporterName == "" {
		in.ReporterName = hotlineCaller
	}
	in.ReporterPhone, _ = get(FieldPhone)
	in.Place, _ = get(FieldAddress)
	if g, err := r.pl.grid(ctx, in.Place); err != nil {
		return in, err
	} else if g != 0 {
		in.GridID, r.placed[no] = g, true
	}
	if u, _ := get(FieldUrgency); strings.Contains(u, "急") && !strings.Contains(u, "不") {
		in.Urgency = model.UrgencyUrgent
	}
	if v, num := get(FieldReceived); v != "" {
		t, ok := hotlineTime(v, num, r.date1904)
		if !ok {
			problemAt(string(FieldReceived), "err.hotline.time", map[string]any{"Value": v}, true)
		}
		in.Received = t
	}
	return in, nil
}

// Failed tells whether an import stopped on errors (warnings do not stop it).
func (r *HotlineResult) Failed() bool {
	for _, p := range r.Problems {
		if p.Error {
			return true
		}
	}
	return false
}

// hotlineCaller names a caller the order leaves unnamed.
const hotlineCaller = "12345来电人"

func (ck *appealChecker) hasCategory(name string) bool {
	for _, c := range ck.cats {
		if c.Name == name {
			return true
		}
	}
	return false
}

// hotlineTime reads when an order came in: an Excel date-time number, or
// 2026-11-28 09:30, 2026/11/28 9:30:00, or a date alone.
func hotlineTime(v string, number, date1904 bool) (time.Time, bool) {
	if number {
		if d, ok := ExcelDate(v, date1904); ok {
			t, _ := time.ParseInLocation("2006-01-02", d, time.Local)
			var f float64
			fmt.Sscan(v, &f)
			frac := f - float64(int64(f))
			return t.Add(time.Duration(frac * float64(24*time.Hour))).Round(time.Minute), true
		}
	}
	v = strings.ReplaceAll(toHalfWidth(v), "/", "-")
	for _, layout := range []string{"2006-1-2 15:04:05", "2006-1-2 15:04", "2006-1-2"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, true
		}
	}
	if d, ok := ParseDate(v); ok {
		t, _ := time.ParseInLocation("2006-01-02", d, time.Local)
		return t, true
	}
	return time.Time{}, false
}

// placer finds the grid of an order's address through the address search
// of the houses in scope.
type placer struct {
	a         *App
	sc        model.Scope
	compounds []string
	known     map[model.AddressQuery]int64 // a query's grid, 0 when none or several
}

func (a *App) newPlacer(ctx context.Context, sc model.Scope) (*placer, error) {
	list, err := a.st.Compounds(ctx, sc.Grids, sc.All)
	if err != nil {
		return nil, err
	}
	p := &placer{a: a, sc: sc, known: map[model.AddressQuery]int64{}}
	for _, c := range list {
		if c.Name != "" {
			p.compounds = append(p.compounds, toHalfWidth(c.Name))
		}
	}
	return p, nil
}

// maxPlaceHouses bounds the houses one address may match; more are taken
// as no single grid.
const maxPlaceHouses = 2000

// grid is the grid of the houses an address names: 0 when it names none,
// or houses of more than one grid. A 12345 address starts with the
// district and street (某区某街道锦绣花园3栋2单元501): it is read from the
// longest compound name it holds.
func (p *placer) grid(ctx context.Context, text string) (int64, error) {
	text = strings.TrimSpace(toHalfWidth(text))
	best := ""
	for _, c := range p.compounds {
		if len(c) > len(best) && strings.Contains(text, c) {
			best = c
		}
	}
	if best == "" {
		return 0, nil
	}
	q, ok := ParseAddress(text[strings.Index(text, best):])
	if !ok || !strings.Contains(q.Compound, best) {
		q = model.AddressQuery{Compound: best} // 锦绣花园东门: the compound alone
	} else {
		q.Compound = best
	}
	if g, seen := p.known[q]; seen {
		return g, nil
	}
	houses, err := p.a.st.FindHousesIn(ctx, q, p.sc.Grids, p.sc.All, maxPlaceHouses+1)
	if err != nil {
		return 0, err
	}
	var g int64
	if len(houses) > 0 && len(houses) <= maxPlaceHouses {
		g = houses[0].GridID
		for _, h := range houses[1:] {
			if h.GridID != g {
				g = 0
				break
			}
		}
	}
	p.known[q] = g
	return g, nil
}

// countGrids says how many orders go to each grid, and how many went to
// the grid asked for because their address found none.
func (a *App) countGrids(ctx context.Context, res *HotlineResult, list []model.Appeal, placed map[string]bool) error {
	if len(list) == 0 {
		return nil
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, ar := range areas {
		names[ar.ID] = ar.Name
	}
	count := map[int64]int{}
	for _, ap := range list {
		count[ap.GridID]++
		if !placed[ap.ExternalNo] {
			res.Unplaced++
		}
	}
	for id, n := range count {
		res.Grids = append(res.Grids, HotlineGrid{ID: id, Name: names[id], Count: n})
	}
	sort.Slice(res.Grids, func(i, j int) bool {
		if res.Grids[i].Count != res.Grids[j].Count {
			return res.Grids[i].Count > res.Grids[j].Count
		}
		return res.Grids[i].Name < res.Grids[j].Name
	})
	return nil
}
