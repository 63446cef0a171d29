// GET /api/ingest's figures, from ClickHouse: drops (per site) and refusals as every
// process wrote them (collector/dropped.ts), stored events from `events` itself. Nothing
// in one process's memory: with the roles split, a process's own counts answered nothing
// (issue 18, defect 6).
import type { IngestStats } from '../lib/api-types.ts'
import { type Db, isoOf } from '../lib/db.ts'
import { REFUSAL_REASONS } from './dropped.ts'
import { DROP_REASONS } from './pipeline.ts'

/**
 * GET /api/ingest: every process's outcomes over the last 24 whole UTC hours, from
 * ClickHouse (on a server the collectors are other processes than the dashboard): events
 * stored, and dropped and refused ones as each process wrote them (every 5 s).
 */
export async function ingestStats(db: Db): Promise<Omit<IngestStats, 'pending'>> {
  // In UTC throughout: a server in another zone would otherwise cut the window at its own dates.
  const [w] = await db.query<{ since: string }>("SELECT toString(toStartOfHour(now('UTC') - INTERVAL 23 HOUR)) AS since")
  const since = w!.since
  const [stored] = await db.query<{ n: string }>(
    "SELECT count() AS n FROM events WHERE toDate(ts) >= toDate({since:DateTime('UTC')}) AND ts >= {since:DateTime('UTC')}",
    {
      since,
    },
  )
  const rows = await db.query<{ reason: string; refused: number; n: string }>(
    "SELECT reason, site = '' AS refused, sum(events) AS n FROM dropped_events WHERE hour >= {since:DateTime('UTC')} GROUP BY reason, refused",
    { since },
  )
  const dropped: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]))
  const rejected: Record<string, number> = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0]))
  for (const r of rows) {
    const into = Number(r.refused) ? rejected : dropped
    if (r.reason in into) into[r.reason] = Number(r.n)
  }
  return { since: isoOf(since), stored: Number(stored?.n ?? 0), dropped, rejected }
}
