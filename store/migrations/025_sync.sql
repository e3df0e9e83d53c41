-- Server sync, the desktop's side. The outbox holds local changes not yet
-- acknowledged by the server, one row per change with only the fields it
-- changed, written by triggers (store/syncspec.go) in the transaction of
-- the change itself, so no path that writes the registry can forget it.
CREATE TABLE sync_outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the server skips seqs it has acknowledged
    entity TEXT NOT NULL,
    uid    BLOB NOT NULL,
    op     TEXT NOT NULL DEFAULT 'put' CHECK (op IN ('put', 'delete', 'restore')),
    fields TEXT NOT NULL DEFAULT '{}',
    hlc    TEXT NOT NULL,
    base   INTEGER NOT NULL DEFAULT 0
);

-- One row: the hybrid logical clock (ms, counter), whether changes are
-- recorded (on once enrolled, off while a pulled page is applied) and
-- the server version this replica has seen (the base of its edits).
CREATE TABLE sync_clock (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    ms        INTEGER NOT NULL DEFAULT 0,
    c         INTEGER NOT NULL DEFAULT 0,
    recording INTEGER NOT NULL DEFAULT 0,
    seen      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_clock(id) VALUES (1);

-- Server address, device token, node id, cursor, last sync and its result.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Pulled changes this replica could not apply (a name or ID number its
-- own rows already hold), kept to be shown rather than dropped.
CREATE TABLE sync_problem (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    uid    BLOB NOT NULL,
    fields TEXT NOT NULL,
    error  TEXT NOT NULL,
    at     TEXT NOT NULL
);

-- Residents received during a full resync of a replica that held rows
-- already: those not received are forgotten when it ends.
CREATE TABLE sync_received (
    uid BLOB PRIMARY KEY
) WITHOUT ROWID;
