-- 尾号 search: the last four characters of each phone and ID number join
-- the search keys, marked with char(1) so no name gram can equal them
-- (store.TailGram writes the same). Phones with an extension are left to
-- the store, which keys them on the local number at their next change.
INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id)
    SELECT char(1) || substr(phone, -4), grid_id, id
    FROM resident WHERE length(phone) >= 4 AND phone NOT LIKE '%-%-%';
INSERT OR IGNORE INTO resident_gram(gram, grid_id, resident_id)
    SELECT char(1) || upper(substr(id_number, -4)), grid_id, id FROM resident WHERE length(id_number) >= 4;
-- Four digits may be a room too: find houses by room number at once.
CREATE INDEX house_room ON house(room);
-- Let the planner know how selective a room number is (a common one like
-- 501 is in every building) before it picks this index for addresses.
PRAGMA analysis_limit = 1000;
ANALYZE house;
