// Package posixlocale keeps Fyne quiet under a C locale. Fyne's lang
// package reads the locale in its own init and logs "Error parsing user
// locale C" for LANG=C.UTF-8 (a C locale with a charset, common in
// containers and services), which go-locale reports as the tag "C". gettext
// ignores LANGUAGE under a C locale, so setting it there changes no other
// program's language, and the window sets its own language anyway
// (ui.SetupLanguage). main imports this package first; its test checks that
// it runs before Fyne's init.
package posixlocale

import "os"

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if len(v) > 2 && (v[:2] == "C." || v[:2] == "C@") || len(v) > 6 && v[:6] == "POSIX." {
			_ = os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
