// Ranges that reach back past the raw events (RAW_RETENTION_DAYS): the visit rows are
// gone there, and these figures come from the daily aggregates (kept
// AGGREGATE_RETENTION_MONTHS), in UTC days and without filters, as before issue 16.
// dashboard/stats.ts decides when; the queries are the ones measured in
// docs/performance.md before visit rows existed.
import type { Db } from '../lib/db.ts'
import { visitRows } from '../aggregates/visits.ts'
import { isoDay } from '../lib/timezone.ts'
import type { BreakdownRow, EntryPageRow, Summary, TimeseriesPoint } from '../lib/api-types.ts'

export interface DayRange {
  site: string
  from: string
  to: string
  limit: number
}

const RANGE = 'site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}'
// Days of the range already rolled up by the rollup-visits job; the rest (normally
// only today) are computed from `sessions`, one row per visit.
const LIVE_VISITS = visitRows(`${RANGE} AND day NOT IN (SELECT day FROM daily_visits FINAL WHERE ${RANGE})`)

interface DayFigures {
  day: string
  visitors: number
  pageviews: number
  visits: number
  bounces: number
  duration_sum: number
}

function figures(rows: Array<Omit<DayFigures, 'day'>>, visitors: number): Summary {
  const sum = (k: keyof Omit<DayFigures, 'day'>) => rows.reduce((a, r) => a + r[k], 0)
  const visits = sum('visits')
  return {
    visitors,
    visits,
    pageviews: sum('pageviews'),
    bounce_rate: visits === 0 ? 0 : Math.round((sum('bounces') / visits) * 100),
    visit_duration: visits === 0 ? 0 : Math.round(sum('duration_sum') / visits),
  }
}

export class DailyStats {
  constructor(private readonly db: Db) {}

  /** Page views and unique visitors (daily_stats), visits, bounces and duration per day. */
  private async byDay(q: DayRange): Promise<Map<string, DayFigures>> {
    const traffic = await this.db.query<{ day: string; visitors: string; pageviews: string }>(
      `SELECT day, uniqCombinedMerge(15)(visitors) AS visitors, sum(pageviews) AS pageviews FROM daily_stats WHERE ${RANGE} GROUP BY day`,
      q,
    )
    const visits = await this.db.query<{ day: string; visits: string; bounces: string; duration_sum: string }>(
      `SELECT day, sum(visits) AS visits, sum(bounces) AS bounces, sum(duration_sum) AS duration_sum FROM (
         SELECT day, visits, bounces, duration_sum FROM daily_visits FINAL WHERE ${RANGE}
         UNION ALL
         SELECT day, count() AS visits, countIf(pv = 1) AS bounces, toUInt64(sum(dur)) AS duration_sum FROM (${LIVE_VISITS}) GROUP BY day
       ) GROUP BY day`,
      q,
    )
    const out = new Map<string, DayFigures>()
    const at = (day: string) => out.get(day) ?? out.set(day, { day, visitors: 0, pageviews: 0, visits: 0, bounces: 0, duration_sum: 0 }).get(day)!
    for (const r of traffic) Object.assign(at(r.day), { visitors: Number(r.visitors), pageviews: Number(r.pageviews) })
    for (const r of visits) Object.assign(at(r.day), { visits: Number(r.visits), bounces: Number(r.bounces), duration_sum: Number(r.duration_sum) })
    return out
  }

  async summary(q: DayRange): Promise<Summary> {
    const days = await this.byDay(q)
    // Unique visitors of the range: the daily uniq states merged, not the days added up.
    const [v] = await this.db.query<{ visitors: string }>(`SELECT uniqCombinedMerge(15)(visitors) AS visitors FROM daily_stats WHERE ${RANGE}`, q)
    return figures([...days.values()], Number(v?.visitors ?? 0))
  }

  async timeseries(q: DayRange): Promise<TimeseriesPoint[]> {
    const days = await this.byDay(q)
    const out: TimeseriesPoint[] = []
    for (let d = Date.parse(`${q.from}T00:00:00Z`); d <= Date.parse(`${q.to}T00:00:00Z`); d += 86_400_000) {
      const date = isoDay(new Date(d))
      const f = days.get(date)
      out.push({ date, ...figures(f ? [f] : [], f?.visitors ?? 0) })
    }
    return out
  }

  /**
   * A ranked list from daily_breakdown: `kind` is page, referrer, browser, ...
   * Pages are ranked by page views and carry no visits figure; everything else is
   * ranked by visitors.
   *
   * Why pages differ: merging every page's visitor states took 75 ms on 10 million
   * page views, a sum of page views 7 ms; so the top pages are found first and only
   * their states merged (docs/performance.md, "Pages are ranked by page views").
   */
  async breakdown(kind: string, q: DayRange): Promise<BreakdownRow[]> {
    const where = `kind = {kind:String} AND ${RANGE}`
    if (kind === 'page') {
      const rows = await this.db.query<{ name: string; visitors: string; pageviews: string }>(
        `SELECT value AS name, uniqCombinedMerge(12)(visitors) AS visitors, sum(pageviews) AS pageviews
         FROM daily_breakdown
         WHERE ${where} AND value IN (SELECT value FROM daily_breakdown WHERE ${where} GROUP BY value ORDER BY sum(pageviews) DESC, value ASC LIMIT {limit:UInt32})
         GROUP BY value ORDER BY pageviews DESC, name ASC`,
        { ...q, kind },
      )
      return rows.map((r) => ({ name: r.name, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }))
    }
    const rows = await this.db.query<{ name: string; visitors: string; visits: string; pageviews: string; events: string }>(
      `SELECT value AS name, uniqCombinedMerge(12)(visitors) AS visitors, uniqCombinedMerge(12)(visits) AS visits,
              sum(pageviews) AS pageviews, sum(events) AS events
       FROM daily_breakdown WHERE ${where}
       GROUP BY value ORDER BY visitors DESC, pageviews DESC, name ASC LIMIT {limit:UInt32}`,
      { ...q, kind },
    )
    return rows.map((r) => ({ name: r.name, visitors: Number(r.visitors), visits: Number(r.visits), pageviews: Number(r.pageviews), events: Number(r.events) }))
  }

  async entryPages(q: DayRange): Promise<EntryPageRow[]> {
    const rows = await this.db.query<{ name: string; visitors: number; visits: number; bounces: number }>(
      `SELECT page AS name, uniqCombinedMerge(12)(visitors) AS visitors, sum(visits) AS visits, sum(bounces) AS bounces FROM (
         SELECT page, visitors, visits, bounces FROM daily_entry_pages WHERE ${RANGE}
         UNION ALL
         SELECT entry AS page, uniqCombinedState(12)(vid) AS visitors, count() AS visits, countIf(pv = 1) AS bounces FROM (${LIVE_VISITS}) GROUP BY entry
       ) GROUP BY page ORDER BY visits DESC, name ASC LIMIT {limit:UInt32}`,
      q,
    )
    return rows.map((r) => ({
      name: r.name,
      visitors: Number(r.visitors),
      visits: Number(r.visits),
      bounce_rate: Math.round((Number(r.bounces) / Math.max(1, Number(r.visits))) * 100),
    }))
  }
}
