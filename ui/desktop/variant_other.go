//go:build !(linux || freebsd || openbsd || netbsd)

package desktop

// systemSaysVariant: Windows and macOS always say light or dark, and Fyne
// reads it.
func systemSaysVariant() bool { return true }
