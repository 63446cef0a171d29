-- The visit rows of the visits enrichment counted for a company, each with its company
-- (issue 16): what the companies list reads when stats filters are given. Joining every
-- matching visit with enriched_sessions was the list's cost (a month of site1 on the
-- bench: 177 ms p50; from this table 97 ms), as company visits are a few percent of all.
-- Kept in step by aggregates/company-sessions.ts: the rollup copies a finished day, the
-- enrichment and the naming of a candidate copy the days they decided, a suppression
-- deletes. Like `visits` it holds the visitor id: kept as long as the raw events, erased
-- with them. Today is not read from here: the list joins today's visits with
-- enriched_sessions, as today's visit rows keep changing.

-- The columns of `visits`, then the company. A copy made again (its day rolled up again,
-- a late decision) replaces the older one: without a version column the last inserted wins.
CREATE TABLE IF NOT EXISTS company_sessions AS visits
ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (site, day, sid)
TTL day + toIntervalDay(180)
SETTINGS ttl_only_drop_parts = 1, old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;

ALTER TABLE company_sessions ADD COLUMN IF NOT EXISTS company_id String;

-- The company visits of the days rolled up so far.
INSERT INTO company_sessions
SELECT v.*, e.company_id
FROM visits AS v
INNER JOIN (SELECT site, sid, company_id FROM enriched_sessions FINAL WHERE company_id != '') AS e ON e.site = v.site AND e.sid = v.sid;
