package i18n

import "golang.org/x/sys/windows"

// systemLanguage is Windows' display language for the user (zh-CN,
// en-US …): Windows sets none of the POSIX locale variables.
func systemLanguage() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
