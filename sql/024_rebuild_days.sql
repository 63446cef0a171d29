-- Days whose daily aggregates an erasure could not rebuild yet (issue 18, defect 4): on a
-- ClickHouse server, collectors in other processes still write the day, and a flush
-- between a rebuild's delete and its insert is counted twice. The erasure job rebuilds
-- them once the day is over (aggregates/rebuild.ts, rebuildDueDays).
CREATE TABLE IF NOT EXISTS rebuild_days
(
    site     LowCardinality(String),
    day      Date,
    asked_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(asked_at)
ORDER BY (site, day);
