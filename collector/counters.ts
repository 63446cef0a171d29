// Outcomes counted per reason: drops (per site) and refusals go, per hour, to `persisted`
// (collector/dropped.ts), kept in ClickHouse, where GET /api/ingest adds up every
// process's; stored events are counted from `events` itself. Nothing is kept in memory
// here: with the roles split, a process's own counts answered nothing (issue 18, defect 6).
import type { IngestStats } from '../lib/api-types.ts'
import { type Db, isoOf } from '../lib/db.ts'
import { type DroppedCounts, REFUSAL_REASONS } from './dropped.ts'
import { DROP_REASONS, type Outcome } from './pipeline.ts'

export class Counters {
  constructor(readonly persisted: DroppedCounts) {}

  count(o: Outcome): void {
    if (o.kind === 'dropped') this.persisted.add(o.site, o.reason)
    else if (o.kind === 'rejected') this.persisted.add('', o.reason)
  }

  /** A request refused before it was an event: malformed (400), too large (413) or not JSON (415). */
  countInvalid(status: number): void {
    this.persisted.add('', status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'invalid')
  }
}

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
