package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxread"
	"shequ/app/model"
)

// 疫苗接种: doses recorded per resident, typed at the desk or read from the
// health department's list through the matcher; progress by grid,
// compound and age band; the residents still to call.

// Audit actions of vaccinations.
const (
	AuditVaccination = "vaccination.add"
	AuditAppointment = "vaccination.appointment"
)

// LedgerVaccination is the health department's list of doses given.
const LedgerVaccination LedgerKind = "vaccination"

// Fields of a vaccination list (besides the ID number and the name).
const (
	FieldVaccine LedgerField = "vaccine"
	FieldDose    LedgerField = "dose"
	FieldDay     LedgerField = "vaccinated_on"
	FieldPlace   LedgerField = "vaccination_place"
)

func init() {
	syn := listSynonyms()
	for f, names := range map[LedgerField][]string{
		FieldVaccine: {"疫苗", "疫苗名称", "疫苗种类", "疫苗品种", "疫苗类型", "接种疫苗"},
		FieldDose:    {"剂次", "针次", "接种剂次", "第几剂", "第几针", "剂量次序", "接种针次"},
		FieldDay:     {"接种日期", "接种时间", "接种日", "日期"},
		FieldPlace:   {"接种单位", "接种地点", "接种点", "接种机构", "接种门诊"},
	} {
		for _, n := range names {
			syn[headerKey(n)] = f
		}
	}
	specs[LedgerVaccination] = &ledgerSpec{fields: []LedgerField{FieldIDNumber, FieldName, FieldVaccine, FieldDose, FieldDay, FieldPlace, FieldSeq},
		synonyms: syn, key: FieldIDNumber, alone: true, date: FieldDay}
}

// VaccinationInput is a dose typed at the desk.
type VaccinationInput struct {
	ResidentID int64 // the resident chosen; 0: the one of IDNumber
	IDNumber   string
	Vaccine    string
	Dose       string // 1, 第2剂, 加强针 …
	Day        string // any date ParseDate reads; "" is today
	Place      string
}

// vaccinationDose reads a dose as lists write it: 2, 第2剂, 第二针, 二;
// 加强 / 加强针 is the third.
func vaccinationDose(s string) (int, bool) {
	s = strings.TrimSpace(toHalfWidth(s))
	s = strings.NewReplacer("第", "", "剂", "", "针", "", "次", "").Replace(s)
	switch {
	case strings.HasPrefix(s, "加强"):
		return 3, true
	case s == "首":
		return 1, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 9 {
		return n, true
	}
	if i := strings.Index("一二三四五六七八九", s); s != "" && i >= 0 && len(s) == 3 {
		return i/3 + 1, true
	}
	return 0, false
}

// vaccinationDay reads the day of a dose as lists write it (a date, a
// date and time, an Excel date): a day not after today nor before the
// birth date. key says what is wrong, value the cell as the user reads it.
func (a *App) vaccinationDay(s string, number, date1904 bool, birth string) (day, key, value string) {
	s = strings.TrimSpace(s)
	value = s
	if number {
		if d, ok := ExcelDate(s, date1904); ok {
			s, value = d, d
		}
	}
	if date, _, timed := strings.Cut(s, " "); timed {
		s = date // 2021-06-01 14:30: the day is what counts
	}
	d, ok := ParseDate(s)
	switch {
	case value == "":
		return "", "err.vaccination.no_day", value
	case !ok || d > a.Now().Format("2006-01-02"):
		return "", "err.vaccination.day", value
	case birth != "" && d < birth:
		return "", "err.vaccination.before_birth", value
	}
	return d, "", value
}

// residentAt finds the visible resident named, as a problem of field
// when there is none.
func (a *App) residentAt(ctx context.Context, actor *Actor, field string, who Who) (model.Resident, error) {
	if who.none() {
		return model.Resident{}, pickedProblem("resident", who)
	}
	if who.ID != 0 {
		r, visible, ok, err := a.residentWho(ctx, actor, who)
		if err == nil && (!ok || !visible) {
			err = pickedProblem("resident", who)
		}
		return r, err
	}
	number := CleanCode(who.IDNumber)
	if _, err := idnumber.ParseAt(number, a.Now()); err != nil {
		return model.Resident{}, problem(field, idProblemKey(err), idProblemData(err))
	}
	r, visible, ok, err := a.ResidentByIDNumber(ctx, actor, number)
	switch {
	case err != nil:
		return r, err
	case !ok:
		return r, problem(field, "err.vaccination.unknown", map[string]any{"IDNumber": MaskIDNumber(number)})
	case !visible:
		return r, problem(field, "err.vaccination.elsewhere", nil)
	}
	return r, nil
}

// AddVaccination records a dose typed at the desk.
func (a *App) AddVaccination(ctx context.Context, actor *Actor, in VaccinationInput) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	vaccine := strings.TrimSpace(in.Vaccine)
	if vaccine == "" {
		add("vaccine", "err.vaccination.vaccine", nil)
	}
	dose, ok := vaccinationDose(in.Dose)
	if !ok {
		add("dose", "err.vaccination.dose", map[string]any{"Value": in.Dose})
	}
	r, err := a.residentAt(ctx, actor, "id_number", Who{ID: in.ResidentID, IDNumber: in.IDNumber})
	if p, isProblem := err.(Problems); isProblem {
		ps = append(ps, p...)
	} else if err != nil {
		return err
	}
	text := in.Day
	if strings.TrimSpace(text) == "" { // typed at the desk: today
		text = a.Now().Format("2006-01-02")
	}
	day, key, value := a.vaccinationDay(text, false, false, r.Birth)
	if key != "" {
		add("vaccinated_on", key, map[string]any{"Value": value, "Birth": r.Birth})
	}
	if len(ps) > 0 {
		return ps
	}
	v := model.Vaccination{ResidentID: r.ID, Vaccine: vaccine, Dose: dose, Day: day, Place: strings.TrimSpace(in.Place)}
	added, _, err := a.st.AddVaccinations(ctx, auditNote(actor.Account.Username, AuditVaccination, fmt.Sprintf("resident:%d", r.ID),
		map[string]any{"vaccine": vaccine, "dose": dose, "day": day}), actor.Account.ID, []model.Vaccination{v})
	if err == nil && added == 0 {
		return problem("dose", "err.vaccination.recorded", map[string]any{"Vaccine": vaccine, "Dose": dose})
	}
	return err
}

