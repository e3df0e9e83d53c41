-- Where the audit chain begins after old entries were archived and
-- removed (retention): the last removed entry's id and hash. The removal
-- itself is an audit entry naming the same id and hash.
CREATE TABLE audit_anchor (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    purged_at TEXT NOT NULL
);
