package hub

// schema is the server's tables, in SQL both PostgreSQL and SQLite read;
// %[1]s is the type of an auto-numbered key, %[2]s of a large integer.
const schema = `
CREATE TABLE IF NOT EXISTS hub_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_account (
    id            %[1]s,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    areas         TEXT NOT NULL DEFAULT '',
    can_reveal    INTEGER NOT NULL DEFAULT 0,
    can_export    INTEGER NOT NULL DEFAULT 0,
    personal_data INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0
);
-- Sign-in attempts held against a user name (model.SignInKey: a short
-- hash, never the name typed) or an address, taken before the password is
-- checked: held lists their times (unix milliseconds), last is the newest.
CREATE TABLE IF NOT EXISTS hub_signin (
    key  TEXT PRIMARY KEY,
    held TEXT NOT NULL,
    last %[2]s NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_signin_last ON hub_signin(last);
CREATE TABLE IF NOT EXISTS hub_device (
    id         %[1]s,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES hub_account(id),
    node       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT NOT NULL DEFAULT '',
    last_seen  TEXT NOT NULL DEFAULT ''
);
-- The last operation applied from each replica: a batch sent again is
-- applied once.
-- The newest audit entry each desktop reported (head_id: which copy of
-- its database): one whose trail is later shorter, or holds another entry
-- there, is told.
CREATE TABLE IF NOT EXISTS hub_audit_head (
    node    TEXT PRIMARY KEY,
    head_id TEXT NOT NULL,
    last_id %[2]s NOT NULL,
    hash    TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_node (
    node  TEXT PRIMARY KEY,
    acked %[2]s NOT NULL DEFAULT 0
);
-- Every row as it is now: its fields, each field's clock
-- {"f": ["hlc", "node", version]}, and the area that decides who sees it
-- (class a: everyone; s: the street's accounts; p: the grid's).
CREATE TABLE IF NOT EXISTS hub_row (
    entity  TEXT NOT NULL,
    uid     TEXT NOT NULL,
    class   TEXT NOT NULL,
    scope   TEXT NOT NULL,
    owner   TEXT NOT NULL DEFAULT '',
    fields  TEXT NOT NULL,
    clocks  TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    hlc     TEXT NOT NULL,
    PRIMARY KEY (entity, uid)
);
CREATE INDEX IF NOT EXISTS hub_row_scope ON hub_row(entity, scope, uid);
-- A residence's resident (owner): the residences follow a resident who
-- moves to another grid.
CREATE INDEX IF NOT EXISTS hub_row_owner ON hub_row(owner) WHERE owner <> '';
-- The feed: which row each transaction changed (and the areas it was in
-- before and after), in the order of the transactions' ids (xid), so a
-- pull never skips a change committed after a later-numbered one. A pull
-- sends the row as it is then: two transactions that changed one row
-- commit in an order their ids need not follow.
CREATE TABLE IF NOT EXISTS hub_feed (
    pos       %[1]s,
    xid       %[2]s NOT NULL,
    entity    TEXT NOT NULL,
    uid       TEXT NOT NULL,
    class     TEXT NOT NULL,
    scope     TEXT NOT NULL,
    old_scope TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_feed_order ON hub_feed(xid, pos);
CREATE TABLE IF NOT EXISTS hub_conflict (
    id          %[1]s,
    entity      TEXT NOT NULL,
    uid         TEXT NOT NULL,
    field       TEXT NOT NULL,
    kept        TEXT NOT NULL,
    lost        TEXT NOT NULL,
    kept_hlc    TEXT NOT NULL,
    lost_hlc    TEXT NOT NULL,
    kept_by     TEXT NOT NULL,
    lost_by     TEXT NOT NULL,
    at          TEXT NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS hub_conflict_open ON hub_conflict(resolved_at, id);
`
