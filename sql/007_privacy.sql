-- Privacy rights (privacy/). An erasure request keeps the visitor id only until it is
-- done; its plan (sessions, days, companies touched) lets it resume after a restart.
CREATE TABLE IF NOT EXISTS erasure_requests
(
    id           String,
    vid          String,
    vid_hash     String,
    status       LowCardinality(String),
    plan         String,
    result       String,
    requested_by LowCardinality(String),
    requested_at DateTime64(3, 'UTC'),
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id
-- Done requests hold only the hash; kept two years as proof of what was done.
TTL toDateTime(requested_at) + INTERVAL 24 MONTH;

-- What was done for privacy, and when: opt-outs, erasures, exports, suppressions.
-- No personal data beyond the SHA-256 of a visitor id.
CREATE TABLE IF NOT EXISTS privacy_audit
(
    ts       DateTime64(3, 'UTC') DEFAULT now64(3),
    action   LowCardinality(String),
    subject  String,
    actor    LowCardinality(String),
    detail   String
)
ENGINE = MergeTree
ORDER BY ts
TTL toDateTime(ts) + INTERVAL 24 MONTH;
