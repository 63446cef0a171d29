// Batches accepted events into ClickHouse: one insert per table per flush instead
// of one per event. Flushes on size, after at most flushIntervalMs (1 s by default:
// the stats API promises a page view within 5 s), and on close (SIGTERM loses
// nothing acknowledged). A failing insert keeps the rows and retries with backoff.
import { randomUUID } from 'node:crypto'
import type { Db } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
import type { Logger } from '../lib/logger.ts'
import { LineBuffer } from './lines.ts'

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
  /** JSON lines, each ending in "\n". */
  text: string
  count: number
  // Sent as insert_deduplication_token: a retry after a timeout that did reach
  // ClickHouse is then stored once (tables carry non_replicated_deduplication_window).
  token: string
}

/** One table's rows: waiting, and the batch being written (retried as it is, with its token). */
interface Queue {
  table: string
  rows: LineBuffer
  batch: Batch | null
}

export class EventWriter {
  // Rows wait as JSON text, serialised as they arrive: encoding a whole batch at
  // flush time held the event loop for several milliseconds each second, in the
  // latency tail of every request that arrived meanwhile. Events first: IP rows are
  // only of use for events that exist.
  private readonly events: Queue = { table: 'events', rows: new LineBuffer(), batch: null }
  private readonly ips: Queue = { table: 'visit_ips', rows: new LineBuffer(), batch: null }
  private readonly forms: Queue = { table: 'form_domains', rows: new LineBuffer(), batch: null }
  private readonly queues = [this.events, this.ips, this.forms]
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

  /** Rows not yet written: events, their IP rows and form domains. */
  get pending(): number {
    return this.queues.reduce((n, q) => n + q.rows.count + (q.batch?.count ?? 0), 0)
  }

  /** False when MAX_PENDING_EVENTS events wait (ClickHouse failing for a while): the caller answers 503. */
  hasRoom(): boolean {
    return this.events.rows.count + (this.events.batch?.count ?? 0) < this.opts.maxPendingEvents
  }

  push(event: EventRow, ip: IpRow | null): void {
    this.events.rows.push(JSON.stringify(event))
    if (ip) this.ips.rows.push(JSON.stringify(ip))
    if (this.events.rows.count >= this.opts.flushMaxRows && Date.now() >= this.retryAt) void this.flush().catch(() => {})
  }

  pushForm(form: FormRow): void {
    this.forms.rows.push(JSON.stringify(form))
  }

  /**
   * Writes everything pending now. A flush that is already running writes only what was
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

  /**
   * Writes what was waiting when the flush began, table by table, in batches of at most
   * flushMaxRows. Rows that arrive meanwhile wait for the next flush: draining until the
   * queues were empty turned a 1 s flush under load into a stream of inserts of a few
   * hundred rows (the bench saw 14 inserts a second at 2,700 events/s, each a new part
   * in four tables, and IP rows starved behind them).
   */
  private async drain(): Promise<void> {
    const waiting = this.queues.map((q) => q.rows.count)
    try {
      for (const [i, q] of this.queues.entries()) {
        let left = waiting[i]!
        while (q.batch || left > 0) {
          if (!q.batch) {
            const count = Math.min(left, this.opts.flushMaxRows)
            q.batch = { text: q.rows.take(count), count, token: `${this.runId}-${++this.seq}` }
            left -= count
          }
          const { text, token } = q.batch
          await dayLock.run(() => this.db.insertText(q.table, text, { insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1 }))
          q.batch = null
        }
      }
      this.failures = 0
      this.retryAt = 0
      // Best effort, and only after a write: the inserts are what allocates.
      if (waiting.some((n) => n > 0)) await this.db.releaseMemory().catch(() => {})
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
