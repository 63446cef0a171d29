// Today's sums up to the visits-today cutoffs (sql/026): the job sums each site's local
// today from the visit rows it just wrote, and a query without filters adds only what
// changed since (visitRowsOf with `since`). A visit's figures only grow as it goes on
// (pages, events, duration), so its row at the cutoff is taken off the counts and its
// new row added; visitor sketches cannot be taken from, and need not be: the visitor of
// the old row is the visitor of the new one, who still saw those pages and events. The
// one exception is the exit page, which moves: exit pages are read without these sums.
import { createHash } from 'node:crypto'
import type { Db } from '../lib/db.ts'
import { siteZones } from '../lib/sites.ts'
import { localDay } from '../lib/timezone.ts'
import { DAY_SUMS, SUMS_COLUMNS, utcDaysOf } from './totals.ts'
import { CUTOFFS } from './visits.ts'

/** The condition on today_totals for a reader's key ({site}, {tk}). */
export const TODAY_SUMS = 'site = {site:String} AND cut_key = {tk:UInt64}'

// A reader picks its key from the cutoffs it read, then reads the rows a few ms later:
// a key stays this long after a newer one is built (the job runs every 2 minutes).
const KEEP_SECONDS = 300

/**
 * The key of a site's local day summed at the cutoffs of the UTC days it overlaps: the
 * same in the job and in every reader. Null when one of those days has no cutoff (not
 * in `visits` at all): then there is nothing to sum.
 */
export function cutKey(site: string, tz: string, day: string, cutoffs: ReadonlyArray<{ day: string; cutoff: string }>): string | null {
  const utc = utcDaysOf(day, tz)
  const cuts = utc.map((u) => cutoffs.find((c) => c.day === u)?.cutoff)
  if (cuts.some((c) => c === undefined)) return null
  return createHash('sha256')
    .update(JSON.stringify([site, tz, day, utc, cuts]))
    .digest()
    .readBigUInt64BE(0)
    .toString()
}

/**
 * Sums every site's local today at the current cutoffs, after the visits-today job wrote
 * them; keys older than KEEP_SECONDS go. Callers hold dayLock.
 */
export async function buildTodayTotals(db: Db): Promise<number> {
  let built = 0
  for (const s of await siteZones(db)) {
    const day = localDay(s.timezone)
    const utc = utcDaysOf(day, s.timezone)
    const cutoffs = (await db.query<{ d: string; c: string }>(CUTOFFS, { d0: utc[0], d1: utc[utc.length - 1] })).map((r) => ({ day: r.d, cutoff: r.c }))
    const key = cutKey(s.domain, s.timezone, day, cutoffs)
    if (key === null) continue
    const params = { site: s.domain, tz: s.timezone, day, utc, tk: key }
    const [have] = await db.query<{ n: string }>(`SELECT count() AS n FROM today_totals WHERE ${TODAY_SUMS} AND dim = '#'`, params)
    if (Number(have?.n ?? 0) === 0) {
      const head = `INSERT INTO today_totals (site, day, cut_key, ${SUMS_COLUMNS}) SELECT {site:String}, {day:Date}, {tk:UInt64},`
      for (const sums of DAY_SUMS) await db.command(`${head} ${sums}`, params)
      const [rows] = await db.query<{ n: string }>(`SELECT count() AS n FROM today_totals WHERE ${TODAY_SUMS}`, params)
      const n = Number(rows?.n ?? 0)
      // The marker, after the rows: readers use a key only once it is in.
      await db.command(`INSERT INTO today_totals (site, day, cut_key, dim, value, hits) SELECT {site:String}, {day:Date}, {tk:UInt64}, '#', '', {n:UInt64}`, {
        ...params,
        n,
      })
      // An erasure in another process may have emptied the table between the rows and the
      // marker (a TRUNCATE does not wait for an insert): a marker must not stand for fewer rows.
      const [after] = await db.query<{ n: string }>(`SELECT countIf(dim != '#') AS n FROM today_totals WHERE ${TODAY_SUMS}`, params)
      if (Number(after?.n ?? 0) !== n) await db.command(`DELETE FROM today_totals WHERE ${TODAY_SUMS}`, params)
      else built++
    }
    const old = `site = {site:String} AND cut_key != {tk:UInt64} AND built < now() - ${KEEP_SECONDS}`
    const [stale] = await db.query<{ n: string }>(`SELECT count() AS n FROM today_totals WHERE ${old}`, params)
    if (Number(stale?.n ?? 0) > 0) await db.command(`DELETE FROM today_totals WHERE ${old}`, params)
  }
  return built
}

/** An erasure's: every sum leaves the disk (the next run of the job sums today again). */
export async function emptyTodayTotals(db: Db): Promise<void> {
  await db.command('TRUNCATE TABLE IF EXISTS today_totals')
}
