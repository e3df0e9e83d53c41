-- Work log entries are corrected and withdrawn, never deleted: a
-- withdrawn entry keeps its row, marked, and leaves counts and exports;
-- each correction or withdrawal keeps the values as they were before it.
ALTER TABLE worklog ADD COLUMN withdrawn_at TEXT NOT NULL DEFAULT '';
ALTER TABLE worklog ADD COLUMN withdrawn_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE worklog ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';

-- action: edit or withdraw; day, kind and content are the entry's before.
CREATE TABLE worklog_history (
    id         INTEGER PRIMARY KEY,
    worklog_id INTEGER NOT NULL REFERENCES worklog(id),
    action     TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    at         TEXT NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    content    TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX worklog_history_log ON worklog_history(worklog_id, id);
