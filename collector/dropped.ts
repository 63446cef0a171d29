// Dropped events per site, UTC hour and reason, kept in ClickHouse (sql/014) for the
// admins' overview, and refused ones per hour and reason (site ''), so that GET /api/ingest
// adds up every collector process. Each process counts in memory and appends what it counted since its
// last flush; the SummingMergeTree adds up every process's rows, so nothing here reads
// or rewrites a figure another process may be changing.
//
// Flushed every FLUSH_MS and at shutdown, one insert for all sites and reasons. Not
// journaled: a killed process (SIGKILL, a power cut) loses at most the last 5 s of
// counts, which changes a dashboard hint, not a statistic.
import { randomBytes } from 'node:crypto'
import { chTime, type Db } from '../lib/db.ts'
import { errorFields } from '../lib/errors.ts'
import { Lock } from '../lib/lock.ts'
import type { Logger } from '../lib/logger.ts'
import { type DropReason, type Outcome, REJECT_REASONS, type RejectReason } from './pipeline.ts'

/** Refusals: the pipeline's, and requests refused before they were events (countInvalid). */
export const REFUSAL_REASONS = [...(Object.keys(REJECT_REASONS) as RejectReason[]), 'invalid', 'too_large', 'unsupported_type'] as const
/** What a process counts here: drops per site, and refusals (site '': their site may be anyone's text). */
export type CountedReason = DropReason | (typeof REFUSAL_REASONS)[number]

/** 5 s: about 12 small inserts a minute per process while anything is dropped, none otherwise. */
const FLUSH_MS = 5_000
const HOUR_MS = 3_600_000

interface Row {
  site: string
  hour: string
  reason: CountedReason
  events: number
}

export class DroppedCounts {
  /** Counts since the last flush, by `hour \t reason \t site` (an hour number since 1970). */
  private open = new Map<string, number>()
  /**
   * A batch whose insert failed, retried under the same token before anything newer: if
   * ClickHouse did store it and only the answer was lost, the retry is not counted twice.
   */
  private sealed: { rows: Row[]; token: string } | null = null
  private readonly lock = new Lock()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /**
   * `site` must be a registered site (the pipeline's drops come after the site check), or
   * '' for a refusal, whose reasons are a closed set: what a sender chooses never becomes a row.
   */
  add(site: string, reason: CountedReason, at = Date.now()): void {
    const key = `${Math.floor(at / HOUR_MS)}\t${reason}\t${site}`
    this.open.set(key, (this.open.get(key) ?? 0) + 1)
  }

  /** An event's outcome: a drop counts for its site, a refusal for none. */
  count(o: Outcome): void {
    if (o.kind === 'dropped') this.add(o.site, o.reason)
    else if (o.kind === 'rejected') this.add('', o.reason)
  }

  /** A request refused before it was an event: malformed (400), too large (413) or not JSON (415). */
  countInvalid(status: number): void {
    this.add('', status === 413 ? 'too_large' : status === 415 ? 'unsupported_type' : 'invalid')
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.flush().catch((err: unknown) =>
        this.log.warn({ ...errorFields(err), pending: this.pending }, 'dropped-event counts not written; tried again in 5 s'),
      )
    }, FLUSH_MS)
    this.timer.unref()
  }

  /** Counts not yet in ClickHouse. */
  get pending(): number {
    let n = 0
    for (const v of this.open.values()) n += v
    for (const r of this.sealed?.rows ?? []) n += r.events
    return n
  }

  /** Writes what was counted until now; one flush at a time. */
  flush(): Promise<void> {
    return this.lock.run(async () => {
      // A failed batch first, alone: its token must keep meaning the same rows.
      if (this.sealed) await this.insert(this.sealed)
      if (this.open.size === 0) return
      const rows: Row[] = []
      for (const [key, events] of this.open) {
        const [hour, reason, site] = key.split('\t') as [string, CountedReason, string]
        rows.push({ site, hour: chTime(new Date(Number(hour) * HOUR_MS)).slice(0, 19), reason, events })
      }
      this.open = new Map()
      await this.insert({ rows, token: `dropped-${randomBytes(12).toString('hex')}` })
    })
  }

  private async insert(batch: { rows: Row[]; token: string }): Promise<void> {
    this.sealed = batch
    // A token of its own for every batch. Without one, ClickHouse takes a block of the same
    // rows for a retry: of two processes that counted the same in one hour, one was lost
    // (test/collector/dropped.test.ts).
    await this.db.insert('dropped_events', batch.rows, { insert_deduplication_token: batch.token })
    this.sealed = null
  }

  /** Stops the timer and writes what is left; after `deadlineMs` of failures the counts are given up (logged). */
  async close(deadlineMs = 5_000): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const until = Date.now() + deadlineMs
    for (;;) {
      try {
        await this.flush()
        return
      } catch (err) {
        if (Date.now() > until) {
          this.log.error({ ...errorFields(err), lost: this.pending }, 'dropped-event counts not written before shutdown; they are lost (not journaled)')
          return
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
  }
}
