package theme

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestFontForEveryStyle(t *testing.T) {
	th := New()
	for _, s := range []fyne.TextStyle{
		{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true},
		{Monospace: true}, {Symbol: true}, {Underline: true},
	} {
		if got := th.Font(s); got != FontResource {
			t.Errorf("Font(%+v) = %v, want the bundled font", s, got.Name())
		}
	}
}

// TestCJKLabelRenders compares against testdata/theme/cjk_label.png; on a
// mismatch Fyne writes the new image to testdata/failed/theme/cjk_label.png.
func TestCJKLabelRenders(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(New())

	w := test.NewWindow(widget.NewLabel("社区台账 居民 Residents"))
	defer w.Close()
	w.Resize(fyne.NewSize(240, 48))

	test.AssertImageMatches(t, "theme/cjk_label.png", w.Canvas().Capture())
}
