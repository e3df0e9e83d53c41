package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
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

func TestSetupLanguage(t *testing.T) {
	for _, tc := range []struct {
		env                     map[string]string
		want, residents, cancel string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, Chinese, "居民", "取消"},
		{map[string]string{"SHEQU_LANG": "zh", "LANG": "en_US.UTF-8"}, Chinese, "居民", "取消"},
		{map[string]string{"SHEQU_LANG": "en", "LANG": "C.UTF-8"}, English, "Residents", "Cancel"},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "de"}, English, "Residents", "Cancel"},
		{map[string]string{"SHEQU_LANG": "zh", "LC_ALL": "C"}, Chinese, "居民", "取消"},
	} {
		clearLocaleEnv(t)
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		got, err := SetupLanguage()
		if err != nil {
			t.Fatalf("env %v: SetupLanguage: %v", tc.env, err)
		}
		if got != tc.want {
			t.Errorf("env %v: SetupLanguage() = %q, want %q", tc.env, got, tc.want)
		}
		if s := lang.L("nav.residents"); s != tc.residents {
			t.Errorf("env %v: L(nav.residents) = %q, want %q", tc.env, s, tc.residents)
		}
		if s := lang.L("Cancel"); s != tc.cancel { // one of Fyne's own strings
			t.Errorf("env %v: L(Cancel) = %q, want %q", tc.env, s, tc.cancel)
		}
		for k, v := range tc.env {
			if os.Getenv(k) != v {
				t.Errorf("env %v: %s not restored, now %q", tc.env, k, os.Getenv(k))
			}
		}
		if v, ok := os.LookupEnv("LC_ALL"); ok && tc.env["LC_ALL"] == "" {
			t.Errorf("env %v: LC_ALL left set to %q", tc.env, v)
		}
	}
}

// TestEveryProblemFieldIsNamed: a problem says its field by name
// ("反映人: …"); a field app names without a translation would show its key.
func TestEveryProblemFieldIsNamed(t *testing.T) {
	t.Setenv("SHEQU_LANG", "zh")
	if _, err := SetupLanguage(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../app/*.go")
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
		if _, err := SetupLanguage(); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob("../app/*.go")
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
				if key := "audit.action." + m[1]; lang.L(key) == key {
					t.Errorf("%s, %s: the audit action %q has no name", language, filepath.Base(f), m[1])
				}
			}
		}
		if seen < 40 {
			t.Fatalf("only %d audit actions found: the pattern no longer matches app's code", seen)
		}
	}
}
