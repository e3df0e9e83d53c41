// Package hub is the sync server's database: PostgreSQL through pgx, or
// one SQLite file, behind the same SQL. It holds the server's accounts and
// devices, every synced row as it is now, the feed replicas pull, and
// the conflicts people review.
package hub

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"

	"shequ/app/model"
)

// Hub is an open server database.
type Hub struct {
	db  *sql.DB
	pg  bool
	url string

	mu    sync.Mutex
	areas map[string]Area // the area tree, read again after an area changes
}

// Area is a node of the area tree as the server holds it.
type Area struct {
	UID, Parent, Level, Name string
}

// Errors a caller acts on.
var (
	ErrNotFound = errors.New("hub: not found")
	ErrRevoked  = errors.New("hub: device revoked")
)

// Open opens (creating the tables if needed) the store named by spec:
// postgres://… (or postgresql://…), or sqlite:FILE.
func Open(ctx context.Context, spec string) (*Hub, error) {
	h := &Hub{url: spec}
	var err error
	switch {
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		h.pg = true
		h.db, err = sql.Open("pgx", spec)
		if err == nil {
			h.db.SetMaxOpenConns(32)
			h.db.SetMaxIdleConns(32)
		}
	case strings.HasPrefix(spec, "sqlite:"):
		file := strings.TrimPrefix(spec, "sqlite:")
		// One connection: SQLite has one writer, and a transaction that
		// reads then writes must not wait on another's lock.
		h.db, err = sql.Open("sqlite", "file:"+file+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate")
		if err == nil {
			h.db.SetMaxOpenConns(1)
		}
	default:
		return nil, fmt.Errorf("hub: store %q: want postgres://… or sqlite:FILE", spec)
	}
	if err != nil {
		return nil, fmt.Errorf("hub: open: %w", err)
	}
	if err := h.db.PingContext(ctx); err != nil {
		h.db.Close()
		return nil, fmt.Errorf("hub: open: %w", err)
	}
	auto, big := "INTEGER PRIMARY KEY", "INTEGER"
	if h.pg {
		auto, big = "BIGSERIAL PRIMARY KEY", "BIGINT"
	}
	if _, err := h.db.ExecContext(ctx, fmt.Sprintf(schema, auto, big)); err != nil {
		h.db.Close()
		return nil, fmt.Errorf("hub: schema: %w", err)
	}
	if _, err := h.db.ExecContext(ctx, h.q("INSERT INTO hub_meta(key, value) VALUES ('txn', '0'), ('floor', '0') ON CONFLICT (key) DO NOTHING")); err != nil {
		h.db.Close()
		return nil, fmt.Errorf("hub: schema: %w", err)
	}
	return h, nil
}

// Close closes the database.
func (h *Hub) Close() error { return h.db.Close() }

// q writes ? placeholders as PostgreSQL's $n.
func (h *Hub) q(query string) string {
	if !h.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tx runs fn in a transaction, again when PostgreSQL found it in a
// deadlock or a serialization failure with another.
func (h *Hub) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		tx, err := h.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("hub: begin: %w", err)
		}
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err != nil && attempt < 5 && retryable(err) {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return err
	}
}

func retryable(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLSTATE 40P01") || strings.Contains(s, "SQLSTATE 40001")
}

// xid is the number of the transaction tx: PostgreSQL's own (so the feed
// is ordered as transactions began, and a reader takes only those below
// every running one); on SQLite, where one writer commits in turn, a
// counter.
func (h *Hub) xid(ctx context.Context, tx *sql.Tx) (int64, error) {
	var x int64
	if h.pg {
		err := tx.QueryRowContext(ctx, "SELECT pg_current_xact_id()::text::bigint").Scan(&x)
		return x, err
	}
	err := tx.QueryRowContext(ctx, "UPDATE hub_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'txn' RETURNING CAST(value AS INTEGER)").Scan(&x)
	return x, err
}

// watermark is the first xid whose changes a reader may not see all of:
// every transaction below it has ended.
func (h *Hub) watermark(ctx context.Context) (int64, error) {
	var x int64
	if h.pg {
		err := h.db.QueryRowContext(ctx, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").Scan(&x)
		return x, err
	}
	err := h.db.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) + 1 FROM hub_meta WHERE key = 'txn'").Scan(&x)
	return x, err
}

