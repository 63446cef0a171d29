-- Today's sums up to the visits-today cutoff (issue 16: unfiltered routes under 100 ms).
-- Without filters a range reads its whole local days from visit_totals, but today from
-- its visit rows: on the bench's 10 M page views, 28,000 rows, 38 of the goals query's
-- 58 ms. The visits-today job sums the local today of each site, as visit_totals sums a
-- day, from the visit rows at the cutoffs it just wrote; a query then adds only the
-- visits active since those cutoffs, their new rows counted and their rows at the cutoff
-- taken off again (aggregates/today-totals.ts).
--
-- `cut_key` is a hash of the site, its time zone, the local day and the cutoffs of the
-- UTC days it overlaps: a reader uses the rows only when its own cutoffs give the same
-- key, and after the marker row (dim '#', `hits` = the key's row count) is in. Keys
-- older than 5 minutes are deleted by the next build (a reader holding the previous key
-- reads in milliseconds); an erasure truncates the table.
CREATE TABLE IF NOT EXISTS today_totals
(
    site LowCardinality(String),
    day Date,
    cut_key UInt64,
    dim LowCardinality(String),
    value String,
    visitors AggregateFunction(uniqCombined(12), UInt64),
    day_visitors AggregateFunction(uniqCombined(15), UInt64),
    visits UInt64,
    pageviews UInt64,
    bounces UInt64,
    duration UInt64,
    hits UInt64,
    built DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (site, cut_key, dim, value)
TTL built + toIntervalHour(1)
SETTINGS index_granularity = 128, old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0;
