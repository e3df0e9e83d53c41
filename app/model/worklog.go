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
	From, To  string // days, included
}
