-- Residents per grid, kept exact by triggers in the same transaction as
-- every insert, move and delete, so that the unfiltered count of any
-- account's scope is a sum over its grids instead of a scan of the table.
CREATE TABLE grid_count (
    grid_id INTEGER PRIMARY KEY,
    n       INTEGER NOT NULL
);

INSERT INTO grid_count(grid_id, n) SELECT grid_id, count(*) FROM resident GROUP BY grid_id;

CREATE TRIGGER resident_counted AFTER INSERT ON resident BEGIN
    INSERT INTO grid_count(grid_id, n) VALUES (new.grid_id, 1)
        ON CONFLICT(grid_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER resident_recounted AFTER UPDATE OF grid_id ON resident WHEN old.grid_id IS NOT new.grid_id BEGIN
    UPDATE grid_count SET n = n - 1 WHERE grid_id = old.grid_id;
    INSERT INTO grid_count(grid_id, n) VALUES (new.grid_id, 1)
        ON CONFLICT(grid_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER resident_uncounted AFTER DELETE ON resident BEGIN
    UPDATE grid_count SET n = n - 1 WHERE grid_id = old.grid_id;
END;
