package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shequ/ui/widgets"
)

// fileDialogTexts opens the save dialog of a file row (浏览…) and lists
// the words it shows: labels, buttons, the check box, the name's hint.
func fileDialogTexts(t *testing.T, u *UI, w fyne.Window, save bool) []string {
	t.Helper()
	row := u.fileRow(widgets.NewEntry(), save, "居民.xlsx").(*fyne.Container)
	var browse *widget.Button
	for _, o := range row.Objects {
		if b, ok := o.(*widget.Button); ok {
			browse = b
		}
	}
	test.Tap(browse)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("浏览… opened no dialog")
	}
	var out []string
	walkVisible(top, func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Check:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.PlaceHolder)
		}
		return false
	})
	return out
}

// TestTheFileDialogSpeaksTheWindowsLanguage: Fyne's own file dialog (the
// system's is not offered on Windows or Linux) reads Chinese in a Chinese
// window: its title, buttons, the name's hint and the way up; so do the
// buttons of Fyne's messages and questions (确定, 否: not 好, 不).
func TestTheFileDialogSpeaksTheWindowsLanguage(t *testing.T) {
	for _, c := range []struct {
		language string
		want     []string
	}{
		{"zh", []string{"保存为", "保存", "取消", "输入文件名", "(上一级)"}},
		{"en", []string{"Save as", "Save", "Cancel", "Enter filename", "(Parent)"}},
	} {
		u, w := officeWindow(t, c.language)
		got := fileDialogTexts(t, u, w, true)
		for _, want := range c.want {
			found := false
			for _, s := range got {
				found = found || s == want
			}
			if !found {
				t.Errorf("%s: the save dialog lacks %q; it shows %q", c.language, want, strings.Join(got, " | "))
			}
		}
		w.Canvas().Overlays().Top().Hide()
		if c.language == "zh" && (lang.L("OK") != "确定" || lang.L("No") != "否") {
			t.Errorf("Fyne's OK and No read %q and %q", lang.L("OK"), lang.L("No"))
		}
		// The open dialog has no field of Fyne's to keep Escape.
		fileDialogTexts(t, u, w, false)
		press(w, fyne.KeyEscape)
		if w.Canvas().Overlays().Top() != nil {
			t.Errorf("%s: Escape left the open dialog open", c.language)
		}
	}
}
