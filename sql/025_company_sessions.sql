-- The visit rows of the visits enrichment counted for a company, each with its company
-- (issue 16): what the companies list reads when stats filters are given. Joining every
-- matching visit with enriched_sessions was the list's cost (a month of site1 on the
-- bench: 177 ms p50; from this table 97 ms), as company visits are a few percent of all.
-- Kept in step by aggregates/company-sessions.ts: the rollup copies a finished day, the
-- enrichment and the naming of a candidate copy the days they decided, a suppression
-- deletes. Like `visits` it holds the visitor id: kept as long as the raw events, erased
-- with them. Today is not read from here: the list joins today's visits with
-- enriched_sessions, as today's visit rows keep changing.
CREATE TABLE IF NOT EXISTS company_sessions
(
    site LowCardinality(String),
    day Date,
    sid String,
    vid String,
    visitor UInt64,
    start DateTime64(3, 'UTC'),
    end DateTime64(3, 'UTC'),
    duration UInt32,
    pageviews UInt32,
    entry_page LowCardinality(String),
    exit_page LowCardinality(String),
    pages Array(LowCardinality(String)),
    events Array(LowCardinality(String)),
    source LowCardinality(String),
    referrer LowCardinality(String),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign LowCardinality(String),
    utm_content LowCardinality(String),
    utm_term LowCardinality(String),
    browser LowCardinality(String),
    os LowCardinality(String),
    device LowCardinality(String),
    country LowCardinality(String),
    company_id String,
    -- A visit copied again (its day rolled up again, a late decision) replaces its older copy.
    copied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(copied_at)
PARTITION BY day
ORDER BY (site, day, sid)
TTL day + toIntervalDay(180)
SETTINGS ttl_only_drop_parts = 1, old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;

-- The company visits of the days rolled up so far.
INSERT INTO company_sessions (site, day, sid, vid, visitor, start, end, duration, pageviews, entry_page, exit_page, pages, events, source, referrer, utm_source, utm_medium, utm_campaign, utm_content, utm_term, browser, os, device, country, company_id)
SELECT v.site, v.day, v.sid, v.vid, v.visitor, v.start, v.end, v.duration, v.pageviews, v.entry_page, v.exit_page, v.pages, v.events, v.source, v.referrer,
       v.utm_source, v.utm_medium, v.utm_campaign, v.utm_content, v.utm_term, v.browser, v.os, v.device, v.country, e.company_id
FROM visits AS v
INNER JOIN (SELECT site, sid, company_id FROM enriched_sessions FINAL WHERE company_id != '') AS e ON e.site = v.site AND e.sid = v.sid;
