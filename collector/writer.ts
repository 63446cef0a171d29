// Batches accepted events into ClickHouse: one insert per table per flush instead
// of one per event. Flushes on size, after at most flushIntervalMs (1 s by default:
// the stats API promises a page view within 5 s), and on close (SIGTERM loses
// nothing acknowledged). A failing insert keeps the rows and retries with backoff.
import { randomUUID } from 'node:crypto'
import type { Db } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
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

/** An e-mail domain submitted in a form, with the submitter's network (never the address). */
export interface FormRow {
  site: string
  network: string
  vid: string
  domain: string
  ts: string
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

interface Batch {
  /** JSON lines: see push(). */
  rows: string[]
  // Sent as insert_deduplication_token: a retry after a timeout that did reach
  // ClickHouse is then stored once (tables carry non_replicated_deduplication_window).
  token: string
}

export class EventWriter {
  // Rows wait as JSON text, serialised as they arrive: encoding a whole batch at
  // flush time held the event loop for several milliseconds each second, in the
  // latency tail of every request that arrived meanwhile.
  private events: string[] = []
  private ips: string[] = []
  private forms: string[] = []
  // The batch being written is kept apart and retried as it is, with its token.
  private eventBatch: Batch | null = null
  private ipBatch: Batch | null = null
  private formBatch: Batch | null = null
  private running: Promise<void> | null = null
  private following: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private retryAt = 0
  private seq = 0
  private readonly runId = randomUUID()

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

  /** Rows not yet written: events and their IP rows. */
  get pending(): number {
    return (
      this.events.length + this.ips.length + this.forms.length +
      (this.eventBatch?.rows.length ?? 0) + (this.ipBatch?.rows.length ?? 0) + (this.formBatch?.rows.length ?? 0)
    )
  }

  /** False when too much is waiting (ClickHouse failing for a while): the caller answers 503. */
  hasRoom(): boolean {
    return this.pending < this.opts.maxPendingEvents * 2
  }

  push(event: EventRow, ip: IpRow | null): void {
    this.events.push(JSON.stringify(event))
    if (ip) this.ips.push(JSON.stringify(ip))
    if (this.events.length >= this.opts.flushMaxRows && Date.now() >= this.retryAt) void this.flush().catch(() => {})
  }

  pushForm(form: FormRow): void {
    this.forms.push(JSON.stringify(form))
  }

  /**
   * Writes everything pending now. A flush that is already running wrote only what was
   * waiting when it began, so a call during it is answered by the one after it; calls
   * meanwhile share that one. Rejects if an insert fails.
   */
  flush(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null
      })
      return this.running
    }
    this.following ??= this.running
      .finally(() => {
        this.following = null
      })
      .then(() => this.flush())
    return this.following
  }

  private take(queue: string[], limit: number): Batch {
    return { rows: queue.splice(0, Math.min(limit, this.opts.flushMaxRows)), token: `${this.runId}-${++this.seq}` }
  }

  private async write(table: string, batch: Batch): Promise<void> {
    await dayLock.run(() => this.db.insertLines(table, batch.rows, { insert_deduplication_token: batch.token, deduplicate_blocks_in_dependent_materialized_views: 1 }))
  }

  /**
   * Writes one table's rows that were waiting when the flush began, in batches of at
   * most flushMaxRows. Rows that arrive during the insert wait for the next flush:
   * draining until the queue is empty turned a 1 s flush under load into a stream of
   * inserts of a few hundred rows (the bench saw 14 inserts a second at 2,700
   * events/s, each a new part in four tables, and IP rows starved behind them).
   */
  private async drainQueue(table: string, queue: string[], waiting: number, get: () => Batch | null, set: (b: Batch | null) => void): Promise<void> {
    for (;;) {
      let batch = get()
      if (!batch) {
        if (waiting <= 0) return
        batch = this.take(queue, waiting)
        waiting -= batch.rows.length
        set(batch)
      }
      await this.write(table, batch)
      set(null)
    }
  }

  private async drain(): Promise<void> {
    try {
      // Events first: the IP rows are only of use for events that exist. What is
      // counted here is written; anything newer waits, IP rows with their events.
      const waiting = [this.events.length, this.ips.length, this.forms.length] as const
      await this.drainQueue('events', this.events, waiting[0], () => this.eventBatch, (b) => (this.eventBatch = b))
      await this.drainQueue('visit_ips', this.ips, waiting[1], () => this.ipBatch, (b) => (this.ipBatch = b))
      await this.drainQueue('form_domains', this.forms, waiting[2], () => this.formBatch, (b) => (this.formBatch = b))
      this.failures = 0
      this.retryAt = 0
    } catch (err) {
      this.failures++
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures)
      this.retryAt = Date.now() + wait
      // Code and type only: ClickHouse's message can quote row data (an IP among it).
      const e = err as { code?: string; type?: string }
      this.log.error({ code: e.code ?? 'network', type: e.type ?? (err as Error).name, pending: this.pending, retryInMs: wait }, 'insert failed; rows kept for retry')
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
          this.log.error({ lost: this.pending }, 'could not write pending rows before shutdown')
          return
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
  }
}
