package app

import (
	"context"
	"fmt"
	"path/filepath"

	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
)

// 到访登记 from spreadsheets: a gate's log kept in Excel, or another
// office's export (VisitHeader), read as one more kind of ledger through
// the same header search, mapping and wizard. An import is all or
// nothing: a file with any wrong row writes no visit and names every
// wrong cell by sheet, row and field.

// AuditVisitImport is an import of visits.
const AuditVisitImport = "visit.import"

// LedgerVisit is a gate's log of visitors.
const LedgerVisit LedgerKind = "visit"

// Fields of a visitors' log (besides the name, ID number, phone and
// compound of a ledger).
const (
	FieldTimeIn       LedgerField = "time_in"
	FieldTimeOut      LedgerField = "time_out"
	FieldVisitDay     LedgerField = "visit_day" // the day, when the times are times of day
	FieldVisitedHouse LedgerField = "visited_house"
	FieldVisitReason  LedgerField = "visit_reason"
	FieldHealth       LedgerField = "health"
)

func init() {
	specs[LedgerVisit] = &ledgerSpec{
		fields: []LedgerField{FieldTimeIn, FieldTimeOut, FieldVisitDay, FieldName, FieldIDNumber, FieldPhone, FieldCompound,
			FieldVisitedHouse, FieldVisitReason, FieldHealth, FieldSeq},
		synonyms: synonyms(map[LedgerField][]string{
			FieldTimeIn: {"来访时间", "进入时间", "到访时间", "登记时间", "进入", "进门时间", "入场时间", "到达时间", "进小区时间",
				"来访时刻", "时间"},
			FieldTimeOut:  {"离开时间", "离开", "离去时间", "出门时间", "离场时间", "出小区时间", "离开时刻"},
			FieldVisitDay: {"日期", "来访日期", "到访日期", "登记日期"},
			FieldName:     {"姓名", "来访人", "来访人姓名", "访客", "访客姓名", "来访者", "来访人员", "名字"},
			FieldIDNumber: {"公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "证件号", "身份证件号码", "来访人身份证号"},
			FieldPhone:    {"联系电话", "手机号", "电话", "手机", "手机号码", "联系方式", "电话号码"},
			FieldCompound: {"小区", "小区名称", "所在小区", "小区名", "到访小区", "来访小区"},
			FieldVisitedHouse: {"到访房屋", "被访房屋", "拜访住户", "门牌", "门牌号", "被访住户", "到访住户", "拜访房屋", "来访房屋",
				"到访地址", "房号"},
			FieldVisitReason: {"事由", "来访事由", "来访原因", "到访事由", "来访目的"},
			FieldHealth:      {"健康状况", "体温", "健康码", "健康情况", "体温检测"},
			FieldSeq:         {"序号", "编号"},
		}),
		key: FieldName, date: FieldVisitDay, times: []LedgerField{FieldTimeIn, FieldTimeOut},
	}
}

// InspectVisits reads a visitors' log as the importer reads a ledger.
func (a *App) InspectVisits(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerVisit)
}

// VisitImport are an import's choices.
type VisitImport struct {
	Sheets     []LedgerSheet // as the mapping left them; nil: inspected afresh
	Sheet      string        // only this sheet; "": every sheet with a header
	CompoundID int64         // the compound of a log without a compound column (one gate's)
	Area       int64         // a street or community telling apart compounds of the same name
	DryRun     bool
	Progress   func(done, total int)
}

// VisitImportResult is what an import of visits did (or, dry, would do).
type VisitImportResult struct {
	File     string
	Rows     int // rows naming a visit
	Imported int
	Existing int // registered before: left out
	Repeated int // a visit twice in the file: imported once
	// First and Last are the days of the visits imported (YYYY-MM-DD), for
	// the list to show them.
	First, Last string
	Problems    []ImportProblem
	DryRun      bool
}

// Failed tells whether the file has errors, and so nothing was imported.
func (r *VisitImportResult) Failed() bool {
	for _, p := range r.Problems {
		if p.Error {
			return true
		}
	}
	return false
}

