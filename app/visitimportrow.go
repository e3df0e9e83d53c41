package app

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"shequ/app/ledger/xlsxread"
)

// The rows of a visitors' log: each cell cleaned and read as the gate
// writes it (times in many forms, Excel's numbers, masked exports), then
// the visit checked with the gate's form's checks.

// visitRow is one row of a log on its way through the checks.
type visitRow struct {
	im     *visitImporter
	s      LedgerSheet
	num    int
	cells  []xlsxread.Cell
	clean  []string
	failed bool
}

// get is the cell of field f, cleaned, and whether Excel holds a number.
func (r *visitRow) get(f LedgerField) (string, bool) {
	i := r.s.Field(f)
	if i < 0 || i >= len(r.cells) {
		return "", false
	}
	return r.clean[i], r.cells[i].Type == xlsxread.Number
}

// fail records an error of the row's field f.
func (r *visitRow) fail(f LedgerField, key string, data map[string]any) {
	r.im.res.Problems = append(r.im.res.Problems, ImportProblem{Sheet: r.s.Name, Row: r.num, Field: f, Key: key, Data: data, Error: true})
	r.failed = true
}

// blank tells a row that names no visit: empty, a note or a total, the
// header again, or a printed form's numbered line left blank.
func (r *visitRow) blank() bool {
	if notData(r.clean) || r.s.repeatsHeader(r.clean) {
		return true
	}
	for _, f := range []LedgerField{FieldTimeIn, FieldTimeOut, FieldName, FieldIDNumber, FieldPhone, FieldCompound, FieldVisitedHouse,
		FieldVisitReason, FieldHealth} {
		if v, _ := r.get(f); v != "" {
			return false
		}
	}
	return true
}

// row reads one row of a sheet: checked as the gate's form checks a
// visit, its problems recorded, or the visit kept for the write.
func (im *visitImporter) row(ctx context.Context, s LedgerSheet, num int, cells []xlsxread.Cell) error {
	r := &visitRow{im: im, s: s, num: num, cells: cells, clean: make([]string, len(cells))}
	for i, c := range cells {
		r.clean[i] = CleanCell(c.Value)
	}
	if r.blank() {
		return nil
	}
	im.res.Rows++
	var in VisitInput
	in.Name, _ = r.get(FieldName)
	in.Reason, _ = r.get(FieldVisitReason)
	in.Health, _ = r.get(FieldHealth)
	in.House, _ = r.get(FieldVisitedHouse)
	in.CompoundID = r.compound()
	in.IDNumber, in.Phone = r.codes()
	var timeOut string
	in.TimeIn, timeOut = r.times()
	if in.CompoundID != 0 && in.House != "" {
		if err := im.loadHouses(ctx, in.CompoundID); err != nil {
			return err
		}
	}
	v, ps := im.a.checkVisit(ctx, in, im.compounds, im.findHouse)
	for _, p := range ps {
		if p.Field == "compound" || p.Field == "time_in" && in.TimeIn == "" {
			continue // said above
		}
		r.fail(LedgerField(p.Field), p.Key, p.Data)
	}
	if r.failed {
		return nil
	}
	v.TimeOut = timeOut
	if first, ok := im.seen.find(&v); ok {
		im.res.Repeated++
		im.res.Problems = append(im.res.Problems, ImportProblem{Sheet: s.Name, Row: num, Key: "warn.visit.twice",
			Data: map[string]any{"Sheet": first.sheet, "Row": first.row}})
		return nil
	}
	im.seen.add(v.CompoundID, v.TimeIn, v.Name, v.IDNumber, rowRef{s.Name, num})
	im.list = append(im.list, v)
	return nil
}

// compound is the visited compound, by its name in the row or the one
// chosen for the log; 0 when there is none to be sure of.
func (r *visitRow) compound() int64 {
	name, _ := r.get(FieldCompound)
	found := r.im.byName[name]
	if len(found) == 0 { // 锦绣花园小区 for 锦绣花园, and the other way round
		if base, ok := strings.CutSuffix(name, "小区"); ok {
			found = r.im.byName[base]
		} else {
			found = r.im.byName[name+"小区"]
		}
	}
	switch {
	case name == "" && r.im.opt.CompoundID != 0:
		return r.im.opt.CompoundID
	case name == "":
		r.fail(FieldCompound, "err.visit.no_compound", nil)
	case len(found) == 1:
		return found[0].ID
	case len(found) == 0:
		r.fail(FieldCompound, "err.compound.unknown", map[string]any{"Name": name})
	default:
		r.fail(FieldCompound, "err.visit.compound_ambiguous", map[string]any{"Name": name, "Count": len(found)})
	}
	return 0
}

