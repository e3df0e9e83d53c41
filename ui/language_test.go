package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"

	"shequ/ui/i18n"
)

// TestSetupLanguage: Fyne's own widget strings follow the language the
// rest of the window speaks, and the locale variables are given back.
func TestSetupLanguage(t *testing.T) {
	for _, tc := range []struct {
		env                     map[string]string
		want, residents, cancel string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, i18n.Chinese, "居民", "取消"},
		{map[string]string{"SHEQU_LANG": "en", "LANG": "C.UTF-8"}, i18n.English, "Residents", "Cancel"},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "de"}, i18n.English, "Residents", "Cancel"},
		{map[string]string{"SHEQU_LANG": "zh", "LC_ALL": "C"}, i18n.Chinese, "居民", "取消"},
	} {
		for _, name := range []string{"SHEQU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		got, err := SetupLanguage()
		if err != nil || got != tc.want {
			t.Fatalf("env %v: SetupLanguage() = %q, %v; want %q", tc.env, got, err, tc.want)
		}
		if s := i18n.L("nav.residents"); s != tc.residents {
			t.Errorf("env %v: L(nav.residents) = %q, want %q", tc.env, s, tc.residents)
		}
		if s := lang.L("Cancel"); s != tc.cancel {
			t.Errorf("env %v: Fyne's Cancel = %q, want %q", tc.env, s, tc.cancel)
		}
		for k, v := range tc.env {
			if os.Getenv(k) != v {
				t.Errorf("env %v: %s not restored, now %q", tc.env, k, os.Getenv(k))
			}
		}
	}
}
