package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"shequ/app/model"
)

// TestTheResidentFormsMessageStaysInView: on a 1280×720 window the new
// resident's fields scroll; the message saying what to mend stays above
// the buttons, not below the fold at the end of the fields.
func TestTheResidentFormsMessageStaysInView(t *testing.T) {
	u, w := officeWindow(t, "zh")
	w.Resize(fyne.NewSize(1280, 720))
	f := newResidentForm(u, model.ResidentRow{}, 0)
	f.show()
	f.submit()
	drain(t)
	if f.msg.Text == "" || !f.msg.Visible() {
		t.Fatalf("no message after saving an empty form: %q", f.msg.Text)
	}
	d := fyne.CurrentApp().Driver()
	tabsBottom := d.AbsolutePositionForObject(f.tabs).Y + f.tabs.Size().Height
	msg := d.AbsolutePositionForObject(f.msg)
	if msg.Y < tabsBottom || msg.Y+f.msg.Size().Height > d.AbsolutePositionForObject(f.save).Y {
		t.Errorf("the message at y %.0f–%.0f is not between the fields (ending at %.0f) and the buttons (at %.0f)",
			msg.Y, msg.Y+f.msg.Size().Height, tabsBottom, d.AbsolutePositionForObject(f.save).Y)
	}
}
