-- Grid work logs (工作日志): what a grid worker did on a day, and whom and
-- which houses it concerned.
CREATE TABLE worklog (
    id         INTEGER PRIMARY KEY,
    uid        BLOB NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    grid_id    INTEGER NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX worklog_grid_day ON worklog(grid_id, day);
CREATE INDEX worklog_account_day ON worklog(account_id, day);

CREATE TABLE worklog_subject (
    worklog_id  INTEGER NOT NULL REFERENCES worklog(id),
    resident_id INTEGER NOT NULL DEFAULT 0,
    house_id    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX worklog_subject_log ON worklog_subject(worklog_id);
