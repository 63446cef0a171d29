-- Every scheduled job run, so that any process (ROLE=dashboard too) can show the
-- state of the jobs, which run in one process only. Kept 30 days.
CREATE TABLE IF NOT EXISTS job_runs
(
    name        LowCardinality(String),
    started_at  DateTime64(3, 'UTC'),
    duration_ms UInt32,
    rows        UInt64,
    error       String,
    failures    UInt32
)
ENGINE = MergeTree
ORDER BY (name, started_at)
TTL toDateTime(started_at) + INTERVAL 30 DAY;
