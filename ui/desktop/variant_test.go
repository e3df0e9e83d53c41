package desktop

import "testing"

// TestLightUnlessSaid: with no FYNE_THEME and no answer from the system
// the window is light; either one saying otherwise is followed.
func TestLightUnlessSaid(t *testing.T) {
	for _, c := range []struct {
		env        string
		systemSays bool
		want       string
	}{
		{"", false, "light"},
		{"", true, ""},
		{"dark", false, "dark"},
		{"dark", true, "dark"},
	} {
		env := map[string]string{"FYNE_THEME": c.env}
		lightUnlessSaid(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil },
			func() bool { return c.systemSays })
		if env["FYNE_THEME"] != c.want {
			t.Errorf("FYNE_THEME %q, system says %v: got %q, want %q", c.env, c.systemSays, env["FYNE_THEME"], c.want)
		}
	}
}
