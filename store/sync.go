package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"shequ/app/model"
)

// syncCol is a synced column: its name in the protocol, in the table, and
// the table it points at (its id travels as the row's uid).
type syncCol struct {
	key, col, ref string
	nullable      bool
}

type syncTable struct {
	entity string
	cols   []syncCol
}

// syncTables are the rows that sync, parents first (model.SyncEntities),
// each with the columns that travel. Derived columns (a resident's
// updated_at, search grams, summaries) are made by each replica.
var syncTables = []syncTable{
	{"area", []syncCol{{"parent", "parent_id", "area", true}, {key: "level", col: "level"}, {key: "name", col: "name"}}},
	{"compound", []syncCol{{"community", "community_id", "area", false}, {key: "name", col: "name"}}},
	{"building", []syncCol{{"compound", "compound_id", "compound", false}, {key: "name", col: "name"}}},
	{"unit", []syncCol{{"building", "building_id", "building", false}, {key: "name", col: "name"}}},
	{"house", []syncCol{{"unit", "unit_id", "unit", false}, {key: "room", col: "room"}, {"grid", "grid_id", "area", false},
		{key: "use", col: "use"}, {key: "area_m2", col: "area_m2"}}},
	{"resident", []syncCol{{key: "name", col: "name"}, {key: "id_number", col: "id_number"}, {key: "sex", col: "sex"},
		{key: "birth", col: "birth"}, {key: "phone", col: "phone"}, {key: "ethnicity", col: "ethnicity"}, {key: "kind", col: "kind"},
		{key: "status", col: "status"}, {key: "notes", col: "notes"}, {"house", "house_id", "house", false},
		{key: "relation", col: "relation"}, {"grid", "grid_id", "area", false}}},
	{"residence", []syncCol{{"resident", "resident_id", "resident", false}, {"house", "house_id", "house", false},
		{key: "relation", col: "relation"}, {key: "since", col: "since"}, {"until", "until", "", true}, {key: "end_reason", col: "end_reason"}}},
}

func syncTableOf(entity string) (syncTable, bool) {
	for _, t := range syncTables {
		if t.entity == entity {
			return t, true
		}
	}
	return syncTable{}, false
}

// valueSQL is the text a column of row r (NEW, or the table itself)
// travels as: a pointer as the uid it points at, NULL as ”.
func (c syncCol) valueSQL(r string) string {
	if c.ref != "" {
		return fmt.Sprintf("coalesce((SELECT lower(hex(uid)) FROM %s WHERE id = %s.%s), '')", c.ref, r, c.col)
	}
	return fmt.Sprintf("coalesce(CAST(%s.\"%s\" AS TEXT), '')", r, c.col)
}

// objectSQL is a json object of every synced field of row r.
func (t syncTable) objectSQL(r string) string {
	var parts []string
	for _, c := range t.cols {
		parts = append(parts, "'"+c.key+"', "+c.valueSQL(r))
	}
	return "json_object(" + strings.Join(parts, ", ") + ")"
}

// The clock ticks: milliseconds since 1970 by the system clock, never
// backwards; the counter orders changes within one millisecond.
const (
	nowMS     = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
	tickSQL   = "UPDATE sync_clock SET c = CASE WHEN " + nowMS + " > ms THEN 0 ELSE c + 1 END, ms = max(ms, " + nowMS + ");"
	hlcSQL    = "(SELECT printf('%013d.%05d', ms, c) FROM sync_clock)"
	seenSQL   = "(SELECT seen FROM sync_clock)"
	recording = "(SELECT recording FROM sync_clock)"
)

