// Batches accepted events into ClickHouse: one insert per table per flush instead
// of one per event. Flushes on size, after at most flushIntervalMs (1 s by default:
// the stats API promises a page view within 5 s), and on close (SIGTERM loses
// nothing acknowledged). A failing insert keeps the rows and retries with backoff.
import type { Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'

export interface EventRow {
  event_id: string
  site: string
  ts: string
  type: 'pageview' | 'event'
  name: string
  vid: string
  sid: string
  hostname: string
  path: string
  query: string
  title: string
  referrer_source: string
  utm_source: string
  utm_medium: string
  utm_campaign: string
  utm_content: string
  utm_term: string
  browser: string
  browser_version: string
  os: string
  os_version: string
  device: string
  screen: number
  country: string
  city: string
  props: Record<string, string>
}

export interface IpRow {
  site: string
  sid: string
  vid: string
  ip: string
  ts: string
}

export interface WriterOptions {
  flushIntervalMs: number
  flushMaxRows: number
  maxPendingEvents: number
}

const MAX_BACKOFF_MS = 30_000

export class EventWriter {
  private events: EventRow[] = []
  private ips: IpRow[] = []
  private running: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private retryAt = 0
  stored = 0

  constructor(
    private readonly db: Db,
    private readonly opts: WriterOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.pending > 0 && Date.now() >= this.retryAt) void this.flush().catch(() => {})
    }, this.opts.flushIntervalMs)
    this.timer.unref()
  }

  get pending(): number {
    return this.events.length + this.ips.length
  }

  /** False when too much is waiting (ClickHouse failing for a while): the caller answers 503. */
  hasRoom(): boolean {
    return this.events.length < this.opts.maxPendingEvents
  }

  push(event: EventRow, ip: IpRow | null): void {
    this.events.push(event)
    if (ip) this.ips.push(ip)
    if (this.events.length >= this.opts.flushMaxRows && Date.now() >= this.retryAt) void this.flush().catch(() => {})
  }

  /** Writes everything pending now; concurrent callers share one run. Rejects if an insert fails. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async drain(): Promise<void> {
    try {
      while (this.events.length > 0) {
        // Rows stay queued until their insert succeeded; new rows only ever join at the end.
        const batch = this.events.slice(0, this.opts.flushMaxRows)
        await this.db.insert('events', batch)
        this.events.splice(0, batch.length)
        this.stored += batch.length
      }
      while (this.ips.length > 0) {
        const batch = this.ips.slice(0, this.opts.flushMaxRows)
        await this.db.insert('visit_ips', batch)
        this.ips.splice(0, batch.length)
      }
      this.failures = 0
      this.retryAt = 0
    } catch (err) {
      this.failures++
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures)
      this.retryAt = Date.now() + wait
      this.log.error({ err: (err as Error).message, pending: this.pending, retryInMs: wait }, 'insert failed; events kept for retry')
      throw err
    }
  }

  /** Stops the timer and writes what is left, retrying until `deadlineMs` has passed. */
  async close(deadlineMs = 15_000): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const until = Date.now() + deadlineMs
    while (this.pending > 0) {
      try {
        await this.flush()
      } catch {
        if (Date.now() > until) {
          this.log.error({ lost: this.pending }, 'could not write pending events before shutdown')
          return
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
  }
}
