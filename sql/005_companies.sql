-- Company recognition (enrichment/). See README "Company recognition".

-- Every visit the enrichment job has decided on: which kind of network it came
-- from and the company, if any ('' otherwise). `network` (the /24 or /48) is kept
-- only for company visits, so that a suppressed address range can be found again.
-- It holds session ids, so it goes with the raw events (RAW_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS enriched_sessions
(
    site         LowCardinality(String),
    sid          String,
    day          Date,
    network_type LowCardinality(String),
    company_id   String,
    network      String,
    decided_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(decided_at)
PARTITION BY toYYYYMM(day)
ORDER BY (site, sid)
TTL day + INTERVAL 180 DAY;

-- Recognised companies: public company information only. Newest row wins.
CREATE TABLE IF NOT EXISTS companies
(
    company_id          String,
    name                String,
    domain              String,
    address             String,
    postcode            String,
    city                String,
    country             LowCardinality(String),
    industry            String,
    employee_range      String,
    phone               String,
    website             String,
    registration_number String,
    network_type        LowCardinality(String),
    asn                 UInt32,
    as_org              String,
    evidence            String,
    updated_at          DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY company_id;

-- Company visits per site, company and day, recomputed from events by the
-- enrichment job (ReplacingMergeTree: a rerun replaces, never adds).
-- Kept COMPANY_RETENTION_MONTHS (default 13), re-applied at start.
CREATE TABLE IF NOT EXISTS company_visits
(
    site        LowCardinality(String),
    company_id  String,
    day         Date,
    visits      UInt32,
    pageviews   UInt32,
    visitors    AggregateFunction(uniq, String),
    pages       Array(String),
    first_seen  DateTime64(3, 'UTC'),
    last_seen   DateTime64(3, 'UTC'),
    duration    UInt32,
    computed_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(day)
ORDER BY (site, company_id, day)
TTL day + INTERVAL 13 MONTH;

-- The operator's company directory (public company information), keyed by
-- 'd:<domain>' or 'n:<normalised name>'. A re-import replaces rows by key.
CREATE TABLE IF NOT EXISTS company_directory
(
    key                 String,
    name                String,
    domain              String,
    address             String,
    postcode            String,
    city                String,
    country             String,
    industry            String,
    employee_range      String,
    phone               String,
    website             String,
    registration_number String,
    imported_at         DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(imported_at)
ORDER BY key;

-- E-mail domains submitted in forms by consenting visitors (never the address), with
-- the network (/24 or /48) they came from. Network data is IP-like: IP_RETENTION_DAYS.
CREATE TABLE IF NOT EXISTS form_domains
(
    site    LowCardinality(String),
    network String,
    vid     String,
    domain  String,
    ts      DateTime('UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (network, domain, vid)
TTL ts + INTERVAL 7 DAY
SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000;

-- Company networks linked to a business domain by the learn-domains job. An admin's
-- removal is a row with removed = 1, which the job never overwrites.
CREATE TABLE IF NOT EXISTS network_domains
(
    network    String,
    domain     String,
    visitors   UInt32,
    confidence Float32,
    removed    UInt8 DEFAULT 0,
    learned_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(learned_at)
ORDER BY network;

-- Companies that asked not to be recognised: by company id, domain, name or address range.
CREATE TABLE IF NOT EXISTS suppressions
(
    id         String,
    kind       LowCardinality(String),
    value      String,
    reason     String,
    deleted    UInt8 DEFAULT 0,
    created_at DateTime('UTC') DEFAULT now(),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;

-- Per-site settings: which pages count for company recognition (path patterns with
-- *, empty = every page).
CREATE TABLE IF NOT EXISTS site_settings
(
    site          String,
    company_pages Array(String),
    updated_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site;
