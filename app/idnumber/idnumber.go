// Package idnumber validates, normalises and formats Chinese citizen
// identity numbers (居民身份证号码) as defined by GB 11643-1999.
//
// An 18-character number consists of a six-digit administrative region
// code, an eight-digit birth date (YYYYMMDD), a three-digit sequence code
// whose last digit is odd for men and even for women, and a check
// character computed with ISO 7064 MOD 11-2 ("0"–"9" or "X").
// First-generation 15-digit numbers (six-digit region, YYMMDD birth date in
// the 1900s, three-digit sequence, no check character) are accepted and
// converted to the 18-character form.
//
// Input is normalised first, so numbers pasted from Excel or typed with an
// input method (full-width digits, spaces, a leading apostrophe, a
// lower-case x) are accepted.
package idnumber

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors. Parse returns an *Error whose Kind is one of these;
// test for them with errors.Is.
var (
	// ErrEmpty means the input was empty after normalisation.
	ErrEmpty = errors.New("idnumber: empty")
	// ErrLength means the input was not 15 or 18 characters long.
	ErrLength = errors.New("idnumber: length")
	// ErrCharacters means the input contained something other than digits
	// (an X is allowed only as the last character of an 18-character number).
	ErrCharacters = errors.New("idnumber: characters")
	// ErrRegion means the first two digits are not a known province code.
	ErrRegion = errors.New("idnumber: region")
	// ErrBirthDate means the birth date is not a real calendar date, is
	// before 1850-01-01, or is after today.
	ErrBirthDate = errors.New("idnumber: birth date")
	// ErrChecksum means the check character (the 18th) is wrong.
	ErrChecksum = errors.New("idnumber: check character")
)

// Error is the error returned by Parse and ParseAt.
type Error struct {
	// Kind is one of the sentinel errors ErrEmpty, ErrLength,
	// ErrCharacters, ErrRegion, ErrBirthDate or ErrChecksum.
	Kind error
	// Expected is the correct check character when Kind is ErrChecksum,
	// otherwise 0.
	Expected byte
	// Length is the number of characters (runes) in the normalised input.
	Length int
}

// Error returns a short English description such as
// "idnumber: length 17, want 15 or 18".
func (e *Error) Error() string {
	switch {
	case e.Kind == nil:
		return "idnumber: invalid"
	case e.Kind == ErrLength:
		return fmt.Sprintf("idnumber: length %d, want 15 or 18", e.Length)
	case e.Kind == ErrChecksum && e.Expected != 0:
		return fmt.Sprintf("idnumber: check character, want %c", e.Expected)
	}
	return e.Kind.Error()
}

// Unwrap returns e.Kind so that errors.Is(err, ErrChecksum) and the like work.
func (e *Error) Unwrap() error { return e.Kind }

// Sex is the sex encoded in an identity number: Male ('M') or Female ('F').
type Sex byte

// The two values of Sex.
const (
	Male   Sex = 'M'
	Female Sex = 'F'
)

// String returns "M" or "F", or "Sex(n)" for any other value.
func (s Sex) String() string {
	switch s {
	case Male:
		return "M"
	case Female:
		return "F"
	}
	return fmt.Sprintf("Sex(%d)", byte(s))
}

// Info is the information carried by a valid identity number.
type Info struct {
	// Number is the 18-character number, with an upper-case X.
	Number string
	// Birth is the birth date at 00:00 UTC.
	Birth time.Time
	// Sex is Male or Female.
	Sex Sex
	// Region is the six-digit administrative region code (the first six digits).
	Region string
	// Converted is true when the input was a 15-digit first-generation number.
	Converted bool
}

