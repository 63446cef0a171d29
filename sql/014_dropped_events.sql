-- Events the collector answered 202 but did not store (bot, Do Not Track, GPC, opted
-- out, duplicate, free-mail form, form without an address: DROP_REASONS in
-- collector/pipeline.ts), counted per site, UTC hour and reason. Admins see them on
-- the overview: a test with curl or a headless browser is otherwise a silent dead end.
--
-- Every collector process appends its own counts since its last flush (every 5 s and
-- at shutdown, collector/dropped.ts); the table adds rows of the same key when it merges
-- and is read with sum(), so several processes on one server add up without reading
-- each other's figures. Each flush carries a random deduplication token: a retried
-- batch is stored once, while two processes' identical batches both count (without a
-- token, identical blocks would be taken for a retry by their content).
--
-- Only registered sites get here (a drop follows the site check; an unknown site is a
-- rejection), so the rows are bounded by sites x 7 reasons x 24 hours a day. Hours, not
-- days: site time zones (issue 16) can re-cut them into local days. No visitor id,
-- address or user agent: aggregate statistics, kept AGGREGATE_RETENTION_MONTHS like
-- daily_stats (25 months here, re-applied at start from privacy/retention.ts).
CREATE TABLE IF NOT EXISTS dropped_events
(
    site   LowCardinality(String),
    hour   DateTime('UTC'),
    reason LowCardinality(String),
    events UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(hour)
ORDER BY (site, hour, reason)
TTL hour + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 1000;
