-- The sales inbox as readers want it, over sql/022's fields: the old whole-row table
-- goes, and a view of the same name takes its place.
DROP TABLE IF EXISTS company_inbox;

-- One row per company with any field set, as sql/019's table read with FINAL. Tags in the
-- order they were added (each a millisecond apart within one change).
CREATE VIEW IF NOT EXISTS company_inbox AS
SELECT
    site,
    company_id,
    if(argMaxIf(value, at, field = 'status') IN ('', 'new'), 'new', argMaxIf(value, at, field = 'status')) AS status,
    argMaxIf(value, at, field = 'owner') AS owner,
    arrayMap(t -> t.3, arraySort(groupArrayIf((at, key, value), field = 'tag' AND present = 1))) AS tags,
    max(at) AS updated_at,
    argMax(by, at) AS updated_by
FROM (SELECT site, company_id, field, key, value, present, updated_at AS at, updated_by AS by FROM company_inbox_fields FINAL)
GROUP BY site, company_id;
