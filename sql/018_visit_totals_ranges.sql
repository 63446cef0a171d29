-- Sums of visit_totals over a range of days, kept while its days' generations last
-- (issue 16: unfiltered lists under 100 ms). A list of a month of pages merges some
-- 15,000 day sketches per call, 35-50 ms on the 10 M page-view bench; the same range
-- merged once is 500 rows, 19 ms to read.
--
-- range_key is a hash of the site's summed days with their generations: a day summed
-- again (the hourly job, an erasure, a change of zone) makes a new key, and the rollup
-- job truncates the table after each build (aggregates/ranges.ts), so rows live about an
-- hour. A row with marker = 1 (value '') says that the key's rows of `dim` are all in,
-- and how many values they are (`whole`): it is written after them, and the builder
-- checks the count afterwards (a TRUNCATE does not wait for an insert in progress). Two
-- processes may build one key at once: their rows are the same, and readers take one row
-- per value.
--
-- Granules of 128 rows: a read of one dim's rows deserialises the sketches of the whole
-- granules it touches, and with the default 8,192 that was every dim of the key (13 ms
-- for the 60 pages of a goal; 5 ms with 128).
CREATE TABLE IF NOT EXISTS visit_totals_ranges
(
    site LowCardinality(String),
    dim LowCardinality(String),
    range_key UInt64,
    value String,
    marker UInt8 DEFAULT 0,
    whole UInt64 DEFAULT 0,
    visitors AggregateFunction(uniqCombined(12), UInt64),
    visits UInt64 DEFAULT 0,
    pageviews UInt64 DEFAULT 0,
    bounces UInt64 DEFAULT 0,
    duration UInt64 DEFAULT 0,
    hits UInt64 DEFAULT 0,
    built DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (site, range_key, dim, value)
TTL built + toIntervalDay(1)
SETTINGS index_granularity = 128, old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0;
