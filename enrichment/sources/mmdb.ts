// One MaxMind-format database file (DB-IP City Lite, GeoIP2/GeoLite2 City, ASN, ISP,
// Connection-Type, Domain, Anonymous-IP, Enterprise), read with `maxmind`'s raw
// records. Opened once; a miss is null and nothing throws into the caller; results
// are cached per network; reload() swaps in a replaced file and keeps the old
// reader when the new file is broken.
import { readFile, stat } from 'node:fs/promises'
import { Reader, type Response } from 'maxmind'
import { BoundedMap } from '../../lib/bounded.ts'
import { ipv4ToString, type ParsedIp } from '../ip.ts'

// Up to 50,000 networks (two generations of 25,000, lib/bounded.ts): a busy site
// sees a few thousand distinct /24s a day.
const CACHE_GENERATION = 25_000

export type ReloadResult = 'unchanged' | 'reloaded' | 'failed'

// T is the record shape the caller expects; maxmind's own Response types do not
// cover DB-IP's flat records, so the reader is untyped and the record cast once here.
export class MmdbSource<T> {
  private cache = new BoundedMap<string | number, T | null>(CACHE_GENERATION)
  private constructor(
    readonly path: string,
    private reader: Reader<Response>,
    private mtimeMs: number,
    private size: number,
  ) {}

  /** Opens `path`; throws with the path named when it is missing or not an MMDB file. */
  static async open<T>(path: string): Promise<MmdbSource<T>> {
    const [buf, st] = await Promise.all([readFile(path), stat(path)])
    return new MmdbSource<T>(path, MmdbSource.parse(buf, path), st.mtimeMs, st.size)
  }

  /** For tests: a source over an in-memory database. */
  static fromBuffer<T>(buf: Buffer, label = 'memory'): MmdbSource<T> {
    return new MmdbSource<T>(label, MmdbSource.parse(buf, label), 0, buf.length)
  }

  private static parse(buf: Buffer, path: string): Reader<Response> {
    try {
      return new Reader<Response>(buf)
    } catch (err) {
      throw new Error(`${path} is not a readable MaxMind DB file: ${(err as Error).message}`)
    }
  }

  get databaseType(): string {
    return this.reader.metadata.databaseType
  }

  /** The record for `ip`, or null. Never throws. */
  get(ip: ParsedIp, text: string): T | null {
    if (ip.v === 6 && this.reader.metadata.ipVersion === 4) return null
    // Cache key: the /24 or /48 first; a record found for a wider network is valid
    // for the whole /24 or /48, a narrower one is cached per address.
    // IPv4 keys are numbers (no string to build and hash): the /24 below 2^24, the
    // address itself above it. IPv6 keys are strings, so the two never meet.
    const wide = ip.v === 4 ? ip.n >>> 8 : `6/${ip.w[0]}:${ip.w[1]! >>> 16}`
    const hit = this.cache.get(wide)
    if (hit !== undefined) return hit
    const exact = ip.v === 4 ? 0x1000000 + ip.n : `6:${ip.w.join(':')}`
    const exactHit = this.cache.get(exact)
    if (exactHit !== undefined) return exactHit
    let rec: T | null = null
    let prefix = 0
    try {
      // An IPv4 client may arrive as ::ffff:a.b.c.d; the reader wants the plain form.
      const addr = ip.v === 4 && text.includes(':') ? ipv4ToString(ip.n) : text
      const [found, length] = this.reader.getWithPrefixLength(addr)
      rec = found as T | null
      prefix = length
    } catch {
      return null
    }
    this.cache.set(prefix <= (ip.v === 4 ? 24 : 48) ? wide : exact, rec)
    return rec
  }

  /** Re-opens the file when it changed on disk; on a broken file keeps the current reader. */
  async reload(): Promise<ReloadResult> {
    let st
    try {
      st = await stat(this.path)
    } catch {
      return 'failed'
    }
    if (st.mtimeMs === this.mtimeMs && st.size === this.size) return 'unchanged'
    try {
      const buf = await readFile(this.path)
      this.reader = MmdbSource.parse(buf, this.path)
    } catch {
      return 'failed'
    }
    this.mtimeMs = st.mtimeMs
    this.size = st.size
    this.cache.clear()
    return 'reloaded'
  }
}
