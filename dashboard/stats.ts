// The stats API the dashboard reads. Every figure comes from visit rows (one per visit
// and UTC day, aggregates/visits.ts): the `visits` table for days the rollup job has
// finished, the raw events of the other days (normally today) grouped the same way.
// A visit row carries everything a filter asks about, so any combination of filters is
// a WHERE clause, and the site's time zone is applied when the rows are read.
import { type Request, Router } from 'express'
import { z } from 'zod'
import type { Config } from '../lib/config.ts'
import { chTime, type Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { limitParam, parseOr400 } from '../lib/validate.ts'
import type { Sites } from '../lib/sites.ts'
import { addDays, isoDay, localDay, localHour, startOfLocalDay, utcSpan } from '../lib/timezone.ts'
import { buildRanges, rangeKey, rangeRows, SUM_COLUMNS } from '../aggregates/ranges.ts'
import { SUMMED_DAYS } from '../aggregates/totals.ts'
import { eventVisitRows, type Known, knownRows, type VisitColumn, visitRowsOf } from '../aggregates/visits.ts'
import { DROP_REASONS, type DropReason } from '../collector/pipeline.ts'
import { filterSql, parseFilters, type FilterSql } from './filters.ts'
import { DailyStats } from './daily-stats.ts'
import { byKindAndMatch, GOALS_OF_SITE, goalCondition, listGoals } from './goals.ts'
import {
  type Breakdown,
  type BreakdownRow,
  DIRECT_NONE,
  type DroppedReason,
  type DroppedStats,
  type EntryPageRow,
  type EntryPages,
  type ExitPageRow,
  type ExitPages,
  type Filter,
  type Goal,
  type GoalPropRow,
  type GoalProps,
  type GoalRow,
  type GoalStats,
  type Interval,
  type RangeSummary,
  type Realtime,
  type SiteList,
  type StatsRange,
  type Summary,
  type Timeseries,
  type TimeseriesPoint,
  type UtmBreakdown,
} from '../lib/api-types.ts'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const validDay = (s: string) => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && isoDay(new Date(`${s}T00:00:00Z`)) === s
// About three years: a longer range is almost surely a typo.
const MAX_RANGE_DAYS = 1100
// Hourly buckets: 7 days are 168 points, what a chart can show.
const MAX_HOURLY_DAYS = 7

const UTM_BY = ['source', 'medium', 'campaign', 'content', 'term'] as const

const rangeOf = (maxLimit: number) =>
  z.object({
    site: z.string({ message: 'site is required' }).min(1, 'site is required').max(253),
    from: z.string().refine(validDay, 'from must be a date as YYYY-MM-DD').optional(),
    to: z.string().refine(validDay, 'to must be a date as YYYY-MM-DD').optional(),
    limit: limitParam(maxLimit),
    by: z.enum(UTM_BY, { message: `by must be one of ${UTM_BY.join(', ')}` }).optional(),
    interval: z.enum(['hour', 'day', 'week', 'month'], { message: 'interval must be hour, day, week or month' }).optional(),
  })
const RANGE_LIMIT = 1000
const Range = rangeOf(RANGE_LIMIT)

export interface RangeQuery {
  site: string
  /** Local days of the site's time zone, inclusive. */
  from: string
  to: string
  timezone: string
  limit: number
  filters: Filter[]
}

export type StatsQuery = RangeQuery & { by: (typeof UTM_BY)[number]; interval: Interval | null }

/** Parses ?site=&from=&to=&filters= (inclusive local days of the site; default the last 30 days); `maxLimit` for lists with a lower bound. */
export function parseRange(req: Request, sites: Sites, maxLimit = RANGE_LIMIT): StatsQuery {
  const { filters: rawFilters, ...rest } = req.query
  const q = parseOr400(maxLimit === RANGE_LIMIT ? Range : rangeOf(maxLimit), rest, 'query')
  const filters = parseFilters(rawFilters)
  const site = sites.registered(q.site)
  const timezone = sites.timezone(site)
  const to = q.to ?? localDay(timezone)
  const from = q.from ?? addDays(to, -29)
  if (from > to) throw new HttpError(400, 'from must not be after to', 'from')
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1
  if (days > MAX_RANGE_DAYS) throw new HttpError(400, `the range may span at most ${MAX_RANGE_DAYS} days`, 'from')
  if (q.interval === 'hour' && days > MAX_HOURLY_DAYS)
    throw new HttpError(400, `interval=hour is for ranges of up to ${MAX_HOURLY_DAYS} days; this one has ${days}`, 'interval')
  return { site, from, to, timezone, limit: q.limit ?? 100, filters, by: q.by ?? 'campaign', interval: q.interval ?? null }
}

const echo = (q: RangeQuery): StatsRange => ({ site: q.site, from: q.from, to: q.to, timezone: q.timezone, filters: q.filters })

// Visits starting in the local range: the UTC days it overlaps, cut exactly by the
// visit's start (a UTC site reads no day on either side).
const IN_RANGE = 'start >= {t0:DateTime64(3)} AND start < {t1:DateTime64(3)}'

interface Prepared {
  /** The visit rows of the range that match the filters, as a subquery. */
  visits: string
  f: FilterSql
  params: Record<string, unknown>
}

/**
 * How prepare reads the visit rows of a range. `extra`: one more condition on them; `known`: what was read
 * already (visitRowsOf); `fromEvents`: all grouped from the raw events; `companies`: company
 * visits with their company_id; `only`: these columns only.
 */
interface PrepareOptions {
  extra?: string
  known?: Known
  fromEvents?: boolean
  companies?: boolean
  only?: readonly VisitColumn[]
}

async function prepare(db: Db, q: RangeQuery, { extra, known, fromEvents, companies, only }: PrepareOptions = {}): Promise<Prepared> {
  const f = filterSql(q.filters)
  const [d0, d1] = utcSpan(q.from, q.to, q.timezone)
  const where = `${IN_RANGE} AND ${f.where}${extra ? ` AND ${extra}` : ''}`
  const rows = fromEvents ? eventVisitRows(q.site, d0, d1, where, companies) : await visitRowsOf(db, q.site, d0, d1, where, known, companies, only)
  const params = {
    ...rows.params,
    d0,
    d1,
    tz: q.timezone,
    t0: chTime(startOfLocalDay(q.from, q.timezone)),
    t1: chTime(startOfLocalDay(addDays(q.to, 1), q.timezone)),
    limit: q.limit,
    ...f.params,
  }
  return { visits: rows.sql, f, params }
}

/**
 * A range without filters, split: the local days summed in visit_totals in the site's
 * zone (`T`, a condition on that table naming their current generations), and the visit
 * rows of the other days (`rest`; normally today, and yesterday until its UTC days are
 * whole). Null when no day of the range is summed: then all of it is visit rows.
 */
interface Split {
  T: string
  rest: Prepared | null
  params: Record<string, unknown>
  /** The dims whose rows are whole in visit_totals_ranges under the range's key ({rk} of params). */
  ranged: Set<string>
}

interface SplitResult {
  split: Split | null
  /** What was read on the way that serves `prepare` (the cutoffs, today's visits active since). */
  known?: Known
  /** The site's goals, when asked for and read. */
  goals?: Goal[]
}

/** `split` null: nothing summed. `withGoals`: the site's goals too, in the same round trip (a query costs 4-6 ms). */
async function split(db: Db, q: RangeQuery, uses: readonly VisitColumn[], withGoals = false): Promise<SplitResult> {
  if (q.filters.length > 0) return { split: null }
  const [d0, d1] = utcSpan(q.from, q.to, q.timezone)
  const k = knownRows(q.site, d0, d1)
  // One round trip: the summed days, the ranges summed whole (their markers), what the
  // rest's visit rows need known (the cutoffs, today's visits active since), the goals.
  const found = await db.query<{ k: string; d: string; v: string }>(
    `SELECT 'gen' AS k, d, g AS v FROM (${SUMMED_DAYS})
     UNION ALL SELECT 'ranged', dim, toString(range_key) FROM visit_totals_ranges WHERE site = {site:String} AND marker = 1
     UNION ALL ${k.sql}
     ${withGoals ? `UNION ALL SELECT 'goal', concat(kind, ' ', id), match FROM (${GOALS_OF_SITE})` : ''}`,
    { ...k.params, tz: q.timezone, from: q.from, to: q.to },
  )
  const summed = found.filter((r) => r.k === 'gen').map((r) => ({ day: r.d, gen: r.v }))
  const key = rangeKey(q.site, summed)
  const ranged = new Set(found.filter((r) => r.k === 'ranged' && r.v === key).map((r) => r.d))
  const known = k.of(found)
  const goals = withGoals
    ? found
        .filter((r) => r.k === 'goal')
        .map((r) => {
          const [kind, id] = r.d.split(' ') as [Goal['kind'], string]
          return { id, kind, match: r.v }
        })
        .sort(byKindAndMatch)
    : undefined
  if (summed.length === 0) return { split: null, known, goals }
  const done = new Set(summed.map((d) => d.day))
  const left: string[] = []
  for (let d = q.from; d <= q.to; d = addDays(d, 1)) if (!done.has(d)) left.push(d)
  let rest: Prepared | null = null
  if (left.length) {
    const from = left[0]!
    const to = left[left.length - 1]!
    // Summed days between the first and last day left (a gap the job has not filled) are left out.
    const inside = summed.filter((d) => d.day > from && d.day < to).map((d) => d.day)
    // Only the columns the caller reads, and `start` that the range is cut by.
    rest = await prepare(
      db,
      { ...q, from, to },
      {
        extra: inside.length ? 'toDate(start, {tz:String}) NOT IN {inside:Array(Date)}' : '',
        known,
        only: [...new Set<VisitColumn>(['start', ...uses])],
      },
    )
    rest.params.inside = inside
  }
  return {
    split: {
      T: 'site = {site:String} AND day BETWEEN {tf:Date} AND {tt:Date} AND gen IN {gens:Array(UInt64)}',
      rest,
      params: { ...rest?.params, site: q.site, tz: q.timezone, limit: q.limit, tf: q.from, tt: q.to, gens: summed.map((d) => Number(d.gen)), rk: key },
      ranged,
    },
    goals,
  }
}

/** The summed rows of one dimension (as valueRows), from the range's sums when they are whole. */
function summedRows(s: Split, dim: string, where: string): string {
  return s.ranged.has(dim) ? rangeRows(dim, where) : `SELECT ${SUM_COLUMNS} FROM visit_totals WHERE ${s.T} AND dim = '${dim}'${where ? ` AND ${where}` : ''}`
}

/**
 * Rows (name, v: visitors sketch(12), n: visits, pv, b: bounces, d: seconds, h: hits) of
 * one dimension from a split range: its summed rows and the same sums over the rest's
 * visit rows. `value` is the rest's expression for the value, `join` an ARRAY JOIN.
 */
function valueRows(s: Split, dim: string, value: string, opts: { join?: string; hits?: string; skipEmpty?: boolean; where?: string } = {}): string {
  const where = [opts.skipEmpty ? "name != ''" : '', opts.where ?? ''].filter(Boolean).join(' AND ')
  const summed = summedRows(s, dim, where)
  if (!s.rest) return summed
  return `${summed}
    UNION ALL
    SELECT toString(${value}) AS name, uniqCombinedState(12)(visitor), count(), sum(pageviews), countIf(pageviews = 1), sum(duration), ${opts.hits ?? 'toUInt64(0)'}
    FROM (${s.rest.visits}) ${opts.join ?? ''} GROUP BY name ${where ? `HAVING ${where}` : ''}`
}

/** The `limit` names of `rows` with the most visits (sum of n), ties by name: a list ranked so need merge only their sketches. */
const TOP_BY_VISITS = (rows: string) => `name IN (SELECT name FROM (${rows}) GROUP BY name ORDER BY sum(n) DESC, name ASC LIMIT {limit:UInt32})`

/** TOP_BY_VISITS unless the dim's rows are the range's sums (one sketch per value: cheaper to merge all than to read the rest twice). */
const topByVisits = (s: Split, dim: string, rows: string) => (s.ranged.has(dim) ? '1' : TOP_BY_VISITS(rows))

/** Rows (day, s: visitors sketch(15), n, pv, b, d) per local day of a split range. */
function dayRows(s: Split): string {
  const summed = `SELECT day, day_visitors AS s, visits AS n, pageviews AS pv, bounces AS b, duration AS d FROM visit_totals WHERE ${s.T} AND dim = ''`
  if (!s.rest) return summed
  return `${summed}
    UNION ALL
    SELECT toDate(start, {tz:String}) AS day, uniqCombinedState(15)(visitor), count(), sum(pageviews), countIf(pageviews = 1), sum(duration)
    FROM (${s.rest.visits}) GROUP BY day`
}

/** The columns of a visit row that valueRows and dayRows read. */
const FIGURE_COLUMNS: readonly VisitColumn[] = ['visitor', 'pageviews', 'duration']

/** Empty visitors sketches, for rows that have none. */
const NO_VISITORS_12 = "arrayReduce('uniqCombinedState(12)', emptyArrayUInt64())"
const NO_VISITORS_15 = "arrayReduce('uniqCombinedState(15)', emptyArrayUInt64())"

const MERGED_FIGURES = (precision: 12 | 15, sketch: string) =>
  `uniqCombinedMerge(${precision})(${sketch}) AS visitors, sum(n) AS visits, sum(pv) AS views, sum(b) AS bounces, sum(d) AS seconds`

/** Page views of a visit row that count: all, or those of pages the page filters match. */
const pageviewsOf = (f: FilterSql) => (f.page ? `arrayCount(p -> ${f.page('p')}, pages)` : 'pageviews')

// The figures of a group of visit rows. Visitors: uniqCombined(15) of a hash of the
// visitor id, exact to about 500, then within about 1% (docs/api.md).
// (Output names differ from the columns: an alias `pageviews` would shadow the column in countIf.)
const FIGURES = (f: FilterSql) => `uniqCombined(15)(visitor) AS visitors, count() AS visits, sum(${pageviewsOf(f)}) AS views,
  countIf(pageviews = 1) AS bounces, sum(duration) AS seconds`

interface FigureRow {
  visitors: string
  visits: string
  views: string
  bounces: string
  seconds: string
}

function figures(r: FigureRow | undefined): Summary {
  const visits = Number(r?.visits ?? 0)
  return {
    visitors: Number(r?.visitors ?? 0),
    visits,
    pageviews: Number(r?.views ?? 0),
    bounce_rate: visits === 0 ? 0 : Math.round((Number(r?.bounces ?? 0) / visits) * 100),
    visit_duration: visits === 0 ? 0 : Math.round(Number(r?.seconds ?? 0) / visits),
  }
}

/** Which dimension a breakdown groups by; `folded`: spellings merged case-insensitively. */
interface Dimension {
  column: VisitColumn
  folded?: boolean
  /** Rows with '' are left out, except sources (Direct / None). */
  keepEmpty?: string
}

const DIMENSIONS: Record<string, Dimension> = {
  sources: { column: 'source', folded: true, keepEmpty: DIRECT_NONE },
  referrers: { column: 'referrer' },
  browsers: { column: 'browser' },
  os: { column: 'os' },
  devices: { column: 'device' },
  countries: { column: 'country' },
  'utm:source': { column: 'utm_source', folded: true },
  'utm:medium': { column: 'utm_medium', folded: true },
  'utm:campaign': { column: 'utm_campaign', folded: true },
  'utm:content': { column: 'utm_content', folded: true },
  'utm:term': { column: 'utm_term', folded: true },
}

export class StatsQueries {
  /**
   * `fromEvents`: every answer grouped from the raw events, as if nothing were rolled up
   * or summed: the same question asked of the `events` table (the bench's baseline).
   */
  constructor(
    private readonly db: Db,
    private readonly opts: { fromEvents?: boolean } = {},
  ) {}

  /** `uses`: the columns of the rest's visit rows the caller reads. */
  private split(q: RangeQuery, uses: readonly VisitColumn[], withGoals = false): Promise<SplitResult> {
    return this.opts.fromEvents ? Promise.resolve({ split: null }) : split(this.db, q, uses, withGoals)
  }

  private prepare(q: RangeQuery, extra = '', known?: Known): Promise<Prepared> {
    return prepare(this.db, q, { extra, known, fromEvents: this.opts.fromEvents })
  }

  /** The split with `dims` summed over its range: built now if they are not yet (and the site has room). */
  private async ranged(s: Split, dims: readonly string[]): Promise<Split> {
    const site = String(s.params.site)
    const key = String(s.params.rk)
    const missing = dims.filter((d) => !s.ranged.has(d))
    if (!missing.length) return s
    // Still the site's summed days: no day was summed again while the range was built.
    const current = async () => {
      const days = await this.db.query<{ d: string; g: string }>(SUMMED_DAYS, { site, tz: s.params.tz, from: s.params.tf, to: s.params.tt })
      return (
        rangeKey(
          site,
          days.map((r) => ({ day: r.d, gen: r.g })),
        ) === key
      )
    }
    if (await buildRanges(this.db, site, key, s.T, s.params, missing, current)) for (const d of missing) s.ranged.add(d)
    return s
  }

  async summary(q: RangeQuery): Promise<Summary> {
    const { split: s, known } = await this.split(q, FIGURE_COLUMNS)
    if (s) {
      const [r] = await this.db.query<FigureRow>(`SELECT ${MERGED_FIGURES(15, 's')} FROM (${dayRows(s)})`, s.params)
      return figures(r)
    }
    const p = await this.prepare(q, '', known)
    const [r] = await this.db.query<FigureRow>(`SELECT ${FIGURES(p.f)} FROM (${p.visits})`, p.params)
    return figures(r)
  }

  /** Every bucket of the range, in the site's time zone; hours up to 7 days. */
  async timeseries(q: RangeQuery, interval: Interval): Promise<TimeseriesPoint[]> {
    const { split: s, known } = interval === 'hour' ? { split: null, known: undefined } : await this.split(q, FIGURE_COLUMNS)
    if (s) {
      const bucket = { day: 'toString(day)', week: 'toString(toMonday(day))', month: 'toString(toStartOfMonth(day))' }[interval as 'day' | 'week' | 'month']
      const rows = await this.db.query<FigureRow & { date: string }>(
        `SELECT ${bucket} AS date, ${MERGED_FIGURES(15, 's')} FROM (${dayRows(s)}) GROUP BY date`,
        s.params,
      )
      const byDate = new Map(rows.map((r) => [r.date, r]))
      return buckets(q, interval).map((date) => ({ date, ...figures(byDate.get(date)) }))
    }
    const p = await this.prepare(q, '', known)
    const bucket = {
      hour: `formatDateTime(toStartOfHour(start, {tz:String}), '%Y-%m-%d %H:00', {tz:String})`,
      day: 'toString(toDate(start, {tz:String}))',
      week: 'toString(toMonday(start, {tz:String}))',
      month: 'toString(toStartOfMonth(start, {tz:String}))',
    }[interval]
    const rows = await this.db.query<FigureRow & { date: string }>(`SELECT ${bucket} AS date, ${FIGURES(p.f)} FROM (${p.visits}) GROUP BY date`, p.params)
    const byDate = new Map(rows.map((r) => [r.date, r]))
    return buckets(q, interval).map((date) => ({ date, ...figures(byDate.get(date)) }))
  }

  /** A ranked list of one visit attribute, by visitors. */
  async breakdown(name: string, q: RangeQuery): Promise<BreakdownRow[]> {
    const dim = DIMENSIONS[name]
    if (!dim) throw new Error(`no breakdown ${name}`)
    // Spellings merged: the most common one names the row.
    const label = dim.keepEmpty === undefined ? 'argMax(spelling, n)' : `if(k = '', {empty:String}, argMax(spelling, n))`
    const { split: s, known } = await this.split(q, [...FIGURE_COLUMNS, dim.column])
    if (s) {
      await this.ranged(s, [dim.column])
      const rows = await this.db.query<FigureRow & { name: string }>(
        `SELECT ${label} AS name, ${MERGED_FIGURES(12, 'v')}
         FROM (
           SELECT ${dim.folded ? 'lower(name)' : 'name'} AS k, name AS spelling, uniqCombinedMergeState(12)(v) AS v, sum(n) AS n,
                  sum(pv) AS pv, sum(b) AS b, sum(d) AS d
           FROM (${valueRows(s, dim.column, dim.column, { skipEmpty: dim.keepEmpty === undefined })}) GROUP BY name
         ) GROUP BY k ORDER BY visitors DESC, views DESC, name ASC LIMIT {limit:UInt32}`,
        { ...s.params, empty: dim.keepEmpty ?? '' },
      )
      return rows.map((r) => ({ name: r.name, ...figures(r) }))
    }
    const p = await this.prepare(q, dim.keepEmpty === undefined ? `${dim.column} != ''` : '', known)
    const key = dim.folded ? `lower(${dim.column})` : dim.column
    const rows = await this.db.query<FigureRow & { name: string }>(
      `SELECT ${label} AS name, uniqCombinedMerge(12)(v) AS visitors, sum(n) AS visits, sum(pv) AS views,
              sum(b) AS bounces, sum(d) AS seconds
       FROM (
         SELECT ${key} AS k, ${dim.column} AS spelling, uniqCombinedState(12)(visitor) AS v, count() AS n,
                sum(${pageviewsOf(p.f)}) AS pv, countIf(pageviews = 1) AS b, sum(duration) AS d
         FROM (${p.visits}) GROUP BY k, spelling
       ) GROUP BY k ORDER BY visitors DESC, views DESC, name ASC LIMIT {limit:UInt32}`,
      { ...p.params, empty: dim.keepEmpty ?? '' },
    )
    return rows.map((r) => ({ name: r.name, ...figures(r) }))
  }

  /** Pages by visitors: visits that saw the page, and its page views (only pages the page filters match). */
  async pages(q: RangeQuery): Promise<BreakdownRow[]> {
    const { split: s, known } = await this.split(q, [...FIGURE_COLUMNS, 'pages'])
    if (s) {
      await this.ranged(s, ['page'])
      const rows = await this.db.query<{ name: string; visitors: string; pageviews: string }>(
        `SELECT name, uniqCombinedMerge(12)(v) AS visitors, sum(h) AS pageviews
         FROM (${valueRows(s, 'page', 'page', { join: 'ARRAY JOIN pages AS page', hits: 'count()' })})
         GROUP BY name ORDER BY visitors DESC, pageviews DESC, name ASC LIMIT {limit:UInt32}`,
        s.params,
      )
      return rows.map((r) => ({ name: r.name, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }))
    }
    const p = await this.prepare(q, '', known)
    const rows = await this.db.query<{ name: string; visitors: string; pageviews: string }>(
      `SELECT page AS name, uniqCombined(12)(visitor) AS visitors, count() AS pageviews
       FROM (${p.visits}) ARRAY JOIN pages AS page ${p.f.page ? `WHERE ${p.f.page('page')}` : ''}
       GROUP BY page ORDER BY visitors DESC, pageviews DESC, name ASC LIMIT {limit:UInt32}`,
      p.params,
    )
    return rows.map((r) => ({ name: r.name, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }))
  }

  /** Custom events: visitors and visits with the event, and how often it happened. */
  async events(q: RangeQuery): Promise<BreakdownRow[]> {
    const { split: s, known } = await this.split(q, [...FIGURE_COLUMNS, 'events'])
    if (s) {
      await this.ranged(s, ['event'])
      const rows = await this.db.query<FigureRow & { name: string; times: string }>(
        `SELECT name, ${MERGED_FIGURES(12, 'v')}, sum(h) AS times
         FROM (${valueRows(s, 'event', 'ev', { join: 'ARRAY JOIN arrayDistinct(events) AS ev', hits: 'sum(arrayCount(x -> x = ev, events))' })})
         GROUP BY name ORDER BY visitors DESC, times DESC, name ASC LIMIT {limit:UInt32}`,
        s.params,
      )
      return rows.map((r) => ({ name: r.name, ...figures(r), events: Number(r.times) }))
    }
    const p = await this.prepare(q, 'notEmpty(events)', known)
    const rows = await this.db.query<FigureRow & { name: string; times: string }>(
      `SELECT ev AS name, ${FIGURES(p.f)}, sum(arrayCount(x -> x = ev, events)) AS times
       FROM (${p.visits}) ARRAY JOIN arrayDistinct(events) AS ev ${p.f.event ? `WHERE ${p.f.event('ev')}` : ''}
       GROUP BY ev ORDER BY visitors DESC, times DESC, name ASC LIMIT {limit:UInt32}`,
      p.params,
    )
    return rows.map((r) => ({ name: r.name, ...figures(r), events: Number(r.times) }))
  }

  async entryPages(q: RangeQuery): Promise<EntryPageRow[]> {
    const { split: s, known } = await this.split(q, [...FIGURE_COLUMNS, 'entry_page'])
    if (s) await this.ranged(s, ['entry_page'])
    const entries = s ? valueRows(s, 'entry_page', 'entry_page') : ''
    const rows = s
      ? await this.db.query<FigureRow & { name: string }>(
          `SELECT name, ${MERGED_FIGURES(12, 'v')} FROM (${entries}) WHERE ${topByVisits(s, 'entry_page', entries)}
           GROUP BY name ORDER BY visits DESC, name ASC LIMIT {limit:UInt32}`,
          s.params,
        )
      : await this.entryPagesOfVisits(await this.prepare(q, '', known))
    return rows.map((r) => {
      const f = figures(r)
      return { name: r.name, visitors: f.visitors, visits: f.visits, bounce_rate: f.bounce_rate }
    })
  }

  private entryPagesOfVisits(p: Prepared) {
    return this.db.query<FigureRow & { name: string }>(
      `SELECT entry_page AS name, ${FIGURES(p.f)} FROM (${p.visits}) GROUP BY entry_page ORDER BY visits DESC, name ASC LIMIT {limit:UInt32}`,
      p.params,
    )
  }

  /** The page each visit ended on; exit rate = exits ÷ page views of that page. */
  async exitPages(q: RangeQuery): Promise<ExitPageRow[]> {
    const { split: s, known } = await this.split(q, [...FIGURE_COLUMNS, 'pages', 'exit_page'])
    if (s) await this.ranged(s, ['exit_page', 'page'])
    const rows = s
      ? await this.db.query<{ name: string; visitors: string; exits: string; pageviews: string }>(
          // Exit pages and page views of the summed days, and of the rest's visit rows in one
          // pass (each visit's pages, and its exit page), as in exitPagesOfVisits.
          `SELECT name, uniqCombinedMergeIf(12)(v, dim = 'exit_page') AS visitors, sumIf(n, dim = 'exit_page') AS exits, sum(h) AS pageviews
           FROM (
             SELECT 'exit_page' AS dim, name, v, n, toUInt64(0) AS h FROM (${summedRows(s, 'exit_page', '')})
             UNION ALL SELECT 'page', name, ${NO_VISITORS_12}, toUInt64(0), h FROM (${summedRows(s, 'page', '')})
             ${
               s.rest
                 ? `UNION ALL SELECT x.1 AS dim, toString(x.2) AS name, uniqCombinedStateIf(12)(visitor, dim = 'exit_page'), countIf(dim = 'exit_page'), countIf(dim = 'page')
                    FROM (${s.rest.visits}) ARRAY JOIN arrayPushBack(arrayMap(pg -> ('page', pg), pages), ('exit_page', exit_page)) AS x GROUP BY dim, name`
                 : ''
             }
           ) WHERE ${topByVisits(s, 'exit_page', valueRows(s, 'exit_page', 'exit_page'))}
           GROUP BY name HAVING exits > 0 ORDER BY exits DESC, name ASC LIMIT {limit:UInt32}`,
          s.params,
        )
      : await this.exitPagesOfVisits(await this.prepare(q, '', known))
    return rows.map((r) => ({
      name: r.name,
      visitors: Number(r.visitors),
      exits: Number(r.exits),
      pageviews: Number(r.pageviews),
      exit_rate: Number(r.pageviews) === 0 ? 0 : Math.round((Number(r.exits) / Number(r.pageviews)) * 100),
    }))
  }

  // One pass over the visit rows: each visit's pages (page views, flag 0) and its exit page (flag 1).
  private exitPagesOfVisits(p: Prepared) {
    return this.db.query<{ name: string; visitors: string; exits: string; pageviews: string }>(
      `SELECT x.1 AS name, uniqCombinedIf(12)(visitor, x.2 = 1) AS visitors, countIf(x.2 = 1) AS exits, countIf(x.2 = 0) AS pageviews
       FROM (${p.visits}) ARRAY JOIN arrayPushBack(arrayMap(pg -> (pg, 0), pages), (exit_page, 1)) AS x
       GROUP BY name HAVING exits > 0 ORDER BY exits DESC, name ASC LIMIT {limit:UInt32}`,
      p.params,
    )
  }

  /** Every goal of the site: unique and total conversions and the conversion rate. */
  async goals(q: RangeQuery): Promise<{ visitors: number; rows: GoalRow[] }> {
    const { split: s, known, goals: read } = await this.split(q, ['visitor', 'pages', 'events'], true)
    const goals = read ?? (await listGoals(this.db, q.site))
    if (s) return this.goalsOfTotals(s, goals)
    const p = await this.prepare(q, '', known)
    const params: Record<string, unknown> = { ...p.params }
    const cols = goals.map((g, i) => {
      const c = goalCondition(g, `g${i}`)
      params[`g${i}`] = c.param
      return `uniqCombinedIf(15)(visitor, ${c.visit}) AS u${i}, sum(${c.count}) AS t${i}`
    })
    const [r] = await this.db.query<Record<string, string>>(
      `SELECT uniqCombined(15)(visitor) AS visitors${cols.length ? `, ${cols.join(', ')}` : ''} FROM (${p.visits})`,
      params,
    )
    return goalRows(goals, r)
  }

  /**
   * Goals from a split range: a visitor converted on an event goal when its visits had the
   * event, on a page goal when they saw a matching page, so the sketches of the matching
   * values are merged; total conversions are the values' hits.
   */
  private async goalsOfTotals(s: Split, goals: Goal[]): Promise<{ visitors: number; rows: GoalRow[] }> {
    const params: Record<string, unknown> = { ...s.params }
    const conditions = goals.map((g, i) => {
      const gc = goalCondition(g, `g${i}`)
      params[`g${i}`] = gc.param
      return gc
    })
    const cols = conditions.map((gc, i) => {
      const c = `dim = '${goals[i]!.kind}' AND ${gc.value('name')}`
      return `uniqCombinedMergeIf(12)(v, ${c}) AS u${i}, sumIf(h, ${c}) AS t${i}`
    })
    // Only the day totals and the values some goal matches: their sketches are all that is merged.
    const any = (kind: 'event' | 'page', value = 'name') => {
      const tests = conditions.filter((_, i) => goals[i]!.kind === kind).map((gc) => gc.value(value))
      return tests.length ? `(${tests.join(' OR ')})` : '0'
    }
    // The rest's visit rows are read once: a row per visit (dim ''), per page view of a
    // page and per custom event some goal matches (picked before the rows are made).
    const rest = s.rest
      ? `UNION ALL
         SELECT x.1 AS dim, x.2 AS name, uniqCombinedStateIf(12)(visitor, dim != ''), uniqCombinedStateIf(15)(visitor, dim = ''),
                sum(if(dim = 'event', arrayCount(e -> e = name, events), 1))
         FROM (${s.rest.visits})
         ARRAY JOIN arrayConcat([('', '')], arrayMap(pg -> ('page', toString(pg)), arrayFilter(pg -> ${any('page', 'pg')}, pages)),
                                arrayMap(e -> ('event', toString(e)), arrayFilter(e -> ${any('event', 'e')}, arrayDistinct(events)))) AS x
         GROUP BY dim, name`
      : ''
    // The day totals, and the page and event values the goals match (summed over the range where they can be).
    const kinds = (['page', 'event'] as const).filter((k) => goals.some((g) => g.kind === k))
    await this.ranged(s, kinds)
    const values = kinds.map((k) => `UNION ALL SELECT '${k}', name, v, ${NO_VISITORS_15}, h FROM (${summedRows(s, k, any(k))})`)
    const [r] = await this.db.query<Record<string, string>>(
      `SELECT uniqCombinedMergeIf(15)(s, dim = '') AS visitors${cols.length ? `, ${cols.join(', ')}` : ''}
       FROM (SELECT '' AS dim, '' AS name, ${NO_VISITORS_12} AS v, day_visitors AS s, toUInt64(0) AS h FROM visit_totals WHERE ${s.T} AND dim = ''
             ${values.join('\n')}
             ${rest})`,
      params,
    )
    return goalRows(goals, r)
  }

  /** Values of one property of a custom-event goal's events, from the raw events of the matching visits. */
  async goalProps(q: RangeQuery, event: string, key: string): Promise<GoalPropRow[]> {
    const p = await this.prepare(q)
    const [all] = await this.db.query<{ visitors: string }>(`SELECT uniqCombined(15)(visitor) AS visitors FROM (${p.visits})`, p.params)
    const visitors = Number(all?.visitors ?? 0)
    const rows = await this.db.query<{ value: string; u: string; t: string }>(
      `SELECT if(props[{key:String}] = '', '(none)', props[{key:String}]) AS value, uniqCombined(15)(sipHash64(vid)) AS u, count() AS t
       FROM events
       WHERE site = {site:String} AND toDate(ts) BETWEEN {d0:Date} AND {d1:Date} AND ts >= {t0:DateTime64(3)} AND ts < {t1:DateTime64(3)}
         AND type = 'event' AND name = {event:String}
         ${q.filters.length ? `AND (toDate(ts), sid) IN (SELECT day, sid FROM (${p.visits}))` : ''}
       GROUP BY value ORDER BY u DESC, t DESC, value ASC LIMIT {limit:UInt32}`,
      { ...p.params, key, event },
    )
    return rows.map((r) => ({ name: r.value, unique_conversions: Number(r.u), total_conversions: Number(r.t), conversion_rate: rate(Number(r.u), visitors) }))
  }

  /** Visitors seen in the last 5 minutes (matching the filters). */
  async realtime(q: RangeQuery): Promise<number> {
    if (q.filters.length === 0) {
      const [row] = await this.db.query<{ visitors: string }>(
        `SELECT uniqExact(vid) AS visitors FROM events
         WHERE site = {site:String} AND toDate(ts) >= yesterday() AND ts > now64(3) - INTERVAL 5 MINUTE`,
        q,
      )
      return Number(row?.visitors ?? 0)
    }
    const today = localDay(q.timezone)
    const p = await this.prepare({ ...q, from: addDays(today, -1), to: today }, 'end > now64(3) - INTERVAL 5 MINUTE')
    const [row] = await this.db.query<{ visitors: string }>(`SELECT uniqExact(visitor) AS visitors FROM (${p.visits})`, p.params)
    return Number(row?.visitors ?? 0)
  }
}

/**
 * The company visits of the range that match the filters (visit rows with their
 * company_id), and the page views of each that count (for /api/companies; `fromEvents`
 * as StatsQueries').
 */
export async function matchingCompanyVisits(
  db: Db,
  q: RangeQuery,
  fromEvents = false,
): Promise<{ sql: string; pageviews: string; params: Record<string, unknown> }> {
  const p = await prepare(db, q, { fromEvents, companies: true })
  return { sql: p.visits, pageviews: pageviewsOf(p.f), params: p.params }
}

function goalRows(goals: Goal[], r: Record<string, string> | undefined): { visitors: number; rows: GoalRow[] } {
  const visitors = Number(r?.visitors ?? 0)
  const rows = goals.map((g, i) => {
    const unique = Number(r?.[`u${i}`] ?? 0)
    return { ...g, name: goalName(g), unique_conversions: unique, total_conversions: Number(r?.[`t${i}`] ?? 0), conversion_rate: rate(unique, visitors) }
  })
  rows.sort((a, b) => b.unique_conversions - a.unique_conversions || a.name.localeCompare(b.name))
  return { visitors, rows }
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10)

const goalName = (g: { kind: 'event' | 'page'; match: string }) => (g.kind === 'event' ? g.match : `Visit ${g.match}`)

/** The labels of every bucket of the range, as the SQL writes them. */
function buckets(q: RangeQuery, interval: Interval): string[] {
  const out: string[] = []
  if (interval === 'hour') {
    const end = startOfLocalDay(addDays(q.to, 1), q.timezone).getTime()
    for (let t = startOfLocalDay(q.from, q.timezone).getTime(); t < end; t += 3_600_000) {
      const h = localHour(q.timezone, new Date(t))
      // The hour repeated when clocks go back is one bucket, as in the SQL.
      if (out[out.length - 1] !== h) out.push(h)
    }
    return out
  }
  for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
    const date = new Date(`${d}T00:00:00Z`)
    const label = interval === 'day' ? d : interval === 'week' ? addDays(d, -((date.getUTCDay() + 6) % 7)) : `${d.slice(0, 8)}01`
    if (out[out.length - 1] !== label) out.push(label)
  }
  return out
}