// visitWho is a visit's place in time and who came: the same person (the
// same ID number, or the same name where one has no number) at the same
// compound at the same minute is the same visit.
type visitWho struct {
	compound int64
	timeIn   string
	who      string
}

// visitSeen are the visits an import holds its rows against, with where
// each was read (a sheet's row; none for the database's).
type visitSeen struct {
	byID, byNameNoID, byName map[visitWho]rowRef
}

type rowRef struct {
	sheet string
	row   int
}

func newVisitSeen() *visitSeen {
	return &visitSeen{byID: map[visitWho]rowRef{}, byNameNoID: map[visitWho]rowRef{}, byName: map[visitWho]rowRef{}}
}

func (s *visitSeen) add(compound int64, timeIn, name, id string, at rowRef) {
	if id != "" {
		s.byID[visitWho{compound, timeIn, id}] = at
	} else {
		s.byNameNoID[visitWho{compound, timeIn, name}] = at
	}
	s.byName[visitWho{compound, timeIn, name}] = at
}

func (s *visitSeen) find(v *model.Visit) (rowRef, bool) {
	if v.IDNumber != "" {
		if at, ok := s.byID[visitWho{v.CompoundID, v.TimeIn, v.IDNumber}]; ok {
			return at, true
		}
		at, ok := s.byNameNoID[visitWho{v.CompoundID, v.TimeIn, v.Name}]
		return at, ok
	}
	at, ok := s.byName[visitWho{v.CompoundID, v.TimeIn, v.Name}]
	return at, ok
}

// visitImporter is one import's state while its rows are read.
type visitImporter struct {
	a         *App
	opt       VisitImport
	res       *VisitImportResult
	date1904  bool
	compounds map[int64]model.Compound
	byName    map[string][]model.Compound
	houses    map[int64]map[string][]model.Address // compound → room → houses, read once
	seen      *visitSeen
	list      []model.Visit
}

