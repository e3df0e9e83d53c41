// Package phone normalises, validates and masks Chinese (mainland) phone
// numbers as they are typed in community offices and pasted from Excel.
//
// Two kinds of number are recognised:
//
//   - mobiles: 11 digits starting with 13–19, normalised to "13800138000";
//   - landlines with an area code: 010 and 020–029 are three-character area
//     codes, every other 0XXX code has four characters; the local number has
//     7 or 8 digits. They are normalised to "AREA-LOCAL", for example
//     "028-87654321" or "0755-1234567", optionally followed by an extension
//     as in "028-87654321-123".
//
// Numbers outside mainland China (other than a +86 / 0086 / 86 prefix) are
// rejected.
package phone

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error returned by Normalize; test for it
// with errors.Is.
var ErrInvalid = errors.New("phone: invalid")

// invalidError carries a short English detail and wraps ErrInvalid.
type invalidError struct{ detail string }

func (e *invalidError) Error() string { return "phone: " + e.detail }
func (e *invalidError) Unwrap() error { return ErrInvalid }

func invalid(format string, args ...any) error {
	return &invalidError{detail: fmt.Sprintf(format, args...)}
}

// maxExt is the maximum number of digits in an extension.
const maxExt = 6

// Normalize accepts a mobile or landline number as typed in offices and
// Excel and returns it in canonical form, or an error wrapping ErrInvalid
// with a short English detail such as "phone: 12 digits, a mobile has 11".
//
// Accepted noise: white space anywhere (including U+3000 and zero-width
// characters), dashes, dots and parentheses as separators, full-width
// characters, leading apostrophes (' ’ ‘, as left by Excel text cells) and
// an international prefix +86, 0086 or 86. After the prefix a mobile keeps
// its 11 digits and a landline may omit its leading 0 ("+86 28 8765 4321",
// "+86 10 1234 5678"). A mobile written with a long-distance 0 in front
// ("013800138000") is accepted as a mobile.
//
// A mobile is returned as 11 digits ("13800138000"). A landline must have
// an area code and is returned as "AREA-LOCAL" ("028-87654321",
// "0755-1234567"). A landline may be followed by an extension of 1–6 digits,
// introduced by 转, 分机, ext or x, or separated by a dash after a local
// number written as one group ("028-87654321-123"); the result is then
// "AREA-LOCAL-EXT".
//
// An empty string (after trimming white space and apostrophes) returns
// "", nil. Every successful result normalises to itself.
func Normalize(s string) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	t, err := tokenize(s)
	if err != nil {
		return "", err
	}
	digits := strings.Join(t.groups, "")
	if digits == "" {
		return "", invalid("no digits")
	}

	// International prefix.
	intl := false
	prefix := 0
	switch {
	case t.plus:
		if !strings.HasPrefix(digits, "86") {
			return "", invalid("only +86 numbers are supported")
		}
		intl, prefix = true, 2
	case strings.HasPrefix(digits, "0086"):
		intl, prefix = true, 4
	case strings.HasPrefix(digits, "86"):
		// No domestic number starts with 8 (mobiles start with 1,
		// landlines with 0), so a leading 86 is always a country code.
		intl, prefix = true, 2
	}
	digits = digits[prefix:]
	if digits == "" {
		return "", invalid("no number after the country code")
	}

	if t.hasExt {
		num, err := classify(digits, intl)
		if err != nil {
			return "", err
		}
		if IsMobile(num) {
			return "", invalid("a mobile has no extension")
		}
		switch n := len(t.ext); {
		case n == 0:
			return "", invalid("empty extension")
		case n > maxExt:
			return "", invalid("extension has %d digits, at most %d allowed", n, maxExt)
		}
		return num + "-" + t.ext, nil
	}

	// An extension after a dash: "028-87654321-123". The local number
	// must be written as one group, so that "0755-1234-5678" stays an
	// eight-digit local number.
	if n := len(t.groups); n >= 2 && t.dashBefore[n-1] {
		last, prev := t.groups[n-1], t.groups[n-2]
		if len(last) <= maxExt && len(prev) >= 7 && len(last) < len(digits) {
			num, err := classify(digits[:len(digits)-len(last)], intl)
			if err == nil && !IsMobile(num) {
				return num + "-" + last, nil
			}
		}
	}
	return classify(digits, intl)
}

// trim removes surrounding white space and leading apostrophes.
func trim(s string) string {
	for {
		s = strings.TrimFunc(s, isSpace)
		switch {
		case strings.HasPrefix(s, "'"), strings.HasPrefix(s, "＇"):
			_, size := utf8.DecodeRuneInString(s)
			s = s[size:]
		case strings.HasPrefix(s, "\u2019"), strings.HasPrefix(s, "\u2018"):
			s = s[len("\u2019"):]
		default:
			return s
		}
	}
}

// isSpace reports whether r is white space or an invisible format character.
func isSpace(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsSpace(r)
}

// isDash reports whether r is a hyphen or dash used as a separator.
func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\u30FC':
		return true
	}
	return false
}

// tokens is the result of splitting the input into digit groups.
type tokens struct {
	groups     []string // runs of digits
	dashBefore []bool   // whether the separator before groups[i] has a dash
	plus       bool     // a leading '+'
	hasExt     bool     // an explicit extension marker was seen
	ext        string   // digits after the marker
}

// extMarkers introduce an extension; longer markers come first.
var extMarkers = []string{"转分机", "转", "分机", "ext.", "ext", "x"}

