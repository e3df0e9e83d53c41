-- Indexes for the residents list: scope, filters and every sortable column
-- (the rowid rides along, so each serves keyset paging by (value, id)).
CREATE UNIQUE INDEX resident_id_number_unique ON resident(id_number) WHERE id_number <> '';
CREATE INDEX resident_id_number ON resident(id_number);
CREATE INDEX resident_grid ON resident(grid_id);
CREATE INDEX resident_house ON resident(house_id);
CREATE INDEX resident_phone ON resident(phone);
CREATE INDEX resident_name ON resident(name);
CREATE INDEX resident_birth ON resident(birth);
CREATE INDEX resident_sex ON resident(sex);
CREATE INDEX resident_kind ON resident(kind);
CREATE INDEX resident_status ON resident(status);
CREATE INDEX resident_relation ON resident(relation);
-- The ids alone, narrow: a jump deep into the list in id order skips
-- through this instead of through the table's wide rows.
CREATE INDEX resident_order ON resident(id);
