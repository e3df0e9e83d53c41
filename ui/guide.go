package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// firstSteps is what an empty registry shows where its residents will be:
// the way from nothing to the first resident (areas, then houses, then
// residents), each step with the button that does it and a tick once done.
type firstSteps struct {
	content            *fyne.Container
	areas, houses, add *widget.Label
	toAreas, toHouses  *widget.Button
	addResident, load  *widget.Button
}

func newFirstSteps(u *UI) *firstSteps {
	g := &firstSteps{
		areas:  widget.NewLabel(""),
		houses: widget.NewLabel(""),
		add:    widget.NewLabel(i18n.L("guide.residents")),
	}
	g.toAreas = widget.NewButtonWithIcon(i18n.L("guide.to.areas"), theme.FolderNewIcon(), func() {
		if u.areas != nil {
			u.showTab(u.areas.content)
		}
	})
	g.toHouses = widget.NewButtonWithIcon(i18n.L("guide.to.houses"), theme.HomeIcon(), func() { u.showTab(u.houses.content) })
	g.addResident = widget.NewButtonWithIcon(i18n.L("guide.to.resident"), theme.ContentAddIcon(), func() { u.openResidentForm(0, 0) })
	g.load = widget.NewButtonWithIcon(i18n.L("ledger.import.title"), theme.UploadIcon(), u.importLedger)
	if u.actor.Account.Role != model.RoleAdmin {
		g.toAreas.Hide() // areas are an administrator's to make
	}
	if !u.canWrite() {
		g.toHouses.Hide()
		g.addResident.Hide()
		g.load.Hide()
	}
	or := widget.NewLabel(i18n.L("guide.import"))
	or.Wrapping = fyne.TextWrapWord
	grid := container.New(layout.NewFormLayout(),
		g.areas, container.NewHBox(g.toAreas),
		g.houses, container.NewHBox(g.toHouses),
		g.add, container.NewHBox(g.addResident),
	)
	// A card over the empty table, wide enough that the lines read whole.
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(600, 0))
	card := widget.NewCard(i18n.L("guide.title"), "", container.NewVBox(grid, widget.NewSeparator(), or, container.NewHBox(g.load)))
	g.content = container.NewStack(width, card)
	g.content.Hide()
	return g
}

// update ticks the steps done and offers the next one first.
func (g *firstSteps) update(fs app.FirstSteps) {
	tick := func(l *widget.Label, done bool, key string, n int) {
		text := i18n.L(key)
		if done {
			text = "✓ " + text + "  " + i18n.L(key+".done", map[string]any{"Count": groupDigits(n)})
			l.Importance = widget.SuccessImportance
		} else {
			l.Importance = widget.MediumImportance
		}
		l.SetText(text)
	}
	tick(g.areas, fs.Grids > 0, "guide.areas", fs.Grids)
	tick(g.houses, fs.Houses > 0, "guide.houses", fs.Houses)
	g.toAreas.Importance = importanceIf(fs.Grids == 0)
	g.toHouses.Importance = importanceIf(fs.Grids > 0 && fs.Houses == 0)
	g.addResident.Importance = importanceIf(fs.Houses > 0)
	if fs.Grids == 0 {
		g.toHouses.Disable()
		g.addResident.Disable()
	} else {
		g.toHouses.Enable()
		g.addResident.Enable()
	}
	for _, b := range []*widget.Button{g.toAreas, g.toHouses, g.addResident} {
		b.Refresh()
	}
}

func importanceIf(next bool) widget.Importance {
	if next {
		return widget.HighImportance
	}
	return widget.MediumImportance
}