// api-types.ts imports nothing, so it lists the reasons again: this fails the type check
// when the two lists differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const reasonsMatch: Same<DropReason, DroppedReason> = true
void reasonsMatch

/**
 * Events dropped in the range, per reason (sql/014): each collector process's rows of
 * a site, hour and reason are added up here, whether or not the table has merged them.
 * Reasons no longer in DROP_REASONS are left out. Hours are UTC hours.
 */
async function droppedStats(db: Db, q: RangeQuery): Promise<Pick<DroppedStats, 'total' | 'reasons'>> {
  const rows = await db.query<{ reason: string; n: string }>(
    `SELECT reason, sum(events) AS n FROM dropped_events
     WHERE site = {site:String} AND toDate(hour, {tz:String}) BETWEEN {from:Date} AND {to:Date}
     GROUP BY reason`,
    { site: q.site, from: q.from, to: q.to, tz: q.timezone },
  )
  const reasons = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DroppedReason, number>
  let total = 0
  for (const r of rows) {
    if (!(DROP_REASONS as readonly string[]).includes(r.reason)) continue
    reasons[r.reason as DroppedReason] = Number(r.n)
    total += Number(r.n)
  }
  return { total, reasons }
}

/** Report name in the URL → a breakdown of one visit attribute. */
const BREAKDOWNS = ['sources', 'referrers', 'browsers', 'os', 'devices', 'countries']

