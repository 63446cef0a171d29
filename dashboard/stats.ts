// The stats API the dashboard reads. Every figure comes from the aggregate tables
// (daily_stats, sessions, daily_breakdown), never from a scan of raw events.
import { type Request, Router } from 'express'
import { z } from 'zod'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import type { Sites } from '../lib/sites.ts'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const isoDay = (d: Date) => d.toISOString().slice(0, 10)
const validDay = (s: string) => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && isoDay(new Date(`${s}T00:00:00Z`)) === s
// About three years: aggregates are kept 25 months, and a longer range is almost surely a typo.
const MAX_RANGE_DAYS = 1100

const Range = z.object({
  site: z.string({ message: 'site is required' }).min(1, 'site is required').max(253),
  from: z.string().refine(validDay, 'from must be a date as YYYY-MM-DD').optional(),
  to: z.string().refine(validDay, 'to must be a date as YYYY-MM-DD').optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'limit must be a number from 1 to 1000')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, 'limit must be a number from 1 to 1000')
    .optional(),
  by: z.enum(['source', 'medium', 'campaign'], { message: 'by must be source, medium or campaign' }).optional(),
})

export interface RangeQuery {
  site: string
  from: string
  to: string
  limit: number
}

/** Parses ?site=&from=&to= (inclusive, UTC days; default the last 30 days). */
export function parseRange(req: Request, sites: Sites): RangeQuery & { by: 'source' | 'medium' | 'campaign' } {
  const r = Range.safeParse(req.query)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new HttpError(400, issue?.message ?? 'invalid parameters', String(issue?.path[0] ?? ''))
  }
  const q = r.data
  if (!sites.has(q.site)) throw new HttpError(404, `site "${q.site}" is not registered`, 'site')
  const to = q.to ?? isoDay(new Date())
  const from = q.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000))
  if (from > to) throw new HttpError(400, 'from must not be after to', 'from')
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw new HttpError(400, `the range may span at most ${MAX_RANGE_DAYS} days`, 'from')
  return { site: q.site, from, to, limit: q.limit ?? 100, by: q.by ?? 'campaign' }
}

const RANGE = 'site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}'
// One row per visit and day; a visit of one page view is a bounce.
const VISITS = `SELECT day, sid, any(vid) AS vid, sum(pageviews) AS pv,
  dateDiff('second', min(started), max(ended)) AS dur, argMinMerge(entry_page) AS entry
  FROM sessions WHERE ${RANGE} GROUP BY day, sid`

export interface Summary {
  visitors: number
  visits: number
  pageviews: number
  bounce_rate: number
  visit_duration: number
}

export class StatsQueries {
  constructor(private readonly db: Db) {}

  async summary(q: RangeQuery): Promise<Summary> {
    const [traffic] = await this.db.query<{ visitors: number; pageviews: number }>(
      `SELECT uniqMerge(visitors) AS visitors, sum(pageviews) AS pageviews FROM daily_stats WHERE ${RANGE}`,
      q,
    )
    const [visits] = await this.db.query<{ visits: number; bounces: number; duration: number }>(
      `SELECT count() AS visits, countIf(pv = 1) AS bounces, ifNotFinite(avg(dur), 0) AS duration FROM (SELECT pv, dur FROM (${VISITS}))`,
      q,
    )
    const v = Number(visits?.visits ?? 0)
    return {
      visitors: Number(traffic?.visitors ?? 0),
      visits: v,
      pageviews: Number(traffic?.pageviews ?? 0),
      bounce_rate: v === 0 ? 0 : Math.round((Number(visits?.bounces ?? 0) / v) * 100),
      visit_duration: Math.round(Number(visits?.duration ?? 0)),
    }
  }