// Normalize cleans up an identity number as typed or pasted: it removes
// ASCII and Unicode white space (including U+3000, tabs and newlines) and
// zero-width characters anywhere in the string, converts full-width
// characters (digits, letters, punctuation) to ASCII, removes leading
// apostrophes (', ’ or ‘, as left by Excel text cells) and turns a lower-case
// x into X. Bytes that are not valid UTF-8 become U+FFFD. It does not
// validate; Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// Ranging over s turns each invalid byte into U+FFFD, so removing
	// spaces cannot join stray bytes into a valid rune.
	for _, r := range s {
		if isSpace(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if r == 'x' {
			r = 'X'
		}
		b.WriteRune(r)
	}
	return trimApostrophes(b.String())
}

// isSpace reports whether r is white space or an invisible format
// character that should be dropped from pasted input.
func isSpace(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsSpace(r)
}

// trimApostrophes removes any leading apostrophes (Excel's text marker and
// its typographic variants).
func trimApostrophes(s string) string {
	for {
		switch {
		case strings.HasPrefix(s, "'"):
			s = s[1:]
		case strings.HasPrefix(s, "\u2019"), strings.HasPrefix(s, "\u2018"):
			s = s[len("\u2019"):]
		default:
			return s
		}
	}
}

// weights are the MOD 11-2 weights of the first 17 digits.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum modulo 11 to the check character.
const checkChars = "10X98765432"

// CheckChar returns the check character ('0'–'9' or 'X') for the first 17
// digits of an identity number, using ISO 7064 MOD 11-2. It returns 0 if
// first17 is not exactly 17 ASCII digits.
func CheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Parse normalises s (see Normalize) and validates it as a 15- or
// 18-character identity number, using the current local date for the
// "birth date in the future" check. See ParseAt.
func Parse(s string) (Info, error) {
	return ParseAt(s, time.Now())
}

// earliest is the earliest birth date accepted.
var earliest = time.Date(1850, time.January, 1, 0, 0, 0, 0, time.UTC)

// ParseAt is like Parse but takes the current date explicitly: a birth date
// after today's calendar date (in today's location) is rejected. A 15-digit
// number is converted to 18 characters by inserting "19" before the
// two-digit birth year and appending the check character.
//
// Checks are made in this order: empty, length, characters, region, birth
// date, check character. On failure the returned error is an *Error and
// the Info is zero.
func ParseAt(s string, today time.Time) (Info, error) {
	s = Normalize(s)
	n := utf8.RuneCountInString(s)
	fail := func(kind error, expected byte) (Info, error) {
		return Info{}, &Error{Kind: kind, Expected: expected, Length: n}
	}
	if n == 0 {
		return fail(ErrEmpty, 0)
	}
	if n != 15 && n != 18 {
		return fail(ErrLength, 0)
	}
	if len(s) != n { // some non-ASCII character
		return fail(ErrCharacters, 0)
	}
	for i := 0; i < n; i++ {
		c := s[i]
		if (c < '0' || c > '9') && !(c == 'X' && i == 17) {
			return fail(ErrCharacters, 0)
		}
	}
	if Province(s) == "" {
		return fail(ErrRegion, 0)
	}

	converted := n == 15
	var year int
	var date string // MMDD
	if converted {
		year = 1900 + atoi(s[6:8])
		date = s[8:12]
	} else {
		year = atoi(s[6:10])
		date = s[10:14]
	}
	month, day := atoi(date[:2]), atoi(date[2:])
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) {
		return fail(ErrBirthDate, 0)
	}
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	ty, tm, td := today.Date()
	if birth.Before(earliest) || birth.After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return fail(ErrBirthDate, 0)
	}

	var number string
	if converted {
		first17 := s[:6] + "19" + s[6:]
		number = first17 + string(CheckChar(first17))
	} else {
		want := CheckChar(s[:17])
		if s[17] != want {
			return fail(ErrChecksum, want)
		}
		number = s
	}
	sex := Female
	if (number[16]-'0')%2 == 1 {
		sex = Male
	}
	return Info{
		Number:    number,
		Birth:     birth,
		Sex:       sex,
		Region:    number[:6],
		Converted: converted,
	}, nil
}

