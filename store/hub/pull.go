package hub

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"shequ/app/model"
)

// cursor is where a replica is in what it pulls; it travels opaque.
// A full resync (mode s) walks the rows as they are, entity by entity
// and scope by scope, then follows the feed from the watermark taken when
// it began; the feed (mode f) is read in (xid, pos) order below the
// watermark, where no transaction is still running.
type cursor struct {
	Mode   string `json:"m"`
	Entity int    `json:"e,omitempty"`
	Scope  string `json:"s,omitempty"`
	UID    string `json:"u,omitempty"`
	XID    int64  `json:"x"`
	Pos    int64  `json:"p,omitempty"`
	Key    string `json:"k"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, bool) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || (c.Mode != "s" && c.Mode != "f") {
		return cursor{}, false
	}
	return c, true
}

// Page is one pull's answer.
type Page struct {
	Entries []model.SyncEntry `json:"entries"`
	Cursor  string            `json:"cursor"`
	More    bool              `json:"more"`
	Resync  bool              `json:"resync,omitempty"` // this page begins a full resync
	Seen    int64             `json:"seen"`
	Total   int               `json:"total,omitempty"` // rows in a full resync, for its progress
}

// Pull reads up to limit changes after cur for an account. An empty or
// unreadable cursor, one older than the feed keeps, or one made for other
// areas starts a full resync.
func (h *Hub) Pull(ctx context.Context, v Visible, cur string, limit int) (Page, error) {
	c, ok := decodeCursor(cur)
	var p Page
	floorS, err := h.meta(ctx, "floor")
	if err != nil {
		return p, err
	}
	var floor int64
	fmt.Sscan(floorS, &floor)
	if !ok || c.Key != v.Key || (c.Mode == "f" && c.XID < floor) {
		w, err := h.watermark(ctx)
		if err != nil {
			return p, err
		}
		c = cursor{Mode: "s", XID: w, Key: v.Key}
		p.Resync = true
		if p.Total, err = h.count(ctx, v); err != nil {
			return p, err
		}
	}
	if c.Mode == "s" {
		if err := h.snapshot(ctx, v, &c, limit, &p); err != nil {
			return p, fmt.Errorf("hub: pull: %w", err)
		}
		if len(p.Entries) >= limit {
			p.More, p.Cursor, p.Seen = true, c.encode(), 0
			return p, nil
		}
		c = cursor{Mode: "f", XID: c.XID, Key: v.Key}
	}
	if err := h.feed(ctx, v, &c, limit-len(p.Entries), &p); err != nil {
		return p, fmt.Errorf("hub: pull: %w", err)
	}
	p.Cursor, p.Seen = c.encode(), c.XID
	return p, nil
}

func (h *Hub) count(ctx context.Context, v Visible) (int, error) {
	total := 0
	for _, e := range model.SyncEntities {
		for _, s := range v.scopes(classOf(e)) {
			var n int
			if err := h.db.QueryRowContext(ctx, h.q("SELECT count(*) FROM hub_row WHERE entity = ? AND scope = ? AND deleted = 0"), e, s).Scan(&n); err != nil {
				return 0, err
			}
			total += n
		}
	}
	return total, nil
}

// snapshot reads rows as they are, from c on, into p.
func (h *Hub) snapshot(ctx context.Context, v Visible, c *cursor, limit int, p *Page) error {
	for ; c.Entity < len(model.SyncEntities); c.Entity, c.Scope, c.UID = c.Entity+1, "", "" {
		e := model.SyncEntities[c.Entity]
		scopes := v.scopes(classOf(e))
		i, _ := slices.BinarySearch(scopes, c.Scope)
		for ; i < len(scopes); i++ {
			if scopes[i] != c.Scope {
				c.Scope, c.UID = scopes[i], ""
			}
			rows, err := h.db.QueryContext(ctx, h.q("SELECT uid, fields, hlc FROM hub_row WHERE entity = ? AND scope = ? AND uid > ? AND deleted = 0 ORDER BY uid LIMIT ?"),
				e, c.Scope, c.UID, limit-len(p.Entries))
			if err != nil {
				return err
			}
			for rows.Next() {
				en := model.SyncEntry{Entity: e}
				var fields string
				if err := rows.Scan(&en.UID, &fields, &en.HLC); err != nil {
					rows.Close()
					return err
				}
				if en.Fields, err = decodeFields(fields); err != nil {
					rows.Close()
					return err
				}
				c.UID = en.UID
				p.Entries = append(p.Entries, en)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(p.Entries) >= limit {
				return nil
			}
		}
	}
	return nil
}

// feed reads changes after c, below the watermark, into p.
func (h *Hub) feed(ctx context.Context, v Visible, c *cursor, limit int, p *Page) error {
	w, err := h.watermark(ctx)
	if err != nil {
		return err
	}
	where := []string{"(f.xid, f.pos) > (?, ?)", "f.xid < ?"}
	args := []any{c.XID, c.Pos, w}
	if !v.everything && !(v.AllPlaces && v.AllPeople) {
		var alt []string
		alt = append(alt, "f.class = 'a'")
		for _, cl := range []string{"s", "p"} {
			sc := v.scopes(cl)
			if len(sc) == 0 {
				continue
			}
			in := strings.TrimSuffix(strings.Repeat("?, ", len(sc)), ", ")
			alt = append(alt, fmt.Sprintf("(f.class = '%s' AND (f.scope IN (%s) OR f.old_scope IN (%s)))", cl, in, in))
			for range 2 {
				for _, s := range sc {
					args = append(args, s)
				}
			}
		}
		where = append(where, "("+strings.Join(alt, " OR ")+")")
	}
	if limit <= 0 {
		p.More = true
		return nil
	}
	// Each entry's row by its key: PostgreSQL, which expects few feed
	// entries, would otherwise hash the whole row table for every pull
	// (100 clients at 1.5 million residents: p95 36 s).
	join := "JOIN hub_row r ON r.entity = f.entity AND r.uid = f.uid"
	if h.pg {
		join = "CROSS JOIN LATERAL (SELECT class, scope, fields, deleted FROM hub_row WHERE entity = f.entity AND uid = f.uid LIMIT 1) r"
	}
	rows, err := h.db.QueryContext(ctx, h.q("SELECT f.pos, f.xid, f.entity, f.uid, f.hlc, r.class, r.scope, r.fields, r.deleted FROM hub_feed f "+
		join+" WHERE "+strings.Join(where, " AND ")+" ORDER BY f.xid, f.pos LIMIT ?"), append(args, limit)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var en model.SyncEntry
		var class, scope, fields string
		var del int
		if err := rows.Scan(&c.Pos, &c.XID, &en.Entity, &en.UID, &en.HLC, &class, &scope, &fields, &del); err != nil {
			return err
		}
		n++
		// The row as it is now, or gone from these areas since.
		switch {
		case !v.sees(class, scope):
			en.Gone = true
		case del == 1:
			en.Deleted = true
		default:
			if en.Fields, err = decodeFields(fields); err != nil {
				return err
			}
		}
		p.Entries = append(p.Entries, en)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n >= limit {
		p.More = true
		return nil
	}
	// Everything below the watermark has been read: the next pull starts
	// there, and the replica has seen every version below it.
	if w > c.XID {
		c.XID, c.Pos = w, 0
	}
	return nil
}

// Prune drops feed entries older than keep; a replica whose cursor falls
// below what is left resyncs in full. Rows and tombstones stay.
func (h *Hub) Prune(ctx context.Context, keep time.Duration) (int64, error) {
	cut := time.Now().Add(-keep).UTC().Format(time.RFC3339)
	var n int64
	err := h.tx(ctx, func(tx *sql.Tx) error {
		var top sql.NullInt64
		if err := tx.QueryRowContext(ctx, h.q("SELECT max(xid) FROM hub_feed WHERE at < ?"), cut).Scan(&top); err != nil {
			return err
		}
		if !top.Valid {
			return nil
		}
		res, err := tx.ExecContext(ctx, h.q("DELETE FROM hub_feed WHERE xid <= ?"), top.Int64)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, h.q("UPDATE hub_meta SET value = ? WHERE key = 'floor'"), fmt.Sprint(top.Int64+1))
		return err
	})
	return n, err
}

// State is every row the server holds that is not deleted, by
// "entity/uid", with its fields: what replicas converge to.
func (h *Hub) State(ctx context.Context) (map[string]map[string]string, error) {
	rows, err := h.db.QueryContext(ctx, "SELECT entity, uid, fields FROM hub_row WHERE deleted = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var e, u, f string
		if err := rows.Scan(&e, &u, &f); err != nil {
			return nil, err
		}
		if out[e+"/"+u], err = decodeFields(f); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// FeedLen counts the feed's entries.
func (h *Hub) FeedLen(ctx context.Context) (int, error) {
	var n int
	err := h.db.QueryRowContext(ctx, "SELECT count(*) FROM hub_feed").Scan(&n)
	return n, err
}
