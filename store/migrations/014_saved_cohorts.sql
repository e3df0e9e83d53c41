-- Cohorts saved by name: definitions (JSON), evaluated afresh when used.
CREATE TABLE cohort (
    id         INTEGER PRIMARY KEY,
    uid        BLOB NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    account    TEXT NOT NULL,
    saved_at   TEXT NOT NULL
);
