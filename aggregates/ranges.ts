// Sums of visit_totals over a range of days (sql/018): merged the first time a range's
// list is asked for, then read instead of its day sketches while the days' generations
// are current. Every build of day sums empties the table (truncateRanges), so nothing
// in it outlives the sums it came from by more than the build.
import { createHash } from 'node:crypto'
import type { Db } from '../lib/db.ts'

// Each distinct range a user asks for is one key (some 1.5 MB for a month of 500 pages):
// past this many keys of a site, or this many rows (values with many visitors weigh
// 2.6 kB each, one-visitor values some 20 bytes), until the next build empties the table
// (at most an hour), ranges are read from the day sums as before.
export const MAX_RANGE_KEYS = 32
export const MAX_RANGE_ROWS = 100_000

/** The key of a site's summed days with their generations: the same in every process, whatever order the days came in. */
export function rangeKey(site: string, summed: ReadonlyArray<{ day: string; gen: string }>): string {
  const days = [...summed].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((d) => [d.day, d.gen])
  return createHash('sha256')
    .update(JSON.stringify([site, days]))
    .digest()
    .readBigUInt64BE(0)
    .toString()
}

/** The dims among `dims` whose rows under `key` are whole: marked, and as many values as the marker says. */
export async function wholeRanges(db: Db, site: string, key: string, dims: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ dim: string; marked: number; expected: string; found: string }>(
    `SELECT dim, max(marker) AS marked, max(whole) AS expected, uniqExactIf(value, marker = 0) AS found
     FROM visit_totals_ranges WHERE site = {site:String} AND range_key = {rk:UInt64} AND dim IN {dims:Array(String)} GROUP BY dim`,
    { site, rk: key, dims },
  )
  return new Set(rows.filter((r) => Number(r.marked) === 1 && r.expected === r.found).map((r) => r.dim))
}

/**
 * Merges the day sums of `dims` (the rows `T` names, with `params`) into the range's rows
 * under `key`, then marks each dim as whole with its number of values. `current` says
 * whether `key` still names the site's summed days: when it does not after the insert
 * (an erasure or the hourly job summed days again meanwhile, and may have truncated the
 * table before this insert landed), or the site went past MAX_RANGE_KEYS, the rows are
 * deleted from disk again. False when nothing was built.
 */
export async function buildRanges(
  db: Db,
  site: string,
  key: string,
  T: string,
  params: Record<string, unknown>,
  dims: readonly string[],
  current: () => Promise<boolean>,
): Promise<boolean> {
  const p = { ...params, site, rk: key, dims }
  const counts = await db.query<{ k: string; n: string }>(
    `SELECT dim AS k, uniqExact(value) AS n FROM visit_totals WHERE ${T} AND dim IN {dims:Array(String)} GROUP BY dim
     UNION ALL SELECT '#keys', uniqExact(range_key) FROM visit_totals_ranges WHERE site = {site:String} AND range_key != {rk:UInt64}
     UNION ALL SELECT '#rows', count() FROM visit_totals_ranges WHERE site = {site:String} AND marker = 0`,
    p,
  )
  const n = (k: string) => Number(counts.find((c) => c.k === k)?.n ?? 0)
  const values = dims.reduce((sum, d) => sum + n(d), 0)
  if (n('#keys') >= MAX_RANGE_KEYS || n('#rows') + values > MAX_RANGE_ROWS) return false
  await db.command(
    `INSERT INTO visit_totals_ranges (site, dim, range_key, value, visitors, visits, pageviews, bounces, duration, hits)
     SELECT site, dim, {rk:UInt64}, value, uniqCombinedMergeState(12)(visitors), sum(visits), sum(pageviews), sum(bounces), sum(duration), sum(hits)
     FROM visit_totals WHERE ${T} AND dim IN {dims:Array(String)} GROUP BY site, dim, value`,
    p,
  )
  const remove = async () => {
    await db.client.command({
      query: 'ALTER TABLE visit_totals_ranges DELETE WHERE site = {site:String} AND range_key = {rk:UInt64}',
      query_params: p,
      clickhouse_settings: { mutations_sync: '2' },
    })
    return false
  }
  const [keys] = await db.query<{ n: string }>('SELECT uniqExact(range_key) AS n FROM visit_totals_ranges WHERE site = {site:String}', p)
  if (Number(keys?.n ?? 0) > MAX_RANGE_KEYS || !(await current())) return remove()
  // After the rows, and an hour older than they are, so that the TTL takes it first.
  await db.command(
    `INSERT INTO visit_totals_ranges (site, dim, range_key, value, marker, whole, built)
     SELECT {site:String}, d.1, {rk:UInt64}, '', 1, d.2, now() - INTERVAL 1 HOUR FROM (SELECT arrayJoin(arrayZip({dims:Array(String)}, {counts:Array(UInt64)})) AS d)`,
    { ...p, counts: dims.map(n) },
  )
  // A TRUNCATE does not wait for an insert in progress: one between the rows and the
  // marker leaves a marker without rows. Readers trust markers, so the builder checks.
  if ((await wholeRanges(db, site, key, dims)).size !== dims.length) return remove()
  return true
}

/** The sums of a value as the stats queries name them, from visit_totals or visit_totals_ranges (same columns). */
export const SUM_COLUMNS = 'value AS name, visitors AS v, visits AS n, pageviews AS pv, bounces AS b, duration AS d, hits AS h'

/** The range rows of one dim (SUM_COLUMNS), one per value however many processes built them. */
export const rangeRows = (dim: string, where: string) =>
  `SELECT ${SUM_COLUMNS} FROM visit_totals_ranges
   WHERE site = {site:String} AND range_key = {rk:UInt64} AND dim = '${dim}' AND marker = 0${where ? ` AND ${where}` : ''} LIMIT 1 BY value`

/** After day sums were built: every range is out of date, and its rows leave the disk (an erasure's too). */
export async function truncateRanges(db: Db): Promise<void> {
  await db.command('TRUNCATE TABLE IF EXISTS visit_totals_ranges')
}
