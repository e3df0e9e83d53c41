package app_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"shequ/app"
)

func TestCleanCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  张三 ":              "张三",
		"\t3栋\n2单元 ":         "3栋 2单元",
		"１３８００１３８０００":        "13800138000",
		"'5101":              "5101",
		"''=1":               "'=1",
		"\u3000锦绣  花园\u00a0": "锦绣 花园",
		"a\r\nb":             "a b",
		"":                   "",
	} {
		if got := app.CleanCell(in); got != want {
			t.Errorf("CleanCell(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"张  三": "张三", " 欧阳 娜娜 ": "欧阳娜娜", "Anna  Lee": "Anna Lee", "阿依 Gul": "阿依 Gul"} {
		if got := app.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{" 5101 0419 9001 01123x ": "51010419900101123X", "'510104199001011234": "510104199001011234"} {
		if got := app.CleanCode(in); got != want {
			t.Errorf("CleanCode(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"3栋": "3", "3幢": "3", "12号楼": "12", "2单元": "2", "501室": "501", "501号": "501", "a-3": "A-3", "东区": "东区"} {
		if got := app.CleanPlace(in); got != want {
			t.Errorf("CleanPlace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitTagsAndNumbers(t *testing.T) {
	t.Parallel()
	if got := app.SplitTags("志愿者、居民骨干，爱好：书法;志愿者  独居老人/低保户"); !slices.Equal(got, []string{"志愿者", "居民骨干", "爱好：书法", "独居老人", "低保户"}) {
		t.Errorf("SplitTags = %q", got)
	}
	for _, c := range []struct {
		v      string
		number bool
		want   bool
	}{{"5.10104199001011E+17", false, true}, {"510104199001011000", true, true}, {"510104199001011234", false, false}, {"13800138000", true, false},
		// kept whole as numbers: 15 digits, and 18 with a valid check character
		{"510117590411609", true, false}, {"510117195509170797", true, false}, {"510117195509170798", true, true}} {
		if got := app.NumericIDNumber(c.v, c.number); got != c.want {
			t.Errorf("NumericIDNumber(%q, %v) = %v", c.v, c.number, got)
		}
	}
	if got := app.NumberText("1.3800138E+10"); got != "13800138000" {
		t.Errorf("NumberText = %q", got)
	}
	for v, want := range map[string]string{"32874": "1990-01-01", "1": "1900-01-01", "61": "1900-03-01", "45992.75": "2025-12-01"} {
		got, ok := app.ExcelDate(v, false)
		if !ok || got != want {
			t.Errorf("ExcelDate(%q) = %q %v, want %q", v, got, ok, want)
		}
	}
	if got, _ := app.ExcelDate("0", true); got != "" {
		t.Errorf("serial 0 read as %q", got)
	}
	if got, ok := app.ExcelDate("31412", true); !ok || got != "1990-01-01" {
		t.Errorf("1904 serial: %q", got)
	}
}

// FuzzCleanCell: whatever a cell holds, its cleaned value has no
// whitespace around it, no run of spaces, no full-width ASCII, and stays
// valid text; the codes and names built on it keep their promises.
func FuzzCleanCell(f *testing.F) {
	for _, s := range []string{"  张三 ", "１２３", "'x", "a\u3000\u3000b", "5101 0419 9001 01123x", "\xff\xfe", "志愿者、居民骨干", "3栋2单元501室"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := app.CleanCell(s)
		if c != strings.TrimSpace(c) || strings.Contains(c, "  ") {
			t.Fatalf("CleanCell(%q) = %q has spaces left", s, c)
		}
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("CleanCell(%q) = %q is not UTF-8", s, c)
		}
		for _, r := range c {
			if r >= '！' && r <= '～' || r != ' ' && unicode.IsSpace(r) {
				t.Fatalf("CleanCell(%q) = %q keeps %q", s, c, r)
			}
		}
		if code := app.CleanCode(s); strings.ContainsRune(code, ' ') || code != strings.ToUpper(code) {
			t.Fatalf("CleanCode(%q) = %q", s, code)
		}
		if n := app.CleanName(s); strings.Contains(n, "  ") || len(n) > len(c) {
			t.Fatalf("CleanName(%q) = %q", s, n)
		}
		for _, tag := range app.SplitTags(c) {
			if tag == "" || strings.ContainsAny(tag, "、，,；; ") {
				t.Fatalf("SplitTags(%q) gives %q", c, tag)
			}
		}
		app.CleanPlace(s)
		app.NumberText(s)
		if d, ok := app.ExcelDate(s, false); ok && len(d) != 10 {
			t.Fatalf("ExcelDate(%q) = %q", s, d)
		}
		if d, ok := app.ParseDate(s); ok && len(d) != 10 {
			t.Fatalf("ParseDate(%q) = %q", s, d)
		}
	})
}