// tokenize splits s into digit groups, recording separators, a leading
// plus sign and an explicit extension.
func tokenize(s string) (tokens, error) {
	var t tokens
	var cur, ext strings.Builder
	dash := false // a dash since the last group
	flush := func() {
		if cur.Len() > 0 {
			t.groups = append(t.groups, cur.String())
			t.dashBefore = append(t.dashBefore, dash)
			cur.Reset()
			dash = false
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		switch {
		case r >= '0' && r <= '9':
			if t.hasExt {
				ext.WriteRune(r)
			} else {
				cur.WriteRune(r)
			}
		case isSpace(r) || r == '.' || r == '(' || r == ')':
			flush()
		case isDash(r):
			flush()
			dash = true
		case r == '+' && !t.plus && !t.hasExt && len(t.groups) == 0 && cur.Len() == 0:
			t.plus = true
		default:
			m := marker(s[i:])
			if m == "" || t.hasExt {
				if r == utf8.RuneError && size == 1 {
					return t, invalid("invalid UTF-8")
				}
				return t, invalid("unexpected character %q", r)
			}
			flush()
			t.hasExt = true
			size = len(m)
		}
		i += size
	}
	flush()
	t.ext = ext.String()
	return t, nil
}

// marker returns the extension marker at the start of s (matched
// case-insensitively, full-width letters included), or "".
func marker(s string) string {
	for _, m := range extMarkers {
		rest := s
		ok := true
		for _, mr := range m {
			r, size := utf8.DecodeRuneInString(rest)
			if r >= 0xFF01 && r <= 0xFF5E {
				r -= 0xFEE0
			}
			if unicode.ToLower(r) != mr {
				ok = false
				break
			}
			rest = rest[size:]
		}
		if ok {
			return s[:len(s)-len(rest)]
		}
	}
	return ""
}

// classify turns a digit string (country code removed) into a mobile or
// "AREA-LOCAL" landline.
func classify(d string, intl bool) (string, error) {
	// After +86 a landline drops its trunk 0: +86 28…, +86 10…, +86 755….
	if intl && d[0] != '0' && !(d[0] == '1' && len(d) > 1 && d[1] != '0') {
		d = "0" + d
	}
	switch d[0] {
	case '1':
		return mobile(d)
	case '0':
		if len(d) == 12 && IsMobile(d[1:]) { // long-distance 0 before a mobile
			return d[1:], nil
		}
		return landline(d)
	}
	return "", invalid("%d digits and no area code", len(d))
}

// mobile validates an 11-digit mobile number.
func mobile(d string) (string, error) {
	if len(d) != 11 {
		return "", invalid("%d digits, a mobile has 11", len(d))
	}
	if d[1] < '3' {
		return "", invalid("a mobile starts with 13 to 19, not %s", d[:2])
	}
	return d, nil
}

// landline validates a landline number starting with 0 and inserts the
// dash after the area code.
func landline(d string) (string, error) {
	if len(d) < 3 {
		return "", invalid("%d digits, too short", len(d))
	}
	area := 4
	switch d[1] {
	case '0':
		return "", invalid("only +86 numbers are supported")
	case '1':
		if d[2] != '0' {
			return "", invalid("unknown area code %s", d[:3])
		}
		area = 3
	case '2':
		area = 3
	}
	if len(d) <= area {
		return "", invalid("%d digits, too short", len(d))
	}
	local := d[area:]
	if len(local) != 7 && len(local) != 8 {
		return "", invalid("local number has %d digits, want 7 or 8", len(local))
	}
	return d[:area] + "-" + local, nil
}

// IsMobile reports whether normalized is a mobile number in the form
// returned by Normalize: 11 ASCII digits starting with 13–19.
func IsMobile(normalized string) bool {
	if len(normalized) != 11 || normalized[0] != '1' || normalized[1] < '3' || normalized[1] > '9' {
		return false
	}
	for i := 2; i < 11; i++ {
		if c := normalized[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Mask hides the middle of a normalised number for display, keeping the
// length in characters: a mobile keeps its first 3 and last 4 digits
// ("13800138000" → "138****8000"); a landline keeps its area code, the
// last 4 digits of the local number and any extension
// ("028-87654321" → "028-****4321"). Any other string has all but its last
// 2 characters replaced by '*' (a string of 2 characters or fewer becomes
// all stars); "" stays "".
func Mask(normalized string) string {
	s := normalized
	if IsMobile(s) {
		return s[:3] + "****" + s[7:]
	}
	if area, local, ext, ok := splitLandline(s); ok {
		out := area + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
		if ext != "" {
			out += "-" + ext
		}
		return out
	}
	n := utf8.RuneCountInString(s)
	if n <= 2 {
		return strings.Repeat("*", n)
	}
	tail := len(s)
	for i := 0; i < 2; i++ {
		_, size := utf8.DecodeLastRuneInString(s[:tail])
		tail -= size
	}
	return strings.Repeat("*", n-2) + s[tail:]
}

// splitLandline splits "AREA-LOCAL" or "AREA-LOCAL-EXT" where AREA is 0
// followed by 2 or 3 digits, LOCAL 7 or 8 digits and EXT 1 to 6 digits.
func splitLandline(s string) (area, local, ext string, ok bool) {
	parts := strings.Split(s, "-")
	if len(parts) != 2 && len(parts) != 3 {
		return "", "", "", false
	}
	area, local = parts[0], parts[1]
	if len(parts) == 3 {
		ext = parts[2]
		if len(ext) < 1 || len(ext) > maxExt || !allDigits(ext) {
			return "", "", "", false
		}
	}
	if (len(area) != 3 && len(area) != 4) || area[0] != '0' || !allDigits(area) ||
		(len(local) != 7 && len(local) != 8) || !allDigits(local) {
		return "", "", "", false
	}
	return area, local, ext, true
}

// allDigits reports whether s consists of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