// Vaccinations lists a resident's doses.
func (a *App) Vaccinations(ctx context.Context, actor *Actor, residentID int64) ([]model.Vaccination, error) {
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return nil, err
	}
	return a.st.Vaccinations(ctx, residentID)
}

// Vaccines lists the vaccines recorded.
func (a *App) Vaccines(ctx context.Context) ([]string, error) { return a.st.Vaccines(ctx) }

// InspectVaccinations reads the health department's list of doses as the
// importer reads a ledger.
func (a *App) InspectVaccinations(ctx context.Context, actor *Actor, path string) ([]LedgerSheet, error) {
	return a.inspect(ctx, actor, path, LedgerVaccination)
}

// VaccinationImport are an import's choices.
type VaccinationImport struct {
	Sheets  []LedgerSheet // nil: inspected afresh
	Vaccine string        // for a list without a vaccine column
	Dose    string        // for a list without a dose column
	DryRun  bool
}

// VaccinationImportResult is what an import of doses did (or, dry, would do).
type VaccinationImportResult struct {
	Rows     int // the list's rows naming a person
	Added    int
	Existing int // doses recorded before
	Match    *MatchResult
	Problems []ImportProblem
	DryRun   bool
}

// Failed tells whether an import stopped on errors.
func (r *VaccinationImportResult) Failed() bool {
	for _, p := range r.Problems {
		if p.Error {
			return true
		}
	}
	return false
}

// ImportVaccinations reads the health department's list through the
// matcher and records the doses of the residents it finds, in one
// transaction: a row with a bad dose or day stops the import and is named
// by sheet, row and field; people the registry does not hold (or holds
// outside the account's areas) are listed as warnings and left out.
func (a *App) ImportVaccinations(ctx context.Context, actor *Actor, path string, opt VaccinationImport) (*VaccinationImportResult, error) {
	if err := mayWrite(actor); err != nil {
		return nil, err
	}
	var err error
	if opt.Sheets == nil {
		if opt.Sheets, err = a.InspectVaccinations(ctx, actor, path); err != nil {
			return nil, err
		}
	}
	if err := vaccinationColumns(opt); err != nil {
		return nil, err
	}
	m, err := a.Match(ctx, actor, path, MatchOptions{Sheets: opt.Sheets, keep: true})
	if err != nil {
		return nil, err
	}
	res := &VaccinationImportResult{Rows: m.Rows, Match: m, Problems: m.Problems, DryRun: opt.DryRun}
	d := &doseList{a: a, res: res, opt: &opt, m: m, sheets: map[string]LedgerSheet{}, newNames: map[string]bool{}, seen: map[model.DoseKey]doseSeen{}}
	sheetOrder := map[string]string{}
	for i, s := range opt.Sheets {
		d.sheets[s.Name] = s
		sheetOrder[s.Name] = fmt.Sprintf("%04d", i)
	}
	if d.known, err = a.st.Vaccines(ctx); err != nil {
		return nil, err
	}
	for _, g := range []MatchGroup{MatchSame, MatchRenamed} {
		for i := range m.Groups[g] {
			d.read(&m.Groups[g][i])
		}
	}
	if err := a.recordedBefore(ctx, d); err != nil {
		return nil, err
	}
	res.notHeld(m)
	slices.SortStableFunc(res.Problems, func(a, b ImportProblem) int { // as the list reads, top to bottom
		if a.Sheet != b.Sheet {
			return strings.Compare(sheetOrder[a.Sheet], sheetOrder[b.Sheet])
		}
		return a.Row - b.Row
	})
	if res.Failed() {
		return res, nil
	}
	if opt.DryRun {
		return res, nil
	}
	res.Added, res.Existing, err = a.st.AddVaccinations(ctx, auditNote(actor.Account.Username, AuditVaccination, m.File,
		map[string]any{"rows": m.Rows, "doses": len(d.list)}), actor.Account.ID, d.list)
	return res, err
}

