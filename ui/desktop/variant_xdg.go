//go:build linux || freebsd || openbsd || netbsd

package desktop

import "github.com/rymdport/portal/settings/appearance"

// systemSaysVariant reports whether the desktop's settings portal answers
// for light or dark (Fyne follows it then, also when it changes).
func systemSaysVariant() bool {
	_, err := appearance.GetColorScheme()
	return err == nil
}
