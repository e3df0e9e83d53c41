-- The community database: areas, places, residents, residences, history.
-- Every row that will sync has a uid (UUIDv7, 16 bytes) from the start.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    uid           BLOB NOT NULL UNIQUE,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE area (
    id        INTEGER PRIMARY KEY,
    uid       BLOB NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES area(id),
    level     TEXT NOT NULL CHECK (level IN ('street', 'community', 'grid')),
    name      TEXT NOT NULL,
    UNIQUE (parent_id, name)
);
-- UNIQUE above does not hold for streets (NULL parents never clash).
CREATE UNIQUE INDEX area_street_name ON area(name) WHERE parent_id IS NULL;

CREATE TABLE account_area (
    account_id INTEGER NOT NULL REFERENCES account(id),
    area_id    INTEGER NOT NULL REFERENCES area(id),
    PRIMARY KEY (account_id, area_id)
) WITHOUT ROWID;

CREATE TABLE compound (
    id           INTEGER PRIMARY KEY,
    uid          BLOB NOT NULL UNIQUE,
    community_id INTEGER NOT NULL REFERENCES area(id),
    name         TEXT NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE building (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    compound_id INTEGER NOT NULL REFERENCES compound(id),
    name        TEXT NOT NULL,
    UNIQUE (compound_id, name)
);

CREATE TABLE unit (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    building_id INTEGER NOT NULL REFERENCES building(id),
    name        TEXT NOT NULL,
    UNIQUE (building_id, name)
);

CREATE TABLE house (
    id      INTEGER PRIMARY KEY,
    uid     BLOB NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    room    TEXT NOT NULL,
    grid_id INTEGER NOT NULL REFERENCES area(id),
    use     TEXT NOT NULL DEFAULT 'owner',
    area_m2 REAL NOT NULL DEFAULT 0,
    UNIQUE (unit_id, room)
);
CREATE INDEX house_grid ON house(grid_id);

-- house_id, relation and grid_id are the current (or last) residence
-- (0 and '' for none), kept in step with the residence table by the store
-- so that the list, its filters and its scope need no join per row. An
-- unknown ID number is '' (so sorting and keyset paging never meet NULL);
-- a known one is unique.
CREATE TABLE resident (
    id         INTEGER PRIMARY KEY,
    uid        BLOB NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    id_number  TEXT NOT NULL DEFAULT '',
    sex        TEXT NOT NULL DEFAULT '',
    birth      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    ethnicity  TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL DEFAULT 'registered',
    status     TEXT NOT NULL DEFAULT 'present',
    notes      TEXT NOT NULL DEFAULT '',
    house_id   INTEGER NOT NULL DEFAULT 0,
    relation   TEXT NOT NULL DEFAULT '',
    grid_id    INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Who lived where, from when until when; never deleted.
CREATE TABLE residence (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    house_id    INTEGER NOT NULL REFERENCES house(id),
    relation    TEXT NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT,
    end_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX residence_house ON residence(house_id, until);
CREATE INDEX residence_resident ON residence(resident_id);

-- Name search: every character and every pair of adjacent characters of
-- a name, with the resident's grid, so a search for any part of a name
-- within an account's grids is one index range, and so is its count.
CREATE TABLE resident_gram (
    gram        TEXT NOT NULL,
    grid_id     INTEGER NOT NULL,
    resident_id INTEGER NOT NULL,
    PRIMARY KEY (gram, grid_id, resident_id)
) WITHOUT ROWID;

-- Every change to a row: who, when, the old and the new value.
CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    field      TEXT NOT NULL,
    old        TEXT NOT NULL DEFAULT '',
    new        TEXT NOT NULL DEFAULT '',
    account_id INTEGER REFERENCES account(id),
    at         TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity, entity_id);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