// vaccinationColumns checks that each sheet names the vaccine and the dose,
// in a column or for the whole list.
func vaccinationColumns(opt VaccinationImport) error {
	var ps Problems
	for _, s := range opt.Sheets {
		if !s.Imported() {
			continue
		}
		if s.Field(FieldVaccine) < 0 && strings.TrimSpace(opt.Vaccine) == "" {
			ps = append(ps, Problem{Field: "vaccine", Key: "err.vaccination.no_vaccine", Data: map[string]any{"Sheet": s.Name}})
		}
		if s.Field(FieldDose) < 0 && strings.TrimSpace(opt.Dose) == "" {
			ps = append(ps, Problem{Field: "dose", Key: "err.vaccination.no_dose", Data: map[string]any{"Sheet": s.Name}})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// doseList gathers the doses of a list's rows found in the registry.
type doseList struct {
	a        *App
	res      *VaccinationImportResult
	opt      *VaccinationImport
	m        *MatchResult
	sheets   map[string]LedgerSheet
	known    []string        // the vaccines recorded before
	newNames map[string]bool // vaccines new to the registry, said once
	seen     map[model.DoseKey]doseSeen
	list     []model.Vaccination
	rows     []MatchRow // each dose's row in the list
}

type doseSeen struct {
	row int
	day string
}

// read reads a row's dose; a bad one is an error naming the field. A dose
// twice in the list: the first row counts; another day is said.
func (d *doseList) read(row *MatchRow) {
	v := d.dose(row)
	if len(d.known) > 0 && v.Vaccine != "" && !slices.Contains(d.known, v.Vaccine) && !d.newNames[v.Vaccine] {
		d.newNames[v.Vaccine] = true // said once, on its first row
		d.res.Problems = append(d.res.Problems, ImportProblem{Sheet: row.Sheet, Row: row.Row, Field: FieldVaccine, Key: "warn.vaccination.new_vaccine",
			Data: map[string]any{"Vaccine": v.Vaccine, "Known": strings.Join(d.known, "、")}, Values: row.Values})
	}
	k := model.DoseKey{Resident: v.ResidentID, Vaccine: v.Vaccine, Dose: v.Dose}
	if prev, ok := d.seen[k]; ok {
		if prev.day != v.Day && v.Day != "" {
			d.res.Problems = append(d.res.Problems, ImportProblem{Sheet: row.Sheet, Row: row.Row, Field: FieldDay, Key: "warn.vaccination.twice",
				Data: map[string]any{"Row": prev.row, "Day": prev.day, "Dose": v.Dose}, Values: row.Values})
		}
		return
	}
	d.seen[k] = doseSeen{row.Row, v.Day}
	d.list = append(d.list, v)
	d.rows = append(d.rows, *row)
}

// dose reads the vaccine, dose, day and place of a row, the vaccine and
// dose from the import's choices where the list has no column for them.
func (d *doseList) dose(row *MatchRow) model.Vaccination {
	s := d.sheets[row.Sheet]
	get := func(f LedgerField) (string, bool) {
		i := s.Field(f)
		if i < 0 || i >= len(row.Cells) {
			return "", false
		}
		return CleanCell(row.Cells[i].Value), row.Cells[i].Type == xlsxread.Number
	}
	bad := func(f LedgerField, key string, v string) {
		d.res.Problems = append(d.res.Problems, ImportProblem{Sheet: row.Sheet, Row: row.Row, Field: f, Key: key,
			Data: map[string]any{"Value": v, "Birth": row.Birth}, Error: true, Values: row.Values})
	}
	v := model.Vaccination{ResidentID: row.ResidentID, Source: d.m.File}
	if v.Vaccine, _ = get(FieldVaccine); v.Vaccine == "" {
		v.Vaccine = strings.TrimSpace(d.opt.Vaccine)
	}
	text, _ := get(FieldDose)
	if text == "" {
		text = d.opt.Dose
	}
	var ok bool
	if v.Dose, ok = vaccinationDose(text); !ok {
		bad(FieldDose, "err.vaccination.dose", text)
	}
	day, number := get(FieldDay)
	var key, value string
	if v.Day, key, value = d.a.vaccinationDay(day, number, d.m.date1904, row.Birth); key != "" {
		bad(FieldDay, key, value)
	}
	v.Place, _ = get(FieldPlace)
	if v.Vaccine == "" {
		bad(FieldVaccine, "err.vaccination.vaccine", "")
	}
	return v
}

// recordedBefore tells a dose recorded before on another day: it keeps
// its day; the list's is said.
func (a *App) recordedBefore(ctx context.Context, d *doseList) error {
	recorded, err := a.st.RecordedDays(ctx, d.list)
	if err != nil {
		return err
	}
	for i, v := range d.list {
		day, ok := recorded[model.DoseKey{Resident: v.ResidentID, Vaccine: v.Vaccine, Dose: v.Dose}]
		if ok && day != "" && v.Day != "" && day != v.Day {
			d.res.Problems = append(d.res.Problems, ImportProblem{Sheet: d.rows[i].Sheet, Row: d.rows[i].Row, Field: FieldDay, Key: "warn.vaccination.recorded",
				Data: map[string]any{"Dose": v.Dose, "Day": day, "Value": v.Day}, Values: d.rows[i].Values})
		}
	}
	return nil
}

// notHeld warns of the list's people the registry does not hold, or holds
// outside the account's areas: their doses are left out.
func (r *VaccinationImportResult) notHeld(m *MatchResult) {
	for _, g := range []MatchGroup{MatchMissing, MatchElsewhere} {
		key := map[MatchGroup]string{MatchMissing: "warn.vaccination.not_registered", MatchElsewhere: "warn.vaccination.elsewhere"}[g]
		for _, row := range m.Groups[g] {
			r.Problems = append(r.Problems, ImportProblem{Sheet: row.Sheet, Row: row.Row, Field: FieldIDNumber, Key: key, Values: row.Values})
		}
	}
}

// VaccinationRow is one line of progress: a grid, a compound or an age
// band, its residents and those who had the doses.
type VaccinationRow struct {
	Label     string
	Key       int64
	Residents int
	Done      int
}

// VaccinationProgress is how far a cohort is with a vaccine.
type VaccinationProgress struct {
	Vaccine string
	Doses   int
	By      model.VaccinationGroup
	Rows    []VaccinationRow
	Total   VaccinationRow
}

// VaccinationProgress counts the residents of a filter living here and
// those of them who had at least doses doses of vaccine, by grid, compound or age band.
func (a *App) VaccinationProgress(ctx context.Context, actor *Actor, f ListFilter, vaccine string, doses int, by model.VaccinationGroup) (*VaccinationProgress, error) {
	if err := a.knownVaccine(ctx, vaccine); err != nil {
		return nil, err
	}
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	counts, err := a.st.VaccinationCounts(ctx, q, vaccine, doses, by, a.Now().Format("2006-01-02"))
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	switch by {
	case model.ByCompound:
		cs, err := a.st.Compounds(ctx, nil, true)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			names[c.ID] = c.Name
		}
	case model.ByGrid:
		areas, err := a.st.Areas(ctx)
		if err != nil {
			return nil, err
		}
		for _, ar := range areas {
			names[ar.ID] = ar.Name
		}
	}
	p := &VaccinationProgress{Vaccine: vaccine, Doses: doses, By: by}
	for _, c := range counts {
		row := VaccinationRow{Key: c.Key, Residents: c.Residents, Done: c.Done, Label: names[c.Key]}
		if by == model.ByAge {
			row.Label = ageBand(int(c.Key))
		} else if row.Label == "" {
			row.Label = "—"
		}
		p.Rows = append(p.Rows, row)
		p.Total.Residents += c.Residents
		p.Total.Done += c.Done
	}
	return p, nil
}

// ageBand names a ten-year band as offices write it.
func ageBand(lo int) string {
	switch {
	case lo < 0:
		return "出生日期不详"
	case lo >= 80:
		return "80岁及以上"
	}
	return fmt.Sprintf("%d-%d岁", lo, lo+9)
}

// Unvaccinated is the residents of a filter who have not had dose doses of
// vaccine, as a residents list: the calls to make, to open, tag or export.
func (a *App) Unvaccinated(ctx context.Context, actor *Actor, f ListFilter, vaccine string, doses int) (ListFilter, error) {
	if err := a.knownVaccine(ctx, vaccine); err != nil {
		return f, err
	}
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return f, err
	}
	ids, err := a.st.Unvaccinated(ctx, q, vaccine, doses)
	if err != nil {
		return f, err
	}
	return ListFilter{IDs: ids}, nil
}

// AppointmentInput is a dose booked at the desk.
type AppointmentInput struct {
	ResidentID                          int64 // the resident chosen; 0: the one of IDNumber
	IDNumber, Vaccine, Dose, Day, Place string
}

// AddAppointment books a dose for a resident on a day (today or later).
func (a *App) AddAppointment(ctx context.Context, actor *Actor, in AppointmentInput) (int64, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	var ps Problems
	add := func(field, key string, data map[string]any) {
		ps = append(ps, Problem{Field: field, Key: key, Data: data})
	}
	vaccine := strings.TrimSpace(in.Vaccine)
	if vaccine == "" {
		add("vaccine", "err.vaccination.vaccine", nil)
	}
	dose, ok := vaccinationDose(in.Dose)
	if !ok {
		add("dose", "err.vaccination.dose", map[string]any{"Value": in.Dose})
	}
	day, ok := ParseDate(in.Day)
	if !ok || day < a.Now().Format("2006-01-02") {
		add("appointment_day", "err.vaccination.appointment_day", map[string]any{"Value": in.Day})
	}
	r, err := a.residentAt(ctx, actor, "id_number", Who{ID: in.ResidentID, IDNumber: in.IDNumber})
	if p, isProblem := err.(Problems); isProblem {
		ps = append(ps, p...)
	} else if err != nil {
		return 0, err
	}
	if len(ps) == 0 && (r.Status == model.StatusMoved || r.Status == model.StatusDead) {
		add("id_number", "err.vaccination.not_here", map[string]any{"Name": r.Name, "Status": LedgerValue(FieldStatus, string(r.Status))})
	}
	if len(ps) == 0 {
		recorded, booked, err := a.st.DoseState(ctx, r.ID, vaccine, dose)
		if err != nil {
			return 0, err
		}
		switch {
		case recorded:
			add("dose", "err.vaccination.recorded", map[string]any{"Vaccine": vaccine, "Dose": dose})
		case booked != "":
			add("dose", "err.vaccination.booked", map[string]any{"Vaccine": vaccine, "Dose": dose, "Day": booked})
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	return a.st.AddAppointment(ctx, auditNote(actor.Account.Username, AuditAppointment, fmt.Sprintf("resident:%d", r.ID),
		map[string]any{"vaccine": vaccine, "dose": dose, "day": day}), actor.Account.ID,
		model.Appointment{ResidentID: r.ID, Vaccine: vaccine, Dose: dose, Day: day, Place: strings.TrimSpace(in.Place)})
}

// Appointments lists the appointments in the actor's areas from today on.
func (a *App) Appointments(ctx context.Context, actor *Actor) ([]model.Appointment, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Appointments(ctx, sc.Grids, sc.All, a.Now().Format("2006-01-02"))
}

// CancelAppointment cancels a booked appointment of a resident the actor
// may see.
func (a *App) CancelAppointment(ctx context.Context, actor *Actor, id int64) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	ap, err := a.st.Appointment(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.Resident(ctx, actor, ap.ResidentID); err != nil {
		return err
	}
	err = a.st.CancelAppointment(ctx, auditNote(actor.Account.Username, AuditAppointment, fmt.Sprintf("appointment:%d", id),
		map[string]any{"cancel": true}), id)
	if errors.Is(err, model.ErrConflict) {
		return problem("appointment", "err.vaccination.not_booked", map[string]any{"Status": ap.Status})
	}
	return err
}

// knownVaccine checks a vaccine asked about: given, and recorded (a name
// typed otherwise, 流感 for 流感疫苗, would count nobody).
func (a *App) knownVaccine(ctx context.Context, vaccine string) error {
	if strings.TrimSpace(vaccine) == "" {
		return problem("vaccine", "err.vaccination.vaccine", nil)
	}
	if ok, err := a.st.HasVaccine(ctx, vaccine); ok || err != nil {
		return err
	}
	known, err := a.st.Vaccines(ctx)
	if err != nil {
		return err
	}
	return problem("vaccine", "err.vaccination.unknown_vaccine", map[string]any{"Vaccine": vaccine, "Known": strings.Join(known, "、")})
}