// codes are the visitor's ID number and phone as written ("" for 无 or /);
// what Excel or a masked export made of them is a problem here, the rest
// is checked with the form's checks.
func (r *visitRow) codes() (id, phone string) {
	switch v, isNum := r.get(FieldIDNumber); {
	case v == "" || NoIDNumber(v):
	case NumericIDNumber(v, isNum):
		r.fail(FieldIDNumber, "err.ledger.id_numeric", map[string]any{"Value": v})
	case strings.Contains(v, "*"):
		r.fail(FieldIDNumber, "err.ledger.id_masked", nil)
	default:
		id = v
	}
	switch v, isNum := r.get(FieldPhone); {
	case v == "" || NoIDNumber(v):
	case strings.Contains(v, "*"):
		r.fail(FieldPhone, "err.visit.phone_masked", nil)
	case isNum:
		phone = NumberText(v)
	default:
		phone = v
	}
	return id, phone
}

// times are the times in and out as YYYY-MM-DD HH:MM ("" when wrong or,
// for the time out, not written): a date and time, an Excel date-time, or
// a time of day on the row's day (the day column's, for the time out the
// day of the time in).
func (r *visitRow) times() (in, out string) {
	day, dayBad := "", false
	if d, isNum := r.get(FieldVisitDay); d != "" {
		if isNum {
			d, _ = ExcelDate(d, r.im.date1904)
		}
		var ok bool
		if day, ok = ParseDate(d); !ok {
			r.fail(FieldVisitDay, "err.visit.day", map[string]any{"Value": d})
			dayBad = true
		}
	}
	text := r.timeText(FieldTimeIn)
	in, key := importTime(text, day)
	switch {
	case dayBad && (key == "" || key == "err.visit.time_no_day"): // said of the day
		in = ""
	case text == "" && day != "":
		in = day + " 00:00" // a paper log's day alone
	case text == "":
		r.fail(FieldTimeIn, "err.visit.no_time", nil)
	case key != "":
		r.fail(FieldTimeIn, key, map[string]any{"Value": text})
	}
	text = r.timeText(FieldTimeOut)
	if text == "" {
		return in, ""
	}
	outDay, _, _ := strings.Cut(in, " ")
	if outDay == "" {
		outDay = day
	}
	out, key = importTime(text, outDay)
	switch {
	case dayBad && key == "err.visit.time_no_day":
	case key != "":
		r.fail(FieldTimeOut, key, map[string]any{"Value": text})
	case in != "" && out < in:
		r.fail(FieldTimeOut, "err.visit.out_before_in", map[string]any{"In": in})
	}
	return in, out
}

// timeText is a time cell as written, an Excel date-time as text.
func (r *visitRow) timeText(f LedgerField) string {
	text, isNum := r.get(f)
	if isNum {
		text = excelTimeText(text, r.im.date1904)
	}
	return text
}

// visitDateTimeRe splits a date followed by a time of day: 2026-11-29
// 08:30, 2026/11/29 8:30:00, 2026年11月29日8时30分.
var visitDateTimeRe = regexp.MustCompile(`^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8})\s*T?\s*(\d.*)$`)

// visitClock reads a visit's time of day as HH:MM (not the day's end).
func visitClock(s string) (string, bool) {
	c, ok := ParseClock(s)
	return c, ok && c != "24:00"
}

// importTime reads a log's time: a date and a time of day (any date
// ParseDate reads), a time of day alone on day, or a date alone (its
// midnight). key says what is wrong.
func importTime(s, day string) (string, string) {
	s = strings.TrimSpace(toHalfWidth(s))
	switch {
	case s == "":
		return "", ""
	case len(s) == len("2006-01-02 15:04") && s[4] == '-' && s[10] == ' ': // as the export writes it
		if _, err := time.Parse("2006-01-02 15:04", s); err == nil {
			return s, ""
		}
	case visitDateTimeRe.MatchString(s):
		m := visitDateTimeRe.FindStringSubmatch(s)
		d, okDay := ParseDate(m[1])
		c, okClock := visitClock(m[2])
		if okDay && okClock {
			return d + " " + c, ""
		}
	default:
		if c, ok := visitClock(s); ok {
			if day == "" {
				return "", "err.visit.time_no_day"
			}
			return day + " " + c, ""
		}
		if d, ok := ParseDate(s); ok {
			return d + " 00:00", ""
		}
	}
	return "", "err.visit.time"
}

// excelTimeText is an Excel date-time serial as a log writes it:
// 2026-11-29 08:30, or 08:30 for a time of day alone (a serial under 1).
func excelTimeText(v string, date1904 bool) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f > 2958465 {
		return v
	}
	days := math.Floor(f)
	mins := int(math.Round((f - days) * 24 * 60))
	if mins == 24*60 {
		days, mins = days+1, 0
	}
	clock := fmt.Sprintf("%02d:%02d", mins/60, mins%60)
	if days < 1 {
		return clock
	}
	d, ok := ExcelDate(strconv.FormatFloat(days, 'f', 0, 64), date1904)
	if !ok {
		return v
	}
	return d + " " + clock
}