// ImportVisits reads a visitors' log and registers its visits in one
// transaction, or none: a row with an error stops the import and is
// named by sheet, row and field with the others. Visits registered
// before (or twice in the file) are left out and counted.
func (a *App) ImportVisits(ctx context.Context, actor *Actor, path string, opt VisitImport) (*VisitImportResult, error) {
	if err := mayWrite(actor); err != nil {
		return nil, err
	}
	compounds, err := a.visibleCompounds(ctx, actor)
	if err != nil {
		return nil, err
	}
	if opt.CompoundID != 0 {
		if _, ok := compounds[opt.CompoundID]; !ok {
			return nil, problem("compound", "err.visit.compound", nil)
		}
	}
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectVisits(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	sheets, err := visitSheets(opt)
	if err != nil {
		return nil, err
	}
	im := &visitImporter{a: a, opt: opt, compounds: compounds, byName: map[string][]model.Compound{},
		houses: map[int64]map[string][]model.Address{}, seen: newVisitSeen(),
		res: &VisitImportResult{File: filepath.Base(path), DryRun: opt.DryRun}}
	if err := im.nameCompounds(ctx, opt.Area); err != nil {
		return nil, err
	}
	book, err := openLedger(path)
	if err != nil {
		return nil, err
	}
	defer book.Close()
	im.date1904 = book.Date1904()
	total := 0
	for _, s := range sheets {
		total += s.Rows
	}
	for _, s := range sheets {
		err := book.Rows(ctx, s.Name, func(num int, cells []xlsxread.Cell) error {
			if num <= s.HeaderRow {
				return nil
			}
			if err := im.row(ctx, s, num, cells); err != nil {
				return err
			}
			if opt.Progress != nil && im.res.Rows%1000 == 0 {
				opt.Progress(im.res.Rows, max(total, im.res.Rows))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("app: read sheet %s: %w", s.Name, err)
		}
	}
	res := im.res
	if res.Failed() {
		return res, nil
	}
	if err := im.leaveOutRegistered(ctx); err != nil {
		return nil, err
	}
	res.Imported = len(im.list)
	for _, v := range im.list {
		if day := v.TimeIn[:10]; res.First == "" || day < res.First {
			res.First = day
		}
		if day := v.TimeIn[:10]; day > res.Last {
			res.Last = day
		}
	}
	if opt.DryRun || len(im.list) == 0 {
		return res, nil
	}
	_, err = a.st.AddVisits(ctx, auditNote(actor.Account.Username, AuditVisitImport, res.File, map[string]any{"rows": res.Rows,
		"imported": res.Imported, "existing": res.Existing, "repeated": res.Repeated}), actor.Account.ID, im.list)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// visitSheets are the sheets an import reads, each with the columns a
// visit needs.
func visitSheets(opt VisitImport) ([]LedgerSheet, error) {
	var out []LedgerSheet
	var ps Problems
	for _, s := range opt.Sheets {
		if !s.Imported() || opt.Sheet != "" && s.Name != opt.Sheet {
			continue
		}
		ps = append(ps, checkMapping(s)...)
		if s.Field(FieldTimeIn) < 0 && s.Field(FieldVisitDay) < 0 {
			ps = append(ps, Problem{Field: "mapping", Key: "err.visit.no_time_column", Data: map[string]any{"Sheet": s.Name}})
		}
		if s.Field(FieldCompound) < 0 && opt.CompoundID == 0 {
			ps = append(ps, Problem{Field: "mapping", Key: "err.visit.no_compound_column", Data: map[string]any{"Sheet": s.Name}})
		}
		out = append(out, s)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if len(out) == 0 {
		if opt.Sheet != "" {
			return nil, problem("sheet", "err.visit.sheet", map[string]any{"Sheet": opt.Sheet})
		}
		return nil, problem("file", "err.visit.no_sheet", nil)
	}
	return out, nil
}

// nameCompounds indexes the visible compounds (under area, when given) by
// name, as a log writes them.
func (im *visitImporter) nameCompounds(ctx context.Context, area int64) error {
	var under map[int64]bool
	if area != 0 {
		areas, err := im.a.st.Areas(ctx)
		if err != nil {
			return err
		}
		under = map[int64]bool{}
		for _, ar := range areasUnder(areas, []int64{area}) {
			under[ar.ID] = true
		}
	}
	for _, c := range im.compounds {
		if under == nil || under[c.CommunityID] {
			im.byName[c.Name] = append(im.byName[c.Name], c)
		}
	}
	return nil
}

// loadHouses reads a compound's houses, once, by room.
func (im *visitImporter) loadHouses(ctx context.Context, compound int64) error {
	if _, ok := im.houses[compound]; ok {
		return nil
	}
	list, err := im.a.st.CompoundHouses(ctx, compound)
	if err != nil {
		return err
	}
	byRoom := map[string][]model.Address{}
	for _, h := range list {
		byRoom[h.Room] = append(byRoom[h.Room], h)
	}
	im.houses[compound] = byRoom
	return nil
}

// findHouse is the import's houseFinder: the compound's houses of the room.
func (im *visitImporter) findHouse(_ context.Context, c model.Compound, q model.AddressQuery) ([]model.Address, error) {
	return im.houses[c.ID][q.Room], nil
}

// leaveOutRegistered drops the visits registered before, by compound over
// the file's span of time there.
func (im *visitImporter) leaveOutRegistered(ctx context.Context) error {
	type span struct{ from, to string }
	spans := map[int64]span{}
	for _, v := range im.list {
		sp, ok := spans[v.CompoundID]
		if !ok {
			sp = span{v.TimeIn, v.TimeIn}
		}
		sp.from, sp.to = min(sp.from, v.TimeIn), max(sp.to, v.TimeIn)
		spans[v.CompoundID] = sp
	}
	db := newVisitSeen()
	for c, sp := range spans {
		err := im.a.st.VisitKeys(ctx, c, sp.from, sp.to, func(timeIn, name, id string) { db.add(c, timeIn, name, id, rowRef{}) })
		if err != nil {
			return err
		}
	}
	fresh := im.list[:0]
	for i := range im.list {
		if _, ok := db.find(&im.list[i]); ok {
			im.res.Existing++
			continue
		}
		fresh = append(fresh, im.list[i])
	}
	im.list = fresh
	return nil
}
