-- Relation, category and status sort in the order staff read them
-- (户主, 配偶, 子女 …; 户籍, 流动, 境外; 在住, 外出, 迁出, 死亡), not by
-- their stored codes. The expressions must stay as store/residentlist.go
-- writes them (rankExpr), which a test checks through the query plan.
DROP INDEX IF EXISTS resident_relation;
DROP INDEX IF EXISTS resident_kind;
DROP INDEX IF EXISTS resident_status;
CREATE INDEX resident_relation_rank ON resident((CASE relation WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 WHEN 'child' THEN 2 WHEN 'parent' THEN 3 WHEN 'grandchild' THEN 4 WHEN 'tenant' THEN 5 WHEN 'other' THEN 6 ELSE 7 END));
CREATE INDEX resident_kind_rank ON resident((CASE kind WHEN 'registered' THEN 0 WHEN 'floating' THEN 1 WHEN 'foreign' THEN 2 ELSE 3 END));
CREATE INDEX resident_status_rank ON resident((CASE status WHEN 'present' THEN 0 WHEN 'away' THEN 1 WHEN 'moved' THEN 2 WHEN 'dead' THEN 3 ELSE 4 END));
