package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// clearLocaleEnv unsets (for the duration of the test) every variable
// PreferredLanguage or Fyne's locale detection looks at.
func clearLocaleEnv(t *testing.T) {
	for _, name := range []string{"SHEQU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
}

func TestPreferredLanguage(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, Chinese},
		{map[string]string{"LANG": "C.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LANG": "de_DE.UTF-8"}, Chinese},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LC_MESSAGES": "en_GB", "LANG": "zh_CN.UTF-8"}, English},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, Chinese},
		{map[string]string{"LC_ALL": "en_US.UTF-8"}, English},
		{map[string]string{"SHEQU_LANG": "zh", "LANG": "en_US.UTF-8"}, Chinese},
		{map[string]string{"SHEQU_LANG": "en", "LANG": "zh_CN.UTF-8"}, English},
		{map[string]string{"SHEQU_LANG": "fr", "LANG": "en_US.UTF-8"}, English},
	} {
		clearLocaleEnv(t)
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		if got := PreferredLanguage(); got != tc.want {
			t.Errorf("env %v: PreferredLanguage() = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestSetup(t *testing.T) {
	for _, tc := range []struct {
		env             map[string]string
		want, residents string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, Chinese, "居民"},
		{map[string]string{"SHEQU_LANG": "zh", "LANG": "en_US.UTF-8"}, Chinese, "居民"},
		{map[string]string{"SHEQU_LANG": "en", "LANG": "C.UTF-8"}, English, "Residents"},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "de"}, English, "Residents"},
		{map[string]string{"SHEQU_LANG": "zh", "LC_ALL": "C"}, Chinese, "居民"},
	} {
		clearLocaleEnv(t)
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		got, err := Setup()
		if err != nil {
			t.Fatalf("env %v: Setup: %v", tc.env, err)
		}
		if got != tc.want || Language() != tc.want {
			t.Errorf("env %v: Setup() = %q (Language %q), want %q", tc.env, got, Language(), tc.want)
		}
		if s := L("nav.residents"); s != tc.residents {
			t.Errorf("env %v: L(nav.residents) = %q, want %q", tc.env, s, tc.residents)
		}
	}
}

// TestL: placeholders are filled from a map or a struct, an unknown key
// reads as itself, and the same key gives each language's words.
func TestL(t *testing.T) {
	t.Setenv("SHEQU_LANG", "zh")
	if _, err := Setup(); err != nil {
		t.Fatal(err)
	}
	if got, want := L("activity.added.short", map[string]any{"Name": "读书会"}), "已添加活动“读书会”"; got != want {
		t.Errorf("map data: %q, want %q", got, want)
	}
	if got, want := L("activity.added.short", struct{ Name string }{"读书会"}), "已添加活动“读书会”"; got != want {
		t.Errorf("struct data: %q, want %q", got, want)
	}
	if got := L("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	t.Setenv("SHEQU_LANG", "en")
	if _, err := Setup(); err != nil {
		t.Fatal(err)
	}
	if got := L("activity.added.short", map[string]any{"Name": "Book club"}); !strings.Contains(got, "Book club") || strings.Contains(got, "已添加") {
		t.Errorf("English: %q", got)
	}
}

// TestEveryProblemFieldIsNamed: a problem says its field by name
// ("反映人: …"); a field app names without a translation would show its key.
func TestEveryProblemFieldIsNamed(t *testing.T) {
	t.Setenv("SHEQU_LANG", "zh")
	if _, err := Setup(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../app/*.go")
	re := regexp.MustCompile(`\b(?:add|problem|problemAt)\("([a-z_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			seen++
			if got := Field(m[1]); got == "field."+m[1] || got == "" {
				t.Errorf("%s: the field %q has no name", filepath.Base(f), m[1])
			}
		}
	}
	if seen < 50 {
		t.Fatalf("only %d problems found: the pattern no longer matches app's code", seen)
	}
}

// TestEveryAuditActionIsNamed: the audit log shows each action by name
// (预约空间); an action app writes without a translation would show its key.
func TestEveryAuditActionIsNamed(t *testing.T) {
	for _, language := range []string{"zh", "en"} {
		t.Setenv("SHEQU_LANG", language)
		if _, err := Setup(); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob("../../app/*.go")
		re := regexp.MustCompile(`\bAudit[A-Za-z]+\s*=\s*"([a-z._]+)"`)
		seen := 0
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				seen++
				if key := "audit.action." + m[1]; L(key) == key {
					t.Errorf("%s, %s: the audit action %q has no name", language, filepath.Base(f), m[1])
				}
			}
		}
		if seen < 40 {
			t.Fatalf("only %d audit actions found: the pattern no longer matches app's code", seen)
		}
	}
}

// TestWindowsDisplayLanguage: with no locale variable (Windows sets none)
// the system's display language decides; a variable still wins.
func TestWindowsDisplayLanguage(t *testing.T) {
	none := func(string) string { return "" }
	for _, tc := range []struct {
		getenv func(string) string
		system string
		want   string
	}{
		{none, "en-US", English},
		{none, "en-GB", English},
		{none, "zh-CN", Chinese},
		{none, "", Chinese},
		{func(n string) string { return map[string]string{"LANG": "zh_CN.UTF-8"}[n] }, "en-US", Chinese},
		{func(n string) string { return map[string]string{"LANG": "en_US.UTF-8"}[n] }, "zh-CN", English},
	} {
		if got := fromLocale(tc.getenv, tc.system); got != tc.want {
			t.Errorf("system %q: %q, want %q", tc.system, got, tc.want)
		}
	}
}
