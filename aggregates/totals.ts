// Totals per site, local day, dimension and value (sql/017), summed from the day's visit
// rows: what the stats API reads for a range without filters instead of every visit row
// (a month of a site: about 50,000 rows instead of a million). A local day is summed once
// every UTC day it overlaps is rolled up whole, in the site's time zone of that moment.
import { randomInt } from 'node:crypto'
import { FILTER_DIMENSIONS } from '../lib/api-types.ts'
import { applyDeletedMask, type Db } from '../lib/db.ts'
import { siteZones } from '../lib/sites.ts'
import { truncateRanges } from './ranges.ts'
import { addDays, isoDay, utcSpan } from '../lib/timezone.ts'

/** Dimensions summed per value: the filters' visit columns of one value. Pages and events (arrays) are summed apart. */
const TOTAL_DIMS = FILTER_DIMENSIONS.filter((d) => d !== 'page' && d !== 'event')

/** The UTC days a local day of `tz` overlaps (one, or two off UTC). */
export function utcDaysOf(day: string, tz: string): string[] {
  const [first, last] = utcSpan(day, day, tz)
  const out: string[] = []
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d)
  return out
}

const VISITS_OF_DAY = 'site = {site:String} AND day IN {utc:Array(Date)} AND toDate(start, {tz:String}) = {day:Date}'
const COLUMNS = 'site, day, dim, value, gen, visitors, day_visitors, visits, pageviews, bounces, duration, hits'

let lastGen = 0
/** A generation that grows: microseconds with a random part, so that two processes summing one day at once do not share one. */
function nextGen(): number {
  lastGen = Math.max(Date.now() * 1000 + randomInt(1000), lastGen + 1)
  return lastGen
}

/**
 * Sums one local day of a site from its visit rows as a new generation, then makes it
 * the current one and deletes the older ones (masked; buildWhole can remove them from
 * disk). Callers hold dayLock and have rolled the UTC days up whole.
 */
async function buildTotals(db: Db, site: string, tz: string, day: string): Promise<void> {
  const gen = nextGen()
  const params = { site, tz, day, utc: utcDaysOf(day, tz), gen }
  const head = `INSERT INTO visit_totals (${COLUMNS}) SELECT {site:String}, {day:Date}`
  // The day's totals.
  await db.command(
    `${head}, '', '', {gen:UInt64}, uniqCombinedStateIf(12)(visitor, 0), uniqCombinedState(15)(visitor), count(), sum(pageviews), countIf(pageviews = 1), sum(duration), 0
     FROM visits WHERE ${VISITS_OF_DAY}`,
    params,
  )
  // One value per visit: entry and exit page, attribution, device, country.
  await db.command(
    `${head}, kv.1, kv.2, {gen:UInt64}, uniqCombinedState(12)(visitor), uniqCombinedStateIf(15)(visitor, 0), count(), sum(pageviews), countIf(pageviews = 1), sum(duration), 0
     FROM visits ARRAY JOIN [${TOTAL_DIMS.map((d) => `('${d}', toString(${d}))`).join(', ')}] AS kv
     WHERE ${VISITS_OF_DAY} GROUP BY kv.1, kv.2`,
    params,
  )
  // Pages: visitors who saw each, and its page views (a visit counts once per page view).
  await db.command(
    `${head}, 'page', page, {gen:UInt64}, uniqCombinedState(12)(visitor), uniqCombinedStateIf(15)(visitor, 0), uniqExact(sid), 0, 0, 0, count()
     FROM visits ARRAY JOIN pages AS page WHERE ${VISITS_OF_DAY} GROUP BY page`,
    params,
  )
  // Custom events: the visits with each, their figures, and how often it happened.
  await db.command(
    `${head}, 'event', ev, {gen:UInt64}, uniqCombinedState(12)(visitor), uniqCombinedStateIf(15)(visitor, 0), count(), sum(pageviews), countIf(pageviews = 1), sum(duration),
       sum(arrayCount(x -> x = ev, events))
     FROM visits ARRAY JOIN arrayDistinct(events) AS ev WHERE ${VISITS_OF_DAY} AND notEmpty(events) GROUP BY ev`,
    params,
  )
  await db.insert('visit_totals_days', [{ site, day, timezone: tz, gen }])
  // Readers take the newest generation only; the older ones go now (a mutation names no visitor).
  await db.command('DELETE FROM visit_totals WHERE site = {site:String} AND day = {day:Date} AND gen < {gen:UInt64}', params)
}

type SiteZone = Awaited<ReturnType<typeof siteZones>>[number]

