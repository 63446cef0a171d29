// Outcome counts since start, per reason: how much was stored, dropped and refused.
// Drops (per site) and refusals also go, per hour, to `persisted` (collector/dropped.ts),
// kept in ClickHouse, where GET /api/ingest adds up every process's.
import type { IngestStats } from '../lib/api-types.ts'
import { type Db, isoOf } from '../lib/db.ts'
import type { DroppedCounts } from './dropped.ts'
import { DROP_REASONS, REJECT_REASONS, type Outcome } from './pipeline.ts'

export class Counters {
  stored = 0
  readonly dropped: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]))
  readonly rejected: Record<string, number> = Object.fromEntries(
    [...Object.keys(REJECT_REASONS), 'invalid', 'too_large', 'unsupported_type'].map((r) => [r, 0]),
  )

  constructor(readonly persisted: DroppedCounts | null = null) {}

  count(o: Outcome): void {
    if (o.kind === 'stored') this.stored++
    else if (o.kind === 'dropped') {
      this.dropped[o.reason] = (this.dropped[o.reason] ?? 0) + 1
      this.persisted?.add(o.site, o.reason)
    } else {
      this.rejected[o.reason] = (this.rejected[o.reason] ?? 0) + 1
      this.persisted?.add('', o.reason)
    }
  }

  countInvalid(status: number): void {
    const key = status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'invalid'
    this.rejected[key] = (this.rejected[key] ?? 0) + 1
    this.persisted?.add('', key)
  }

  /** This process's counts since it started (tests; GET /api/ingest reads ClickHouse: ingestStats). */
  snapshot(): Pick<IngestStats, 'stored' | 'dropped' | 'rejected'> {
    return { stored: this.stored, dropped: { ...this.dropped }, rejected: { ...this.rejected } }
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
  const zero = new Counters()
  const dropped = zero.dropped
  const rejected = zero.rejected
  for (const r of rows) {
    const into = Number(r.refused) ? rejected : dropped
    if (r.reason in into) into[r.reason] = Number(r.n)
  }
  return { since: isoOf(since), stored: Number(stored?.n ?? 0), dropped, rejected }
}
