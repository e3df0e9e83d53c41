package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// housePicker finds a house by typing its address (锦绣花园3栋2单元501)
// and choosing among the matches.
type housePicker struct {
	u         *UI
	content   fyne.CanvasObject
	entry     *widgets.Entry
	matches   *widgets.Select
	ids       map[string]int64
	houseID   int64
	onChanged func()
}

func newHousePicker(u *UI, houseID int64) *housePicker {
	p := &housePicker{u: u, ids: map[string]int64{}}
	p.entry = widgets.NewEntry()
	p.entry.SetPlaceHolder(i18n.L("house.pick.hint"))
	p.matches = newSelect(nil, func(s string) {
		p.houseID = p.ids[s]
		p.changed()
	})
	p.matches.PlaceHolder = i18n.L("house.pick.choose")
	p.entry.OnChanged = func(string) { p.find() }
	if houseID != 0 {
		p.houseID = houseID // chosen, while its address is read to show it
		run(u, func() (model.Address, error) { return u.app.House(u.ctx, u.actor, houseID) }, func(addr model.Address, err error) {
			if err != nil || p.houseID != houseID {
				return
			}
			label := app.FormatAddress(addr)
			p.ids[label] = houseID
			p.matches.SetOptions([]string{label})
			p.matches.SetSelected(label)
		})
	}
	p.content = container.NewGridWithColumns(2, p.entry, p.matches)
	return p
}

func (p *housePicker) text() string { return p.entry.Text }

func (p *housePicker) changed() {
	if p.onChanged != nil {
		p.onChanged()
	}
}

// find lists the houses matching the typed address.
func (p *housePicker) find() {
	text := p.entry.Text
	run(p.u, func() ([]model.Address, error) { return p.u.app.FindHouses(p.u.ctx, p.u.actor, text, 30) },
		func(found []model.Address, err error) {
			if err != nil || text != p.entry.Text {
				return
			}
			p.ids = map[string]int64{}
			var opts []string
			for _, a := range found {
				label := app.FormatAddress(a)
				p.ids[label] = a.HouseID
				opts = append(opts, label)
			}
			p.matches.SetOptions(opts)
			p.houseID = 0
			p.matches.ClearSelected()
			if len(opts) == 1 {
				p.matches.SetSelected(opts[0])
			} else {
				p.changed()
			}
		})
}
