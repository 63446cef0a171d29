-- The inbox state one field at a time (the old table goes in sql/023, a migration of its
-- own: a crash between its drop and the view's creation must not stop this one re-running). sql/019 wrote the whole row on each change (read,
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

-- A millisecond apart, in their order: readers order tags by the time they were added.
INSERT INTO company_inbox_fields (site, company_id, field, key, value, updated_at, updated_by)
SELECT site, company_id, 'tag', lowerUTF8(tag), tag, updated_at + toIntervalMillisecond(i - 1), updated_by
FROM company_inbox FINAL ARRAY JOIN tags AS tag, arrayEnumerate(tags) AS i;
