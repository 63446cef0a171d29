// The SELECTs of the materialized views, as the migrations created them. Erasure
// rebuilds a day's rows by running the same SELECT over that day's events; a test
// keeps these equal to the views a fresh migration leaves (system.tables.as_select).
// `from` is the source: `events` in the view, a narrowed subquery aliased `events`
// when a day is rebuilt.

export interface View {
  name: string
  target: string
  select(from?: string): string
}

export const DAILY_STATS_MV: View = {
  name: 'daily_stats_mv',
  target: 'daily_stats',
  select: (from = 'events') => `SELECT
    site,
    toDate(ts) AS day,
    uniqCombinedState(15)(vid) AS visitors,
    toUInt64(countIf(type = 'pageview')) AS pageviews,
    toUInt64(countIf(type = 'event')) AS events
FROM ${from}
GROUP BY site, day`,
}

export const DAILY_BREAKDOWN_MV: View = {
  name: 'daily_breakdown_mv',
  target: 'daily_breakdown',
  select: (from = 'events') => `SELECT
    site,
    dim.1 AS kind,
    toDate(ts) AS day,
    dim.2 AS value,
    uniqCombinedState(12)(vid) AS visitors,
    uniqCombinedState(12)(sid) AS visits,
    toUInt64(countIf(type = 'pageview')) AS pageviews,
    toUInt64(countIf(type = 'event')) AS events
FROM ${from}
ARRAY JOIN [
    ('page', if(type = 'pageview', path, '')),
    ('referrer', referrer_source),
    ('utm_source', utm_source),
    ('utm_medium', utm_medium),
    ('utm_campaign', utm_campaign),
    ('browser', browser),
    ('os', os),
    ('device', device),
    ('country', country),
    ('event', name)
] AS dim
WHERE dim.2 != ''
GROUP BY site, kind, day, value`,
}

export const SESSIONS_MV: View = {
  name: 'sessions_mv',
  target: 'sessions',
  select: (from = 'events') => `SELECT
    site,
    toDate(ts) AS day,
    sid,
    any(vid) AS vid,
    min(ts) AS started,
    max(ts) AS ended,
    toUInt64(count()) AS pageviews,
    argMinState(path, ts) AS entry_page,
    argMaxState(path, ts) AS exit_page
FROM ${from}
WHERE type = 'pageview'
GROUP BY site, day, sid`,
}

/** The views whose targets hold no visitor id: erasure rebuilds them per (site, day). */
export const DAILY_VIEWS: readonly View[] = [DAILY_STATS_MV, DAILY_BREAKDOWN_MV]
export const VIEWS: readonly View[] = [DAILY_STATS_MV, DAILY_BREAKDOWN_MV, SESSIONS_MV]
