// Batches accepted events into ClickHouse: one insert per table per flush instead
// of one per event. Every row is first in the journal on disk (collector/journal.ts),
// and acknowledged only then. Flushes on size, after at most flushIntervalMs (1 s by
// default: the stats API promises a page view within 5 s), and on close (SIGTERM
// writes what is pending; what ClickHouse does not take stays in the journal). A
// failing insert keeps the rows on disk and retries with backoff.
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
import type { Logger } from '../lib/logger.ts'
import { JOURNAL_TABLES, Journal, type JournalTag, type Segment, type SegmentRows } from './journal.ts'
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
  /** Where the journal's segments are written (one process per directory). */
  journalDir: string
  /** Above this many bytes in the journal (ClickHouse failing for a while) the collector answers 503. */
  journalMaxBytes: number
  /** fdatasync each journal write: acknowledged events then survive a power cut, not only a killed process. */
  journalSync?: boolean
  /** The first retry waits twice this, doubling up to 30 s (500 ms: 1, 2, 4, 8, 16, 30 s). */
  retryBaseMs?: number
}

const MAX_BACKOFF_MS = 30_000
const TAGS = Object.keys(JOURNAL_TABLES) as JournalTag[]

/** A sealed journal segment on its way into ClickHouse; `rows` is dropped after a failed try and read from disk again. */
interface Pending {
  segment: Segment
  rows: SegmentRows | null
  count: number
}

export class EventWriter {
  // Rows wait in memory as JSON lines, serialised as they arrive (encoding a whole
  // batch at flush time held the event loop for milliseconds), and on disk in the
  // journal. A row enters its queue only once its journal write returned, so the
  // queues always hold exactly the open segment's rows.
  private readonly queues: Record<JournalTag, LineBuffer> = { e: new LineBuffer(), i: new LineBuffer(), f: new LineBuffer() }
  private readonly journal: Journal
  private readonly sealed: Pending[]
  private running: Promise<void> | null = null
  private following: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private retryAt = 0

