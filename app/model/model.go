// Package model holds the domain types shared by app, store and ui:
// plain data, no SQL and no Fyne. Enumerations are stored as short
// codes and translated for display.
package model

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors that callers test with errors.Is; store maps driver
// errors to these and app adds context.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
	ErrInvalid   = errors.New("invalid")
	// ErrBusy is a write that waited its time while another program or
	// window kept writing the same database.
	ErrBusy = errors.New("busy: another program is writing the database")
)

// NewerSchemaError is a database written by a newer version of the
// program: its schema version Have is beyond the Know this one has.
type NewerSchemaError struct {
	Path       string
	Have, Know int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("%s: database version %d, this program knows up to %d", e.Path, e.Have, e.Know)
}

// AreaLevel is the level of an area in the tree 街道 › 社区 › 网格.
type AreaLevel string

// Area levels.
const (
	LevelStreet    AreaLevel = "street"
	LevelCommunity AreaLevel = "community"
	LevelGrid      AreaLevel = "grid"
)

// Area is a street, a community or a grid.
type Area struct {
	ID       int64
	ParentID int64 // 0 for a street
	Level    AreaLevel
	Name     string
}

// AreaUse counts what refers to an area, to say why it cannot be deleted.
type AreaUse struct {
	Children, Compounds, Houses, Residents, Accounts int
	Other                                            int // spaces, activities, merchants, appeals, work logs, visits
}

// Empty tells whether nothing refers to the area.
func (u AreaUse) Empty() bool {
	return u.Children+u.Compounds+u.Houses+u.Residents+u.Accounts+u.Other == 0
}

// SharedCompoundError refuses moving a grid whose compound also has
// houses in other grids: the compound cannot be in two communities.
type SharedCompoundError struct{ Compound string }

func (e *SharedCompoundError) Error() string {
	return "model: compound " + e.Compound + " has houses in other grids"
}

// Compound is a 小区, belonging to a community.
type Compound struct {
	ID          int64
	CommunityID int64
	Name        string
}

// Building is a 楼栋 of a compound.
type Building struct {
	ID         int64
	CompoundID int64
	Name       string
}

// Unit is a 单元 of a building. A building without units has one unit
// with an empty name.
type Unit struct {
	ID         int64
	BuildingID int64
	Name       string
}

// HouseUse is what a house is used for.
type HouseUse string

// House uses.
const (
	UseOwner      HouseUse = "owner"      // 自住
	UseRented     HouseUse = "rented"     // 出租
	UseVacant     HouseUse = "vacant"     // 空置
	UseCommercial HouseUse = "commercial" // 商用
)

// HouseUses lists the uses in display order.
var HouseUses = []HouseUse{UseOwner, UseRented, UseVacant, UseCommercial}

// House is a 房屋 (a room number in a unit); every house is in one grid.
type House struct {
	ID     int64
	UnitID int64
	Room   string
	GridID int64
	Use    HouseUse
	AreaM2 float64
}

// Address is the full location of a house, for display.
type Address struct {
	HouseID  int64
	Compound string
	Building string
	Unit     string
	Room     string
	GridID   int64
	Use      HouseUse
}

// Sex is "M", "F", or "" when unknown.
type Sex string

// Sexes.
const (
	Male   Sex = "M"
	Female Sex = "F"
)

// Kind is the residence category (人员类别).
type Kind string

// Resident kinds.
const (
	KindRegistered Kind = "registered" // 户籍
	KindFloating   Kind = "floating"   // 流动
	KindForeign    Kind = "foreign"    // 境外
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindRegistered, KindFloating, KindForeign}

// Status is where a resident stands now.
type Status string

// Resident statuses.
const (
	StatusPresent Status = "present" // 在住
	StatusAway    Status = "away"    // 外出
	StatusMoved   Status = "moved"   // 迁出
	StatusDead    Status = "dead"    // 死亡
)

// Statuses lists the statuses in display order.
var Statuses = []Status{StatusPresent, StatusAway, StatusMoved, StatusDead}