// syncTriggerSQL records inserts (every field) and updates (the fields
// that changed) of each synced table in the outbox, while recording.
func syncTriggerSQL() []string {
	var out []string
	for _, t := range syncTables {
		out = append(out, fmt.Sprintf(`CREATE TRIGGER sync_%[1]s_new AFTER INSERT ON %[1]s WHEN %[2]s BEGIN
%[3]s
INSERT INTO sync_outbox(entity, uid, fields, hlc, base) VALUES ('%[1]s', NEW.uid, %[4]s, %[5]s, %[6]s);
END`, t.entity, recording, tickSQL, t.objectSQL("NEW"), hlcSQL, seenSQL))
		var changed []string
		for _, c := range t.cols {
			changed = append(changed, fmt.Sprintf("SELECT '%s' AS k, %s AS v WHERE NEW.\"%s\" IS NOT OLD.\"%s\"", c.key, c.valueSQL("NEW"), c.col, c.col))
		}
		out = append(out, fmt.Sprintf(`CREATE TRIGGER sync_%[1]s_changed AFTER UPDATE ON %[1]s WHEN %[2]s BEGIN
%[3]s
INSERT INTO sync_outbox(entity, uid, fields, hlc, base)
SELECT '%[1]s', NEW.uid, json_group_object(k, v), %[4]s, %[5]s FROM (%[6]s) HAVING count(*) > 0;
END`, t.entity, recording, tickSQL, hlcSQL, seenSQL, strings.Join(changed, " UNION ALL ")))
	}
	return out
}

// syncTriggers returns the outbox triggers' SQL, sorted.
func (s *Store) syncTriggers(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// ensureSyncTriggers makes the outbox triggers as syncTables says now
// (cheap, at every open, so a changed list never needs a migration).
func (s *Store) ensureSyncTriggers(ctx context.Context) error {
	// Read first, without the write lock, so that opening the database
	// while another window imports neither waits nor fails.
	if have, err := s.syncTriggers(ctx); err == nil {
		want := syncTriggerSQL()
		slices.Sort(want)
		if slices.Equal(have, want) {
			return nil
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'")
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			names = append(names, n)
		}
		rows.Close()
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
				return err
			}
		}
		for _, q := range syncTriggerSQL() {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("store: sync trigger: %w", err)
			}
		}
		return nil
	})
}

// SyncState reads the replica's sync settings (server, token, cursor …).
func (s *Store) SyncState(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT key, value FROM sync_state")
	if err != nil {
		return nil, fmt.Errorf("store: sync state: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

func setSyncState(ctx context.Context, tx *sql.Tx, kv map[string]string) error {
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return err
		}
	}
	return nil
}

// SetSyncState writes sync settings; an empty value removes one.
func (s *Store) SetSyncState(ctx context.Context, kv map[string]string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for k, v := range kv {
			if v == "" {
				if _, err := tx.ExecContext(ctx, "DELETE FROM sync_state WHERE key = ?", k); err != nil {
					return err
				}
				delete(kv, k)
			}
		}
		return setSyncState(ctx, tx, kv)
	})
}

// StartRecording turns the outbox on, with kv stored in the same
// transaction. With snapshot every row the replica holds is queued as a
// new row, parents first: how a desktop's registry seeds an empty server.
func (s *Store) StartRecording(ctx context.Context, kv map[string]string, snapshot bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if snapshot {
			if _, err := tx.ExecContext(ctx, tickSQL); err != nil {
				return err
			}
			for _, t := range syncTables {
				q := fmt.Sprintf("INSERT INTO sync_outbox(entity, uid, fields, hlc, base) SELECT '%s', uid, %s, %s, 0 FROM %s AS t ORDER BY id",
					t.entity, t.objectSQL("t"), hlcSQL, t.entity)
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("store: snapshot %s: %w", t.entity, err)
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = 1"); err != nil {
			return err
		}
		return setSyncState(ctx, tx, kv)
	})
}

