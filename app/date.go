package app

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDate reads a date as offices write it (1990-01-01, 1990/1/1,
// 1990.01.01, 1990年1月1日, 19900101) and returns it as YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(toHalfWidth(s))
	var y, m, d int
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
	} else if p := dateRe.FindStringSubmatch(s); p != nil {
		y, _ = strconv.Atoi(p[1])
		m, _ = strconv.Atoi(p[2])
		d, _ = strconv.Atoi(p[3])
	} else {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// clockRe is a time of day as people write it: 9:00, 09:30, 9：30, 9.30,
// 08:30:00, 9点, 9点30, 8时30分.
var clockRe = regexp.MustCompile(`^(\d{1,2})\s*(?:[:.]\s*(\d{1,2})(?:\s*:\s*\d{1,2}(?:\.\d+)?)?|[时点]\s*(?:(\d{1,2})\s*分?)?)?$`)

// ParseClock reads a time of day as HH:MM; "24:00" is midnight at the
// day's end (a space that closes then). The one reader of times of day:
// opening hours, bookings, activities and gate logs.
func ParseClock(s string) (string, bool) {
	m := clockRe.FindStringSubmatch(strings.TrimSpace(toHalfWidth(s)))
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2] + m[3])
	if h > 24 || mm > 59 || h == 24 && mm != 0 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, mm), true
}

// ClockMinutes is an HH:MM time of day as minutes from midnight.
func ClockMinutes(hhmm string) int {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	return h*60 + m
}
