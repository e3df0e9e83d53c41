//go:build !windows

package i18n

// systemLanguage is the system's display language where the locale
// variables do not say it; elsewhere than Windows they do.
func systemLanguage() string { return "" }
