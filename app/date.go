package app

import (
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
