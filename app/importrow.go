package app

import (
	"hash/maphash"
	"strings"
	"unicode/utf8"

	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
)

// preparer turns the cells of one sheet's rows into residents: merged
// address cells filled down, values cleaned, the one validation path run,
// and repeats within the ledger found. It runs on the reading goroutine.
type preparer struct {
	a        *App
	si       int
	s        LedgerSheet
	date1904 bool
	d        *deduper
	col      [fieldCount]int // column of each field, -1 when none
	fill     []int           // columns whose merged cells fill down
	merges   map[int][]xlsxread.Range
	last     map[int]lastCell
}

type lastCell struct {
	row int
	val string
}

// fieldCount bounds the field bit numbers below.
const fieldCount = 18

// fieldBit numbers the fields so a row can say which it has as bits.
func fieldBit(f LedgerField) int {
	for i, x := range LedgerFields {
		if x == f {
			return i
		}
	}
	return fieldCount - 1
}

func (a *App) newPreparer(si int, s LedgerSheet, date1904 bool, d *deduper) *preparer {
	p := &preparer{a: a, si: si, s: s, date1904: date1904, d: d, last: map[int]lastCell{}}
	for i := range p.col {
		p.col[i] = -1
	}
	for i, f := range s.Fields {
		if f != FieldNone {
			p.col[fieldBit(f)] = i
		}
		switch f {
		case FieldCompound, FieldBuilding, FieldUnit, FieldRoom, FieldAddress:
			p.fill = append(p.fill, i)
		}
	}
	return p
}

// needsMerges reports whether a row has an empty address cell, which a
// merged cell above may fill.
func (p *preparer) needsMerges(cells []xlsxread.Cell) bool {
	for _, c := range p.fill {
		if c >= len(cells) || cells[c].Value == "" {
			return true
		}
	}
	return false
}

func (p *preparer) setMerges(rs []xlsxread.Range) {
	p.merges = map[int][]xlsxread.Range{}
	for _, r := range rs {
		if r.LastRow > r.FirstRow {
			p.merges[r.FirstCol] = append(p.merges[r.FirstCol], r)
		}
	}
}

// fillDown gives an empty cell the value of the merged range it lies in.
func (p *preparer) fillDown(num, col int) (string, bool) {
	for _, r := range p.merges[col] {
		if r.FirstRow < num && num <= r.LastRow {
			if l, ok := p.last[col]; ok && l.row == r.FirstRow {
				return l.val, true
			}
		}
	}
	return "", false
}

func (p *preparer) get(vals []string, f LedgerField) string {
	if c := p.col[fieldBit(f)]; c >= 0 {
		return vals[c]
	}
	return ""
}

func (p *preparer) isNumber(cells []xlsxread.Cell, f LedgerField) bool {
	c := p.col[fieldBit(f)]
	return c >= 0 && c < len(cells) && cells[c].Type == xlsxread.Number
}

// prepare reads one row. A row that holds no resident (empty, a total, a
// note, the header repeated) comes back with no values.
func (p *preparer) prepare(num int, cells []xlsxread.Cell) *row {
	vals, clean := p.rowValues(num, cells)
	r := &row{sheet: p.si, num: num}
	if notData(clean) || p.s.repeatsHeader(clean) {
		return r
	}
	r.values = vals
	r.given = p.givenBits(clean)

	in := ResidentInput{Name: CleanName(p.get(vals, FieldName)), Ethnicity: p.get(clean, FieldEthnicity)}
	in.Notes = p.notes(r, vals)
	var noID bool
	in.IDNumber, noID = p.idNumber(r, vals, cells)
	in.Birth = p.birth(clean, cells)
	p.words(r, &in, clean, cells)

	res, ps := p.a.CheckResident(in)
	r.checkProblems(ps, in.Birth, in.Phone, res.Birth)
	if noID && !r.failed {
		if res.Birth == "" {
			r.add(FieldIDNumber, "err.ledger.no_id_no_birth", nil, true)
		} else {
			r.add(FieldIDNumber, "warn.ledger.no_id", nil, false)
		}
	}
	res.Relation = p.relation(r, clean)
	r.tags = SplitTags(p.get(clean, FieldTags))

	if !p.place(r, clean) {
		r.add(FieldAddress, "err.ledger.no_house", nil, true)
	}
	r.res = res
	if !r.failed {
		p.dedupe(r)
	}
	return r
}