// Outbox reads up to limit changes not yet acknowledged, oldest first.
func (s *Store) Outbox(ctx context.Context, limit int) ([]model.SyncOp, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT seq, entity, lower(hex(uid)), op, fields, hlc, base FROM sync_outbox ORDER BY seq LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []model.SyncOp
	for rows.Next() {
		var o model.SyncOp
		var fields string
		if err := rows.Scan(&o.Seq, &o.Entity, &o.UID, &o.Op, &fields, &o.HLC, &o.Base); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &o.Fields); err != nil {
			return nil, fmt.Errorf("store: outbox %d: %w", o.Seq, err)
		}
		if len(o.Fields) == 0 {
			o.Fields = nil
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OutboxCount is how many changes wait to be sent.
func (s *Store) OutboxCount(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sync_outbox").Scan(&n)
	return n, err
}

// Refused is a change the server would not take, and why.
type Refused struct {
	Seq  int64
	Code string
}

// AckOutbox drops the changes the server acknowledged (all up to seq);
// those it refused move to sync_problem, to be shown.
func (s *Store) AckOutbox(ctx context.Context, seq int64, refused []Refused) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range refused {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_problem(entity, uid, fields, error, at)
				SELECT entity, uid, fields, ?, ? FROM sync_outbox WHERE seq = ?`, "refused: "+r.Code, now(), r.Seq); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sync_outbox WHERE seq <= ?", seq)
		return err
	})
}

// RestampOutbox moves the clocks of waiting changes stamped later than
// limit back to limit (the server's time, when it refused a clock far
// ahead), and the replica's clock with them.
func (s *Store) RestampOutbox(ctx context.Context, limit string) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE sync_outbox SET hlc = ? || '.' || printf('%05d', seq % 100000) WHERE hlc > ?", limit[:13], limit)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		ms, _ := strconv.ParseInt(limit[:13], 10, 64)
		_, err = tx.ExecContext(ctx, "UPDATE sync_clock SET ms = ?, c = 0 WHERE ms > ?", ms, ms)
		return err
	})
	return n, err
}

// SyncProblems are the pulled rows this replica could not apply.
func (s *Store) SyncProblems(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sync_problem").Scan(&n)
	return n, err
}

// Pulled is one page from the server to apply.
type Pulled struct {
	Entries []model.SyncEntry
	State   map[string]string // the cursor, stored with the page
	Seen    int64             // the server version the replica has now seen
	Mark    bool              // a full resync of a replica that held rows: note the residents received
}

// entryError is a row of a page that could not be applied.
type entryError struct{ err error }

func (e entryError) Error() string { return e.err.Error() }

// ApplyPulled applies a page of the server's rows and stores its cursor
// in one transaction, with the outbox off: a crash leaves either the page
// and its cursor or neither. Rows the replica cannot hold (a clash with
// one of its own) are kept in sync_problem rather than stopping the page:
// the page is applied straight through, and only when a row fails again
// row by row, each in a savepoint. It returns how many rows changed.
func (s *Store) ApplyPulled(ctx context.Context, p Pulled) (int, error) {
	n, err := s.applyPulled(ctx, p, false)
	var ee entryError
	if errors.As(err, &ee) {
		n, err = s.applyPulled(ctx, p, true)
	}
	return n, err
}

func (s *Store) applyPulled(ctx context.Context, p Pulled, careful bool) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n = 0
		a := &applier{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}, ids: map[string]int64{}}
		defer a.close()
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sync_state WHERE key = ?)", firstPullKey).Scan(&a.first); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = 0"); err != nil {
			return err
		}
		var maxMS int64
		for _, e := range p.Entries {
			if ms, err := strconv.ParseInt(strings.SplitN(e.HLC, ".", 2)[0], 10, 64); err == nil && ms > maxMS {
				maxMS = ms
			}
			if careful {
				if _, err := tx.ExecContext(ctx, "SAVEPOINT entry"); err != nil {
					return err
				}
			}
			err := a.apply(e)
			if err == nil && p.Mark && e.Entity == "resident" && !e.Gone && !e.Deleted {
				err = markReceived(ctx, tx, e.UID)
			}
			switch {
			case err != nil && ctx.Err() != nil:
				return ctx.Err()
			case err != nil && !careful:
				return entryError{err}
			case err != nil:
				if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO entry"); rerr != nil {
					return rerr
				}
				a.ids = map[string]int64{} // what the savepoint undid
				fields, _ := json.Marshal(e.Fields)
				uid, _ := hex.DecodeString(e.UID)
				if _, err := tx.ExecContext(ctx, "INSERT INTO sync_problem(entity, uid, fields, error, at) VALUES (?, ?, ?, ?, ?)",
					e.Entity, uid, string(fields), err.Error(), now()); err != nil {
					return err
				}
			default:
				n++
			}
			if careful {
				if _, err := tx.ExecContext(ctx, "RELEASE entry"); err != nil {
					return err
				}
			}
		}
		// Later local changes stamp later than anything seen.
		if _, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = 1, seen = max(seen, ?), c = CASE WHEN ? > ms THEN 0 ELSE c END, ms = max(ms, ?)",
			p.Seen, maxMS, maxMS); err != nil {
			return err
		}
		return setSyncState(ctx, tx, p.State)
	})
	return n, err
}

func markReceived(ctx context.Context, tx *sql.Tx, uid string) error {
	b, _ := hex.DecodeString(uid)
	_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO sync_received(uid) VALUES (?)", b)
	return err
}

// errRef is a row pointing at one this replica does not hold.
var errRef = errors.New("points at a row this replica does not hold")

// applier applies a page's rows in one transaction, with its statements
// prepared once and the ids of the rows it met remembered: a first pull
// of a district is millions of rows of a few shapes.
type applier struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	ids   map[string]int64 // "entity/uid" → id
	first bool             // a first pull: search grams are made at its end
}

func (a *applier) stmt(q string) (*sql.Stmt, error) {
	if st, ok := a.stmts[q]; ok {
		return st, nil
	}
	st, err := a.tx.PrepareContext(a.ctx, q)
	if err == nil {
		a.stmts[q] = st
	}
	return st, err
}

func (a *applier) close() {
	for _, st := range a.stmts {
		st.Close()
	}
}

func (a *applier) exec(q string, args ...any) error {
	st, err := a.stmt(q)
	if err == nil {
		_, err = st.ExecContext(a.ctx, args...)
	}
	return err
}

// id is the replica's id of a row by its uid (hex), 0 when it has none.
func (a *applier) id(table, uid string) (int64, error) {
	key := table + "/" + uid
	if id, ok := a.ids[key]; ok {
		return id, nil
	}
	b, err := hex.DecodeString(uid)
	if err != nil || len(b) != 16 {
		return 0, fmt.Errorf("bad uid %q", uid)
	}
	st, err := a.stmt("SELECT id FROM " + table + " WHERE uid = ?")
	if err != nil {
		return 0, err
	}
	var id int64
	err = st.QueryRowContext(a.ctx, b).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err == nil {
		a.ids[key] = id
	}
	return id, err
}

// apply makes the replica's row what the server holds.
func (a *applier) apply(e model.SyncEntry) error {
	ctx, tx := a.ctx, a.tx
	t, ok := syncTableOf(e.Entity)
	if !ok {
		return fmt.Errorf("unknown entity %q", e.Entity)
	}
	id, err := a.id(t.entity, e.UID)
	if err != nil {
		return err
	}
	have := id != 0
	if e.Deleted || e.Gone {
		if !have {
			return nil
		}
		delete(a.ids, t.entity+"/"+e.UID)
		return forgetRow(ctx, tx, t.entity, id)
	}
	var old model.Resident
	var oldGrid int64
	if have && t.entity == "resident" && !a.first {
		if old, oldGrid, err = residentForGrams(ctx, tx, id); err != nil {
			return err
		}
	}
	cols, args, grid, skip, err := a.values(t, e, have)
	if err != nil || skip {
		return err
	}
	if have {
		err = a.update(t.entity, id, cols, args)
	} else {
		id, err = a.insert(t.entity, e.UID, cols, args)
	}
	if err != nil || t.entity != "resident" || a.first {
		return err
	}
	if !have {
		return a.addGrams(e.Fields["name"], grid, id)
	}
	cur, curGrid, err := residentForGrams(ctx, tx, id)
	if err != nil {
		return err
	}
	return writeGrams(ctx, tx, id, old, oldGrid, cur, curGrid)
}

// addGrams adds a new resident's search grams: there are none to take away.
func (a *applier) addGrams(name string, grid, id int64) error {
	for _, g := range grams(model.Resident{Name: name}) {
		if err := a.exec("INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id) VALUES (?, ?, ?)", g, grid, id); err != nil {
			return err
		}
	}
	return nil
}

// values gives the quoted columns the entry sets and their values, a row
// it points at by the replica's id, and the resident's grid for its
// grams. skip says the row is not to be written: a new past home in a
// street this replica does not hold.
func (a *applier) values(t syncTable, e model.SyncEntry, have bool) (cols []string, args []any, grid int64, skip bool, err error) {
	for _, c := range t.cols {
		v, ok := e.Fields[c.key]
		if !ok {
			continue
		}
		cols = append(cols, `"`+c.col+`"`)
		switch {
		case c.ref != "":
			ref := int64(0)
			if v != "" {
				if ref, err = a.id(c.ref, v); err != nil {
					return nil, nil, 0, false, err
				}
				if ref == 0 {
					if t.entity == "residence" && c.key == "house" && !have {
						return nil, nil, 0, true, nil
					}
					return nil, nil, 0, false, fmt.Errorf("%s %s: %w", c.key, v, errRef)
				}
			}
			if c.key == "grid" {
				grid = ref
			}
			args = append(args, refArg(ref, c.nullable))
		case c.nullable && v == "":
			args = append(args, nil)
		default:
			args = append(args, v)
		}
	}
	if name, ok := e.Fields["name"]; ok && t.entity == "resident" {
		cols, args = append(cols, "name_key"), append(args, NameKey(name))
	}
	return cols, args, grid, false, nil
}

// refArg is the value of a column pointing at another row: its id, or,
// when it points at none, NULL where the column takes it and 0 elsewhere.
func refArg(ref int64, nullable bool) any {
	switch {
	case ref != 0:
		return ref
	case nullable:
		return nil
	default:
		return 0
	}
}

// update writes the columns of a row the replica holds; a resident's
// updated_at is the replica's own.
func (a *applier) update(entity string, id int64, cols []string, args []any) error {
	if len(cols) == 0 {
		return nil
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = ?"
	}
	if entity == "resident" {
		sets = append(sets, "updated_at = ?")
		args = append(args, now())
	}
	return a.exec("UPDATE "+entity+" SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
}

// insert adds a row new to the replica and remembers its id.
func (a *applier) insert(entity, uidHex string, cols []string, args []any) (int64, error) {
	uid, _ := hex.DecodeString(uidHex)
	cols = append([]string{"uid"}, cols...)
	args = append([]any{uid}, args...)
	if entity == "resident" {
		cols = append(cols, "updated_at")
		args = append(args, now())
	}
	// Executed, not queried with RETURNING: a row set to read and close
	// is a sixth of an insert's time. (A trigger's own inserts do not
	// change the id an insert reports.)
	st, err := a.stmt("INSERT INTO " + entity + "(" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")")
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(a.ctx, args...)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	a.ids[entity+"/"+uidHex] = id
	return id, nil
}

func residentForGrams(ctx context.Context, tx *sql.Tx, id int64) (model.Resident, int64, error) {
	var r model.Resident
	var grid int64
	err := tx.QueryRowContext(ctx, "SELECT name, grid_id FROM resident WHERE id = ?", id).Scan(&r.Name, &grid)
	return r, grid, err
}

// forgetRow removes a row deleted on the server, or one that left this
// replica's areas. A resident this office's records point at (a dose, a
// sign-up, a coupon) is kept as an empty row outside every grid, so those
// still point at something; nothing personal stays behind: not their
// name, numbers, tags, nor where they lived.
func forgetRow(ctx context.Context, tx *sql.Tx, entity string, id int64) error {
	if entity != "resident" {
		_, err := tx.ExecContext(ctx, "DELETE FROM "+entity+" WHERE id = ?", id)
		return err
	}
	old, grid, err := residentForGrams(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := writeGrams(ctx, tx, id, old, grid, model.Resident{}, 0); err != nil {
		return err
	}
	// Where they lived is theirs too.
	if _, err := tx.ExecContext(ctx, "DELETE FROM resident_tag WHERE resident_id = ?; DELETE FROM residence WHERE resident_id = ?", id, id); err != nil {
		return err
	}
	// Gone altogether, unless this office's records point at them.
	if _, err := tx.ExecContext(ctx, "SAVEPOINT forget"); err != nil {
		return err
	}
	_, derr := tx.ExecContext(ctx, "DELETE FROM resident WHERE id = ?", id)
	if _, err := tx.ExecContext(ctx, map[bool]string{true: "RELEASE forget", false: "ROLLBACK TO forget; RELEASE forget"}[derr == nil]); err != nil || derr == nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE resident SET name = '', name_key = x'', id_number = '', phone = '', birth = '', sex = '', ethnicity = '', notes = '',
		house_id = 0, relation = '', grid_id = 0, status = 'moved_out', updated_at = ? WHERE id = ?`, now(), id)
	return err
}

// ForgetUnreceived ends a full resync: the residents the replica held
// that the server no longer sends it (they left its areas while it was
// away) are forgotten.
func (s *Store) ForgetUnreceived(ctx context.Context) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM resident WHERE grid_id <> 0 AND uid NOT IN (SELECT uid FROM sync_received)")
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if _, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = 0"); err != nil {
			return err
		}
		for _, id := range ids {
			if err := forgetRow(ctx, tx, "resident", id); err != nil {
				return err
			}
		}
		n = len(ids)
		_, err = tx.ExecContext(ctx, "DELETE FROM sync_received; UPDATE sync_clock SET recording = 1")
		return err
	})
	return n, err
}