func (h *Hub) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := h.db.QueryRowContext(ctx, h.q("SELECT value FROM hub_meta WHERE key = ?"), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// PutAccount creates or replaces an account by its user name.
func (h *Hub) PutAccount(ctx context.Context, a model.ServerAccount) error {
	_, err := h.db.ExecContext(ctx, h.q(`INSERT INTO hub_account(username, display_name, password_hash, role, areas, can_reveal, can_export, personal_data, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash, role = excluded.role,
		areas = excluded.areas, can_reveal = excluded.can_reveal, can_export = excluded.can_export, personal_data = excluded.personal_data, disabled = excluded.disabled`),
		a.Username, a.DisplayName, a.PasswordHash, string(a.Role), strings.Join(a.Areas, ","), b2i(a.CanReveal), b2i(a.CanExport), b2i(a.PersonalData), b2i(a.Off))
	if err != nil {
		return fmt.Errorf("hub: account %s: %w", a.Username, err)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const accountCols = "id, username, display_name, password_hash, role, areas, can_reveal, can_export, personal_data, disabled"

func scanAccount(sc interface{ Scan(...any) error }) (model.ServerAccount, error) {
	var a model.ServerAccount
	var role, areas string
	var rev, exp, pd, off int
	err := sc.Scan(&a.ID, &a.Username, &a.DisplayName, &a.PasswordHash, &role, &areas, &rev, &exp, &pd, &off)
	a.Role = model.Role(role)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	if areas != "" {
		a.Areas = strings.Split(areas, ",")
	}
	a.CanReveal, a.CanExport, a.PersonalData, a.Off = rev == 1, exp == 1, pd == 1, off == 1
	return a, err
}

// AccountByName finds an account.
func (h *Hub) AccountByName(ctx context.Context, username string) (model.ServerAccount, error) {
	return scanAccount(h.db.QueryRowContext(ctx, h.q("SELECT "+accountCols+" FROM hub_account WHERE lower(username) = lower(?)"), username))
}

// CountAccounts counts the server's accounts.
func (h *Hub) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := h.db.QueryRowContext(ctx, "SELECT count(*) FROM hub_account").Scan(&n)
	return n, err
}

// TakeSignIn holds one sign-in attempt at now under every key, before the
// password is checked, unless one of them holds limit.Max within the
// window already: then ok is false, nothing is held, and retry is when
// one more may be tried. Attempts sent together are counted in turn: the
// keys' rows are locked (FOR UPDATE; SQLite has one writer), in one order.
func (h *Hub) TakeSignIn(ctx context.Context, limit model.SignInLimit, now time.Time, keys ...string) (ok bool, retry time.Time, err error) {
	keys = slices.Sorted(slices.Values(keys))
	err = h.tx(ctx, func(tx *sql.Tx) error {
		ok, retry = true, time.Time{}
		lists := make([]string, len(keys))
		for i, k := range keys {
			held, err := h.lockSignIn(ctx, tx, k)
			if err != nil {
				return err
			}
			var took bool
			var at time.Time
			lists[i], took, at = limit.Take(held, now)
			if !took {
				ok = false
				if at.After(retry) {
					retry = at
				}
			}
		}
		if !ok {
			return nil
		}
		for i, k := range keys {
			if _, err := tx.ExecContext(ctx, h.q("UPDATE hub_signin SET held = ?, last = ? WHERE key = ?"), lists[i], now.UnixMilli(), k); err != nil {
				return err
			}
		}
		// Rows with no attempt in the window are of no use.
		_, err := tx.ExecContext(ctx, h.q("DELETE FROM hub_signin WHERE last <= ?"), now.Add(-limit.Window).UnixMilli())
		return err
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("hub: sign-in attempt: %w", err)
	}
	return ok, retry, nil
}

// ReleaseSignIn gives back the attempt taken at at under every key: a
// sign-in that succeeded.
func (h *Hub) ReleaseSignIn(ctx context.Context, limit model.SignInLimit, at time.Time, keys ...string) error {
	keys = slices.Sorted(slices.Values(keys))
	err := h.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			held, err := h.lockSignIn(ctx, tx, k)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, h.q("UPDATE hub_signin SET held = ? WHERE key = ?"), limit.Release(held, at), k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hub: sign-in attempt: %w", err)
	}
	return nil
}

// lockSignIn reads the attempts held under key, its row locked until tx
// ends (made if missing; made again if another transaction pruned it
// between the two statements).
func (h *Hub) lockSignIn(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	lock := ""
	if h.pg {
		lock = " FOR UPDATE"
	}
	for range 3 {
		if _, err := tx.ExecContext(ctx, h.q("INSERT INTO hub_signin(key, held, last) VALUES (?, '', 0) ON CONFLICT (key) DO NOTHING"), key); err != nil {
			return "", err
		}
		var held string
		err := tx.QueryRowContext(ctx, h.q("SELECT held FROM hub_signin WHERE key = ?"+lock), key).Scan(&held)
		if !errors.Is(err, sql.ErrNoRows) {
			return held, err
		}
	}
	return "", fmt.Errorf("hub: sign-in attempts of %s: row keeps vanishing", key)
}

func tokenHash(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// Enrol registers a device of an account under node with its token (kept
// only as a hash). A node enrolled again gets the new token.
func (h *Hub) Enrol(ctx context.Context, accountID int64, node, name, token string) error {
	_, err := h.db.ExecContext(ctx, h.q(`INSERT INTO hub_device(token_hash, account_id, node, name, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (node) DO UPDATE SET token_hash = excluded.token_hash, account_id = excluded.account_id, name = excluded.name, revoked_at = ''`),
		tokenHash(token), accountID, node, name, stamp())
	if err != nil {
		return fmt.Errorf("hub: enrol: %w", err)
	}
	return nil
}

// Device finds the account and node of a token; ErrRevoked when the
// device was revoked.
func (h *Hub) Device(ctx context.Context, token string) (model.ServerAccount, string, error) {
	var node, revoked string
	var id int64
	err := h.db.QueryRowContext(ctx, h.q("SELECT account_id, node, revoked_at FROM hub_device WHERE token_hash = ?"), tokenHash(token)).Scan(&id, &node, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return model.ServerAccount{}, "", ErrNotFound
	}
	if err != nil {
		return model.ServerAccount{}, "", err
	}
	if revoked != "" {
		return model.ServerAccount{}, "", ErrRevoked
	}
	a, err := scanAccount(h.db.QueryRowContext(ctx, h.q("SELECT "+accountCols+" FROM hub_account WHERE id = ?"), id))
	return a, node, err
}

// Devices lists the enrolled devices.
func (h *Hub) Devices(ctx context.Context) ([]model.Device, error) {
	rows, err := h.db.QueryContext(ctx, "SELECT d.node, d.name, a.username, d.created_at, d.revoked_at FROM hub_device d JOIN hub_account a ON a.id = d.account_id ORDER BY d.id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Device
	for rows.Next() {
		var d model.Device
		if err := rows.Scan(&d.Node, &d.Name, &d.Username, &d.Created, &d.Revoked); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Revoke ends a device's token.
func (h *Hub) Revoke(ctx context.Context, node string) error {
	res, err := h.db.ExecContext(ctx, h.q("UPDATE hub_device SET revoked_at = ? WHERE node = ? AND revoked_at = ''"), stamp(), node)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func stamp() string { return time.Now().UTC().Format(time.RFC3339) }

// Areas is the area tree, from the area rows.
func (h *Hub) Areas(ctx context.Context) (map[string]Area, error) {
	return h.areasIn(ctx, h.db, false)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// areasIn reads the tree through q (a transaction's own view, which a
// transaction that changed an area must use: dirty); a clean read is
// kept until an area changes.
func (h *Hub) areasIn(ctx context.Context, q querier, dirty bool) (map[string]Area, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.areas != nil && !dirty {
		return h.areas, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT uid, fields FROM hub_row WHERE entity = 'area' AND deleted = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]Area{}
	for rows.Next() {
		var uid, fields string
		if err := rows.Scan(&uid, &fields); err != nil {
			return nil, err
		}
		f, err := decodeFields(fields)
		if err != nil {
			return nil, err
		}
		m[uid] = Area{UID: uid, Parent: f["parent"], Level: f["level"], Name: f["name"]}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !dirty {
		h.areas = m
	}
	return m, nil
}

func (h *Hub) forgetAreas() {
	h.mu.Lock()
	h.areas = nil
	h.mu.Unlock()
}

// Rows counts the rows the server holds.
func (h *Hub) Rows(ctx context.Context) (int, error) {
	var n int
	err := h.db.QueryRowContext(ctx, "SELECT count(*) FROM hub_row").Scan(&n)
	return n, err
}
