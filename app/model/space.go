package model

// Space is a public space of a street or community (空间): a hall, a
// reading room, a court.
type Space struct {
	ID        int64
	AreaID    int64
	Name      string
	Place     string // where it is
	Capacity  int
	Opens     string // HH:MM
	Closes    string // HH:MM
	Equipment string
	Closed    bool // no longer booked
}

// Booking is a space booked for a time on one day (预约), by a resident or
// an organisation.
type Booking struct {
	ID           int64
	SpaceID      int64
	Starts, Ends string // YYYY-MM-DD HH:MM
	ResidentID   int64  // 0 for an organisation
	Organisation string
	Contact      string // who to call: the resident's name or the organisation's person
	Phone        string
	Purpose      string
	People       int
	ActivityID   int64
	Cancelled    string // when; "" while it stands
	CancelReason string
	// For lists: the space's name and the booking resident's grid.
	Space string
	Grid  int64
}

// SpaceUse is a space's bookings over a period.
type SpaceUse struct {
	Space     Space
	Bookings  int
	Cancelled int
	Minutes   int // booked
	People    int
	Open      int // minutes open in the period
}

// ClashError is a booking refused because another one stands in its time.
type ClashError struct{ With Booking }

func (e *ClashError) Error() string {
	return "booking clashes with " + e.With.Starts + "–" + e.With.Ends
}

func (e *ClashError) Unwrap() error { return ErrConflict }
