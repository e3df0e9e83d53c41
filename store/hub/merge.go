package hub

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"shequ/app/model"
)

// Clock is when a field was last written: the writer's hybrid logical
// clock and node (which break ties), and the server version (xid) of the
// transaction that took it.
type Clock struct {
	H string `json:"h"`
	N string `json:"n"`
	V int64  `json:"v"`
}

// encodeClocks writes a row's field clocks compactly: the clock most
// fields share once, under "*", and the others by field (a row loaded
// whole, as most are, keeps one clock rather than one a field).
func encodeClocks(cs map[string]Clock) string {
	n := map[Clock]int{}
	var common Clock
	for _, c := range cs {
		n[c]++
		if n[c] > n[common] || (n[c] == n[common] && c.after(common)) {
			common = c
		}
	}
	out := map[string]Clock{}
	if n[common] > 1 {
		out["*"] = common
	}
	for k, c := range cs {
		if n[common] <= 1 || c != common {
			out[k] = c
		}
	}
	return encode(out)
}

// decodeClocks reads encodeClocks' form back, a clock for every field.
func decodeClocks(s string, fields map[string]string) (map[string]Clock, error) {
	cs := map[string]Clock{}
	if err := json.Unmarshal([]byte(s), &cs); err != nil {
		return nil, err
	}
	if common, ok := cs["*"]; ok {
		delete(cs, "*")
		for k := range fields {
			if _, ok := cs[k]; !ok {
				cs[k] = common
			}
		}
	}
	return cs, nil
}

// after tells whether a is later than b: clock first, node on a tie.
func (a Clock) after(b Clock) bool {
	return a.H > b.H || (a.H == b.H && a.N > b.N)
}

func decodeFields(s string) (map[string]string, error) {
	m := map[string]string{}
	if s == "" {
		return m, nil
	}
	err := json.Unmarshal([]byte(s), &m)
	return m, err
}

