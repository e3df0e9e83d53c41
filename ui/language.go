package ui

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"shequ/assets"
	"shequ/ui/i18n"
)

// SetupLanguage chooses the UI language for i18n.L (i18n.Setup) and
// registers the same embedded translations with Fyne's lang package, so that
// Fyne's own widget strings (Cancel, the file dialog) follow it. It returns
// the language chosen.
//
// Fyne 2.7 has no API to pick the language: every lang.AddTranslations* call
// re-detects it from LANGUAGE/LC_ALL/LC_MESSAGES/LANG and falls back to
// English for "C.UTF-8". So SetupLanguage sets LANGUAGE and LC_ALL to the
// wanted locale only while it registers the translations, then restores them.
// Call it once at start-up, before building the UI; calling it again
// re-applies the choice (tests use this to switch language).
//
// zh.json is registered both as "zh" and as "zh-Hans": Fyne's built-in
// Simplified Chinese strings live under "zh-Hans", which is what a Chinese
// locale resolves to, and only the messages of the one resolved tag are used.
func SetupLanguage() (string, error) {
	want, err := i18n.Setup()
	if err != nil {
		return want, err
	}
	locale := "zh_CN.UTF-8"
	if want == i18n.English {
		locale = "en_US.UTF-8"
	}
	defer setenvTemporarily("LANGUAGE", locale)()
	defer setenvTemporarily("LC_ALL", locale)()

	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		return want, err
	}
	zh, err := i18n.Messages(i18n.Chinese)
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
