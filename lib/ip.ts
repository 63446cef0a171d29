// IP addresses as numbers, for range tables and network keys. IPv4-mapped IPv6
// (::ffff:1.2.3.4) is treated as the IPv4 address it carries.
import { isIPv4, isIPv6 } from 'node:net'

export type ParsedIp =
  | { v: 4; n: number } // unsigned 32-bit
  | { v: 6; w: [number, number, number, number] } // four unsigned 32-bit words, most significant first

function parseIpv4(s: string): number | null {
  let n = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || part > 255) return null
      n = n * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48)
      if (++digits > 3) return null
    } else return null
  }
  if (dots !== 3 || digits === 0 || part > 255) return null
  return n * 256 + part
}

function parseIpv6Words(s: string): [number, number, number, number] | null {
  if (!isIPv6(s)) return null
  let str = s
  const zone = str.indexOf('%')
  if (zone >= 0) str = str.slice(0, zone)
  // An embedded IPv4 tail becomes two hextets.
  const lastColon = str.lastIndexOf(':')
  const tail = str.slice(lastColon + 1)
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail)
    if (v4 === null) return null
    str = `${str.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head = '', rest] = str.split('::')
  const h = head ? head.split(':') : []
  const t = rest !== undefined && rest !== '' ? rest.split(':') : []
  const fill = rest !== undefined ? 8 - h.length - t.length : 0
  const hextets = [...h, ...Array<string>(fill).fill('0'), ...t].map((x) => parseInt(x, 16))
  if (hextets.length !== 8 || hextets.some((x) => Number.isNaN(x))) return null
  const w = (i: number) => ((hextets[i]! << 16) | hextets[i + 1]!) >>> 0
  return [w(0), w(2), w(4), w(6)]
}

export function parseIp(s: string): ParsedIp | null {
  if (isIPv4(s)) {
    const n = parseIpv4(s)
    return n === null ? null : { v: 4, n }
  }
  const w = parseIpv6Words(s)
  if (!w) return null
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { v: 4, n: w[3] }
  return { v: 6, w }
}

export const ipv4ToString = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`

function wordsToString(w: readonly number[]): string {
  const hex: string[] = []
  for (const x of w) hex.push(((x >>> 16) & 0xffff).toString(16), (x & 0xffff).toString(16))
  // Compress the longest run of zero hextets, as RFC 5952 asks.
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (hex[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && hex[j] === '0') j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

/**
 * The network an address belongs to, as used for learning and suppression:
 * IPv4 /24 and IPv6 /48 (the usual smallest routed blocks), e.g. "192.0.2.0/24".
 */
export function networkOf(ip: ParsedIp): string {
  if (ip.v === 4) return `${ipv4ToString(ip.n & 0xffffff00)}/24`
  return `${wordsToString([ip.w[0], ip.w[1] & 0xffff0000, 0, 0])}/48`
}

/**
 * networkOf as two 32-bit words written to `out`, for tables in typed arrays
 * (lib/bounded.ts), with the low word at least 2 as those tables ask: an IPv4 /24 has
 * bit 31 of the low word set, an IPv6 /48 bit 16, and no address at all is (0, 2).
 */
export function networkWords(ip: ParsedIp | null, out: Uint32Array): void {
  out[0] = ip?.v === 6 ? ip.w[0] : 0
  out[1] = !ip ? 2 : ip.v === 4 ? (ip.n >>> 8) | 0x80000000 : (ip.w[1] >>> 16) | 0x10000
}

/** A CIDR block as a closed range of parsed addresses, or null when malformed. */
export function parseCidr(
  s: string,
): { v: 4; from: number; to: number } | { v: 6; from: [number, number, number, number]; to: [number, number, number, number] } | null {
  const [addr, bitsText] = s.trim().split('/')
  if (!addr) return null
  const ip = parseIp(addr)
  if (!ip) return null
  const max = ip.v === 4 ? 32 : 128
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN
  if (!(bits >= 0 && bits <= max)) return null
  if (ip.v === 4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    const from = (ip.n & mask) >>> 0
    return { v: 4, from, to: (from | (~mask >>> 0)) >>> 0 }
  }
  const from: [number, number, number, number] = [0, 0, 0, 0]
  const to: [number, number, number, number] = [0, 0, 0, 0]
  for (let i = 0; i < 4; i++) {
    const b = Math.max(0, Math.min(32, bits - i * 32))
    const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0
    from[i] = (ip.w[i]! & mask) >>> 0
    to[i] = (from[i]! | (~mask >>> 0)) >>> 0
  }
  return { v: 6, from, to }
}

/** Compares two IPv6 word tuples. */
export function cmp6(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  }
  return 0
}

export function inCidr(ip: ParsedIp, cidr: NonNullable<ReturnType<typeof parseCidr>>): boolean {
  if (ip.v !== cidr.v) return false
  if (ip.v === 4 && cidr.v === 4) return ip.n >= cidr.from && ip.n <= cidr.to
  if (ip.v === 6 && cidr.v === 6) return cmp6(ip.w, cidr.from) >= 0 && cmp6(ip.w, cidr.to) <= 0
  return false
}
