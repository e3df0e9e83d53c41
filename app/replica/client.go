package replica

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"shequ/app/model"
	"shequ/store/hub"
)

// Client talks to a server at Base (https://host:port).
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client
}

// NewClient makes a client. caFile, when set, is the PEM certificate the
// server's is checked against (a district's own authority) besides the
// system's.
func NewClient(base, token, caFile string) (*Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("replica: %s holds no certificate", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &Client{Base: strings.TrimRight(base, "/"), Token: token, HTTP: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}, nil
}

// Error is the server's answer to a request it refused.
type Error struct {
	Status     int
	Code       string
	Message    string
	ServerTime int64
}

func (e *Error) Error() string { return fmt.Sprintf("server: %s: %s", e.Code, e.Message) }

// IsCode tells whether err is the server's refusal with code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func (c *Client) call(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var eb ErrorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
			return &Error{Status: resp.StatusCode, Code: CodeServer, Message: strings.TrimSpace(string(data))}
		}
		return &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message, ServerTime: eb.Error.ServerTime}
	}
	return json.Unmarshal(data, out)
}

// Enrol signs the device in and keeps its token.
func (c *Client) Enrol(ctx context.Context, req EnrolRequest) (EnrolResponse, error) {
	var out EnrolResponse
	err := c.call(ctx, "/v1/enrol", req, &out)
	if err == nil {
		c.Token = out.Token
	}
	return out, err
}

// Push sends operations.
func (c *Client) Push(ctx context.Context, ops []model.SyncOp) (PushResponse, error) {
	var out PushResponse
	err := c.call(ctx, "/v1/push", PushRequest{Ops: ops}, &out)
	return out, err
}

// Pull reads a page after cursor.
func (c *Client) Pull(ctx context.Context, cursor string, limit int) (hub.Page, error) {
	var out hub.Page
	err := c.call(ctx, "/v1/pull", PullRequest{Cursor: cursor, Limit: limit}, &out)
	return out, err
}

// AuditHead sends the desktop's audit head and returns the one the server
// recorded before.
func (c *Client) AuditHead(ctx context.Context, head hub.AuditHead) (hub.AuditHead, error) {
	var out AuditHeadResponse
	err := c.call(ctx, "/v1/audit-head", AuditHeadRequest{Head: head}, &out)
	return out.Prev, err
}

// Conflicts lists the open conflicts.
func (c *Client) Conflicts(ctx context.Context) ([]model.SyncConflict, error) {
	var out ConflictsResponse
	err := c.call(ctx, "/v1/conflicts", struct{}{}, &out)
	return out.Conflicts, err
}

// Resolve closes a conflict, taking the kept value or the lost one.
func (c *Client) Resolve(ctx context.Context, id int64, takeLost bool) error {
	take := "kept"
	if takeLost {
		take = "lost"
	}
	var out map[string]any
	return c.call(ctx, "/v1/resolve", ResolveRequest{ID: id, Take: take}, &out)
}
