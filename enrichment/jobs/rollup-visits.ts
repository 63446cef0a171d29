// Rolls finished days up from `sessions` (one row per visit, kept as long as raw
// events) into daily_visits and daily_entry_pages (kept 25 months), so that old
// ranges keep their bounce rate, duration and entry pages, and the stats API reads
// one row per day instead of one per visit. The last two finished days are rolled
// up again on every run: events written late (after a ClickHouse outage) still count.
import type { Db } from '../../lib/db.ts'
import { visitRows } from '../../lib/visits.ts'

const DAY = 'site IN {sites:Array(String)} AND day = {day:Date}'

export async function rollupVisits(db: Db): Promise<number> {
  const todo = await db.query<{ day: string; sites: string[] }>(
    `SELECT day, groupUniqArray(site) AS sites FROM sessions
     WHERE day < today() AND (day >= today() - 2 OR (site, day) NOT IN (SELECT site, day FROM daily_visits FINAL))
     GROUP BY day ORDER BY day LIMIT 400`,
  )
  let rolled = 0
  for (const { day, sites } of todo) {
    const params = { day, sites }
    const [old] = await db.query<{ n: string }>(`SELECT count() AS n FROM daily_entry_pages WHERE ${DAY}`, params)
    if (Number(old?.n ?? 0) > 0) await db.command(`DELETE FROM daily_entry_pages WHERE ${DAY}`, params)
    await db.command(
      `INSERT INTO daily_visits (site, day, visits, bounces, duration_sum)
       SELECT site, day, count(), countIf(pv = 1), sum(dur) FROM (${visitRows(DAY)}) GROUP BY site, day`,
      params,
    )
    await db.command(
      `INSERT INTO daily_entry_pages (site, day, page, visitors, visits, bounces)
       SELECT site, day, entry, uniqState(vid), count(), countIf(pv = 1) FROM (${visitRows(DAY)}) GROUP BY site, day, entry`,
      params,
    )
    rolled += sites.length
  }
  return rolled
}
