-- The audit chain is keyed (HMAC-SHA256) with a key kept outside this
-- file, in the user's config folder beside the chain's head (see
-- store/auditkey.go); this row names the key and the head (a restored
-- copy keeps the key and gets a head of its own). An anchor left by a
-- purge carries a MAC under the same key, so one written by hand is found.
-- Hashes are re-keyed by the program at the first open after this
-- migration, from a verified chain.
CREATE TABLE audit_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    key_id  TEXT NOT NULL,
    head_id TEXT NOT NULL
);
ALTER TABLE audit_anchor ADD COLUMN mac TEXT NOT NULL DEFAULT '';
