// Package i18n chooses the UI language (Chinese unless asked for English)
// and registers the embedded translations with Fyne's lang package, for
// the window and the command line alike.
package i18n

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"shequ/assets"
)

// Supported UI languages, as returned by PreferredLanguage.
const (
	Chinese = "zh"
	English = "en"
)

// PreferredLanguage reports the UI language the environment asks for:
// English if SHEQU_LANG starts with "en", Chinese if it starts with "zh";
// otherwise English only if the effective POSIX message locale (the first
// non-empty of LC_ALL, LC_MESSAGES, LANG) starts with "en", and Chinese in
// every other case (including unset, "C", "C.UTF-8" and other languages).
func PreferredLanguage() string {
	if v := strings.ToLower(os.Getenv("SHEQU_LANG")); strings.HasPrefix(v, English) {
		return English
	} else if strings.HasPrefix(v, Chinese) {
		return Chinese
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), English) {
				return English
			}
			break
		}
	}
	return Chinese
}

// SetupLanguage registers the embedded translations (assets.Translations)
// with Fyne's lang package and selects PreferredLanguage for lang.L & co,
// including Fyne's own widget strings. It returns the language chosen.
//
// Fyne 2.7 has no API to pick the language: every lang.AddTranslations* call
// re-detects it from LANGUAGE/LC_ALL/LC_MESSAGES/LANG and falls back to
// English for "C.UTF-8". So SetupLanguage sets LANGUAGE and LC_ALL to the
// wanted locale only while it registers the translations, then restores them.
// Call it once at start-up, after anything else that calls
// lang.AddTranslations*, and before building the UI; calling it again
// re-applies the choice (tests use this to switch language).
//
// zh.json is registered both as "zh" and as "zh-Hans": Fyne's built-in
// Simplified Chinese strings live under "zh-Hans", which is what a Chinese
// locale resolves to, and only the messages of the one resolved tag are used.
func SetupLanguage() (string, error) {
	want := PreferredLanguage()
	locale := "zh_CN.UTF-8"
	if want == English {
		locale = "en_US.UTF-8"
	}
	defer setenvTemporarily("LANGUAGE", locale)()
	defer setenvTemporarily("LC_ALL", locale)()

	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		return want, err
	}
	zh, err := assets.Translations.ReadFile(assets.TranslationsDir + "/zh.json")
	if err != nil {
		return want, err
	}
	return want, lang.AddTranslationsForLocale(zh, fyne.Locale("zh-Hans"))
}

// setenvTemporarily sets name to value and returns a func restoring it.
func setenvTemporarily(name, value string) (restore func()) {
	old, had := os.LookupEnv(name)
	_ = os.Setenv(name, value)
	return func() {
		if had {
			_ = os.Setenv(name, old)
		} else {
			_ = os.Unsetenv(name)
		}
	}
}