/**
 * UTC days among `days` whose visit rows are whole: rolled up with a cutoff past their
 * end, or past days without a visit (never rolled up; a quiet night before a site's first
 * visit must not keep the local day next to it from being summed).
 */
async function wholeDays(db: Db, days: readonly string[]): Promise<Set<string>> {
  if (days.length === 0) return new Set()
  const rows = await db.query<{ d: string }>(
    `SELECT toString(day) AS d FROM visit_days FINAL WHERE day IN {days:Array(Date)} AND toDate(cutoff) > day
     UNION ALL
     SELECT toString(d) FROM (SELECT arrayJoin({days:Array(Date)}) AS d) WHERE d < today() AND d NOT IN (SELECT day FROM sessions WHERE day IN {days:Array(Date)})`,
    { days },
  )
  return new Set(rows.map((r) => r.d))
}

/**
 * After UTC days were rolled up again: sums again every local day of each site that
 * overlaps one of them, once all the UTC days it overlaps are whole. Callers hold dayLock.
 */
export async function buildTotalsAround(db: Db, rolled: ReadonlyArray<{ day: string; sites: readonly string[] }>, physically = false): Promise<number> {
  const wanted = new Map<string, { site: SiteZone; day: string }>()
  const zones = await siteZones(db)
  for (const { day, sites } of rolled) {
    for (const s of zones) {
      if (!sites.includes(s.domain)) continue
      for (const local of [addDays(day, -1), day, addDays(day, 1)]) {
        if (utcDaysOf(local, s.timezone).includes(day)) wanted.set(`${s.domain} ${local}`, { site: s, day: local })
      }
    }
  }
  return buildWhole(db, [...wanted.values()], physically)
}

/** Sums the local days whose UTC days are whole; `physically`: the replaced sums leave the disk (erasure), once for all. */
async function buildWhole(db: Db, todo: ReadonlyArray<{ site: SiteZone; day: string }>, physically = false): Promise<number> {
  const whole = await wholeDays(db, [...new Set(todo.flatMap((t) => utcDaysOf(t.day, t.site.timezone)))])
  let built = 0
  for (const { site, day } of todo) {
    if (!utcDaysOf(day, site.timezone).every((d) => whole.has(d))) continue
    await buildTotals(db, site.domain, site.timezone, day)
    built++
  }
  if (physically && built > 0) await applyDeletedMask(db, 'visit_totals')
  if (built > 0) await truncateRanges(db)
  return built
}

// A run of the hourly job sums at most this many site-days that are missing or in an
// old time zone (after a change of zone, a month of a site is 30; each costs 4 inserts).
const MAX_CATCH_UP = 120

/**
 * Local days within `days` back that are whole but not summed in the site's current time
 * zone (new since migration 017, or the zone changed): summed, oldest last. Callers hold dayLock.
 */
export async function catchUpTotals(db: Db, days: number): Promise<number> {
  const zones = await siteZones(db)
  if (zones.length === 0) return 0
  const today = isoDay(new Date())
  const done = await db.query<{ site: string; d: string; timezone: string }>(
    `SELECT site, toString(day) AS d, argMax(timezone, gen) AS timezone FROM visit_totals_days
     WHERE day >= {from:Date} GROUP BY site, day`,
    { from: addDays(today, -days) },
  )
  const current = new Map(done.map((r) => [`${r.site} ${r.d}`, r.timezone]))
  // Days without a visit need no sums: the stats API reads nothing for them either way.
  const visited = new Set(
    (
      await db.query<{ site: string; d: string }>('SELECT DISTINCT site, toString(day) AS d FROM visits WHERE day >= {from:Date} AND day < today()', {
        from: addDays(today, -days - 1),
      })
    ).map((r) => `${r.site} ${r.d}`),
  )
  const todo: Array<{ site: SiteZone; day: string }> = []
  for (let d = addDays(today, -1); d >= addDays(today, -days); d = addDays(d, -1)) {
    for (const s of zones) {
      if (current.get(`${s.domain} ${d}`) === s.timezone) continue
      if (utcDaysOf(d, s.timezone).some((u) => visited.has(`${s.domain} ${u}`))) todo.push({ site: s, day: d })
    }
  }
  return buildWhole(db, todo.slice(0, MAX_CATCH_UP))
}

/** The local days {from}..{to} of {site} summed in {tz}: `d`, with the current generation `g`. */
export const SUMMED_DAYS = `SELECT toString(day) AS d, toString(max(gen)) AS g FROM visit_totals_days
  WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  GROUP BY day HAVING argMax(timezone, gen) = {tz:String}`
