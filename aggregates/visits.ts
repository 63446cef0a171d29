import { type Db, paramFits } from '../lib/db.ts'
import { addDays, isoDay } from '../lib/timezone.ts'

// One row per visit and day, merged from the `sessions` aggregate: the unit behind
// visits, bounce rate, visit duration and entry pages. A visit of one page view is
// a bounce. `where` is a constant SQL condition with bound parameters only.
export function visitRows(where: string): string {
  return `SELECT site, day, sid, any(vid) AS vid, sum(pageviews) AS pv,
    dateDiff('second', min(started), max(ended)) AS dur, argMinMerge(entry_page) AS entry
    FROM sessions WHERE ${where} GROUP BY site, day, sid`
}

export type VisitColumn = (typeof VISIT_COLUMN_LIST)[number]
// The first page view's attribution and device after `source`, in the order of visitSelect's `a`.
const ATTRIBUTION = ['referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'browser', 'os', 'device', 'country'] as const
/** The columns of `visits`, in the order visitSelect gives them. */
export const VISIT_COLUMN_LIST = [
  'site',
  'day',
  'sid',
  'vid',
  'visitor',
  'start',
  'end',
  'duration',
  'pageviews',
  'entry_page',
  'exit_page',
  'pages',
  'events',
  'source',
  ...ATTRIBUTION,
] as const
export const VISIT_COLUMNS = VISIT_COLUMN_LIST.join(', ')

// What visitSelect groups from the events, by name; `a` is the first page view's attribution and device.
const GROUPED = {
  vid: 'any(vid) AS vid',
  start: "minIf(ts, type = 'pageview') AS start",
  end: "maxIf(ts, type = 'pageview') AS end",
  entry_page: "argMinIf(path, ts, type = 'pageview') AS entry_page",
  exit_page: "argMaxIf(path, ts, type = 'pageview') AS exit_page",
  pages: "arrayMap(x -> x.2, arraySort(groupArrayIf((ts, path), type = 'pageview'))) AS pages",
  events: "groupArrayIf(name, type = 'event') AS events",
  a: "argMinIf((source, referrer_source, utm_source, utm_medium, utm_campaign, utm_content, utm_term, browser, os, device, country), ts, type = 'pageview') AS a",
} as const

// Each column of a visit row: its expression over the grouped values, and which of them it
// needs. In the table's types (LowCardinality), so that the stats API's UNION ALL of both keeps them.
const COLUMN: Record<VisitColumn, [string, Array<keyof typeof GROUPED>]> = {
  site: ['site', []],
  day: ['day', []],
  sid: ['sid', []],
  vid: ['vid', ['vid']],
  visitor: ['sipHash64(vid) AS visitor', ['vid']],
  start: ['start', ['start']],
  end: ['end', ['end']],
  duration: ["toUInt32(dateDiff('second', start, end)) AS duration", ['start', 'end']],
  pageviews: ['pageviews', []],
  entry_page: ['toLowCardinality(entry_page) AS entry_page', ['entry_page']],
  exit_page: ['toLowCardinality(exit_page) AS exit_page', ['exit_page']],
  pages: ["CAST(pages, 'Array(LowCardinality(String))') AS pages", ['pages']],
  events: ["CAST(events, 'Array(LowCardinality(String))') AS events", ['events']],
  source: ["toLowCardinality(multiIf(a.1 != '', a.1, a.3 != '', a.3, a.2)) AS source", ['a']],
  ...(Object.fromEntries(ATTRIBUTION.map((c, i) => [c, [`toLowCardinality(a.${i + 2}) AS ${c}`, ['a']]])) as Record<
    (typeof ATTRIBUTION)[number],
    [string, ['a']]
  >),
}

/**
 * One row per visit and UTC day with everything a filter can ask about, from the raw
 * events: the rollup job writes finished days of it into `visits`, and the stats API
 * runs it over the days not rolled up yet (normally today). Attribution and device are
 * the first page view's. Events stored before migration 016 have no `source`: theirs is
 * their utm_source, else their referrer host (not grouped). `cols`: only these columns,
 * grouping only what they need (planning the whole select cost a query 3-4 ms).
 */
export function visitSelect(where: string, cols: readonly VisitColumn[] = VISIT_COLUMN_LIST): string {
  const grouped = new Set(cols.flatMap((c) => COLUMN[c][1]))
  return `SELECT ${cols.map((c) => COLUMN[c][0]).join(', ')}
  FROM (
    SELECT site, toDate(ts) AS day, sid, toUInt32(countIf(type = 'pageview')) AS pageviews${Object.entries(GROUPED)
      .filter(([k]) => grouped.has(k as keyof typeof GROUPED))
      .map(([, v]) => `, ${v}`)
      .join('')}
    FROM events WHERE ${where}
    GROUP BY site, day, sid
    HAVING pageviews > 0
  )`
}

/**
 * A site's visit rows of the UTC days d0..d1 that match `where`, all grouped from the raw
 * events (nothing rolled up is read); with `companies`, as visitRowsOf's.
 */
export function eventVisitRows(site: string, d0: string, d1: string, where: string, companies = false): { sql: string; params: Record<string, unknown> } {
  const sql = `SELECT ${VISIT_COLUMNS} FROM (${visitSelect('site = {site:String} AND toDate(ts) BETWEEN {d0:Date} AND {d1:Date}')}) WHERE ${where}`
  return { sql: companies ? withCompany(sql) : sql, params: { site, d0, d1 } }
}

/** The UTC days d0..d1 in `visits`, each with its cutoff ({d0:Date}, {d1:Date}). */
export const CUTOFFS = 'SELECT toString(day) AS d, toString(max(cutoff)) AS c FROM visit_days FINAL WHERE day BETWEEN {d0:Date} AND {d1:Date} GROUP BY day'

// Visits with events at or after their day's cutoff (all of a day not rolled up): read
// from the raw events. {lv} are those days, {lc} their cutoffs.
const LIVE_SIDS = `SELECT toDate(ts), sid FROM events WHERE site = {site:String} AND toDate(ts) IN {lv:Array(Date)}
  AND ts >= arrayElement({lc:Array(DateTime64(3))}, indexOf({lv:Array(Date)}, toDate(ts)))`

// The visits active since the cutoff are named in the query when they are few (the usual
// case: the last minutes' visits), which saves building the set twice in SQL and lets
// the events' sid index skip granules. At most 2,000, and only while they fit in one URL
// field of a ClickHouse server (PARAM_BYTES): a visit id is any token of up to 64
// characters, and 2,000 of those would not.
const MAX_NAMED_SIDS = 2000

// The visits with events at or after their day's cutoff on the UTC days {ld} (all of a
// day not rolled up), the cutoffs read in the same query.
const LIVE_ON_DAYS = `WITH (SELECT (groupArray(day), groupArray(c)) FROM (SELECT day, max(cutoff) AS c FROM visit_days FINAL WHERE day IN {ld:Array(Date)} GROUP BY day)) AS cut
  SELECT DISTINCT sid FROM events WHERE site = {site:String} AND toDate(ts) IN {ld:Array(Date)} AND ts >= arrayElement(cut.2, indexOf(cut.1, toDate(ts)))
  LIMIT ${MAX_NAMED_SIDS + 1}`

/** What a caller of visitRowsOf read already: the cutoffs (CUTOFFS), and maybe the visits active since them on some days. */
export interface Known {
  cutoffs: ReadonlyArray<{ day: string; cutoff: string }>
  live?: { days: readonly string[]; sids: readonly string[] }
}

/**
 * The cutoffs of d0..d1 and the visits active since them on those days from yesterday on
 * (UTC), as rows (k, d, v) to read in one round trip, alone or in a UNION ALL with what
 * else a caller needs first (a query costs 4-8 ms here however little it reads); `of`
 * makes them Known. Yesterday is usually whole already and yields none: scanning it
 * measured no slower than today alone (9 ms either way on the bench's 110,000 page views
 * a day), and leaving whole days out by subquery cost 6 ms more.
 */
export function knownRows(
  site: string,
  d0: string,
  d1: string,
): { sql: string; params: Record<string, unknown>; of: (found: ReadonlyArray<{ k: string; d: string; v: string }>) => Known } {
  const yesterday = addDays(isoDay(new Date()), -1)
  const ld: string[] = []
  for (let d = d0 > yesterday ? d0 : yesterday; d <= d1; d = addDays(d, 1)) ld.push(d)
  return {
    sql: `SELECT 'cut' AS k, d, c AS v FROM (${CUTOFFS})${ld.length ? ` UNION ALL SELECT 'live', '', sid FROM (${LIVE_ON_DAYS})` : ''}`,
    params: { site, d0, d1, ld },
    of: (found) => ({
      cutoffs: found.filter((r) => r.k === 'cut').map((r) => ({ day: r.d, cutoff: r.v })),
      live: ld.length ? { days: ld, sids: found.filter((r) => r.k === 'live').map((r) => r.v) } : undefined,
    }),
  }
}

/**
 * A site's visit rows of the UTC days d0..d1 that match `where` (a condition on visit
 * columns with bound parameters), as a subquery with its parameters, from three places:
 * days rolled up whole (`visits`), today rolled up to a cutoff (`visits`, less the visits
 * active since: aggregates/rollup.ts, rollupToday), and the rest grouped from the raw
 * events with visitSelect (visits active since a cutoff, days not rolled up). With
 * `companies`, only company visits, each with its company_id: whole days from
 * company_sessions, the rest joined with the decisions (withCompany). `only`: these
 * columns only (without `companies`), which must include those `where` names.
 */
export async function visitRowsOf(
  db: Db,
  site: string,
  d0: string,
  d1: string,
  where: string,
  known?: Known,
  companies = false,
  only?: readonly VisitColumn[],
): Promise<{ sql: string; params: Record<string, unknown> }> {
  // Company rows are joined and copied whole.
  const picked = companies ? undefined : only
  const cols = (picked ?? VISIT_COLUMN_LIST).join(', ')
  if (!known) {
    const k = knownRows(site, d0, d1)
    known = k.of(await db.query<{ k: string; d: string; v: string }>(k.sql, k.params))
  }
  const cutoffs = new Map(known.cutoffs.map((r) => [r.day, r.cutoff]))
  const whole: string[] = []
  const partly: string[] = []
  const live: string[] = []
  const liveCutoffs: string[] = []
  for (let d = d0; d <= d1; d = addDays(d, 1)) {
    const cut = cutoffs.get(d)
    if (cut !== undefined && cut.slice(0, 10) > d) whole.push(d)
    else {
      if (cut !== undefined) partly.push(d)
      live.push(d)
      liveCutoffs.push(cut ?? '1970-01-01 00:00:00.000')
    }
  }
  let active = `(${LIVE_SIDS})`
  let sids: readonly string[] = []
  if (live.length) {
    const given = known.live
    const ids =
      given && live.every((d) => given.days.includes(d))
        ? given.sids
        : (await db.query<{ sid: string }>(`SELECT DISTINCT sid FROM (${LIVE_SIDS}) LIMIT ${MAX_NAMED_SIDS + 1}`, { site, lv: live, lc: liveCutoffs })).map(
            (r) => r.sid,
          )
    if (ids.length <= MAX_NAMED_SIDS && paramFits(ids)) {
      sids = ids
      active = '{sids:Array(String)}'
    }
  }
  const named = active.startsWith('{')
  // The days not whole.
  const parts: string[] = []
  if (partly.length)
    parts.push(
      `SELECT ${cols} FROM visits WHERE site = {site:String} AND day IN {partly:Array(Date)} AND ${named ? 'sid' : '(day, sid)'} NOT IN ${active} AND ${where}`,
    )
  if (live.length && !(named && sids.length === 0))
    parts.push(
      `SELECT ${cols} FROM (${visitSelect(`site = {site:String} AND toDate(ts) IN {lv:Array(Date)} AND ${named ? 'sid' : '(toDate(ts), sid)'} IN ${active}`, picked)}) WHERE ${where}`,
    )
  const union = (xs: string[]) => xs.join('\n    UNION ALL\n    ')
  // Company visits: whole days from company_sessions; the other days' rows keep
  // changing, so they are joined with the decisions here.
  const wholeFrom = companies ? `SELECT ${VISIT_COLUMNS}, company_id FROM company_sessions FINAL` : `SELECT ${cols} FROM visits`
  const all = [
    ...(whole.length ? [`${wholeFrom} WHERE site = {site:String} AND day IN {whole:Array(Date)} AND ${where}`] : []),
    ...(parts.length && companies ? [withCompany(union(parts))] : parts),
  ]
  // No visit at all: an empty row set of the same columns.
  return { sql: all.length ? union(all) : `${wholeFrom} WHERE 0`, params: { site, whole, partly, lv: live, lc: liveCutoffs, sids } }
}

// The decisions of the visits of {site} with rows on {d0}..{d1}: a visit is a company's
// once enrichment decided so (enriched_sessions). A decision is dated by the visit's
// first day, so a visit over midnight into {d0} was decided the day before; copies in
// company_sessions join the same way (aggregates/company-sessions.ts).
const COMPANY_OF =
  "SELECT sid, company_id FROM enriched_sessions FINAL WHERE site = {site:String} AND day BETWEEN subtractDays({d0:Date}, 1) AND {d1:Date} AND company_id != ''"

/** VISIT_COLUMNS read from a table or subquery named `v`. */
export const VISIT_COLUMNS_OF_V = VISIT_COLUMN_LIST.map((c) => `v.${c} AS ${c}`).join(', ')

/** Visit rows (VISIT_COLUMNS) of the company visits among `rows`, each with its company_id. */
export function withCompany(rows: string): string {
  return `SELECT ${VISIT_COLUMNS_OF_V}, e.company_id AS company_id FROM (${rows}) AS v INNER JOIN (${COMPANY_OF}) AS e ON e.sid = v.sid`
}
