package model

// AppealStatus is where an appeal (诉求) stands.
type AppealStatus string

// Appeal statuses, in the order an appeal passes them.
const (
	AppealPending    AppealStatus = "pending"    // 待受理
	AppealAccepted   AppealStatus = "accepted"   // 已受理
	AppealProcessing AppealStatus = "processing" // 处理中
	AppealAnswered   AppealStatus = "answered"   // 已答复
	AppealClosed     AppealStatus = "closed"     // 已办结
)

// AppealStatuses lists the statuses in order.
var AppealStatuses = []AppealStatus{AppealPending, AppealAccepted, AppealProcessing, AppealAnswered, AppealClosed}

// AppealAction is a step of an appeal's handling.
type AppealAction string

// Appeal actions.
const (
	ActIntake   AppealAction = "intake"   // 登记
	ActAccept   AppealAction = "accept"   // 受理
	ActStart    AppealAction = "start"    // 开始处理
	ActAnswer   AppealAction = "answer"   // 答复
	ActClose    AppealAction = "close"    // 办结
	ActReassign AppealAction = "reassign" // 转派
	ActReturn   AppealAction = "return"   // 退回
	ActExtend   AppealAction = "extend"   // 延期
	ActReopen   AppealAction = "reopen"   // 重新打开
)

// Channel is how an appeal came in.
type Channel string

// Channels.
const (
	ChannelPhone   Channel = "phone"   // 来电
	ChannelVisit   Channel = "visit"   // 来访
	ChannelGrid    Channel = "grid"    // 网格员上报
	ChannelOnline  Channel = "online"  // 线上
	ChannelHotline Channel = "hotline" // 12345工单
)

// Channels lists the channels.
var Channels = []Channel{ChannelPhone, ChannelVisit, ChannelGrid, ChannelOnline, ChannelHotline}

// Urgency is 一般 or 紧急.
type Urgency string

// Urgencies.
const (
	UrgencyNormal Urgency = "normal"
	UrgencyUrgent Urgency = "urgent"
)

// Satisfaction is the resident's verdict at closing.
type Satisfaction string

// Satisfactions.
const (
	Satisfied       Satisfaction = "satisfied"    // 满意
	FairlySatisfied Satisfaction = "fair"         // 基本满意
	Dissatisfied    Satisfaction = "dissatisfied" // 不满意
)

// Satisfactions lists them, best first.
var Satisfactions = []Satisfaction{Satisfied, FairlySatisfied, Dissatisfied}

// ReplyMethod is how the resident was answered.
type ReplyMethod string

// Reply methods.
const (
	ReplyPhone  ReplyMethod = "phone"  // 电话
	ReplyVisit  ReplyMethod = "visit"  // 上门
	ReplySMS    ReplyMethod = "sms"    // 短信
	ReplyOnline ReplyMethod = "online" // 线上
)

// ReplyMethods lists them.
var ReplyMethods = []ReplyMethod{ReplyPhone, ReplyVisit, ReplySMS, ReplyOnline}

// AppealCategory is a kind of appeal with its deadlines in working days
// from intake, for normal and urgent ones.
type AppealCategory struct {
	ID                                int64
	Name                              string
	Position                          int
	AcceptDays, AnswerDays, CloseDays int
	UrgentAccept, UrgentAnswer        int
	UrgentClose                       int
}

// Appeal is a resident's need or complaint and where its handling stands.
// Times are RFC 3339; due dates YYYY-MM-DD (the day's end).
type Appeal struct {
	ID            int64
	Channel       Channel
	CategoryID    int64
	Category      string
	Content       string
	Urgency       Urgency
	ReporterID    int64 // a resident, or 0 with a name and phone
	ReporterName  string
	ReporterPhone string
	HouseID       int64
	CompoundID    int64
	Place         string // the place in words (an address, or free text)
	GridID        int64
	Status        AppealStatus
	AssigneeID    int64
	Assignee      string
	CreatedBy     int64
	ReceivedAt    string
	AcceptedAt    string
	AnsweredAt    string
	ClosedAt      string
	DueAccept     string
	DueAnswer     string
	DueClose      string
	Reply         string
	ReplyMethod   ReplyMethod
	Satisfaction  Satisfaction
	ExternalNo    string
	UpdatedAt     string
}

// AppealStep is one step of an appeal's timeline.
type AppealStep struct {
	Action   AppealAction
	From, To AppealStatus
	Account  string
	At       string
	Comment  string
}

// AppealQuery filters the appeals list.
type AppealQuery struct {
	Grids      []int64
	AllGrids   bool
	Mine       int64 // also those assigned to this account, wherever they are
	OnlyMine   bool  // only those assigned to Mine
	Statuses   []AppealStatus
	CategoryID int64
	Channel    Channel
	From, To   string // received on these dates (YYYY-MM-DD), "" for open
	Limit      int
}
