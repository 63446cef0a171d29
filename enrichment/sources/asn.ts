// IP → autonomous system (number and owner) from @ip-location-db/asn (RouteViews,
// the five regional registries and DB-IP; CC BY 4.0), held as sorted range tables
// in typed arrays and searched by bisection. About 412k IPv4 and 103k IPv6 ranges:
// roughly 0.5 s to build, 25 MB of memory, millions of lookups per second.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ParsedIp } from '../../lib/ip.ts'

export interface AsnRecord {
  asn: number
  org: string
}

export interface AsnSource {
  lookup(ip: ParsedIp): AsnRecord | null
  /** The owner names the data gives for each of these AS numbers (one pass over the table). */
  ownerNames(asns: ReadonlySet<number>): Map<number, Set<string>>
  readonly stats: { v4: number; v6: number; clipped: number; buildMs: number }
}

/** Where the package's CSV files live (resolved through node_modules, never downloaded). */
function asnPackageDir(): string {
  const require = createRequire(import.meta.url)
  return dirname(require.resolve('@ip-location-db/asn/package.json'))
}

/** Splits one CSV line of "start,end,asn,org" where org may be quoted with "" escapes. */
function splitLine(line: string): [string, string, string, string] | null {
  const a = line.indexOf(',')
  const b = line.indexOf(',', a + 1)
  const c = line.indexOf(',', b + 1)
  if (a < 0 || b < 0 || c < 0) return null
  let org = line.slice(c + 1)
  if (org.startsWith('"')) org = org.slice(1, org.endsWith('"') ? -1 : undefined).replaceAll('""', '"')
  return [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1, c), org]
}

// Lines one at a time: text.split('\n') would hold 412k strings at once.
function* eachLine(text: string): Generator<string> {
  let from = 0
  while (from < text.length) {
    let to = text.indexOf('\n', from)
    if (to < 0) to = text.length
    yield text.slice(from, to)
    from = to + 1
  }
}

function lineCount(text: string): number {
  let n = 1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
  return n
}

class OrgTable {
  readonly names: string[] = []
  private readonly index = new Map<string, number>()
  id(name: string): number {
    let i = this.index.get(name)
    if (i === undefined) {
      i = this.names.length
      // A copy, not a slice: a slice would keep the whole 21 MB file text alive.
      const own = Buffer.from(name, 'utf8').toString('utf8')
      this.names.push(own)
      this.index.set(own, i)
    }
    return i
  }
}

/** Compares the address stored at words[at..at+3] with w (no subarray: this is the hot loop). */
function cmpAt(words: Uint32Array, at: number, w: readonly number[]): number {
  for (let i = 0; i < 4; i++) {
    const a = words[at + i]!
    const b = w[i]!
    if (a !== b) return a < b ? -1 : 1
  }
  return 0
}

export class AsnTable implements AsnSource {
  private v4start = new Uint32Array(0)
  private v4end = new Uint32Array(0)
  private v4asn = new Uint32Array(0)
  private v4org = new Uint32Array(0)
  // IPv6 bounds as four 32-bit words per address, most significant first.
  private v6start = new Uint32Array(0)
  private v6end = new Uint32Array(0)
  private v6asn = new Uint32Array(0)
  private v6org = new Uint32Array(0)
  private orgs = new OrgTable()
  stats = { v4: 0, v6: 0, clipped: 0, buildMs: 0 }

  /** Builds from the package's numeric CSVs (or from given CSV texts, for tests). */
  static load(texts?: { v4: string; v6: string }): AsnTable {
    const t0 = performance.now()
    const dir = texts ? '' : asnPackageDir()
    const v4 = texts?.v4 ?? readFileSync(join(dir, 'asn-ipv4-num.csv'), 'utf8')
    const v6 = texts?.v6 ?? readFileSync(join(dir, 'asn-ipv6-num.csv'), 'utf8')
    const t = new AsnTable()
    t.build4(v4)
    t.build6(v6)
    t.stats.buildMs = Math.round(performance.now() - t0)
    return t
  }

