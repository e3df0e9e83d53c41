package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
	"shequ/ui/widgets"
)

// ethnicities offered first in the 民族 field; any other can be typed.
var ethnicities = []string{"汉族", "回族", "藏族", "彝族", "羌族", "土家族", "满族", "蒙古族", "苗族", "壮族", "维吾尔族"}

// residentForm adds or edits one resident. Every change runs the one
// validation path (App.CheckResident) and shows each field's problem
// under it; nothing is saved until all are valid.
type residentForm struct {
	u        *UI
	dlg      *dialog.CustomDialog
	orig     model.ResidentRow // the resident as loaded; zero for a new one
	name     *widgets.Entry
	idNumber *widgets.Entry
	sex      *widgets.Select
	birth    *widgets.Entry
	phone    *widgets.Entry
	ethnic   *widgets.SelectEntry
	kind     *widgets.Select
	status   *widgets.Select
	relation *widgets.Select
	since    *widgets.Entry
	house    *housePicker
	notes    *widgets.Entry
	form     *widget.Form
	dup      *fyne.Container
	dupText  *widget.Label
	dupID    int64
	dupSeq   int // the look-up of the number last typed
	msg      *widget.Label
	save     *widget.Button
	problems app.Problems
	msgs     map[string]*widget.Label // each field's problem line
	touched  map[string]bool          // fields edited so far
	closed   bool
	revealed *widget.Label // full numbers once revealed
	del      *widget.Button
	tabs     *container.AppTabs
}

func (f *residentForm) hide() {
	f.closed = true
	f.dlg.Hide()
}

// openResidentForm opens the form for resident id (0: a new resident,
// living in houseID when that is set).
func (u *UI) openResidentForm(id, houseID int64) {
	if id == 0 {
		newResidentForm(u, model.ResidentRow{}, houseID).show()
		return
	}
	run(u, func() (model.ResidentRow, error) { return u.app.OpenResident(u.ctx, u.actor, id) },
		func(r model.ResidentRow, err error) {
			if err != nil {
				u.showError(err)
				return
			}
			newResidentForm(u, r, 0).show()
		})
}

func newResidentForm(u *UI, r model.ResidentRow, houseID int64) *residentForm {
	f := &residentForm{u: u, orig: r, msgs: map[string]*widget.Label{}, touched: map[string]bool{}}
	f.name = widgets.NewEntry()
	f.idNumber = widgets.NewEntry()
	f.sex = newSelect([]string{i18n.Sex(model.Male), i18n.Sex(model.Female)}, nil)
	f.sex.PlaceHolder = i18n.L("form.choose")
	f.birth = widgets.NewEntry()
	f.birth.SetPlaceHolder(i18n.L("form.birth.hint"))
	f.phone = widgets.NewEntry()
	f.ethnic = widgets.NewSelectEntry(ethnicities)
	f.kind = newSelect(labels(model.Kinds, i18n.Kind), nil)
	f.status = newSelect(labels(model.Statuses, i18n.Status), nil)
	f.relation = newSelect(labels(model.Relations, i18n.Relation), nil)
	f.since = widgets.NewEntry()
	f.since.SetPlaceHolder(i18n.L("form.since.hint"))
	f.notes = widgets.NewMultiLineEntry()
	f.notes.SetMinRowsVisible(2)
	f.msg = errorText()
	f.dupText = widget.NewLabel("")
	f.dup = container.NewHBox(widget.NewIcon(theme.WarningIcon()), f.dupText,
		widget.NewButton(i18n.L("form.dup.open"), func() { f.hide(); u.openResidentForm(f.dupID, 0) }))
	f.dup.Hide()

	if r.ID != 0 {
		f.name.SetText(r.Name)
		f.idNumber.SetPlaceHolder(maskedHint(app.MaskIDNumber(r.IDNumber)))
		f.phone.SetPlaceHolder(maskedHint(app.MaskPhone(r.Phone)))
		f.sex.SetSelected(i18n.Sex(r.Sex))
		f.birth.SetText(r.Birth)
		f.ethnic.SetText(r.Ethnicity)
		f.kind.SetSelected(i18n.Kind(r.Kind))
		f.status.SetSelected(i18n.Status(r.Status))
		f.notes.SetText(r.Notes)
	} else {
		f.idNumber.SetPlaceHolder(i18n.L("form.id.hint"))
		f.phone.SetPlaceHolder(i18n.L("form.phone.hint"))
		f.ethnic.SetText("汉族")
		f.kind.SetSelected(i18n.Kind(model.KindRegistered))
		f.status.SetSelected(i18n.Status(model.StatusPresent))
		f.house = newHousePicker(u, houseID)
		f.relation.SetSelected(i18n.Relation(model.RelHead))
		if houseID != 0 {
			run(u, func() ([]model.Member, error) { return u.app.Household(u.ctx, u.actor, houseID, false) }, func(ms []model.Member, err error) {
				for _, m := range ms {
					if err == nil && m.Relation == model.RelHead && f.relation.Selected == i18n.Relation(model.RelHead) {
						f.relation.ClearSelected() // the house has its householder
					}
				}
			})
		}
	}
	for name, e := range map[string]*widgets.Entry{"name": f.name, "id_number": f.idNumber, "birth": f.birth, "phone": f.phone,
		"since": f.since, "notes": f.notes} {
		e.OnChanged = func(string) { f.touch(name) }
	}
	f.ethnic.OnChanged = func(string) { f.touch("ethnicity") }
	for name, s := range map[string]*widgets.Select{"sex": f.sex, "kind": f.kind, "status": f.status, "relation": f.relation} {
		s.OnChanged = func(string) { f.touch(name) }
	}
	return f
}