func encode(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// classOf is who sees rows of an entity: a (everyone: the area tree),
// s (a street's accounts: places), p (a grid's accounts: people).
func classOf(entity string) string {
	switch entity {
	case "area":
		return "a"
	case "resident", "residence":
		return "p"
	}
	return "s"
}

// Visible is what an account may see and change.
type Visible struct {
	Admin           bool // may change the area tree
	everything      bool // the seed
	ReadOnly        bool
	AllPlaces       bool
	AllPeople       bool
	Streets, Grids  map[string]bool
	Key             string // changes when the account's areas do: a replica then resyncs
	streetL, gridsL []string
}

// VisibleTo works out an account's streets and grids from its areas.
func (h *Hub) VisibleTo(ctx context.Context, a model.ServerAccount) (Visible, error) {
	tree, err := h.Areas(ctx)
	if err != nil {
		return Visible{}, err
	}
	v := Visible{Admin: a.Role == "admin", ReadOnly: a.Role == "leader", Streets: map[string]bool{}, Grids: map[string]bool{}}
	under := func(uid, root string) bool {
		for i := 0; uid != "" && i < 8; i++ {
			if uid == root {
				return true
			}
			uid = tree[uid].Parent
		}
		return false
	}
	if len(a.Areas) == 0 && v.Admin {
		v.AllPlaces, v.AllPeople = true, a.PersonalData
	}
	for uid, ar := range tree {
		in := v.AllPlaces
		for _, root := range a.Areas {
			in = in || under(uid, root)
		}
		if !in {
			continue
		}
		if ar.Level == "grid" && (v.AllPeople || !v.AllPlaces) {
			v.Grids[uid] = true
		}
		// Places are kept by street: an account sees its street's houses.
		s := uid
		for i := 0; s != "" && tree[s].Level != "street" && i < 8; i++ {
			s = tree[s].Parent
		}
		if s != "" {
			v.Streets[s] = true
		}
	}
	if v.AllPeople {
		v.Grids[""] = true // residents living nowhere
	}
	for s := range v.Streets {
		v.streetL = append(v.streetL, s)
	}
	for g := range v.Grids {
		v.gridsL = append(v.gridsL, g)
	}
	slices.Sort(v.streetL)
	slices.Sort(v.gridsL)
	sum := sha256.Sum256([]byte(fmt.Sprint(v.AllPlaces, v.AllPeople, v.streetL, v.gridsL)))
	v.Key = hex.EncodeToString(sum[:8])
	return v, nil
}

func (v Visible) sees(class, scope string) bool {
	if v.everything {
		return true
	}
	// "All" holds for areas made after the set was taken, too (an
	// administrator's batch that creates a street and its houses).
	switch class {
	case "a":
		return true
	case "s":
		return v.AllPlaces || v.Streets[scope]
	}
	return v.AllPeople || v.Grids[scope]
}

func (v Visible) scopes(class string) []string {
	switch class {
	case "a":
		return []string{""}
	case "s":
		return v.streetL
	}
	return v.gridsL
}

// Refusal is an operation the server would not apply, and why.
type Refusal struct {
	Seq  int64  `json:"seq"`
	Code string `json:"code"`
}

// PushResult is what a push did.
type PushResult struct {
	Acked     int64     `json:"acked"`
	Applied   int       `json:"applied"`
	Replayed  int       `json:"replayed"`
	Conflicts int       `json:"conflicts"`
	Refused   []Refusal `json:"refused,omitempty"`
}

// batch is one transaction's work: its xid, and whether it changed an
// area (then the tree is read through it, not from the cache).
type batch struct {
	tx    *sql.Tx
	xid   int64
	areas bool

	rows      map[string]*row   // "entity/uid": the rows the batch reads and writes, locked
	scopes    map[string]string // "entity/uid": the scopes of rows they point at
	grids     map[string]string // "house/uid": the grids of houses they point at
	dirty     []*row            // rows to write, in the order first changed
	feed      []feedRow
	conflicts []conflictRow
	rescopes  []rescope // residents whose scope or deletion changed
}

type rescope struct {
	resident, scope string
	deleted         bool
}

type feedRow struct{ entity, uid, class, scope, oldScope, hlc string }

type conflictRow struct{ entity, uid, field, kept, lost, keptHLC, lostHLC, keptBy, lostBy string }

type row struct {
	entity  string
	uid     string
	dirty   bool
	exists  bool
	class   string
	scope   string
	fields  map[string]string
	clocks  map[string]Clock
	deleted bool
	hlc     string
}

// Push applies a replica's operations, in order, in one transaction: the
// replica's node is locked first, so the same batch sent twice at once
// is applied once, and operations up to what was acknowledged before are
// skipped. Each field takes the later clock; a field changed from a
// version the replica had not seen, by another replica, leaves a conflict
// record whichever wins. A delete wins over edits until a restore.
func (h *Hub) Push(ctx context.Context, v Visible, by, node string, ops []model.SyncOp) (PushResult, error) {
	var res PushResult
	err := h.tx(ctx, func(tx *sql.Tx) error {
		res = PushResult{}
		if _, err := tx.ExecContext(ctx, h.q("INSERT INTO hub_node(node, acked) VALUES (?, 0) ON CONFLICT (node) DO NOTHING"), node); err != nil {
			return err
		}
		lock := ""
		if h.pg {
			lock = " FOR UPDATE"
		}
		var acked int64
		if err := tx.QueryRowContext(ctx, h.q("SELECT acked FROM hub_node WHERE node = ?"+lock), node).Scan(&acked); err != nil {
			return err
		}
		xid, err := h.xid(ctx, tx)
		if err != nil {
			return err
		}
		res.Acked = acked
		b := &batch{tx: tx, xid: xid}
		var fresh []model.SyncOp
		for _, op := range ops {
			if op.Seq > acked {
				fresh = append(fresh, op)
			}
		}
		if err := h.prefetch(ctx, b, fresh); err != nil {
			return err
		}
		for _, op := range ops {
			if op.Seq <= acked {
				res.Replayed++
				continue
			}
			res.Acked = op.Seq
			code, conflicts, err := h.apply(ctx, b, v, by, node, op)
			if err != nil {
				return fmt.Errorf("op %d: %w", op.Seq, err)
			}
			if code != "" {
				res.Refused = append(res.Refused, Refusal{op.Seq, code})
				continue
			}
			res.Applied++
			res.Conflicts += conflicts
		}
		if err := h.flush(ctx, b); err != nil {
			return err
		}
		if res.Acked > acked {
			if _, err := tx.ExecContext(ctx, h.q("UPDATE hub_node SET acked = ? WHERE node = ?"), res.Acked, node); err != nil {
				return err
			}
		}
		if b.areas {
			defer h.forgetAreas()
		}
		return nil
	})
	if err != nil {
		return PushResult{}, fmt.Errorf("hub: push: %w", err)
	}
	return res, nil
}

// keyList is rows' keys as a VALUES list and its arguments.
func keyList(keys [][2]string) (string, []any) {
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k[0], k[1])
	}
	return strings.TrimSuffix(strings.Repeat("(?, ?), ", len(keys)), ", "), args
}

