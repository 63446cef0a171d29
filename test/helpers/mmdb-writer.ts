// A small MaxMind DB (MMDB v2) writer for test fixtures: npm has no MMDB writer.
// Format: https://maxmind.github.io/MaxMind-DB/ — a binary search tree over the
// address bits (32-bit records here), 16 zero bytes, the data section, then the
// metadata map after the marker "\xAB\xCD\xEFMaxMind.com".
import { parseIp } from '../../lib/ip.ts'

export type MmdbValue = string | number | boolean | MmdbValue[] | { [k: string]: MmdbValue }

interface Node {
  l: Node | number | null // number: index into data records
  r: Node | number | null
}

function ctrl(type: number, size: number): Buffer {
  // Types above 7 are "extended": type 0 in the control byte, (type - 7) in the next byte.
  const parts: number[] = []
  let sizeBits: number
  const ext: number[] = []
  if (size < 29) sizeBits = size
  else if (size < 285) {
    sizeBits = 29
    ext.push(size - 29)
  } else if (size < 65821) {
    sizeBits = 30
    const s = size - 285
    ext.push(s >> 8, s & 255)
  } else {
    sizeBits = 31
    const s = size - 65821
    ext.push((s >> 16) & 255, (s >> 8) & 255, s & 255)
  }
  if (type <= 7) parts.push((type << 5) | sizeBits)
  else parts.push(sizeBits, type - 7)
  return Buffer.from([...parts, ...ext])
}

export function encodeValue(v: MmdbValue): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8')
    return Buffer.concat([ctrl(2, b.length), b])
  }
  if (typeof v === 'boolean') return ctrl(14, v ? 1 : 0)
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
      const bytes: number[] = []
      for (let x = v; x > 0; x = Math.floor(x / 256)) bytes.unshift(x % 256)
      return Buffer.concat([ctrl(6, bytes.length), Buffer.from(bytes)])
    }
    const b = Buffer.alloc(8)
    b.writeDoubleBE(v)
    return Buffer.concat([ctrl(3, 8), b])
  }
  if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(encodeValue)])
  const entries = Object.entries(v)
  return Buffer.concat([ctrl(7, entries.length), ...entries.flatMap(([k, x]) => [encodeValue(k), encodeValue(x)])])
}

/** Address bits of a CIDR, most significant first, in a tree of `ipVersion` bits. */
function bitsOf(cidr: string, ipVersion: 4 | 6): number[] {
  const [addr = '', lenText] = cidr.split('/')
  const ip = parseIp(addr)
  if (!ip) throw new Error(`bad network ${cidr}`)
  const words = ip.v === 4 ? (ipVersion === 4 ? [ip.n] : [0, 0, 0, ip.n]) : ip.w
  if (ip.v === 6 && ipVersion === 4) throw new Error(`IPv6 network ${cidr} in an IPv4 database`)
  const total = ip.v === 4 ? 32 : 128
  const prefix = Number(lenText ?? total) + (ip.v === 4 && ipVersion === 6 ? 96 : 0)
  const bits: number[] = []
  for (let i = 0; i < prefix; i++) {
    const w = words[Math.floor(i / 32)]!
    bits.push((w >>> (31 - (i % 32))) & 1)
  }
  return bits
}

export function writeMmdb(opts: { databaseType: string; ipVersion: 4 | 6; records: Array<[network: string, data: MmdbValue]>; languages?: string[] }): Buffer {
  const root: Node = { l: null, r: null }
  const data: MmdbValue[] = []
  // Insert more general networks first, so that a more specific one splits them.
  const sorted = [...opts.records].sort((a, b) => Number(a[0].split('/')[1] ?? 128) - Number(b[0].split('/')[1] ?? 128))
  for (const [net, value] of sorted) {
    const bits = bitsOf(net, opts.ipVersion)
    const idx = data.push(value) - 1
    let node = root
    for (let i = 0; i < bits.length; i++) {
      const side = bits[i] === 0 ? 'l' : 'r'
      if (i === bits.length - 1) {
        node[side] = idx
        break
      }
      let next = node[side]
      if (typeof next === 'number') {
        // Split a covering record: both halves keep its data until overwritten.
        next = { l: next, r: next }
        node[side] = next
      } else if (next === null) {
        next = { l: null, r: null }
        node[side] = next
      }
      node = next
    }
  }
  // Number the nodes breadth-first; the root is node 0.
  const nodes: Node[] = []
  const ids = new Map<Node, number>()
  const queue: Node[] = [root]
  while (queue.length) {
    const n = queue.shift()!
    ids.set(n, nodes.length)
    nodes.push(n)
    for (const c of [n.l, n.r]) if (c && typeof c === 'object') queue.push(c)
  }
  const encoded = data.map(encodeValue)
  const offsets: number[] = []
  let off = 0
  for (const e of encoded) {
    offsets.push(off)
    off += e.length
  }
  const count = nodes.length
  const tree = Buffer.alloc(count * 8)
  nodes.forEach((n, i) => {
    const rec = (c: Node | number | null) => (c === null ? count : typeof c === 'number' ? count + 16 + offsets[c]! : ids.get(c)!)
    tree.writeUInt32BE(rec(n.l), i * 8)
    tree.writeUInt32BE(rec(n.r), i * 8 + 4)
  })
  const meta = encodeValue({
    node_count: count,
    record_size: 32,
    ip_version: opts.ipVersion,
    database_type: opts.databaseType,
    languages: opts.languages ?? ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: Math.floor(Date.now() / 1000),
    description: { en: `Spoor test fixture: ${opts.databaseType}` },
  })
  const marker = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')])
  return Buffer.concat([tree, Buffer.alloc(16), ...encoded, marker, meta])
}