// add tells a problem with the row; an error keeps it from being imported.
func (r *row) add(f LedgerField, key string, data map[string]any, isErr bool) {
	r.problems = append(r.problems, ImportProblem{Field: f, Key: key, Data: data, Error: isErr})
	r.failed = r.failed || isErr
}

// rowValues gives the row's texts, one a header, with empty address cells
// filled down from the merged cell above, and the same texts cleaned.
func (p *preparer) rowValues(num int, cells []xlsxread.Cell) (vals, clean []string) {
	vals = make([]string, max(len(p.s.Headers), 1))
	for i, c := range cells {
		if i < len(vals) {
			vals[i] = c.Value
		}
	}
	for _, c := range p.fill {
		if vals[c] == "" {
			if v, ok := p.fillDown(num, c); ok {
				vals[c] = v
			}
		} else {
			p.last[c] = lastCell{num, vals[c]}
		}
	}
	clean = make([]string, len(vals))
	for i, v := range vals {
		clean[i] = CleanCell(v)
	}
	return vals, clean
}

// givenBits says which fields the row has a value for, so that an update
// changes only those.
func (p *preparer) givenBits(clean []string) uint32 {
	var given uint32
	for _, f := range LedgerFields {
		if c := p.col[fieldBit(f)]; c >= 0 && clean[c] != "" {
			given |= 1 << fieldBit(f)
		}
	}
	return given
}

// notes reads the notes as typed (Excel's text mark ' dropped), cut to
// what the field takes, with a warning: the row is imported all the same.
func (p *preparer) notes(r *row, vals []string) string {
	notes := strings.TrimFunc(strings.TrimPrefix(strings.TrimLeftFunc(p.get(vals, FieldNotes), isBlank), "'"), isBlank)
	if n := utf8.RuneCountInString(notes); n > maxText {
		notes = string([]rune(notes)[:maxText])
		r.add(FieldNotes, "warn.ledger.text_long", map[string]any{"Max": maxText, "Count": n}, false)
	}
	return notes
}

// idNumber reads the ID number. One Excel stored as a number has lost its
// last digits, and a masked one is not the person's: both are errors.
// noID says the row names none (empty or 无).
func (p *preparer) idNumber(r *row, vals []string, cells []xlsxread.Cell) (id string, noID bool) {
	id = CleanCode(p.get(vals, FieldIDNumber))
	noID = id == "" || NoIDNumber(id)
	switch {
	case noID:
	case NumericIDNumber(id, p.isNumber(cells, FieldIDNumber)):
		r.add(FieldIDNumber, "err.ledger.id_numeric", map[string]any{"Value": id}, true)
	case strings.Contains(id, "*"):
		r.add(FieldIDNumber, "err.ledger.id_masked", nil, true)
	default:
		return id, false
	}
	return "", noID
}

// birth reads the birth date, an Excel date number as its date.
func (p *preparer) birth(clean []string, cells []xlsxread.Cell) string {
	birth := p.get(clean, FieldBirth)
	if p.isNumber(cells, FieldBirth) {
		if d, ok := ExcelDate(birth, p.date1904); ok {
			birth = d
		}
	}
	return birth
}

// words reads the sex, the phone, the kind and the status. A word the
// ledger uses that is not known is a warning: the field is left empty.
func (p *preparer) words(r *row, in *ResidentInput, clean []string, cells []xlsxread.Cell) {
	if sx := strings.ToLower(p.get(clean, FieldSex)); sx != "" {
		if s, ok := sexWords[sx]; ok {
			in.Sex = s
		} else {
			r.add(FieldSex, "warn.ledger.sex_unknown", map[string]any{"Value": sx}, false)
		}
	}
	in.Phone = p.get(clean, FieldPhone)
	if p.isNumber(cells, FieldPhone) {
		in.Phone = NumberText(in.Phone)
	}
	if k := p.get(clean, FieldKind); k != "" {
		if kind, ok := kindWords[k]; ok {
			in.Kind = kind
		} else {
			r.add(FieldKind, "warn.ledger.kind_unknown", map[string]any{"Value": k}, false)
		}
	}
	if st := p.get(clean, FieldStatus); st != "" {
		if status, ok := statusWords[st]; ok {
			in.Status = status
		} else {
			r.add(FieldStatus, "warn.ledger.status_unknown", map[string]any{"Value": st}, false)
		}
	}
}

