-- Appeals (需求直达): what residents ask for, each step of its handling,
-- and the days the office does not work.

-- Categories with their deadlines in working days from intake, normal and
-- urgent; the office edits the list.
CREATE TABLE appeal_category (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    position     INTEGER NOT NULL DEFAULT 0,
    accept_days  INTEGER NOT NULL DEFAULT 1,
    answer_days  INTEGER NOT NULL DEFAULT 3,
    close_days   INTEGER NOT NULL DEFAULT 7,
    urgent_accept_days INTEGER NOT NULL DEFAULT 1,
    urgent_answer_days INTEGER NOT NULL DEFAULT 1,
    urgent_close_days  INTEGER NOT NULL DEFAULT 3
);

INSERT INTO appeal_category(name, position) VALUES
    ('城市管理', 1), ('社区事务', 2), ('物业服务', 3), ('环境卫生', 4), ('治安', 5), ('民生服务', 6), ('其他', 7);

-- status: pending 待受理, accepted 已受理, processing 处理中, answered 已答复,
-- closed 已办结. The due dates are working days counted at intake and moved
-- by an extension. grid_id decides who sees it (the place's, or the
-- reporter's); external_no is a 12345 order's number, so it is imported once.
CREATE TABLE appeal (
    id              INTEGER PRIMARY KEY,
    uid             BLOB NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    category_id     INTEGER NOT NULL REFERENCES appeal_category(id),
    content         TEXT NOT NULL,
    urgency         TEXT NOT NULL DEFAULT 'normal',
    reporter_id     INTEGER NOT NULL DEFAULT 0,
    reporter_name   TEXT NOT NULL DEFAULT '',
    reporter_phone  TEXT NOT NULL DEFAULT '',
    house_id        INTEGER NOT NULL DEFAULT 0,
    compound_id     INTEGER NOT NULL DEFAULT 0,
    place           TEXT NOT NULL DEFAULT '',
    grid_id         INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'pending',
    assignee_id     INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER NOT NULL,
    received_at     TEXT NOT NULL,
    accepted_at     TEXT NOT NULL DEFAULT '',
    answered_at     TEXT NOT NULL DEFAULT '',
    closed_at       TEXT NOT NULL DEFAULT '',
    due_accept      TEXT NOT NULL,
    due_answer      TEXT NOT NULL,
    due_close       TEXT NOT NULL,
    reply           TEXT NOT NULL DEFAULT '',
    reply_method    TEXT NOT NULL DEFAULT '',
    satisfaction    TEXT NOT NULL DEFAULT '',
    external_no     TEXT UNIQUE,
    updated_at      TEXT NOT NULL
);
CREATE INDEX appeal_status ON appeal(status, grid_id);
CREATE INDEX appeal_assignee ON appeal(assignee_id, status);
CREATE INDEX appeal_received ON appeal(received_at);

-- Every step: who, when, from which state to which, and why.
CREATE TABLE appeal_step (
    id         INTEGER PRIMARY KEY,
    appeal_id  INTEGER NOT NULL REFERENCES appeal(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    at         TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appeal_step_appeal ON appeal_step(appeal_id, id);

CREATE TABLE appeal_photo (
    id        INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeal(id),
    name      TEXT NOT NULL,
    data      BLOB NOT NULL
);
CREATE INDEX appeal_photo_appeal ON appeal_photo(appeal_id);

-- Days off that fall on weekdays (holidays) and weekend days worked
-- (调休): working days are Monday to Friday, less the first, plus the second.
CREATE TABLE calendar_day (
    day     TEXT PRIMARY KEY,
    workday INTEGER NOT NULL
) WITHOUT ROWID;
