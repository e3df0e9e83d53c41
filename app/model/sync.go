package model

// SyncOp is one local change sent to the sync server: the fields it
// changed (all of them for a new row), or a delete or restore. Node and
// Seq together are its operation id; HLC is its hybrid logical clock
// ("ms.counter"); Base is the server version the replica had seen when
// the change was made, by which the server tells a stale edit.
type SyncOp struct {
	Seq    int64             `json:"seq"`
	Entity string            `json:"entity"`
	UID    string            `json:"uid"`
	Op     string            `json:"op"`
	Fields map[string]string `json:"fields,omitempty"`
	HLC    string            `json:"hlc"`
	Base   int64             `json:"base"`
}

// Sync operations.
const (
	OpPut     = "put"
	OpDelete  = "delete"
	OpRestore = "restore"
)

// SyncEntry is a row as the server holds it now, sent to a replica: all
// its fields, or a tombstone (Deleted), or Gone when it left the areas of
// the replica's account (a resident who moved out of its grids).
type SyncEntry struct {
	Entity  string            `json:"entity"`
	UID     string            `json:"uid"`
	Fields  map[string]string `json:"fields,omitempty"`
	Deleted bool              `json:"deleted,omitempty"`
	Gone    bool              `json:"gone,omitempty"`
	HLC     string            `json:"hlc"`
}

// SyncEntities are the kinds of rows that sync, parents before children:
// a page applied in this order never meets a row before what it points at.
var SyncEntities = []string{"area", "compound", "building", "unit", "house", "resident", "residence"}

// SyncConflict is a field two replicas changed from the same version: the
// value kept (the later clock) and the value it replaced, for a person to
// review and choose.
type SyncConflict struct {
	ID       int64  `json:"id"`
	Entity   string `json:"entity"`
	UID      string `json:"uid"`
	Label    string `json:"label"`
	Field    string `json:"field"`
	Kept     string `json:"kept"`
	Lost     string `json:"lost"`
	KeptHLC  string `json:"kept_hlc"`
	LostHLC  string `json:"lost_hlc"`
	KeptBy   string `json:"kept_by"`
	LostBy   string `json:"lost_by"`
	At       string `json:"at"`
	Resolved bool   `json:"resolved,omitempty"`
}

// ServerAccount is an account of a sync server's database: the people
// who enrol desktops and the administrators who keep the server. Areas
// are by uid, as the server knows them; none is the whole district (an
// administrator).
type ServerAccount struct {
	ID                                      int64
	Username, DisplayName, PasswordHash     string
	Role                                    Role
	Areas                                   []string
	CanReveal, CanExport, PersonalData, Off bool
}

// Device is a desktop enrolled with a sync server, for the list an
// administrator revokes from. Created and Revoked are RFC 3339 times;
// Revoked is empty while its token holds.
type Device struct {
	Node, Name, Username, Created, Revoked string
}
