-- Public spaces (空间) run by a street or a community, with their opening
-- hours, and their bookings (预约) by residents or organisations. A booking
-- lies within one day's opening hours; two standing bookings of a space
-- never overlap (the store checks in the writing transaction).
CREATE TABLE space (
    id         INTEGER PRIMARY KEY,
    uid        BLOB NOT NULL UNIQUE,
    area_id    INTEGER NOT NULL REFERENCES area(id),
    name       TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    opens      TEXT NOT NULL,  -- HH:MM
    closes     TEXT NOT NULL,  -- HH:MM, after opens
    equipment  TEXT NOT NULL DEFAULT '',
    closed     INTEGER NOT NULL DEFAULT 0, -- no longer booked
    account_id INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL,
    UNIQUE (area_id, name),
    CHECK (opens < closes)
);

CREATE TABLE booking (
    id            INTEGER PRIMARY KEY,
    uid           BLOB NOT NULL UNIQUE,
    space_id      INTEGER NOT NULL REFERENCES space(id),
    starts        TEXT NOT NULL, -- YYYY-MM-DD HH:MM
    ends          TEXT NOT NULL, -- the same day, after starts
    resident_id   INTEGER NOT NULL DEFAULT 0, -- who booked, or 0 for an organisation
    organisation  TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    people        INTEGER NOT NULL DEFAULT 0,
    activity_id   INTEGER NOT NULL DEFAULT 0,
    cancelled     TEXT NOT NULL DEFAULT '', -- when; '' while it stands
    cancel_reason TEXT NOT NULL DEFAULT '',
    account_id    INTEGER NOT NULL DEFAULT 0,
    at            TEXT NOT NULL,
    CHECK (starts < ends)
);
-- A space's day and week, the overlap check and the usage statistics all
-- read a space's bookings by start.
CREATE INDEX booking_space ON booking(space_id, starts);
CREATE INDEX booking_resident ON booking(resident_id) WHERE resident_id <> 0;