// Living are the statuses of those who live here: "residents" everywhere
// (lists, counts, charts, exports, forms) means them unless former
// residents (迁出, 死亡) are asked for by naming statuses.
var Living = []Status{StatusPresent, StatusAway}

// Relation is the relation to the householder (与户主关系).
type Relation string

// Relations to the householder.
const (
	RelHead       Relation = "head"       // 户主
	RelSpouse     Relation = "spouse"     // 配偶
	RelChild      Relation = "child"      // 子女
	RelParent     Relation = "parent"     // 父母
	RelGrandchild Relation = "grandchild" // 孙子女
	RelTenant     Relation = "tenant"     // 租户
	RelOther      Relation = "other"      // 其他
)

// Relations lists the relations in display order.
var Relations = []Relation{RelHead, RelSpouse, RelChild, RelParent, RelGrandchild, RelTenant, RelOther}

// Resident is a person in the registry. HouseID and Relation describe the
// current (or, after moving out, the last) residence; the residence table
// keeps the full history.
type Resident struct {
	ID        int64
	Name      string
	IDNumber  string // 18 characters, or "" when unknown
	Sex       Sex
	Birth     string // YYYY-MM-DD or ""
	Phone     string // normalized, or ""
	Ethnicity string
	Kind      Kind
	Status    Status
	Notes     string
	HouseID   int64
	Relation  Relation
	GridID    int64
	UpdatedAt time.Time
}

// ResidentRow is a resident as the residents table shows it: with the
// address of the house resolved.
type ResidentRow struct {
	Resident
	Address Address
}

// Member is a resident living (or having lived) in a house.
type Member struct {
	ResidentRow
	ResidenceID int64
	Since       string
	Until       string
}

// Tag is a label staff give residents (居民骨干, 志愿者, 独居老人 …), in a
// category.
type Tag struct {
	ID        int64
	Category  string
	Name      string
	Color     string // #RRGGBB, or "" for the category's colour
	Residents int    // how many carry it (where counted)
}

// TagCategories lists the categories offices sort tags into, in display
// order; 未分类 takes tags named in ledgers that match none.
var TagCategories = []string{"居民骨干", "产业人才", "兴趣爱好", "志愿者", "特殊群体", "未分类"}

// TagColors are the colours a tag may take, by name; a tag without one
// takes its category's (CategoryColor), so screens and charts agree.
var TagColors = []struct{ Name, RGB string }{
	{"红", "#D94A4A"}, {"橙", "#E8873A"}, {"黄", "#D9B23A"}, {"绿", "#4AA35A"}, {"青", "#3AA5A8"},
	{"蓝", "#3A78D9"}, {"紫", "#8A5AC8"}, {"灰", "#8A8F98"},
}

// CategoryColor is the colour of a category's tags.
func CategoryColor(category string) string {
	for i, c := range TagCategories {
		if c == category {
			return TagColors[[]int{0, 1, 3, 5, 6, 7}[i]].RGB
		}
	}
	return TagColors[len(TagColors)-1].RGB
}

// ColorOf is the colour a tag is shown in.
func (t Tag) ColorOf() string {
	if t.Color != "" {
		return t.Color
	}
	return CategoryColor(t.Category)
}

// Change is one field change kept in the history.
type Change struct {
	At      time.Time
	Account string
	Entity  string
	Field   string
	Old     string
	New     string
}

// Role is what an account may do; the roles and their rules are decided in app.
type Role string

// Roles.
const (
	RoleAdmin  Role = "admin"  // 系统管理员
	RoleWorker Role = "worker" // 社区工作者
	RoleGrid   Role = "grid"   // 网格员
	RoleLeader Role = "leader" // 领导
)

// Account is a person who signs in.
type Account struct {
	ID           int64
	Username     string
	DisplayName  string
	PasswordHash string
	Role         Role
	AreaIDs      []int64 // areas the account is assigned to; empty means the whole database for an admin
	Disabled     bool
	CanReveal    bool // may see full ID numbers and phones (with a reason, audited)
	CanExport    bool // may write personal data out of the program
	PersonalData bool // an administrator who also sees residents' personal data (given explicitly)
}

