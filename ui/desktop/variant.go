package desktop

import "os"

// lightUnlessSaid makes the theme light when neither FYNE_THEME nor the
// system says which: Fyne falls back to dark on a Linux desktop without
// the freedesktop settings portal, while office windows are light.
func lightUnlessSaid(getenv func(string) string, setenv func(string, string) error, systemSays func() bool) {
	if getenv("FYNE_THEME") != "" || systemSays() {
		return
	}
	_ = setenv("FYNE_THEME", "light")
}

// keepLight applies lightUnlessSaid to this process.
func keepLight() { lightUnlessSaid(os.Getenv, os.Setenv, systemSaysVariant) }
