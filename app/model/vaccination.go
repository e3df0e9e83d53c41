package model

// Vaccination is a dose of a vaccine a resident was given.
type Vaccination struct {
	ID         int64
	ResidentID int64
	Vaccine    string // 新冠疫苗, 流感疫苗 …, as the health department names it
	Dose       int    // 1, 2, 3 (加强针) …
	Day        string // YYYY-MM-DD
	Place      string // 接种单位
	Source     string // the list it was read from; "" when typed
}

// Appointment is a dose booked for a day (预约).
type Appointment struct {
	ID         int64
	ResidentID int64
	Name       string // the resident's, when listed
	Vaccine    string
	Dose       int
	Day        string
	Place      string
	Status     AppointmentStatus
}

// AppointmentStatus is where an appointment stands.
type AppointmentStatus string

// Appointment statuses: booked, then done when the dose is recorded, or
// cancelled.
const (
	AppointmentBooked    AppointmentStatus = "booked"
	AppointmentDone      AppointmentStatus = "done"
	AppointmentCancelled AppointmentStatus = "cancelled"
)

// VaccinationGroup is how progress is counted: by grid, compound or age.
type VaccinationGroup string

// Progress groupings.
const (
	ByGrid     VaccinationGroup = "grid"
	ByCompound VaccinationGroup = "compound"
	ByAge      VaccinationGroup = "age"
)

// DoseKey is one dose of a vaccine of a resident, recorded at most once.
type DoseKey struct {
	Resident int64
	Vaccine  string
	Dose     int
}
