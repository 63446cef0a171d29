-- The inbox state one field at a time. sql/019 wrote the whole row on each change (read,
-- modify, write): two changes of one company at once, say its status and its owner set a
-- few milliseconds apart by one user or by two, or by a trigger, lost one of them. Now
-- each change writes only the fields it changes, and the newest row of each field wins.

-- field: 'status' or 'owner' (key ''), or 'tag' (key: the tag in lower case, value: its
-- spelling, present 0 when it was removed).
CREATE TABLE IF NOT EXISTS company_inbox_fields
(
    site       LowCardinality(String),
    company_id String,
    field      LowCardinality(String),
    key        String,
    value      String,
    present    UInt8 DEFAULT 1,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_by String
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site, company_id, field, key);

INSERT INTO company_inbox_fields (site, company_id, field, key, value, updated_at, updated_by)
SELECT site, company_id, 'status', '', status, updated_at, updated_by FROM company_inbox FINAL;

INSERT INTO company_inbox_fields (site, company_id, field, key, value, updated_at, updated_by)
SELECT site, company_id, 'owner', '', owner, updated_at, updated_by FROM company_inbox FINAL WHERE owner != '';

INSERT INTO company_inbox_fields (site, company_id, field, key, value, updated_at, updated_by)
SELECT site, company_id, 'tag', lowerUTF8(tag), tag, updated_at, updated_by FROM company_inbox FINAL ARRAY JOIN tags AS tag;

DROP TABLE IF EXISTS company_inbox;

-- What readers see, one row per company with any field set: as sql/019's table read with
-- FINAL. Tags in the order they were added.
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