  async timeseries(q: RangeQuery): Promise<Array<Summary & { date: string }>> {
    const traffic = await this.db.query<{ day: string; visitors: number; pageviews: number }>(
      `SELECT day, uniqMerge(visitors) AS visitors, sum(pageviews) AS pageviews FROM daily_stats WHERE ${RANGE} GROUP BY day`,
      q,
    )
    const visits = await this.db.query<{ day: string; visits: number; bounces: number; duration: number }>(
      `SELECT day, count() AS visits, countIf(pv = 1) AS bounces, avg(dur) AS duration FROM (${VISITS}) GROUP BY day`,
      q,
    )
    const t = new Map(traffic.map((r) => [r.day, r]))
    const s = new Map(visits.map((r) => [r.day, r]))
    const out: Array<Summary & { date: string }> = []
    for (let d = Date.parse(`${q.from}T00:00:00Z`); d <= Date.parse(`${q.to}T00:00:00Z`); d += 86_400_000) {
      const date = isoDay(new Date(d))
      const tr = t.get(date)
      const se = s.get(date)
      const n = Number(se?.visits ?? 0)
      out.push({
        date,
        visitors: Number(tr?.visitors ?? 0),
        visits: n,
        pageviews: Number(tr?.pageviews ?? 0),
        bounce_rate: n === 0 ? 0 : Math.round((Number(se?.bounces ?? 0) / n) * 100),
        visit_duration: n === 0 ? 0 : Math.round(Number(se?.duration ?? 0)),
      })
    }
    return out
  }

  /** A ranked list from daily_breakdown: `kind` is page, referrer, browser, ... */
  async breakdown(kind: string, q: RangeQuery): Promise<Array<{ name: string; visitors: number; visits: number; pageviews: number; events: number }>> {
    const rows = await this.db.query<{ name: string; visitors: number; visits: number; pageviews: number; events: number }>(
      `SELECT value AS name, uniqMerge(visitors) AS visitors, uniqMerge(visits) AS visits,
              sum(pageviews) AS pageviews, sum(events) AS events
       FROM daily_breakdown WHERE kind = {kind:String} AND ${RANGE}
       GROUP BY value ORDER BY visitors DESC, pageviews DESC, name ASC LIMIT {limit:UInt32}`,
      { ...q, kind },
    )
    return rows.map((r) => ({ name: r.name, visitors: Number(r.visitors), visits: Number(r.visits), pageviews: Number(r.pageviews), events: Number(r.events) }))
  }

  async entryPages(q: RangeQuery): Promise<Array<{ name: string; visitors: number; visits: number; bounce_rate: number }>> {
    const rows = await this.db.query<{ name: string; visitors: number; visits: number; bounces: number }>(
      `SELECT entry AS name, uniqExact(vid) AS visitors, count() AS visits, countIf(pv = 1) AS bounces
       FROM (${VISITS}) GROUP BY entry ORDER BY visits DESC, name ASC LIMIT {limit:UInt32}`,
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

/** Report name in the URL → breakdown kind in daily_breakdown. */
const BREAKDOWNS: Record<string, string> = {
  pages: 'page',
  referrers: 'referrer',
  browsers: 'browser',
  os: 'os',
  devices: 'device',
  countries: 'country',
  events: 'event',
}

export function statsRouter(deps: { db: Db; sites: Sites }): Router {
  const r = Router()
  const stats = new StatsQueries(deps.db)
  const range = (req: Request) => parseRange(req, deps.sites)

  r.get('/api/sites', (_req, res) => void res.json({ sites: deps.sites.list() }))
  r.get('/api/stats/summary', async (req, res) => {
    const q = range(req)
    res.json({ site: q.site, from: q.from, to: q.to, ...(await stats.summary(q)) })
  })
  r.get('/api/stats/timeseries', async (req, res) => {
    const q = range(req)
    res.json({ site: q.site, from: q.from, to: q.to, results: await stats.timeseries(q) })
  })
  r.get('/api/stats/entry-pages', async (req, res) => {
    const q = range(req)
    res.json({ site: q.site, from: q.from, to: q.to, results: await stats.entryPages(q) })
  })
  r.get('/api/stats/utm', async (req, res) => {
    const q = range(req)
    res.json({ site: q.site, from: q.from, to: q.to, by: q.by, results: await stats.breakdown(`utm_${q.by}`, q) })
  })
  r.get('/api/stats/:report', async (req, res) => {
    const kind = BREAKDOWNS[req.params.report as string]
    if (!kind) throw new HttpError(404, `unknown report "${String(req.params.report).slice(0, 50)}"; one of summary, timeseries, entry-pages, utm, ${Object.keys(BREAKDOWNS).join(', ')}`)
    const q = range(req)
    res.json({ site: q.site, from: q.from, to: q.to, results: await stats.breakdown(kind, q) })
  })
  return r
}
