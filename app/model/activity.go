package model

// Activity is a street's or community's activity (活动): a time, a place,
// a capacity and the cohort it is for.
type Activity struct {
	ID           int64
	AreaID       int64
	Name         string
	Starts, Ends string // YYYY-MM-DD HH:MM
	SpaceID      int64
	BookingID    int64
	Place        string
	Capacity     int
	Cohort       string // the target cohort's filter, JSON; "" anyone
	CohortName   string
	Note         string
	Cancelled    string
	// Counts, for lists.
	Invited, Signed, Waiting, CheckedIn int
}

// Attendance is a person's state in an activity.
type Attendance string

const (
	AttInvited   Attendance = "invited"
	AttSigned    Attendance = "signed"
	AttWaiting   Attendance = "waiting"
	AttCancelled Attendance = "cancelled"
)

// Attendee is a person of an activity, with the resident's name for lists.
type Attendee struct {
	ResidentID int64
	State      Attendance
	Seq        int
	Invited    string
	Signed     string
	CheckedIn  string
	Name       string
	IDNumber   string
	Phone      string
	Grid       int64
}
