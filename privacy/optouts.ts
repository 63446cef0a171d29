// Visitor ids that opted out, kept as SHA-256 hashes: the collector checks every event
// against them; `optouts` persists them so that a restart or another process honours
// them, without holding the id itself (an erased visitor leaves no id behind).
//
// In memory they are a Bloom filter of a fixed size, whatever the list's length (review
// finding: 1 M rows in a Set made idle RSS 1.3 GB, 2.5 M crashed the start). The list
// is read as a stream, never whole. A false positive drops an event of a visitor who
// did not opt out: at 1 M entries one in 8 million, at 5 M one in 200.
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { vidHash } from './hash.ts'

/** 2^26 bits: 8 MiB. */
const BITS_LOG2 = 26
/** Bit positions per entry (optimal for about 6 M entries at this size). */
const K = 7
/** The whole list is read again this often, to forget the ids that opted back in elsewhere. */
const FULL_RELOAD_MS = 3_600_000
/** Rows inserted by other processes arrive with a lag; each refresh reads back this far. */
const OVERLAP_S = 120

class Bloom {
  readonly bits = new Uint32Array(2 ** (BITS_LOG2 - 5))
  /** The K positions of a SHA-256 hex hash: its first K 32-bit words (already uniform). */
  private static positions(hash: string): number[] {
    const out: number[] = []
    for (let i = 0; i < K; i++) out.push(Number.parseInt(hash.slice(i * 8, i * 8 + 8), 16) >>> (32 - BITS_LOG2))
    return out
  }
  add(hash: string): void {
    for (const p of Bloom.positions(hash)) this.bits[p >>> 5]! |= 1 << (p & 31)
  }
  has(hash: string): boolean {
    for (const p of Bloom.positions(hash)) if ((this.bits[p >>> 5]! & (1 << (p & 31))) === 0) return false
    return true
  }
}

/** How often every process reads new sites, opt-outs and the ingest budget from ClickHouse (server/main.ts). */
export const REFRESH_MS = 10_000

export interface OptoutLimits {
  /** New opt-out rows a rolling hour, over all processes: each costs every process a moment of reading. */
  optoutMaxPerHour: number
}

export class Optouts {
  private bloom = new Bloom()
  /** Opted back in since the last full read: the filter cannot forget them. */
  private removed = new Set<string>()
  private lastFull = 0
  private since = 0
  /** Changes made while a full read is running, replayed onto its result. */
  private readonly inFlight = new Set<Array<[boolean, string]>>()

  constructor(
    private readonly db: Db,
    private readonly limits: OptoutLimits = { optoutMaxPerHour: 1000 },
  ) {}

  /** Every 10 s in every process: the rows added since the last read; the whole list once an hour. */
  async refresh(): Promise<void> {
    // A read still running (a long list, a slow server) is not started again on top of it.
    if (this.reading) return this.reading
    this.reading = this.read().finally(() => {
      this.reading = null
    })
    return this.reading
  }

  private reading: Promise<void> | null = null

  private async read(): Promise<void> {
    const started = Math.floor(Date.now() / 1000)
    if (Date.now() - this.lastFull >= FULL_RELOAD_MS) {
      const changes: Array<[boolean, string]> = []
      this.inFlight.add(changes)
      try {
        const fresh = new Bloom()
        await this.stream('SELECT vid_hash FROM optouts FINAL', {}, (h) => fresh.add(h))
        const removed = new Set<string>()
        for (const [added, h] of changes) {
          if (added) fresh.add(h)
          else removed.add(h)
        }
        this.bloom = fresh
        this.removed = removed
        this.lastFull = Date.now()
      } finally {
        this.inFlight.delete(changes)
      }
    } else {
      // An entry added again (opted out after opting back in, here or in another process) counts again.
      await this.stream('SELECT vid_hash FROM optouts WHERE created_at >= toDateTime({since:UInt32})', { since: this.since - OVERLAP_S }, (h) => {
        this.bloom.add(h)
        this.removed.delete(h)
      })
    }
    this.since = started
  }

  private async stream(query: string, params: Record<string, unknown>, each: (hash: string) => void): Promise<void> {
    const rs = await this.db.client.query({ query, query_params: params, format: 'JSONCompactEachRow' })
    for await (const rows of rs.stream<[string]>()) for (const r of rows) each(r.json()[0])
  }

  has(vid: string): boolean {
    const h = vidHash(vid)
    return this.bloom.has(h) && !this.removed.has(h)
  }

  /**
   * Whether events of this id were ever stored. An opt-out or erasure of an id that never
   * was adds nothing to the list: a random id costs an attacker a request and Spoor a
   * row in every process's memory for 400 days. Uses the bloom index on events.vid (sql/012).
   */
  async seen(vid: string): Promise<boolean> {
    const rows = await this.db.query<{ n: number }>('SELECT 1 AS n FROM events WHERE vid = {vid:String} LIMIT 1', { vid })
    return rows.length > 0
  }

  /**
   * Records the opt-out of an id that was seen. Refused with 503 past the hourly cap of all
   * processes together; an erasure is not (`capped: false`): it is limited on its own, and
   * must not be stopped by someone using up the opt-outs.
   */
  async add(vid: string, opts: { capped: boolean } = { capped: true }): Promise<void> {
    const h = vidHash(vid)
    // Inserted again when already listed: the row's created_at (and its 400 days) start anew.
    const [r] = opts.capped ? await this.db.query<{ n: string }>('SELECT uniqExact(vid_hash) AS n FROM optouts WHERE created_at > now() - INTERVAL 1 HOUR') : []
    if (opts.capped && Number(r?.n ?? 0) >= this.limits.optoutMaxPerHour) {
      throw new HttpError(
        503,
        'too many opt-outs were recorded in the last hour; the opt-out cookie is set, and the list entry can be retried later',
        undefined,
        { 'Retry-After': '600' },
      )
    }
    this.bloom.add(h)
    this.removed.delete(h)
    for (const c of this.inFlight) c.push([true, h])
    await this.db.insert('optouts', [{ vid_hash: h }])
  }

  async remove(vid: string): Promise<void> {
    const h = vidHash(vid)
    this.removed.add(h)
    for (const c of this.inFlight) c.push([false, h])
    await this.db.command('DELETE FROM optouts WHERE vid_hash = {h:String}', { h })
  }
}