// DeleteResident removes a resident registered by mistake: the row is
// emptied here and a tombstone goes to the server, where a delete wins
// over any edit until someone restores it.
func (s *Store) DeleteResident(ctx context.Context, note AuditNote, accountID, id int64) error {
	return s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var uid []byte
		var name string
		var rec bool
		if err := tx.QueryRowContext(ctx, "SELECT uid, name, (SELECT recording FROM sync_clock) FROM resident WHERE id = ?", id).Scan(&uid, &name, &rec); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, accountID, "resident", id, "deleted", name, ""); err != nil {
			return err
		}
		if rec {
			if _, err := tx.ExecContext(ctx, tickSQL+"INSERT INTO sync_outbox(entity, uid, op, hlc, base) VALUES ('resident', ?, 'delete', "+hlcSQL+", "+seenSQL+")", uid); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = 0"); err != nil {
			return err
		}
		if err := forgetRow(ctx, tx, "resident", id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE sync_clock SET recording = ?", rec)
		return err
	})
}

// RegistryEmpty tells whether the replica holds no areas and no residents.
func (s *Store) RegistryEmpty(ctx context.Context) (bool, error) {
	var empty bool
	err := s.r.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM area) AND NOT EXISTS (SELECT 1 FROM resident)").Scan(&empty)
	return empty, err
}

