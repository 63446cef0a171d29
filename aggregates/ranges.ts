// Sums of visit_totals over a range of days (sql/018): merged the first time a range's
// list is asked for, then read instead of its day sketches while the days' generations
// are current. Every build of day sums empties the table (truncateRanges), so nothing
// in it outlives the sums it came from by more than the build.
import { createHash } from 'node:crypto'
import type { Db } from '../lib/db.ts'

// Each distinct range a user asks for is one key (some 1.5 MB for a month of 500 pages):
// past this many keys of a site, until the next build empties the table (at most an
// hour), ranges are read from the day sums as before.
export const MAX_RANGE_KEYS = 32

/** The key of a site's summed days with their generations: the same in every process. */
export function rangeKey(site: string, summed: ReadonlyArray<{ day: string; gen: string }>): string {
  return createHash('sha256')
    .update(JSON.stringify([site, summed.map((d) => [d.day, d.gen])]))
    .digest()
    .readBigUInt64BE(0)
    .toString()
}

/**
 * Merges the day sums of `dims` (the rows `T` names, with `params`) into the range's rows
 * under `key`, then marks each dim as whole. False when the site has MAX_RANGE_KEYS already.
 */
export async function buildRanges(db: Db, site: string, key: string, T: string, params: Record<string, unknown>, dims: readonly string[]): Promise<boolean> {
  const p = { ...params, site, rk: key, dims }
  const [others] = await db.query<{ n: string }>(
    'SELECT uniqExact(range_key) AS n FROM visit_totals_ranges WHERE site = {site:String} AND range_key != {rk:UInt64}',
    p,
  )
  if (Number(others?.n ?? 0) >= MAX_RANGE_KEYS) return false
  await db.command(
    `INSERT INTO visit_totals_ranges (site, dim, range_key, value, visitors, visits, pageviews, bounces, duration, hits)
     SELECT site, dim, {rk:UInt64}, value, uniqCombinedMergeState(12)(visitors), sum(visits), sum(pageviews), sum(bounces), sum(duration), sum(hits)
     FROM visit_totals WHERE ${T} AND dim IN {dims:Array(String)} GROUP BY site, dim, value`,
    p,
  )
  // After the rows: a reader that sees the marker sees all of them.
  await db.command(
    "INSERT INTO visit_totals_ranges (site, dim, range_key, value, marker) SELECT {site:String}, arrayJoin({dims:Array(String)}), {rk:UInt64}, '', 1",
    p,
  )
  return true
}

/** The range rows of one dim (columns as visit_totals: name, v, n, pv, b, d, h), one per value however many processes built them. */
export const rangeRows = (dim: string, where: string) =>
  `SELECT value AS name, visitors AS v, visits AS n, pageviews AS pv, bounces AS b, duration AS d, hits AS h FROM visit_totals_ranges
   WHERE site = {site:String} AND range_key = {rk:UInt64} AND dim = '${dim}' AND marker = 0${where ? ` AND ${where}` : ''} LIMIT 1 BY value`

/** After day sums were built: every range is out of date, and its rows leave the disk (an erasure's too). */
export async function truncateRanges(db: Db): Promise<void> {
  await db.command('TRUNCATE TABLE IF EXISTS visit_totals_ranges')
}