func maskedHint(masked string) string {
	if masked == "" {
		return i18n.L("form.empty.hint")
	}
	return masked + "  " + i18n.L("form.masked.hint")
}

func labels[T any](vals []T, label func(T) string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = label(v)
	}
	return out
}

func pickLabel[T any](vals []T, label func(T) string, text string) (T, bool) {
	for _, v := range vals {
		if label(v) == text {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// input reads the form. Blank ID number and phone of a resident being
// edited keep the stored ones (they are shown masked as placeholders).
func (f *residentForm) input() app.ResidentInput {
	in := app.ResidentInput{ID: f.orig.ID, Name: f.name.Text, IDNumber: f.idNumber.Text, Birth: f.birth.Text, Phone: f.phone.Text,
		Ethnicity: f.ethnic.Text, Notes: f.notes.Text, Since: f.since.Text, UpdatedAt: f.orig.UpdatedAt}
	if f.orig.ID != 0 {
		if strings.TrimSpace(in.IDNumber) == "" {
			in.IDNumber = f.orig.IDNumber
		}
		if strings.TrimSpace(in.Phone) == "" {
			in.Phone = f.orig.Phone
		}
	}
	in.Sex, _ = pickLabel([]model.Sex{model.Male, model.Female}, i18n.Sex, f.sex.Selected)
	in.Kind, _ = pickLabel(model.Kinds, i18n.Kind, f.kind.Selected)
	in.Status, _ = pickLabel(model.Statuses, i18n.Status, f.status.Selected)
	if f.house != nil {
		in.HouseID = f.house.houseID
		in.Relation, _ = pickLabel(model.Relations, i18n.Relation, f.relation.Selected)
	}
	return in
}

// check validates as the user types: the ID number, when valid, fills
// birth date and sex; problems show under their fields.
func (f *residentForm) check() {
	touch()
	if f.form == nil {
		return
	}
	in := f.input()
	if strings.TrimSpace(in.IDNumber) != "" {
		// The ID number decides birth and sex: check it alone first.
		probe := in
		probe.Sex, probe.Birth = "", ""
		if r, ps := f.u.app.CheckResident(probe); len(ps) == 0 || !hasField(ps, "id_number") {
			f.birth.OnChanged, f.sex.OnChanged = nil, nil
			f.birth.SetText(r.Birth)
			f.sex.SetSelected(i18n.Sex(r.Sex))
			f.birth.OnChanged, f.sex.OnChanged = func(string) { f.touch("birth") }, func(string) { f.touch("sex") }
			f.birth.Disable()
			f.sex.Disable()
			in = f.input()
		}
	} else {
		f.birth.Enable()
		f.sex.Enable()
	}
	_, f.problems = f.u.app.CheckResident(in)
	if f.house != nil && f.house.houseID == 0 && f.house.text() != "" {
		f.problems = append(f.problems, app.Problem{Field: "house", Key: "err.house.pick"})
	}
	relayout := false
	for name, l := range f.msgs {
		msg := ""
		if p, bad := f.problems.Field(name); bad && f.touched[name] {
			msg = i18n.Problem(p)
		}
		if msg != l.Text {
			relayout = true
			setError(l, msg)
		}
	}
	if relayout {
		f.form.Refresh()
	}
	f.checkDuplicate(in)
	if f.dup.Visible() {
		f.save.Disable()
	} else {
		f.save.Enable()
	}
	setError(f.msg, "")
}

func hasField(ps app.Problems, field string) bool {
	_, ok := ps.Field(field)
	return ok
}

// checkDuplicate offers to open the resident who already has the typed
// ID number instead of creating a second.
func (f *residentForm) checkDuplicate(in app.ResidentInput) {
	f.dup.Hide()
	f.dupSeq++
	seq := f.dupSeq
	if strings.TrimSpace(f.idNumber.Text) == "" || hasField(f.problems, "id_number") {
		return
	}
	type found struct {
		other       model.Resident
		visible, ok bool
	}
	run(f.u, func() (found, error) {
		other, visible, ok, err := f.u.app.ResidentByIDNumber(f.u.ctx, f.u.actor, in.IDNumber)
		return found{other, visible, ok}, err
	}, func(d found, err error) {
		if seq != f.dupSeq || err != nil || !d.ok || d.other.ID == f.orig.ID { // typed on since, or nobody
			return
		}
		f.dupID = d.other.ID
		if d.visible {
			f.dupText.SetText(i18n.L("form.dup", map[string]any{"Name": d.other.Name}))
			f.dup.Objects[2].Show()
		} else {
			f.dupText.SetText(i18n.L("form.dup.hidden"))
			f.dup.Objects[2].Hide()
		}
		f.dup.Show()
		f.save.Disable() // open that one instead
	})
}

// field wraps a form widget with the line that shows its problem.
func (f *residentForm) field(name string, w fyne.CanvasObject) fyne.CanvasObject {
	l := errorText()
	f.msgs[name] = l
	return container.NewVBox(w, l)
}

// touch marks a field as edited, so its problem is shown from now on.
func (f *residentForm) touch(name string) {
	f.touched[name] = true
	f.check()
}

func (f *residentForm) show() {
	items := []*widget.FormItem{
		widget.NewFormItem(i18n.L("col.name")+" *", f.field("name", f.name)),
		{Text: i18n.L("col.id_number"), Widget: f.field("id_number", f.idNumber), HintText: i18n.L("form.id.rule")},
		widget.NewFormItem(i18n.L("col.sex"), f.field("sex", f.sex)),
		widget.NewFormItem(i18n.L("field.birth"), f.field("birth", f.birth)),
		widget.NewFormItem(i18n.L("col.phone"), f.field("phone", f.phone)),
	}
	if f.orig.ID != 0 && f.u.actor.Account.CanReveal {
		items = append(items, widget.NewFormItem("", f.revealRow()))
	}
	items = append(items,
		widget.NewFormItem(i18n.L("field.ethnicity"), f.ethnic),
		widget.NewFormItem(i18n.L("col.kind"), f.kind),
		widget.NewFormItem(i18n.L("col.status"), f.status),
	)
	if f.house != nil {
		items = append(items,
			widget.NewFormItem(i18n.L("col.address"), f.field("house", f.house.content)),
			widget.NewFormItem(i18n.L("col.relation"), f.field("relation", f.relation)),
			widget.NewFormItem(i18n.L("field.since"), f.field("since", f.since)))
		f.house.onChanged = func() { f.touch("house") }
	} else {
		addr := app.FormatAddress(f.orig.Address)
		if addr != "" {
			addr += "  (" + i18n.Relation(f.orig.Relation) + ")"
		}
		items = append(items, widget.NewFormItem(i18n.L("col.address"), widget.NewLabel(addr)))
	}
	items = append(items, widget.NewFormItem(i18n.L("field.notes"), f.notes))
	if f.orig.ID != 0 {
		items = append(items, widget.NewFormItem(i18n.L("field.tags"), f.tagsRow()))
	}
	f.form = widget.NewForm(items...)
	f.save = widget.NewButtonWithIcon(i18n.L("action.save"), theme.DocumentSaveIcon(), f.submit)
	if !f.u.canWrite() {
		f.save.Hide()
	}
	f.save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(i18n.L("action.cancel"), theme.CancelIcon(), func() { f.hide() })
	details := container.NewVBox(f.form, f.dup)
	f.tabs = container.NewAppTabs(container.NewTabItem(i18n.L("form.tab.basic"), container.NewVScroll(details)))
	title := i18n.L("form.title.new")
	if f.orig.ID != 0 {
		title = i18n.L("form.title.edit", map[string]any{"Name": f.orig.Name})
		f.tabs.Append(container.NewTabItem(i18n.L("form.tab.history"), f.historyView()))
	}
	bar := container.NewHBox(layout.NewSpacer(), cancel, f.save)
	if f.orig.ID != 0 && f.u.canWrite() {
		f.del = widget.NewButtonWithIcon(i18n.L("form.delete"), theme.DeleteIcon(), f.delete)
		f.del.Importance = widget.DangerImportance
		bar.Objects = append([]fyne.CanvasObject{f.del}, bar.Objects...)
	}
	// The form's message stays in view above its buttons, also when the
	// fields scroll.
	content := container.NewBorder(nil, container.NewVBox(f.msg, bar), nil, nil, f.tabs)
	f.dlg = dialog.NewCustomWithoutButtons(title, content, f.u.win)
	f.dlg.Resize(fyne.NewSize(min(760, f.u.win.Canvas().Size().Width-40), min(680, f.u.win.Canvas().Size().Height-40)))
	f.u.open(f.dlg, dialogKeys{escape: f.hide, enter: f.save.OnTapped})
	f.check()
	f.u.win.Canvas().Focus(f.name)
}

// delete removes a resident registered by mistake, after asking: moving
// away and death have their own actions, which keep the person.
func (f *residentForm) delete() {
	name, id := f.orig.Name, f.orig.ID
	d := dialog.NewConfirm(i18n.L("form.delete.title"), i18n.L("form.delete.ask", map[string]any{"Name": name}), func(ok bool) {
		if !ok {
			return
		}
		run(f.u, func() (struct{}, error) { return struct{}{}, f.u.app.DeleteResident(f.u.ctx, f.u.actor, id) }, func(_ struct{}, err error) {
			if err != nil {
				setError(f.msg, i18n.Message(err))
				return
			}
			f.hide()
			f.u.notify(i18n.L("form.deleted", map[string]any{"Name": name}))
			f.u.residentsChanged()
		})
	}, f.u.win)
	d.SetConfirmText(i18n.L("form.delete"))
	d.SetDismissText(i18n.L("action.back"))
	d.SetConfirmImportance(widget.DangerImportance)
	f.u.open(d, dialogKeys{})
}

// submit saves; problems the checks could not see (a conflict, a
// duplicate saved meanwhile) are shown in the form.
func (f *residentForm) submit() {
	// Saving shows every field's problem, typed in or not.
	for name := range f.msgs {
		f.touched[name] = true
	}
	f.check()
	if len(f.problems) > 0 {
		setError(f.msg, i18n.L("form.fix"))
		return
	}
	if !f.save.Disabled() {
		in := f.input()
		run(f.u, func() (int64, error) { return f.u.app.SaveResident(f.u.ctx, f.u.actor, in) },
			func(id int64, err error) {
				if err != nil {
					setError(f.msg, i18n.Message(err))
					return
				}
				f.hide()
				f.u.notify(i18n.L("done.saved", map[string]any{"Name": in.Name}))
				f.u.residentsChanged()
			})
	}
}

// historyView lists the resident's changes: when, who, what, old → new.
func (f *residentForm) historyView() fyne.CanvasObject {
	list := widget.NewLabel(i18n.L("form.history.loading"))
	list.Wrapping = fyne.TextWrapWord
	run(f.u, func() ([]model.Change, error) { return f.u.app.History(f.u.ctx, f.u.actor, f.orig.ID) },
		func(cs []model.Change, err error) {
			if err != nil {
				list.SetText(i18n.Message(err))
				return
			}
			var b strings.Builder
			for _, c := range cs {
				fmt.Fprintf(&b, "%s  %s  %s: %s → %s\n", c.At.Local().Format("2006-01-02 15:04"), c.Account,
					i18n.Field(c.Field), historyValue(c.Field, c.Old), historyValue(c.Field, c.New))
			}
			if b.Len() == 0 {
				b.WriteString(i18n.L("form.history.none"))
			}
			list.SetText(b.String())
		})
	return container.NewVScroll(list)
}

// historyValue shows a stored value as a person reads it, masked where personal.
func historyValue(field, v string) string {
	if v == "" {
		return "—"
	}
	switch field {
	case "id_number":
		return app.MaskIDNumber(v)
	case "phone":
		return app.MaskPhone(v)
	case "sex":
		return i18n.Sex(model.Sex(v))
	case "kind":
		return i18n.Kind(model.Kind(v))
	case "status":
		return i18n.Status(model.Status(v))
	case "relation":
		return i18n.Relation(model.Relation(v))
	}
	return v
}

// residentsChanged refreshes the screens that show residents.
func (u *UI) residentsChanged() {
	u.residents.reload()
	u.houses.refreshHousehold()
}

// revealRow offers, to an account with the permission, the resident's
// full numbers for a stated reason (audited by app.Reveal).
func (f *residentForm) revealRow() fyne.CanvasObject {
	shown := widget.NewLabel("")
	shown.Hide()
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(i18n.L("form.reveal"), theme.VisibilityIcon(), func() {
		reason := widgets.NewEntry()
		reason.SetPlaceHolder(i18n.L("form.reveal.hint"))
		var r app.Revealed
		f.u.showForm(i18n.L("form.reveal.title"), []*widget.FormItem{widget.NewFormItem(i18n.L("field.reason"), reason)}, func() error {
			var err error
			r, err = f.u.app.Reveal(f.u.ctx, f.u.actor, f.orig.ID, reason.Text)
			return err
		}, func() {
			shown.SetText(i18n.L("form.revealed") + "：" + r.IDNumber + "  " + r.Phone)
			btn.Hide()
			shown.Show()
		})
	})
	f.revealed = shown
	return container.NewHBox(btn, shown)
}
