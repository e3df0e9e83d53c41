package app_test

import (
	"testing"

	"shequ/app"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1990-01-01", "1990-01-01", true},
		{"1990/1/1", "1990-01-01", true},
		{"1990.01.01", "1990-01-01", true},
		{"1990年1月1日", "1990-01-01", true},
		{"1990 年 12 月 31 日", "1990-12-31", true},
		{"1990年1月1", "1990-01-01", true},
		{"19900101", "1990-01-01", true},
		{" 2024-2-29 ", "2024-02-29", true},
		{"１９９０－０１－０１", "1990-01-01", true},
		{"", "", false},
		{"1990-02-30", "", false},
		{"2023-02-29", "", false},
		{"1990-13-01", "", false},
		{"1990-00-10", "", false},
		{"1990-01-00", "", false},
		{"19901301", "", false},
		{"1990010", "", false},
		{"1990-01", "", false},
		{"90-01-01", "", false},
		{"1990-01-01T00:00", "", false},
		{"yesterday", "", false},
		{"一九九〇年一月一日", "", false},
	} {
		got, ok := app.ParseDate(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestParseClockReadsTimesOfDay: one reader for opening hours, bookings
// and gate logs.
func TestParseClockReadsTimesOfDay(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"9:00": "09:00", "9点": "09:00", "9点30": "09:30", "17：30": "17:30", "8时30分": "08:30",
		"08:30:00": "08:30", "9.30": "09:30", "9:5": "09:05", "２１：００": "21:00", "24:00": "24:00", "9": "09:00"} {
		if got, ok := app.ParseClock(in); !ok || got != want {
			t.Errorf("ParseClock(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"25:00", "24:30", "9:60", "下午2点", "", "9:00 am"} {
		if got, ok := app.ParseClock(in); ok {
			t.Errorf("ParseClock(%q) = %q, want refused", in, got)
		}
	}
}
