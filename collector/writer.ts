// Batches accepted events into ClickHouse: one insert per table per flush instead
// of one per event. Every row is first in the journal on disk (collector/journal.ts),
// and acknowledged only then. Flushes on size, after at most flushIntervalMs (1 s by
// default: the stats API promises a page view within 5 s), and on close (SIGTERM
// writes what is pending; what ClickHouse does not take stays in the journal). A
// failing insert keeps the rows on disk and retries with backoff.
import { appendFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
import type { Logger } from '../lib/logger.ts'
import { answeredByClickHouse, errorFields } from '../lib/errors.ts'
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
  /** The source the event is credited to (collector/sources.ts); '' is Direct / None. */
  source: string
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
// As many ids as RecentIds keeps in a generation (collector/dedup.ts).
const LEFTOVER_KEYS = 100_000

/** A sealed journal segment on its way into ClickHouse; `rows` is dropped after a failed try and read from disk again. */
interface Pending {
  segment: Segment
  rows: SegmentRows | null
  count: number
  /** Tables whose rows of this segment are in (or set aside). */
  done: Set<JournalTag>
  /** Per table, drains in which the table took other rows and refused rows of this segment that parse. */
  tries: Partial<Record<JournalTag, number>>
}

/** Rows ClickHouse refused although they parse, with the deduplication token they were sent under. */
interface Refused {
  lines: string[]
  token: string
}

/**
 * How many sealed segments a drain passes over when a table refused rows of them that
 * parse: the rows' fault if a later segment goes in, the table's (or the server's) if
 * none does. It bounds what a drain sends to a server that refuses everything.
 */
const MAX_PASSED_OVER = 3

/**
 * Drains (with backoff, about 4 minutes) in which a table takes other rows but refuses
 * rows of a segment that parse, before those rows are blamed and set aside: a view that
 * refuses a value does so every time, too many parts or too little memory pass.
 */
const BLAME_AFTER = 10

/** Days set-aside rows are kept: under the 7 days after which no IP address may be on disk. */
const REJECTED_KEEP_DAYS = 5

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
    this.sealed = this.journal.leftover().map((segment) => ({ segment, rows: null, count: Journal.countRows(segment), done: new Set(), tries: {} }))
    if (this.sealed.length > 0) log.info({ segments: this.sealed.length, rows: this.pending }, 'journal: rows from an earlier run will be written')
  }

  /**
   * `site/event_id` of every event in the segments an earlier process left: acknowledged
   * (or killed before its answer went out) but perhaps not in ClickHouse yet, so that
   * RecentIds, seeded from ClickHouse, knows them too. Read once, at start.
   */
  leftoverKeys(max = LEFTOVER_KEYS): string[] {
    const keys: string[] = []
    // Newest segments first, and no more than RecentIds keeps (a full journal is 512 MB).
    for (const p of [...this.sealed].reverse()) {
      const { text } = (p.rows ?? Journal.read(p.segment)).e
      for (const line of text.split('\n').reverse()) {
        if (keys.length >= max) return keys.reverse()
        if (line === '') continue
        try {
          const row = JSON.parse(line) as Pick<EventRow, 'site' | 'event_id'>
          keys.push(`${row.site}/${row.event_id}`)
        } catch {
          // A torn line: the flush sets it aside (journal.ts); it must not stop the start.
        }
      }
    }
    // Oldest first, as RecentIds takes them: the newest stay longest.
    return keys.reverse()
  }

  start(): void {
    this.sweepRejected()
    this.timer ??= setInterval(() => {
      this.sweepRejected()
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
   *
   * Rows ClickHouse cannot parse are set aside whatever the error (see `store`). Rows it
   * parses but refuses wait, later segments go ahead of them (at most MAX_PASSED_OVER),
   * and the drain fails (retried with backoff); after BLAME_AFTER drains in which the
   * table took other rows and still refused these, they are set aside.
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
        this.sealed.push({ segment, rows, count, done: new Set(), tries: {} })
      }
      // Tables that took rows in this drain.
      const takes = new Set<JournalTag>()
      let passedOver = 0
      for (let i = 0; i < this.sealed.length && passedOver < MAX_PASSED_OVER; ) {
        const p = this.sealed[i]!
        p.rows ??= Journal.read(p.segment)
        for (const t of TAGS) {
          const { text, count } = p.rows[t]
          if (count === 0 || p.done.has(t)) continue
          const out = await this.store(t, text.split('\n').slice(0, -1), `${p.segment.name}-${t}`, takes, false)
          wrote ||= takes.has(t)
          if (out.waiting.length > 0) {
            // Rows that parse but are refused: a passing state of the server (too many
            // parts, memory) as often as the rows. Blamed only after BLAME_AFTER drains
            // in which the table took other rows and still refused these.
            if ((p.tries[t] ?? 0) < BLAME_AFTER) continue
            for (const w of out.waiting) out.aside.push(...(await this.store(t, w.lines, w.token, takes, true)).aside)
          }
          this.setAside(t, out.aside)
          p.done.add(t)
        }
        if (TAGS.every((t) => p.rows![t].count === 0 || p.done.has(t))) {
          this.journal.remove(p.segment)
          this.sealed.splice(i, 1)
        } else {
          passedOver++
          i++
        }
      }
      // A drain counts against waiting rows only if their table took other rows in it.
      for (const p of this.sealed) for (const t of TAGS) if (waiting(p, t) && takes.has(t)) p.tries[t] = (p.tries[t] ?? 0) + 1
      if (this.sealed.some((p) => TAGS.some((t) => waiting(p, t)))) {
        const e = this.refusal as { code?: string; type?: string }
        throw Object.assign(new Error('ClickHouse refused rows that it can parse; they are tried again'), { code: e.code, type: e.type })
      }
      this.failures = 0
      this.retryAt = 0
    } catch (err) {
      // The rows stay on disk; memory is not held for them while ClickHouse is away.
      for (const p of this.sealed) p.rows = null
      this.failures++
      const wait = Math.min(MAX_BACKOFF_MS, (this.opts.retryBaseMs ?? 500) * 2 ** this.failures)
      this.retryAt = Date.now() + wait
      this.log.error(
        { ...errorFields(err), pending: this.pending, journalBytes: this.journal.bytes, retryInMs: wait },
        'insert failed; rows kept in the journal for retry',
      )
      throw err
    } finally {
      // Best effort, and only after a write: the inserts are what allocates.
      if (wrote) await this.db.releaseMemory().catch(() => {})
    }
  }

  /** The last refusal ClickHouse answered, for the log: its code and name, never its text. */
  private refusal: unknown = null

  /**
   * Inserts `lines` (JSON rows of one table) under `token`. When ClickHouse answers with
   * an error, whatever the error, the part is first parsed alone (an insert into the
   * table's Null-engine twin, sql/011). A part that parses is returned as `waiting`: the
   * table, the server or a passing state is at fault, not yet the rows (a server that
   * refuses everything costs two statements, not two per row). A part that does not
   * parse is split in halves and tried again, down to the rows that do not parse:
   * `aside`. Parsing is deterministic, so the splits and their tokens (`…-0`, `…-1`) are
   * the same on every try and after a crash, and deduplicate. With `blame` (rows refused
   * for BLAME_AFTER drains while the table took others) the split goes on to the rows
   * refused, parsed or not. Any failure that is not an answer of ClickHouse's
   * (unreachable, a connection timeout) is thrown: the segment is tried again.
   */
  private async store(
    tag: JournalTag,
    lines: string[],
    token: string,
    takes: Set<JournalTag>,
    blame: boolean,
  ): Promise<{ aside: string[]; waiting: Refused[] }> {
    try {
      await dayLock.run(() =>
        this.db.insertText(JOURNAL_TABLES[tag], `${lines.join('\n')}\n`, {
          insert_deduplication_token: token,
          deduplicate_blocks_in_dependent_materialized_views: 1,
        }),
      )
      takes.add(tag)
      return { aside: [], waiting: [] }
    } catch (err) {
      if (!answeredByClickHouse(err)) throw err
      this.refusal = err
      if (!blame && (await this.parses(tag, lines))) return { aside: [], waiting: [{ lines, token }] }
      if (lines.length === 1) return { aside: lines, waiting: [] }
      const half = Math.ceil(lines.length / 2)
      const a = await this.store(tag, lines.slice(0, half), `${token}-0`, takes, blame)
      const b = await this.store(tag, lines.slice(half), `${token}-1`, takes, blame)
      return { aside: [...a.aside, ...b.aside], waiting: [...a.waiting, ...b.waiting] }
    }
  }

  /**
   * Whether the rows are not to blame: ClickHouse parses them with the table's column
   * types (nothing is stored), or it refuses even an empty row `{}` (every column its
   * default), as a server without the table does (another database, a failed migration).
   */
  private async parses(tag: JournalTag, lines: string[]): Promise<boolean> {
    const twin = `${JOURNAL_TABLES[tag]}_parse_check`
    try {
      await this.db.insertText(twin, `${lines.join('\n')}\n`)
      return true
    } catch (err) {
      if (!answeredByClickHouse(err)) throw err
    }
    try {
      await this.db.insertText(twin, '{}\n')
      return false
    } catch (err) {
      if (!answeredByClickHouse(err)) throw err
      return true
    }
  }

  /**
   * Rows ClickHouse refused for themselves: kept in the journal directory, one file a day
   * (rejected-YYYY-MM-DD.jsonl), never retried, for an operator to look at. They can hold
   * a full IP address and a visitor id, so files older than REJECTED_KEEP_DAYS are deleted
   * here: no address outlives the week the privacy policy promises.
   */
  private setAside(tag: JournalTag, rows: string[]): void {
    if (rows.length === 0) return
    const today = new Date().toISOString().slice(0, 10)
    appendFileSync(join(this.opts.journalDir, `rejected-${today}.jsonl`), rows.map((r) => `${tag}${r}\n`).join(''))
    // Code and name only: ClickHouse's message quotes the row, and the row can hold an address.
    this.log.error(
      { table: JOURNAL_TABLES[tag], rows: rows.length, ...errorFields(this.refusal) },
      `ClickHouse refused rows; they are kept in the journal directory as rejected-${today}.jsonl`,
    )
  }

  private lastSweep = 0

  /** Deletes set-aside files older than REJECTED_KEEP_DAYS: at start, then at most hourly from the flush timer. */
  private sweepRejected(): void {
    if (Date.now() - this.lastSweep < 3_600_000) return
    this.lastSweep = Date.now()
    const oldest = new Date(Date.now() - REJECTED_KEEP_DAYS * 86_400_000).toISOString().slice(0, 10)
    for (const f of readdirSync(this.opts.journalDir)) {
      const day = /^rejected-(\d{4}-\d{2}-\d{2})\.jsonl$/.exec(f)?.[1]
      if (day !== undefined && day < oldest) rmSync(join(this.opts.journalDir, f), { force: true })
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
          this.log.error(
            { rows: this.pending, journal: this.journal.dir },
            'ClickHouse did not take the pending rows before shutdown; they stay in the journal and are written at the next start',
          )
          break
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    await this.journal.close()
  }
}

/** Rows of table `t` in segment `p` that were read in this drain and are not in yet. */
function waiting(p: Pending, t: JournalTag): boolean {
  return p.rows !== null && p.rows[t].count > 0 && !p.done.has(t)
}
