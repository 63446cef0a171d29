// One row per visit and day, merged from the `sessions` aggregate: the unit behind
// visits, bounce rate, visit duration and entry pages. A visit of one page view is
// a bounce. `where` is a constant SQL condition with bound parameters only.
export function visitRows(where: string): string {
  return `SELECT site, day, sid, any(vid) AS vid, sum(pageviews) AS pv,
    dateDiff('second', min(started), max(ended)) AS dur, argMinMerge(entry_page) AS entry
    FROM sessions WHERE ${where} GROUP BY site, day, sid`
}

/** The columns of `visits`, in the order visitSelect gives them. */
export const VISIT_COLUMNS =
  'site, day, sid, vid, visitor, start, end, duration, pageviews, entry_page, exit_page, pages, events, source, referrer, utm_source, utm_medium, utm_campaign, utm_content, utm_term, browser, os, device, country'

/**
 * One row per visit and UTC day with everything a filter can ask about, from the raw
 * events: the rollup job writes finished days of it into `visits`, and the stats API
 * runs it over the days not rolled up yet (normally today). Attribution and device are
 * the first page view's. Events stored before migration 016 have no `source`: theirs is
 * their utm_source, else their referrer host (not grouped).
 */
export function visitSelect(where: string): string {
  // In the table's types (LowCardinality), so that the stats API's UNION ALL of both keeps them.
  return `SELECT site, day, sid, vid, sipHash64(vid) AS visitor, start, end, toUInt32(dateDiff('second', start, end)) AS duration, pageviews,
    toLowCardinality(entry_page) AS entry_page, toLowCardinality(exit_page) AS exit_page,
    CAST(pages, 'Array(LowCardinality(String))') AS pages, CAST(events, 'Array(LowCardinality(String))') AS events,
    toLowCardinality(multiIf(a.1 != '', a.1, a.3 != '', a.3, a.2)) AS source, toLowCardinality(a.2) AS referrer,
    toLowCardinality(a.3) AS utm_source, toLowCardinality(a.4) AS utm_medium, toLowCardinality(a.5) AS utm_campaign,
    toLowCardinality(a.6) AS utm_content, toLowCardinality(a.7) AS utm_term,
    toLowCardinality(a.8) AS browser, toLowCardinality(a.9) AS os, toLowCardinality(a.10) AS device, toLowCardinality(a.11) AS country
  FROM (
    SELECT site, toDate(ts) AS day, sid, any(vid) AS vid, minIf(ts, type = 'pageview') AS start, maxIf(ts, type = 'pageview') AS end,
      toUInt32(countIf(type = 'pageview')) AS pageviews,
      argMinIf(path, ts, type = 'pageview') AS entry_page,
      argMaxIf(path, ts, type = 'pageview') AS exit_page,
      arrayMap(x -> x.2, arraySort(groupArrayIf((ts, path), type = 'pageview'))) AS pages,
      groupArrayIf(name, type = 'event') AS events,
      argMinIf((source, referrer_source, utm_source, utm_medium, utm_campaign, utm_content, utm_term, browser, os, device, country), ts, type = 'pageview') AS a
    FROM events WHERE ${where}
    GROUP BY site, day, sid
    HAVING pageviews > 0
  )`
}