  private build4(text: string): void {
    const count = lineCount(text)
    const start = new Uint32Array(count)
    const end = new Uint32Array(count)
    const asn = new Uint32Array(count)
    const org = new Uint32Array(count)
    let n = 0
    for (const line of eachLine(text)) {
      const f = line ? splitLine(line) : null
      if (!f) continue
      let s = Number(f[0])
      const e = Number(f[1])
      if (!(s <= e) || e > 0xffffffff) continue
      // The file is sorted by start; a range that starts inside the previous one is
      // clipped to begin after it (one such overlap in the 2026 data: DoD 214.x).
      if (n > 0 && s <= end[n - 1]!) {
        if (e <= end[n - 1]!) {
          this.stats.clipped++
          continue
        }
        s = end[n - 1]! + 1
        this.stats.clipped++
      }
      start[n] = s
      end[n] = e
      asn[n] = Number(f[2])
      org[n] = this.orgs.id(f[3])
      n++
    }
    this.v4start = start.slice(0, n)
    this.v4end = end.slice(0, n)
    this.v4asn = asn.slice(0, n)
    this.v4org = org.slice(0, n)
    this.stats.v4 = n
  }

  private build6(text: string): void {
    const count = lineCount(text)
    const start = new Uint32Array(count * 4)
    const end = new Uint32Array(count * 4)
    const asn = new Uint32Array(count)
    const org = new Uint32Array(count)
    const M = 0xffffffffn
    const words = (x: bigint, out: Uint32Array, at: number) => {
      out[at] = Number((x >> 96n) & M)
      out[at + 1] = Number((x >> 64n) & M)
      out[at + 2] = Number((x >> 32n) & M)
      out[at + 3] = Number(x & M)
    }
    let n = 0
    let prevEnd = -1n
    for (const line of eachLine(text)) {
      const f = line ? splitLine(line) : null
      if (!f) continue
      let s: bigint
      let e: bigint
      try {
        s = BigInt(f[0])
        e = BigInt(f[1])
      } catch {
        continue
      }
      if (s > e) continue
      if (s <= prevEnd) {
        if (e <= prevEnd) {
          this.stats.clipped++
          continue
        }
        s = prevEnd + 1n
        this.stats.clipped++
      }
      words(s, start, n * 4)
      words(e, end, n * 4)
      asn[n] = Number(f[2])
      org[n] = this.orgs.id(f[3])
      prevEnd = e
      n++
    }
    this.v6start = start.slice(0, n * 4)
    this.v6end = end.slice(0, n * 4)
    this.v6asn = asn.slice(0, n)
    this.v6org = org.slice(0, n)
    this.stats.v6 = n
  }

  ownerNames(asns: ReadonlySet<number>): Map<number, Set<string>> {
    const out = new Map<number, Set<string>>()
    for (const [asn, org] of [
      [this.v4asn, this.v4org],
      [this.v6asn, this.v6org],
    ] as const) {
      for (let i = 0; i < asn.length; i++) {
        const a = asn[i]!
        if (!asns.has(a)) continue
        let names = out.get(a)
        if (!names) {
          names = new Set()
          out.set(a, names)
        }
        names.add(this.orgs.names[org[i]!]!)
      }
    }
    return out
  }

  lookup(ip: ParsedIp): AsnRecord | null {
    if (ip.v === 4) {
      const s = this.v4start
      let lo = 0
      let hi = s.length - 1
      let found = -1
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1
        if (s[mid]! <= ip.n) {
          found = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      if (found < 0 || ip.n > this.v4end[found]!) return null
      return { asn: this.v4asn[found]!, org: this.orgs.names[this.v4org[found]!]! }
    }
    const n = this.v6asn.length
    let lo = 0
    let hi = n - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (cmpAt(this.v6start, mid * 4, ip.w) <= 0) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    if (found < 0 || cmpAt(this.v6end, found * 4, ip.w) < 0) return null
    return { asn: this.v6asn[found]!, org: this.orgs.names[this.v6org[found]!]! }
  }
}