// atoi converts a short string of ASCII digits (already checked) to an int.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days in the given month.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Valid reports whether Parse accepts s (after normalisation; 15-digit
// numbers count as valid).
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// Mask hides the middle of a number for display, keeping the first 4 and
// the last 4 characters and replacing the rest with '*', so the result has
// as many characters (runes) as s: "510104199001011234" becomes
// "5101**********1234". A string of 8 characters or fewer becomes all
// stars; "" stays "". Mask does not normalise or validate s.
func Mask(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= 8 {
		return strings.Repeat("*", n)
	}
	// Byte offsets of the end of the 4th rune and the start of the 4th
	// rune from the end; original bytes are kept as they are.
	head := 0
	for i := 0; i < 4; i++ {
		_, size := utf8.DecodeRuneInString(s[head:])
		head += size
	}
	tail := len(s)
	for i := 0; i < 4; i++ {
		_, size := utf8.DecodeLastRuneInString(s[:tail])
		tail -= size
	}
	return s[:head] + strings.Repeat("*", n-8) + s[tail:]
}

// Age returns the age in full years at the date of at: the birthday itself
// counts, and someone born on 29 February becomes a year older on 1 March
// in common years. The calendar dates of birth and at are taken in their
// own locations. Age returns 0 if at is before birth.
func Age(birth, at time.Time) int {
	by, bm, bd := birth.Date()
	ay, am, ad := at.Date()
	age := ay - by
	if am < bm || (am == bm && ad < bd) {
		age--
	}
	if age < 0 {
		return 0
	}
	return age
}

// provinces maps the first two digits of a region code to a name.
var provinces = map[string]string{
	"11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
	"21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
	"31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
	"41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
	"50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
	"61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
	"71": "台湾", "81": "香港", "82": "澳门", "83": "台湾",
}

// foreigners names a foreigner's permanent residence card (外国人永久居留身份证,
// 2023 form): "9" and the two-digit code of the province that issued it,
// then birth date, sequence and check character as a citizen's number.
const foreigners = "外国人永久居留"

// Province returns the Chinese name of the province-level division for the
// first two digits of region (a region code or a whole identity number),
// for example "四川省" for "510104", "香港" for "81…". Codes 71 and 83 give
// "台湾"; "9" and a mainland province's code (911…, 931…, 944…: a
// foreigner's permanent residence card) gives "外国人永久居留".
// It returns "" for an unknown code or a string shorter than two bytes.
func Province(region string) string {
	if len(region) < 2 {
		return ""
	}
	if region[0] == '9' {
		if len(region) >= 3 && region[1] >= '1' && region[1] <= '6' && provinces[region[1:3]] != "" {
			return foreigners
		}
		return ""
	}
	return provinces[region[:2]]
}

// Synthesize builds a valid 18-character identity number for synthetic
// demo data from a six-digit region code, the calendar date of birth (in
// birth's location), a sequence number and a sex. The three-digit sequence
// code is derived from seq (any int; 500 values are possible per region,
// date and sex) and its last digit is odd for Male and even otherwise.
//
// The result parses back to the same birth date and sex when region starts
// with a known province code and birth is between 1850-01-01 and today.
// Synthesize panics if region is not six ASCII digits or the birth year is
// outside 0–9999.
func Synthesize(region string, birth time.Time, seq int, sex Sex) string {
	if len(region) != 6 || strings.Trim(region, "0123456789") != "" {
		panic(fmt.Sprintf("idnumber: Synthesize: region %q is not six digits", region))
	}
	y, m, d := birth.Date()
	if y < 0 || y > 9999 {
		panic(fmt.Sprintf("idnumber: Synthesize: birth year %d out of range", y))
	}
	code := seq % 500
	if code < 0 {
		code += 500
	}
	code *= 2
	if sex == Male {
		code++
	}
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", region, y, int(m), d, code)
	return first17 + string(CheckChar(first17))
}