// Scope is the set of grids an account may see; All means every grid
// (and residents with no grid). It is decided in app, never in the UI.
type Scope struct {
	All   bool
	Grids []int64
}

// SearchKind says what the search box text was read as.
type SearchKind int

// Search kinds.
const (
	SearchNone SearchKind = iota
	SearchName
	SearchIDNumber
	SearchPhone
	SearchAddress
	SearchTail // the last four characters of a phone or ID number (尾号), or a room
)

// AddressQuery is an address typed into the search box, split into parts;
// empty parts match anything.
type AddressQuery struct {
	Compound string
	Building string
	Unit     string
	Room     string
}

// SortKey names a sortable column of the residents table.
type SortKey string

// Sort keys.
const (
	SortID       SortKey = "id"
	SortName     SortKey = "name"
	SortSex      SortKey = "sex"
	SortAge      SortKey = "age"
	SortIDNumber SortKey = "id_number"
	SortPhone    SortKey = "phone"
	SortAddress  SortKey = "address"
	SortRelation SortKey = "relation"
	SortKind     SortKey = "kind"
	SortStatus   SortKey = "status"
)

// ResidentQuery filters and orders the residents list. Grids is the
// effective set of grids (scope intersected with the chosen area); nil
// means no restriction.
type ResidentQuery struct {
	Grids      []int64
	AllGrids   bool
	CompoundID int64
	Search     SearchKind
	Text       string
	// WithCompound widens a name search to the residents of compounds whose
	// name contains Text (锦绣 finds 锦绣花园's residents too).
	WithCompound bool
	Addr         AddressQuery
	Sort         SortKey
	Desc         bool
	Cohort       *Cohort // who the service is for; nil: everyone in the registry (app always sets one)
	IDs          []int64 // only these residents (a sample); nil: no such limit
}

// Cohort (人群) says who a service is for, by facts and tags. Empty parts
// match everyone.
type Cohort struct {
	// Born between BornAfter (exclusive) and BornBy (inclusive),
	// YYYY-MM-DD: an age range in full years at a date, turned into dates
	// by app; "" is no bound.
	BornAfter, BornBy string
	Sex               Sex
	Kinds             []Kind
	Statuses          []Status
	Relations         []Relation
	TagsAny           []int64 // carries at least one of these
	TagsAll           []int64 // carries every one of these
	TagsNone          []int64 // carries none of these
	Alone             bool    // the only current member of their house
	NoIDNumber        bool
	NoPhone           bool
}

// Cursor is a keyset position in a sorted residents list: the sort value
// and the id of a row.
type Cursor struct {
	Value any
	ID    int64
}

// AuditFilter selects audit entries; empty fields match all.
type AuditFilter struct {
	Account, Action, Target string
	From, To                string // RFC 3339 bounds of At
	Before                  int64  // entries with a smaller id (paging back); 0: the newest
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Account string
	Action  string // login.ok, login.fail, resident.open, resident.search, resident.create, resident.change, …
	Target  string // what it concerns: resident:12, house:34, a file name
	Detail  string // JSON: the filter, the fields changed, a row count
}

// AuditVerdict is what a check of the audit trail found.
type AuditVerdict struct {
	Entries int   // entries read
	Broken  int64 // the first entry altered, or following a removed one; 0: none
	// Missing is how many entries the head kept outside the database
	// counts beyond the newest one in it: the tail was cut off.
	Missing int64
	// Problem is a message key when the trail cannot be trusted for
	// another reason (no key on this computer, a forged anchor …); "" when none.
	Problem string
	KeyFile string // where this database's audit key is (for the messages)
}

// Whole is true when nothing was found wrong.
func (v AuditVerdict) Whole() bool { return v.Broken == 0 && v.Missing == 0 && v.Problem == "" }
