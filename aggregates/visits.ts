// One row per visit and day, merged from the `sessions` aggregate: the unit behind
// visits, bounce rate, visit duration and entry pages. A visit of one page view is
// a bounce. `where` is a constant SQL condition with bound parameters only.
export function visitRows(where: string): string {
  return `SELECT site, day, sid, any(vid) AS vid, sum(pageviews) AS pv,
    dateDiff('second', min(started), max(ended)) AS dur, argMinMerge(entry_page) AS entry
    FROM sessions WHERE ${where} GROUP BY site, day, sid`
}