  constructor(
    private readonly db: Db,
    private readonly opts: WriterOptions,
    private readonly log: Logger,
  ) {
    this.journal = new Journal(opts.journalDir, opts.journalSync ?? false)
    // What a killed (or cut-off) process left: written first, under the tokens it had.
    this.sealed = this.journal.leftover().map((segment) => ({ segment, rows: null, count: Journal.countRows(segment) }))
    if (this.sealed.length > 0) log.info({ segments: this.sealed.length, rows: this.pending }, 'journal: rows from an earlier run will be written')
  }

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.pending > 0 && Date.now() >= this.retryAt) void this.flush().catch(() => {})
    }, this.opts.flushIntervalMs)
    this.timer.unref()
    if (this.sealed.length > 0) void this.flush().catch(() => {})
  }

  /** Rows not yet in ClickHouse: events, their IP rows and form domains. */
  get pending(): number {
    return TAGS.reduce((n, t) => n + this.queues[t].count, 0) + this.sealed.reduce((n, p) => n + p.count, 0)
  }

  /** Bytes waiting in the journal on disk. */
  get journalBytes(): number {
    return this.journal.bytes
  }

  /** False once the journal holds journalMaxBytes (ClickHouse failing for a while): the caller answers 503. */
  hasRoom(): boolean {
    return this.journal.bytes < this.opts.journalMaxBytes
  }

  /** Resolves once the event (and its IP row) is in the journal on disk: only then may it be acknowledged. */
  push(event: EventRow, ip: IpRow | null): Promise<void> {
    const lines: Array<[JournalTag, string]> = [['e', JSON.stringify(event)]]
    if (ip) lines.push(['i', JSON.stringify(ip)])
    return this.append(lines)
  }

  pushForm(form: FormRow): Promise<void> {
    return this.append([['f', JSON.stringify(form)]])
  }

  private append(lines: Array<[JournalTag, string]>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.journal.append(lines, (err) => {
        if (err) return reject(err)
        for (const [tag, json] of lines) this.queues[tag].push(json)
        if (this.queues.e.count >= this.opts.flushMaxRows && Date.now() >= this.retryAt) void this.flush().catch(() => {})
        resolve()
      })
    })
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
   * Seals the open segment (rows arriving meanwhile go to the next one: draining until
   * the queues were empty turned a 1 s flush under load into 14 small inserts a second),
   * then writes the sealed segments oldest first, one insert per table each, and
   * deletes a segment once all of it is in. Each insert carries the segment's name as
   * its deduplication token: a segment written again after a crash or a lost answer is
   * stored once (the tables keep the last 1,000 tokens).
   */
  private async drain(): Promise<void> {
    let wrote = false
    try {
      if (TAGS.some((t) => this.queues[t].count > 0)) {
        const segment = await this.journal.seal()
        // Synchronously after the seal: no journal write can complete in between.
        const rows = {} as SegmentRows
        let count = 0
        for (const t of TAGS) {
          rows[t] = { count: this.queues[t].count, text: this.queues[t].takeAll() }
          count += rows[t].count
        }
        this.sealed.push({ segment, rows, count })
      }
      while (this.sealed.length > 0) {
        const p = this.sealed[0]!
        p.rows ??= Journal.read(p.segment)
        for (const t of TAGS) {
          const { text, count } = p.rows[t]
          if (count === 0) continue
          await this.insert(t, text, count, `${p.segment.name}-${t}`)
          wrote = true
        }
        this.journal.remove(p.segment)
        this.sealed.shift()
      }
      this.failures = 0
      this.retryAt = 0
    } catch (err) {
      // The rows stay on disk; memory is not held for them while ClickHouse is away.
      for (const p of this.sealed) p.rows = null
      this.failures++
      const wait = Math.min(MAX_BACKOFF_MS, (this.opts.retryBaseMs ?? 500) * 2 ** this.failures)
      this.retryAt = Date.now() + wait
      // Code and type only: ClickHouse's message can quote row data (an IP among it).
      const e = err as { code?: string; type?: string }
      this.log.error({ code: e.code ?? 'network', type: e.type ?? (err as Error).name, pending: this.pending, journalBytes: this.journal.bytes, retryInMs: wait }, 'insert failed; rows kept in the journal for retry')
      throw err
    } finally {
      // Best effort, and only after a write: the inserts are what allocates.
      if (wrote) await this.db.releaseMemory().catch(() => {})
    }
  }

  /**
   * One table's rows of a segment. ClickHouse refusing the rows themselves (a value it
   * cannot parse) must not hold up every later segment for ever: the rows are split in
   * halves until the refused ones are alone, those go to `rejected.jsonl` in the journal
   * directory (logged, never retried), and the rest is stored. Tokens stay deterministic
   * (`…-0`, `…-1`), so a replay after a crash splits and deduplicates the same way.
   * Any other failure (ClickHouse away, a timeout) is thrown: the segment is tried again.
   */
  private async insert(tag: JournalTag, text: string, count: number, token: string): Promise<void> {
    try {
      await dayLock.run(() => this.db.insertText(JOURNAL_TABLES[tag], text, { insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1 }))
    } catch (err) {
      if (!refusedData(err)) throw err
      if (count === 1) {
        appendFileSync(join(this.opts.journalDir, 'rejected.jsonl'), `${tag}${text}`)
        // Table and error type only: the row can hold an address.
        this.log.error({ table: JOURNAL_TABLES[tag], type: (err as { type?: string }).type }, 'ClickHouse refused a row; it is kept in the journal directory as rejected.jsonl')
        return
      }
      const lines = text.split('\n').slice(0, -1)
      const half = Math.ceil(lines.length / 2)
      const part = (ls: string[]) => `${ls.join('\n')}\n`
      await this.insert(tag, part(lines.slice(0, half)), half, `${token}-0`)
      await this.insert(tag, part(lines.slice(half)), lines.length - half, `${token}-1`)
    }
  }

  /**
   * Stops the timer and writes what is left, retrying until `deadlineMs` has passed.
   * Whatever ClickHouse did not take by then stays in the journal for the next start.
   */
  async close(deadlineMs = 15_000): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const until = Date.now() + deadlineMs
    while (this.pending > 0) {
      try {
        await this.flush()
      } catch {
        if (Date.now() > until) {
          this.log.error({ rows: this.pending, journal: this.journal.dir }, 'ClickHouse did not take the pending rows before shutdown; they stay in the journal and are written at the next start')
          break
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    await this.journal.close()
  }
}

/** ClickHouse answered and refused the data itself (as opposed to being unreachable or overloaded). */
function refusedData(err: unknown): boolean {
  const type = (err as { type?: string }).type ?? ''
  // Row-level parse errors only: a socket read error, a schema or view mismatch is not the
  // rows' fault, and setting rows aside for it would drop good events (found in review).
  return /^(CANNOT_PARSE_|INCORRECT_DATA$|CANNOT_READ_ARRAY_FROM_TEXT$|CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN$|TOO_LARGE_STRING_SIZE$|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE$)/.test(type)
}
