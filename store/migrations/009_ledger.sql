-- Tags (标签) in categories, and which residents carry them: who tagged
-- whom and when is kept on the link.
CREATE TABLE tag (
    id       INTEGER PRIMARY KEY,
    uid      BLOB NOT NULL UNIQUE,
    category TEXT NOT NULL DEFAULT '未分类',
    name     TEXT NOT NULL UNIQUE,
    color    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE resident_tag (
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    tag_id      INTEGER NOT NULL REFERENCES tag(id),
    account_id  INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL,
    PRIMARY KEY (resident_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX resident_tag_tag ON resident_tag(tag_id, resident_id);

-- Column mappings of ledgers that staff saved, found again by the
-- signature of a header row (its cells, normalized, joined).
CREATE TABLE ledger_mapping (
    signature TEXT PRIMARY KEY,
    mapping   TEXT NOT NULL,
    account   TEXT NOT NULL,
    saved_at  TEXT NOT NULL
);