// UIDOf is the uid (hex) of a row by its id.
func (s *Store) UIDOf(ctx context.Context, entity string, id int64) (string, error) {
	if _, ok := syncTableOf(entity); !ok {
		return "", fmt.Errorf("store: uid: unknown entity %q", entity)
	}
	var u string
	err := s.r.QueryRowContext(ctx, "SELECT lower(hex(uid)) FROM "+entity+" WHERE id = ?", id).Scan(&u)
	return u, mapErr(err)
}

// IDOf is the id of a row by its uid (hex).
func (s *Store) IDOf(ctx context.Context, entity, uid string) (int64, error) {
	if _, ok := syncTableOf(entity); !ok {
		return 0, fmt.Errorf("store: id: unknown entity %q", entity)
	}
	b, err := hex.DecodeString(uid)
	if err != nil {
		return 0, fmt.Errorf("store: id: %w: %v", model.ErrInvalid, err)
	}
	var id int64
	err = s.r.QueryRowContext(ctx, "SELECT id FROM "+entity+" WHERE uid = ?", b).Scan(&id)
	return id, mapErr(err)
}

// ExportRows calls fn with every synced row of the replica, parents
// first, a page at a time: how a desktop database seeds a server.
func (s *Store) ExportRows(ctx context.Context, page int, fn func([]model.SyncOp) error) error {
	stamp := fmt.Sprintf("%013d.%05d", time.Now().UnixMilli(), 0)
	for _, t := range syncTables {
		var last int64
		for {
			rows, err := s.r.QueryContext(ctx, fmt.Sprintf("SELECT id, lower(hex(uid)), %s FROM %s AS t WHERE id > ? ORDER BY id LIMIT ?", t.objectSQL("t"), t.entity), last, page)
			if err != nil {
				return fmt.Errorf("store: export %s: %w", t.entity, err)
			}
			var ops []model.SyncOp
			for rows.Next() {
				var o model.SyncOp
				var fields string
				if err := rows.Scan(&last, &o.UID, &fields); err != nil {
					rows.Close()
					return err
				}
				if err := json.Unmarshal([]byte(fields), &o.Fields); err != nil {
					rows.Close()
					return err
				}
				o.Entity, o.Op, o.HLC = t.entity, model.OpPut, stamp
				ops = append(ops, o)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(ops) == 0 {
				break
			}
			if err := fn(ops); err != nil {
				return err
			}
		}
	}
	return nil
}

// SyncedState is every synced row this replica holds, by "entity/uid",
// with its fields; residents forgotten (deleted, or gone from its areas)
// are left out. It is what a replica is compared to the server by.
func (s *Store) SyncedState(ctx context.Context) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	err := s.ExportRows(ctx, 5000, func(ops []model.SyncOp) error {
		for _, o := range ops {
			if o.Entity == "resident" && o.Fields["name"] == "" {
				continue
			}
			out[o.Entity+"/"+o.UID] = o.Fields
		}
		return nil
	})
	return out, err
}

