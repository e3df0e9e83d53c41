-- 尾号 search by two indexes on the residents instead of search keys: a
-- load into an empty registry sorted 3 million keys for them beside the
-- names' 4.6 million; two indexes are built from the rows directly. The
-- phone's tail is its local number's for a landline with an extension
-- (area-local-extension).
DELETE FROM resident_gram WHERE gram >= char(1) AND gram < char(2);
CREATE INDEX resident_id_tail ON resident(upper(substr(id_number, -4)), grid_id) WHERE id_number <> '';
CREATE INDEX resident_phone_tail ON resident(substr(CASE WHEN instr(substr(phone, instr(phone, '-') + 1), '-') > 0 AND instr(phone, '-') > 0
    THEN substr(phone, instr(phone, '-') + 1, instr(substr(phone, instr(phone, '-') + 1), '-') - 1) ELSE phone END, -4), grid_id)
    WHERE phone <> '';