// prefetch reads, and on PostgreSQL locks, the rows a batch's operations
// change, in key order (two batches never wait on each other in a
// circle), and the scopes of the rows they point at: a few statements
// for a batch rather than a few for each operation.
func (h *Hub) prefetch(ctx context.Context, b *batch, ops []model.SyncOp) error {
	b.rows, b.scopes, b.grids = map[string]*row{}, map[string]string{}, map[string]string{}
	seen := map[[2]string]bool{}
	var keys, parents [][2]string
	for _, op := range ops {
		k := [2]string{op.Entity, op.UID}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, op := range ops {
		for field, e := range refEntities {
			if u := op.Fields[field]; u != "" {
				if k := [2]string{e, u}; !seen[k] {
					seen[k] = true
					parents = append(parents, k)
				}
			}
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"/"+a[1], b[0]+"/"+b[1]) })
	lock := ""
	if h.pg {
		lock = " FOR UPDATE"
	}
	for chunk := range slices.Chunk(keys, 400) {
		list, args := keyList(chunk)
		rows, err := b.tx.QueryContext(ctx, h.q("SELECT entity, uid, class, scope, fields, clocks, deleted, hlc FROM hub_row WHERE (entity, uid) IN (VALUES "+
			list+") ORDER BY entity, uid"+lock), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			r := &row{exists: true}
			var fields, clocks string
			var del int
			if err := rows.Scan(&r.entity, &r.uid, &r.class, &r.scope, &fields, &clocks, &del, &r.hlc); err != nil {
				rows.Close()
				return err
			}
			r.deleted = del == 1
			if r.fields, err = decodeFields(fields); err == nil {
				r.clocks, err = decodeClocks(clocks, r.fields)
			}
			if err != nil {
				rows.Close()
				return err
			}
			b.rows[r.entity+"/"+r.uid] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(parents, 400) {
		list, args := keyList(chunk)
		// A house's grid too: a row pointing at a house must be of the pusher's grids.
		rows, err := b.tx.QueryContext(ctx, h.q("SELECT entity, uid, scope, CASE WHEN entity = 'house' THEN fields ELSE '' END FROM hub_row WHERE (entity, uid) IN (VALUES "+
			list+")"), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e, u, sc, fields string
			if err := rows.Scan(&e, &u, &sc, &fields); err != nil {
				rows.Close()
				return err
			}
			b.scopes[e+"/"+u] = sc
			if fields != "" {
				f, err := decodeFields(fields)
				if err != nil {
					rows.Close()
					return err
				}
				b.grids[e+"/"+u] = f["grid"]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// load is a batch's row (a new one when the server has none).
func (h *Hub) load(ctx context.Context, b *batch, entity, uid string) (*row, error) {
	if r, ok := b.rows[entity+"/"+uid]; ok {
		return r, nil
	}
	if b.rows == nil {
		// Outside Push (Resolve): read it now.
		if err := h.prefetch(ctx, b, []model.SyncOp{{Entity: entity, UID: uid}}); err != nil {
			return nil, err
		}
		if r, ok := b.rows[entity+"/"+uid]; ok {
			return r, nil
		}
	}
	r := &row{entity: entity, uid: uid, class: classOf(entity), fields: map[string]string{}, clocks: map[string]Clock{}}
	b.rows[entity+"/"+uid] = r
	return r, nil
}

// flush writes what a batch changed: rows, feed entries and conflicts, a
// few hundred to a statement; then moves the residences of residents who
// changed grid.
func (h *Hub) flush(ctx context.Context, b *batch) error {
	for chunk := range slices.Chunk(b.dirty, 300) {
		var args []any
		for _, r := range chunk {
			args = append(args, r.entity, r.uid, r.class, r.scope, r.fields["resident"], encode(r.fields), encodeClocks(r.clocks), b2i(r.deleted), r.hlc)
		}
		q := "INSERT INTO hub_row(entity, uid, class, scope, owner, fields, clocks, deleted, hlc) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ") +
			" ON CONFLICT (entity, uid) DO UPDATE SET scope = excluded.scope, fields = excluded.fields, clocks = excluded.clocks, deleted = excluded.deleted, hlc = excluded.hlc"
		if _, err := b.tx.ExecContext(ctx, h.q(q), args...); err != nil {
			return err
		}
	}
	at := stamp()
	for chunk := range slices.Chunk(b.feed, 500) {
		var args []any
		for _, f := range chunk {
			args = append(args, b.xid, f.entity, f.uid, f.class, f.scope, f.oldScope, f.hlc, at)
		}
		q := "INSERT INTO hub_feed(xid, entity, uid, class, scope, old_scope, hlc, at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		if _, err := b.tx.ExecContext(ctx, h.q(q), args...); err != nil {
			return err
		}
	}
	for _, c := range b.conflicts {
		if _, err := b.tx.ExecContext(ctx, h.q(`INSERT INTO hub_conflict(entity, uid, field, kept, lost, kept_hlc, lost_hlc, kept_by, lost_by, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), c.entity, c.uid, c.field, c.kept, c.lost, c.keptHLC, c.lostHLC, c.keptBy, c.lostBy, at); err != nil {
			return err
		}
	}
	for _, rs := range b.rescopes {
		if err := h.rescope(ctx, b.tx, b.xid, rs); err != nil {
			return err
		}
	}
	b.dirty, b.feed, b.conflicts, b.rescopes = nil, nil, nil, nil
	for _, r := range b.rows {
		r.dirty = false
	}
	return nil
}

// scopeOf is the area that decides who sees a row with these fields: a
// resident's grid, a residence's resident's, a place's street.
func (h *Hub) scopeOf(ctx context.Context, b *batch, entity string, f map[string]string) (string, error) {
	tx := b.tx
	tree, err := h.areasIn(ctx, tx, b.areas)
	if err != nil {
		return "", err
	}
	if b.areas {
		// The batch's own areas, not written yet.
		tree = maps.Clone(tree)
		for _, r := range b.dirty {
			if r.entity == "area" {
				tree[r.uid] = Area{UID: r.uid, Parent: r.fields["parent"], Level: r.fields["level"], Name: r.fields["name"]}
			}
		}
	}
	parent := func(e, uid string) (string, error) {
		if r, ok := b.rows[e+"/"+uid]; ok && (r.exists || r.dirty) {
			return r.scope, nil
		}
		if s, ok := b.scopes[e+"/"+uid]; ok {
			return s, nil
		}
		var s string
		err := tx.QueryRowContext(ctx, h.q("SELECT scope FROM hub_row WHERE entity = ? AND uid = ?"), e, uid).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return s, err
	}
	switch entity {
	case "area":
		return "", nil
	case "compound":
		s := f["community"]
		for i := 0; s != "" && tree[s].Level != "street" && i < 8; i++ {
			s = tree[s].Parent
		}
		return s, nil
	case "building":
		return parent("compound", f["compound"])
	case "unit":
		return parent("building", f["building"])
	case "house":
		return parent("unit", f["unit"])
	case "resident":
		return f["grid"], nil
	case "residence":
		return parent("resident", f["resident"])
	}
	return "", fmt.Errorf("unknown entity %q", entity)
}

// refEntities are the fields that point at another row, and its entity
// (areas aside: the tree is read whole).
var refEntities = map[string]string{"compound": "compound", "building": "building", "unit": "unit", "house": "house", "resident": "resident"}

// mayPoint tells whether the pusher may point a row at the rows its fields
// name: a resident they see, a house (and a house's grid) of their grids,
// a place of their streets, a community above their grids. The row's own
// scope is not enough: a residence of one's grid re-pointed at another
// grid's resident would take that grid's scope and reach its desktops.
// A resident's own grid is its scope, checked with the row (a resident
// may be moved out of one's grids).
func (h *Hub) mayPoint(ctx context.Context, b *batch, v Visible, entity string, f map[string]string) (bool, error) {
	if v.everything {
		return true, nil
	}
	lookup := func(e, uid string) (scope, grid string, err error) {
		if r, ok := b.rows[e+"/"+uid]; ok && (r.exists || r.dirty) {
			return r.scope, r.fields["grid"], nil
		}
		if s, ok := b.scopes[e+"/"+uid]; ok {
			return s, b.grids[e+"/"+uid], nil
		}
		var fields string
		err = b.tx.QueryRowContext(ctx, h.q("SELECT scope, fields FROM hub_row WHERE entity = ? AND uid = ?"), e, uid).Scan(&scope, &fields)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", nil
		}
		if err == nil && e == "house" {
			m, derr := decodeFields(fields)
			if derr != nil {
				return "", "", derr
			}
			grid = m["grid"]
		}
		return scope, grid, err
	}
	myGrid := func(g string) bool { return g != "" && (v.AllPlaces || v.Grids[g]) }
	for field, e := range refEntities {
		uid := f[field]
		if uid == "" {
			continue
		}
		scope, grid, err := lookup(e, uid)
		if err != nil {
			return false, err
		}
		switch {
		case e == "resident" && !v.sees("p", scope),
			e == "house" && (!v.sees("s", scope) || !myGrid(grid)),
			e != "resident" && e != "house" && !v.sees("s", scope):
			return false, nil
		}
	}
	if g := f["grid"]; g != "" && entity == "house" && !myGrid(g) {
		return false, nil
	}
	if c := f["community"]; c != "" && !v.AllPlaces {
		tree, err := h.areasIn(ctx, b.tx, b.areas)
		if err != nil {
			return false, err
		}
		above := false
		for g := range v.Grids {
			above = above || tree[g].Parent == c
		}
		if !above {
			return false, nil
		}
	}
	return true, nil
}

// apply applies one operation; code is why it was refused, if it was.
func (h *Hub) apply(ctx context.Context, b *batch, v Visible, by, node string, op model.SyncOp) (code string, conflicts int, err error) {
	xid := b.xid
	if !slices.Contains(model.SyncEntities, op.Entity) {
		return "unknown_entity", 0, nil
	}
	if v.ReadOnly {
		return "forbidden", 0, nil
	}
	r, err := h.load(ctx, b, op.Entity, op.UID)
	if err != nil {
		return "", 0, err
	}
	// A refused or unchanged operation leaves the row as it was.
	saved := *r
	saved.fields, saved.clocks = maps.Clone(r.fields), maps.Clone(r.clocks)
	defer func() {
		if code != "" || err != nil {
			*r = saved
		}
	}()
	if r.exists && !v.mayTouch(r, r.scope) {
		return "forbidden", 0, nil
	}
	oldScope := r.scope
	at := Clock{H: op.HLC, N: node, V: xid}
	switch op.Op {
	case model.OpDelete, model.OpRestore:
		del := op.Op == model.OpDelete
		if r.deleted == del {
			return "", 0, nil
		}
		r.deleted, r.hlc = del, op.HLC
	case model.OpPut:
		var done bool
		if code, conflicts, done, err = h.put(ctx, b, v, r, by, at, op); done {
			return code, conflicts, err
		}
	default:
		return "bad_op", 0, nil
	}
	if op.Entity == "area" {
		b.areas = true
	}
	if r.scope, err = h.scopeOf(ctx, b, op.Entity, r.fields); err != nil {
		return "", 0, err
	}
	if !v.mayTouch(r, r.scope) && !(r.exists && v.mayTouch(r, oldScope)) {
		return "forbidden", 0, nil
	}
	if r.scope != oldScope && !r.exists {
		oldScope = r.scope
	}
	b.record(r, op, oldScope, saved.deleted)
	return "", conflicts, nil
}

// mayTouch says whether the account may change the row were it in
// scope: an account row (class a) only an administrator.
func (v Visible) mayTouch(r *row, scope string) bool {
	if r.class == "a" {
		return v.Admin
	}
	return v.sees(r.class, scope)
}

// put merges an edit into the row field by field. done says the row is
// left as it is: a refusal (code), an edit of a deleted row kept for
// review, or nothing changed.
func (h *Hub) put(ctx context.Context, b *batch, v Visible, r *row, by string, at Clock, op model.SyncOp) (code string, conflicts int, done bool, err error) {
	if ok, err := h.mayPoint(ctx, b, v, op.Entity, op.Fields); err != nil || !ok {
		if err == nil {
			code = "forbidden"
		}
		return code, 0, true, err
	}
	if r.deleted {
		// A delete wins: the edit is kept for review, where
		// choosing it restores the row.
		b.conflicts = append(b.conflicts, conflictRow{op.Entity, op.UID, "_deleted", "", encode(op.Fields), r.hlc, op.HLC, "", by})
		return "", 1, true, nil
	}
	changed, conflicts := b.merge(r, op, at)
	if !changed && r.exists {
		return "", conflicts, true, nil
	}
	if op.HLC > r.hlc {
		r.hlc = op.HLC
	}
	return "", conflicts, false, nil
}

// merge takes each field whose clock is later than the row's; a field
// another node changed since the edit's base is a conflict, kept for
// review whichever side wins.
func (b *batch) merge(r *row, op model.SyncOp, at Clock) (changed bool, conflicts int) {
	for k, val := range op.Fields {
		cur, had := r.clocks[k]
		stale := had && r.exists && cur.N != at.N && cur.V >= op.Base && r.fields[k] != val
		if !had || at.after(cur) {
			if stale {
				b.conflicts = append(b.conflicts, conflictRow{op.Entity, op.UID, k, val, r.fields[k], at.H, cur.H, at.N, cur.N})
				conflicts++
			}
			if r.fields[k] != val || !had {
				changed = true
			}
			r.fields[k], r.clocks[k] = val, at
			continue
		}
		if stale {
			b.conflicts = append(b.conflicts, conflictRow{op.Entity, op.UID, k, r.fields[k], val, cur.H, at.H, cur.N, at.N})
			conflicts++
		}
	}
	return changed, conflicts
}

// record marks the row to be written and tells the feed; wasDeleted is
// the row's state before the operation.
func (b *batch) record(r *row, op model.SyncOp, oldScope string, wasDeleted bool) {
	if !r.dirty {
		r.dirty = true
		b.dirty = append(b.dirty, r)
	}
	b.feed = append(b.feed, feedRow{op.Entity, op.UID, r.class, r.scope, oldScope, op.HLC})
	if op.Entity == "resident" && (r.scope != oldScope || wasDeleted != r.deleted) {
		// The resident's residences go with them: the grid they left
		// no longer sees where they live, the new one sees their history;
		// deleted with them, and back with them.
		b.rescopes = append(b.rescopes, rescope{op.UID, r.scope, r.deleted})
	}
}

func (h *Hub) feed1(ctx context.Context, tx *sql.Tx, xid int64, entity, uid, class, scope, oldScope, hlc string) error {
	_, err := tx.ExecContext(ctx, h.q("INSERT INTO hub_feed(xid, entity, uid, class, scope, old_scope, hlc, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		xid, entity, uid, class, scope, oldScope, hlc, stamp())
	return err
}

// rescope gives a resident's residences the resident's scope and
// deletion.
func (h *Hub) rescope(ctx context.Context, tx *sql.Tx, xid int64, rs rescope) error {
	rows, err := tx.QueryContext(ctx, h.q("SELECT uid, scope, hlc FROM hub_row WHERE owner = ? AND entity = 'residence' AND (scope <> ? OR deleted <> ?)"),
		rs.resident, rs.scope, b2i(rs.deleted))
	if err != nil {
		return err
	}
	type moved struct{ uid, old, hlc string }
	var ms []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.uid, &m.old, &m.hlc); err != nil {
			rows.Close()
			return err
		}
		ms = append(ms, m)
	}
	rows.Close()
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, h.q("UPDATE hub_row SET scope = ?, deleted = ? WHERE entity = 'residence' AND uid = ?"), rs.scope, b2i(rs.deleted), m.uid); err != nil {
			return err
		}
		if err := h.feed1(ctx, tx, xid, "residence", m.uid, "p", rs.scope, m.old, m.hlc); err != nil {
			return err
		}
	}
	return nil
}

// Conflicts lists the open conflicts on rows the account sees, newest first.
func (h *Hub) Conflicts(ctx context.Context, v Visible, limit int) ([]model.SyncConflict, error) {
	// Read first: a SQLite hub has one connection, held by the rows below.
	who, err := h.deviceNames(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := h.db.QueryContext(ctx, h.q(`SELECT c.id, c.entity, c.uid, c.field, c.kept, c.lost, c.kept_hlc, c.lost_hlc, c.kept_by, c.lost_by, c.at,
		coalesce(r.class, ''), coalesce(r.scope, ''), coalesce(r.fields, '{}')
		FROM hub_conflict c LEFT JOIN hub_row r ON r.entity = c.entity AND r.uid = c.uid
		WHERE c.resolved_at = '' ORDER BY c.id DESC`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SyncConflict
	for rows.Next() && len(out) < limit {
		var c model.SyncConflict
		var class, scope, fields string
		if err := rows.Scan(&c.ID, &c.Entity, &c.UID, &c.Field, &c.Kept, &c.Lost, &c.KeptHLC, &c.LostHLC, &c.KeptBy, &c.LostBy, &c.At, &class, &scope, &fields); err != nil {
			return nil, err
		}
		if !v.sees(class, scope) {
			continue
		}
		for _, by := range []*string{&c.KeptBy, &c.LostBy} {
			if n, ok := who[*by]; ok {
				*by = n
			}
		}
		f, _ := decodeFields(fields)
		c.Label = f["name"]
		if c.Label == "" {
			c.Label = f["room"]
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// deviceNames names each node as its account and device: 张三（GRID-PC-3）.
func (h *Hub) deviceNames(ctx context.Context) (map[string]string, error) {
	rows, err := h.db.QueryContext(ctx, "SELECT d.node, a.username, d.name FROM hub_device d JOIN hub_account a ON a.id = d.account_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var node, user, name string
		if err := rows.Scan(&node, &user, &name); err != nil {
			return nil, err
		}
		m[node] = user
		if name != "" {
			m[node] += "（" + name + "）"
		}
	}
	return m, rows.Err()
}

// Resolve closes a conflict with the value a person chose: keeping what
// won changes nothing; taking the other writes it now, as a change by
// node, which every replica then pulls. For an edit that met a delete,
// taking the edit restores the row with it.
func (h *Hub) Resolve(ctx context.Context, v Visible, by, node string, id int64, takeLost bool) error {
	var c model.SyncConflict
	var class, scope string
	err := h.db.QueryRowContext(ctx, h.q(`SELECT c.entity, c.uid, c.field, c.lost, coalesce(r.class, ''), coalesce(r.scope, '')
		FROM hub_conflict c LEFT JOIN hub_row r ON r.entity = c.entity AND r.uid = c.uid WHERE c.id = ? AND c.resolved_at = ''`), id).
		Scan(&c.Entity, &c.UID, &c.Field, &c.Lost, &class, &scope)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !v.sees(class, scope)) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return h.tx(ctx, func(tx *sql.Tx) error {
		if takeLost {
			xid, err := h.xid(ctx, tx)
			if err != nil {
				return err
			}
			hlc := fmt.Sprintf("%013d.%05d", time.Now().UnixMilli(), 99999)
			var ops []model.SyncOp
			if c.Field == "_deleted" {
				f, err := decodeFields(c.Lost)
				if err != nil {
					return err
				}
				ops = []model.SyncOp{{Entity: c.Entity, UID: c.UID, Op: model.OpRestore, HLC: hlc}, {Entity: c.Entity, UID: c.UID, Op: model.OpPut, Fields: f, HLC: hlc, Base: xid + 1}}
			} else {
				ops = []model.SyncOp{{Entity: c.Entity, UID: c.UID, Op: model.OpPut, Fields: map[string]string{c.Field: c.Lost}, HLC: hlc, Base: xid + 1}}
			}
			b := &batch{tx: tx, xid: xid}
			if err := h.prefetch(ctx, b, ops); err != nil {
				return err
			}
			for _, op := range ops {
				code, _, err := h.apply(ctx, b, v, by, node, op)
				if err != nil {
					return err
				}
				if code != "" {
					return fmt.Errorf("hub: resolve: %s", code)
				}
			}
			if err := h.flush(ctx, b); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, h.q("UPDATE hub_conflict SET resolved_at = ?, resolved_by = ? WHERE id = ?"), stamp(), by, id)
		return err
	})
}

// Seed loads rows into the server as they are (a desktop database
// becoming the server's, or demo data), as changes by node.
func (h *Hub) Seed(ctx context.Context, node string, ops []model.SyncOp) error {
	v := Visible{Admin: true, everything: true}
	_, err := h.Push(ctx, v, "seed", node, ops)
	h.forgetAreas()
	return err
}
