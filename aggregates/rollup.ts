// Rolls finished days up: from the raw events into `visits` (one row per visit with
// everything a filter asks about, what the stats API reads), and from `sessions` into
// daily_visits and daily_entry_pages (kept 25 months). The last two finished days are
// rolled up again on every run: events written late (after a ClickHouse outage) still
// count.
import { chTime, type Db } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
import { addDays, isoDay } from '../lib/timezone.ts'
import { copyCompanySessions } from './company-sessions.ts'
import { buildTotalsAround, catchUpTotals } from './totals.ts'
import { VISIT_COLUMNS, visitRows, visitSelect } from './visits.ts'

const DAY = 'site IN {sites:Array(String)} AND day = {day:Date}'

// Days rolled up before some of their events arrived (written late, after an outage of
// more than two days): daily_stats, filled by a view, counts the late page views, and
// then disagrees with the day's visit rows. Two sums over small tables, hourly.
const LATE_EVENTS = `SELECT site, day FROM (SELECT site, day, sum(pageviews) AS pv FROM daily_stats WHERE day < today() - 2 GROUP BY site, day) AS s
  INNER JOIN (SELECT site, day, sum(pageviews) AS pv FROM visits WHERE day < today() - 2 GROUP BY site, day) AS v ON v.site = s.site AND v.day = s.day
  WHERE s.pv != v.pv`

export async function rollupVisits(db: Db): Promise<number> {
  const todo = await db.query<{ day: string; sites: string[] }>(
    `SELECT day, groupUniqArray(site) AS sites FROM sessions
     WHERE day < today() AND (day >= today() - 2 OR (site, day) NOT IN (SELECT site, day FROM daily_visits FINAL)
       OR day NOT IN (SELECT day FROM visit_days FINAL WHERE toDate(cutoff) > day)
       OR (site, day) IN (${LATE_EVENTS}))
     GROUP BY day ORDER BY day LIMIT 400`,
  )
  return dayLock.run(async () => {
    const rolled = await rollupDays(db, todo)
    // Local days new since migration 017 or in a zone no longer the site's.
    await catchUpTotals(db, 400)
    return rolled
  })
}

/**
 * Rolls the given days up again (also used by erasure to make the figures exact, with
 * `physically`: the totals' replaced rows leave the disk at once). Callers hold dayLock.
 */
export async function rollupDays(db: Db, todo: ReadonlyArray<{ day: string; sites: readonly string[] }>, physically = false): Promise<number> {
  let rolled = 0
  const today = isoDay(new Date())
  for (const { day, sites } of todo) {
    const params = { day, sites }
    const [old] = await db.query<{ n: string }>(`SELECT count() AS n FROM daily_entry_pages WHERE ${DAY}`, params)
    // Synchronous ALTER … DELETE: a lightweight delete racing a merge can leave old rows visible.
    if (Number(old?.n ?? 0) > 0) {
      await db.client.command({
        query: `ALTER TABLE daily_entry_pages DELETE WHERE ${DAY}`,
        query_params: params,
        clickhouse_settings: { mutations_sync: '2' },
      })
    }
    // A day whose visits are all gone keeps a row of zeros, so that it does not fall back to `sessions`.
    await db.command(
      `INSERT INTO daily_visits (site, day, visits, bounces, duration_sum)
       SELECT s AS site, toDate({day:String}) AS day, countIf(sid != ''), countIf(sid != '' AND pv = 1), sumIf(dur, sid != '')
       FROM (SELECT arrayJoin({sites:Array(String)}) AS s) AS wanted
       LEFT JOIN (${visitRows(DAY)}) AS v ON v.site = wanted.s
       GROUP BY s`,
      params,
    )
    await db.command(
      `INSERT INTO daily_entry_pages (site, day, page, visitors, visits, bounces)
       SELECT site, day, entry, uniqCombinedState(12)(vid), count(), countIf(pv = 1) FROM (${visitRows(DAY)}) GROUP BY site, day, entry`,
      params,
    )
    // Today is the visits-today job's (up to a cutoff); erasure rebuilds it through here too.
    if (day < today) await rollupVisitRows(db, day)
    rolled += sites.length
  }
  await buildTotalsAround(
    db,
    todo.filter((t) => t.day < today),
    physically,
  )
  return rolled
}

/**
 * The day's visit rows, every site's, computed into visits_staging and swapped into
 * `visits` as one partition (REPLACE PARTITION is atomic: a reader sees the old day or
 * the new one, never half). visit_days then records the day with its cutoff: the events
 * before it are in these rows (a finished day: all of them). Callers hold dayLock.
 */
export async function rollupVisitRows(db: Db, day: string, cutoff = `${addDays(day, 1)} 00:00:00.000`): Promise<void> {
  const params = { day, cutoff }
  await db.command('ALTER TABLE visits_staging DROP PARTITION {day:Date}', params)
  await db.command(`INSERT INTO visits_staging (${VISIT_COLUMNS}) ${visitSelect('toDate(ts) = {day:Date} AND ts < {cutoff:DateTime64(3)}')}`, params)
  // A day with no visit left (its only visitor erased) empties the partition: ClickHouse
  // refuses REPLACE PARTITION from an empty one (since 25.x, BAD_ARGUMENTS).
  const [staged] = await db.query<{ n: string }>('SELECT count() AS n FROM visits_staging WHERE day = {day:Date}', params)
  if (Number(staged?.n ?? 0) === 0) await db.command('ALTER TABLE visits DROP PARTITION {day:Date}', params)
  else await db.command('ALTER TABLE visits REPLACE PARTITION {day:Date} FROM visits_staging', params)
  await db.command('ALTER TABLE visits_staging DROP PARTITION {day:Date}', params)
  // A finished day's company visits, before visit_days says the day is whole: the
  // companies list reads whole days from company_sessions.
  if (cutoff.slice(0, 10) > day) await copyCompanySessions(db, [day])
  await db.insert('visit_days', [params])
}

/**
 * Today's visits so far, up to 10 s ago (the writer flushes every second), so that the
 * stats API groups from the raw events only the visits active since (the last few
 * minutes' worth) instead of the whole day: 45 ms per query on a site of 110,000 page
 * views a day.
 */
export async function rollupToday(db: Db): Promise<number> {
  const cutoff = chTime(new Date(Date.now() - 10_000))
  await dayLock.run(() => rollupVisitRows(db, cutoff.slice(0, 10), cutoff))
  return 1
}
