-- Aggregates for the dashboard, fed by materialized views from `events`.
-- Every aggregate is keyed by (site, day, ...) and derived from that day's raw rows
-- only, so a day can be rebuilt exactly from `events` (erasure: delete the day's
-- aggregate rows, re-insert the same SELECT from the remaining raw rows).
-- Note: a DELETE or TTL on `events` does not touch rows already in these tables.

-- Visitors and page views per site and day. uniq keeps up to 65,536 hashes per
-- state (practically exact for small sites) and its states merge across days.
-- 009 replaces uniq with uniqCombined(15), which merges faster.
CREATE TABLE IF NOT EXISTS daily_stats
(
    site      LowCardinality(String),
    day       Date,
    visitors  AggregateFunction(uniq, String),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_stats_mv TO daily_stats AS
SELECT
    site,
    toDate(ts) AS day,
    uniqState(vid) AS visitors,
    toUInt64(countIf(type = 'pageview')) AS pageviews,
    toUInt64(countIf(type = 'event')) AS events
FROM events
GROUP BY site, day;

-- One row per visit (session) and day: bounce rate, visit duration and entry pages
-- need the whole visit, which a view over one insert block cannot see; the
-- AggregatingMergeTree merges the blocks of one visit into one row.
-- A visit that crosses midnight UTC counts on both days. It holds visitor ids, so it
-- is kept as long as raw events (RAW_RETENTION_DAYS, re-applied at start); the
-- rollup-visits job keeps each finished day's figures in daily_visits and
-- daily_entry_pages for 25 months.
CREATE TABLE IF NOT EXISTS sessions
(
    site       LowCardinality(String),
    day        Date,
    sid        String,
    vid        SimpleAggregateFunction(any, String),
    started    SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended      SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    pageviews  SimpleAggregateFunction(sum, UInt64),
    entry_page AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    exit_page  AggregateFunction(argMax, String, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, sid)
TTL day + INTERVAL 180 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
SELECT
    site,
    toDate(ts) AS day,
    sid,
    any(vid) AS vid,
    min(ts) AS started,
    max(ts) AS ended,
    toUInt64(count()) AS pageviews,
    argMinState(path, ts) AS entry_page,
    argMaxState(path, ts) AS exit_page
FROM events
WHERE type = 'pageview'
GROUP BY site, day, sid;

-- Ranked lists: one row per (site, kind, day, value). `kind` is one of page,
-- referrer, utm_source, utm_medium, utm_campaign, browser, os, device, country, event.
CREATE TABLE IF NOT EXISTS daily_breakdown
(
    site      LowCardinality(String),
    kind      LowCardinality(String),
    day       Date,
    value     String,
    visitors  AggregateFunction(uniq, String),
    visits    AggregateFunction(uniq, String),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, kind, day, value)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS daily_breakdown_mv TO daily_breakdown AS
SELECT
    site,
    dim.1 AS kind,
    toDate(ts) AS day,
    dim.2 AS value,
    uniqState(vid) AS visitors,
    uniqState(sid) AS visits,
    toUInt64(countIf(type = 'pageview')) AS pageviews,
    toUInt64(countIf(type = 'event')) AS events
FROM events
ARRAY JOIN [
    ('page', if(type = 'pageview', path, '')),
    ('referrer', referrer_source),
    ('utm_source', utm_source),
    ('utm_medium', utm_medium),
    ('utm_campaign', utm_campaign),
    ('browser', browser),
    ('os', os),
    ('device', device),
    ('country', country),
    ('event', name)
] AS dim
WHERE dim.2 != ''
GROUP BY site, kind, day, value;

-- Finished days' visit figures, rolled up from `sessions` by the rollup-visits job
-- (aggregates/rollup.ts). The stats API reads these for rolled-up days
-- and `sessions` only for the days after the last rollup (normally today).
CREATE TABLE IF NOT EXISTS daily_visits
(
    site         LowCardinality(String),
    day          Date,
    visits       UInt64,
    bounces      UInt64,
    duration_sum UInt64,
    rolled_at    DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(rolled_at)
ORDER BY (site, day)
TTL day + INTERVAL 25 MONTH;

CREATE TABLE IF NOT EXISTS daily_entry_pages
(
    site      LowCardinality(String),
    day       Date,
    page      String,
    visitors  AggregateFunction(uniq, String),
    visits    UInt64,
    bounces   UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, page)
TTL day + INTERVAL 25 MONTH;
