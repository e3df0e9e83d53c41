package i18n

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// english is en.json, each key with its text.
func english(t *testing.T) map[string]string {
	t.Helper()
	raw, err := Messages(English)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEnglishApostrophesAreASCII: one apostrophe, the one a keyboard types.
func TestEnglishApostrophesAreASCII(t *testing.T) {
	for k, v := range english(t) {
		if strings.ContainsAny(v, "’‘") {
			t.Errorf("%s: %q has a curly apostrophe", k, v)
		}
	}
}

// TestEnglishCountsAgree: a count and its noun agree for 1 and for many
// ("1 resident", "2 residents", never "1 activities").
func TestEnglishCountsAgree(t *testing.T) {
	t.Setenv("SHEQU_LANG", "en")
	if _, err := Setup(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key   string
		count any
		want  string
	}{
		{"residents.count", 1, "1 resident"},
		{"residents.count", "1,234", "1,234 residents"},
		{"vaccine.chart", 1, "(at least 1 dose)"},
		{"vaccine.chart", 2, "(at least 2 doses)"},
		{"activity.totals", 1, "1 activity in the period, 1 sign-up, 1 check-in"},
		{"activity.totals", 3, "3 activities in the period, 3 sign-ups, 3 check-ins"},
		{"activity.people", 1, "1 person listed"},
		{"activity.people", 7, "7 people listed"},
	} {
		data := map[string]any{"Count": c.count, "Doses": c.count, "Signed": c.count, "Checked": c.count}
		if got := L(c.key, data); !strings.Contains(got, c.want) {
			t.Errorf("%s with %v: %q, want %q in it", c.key, c.count, got, c.want)
		}
	}
	// A count written straight before a plural noun, without plural, reads
	// "1 rows" for one; Max and Min are limits, never 1.
	bare := regexp.MustCompile(`\{\{\.([A-Za-z]+)\}\} (?:more |registered |demo |data |12345 )?([a-z-]*[a-rt-z]s|people)\b`)
	verbs := map[string]bool{"is": true, "was": true, "has": true, "does": true, "needs": true, "exists": true, "appears": true}
	field := regexp.MustCompile(`\.([A-Z][A-Za-z]*)`)
	counted := 0
	for k, v := range english(t) {
		for _, m := range bare.FindAllStringSubmatch(v, -1) {
			if m[1] != "Max" && m[1] != "Min" && !verbs[m[2]] {
				t.Errorf("%s: %q counts without plural", k, m[0])
			}
		}
		if !strings.Contains(v, "plural") {
			continue
		}
		// Every count 1, then every count 2: each noun must change.
		one, two := map[string]any{}, map[string]any{}
		for _, f := range field.FindAllStringSubmatch(v, -1) {
			one[f[1]], two[f[1]] = 1, 2
		}
		a, b := L(k, one), L(k, two)
		if strings.Contains(a, "{{") || a == strings.ReplaceAll(b, "2", "1") {
			t.Errorf("%s: %q for one, %q for two", k, a, b)
		}
		counted++
	}
	if counted < 50 {
		t.Errorf("only %d messages count with plural", counted)
	}
}

// TestAuditActionsReadAlike: the audit log's actions are named one way in
// English, in sentence case as what was done ("Add resident").
func TestAuditActionsReadAlike(t *testing.T) {
	for k, v := range english(t) {
		if !strings.HasPrefix(k, "audit.action.") {
			continue
		}
		first, _, _ := strings.Cut(v, " ")
		if r := []rune(v)[0]; !unicode.IsUpper(r) && !unicode.IsDigit(r) || strings.HasSuffix(first, "ed") {
			t.Errorf("%s: %q is not like \"Add resident\"", k, v)
		}
	}
}
