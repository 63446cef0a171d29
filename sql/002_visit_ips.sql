-- The full IP address, kept apart from the events so that nothing else can leak it.
-- Enrichment reads it per session; it is gone after IP_RETENTION_DAYS (at most 7).
-- Partitioned per day so that expiry drops whole parts (ttl_only_drop_parts), and the
-- hourly ip-retention job deletes anything a lagging merge has not yet removed.
CREATE TABLE IF NOT EXISTS visit_ips
(
    site LowCardinality(String),
    sid  String,
    vid  String,
    ip   IPv6,
    ts   DateTime('UTC')
)
ENGINE = ReplacingMergeTree(ts)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (site, sid, ip)
TTL ts + INTERVAL 7 DAY
SETTINGS ttl_only_drop_parts = 1, merge_with_ttl_timeout = 3600, non_replicated_deduplication_window = 1000;
