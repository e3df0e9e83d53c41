-- Merchants (商户) of a street or community and their coupon batches
-- (优惠券): a value, a validity, a total quota and a quota per resident.
-- Each coupon issued is a code for one resident, redeemed once.
CREATE TABLE merchant (
    id         INTEGER PRIMARY KEY,
    uid        BLOB NOT NULL UNIQUE,
    area_id    INTEGER NOT NULL REFERENCES area(id),
    name       TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    place      TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    account_id INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL,
    UNIQUE (area_id, name)
);

CREATE TABLE coupon_batch (
    id           INTEGER PRIMARY KEY,
    uid          BLOB NOT NULL UNIQUE,
    merchant_id  INTEGER NOT NULL REFERENCES merchant(id),
    name         TEXT NOT NULL,
    value        INTEGER NOT NULL CHECK (value > 0), -- in fen
    valid_from   TEXT NOT NULL, -- YYYY-MM-DD
    valid_to     TEXT NOT NULL, -- YYYY-MM-DD, inclusive
    quota        INTEGER NOT NULL CHECK (quota > 0),
    per_resident INTEGER NOT NULL DEFAULT 1 CHECK (per_resident > 0),
    -- Kept by the store with each coupon issued and redeemed; the CHECK
    -- makes an issue past the quota fail whatever wrote it.
    issued       INTEGER NOT NULL DEFAULT 0,
    redeemed     INTEGER NOT NULL DEFAULT 0,
    account_id   INTEGER NOT NULL DEFAULT 0,
    at           TEXT NOT NULL,
    CHECK (valid_from <= valid_to),
    CHECK (issued <= quota AND redeemed <= issued)
);

CREATE TABLE coupon (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES coupon_batch(id),
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    code        TEXT NOT NULL UNIQUE,
    issued      TEXT NOT NULL,
    redeemed    TEXT NOT NULL DEFAULT '', -- when; '' not yet
    account_id  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX coupon_batch_resident ON coupon(batch_id, resident_id);
CREATE INDEX coupon_resident ON coupon(resident_id);