// checkProblems tells the row's problems found by the one validation path
// in the ledger's words: a contradiction between the ID number and the
// birth or the sex, and a bad phone, are warnings. typed is the birth as
// the ledger gives it, birth the one the check settled on.
func (r *row) checkProblems(ps Problems, typed, phone, birth string) {
	for _, pr := range ps {
		switch {
		case pr.Key == "err.birth.contradicts":
			r.add(FieldBirth, "warn.ledger.birth_contradicts", map[string]any{"Value": typed, "Birth": birth}, false)
		case pr.Key == "err.sex.contradicts":
			r.add(FieldSex, "warn.ledger.sex_contradicts", nil, false)
		case pr.Field == "phone":
			r.add(FieldPhone, "warn.ledger.phone", map[string]any{"Value": phone}, false)
		case pr.Field == "birth" && typed != "":
			r.add(FieldBirth, "err.ledger.birth", map[string]any{"Value": typed}, true)
		default:
			r.add(LedgerField(pr.Field), pr.Key, pr.Data, true)
		}
	}
}

// relation reads the relation to the head of the household, other when
// the ledger gives none or one not known.
func (p *preparer) relation(r *row, clean []string) model.Relation {
	rel := p.get(clean, FieldRelation)
	if rel == "" {
		if p.col[fieldBit(FieldRelation)] >= 0 {
			r.add(FieldRelation, "warn.ledger.relation_empty", nil, false)
		}
		return model.RelOther
	}
	if rr, ok := relWords[rel]; ok {
		r.relGiven = true
		return rr
	}
	r.add(FieldRelation, "warn.ledger.relation_unknown", map[string]any{"Value": rel}, false)
	return model.RelOther
}

// place finds the row's address: separate columns, or one address text
// split into its parts, the compound from the sheet's name when the
// ledger names none.
func (p *preparer) place(r *row, clean []string) bool {
	var q model.AddressQuery
	if addr := p.get(clean, FieldAddress); addr != "" {
		if parsed, ok := ParseAddress(addr); ok {
			q = parsed
		} else {
			q.Compound = addr
		}
	}
	for _, x := range []struct {
		f   LedgerField
		dst *string
	}{{FieldCompound, &q.Compound}, {FieldBuilding, &q.Building}, {FieldUnit, &q.Unit}, {FieldRoom, &q.Room}} {
		if v := p.get(clean, x.f); v != "" {
			*x.dst = v
		}
	}
	if q.Compound == "" {
		q.Compound = CleanCell(p.s.Name)
	}
	r.place = [4]string{q.Compound, CleanPlace(q.Building), CleanPlace(q.Unit), CleanPlace(q.Room)}
	return r.place[3] != ""
}

// repeatsHeader recognizes the header repeated further down a sheet
// (printed ledgers repeat it on every page).
func (s LedgerSheet) repeatsHeader(clean []string) bool {
	same := 0
	for i, c := range clean {
		if i < len(s.Headers) && c != "" && c == s.Headers[i] {
			same++
		}
	}
	return same >= 2 && same*2 >= len(s.Headers)
}

// dedupe finds the same ID number on an earlier row (the same row again
// is imported once; different data is an error naming the first) and a
// row without an ID number repeated exactly.
func (p *preparer) dedupe(r *row) {
	// The same row is the same once read: 138 0013 8000 and 138-0013-8000
	// are one phone, 张  三 and 张 三 one name.
	var h maphash.Hash
	h.SetSeed(p.d.seed)
	x := r.res
	for _, v := range []string{x.Name, x.IDNumber, string(x.Sex), x.Birth, x.Phone, x.Ethnicity, string(x.Kind), string(x.Status),
		x.Notes, string(x.Relation), r.place[0], r.place[1], r.place[2], r.place[3], strings.Join(r.tags, "、")} {
		h.WriteString(v)
		h.WriteByte(0)
	}
	sum := h.Sum64()
	here := seenRow{sheet: int32(p.si), row: int32(r.num), hash: sum}
	var first seenRow
	var seen bool
	if id := r.res.IDNumber; id != "" {
		if first, seen = p.d.ids[idKey(id)]; !seen {
			p.d.ids[idKey(id)] = here
		}
	} else if first, seen = p.d.exact[sum]; !seen {
		p.d.exact[sum] = here
	}
	if !seen {
		return
	}
	data := map[string]any{"Row": int(first.row), "SheetIndex": int(first.sheet)}
	if first.hash == sum {
		r.skip = true
		r.problems = append(r.problems, ImportProblem{Field: FieldNone, Key: "warn.ledger.repeat", Data: data})
		return
	}
	r.failed = true
	r.problems = append(r.problems, ImportProblem{Field: FieldIDNumber, Key: "err.ledger.id_twice", Data: data, Error: true})
}
