-- The tags offices use, in their categories; a tag of the same name made
-- earlier by an import (in 未分类) takes its category.
INSERT OR IGNORE INTO tag(uid, category, name) VALUES
    (randomblob(16), '居民骨干', '居民骨干'),
    (randomblob(16), '居民骨干', '楼栋长'),
    (randomblob(16), '产业人才', '产业人才'),
    (randomblob(16), '兴趣爱好', '书法'),
    (randomblob(16), '兴趣爱好', '舞蹈'),
    (randomblob(16), '志愿者', '志愿者'),
    (randomblob(16), '特殊群体', '独居老人'),
    (randomblob(16), '特殊群体', '优抚对象'),
    (randomblob(16), '特殊群体', '低保户'),
    (randomblob(16), '特殊群体', '残疾人'),
    (randomblob(16), '特殊群体', '留守儿童');
UPDATE tag SET category = CASE name
        WHEN '居民骨干' THEN '居民骨干' WHEN '楼栋长' THEN '居民骨干' WHEN '产业人才' THEN '产业人才'
        WHEN '书法' THEN '兴趣爱好' WHEN '舞蹈' THEN '兴趣爱好' WHEN '志愿者' THEN '志愿者'
        ELSE '特殊群体' END
    WHERE category = '未分类' AND name IN ('居民骨干', '楼栋长', '产业人才', '书法', '舞蹈', '志愿者', '独居老人', '优抚对象', '低保户', '残疾人', '留守儿童');