/** Legacy report names of DailyStats.breakdown (daily_breakdown's kinds). */
const DAILY_KINDS: Record<string, string> = {
  pages: 'page',
  referrers: 'referrer',
  browsers: 'browser',
  os: 'os',
  devices: 'device',
  countries: 'country',
  events: 'event',
  'utm:source': 'utm_source',
  'utm:medium': 'utm_medium',
  'utm:campaign': 'utm_campaign',
}

export function statsRouter(deps: { db: Db; sites: Sites; config: Pick<Config, 'rawRetentionDays'> }): Router {
  const r = Router()
  const stats = new StatsQueries(deps.db)
  const daily = new DailyStats(deps.db)
  // The first day whose visit rows are surely all kept (TTL: day + RAW_RETENTION_DAYS).
  const horizon = () => addDays(isoDay(new Date()), -(deps.config.rawRetentionDays - 2))
  /**
   * A range that starts before the horizon is answered from the daily aggregates, in UTC
   * days, when the report exists there and no filter or hourly bucket is asked for;
   * otherwise a 400 says why.
   */
  const longRange = (q: StatsQuery, report: string): StatsQuery | null => {
    const h = horizon()
    if (q.from >= h) return null
    const why = `visit rows, kept ${deps.config.rawRetentionDays} days (RAW_RETENTION_DAYS) from ${h} on; older days have daily totals only`
    if (q.filters.length) throw new HttpError(400, `filters need ${why}: start the range on ${h} or later`, 'filters')
    if (q.interval && q.interval !== 'day') throw new HttpError(400, `interval=${q.interval} needs ${why}: use interval=day`, 'interval')
    if (report !== 'summary' && report !== 'timeseries' && report !== 'entry-pages' && !DAILY_KINDS[report])
      throw new HttpError(400, `${report.replace(':', ' by ')} needs ${why}: start the range on ${h} or later`, 'from')
    // The daily aggregates are UTC days: the answer says so.
    return { ...q, timezone: 'UTC' }
  }
  const range = (req: Request) => parseRange(req, deps.sites)

  r.get('/api/sites', (_req, res) => void res.json({ sites: deps.sites.list(), timezones: deps.sites.timezones() } satisfies SiteList))
  r.get('/api/stats/summary', async (req, res) => {
    const q = range(req)
    const old = longRange(q, 'summary')
    res.json({ ...echo(old ?? q), ...(old ? await daily.summary(old) : await stats.summary(q)) } satisfies RangeSummary)
  })
  r.get('/api/stats/timeseries', async (req, res) => {
    const q = range(req)
    const interval = q.interval ?? 'day'
    const old = longRange(q, 'timeseries')
    res.json({ ...echo(old ?? q), interval, results: old ? await daily.timeseries(old) : await stats.timeseries(q, interval) } satisfies Timeseries)
  })
  r.get('/api/stats/entry-pages', async (req, res) => {
    const q = range(req)
    const old = longRange(q, 'entry-pages')
    res.json({ ...echo(old ?? q), results: old ? await daily.entryPages(old) : await stats.entryPages(q) } satisfies EntryPages)
  })
  r.get('/api/stats/exit-pages', async (req, res) => {
    const q = range(req)
    longRange(q, 'exit pages')
    res.json({ ...echo(q), results: await stats.exitPages(q) } satisfies ExitPages)
  })
  r.get('/api/stats/pages', async (req, res) => {
    const q = range(req)
    const old = longRange(q, 'pages')
    res.json({ ...echo(old ?? q), results: old ? await daily.breakdown('page', old) : await stats.pages(q) } satisfies Breakdown)
  })
  r.get('/api/stats/events', async (req, res) => {
    const q = range(req)
    const old = longRange(q, 'events')
    res.json({ ...echo(old ?? q), results: old ? await daily.breakdown('event', old) : await stats.events(q) } satisfies Breakdown)
  })
  r.get('/api/stats/goals', async (req, res) => {
    const q = range(req)
    longRange(q, 'goals')
    const g = await stats.goals(q)
    res.json({ ...echo(q), visitors: g.visitors, results: g.rows } satisfies GoalStats)
  })
  r.get('/api/stats/goals/:goal/props/:key', async (req, res) => {
    const q = range(req)
    longRange(q, 'goal properties')
    const key = String(req.params.key)
    if (key.length === 0 || Buffer.byteLength(key) > 200) throw new HttpError(400, 'the property name must be 1 to 200 bytes', 'key')
    const goals = await listGoals(deps.db, q.site)
    const goal = goals.find((g) => g.id === req.params.goal) ?? goals.find((g) => g.kind === 'event' && g.match === req.params.goal)
    if (!goal) throw new HttpError(404, `no goal "${String(req.params.goal).slice(0, 100)}" on ${q.site}`, 'goal')
    if (goal.kind !== 'event') throw new HttpError(400, 'only custom-event goals have properties; this goal is a page goal', 'goal')
    res.json({ ...echo(q), goal, key, results: await stats.goalProps(q, goal.match, key) } satisfies GoalProps)
  })
  r.get('/api/stats/realtime', async (req, res) => {
    const q = range(req)
    res.json({ site: q.site, visitors: await stats.realtime(q) } satisfies Realtime)
  })
  // Admins only: it tells how the collector judges traffic (bots, privacy signals), which
  // matters to whoever runs the tracking, not to a sales user.
  r.get('/api/stats/dropped', async (req, res) => {
    if (req.user?.role !== 'admin') throw new HttpError(403, 'only an admin may see dropped events')
    const q = range(req)
    if (q.filters.length) throw new HttpError(400, 'dropped events have no page, source or device to filter by: leave out filters', 'filters')
    res.json({ site: q.site, from: q.from, to: q.to, ...(await droppedStats(deps.db, q)) } satisfies DroppedStats)
  })
  r.get('/api/stats/utm', async (req, res) => {
    const q = range(req)
    const report = `utm:${q.by}`
    const old = longRange(q, report)
    res.json({
      ...echo(old ?? q),
      by: q.by,
      results: old ? await daily.breakdown(DAILY_KINDS[report]!, old) : await stats.breakdown(report, q),
    } satisfies UtmBreakdown)
  })
  r.get('/api/stats/:report', async (req, res) => {
    const report = String(req.params.report)
    if (!BREAKDOWNS.includes(report))
      throw new HttpError(
        404,
        `unknown report "${report.slice(0, 50)}"; one of summary, timeseries, pages, entry-pages, exit-pages, events, goals, utm, realtime, dropped, ${BREAKDOWNS.join(', ')}`,
      )
    const q = range(req)
    const old = longRange(q, report)
    res.json({ ...echo(old ?? q), results: old ? await daily.breakdown(DAILY_KINDS[report]!, old) : await stats.breakdown(report, q) } satisfies Breakdown)
  })
  return r
}
