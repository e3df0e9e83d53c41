package model

// Visit is a visitor registered at a compound's gate (到访登记).
type Visit struct {
	ID          int64
	CompoundID  int64
	CommunityID int64
	HouseID     int64 // 0: the compound alone
	GridID      int64 // the house's grid; 0 without a house
	Name        string
	IDNumber    string
	Phone       string
	Reason      string
	Health      string // 正常, 发热, 绿码 … as the gate writes it
	TimeIn      string // YYYY-MM-DD HH:MM
	TimeOut     string // "" while inside
	// For lists: the compound's name and the house's building, unit, room.
	Address Address
}

// VisitQuery selects visits: days (inclusive, YYYY-MM-DD; "" is no bound),
// a compound, a person (by ID number, or the start of a name), within the
// grids and communities of a scope.
type VisitQuery struct {
	From, To    string
	CompoundID  int64
	IDNumber    string
	Name        string // the start of the name
	Grids       []int64
	Communities []int64
	All         bool
	Inside      bool // only those not gone out yet
}

// VisitCursor is a keyset position in a visits list (newest first, by
// time in, grid and id).
type VisitCursor struct {
	TimeIn string
	GridID int64
	ID     int64
}
