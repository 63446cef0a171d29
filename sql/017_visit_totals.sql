-- Unfiltered stats from totals per local day (issue 16: unfiltered routes under 100 ms
-- on 10 million page views; grouping a month of visit rows took 70-135 ms per route).
--
-- One row per site, local day of the site's time zone, dimension and value, summed from
-- the day's visit rows: dim '' is the day's totals, the others are a visit column
-- (page, entry_page, exit_page, source, referrer, utm_*, browser, os, device, country,
-- event). A month of a site is some 50,000 rows instead of a million visits. Days are
-- the site's own, so the time zone they were summed in is kept: after a change of zone
-- the stats API reads those days from the visit rows until the rollup job has summed
-- them again.
--
-- A (site, day) is summed again as a new generation `gen`; visit_totals_days names the
-- current one, and readers take only its rows, so a day being replaced is never half
-- read. Older generations are deleted by the next build.
CREATE TABLE IF NOT EXISTS visit_totals
(
    site LowCardinality(String),
    day Date,
    dim LowCardinality(String),
    value String,
    gen UInt64,
    -- Visitors of the value (sipHash64 of the visitor id, as in `visits`); the day's
    -- totals in day_visitors at the summary's precision.
    visitors AggregateFunction(uniqCombined(12), UInt64),
    day_visitors AggregateFunction(uniqCombined(15), UInt64),
    visits UInt64,
    pageviews UInt64,
    bounces UInt64,
    duration UInt64,
    -- How often: page views of a page, times of a custom event.
    hits UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, dim, day, value)
TTL day + toIntervalDay(180)
SETTINGS old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0;

CREATE TABLE IF NOT EXISTS visit_totals_days
(
    site LowCardinality(String),
    day Date,
    timezone LowCardinality(String),
    gen UInt64
)
ENGINE = ReplacingMergeTree(gen)
ORDER BY (site, day)
TTL day + toIntervalDay(180);
