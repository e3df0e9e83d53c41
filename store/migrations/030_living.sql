-- Residents are those living here (在住 and 外出) unless former residents
-- are asked for, so counts and lists of the living must be as quick as
-- those of the whole registry were.

-- The outbox triggers are made again at every open (store/sync.go); the
-- backfill of name_key below must not tick the clock once per resident.
DROP TRIGGER IF EXISTS sync_resident_changed;

-- The pinyin sort key of the name (store.NameKey), filled in Go after
-- this script (store/namekey.go).
ALTER TABLE resident ADD COLUMN name_key BLOB NOT NULL DEFAULT x'';

-- The orders offered first (by id, name, age, address) carry the id and
-- the state in their indexes: (value, id) is still the keyset's order,
-- and a page of those living here, or a jump deep into it (an offset
-- skipped), reads the index alone instead of each row's state from the
-- table.
DROP INDEX IF EXISTS resident_name;
CREATE INDEX resident_name_key ON resident(name_key, id, status);
DROP INDEX IF EXISTS resident_order;
CREATE INDEX resident_order ON resident(id, status);
DROP INDEX IF EXISTS resident_birth;
CREATE INDEX resident_birth ON resident(birth, id, status);
DROP INDEX IF EXISTS resident_house;
CREATE INDEX resident_house ON resident(house_id, id, status);

-- Tag carriers per grid and state: the tags screen and an area's tag
-- chart count those living here from the summary, as before.
DROP TRIGGER IF EXISTS resident_tagged;
DROP TRIGGER IF EXISTS resident_untagged;
DROP TRIGGER IF EXISTS resident_tags_moved;
DROP TABLE IF EXISTS tag_count;
CREATE TABLE tag_count (
    tag_id  INTEGER NOT NULL,
    grid_id INTEGER NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (tag_id, grid_id, status)
) WITHOUT ROWID;

INSERT INTO tag_count(tag_id, grid_id, status, n)
SELECT rt.tag_id, r.grid_id, r.status, count(*) FROM resident_tag rt JOIN resident r ON r.id = rt.resident_id GROUP BY 1, 2, 3;

CREATE TRIGGER resident_tagged AFTER INSERT ON resident_tag BEGIN
    INSERT INTO tag_count(tag_id, grid_id, status, n)
        SELECT new.tag_id, grid_id, status, 1 FROM resident WHERE id = new.resident_id AND true
        ON CONFLICT(tag_id, grid_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER resident_untagged AFTER DELETE ON resident_tag BEGIN
    UPDATE tag_count SET n = n - 1
        WHERE tag_id = old.tag_id AND (grid_id, status) = (SELECT grid_id, status FROM resident WHERE id = old.resident_id);
END;

CREATE TRIGGER resident_tags_moved AFTER UPDATE OF grid_id, status ON resident
WHEN old.grid_id IS NOT new.grid_id OR old.status IS NOT new.status BEGIN
    UPDATE tag_count SET n = n - 1
        WHERE grid_id = old.grid_id AND status = old.status AND tag_id IN (SELECT tag_id FROM resident_tag WHERE resident_id = new.id);
    INSERT INTO tag_count(tag_id, grid_id, status, n)
        SELECT tag_id, new.grid_id, new.status, 1 FROM resident_tag WHERE resident_id = new.id AND true
        ON CONFLICT(tag_id, grid_id, status) DO UPDATE SET n = n + 1;
END;
