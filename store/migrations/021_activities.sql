-- Activities (活动) of a street or community: a time, a place (a booked
-- space or any place named), a capacity and a target cohort; the people
-- invited from the cohort, signed up, waiting, and checked in.
CREATE TABLE activity (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    area_id     INTEGER NOT NULL REFERENCES area(id),
    name        TEXT NOT NULL,
    starts      TEXT NOT NULL, -- YYYY-MM-DD HH:MM
    ends        TEXT NOT NULL,
    space_id    INTEGER NOT NULL DEFAULT 0,
    booking_id  INTEGER NOT NULL DEFAULT 0,
    place       TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    cohort      TEXT NOT NULL DEFAULT '', -- the target cohort, as a saved filter (JSON)
    cohort_name TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    cancelled   TEXT NOT NULL DEFAULT '',
    account_id  INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL,
    CHECK (starts < ends)
);
CREATE INDEX activity_starts ON activity(starts);

-- One row a person and activity: invited, signed (a place), waiting (in
-- the order of seq), or cancelled; checked_in once they came.
CREATE TABLE activity_person (
    activity_id INTEGER NOT NULL REFERENCES activity(id),
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    state       TEXT NOT NULL CHECK (state IN ('invited', 'signed', 'waiting', 'cancelled')),
    seq         INTEGER NOT NULL DEFAULT 0, -- order of sign-up
    invited     TEXT NOT NULL DEFAULT '',
    signed      TEXT NOT NULL DEFAULT '',
    checked_in  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, resident_id)
) WITHOUT ROWID;
CREATE INDEX activity_person_state ON activity_person(activity_id, state, seq);