// firstPullKey, in sync_state, holds what a first pull into an empty
// replica dropped (the statements that make it again) until it is built:
// stored with the drop, so that a crash between leaves the record, and
// Open builds what is missing.
const firstPullKey = "first_pull_rebuild"

// BeginFirstPull readies a replica that holds no residents for its first
// pull, as the bulk loader does an import: the residents' indexes and the
// summaries' triggers are dropped and search grams are left unmade while
// the pages are applied, and FinishFirstPull builds them once at the end.
// It tells whether it did (not when residents are held, or it already has).
func (s *Store) BeginFirstPull(ctx context.Context) (bool, error) {
	var began bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var ready bool
		if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM resident) AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = ?)",
			firstPullKey).Scan(&ready); err != nil || !ready {
			return err
		}
		// A removed row's past homes are found by resident: kept.
		rebuild, err := dropForLoad(ctx, tx, "residence_resident")
		if err != nil {
			return err
		}
		b, _ := json.Marshal(rebuild)
		began = true
		return setSyncState(ctx, tx, map[string]string{firstPullKey: string(b)})
	})
	if err != nil {
		return false, fmt.Errorf("store: first pull: %w", err)
	}
	return began, nil
}

// FinishFirstPull builds what BeginFirstPull dropped, with every
// resident's search grams, in one transaction; it does nothing when no
// first pull is under way.
func (s *Store) FinishFirstPull(ctx context.Context) error {
	// Read first, without the write lock: every Open asks.
	var pending bool
	if err := s.r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sync_state WHERE key = ?)", firstPullKey).Scan(&pending); err != nil || !pending {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var q string
		err := tx.QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", firstPullKey).Scan(&q)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var rebuild []string
		if err := json.Unmarshal([]byte(q), &rebuild); err != nil {
			return err
		}
		// Residents written meanwhile by this desktop have grams of their
		// own: all are made afresh.
		if _, err := tx.ExecContext(ctx, "DELETE FROM resident_gram"); err != nil {
			return err
		}
		if err := buildDropped(ctx, tx, rebuild); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM sync_state WHERE key = ?", firstPullKey)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: first pull: %w", err)
	}
	return nil
}
