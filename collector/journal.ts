// The collector's write-ahead journal: every accepted row is appended to a file, and
// the 202 goes out only after that write returned (and, with JOURNAL_SYNC, fdatasync). A killed
// process loses nothing it acknowledged: at the next start the writer inserts the
// files it finds, with the same deduplication tokens, so rows already in ClickHouse
// are not stored twice.
//
// Layout: one directory, one file ("segment") per flush, `<ms>-<n>-<random>.jsonl`, written
// append-only. A line is a one-letter table tag and the row's JSON. The writer seals
// the open segment when it flushes, inserts the sealed ones oldest first, and deletes
// each once all of its rows are in ClickHouse.
//
// Group commit: appends made while a write is in flight are written together by the
// next one, so a busy collector does one write (and fdatasync) per few milliseconds,
// not one per event (0.2 ms for write + fdatasync of 20 KB on the bench machine, with
// spikes that made fdatasync the default off: see JOURNAL_SYNC in lib/config.ts).
import {
  closeSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  write,
  writeFileSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { promisify } from 'node:util'

const writeAsync = promisify(write) as unknown as (fd: number, buf: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>
const syncAsync = promisify(fdatasync)

/** The tables the collector writes, by their one-letter tag in the journal. */
export const JOURNAL_TABLES = { e: 'events', i: 'visit_ips', f: 'form_domains' } as const
export type JournalTag = keyof typeof JOURNAL_TABLES

export interface Segment {
  /** File name without the directory: also the base of the batches' deduplication tokens. */
  name: string
  path: string
  bytes: number
}

/** A segment's rows per table, as JSONEachRow text (each line ends in "\n"), and how many. */
export type SegmentRows = Record<JournalTag, { text: string; count: number }>

interface Group {
  /** The lines as one string: encoded once, when the group is written. */
  text: string
  /** UTF-8 bytes of `text`, estimated as its length until written (the limit check needs no more). */
  bytes: number
  /** Called synchronously once the group is on disk, before anything else happens. */
  done: Array<(err: Error | null) => void>
}

const SEGMENT = /^\d{13}-\d{6}-[0-9a-f]{8}\.jsonl$/

export class JournalError extends Error {
  override name = 'JournalError'
}

export class Journal {
  private fd: number
  private current: Segment
  private collecting: Group | null = null
  private writing = false
  private sealWaiters: Array<{ resolve: (s: Segment) => void; reject: (e: Error) => void }> = []
  private closed = false
  private counter = 0
  private sealedBytes = 0
  private readonly lockPath: string

  /**
   * Opens (creating) the journal directory and a fresh segment; leftover() lists what an
   * earlier process left. One process per directory: a second one is refused while the
   * first is alive. `sync`: fdatasync every group (survives a power cut); without it a
   * write survives the process being killed, not the machine.
   */
  constructor(
    readonly dir: string,
    private readonly sync = false,
  ) {
    mkdirSync(dir, { recursive: true })
    this.lockPath = join(dir, 'LOCK')
    this.lock()
    this.current = this.openSegment()
    this.fd = openSync(this.current.path, 'a')
  }

  /** Segments left by an earlier process (everything but the one just opened), oldest first. */
  leftover(): Segment[] {
    return readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f) && f !== this.current.name)
      .sort()
      .map((name) => {
        const path = join(this.dir, name)
        const bytes = statSync(path).size
        this.sealedBytes += bytes
        return { name, path, bytes }
      })
  }

  /** Bytes in the journal: sealed segments not yet deleted, and the open one. */
  get bytes(): number {
    return this.sealedBytes + this.current.bytes + (this.collecting?.bytes ?? 0)
  }

  /**
   * Appends lines (tag + JSON each) and calls `done` once they are on disk (null) or the
   * write failed. `done` runs synchronously in the write's completion, before the
   * journal writes anything else or seals: the caller can move the rows to its queues
   * there and know they belong to the segment they were written to.
   */
  append(lines: ReadonlyArray<[JournalTag, string]>, done: (err: Error | null) => void): void {
    if (this.closed) {
      done(new JournalError('the journal is closed'))
      return
    }
    this.collecting ??= { text: '', bytes: 0, done: [] }
    const g = this.collecting
    for (const [tag, json] of lines) {
      g.text += `${tag}${json}\n`
      g.bytes += json.length + 2
    }
    g.done.push(done)
    this.kick()
  }

  /** Closes the open segment after everything appended so far is written, and starts a new one. */
  seal(): Promise<Segment> {
    return new Promise((resolve, reject) => {
      this.sealWaiters.push({ resolve, reject })
      this.kick()
    })
  }

  /** Deletes a segment whose rows are all in ClickHouse. */
  remove(s: Segment): void {
    unlinkSync(s.path)
    this.sealedBytes -= s.bytes
  }

  /** Rows in a segment (lines), read from disk: what /health reports for a journal left by an earlier process. */
  static countRows(s: Segment): number {
    const buf = readFileSync(s.path)
    let n = 0
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++
    return n
  }

  /** Reads a sealed segment back, per table. A last line cut short (the process was killed mid-write) was never acknowledged and is left out. */
  static read(s: Segment): SegmentRows {
    const text = readFileSync(s.path, 'utf8')
    const parts: Record<JournalTag, string[]> = { e: [], i: [], f: [] }
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const tag = text[start] as JournalTag
      if (tag in parts) parts[tag].push(text.slice(start + 1, nl + 1))
      start = nl + 1
    }
    const rows = (tag: JournalTag) => ({ text: parts[tag].join(''), count: parts[tag].length })
    return { e: rows('e'), i: rows('i'), f: rows('f') }
  }

  /** Writes what is pending, then closes the open segment (deleting it when empty) and releases the directory. */
  async close(): Promise<void> {
    this.closed = true
    // What was appended before is written first: a seal goes ahead of a collecting group.
    if (this.collecting || this.writing) {
      await new Promise<void>((resolve) => {
        this.collecting ??= { text: '', bytes: 0, done: [] }
        this.collecting.done.push(() => resolve())
        this.kick()
      })
    }
    const last = await this.seal()
    // The seal opened a fresh segment, which nothing can be appended to now.
    closeSync(this.fd)
    unlinkSync(this.current.path)
    if (last.bytes === 0) this.remove(last)
    try {
      unlinkSync(this.lockPath)
    } catch {
      // already gone
    }
  }

  private kick(): void {
    if (this.writing) return
    this.writing = true
    // setImmediate: every append of this turn of the event loop joins the group.
    setImmediate(() => void this.loop().catch(() => {}))
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        // A seal goes first. Under steady traffic a group is always collecting, and a
        // seal queued behind it waited for ever (found in review). The collecting
        // group's rows are not in the caller's queues yet: they belong to the next segment.
        if (this.sealWaiters.length > 0) {
          const waiters = this.sealWaiters.splice(0)
          try {
            const sealed = this.rotate()
            for (const w of waiters) w.resolve(sealed)
          } catch (e) {
            for (const w of waiters) w.reject(new JournalError(`journal segment could not be sealed: ${(e as Error).message}`))
          }
          continue
        }
        const g = this.collecting
        if (!g) break
        this.collecting = null
        let err: Error | null = null
        try {
          const buf = Buffer.from(g.text, 'utf8')
          let off = 0
          while (off < buf.length) off += (await writeAsync(this.fd, buf, off, buf.length - off)).bytesWritten
          if (this.sync) await syncAsync(this.fd)
          this.current.bytes += buf.length
        } catch (e) {
          err = new JournalError(`journal write failed: ${(e as Error).message}`)
          // A part written before the failure (a full disk) must not join the next line.
          try {
            ftruncateSync(this.fd, this.current.bytes)
          } catch {
            // the next read leaves a cut-off last line out; a torn middle line is refused and set aside
          }
        }
        for (const d of g.done) {
          try {
            d(err)
          } catch {
            // a caller's callback must not stop the journal
          }
        }
      }
    } finally {
      this.writing = false
    }
    // Appended or sealed while the loop was ending.
    if (this.collecting || this.sealWaiters.length > 0) this.kick()
  }

  /** Opens the next segment, then closes the current one: when opening fails (no file descriptors left), nothing changed. */
  private rotate(): Segment {
    const next = this.openSegment()
    const fd = openSync(next.path, 'a')
    const sealed = this.current
    closeSync(this.fd)
    this.fd = fd
    this.current = next
    this.sealedBytes += sealed.bytes
    return sealed
  }

  private openSegment(): Segment {
    // The random part keeps names (and so deduplication tokens) apart between collector
    // processes writing the same tables; time first, so that names sort oldest first.
    const name = `${Date.now()}-${String(++this.counter % 1_000_000).padStart(6, '0')}-${randomBytes(4).toString('hex')}.jsonl`
    return { name, path: join(this.dir, name), bytes: 0 }
  }

  private lock(): void {
    try {
      const pid = Number(readFileSync(this.lockPath, 'utf8'))
      if (pid && pid !== process.pid && alive(pid)) {
        throw new JournalError(`the journal in ${this.dir} is in use by process ${pid}; give each collector process its own JOURNAL_DIR`)
      }
    } catch (err) {
      if (err instanceof JournalError) throw err
      // no lock file, or an unreadable one: take it
    }
    writeFileSync(this.lockPath, String(process.pid))
    const fd = openSync(this.lockPath, 'r')
    fsyncSync(fd)
    closeSync(fd)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
