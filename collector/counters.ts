// Outcome counts since start, per reason: how much was stored, dropped and refused.
// Drops also go, per site and hour, to `persisted` (collector/dropped.ts), kept in ClickHouse.
import type { IngestStats } from '../lib/api-types.ts'
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
    } else this.rejected[o.reason] = (this.rejected[o.reason] ?? 0) + 1
  }

  countInvalid(status: number): void {
    const key = status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'invalid'
    this.rejected[key] = (this.rejected[key] ?? 0) + 1
  }

  /** GET /api/ingest, without the events pending in the writer. */
  snapshot(): Omit<IngestStats, 'pending'> {
    return { stored: this.stored, dropped: { ...this.dropped }, rejected: { ...this.rejected } }
  }
}
