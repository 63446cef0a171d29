-- Raw events: one row per stored page view or custom event. Only consented,
-- non-opted-out, non-bot events ever get here. No IP address: see visit_ips.
-- Ordered by site then day (then visitor, so erasing one visitor touches few granules).
CREATE TABLE IF NOT EXISTS events
(
    event_id        String,
    site            LowCardinality(String),
    ts              DateTime64(3, 'UTC'),
    type            LowCardinality(String),
    name            String,
    vid             String,
    sid             String,
    hostname        String,
    path            String,
    query           String,
    title           String,
    referrer_source String,
    utm_source      String,
    utm_medium      String,
    utm_campaign    String,
    utm_content     String,
    utm_term        String,
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    screen          UInt16,
    country         LowCardinality(String),
    city            String,
    props           Map(String, String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site, toDate(ts), vid, ts)
-- 180 days is the default; the runner re-applies RAW_RETENTION_DAYS at every start.
TTL toDateTime(ts) + INTERVAL 180 DAY
-- A retried insert with the same insert_deduplication_token (the writer's batch id)
-- is stored once, here and in every view's target, which carry the same setting.
SETTINGS non_replicated_deduplication_window = 1000;
