-- Vaccinations (疫苗接种): each dose a resident was given, typed at the
-- desk or read from the health department's list, once per vaccine and
-- dose; and appointments (预约) for doses still to come.
CREATE TABLE vaccination (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    vaccine     TEXT NOT NULL,
    dose        INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 9),
    day         TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    account_id  INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL,
    UNIQUE (resident_id, vaccine, dose)
);
-- Who has had a dose of a vaccine: progress counts and the list of those
-- still to call go through this.
CREATE INDEX vaccination_vaccine ON vaccination(vaccine, dose, resident_id);

CREATE TABLE vaccination_appointment (
    id          INTEGER PRIMARY KEY,
    uid         BLOB NOT NULL UNIQUE,
    resident_id INTEGER NOT NULL REFERENCES resident(id),
    vaccine     TEXT NOT NULL,
    dose        INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 9),
    day         TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'booked', -- booked, done, cancelled
    account_id  INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL
);
CREATE INDEX vaccination_appointment_day ON vaccination_appointment(day);
CREATE INDEX vaccination_appointment_resident ON vaccination_appointment(resident_id, vaccine, dose);
