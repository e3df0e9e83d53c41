package model

// WorkKind is what a grid worker's log entry records.
type WorkKind string

// Work kinds.
const (
	WorkVisit     WorkKind = "visit"     // 入户走访
	WorkPatrol    WorkKind = "patrol"    // 巡查
	WorkMediation WorkKind = "mediation" // 矛盾调解
	WorkPublicity WorkKind = "publicity" // 政策宣传
	WorkOther     WorkKind = "other"     // 其他
)

// WorkKinds lists them.
var WorkKinds = []WorkKind{WorkVisit, WorkPatrol, WorkMediation, WorkPublicity, WorkOther}

// WorkLog is one entry of a grid worker's log (工作日志).
type WorkLog struct {
	ID        int64
	AccountID int64
	Account   string
	GridID    int64
	Day       string // YYYY-MM-DD
	Kind      WorkKind
	Content   string
	Residents []Named // whom it concerned
	Houses    []Named // which houses (by address)
	// Withdrawn is when the entry was withdrawn ("" while it stands), by
	// whom and why; a withdrawn entry is kept, out of counts and exports.
	Withdrawn, WithdrawnBy, WithdrawReason string
	Edited                                 int // corrections made to it
}

// WorkLogChange is a correction or withdrawal of an entry: who, when, why,
// and the entry's day, kind and content before it.
type WorkLogChange struct {
	Action  string // "edit" or "withdraw"
	Account string
	At      string
	Day     string
	Kind    WorkKind
	Content string
	Reason  string
}

// Named is a row's id and what it is called.
type Named struct {
	ID   int64
	Name string
}

// WorkLogQuery filters the logs.
type WorkLogQuery struct {
	Grids     []int64
	AllGrids  bool
	AccountID int64  // one worker's; 0: everyone's
	ID        int64  // one entry; 0: any
	From, To  string // days, included
}
