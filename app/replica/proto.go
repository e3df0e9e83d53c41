// Package replica is the sync protocol between desktops and the server:
// its messages, the HTTP server over a hub, and the client desktops use.
// Bodies are JSON; fields a side does not know are refused; errors carry
// a code a client acts on.
package replica

import (
	"shequ/app/model"
	"shequ/store/hub"
)

// Limits of one request.
const (
	MaxBody  = 8 << 20 // bytes
	MaxBatch = 1000    // operations in a push
	MaxPage  = 5000    // rows in a pull
)

// Error codes.
const (
	CodeBadRequest   = "bad_request"
	CodeTooLarge     = "too_large"
	CodeBatchLarge   = "batch_too_large"
	CodeBadLogin     = "bad_login"
	CodeRateLimited  = "rate_limited"
	CodeUnauthorized = "unauthorized"
	CodeRevoked      = "revoked"
	CodeForbidden    = "forbidden"
	CodeClockAhead   = "clock_ahead"
	CodeNotFound     = "not_found"
	CodeServer       = "server_error"
)

// EnrolRequest signs a device in with an account.
type EnrolRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Node     string `json:"node"` // the device's id, made by the device
	Name     string `json:"name"` // what the device calls itself
}

// Account is the enrolled account, as the desktop keeps it to sign in
// while offline.
type Account struct {
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	PasswordHash string   `json:"password_hash"`
	Role         string   `json:"role"`
	Areas        []string `json:"areas"`
	CanReveal    bool     `json:"can_reveal"`
	CanExport    bool     `json:"can_export"`
	PersonalData bool     `json:"personal_data"`
}

// EnrolResponse is the device's token and its account.
type EnrolResponse struct {
	Token      string  `json:"token"`
	Account    Account `json:"account"`
	Rows       int     `json:"rows"` // rows the server holds: none means a desktop may seed it
	ServerTime int64   `json:"server_time"`
}

// PushRequest sends operations of the device's outbox, oldest first.
type PushRequest struct {
	Ops []model.SyncOp `json:"ops"`
}

// PushResponse is what the server did with them.
type PushResponse struct {
	hub.PushResult
	ServerTime int64 `json:"server_time"`
}

// PullRequest asks for the changes after a cursor.
type PullRequest struct {
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// ConflictsResponse lists the open conflicts the account sees.
type ConflictsResponse struct {
	Conflicts []model.SyncConflict `json:"conflicts"`
}

// ResolveRequest closes a conflict with the value chosen.
type ResolveRequest struct {
	ID   int64  `json:"id"`
	Take string `json:"take"` // "kept" or "lost"
}

// AuditHeadRequest is the newest entry of the desktop's audit trail, sent
// with every sync round; the answer is the head the server recorded for
// the same copy before (zero when none).
type AuditHeadRequest struct {
	Head hub.AuditHead `json:"head"`
}

// AuditHeadResponse is the head recorded before.
type AuditHeadResponse struct {
	Prev hub.AuditHead `json:"prev"`
}

// ErrorBody is every error's answer.
type ErrorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		ServerTime int64  `json:"server_time,omitempty"`
	} `json:"error"`
}
