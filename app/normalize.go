package app

import (
	"math"
	"regexp"
	"shequ/app/idnumber"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxText is the most characters a free-text field takes (a resident's
// note, an appeal's text, a work log, an activity's note, a booking's
// purpose): far below the 32,767 an Excel cell holds, so that no export
// cuts one.
const maxText = 4000

// Normalizers of ledger cells: what hands and years of Excel do to values
// (spaces, line breaks, full-width characters, apostrophes, numbers where
// text was meant), undone before the one validation path sees them.

// CleanCell trims a cell's value: one leading apostrophe (Excel's "this is
// text" mark, also what an export puts before a value that would read as
// a formula) goes, full-width ASCII becomes half-width, whitespace of any
// kind around the value goes and runs inside become one space.
func CleanCell(s string) string {
	s = strings.TrimPrefix(strings.TrimLeftFunc(s, isBlank), "'")
	if isPlain(s) {
		return s
	}
	return strings.Join(strings.FieldsFunc(toHalfWidth(s), isBlank), " ")
}

// isPlain reports whether s needs no cleaning: printable ASCII or CJK
// without doubled, leading or trailing spaces (the common case, kept fast).
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case r < ' ' || r == 0x7f || r == utf8.RuneError, r >= '！' && r <= '～', unicode.IsSpace(r):
			return false
		}
		prevSpace = false
	}
	return true
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

// CleanName cleans a name and drops the spaces staff type between the
// characters of a Chinese name to line it up (张  三); spaces between
// Latin words stay.
func CleanName(s string) string {
	s = CleanCell(s)
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[i+1]) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CleanCode cleans an ID number or a phone: no spaces at all, the check
// character in upper case.
func CleanCode(s string) string {
	s = CleanCell(s)
	if strings.ContainsAny(s, " ") {
		s = strings.ReplaceAll(s, " ", "")
	}
	return strings.ToUpper(s)
}

// noIDWords are what offices write for a resident without an ID number
// yet (a newborn).
var noIDWords = map[string]bool{"未办理": true, "未办": true, "无": true, "暂无": true, "没有": true, "/": true, "-": true,
	"—": true, "--": true, "未办证": true, "未申领": true, "待办理": true, "新生儿": true}

// NoIDNumber reports whether a cleaned ID cell says there is no number yet.
func NoIDNumber(s string) bool { return noIDWords[s] }

var sciRe = regexp.MustCompile(`^[0-9](\.[0-9]+)?E\+?[0-9]+$`)

// NumericIDNumber reports whether an ID cell holds what Excel makes of an
// ID number typed as a number: a float such as 5.10104199001011E+17, or
// 18 digits whose last ones are zeros because a double keeps only 15.
// Either way the last digits are lost and must be typed again as text.
func NumericIDNumber(value string, isNumber bool) bool {
	if sciRe.MatchString(strings.ToUpper(value)) {
		return true
	}
	if !isNumber {
		return false
	}
	// Kept whole: 15 digits fit a double, and 18 digits with a valid
	// check character (not Excel's rounding, which ends in zeros) were
	// written by a program that kept them.
	if strings.Trim(value, "0123456789") == "" {
		if len(value) == 15 {
			return false
		}
		if len(value) == 18 && !strings.HasSuffix(value, "00") && idnumber.CheckChar(value[:17]) == value[17] {
			return false
		}
	}
	f, err := strconv.ParseFloat(value, 64)
	return err == nil && f >= 1e14
}

// NumberText turns a number cell into the digits it stands for (a phone
// stored as a number, 1.3800138E+10 → 13800138000); other text is kept.
func NumberText(value string) string {
	if !strings.ContainsAny(value, ".eE") {
		return value
	}
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f >= 1e15 {
		return value
	}
	return strconv.FormatInt(int64(f), 10)
}

// ExcelDate turns an Excel date serial (days since 1899-12-30, or since
// 1904-01-01 in a 1904 workbook) into YYYY-MM-DD.
func ExcelDate(value string, date1904 bool) (string, bool) {
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || f < 1 || f > 2958465 || math.IsNaN(f) {
		return "", false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if f < 61 {
		// Excel counts a 29 February 1900 that never was.
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, int(f)).Format("2006-01-02"), true
}

// SplitTags splits a tags cell on 、，,；; and spaces.
func SplitTags(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == ',' || r == '；' || r == ';' || r == '/' || isBlank(r)
	}) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// placeRe takes a building's, unit's or room's word off a number
// (3栋, 3幢, 3号楼, 2单元, 501室, 501号) so that 3栋 and 3 are one building.
var placeRe = regexp.MustCompile(`^([0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)\s*(?:栋|幢|号楼|座|楼|单元|室|号|户)?$`)

// CleanPlace cleans a building, unit or room cell.
func CleanPlace(s string) string {
	s = CleanCell(s)
	if m := placeRe.FindStringSubmatch(s); m != nil {
		return strings.ToUpper(m[1])
	}
	return s
}

// totalRe matches the first cell of a totals row (合计, 小计, 共12人).
var totalRe = regexp.MustCompile(`^(合\s*计|小\s*计|总\s*计|共\s*[0-9]+\s*(人|户|条|名)|总人数|人数合计)`)

// noteRe matches the first cell of a note under or above a table.
var noteRe = regexp.MustCompile(`^(填表说明|填报说明|说明[:：]|注[:：]|备注[:：]|注意|填表人|填报人|填报单位|审核人|制表|负责人|统计时间|填表日期|填报日期)`)

// notData reports whether a row holds no resident: empty, a totals line or
// a note. cells are the row's cleaned values.
func notData(cells []string) bool {
	first, filled := "", 0
	for _, c := range cells {
		if c != "" {
			if filled == 0 {
				first = c
			}
			filled++
		}
	}
	if filled == 0 {
		return true
	}
	if totalRe.MatchString(first) {
		return true
	}
	// A note is a sentence in one or two cells, not a resident's row.
	return filled <= 3 && noteRe.MatchString(first)
}
