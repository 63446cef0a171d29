// Bounded memory for the collector's caches and recent ids: two generations of at
// most `generation` keys each. When the newer one is full it becomes the older one
// and the oldest keys are forgotten at once. No per-key eviction: deleting the first
// key of a full Map makes the next keys().next() walk every deleted slot, which was a
// third of all IP lookup time in the bench.
export class BoundedMap<K, V> {
  private current = new Map<K, V>()
  private previous = new Map<K, V>()
  constructor(private readonly generation: number) {}

  /** The value, or undefined when the key is not kept (a kept value may itself be null). */
  get(key: K): V | undefined {
    if (this.current.has(key)) return this.current.get(key)
    if (!this.previous.has(key)) return undefined
    // Still in use: carried into the newer generation, so that a hot key survives the turn.
    const v = this.previous.get(key) as V
    this.set(key, v)
    return v
  }

  has(key: K): boolean {
    return this.current.has(key) || this.previous.has(key)
  }

  set(key: K, value: V): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(key, value)
  }

  delete(key: K): void {
    this.current.delete(key)
    this.previous.delete(key)
  }

  clear(): void {
    this.current = new Map()
    this.previous = new Map()
  }

  get size(): number {
    return this.current.size + this.previous.size
  }
}

/**
 * `f` remembered for the last `generation` to 2 × `generation` distinct arguments.
 * The arguments are request headers (User-Agent, Origin) that a client chooses: one
 * longer than `maxKeyLength` is answered but not kept, so that 10,000 kept keys stay
 * a few MB whatever is sent (real user agents are under 300 characters).
 */
export function memoize<V>(generation: number, f: (key: string) => V, maxKeyLength = 512): (key: string) => V {
  const kept = new BoundedMap<string, V>(generation)
  return (key) => {
    if (key.length > maxKeyLength) return f(key)
    let v = kept.get(key)
    if (v === undefined && !kept.has(key)) {
      v = f(key)
      kept.set(key, v)
    }
    return v as V
  }
}

/**
 * The same two generations for keys of 64 bits (two uint32 words) in typed arrays,
 * with `width` float64 values per key. A Map entry is an object V8 promotes to the old
 * generation when it outlives two scavenges; at 5,000 events a second the recent ids,
 * (visit, address) pairs and per-network counters were most of what the old
 * generation collected, so that the heap grew to hundreds of MB between
 * collections (bench: old generation under 90 MB without them). Typed arrays are
 * allocated once and never traced.
 *
 * Open addressing with linear probing, each generation at most half full. The words
 * (0, 0) mark an empty slot and (0, 1) a removed one: callers' keys never have a low
 * word below 2 (hashKey and networkWords in lib/ip.ts see to it).
 */
export class BoundedKeys {
  private cur: Table
  private prev: Table
  private readonly mask: number
  constructor(
    private readonly generation: number,
    private readonly width = 0,
  ) {
    let cap = 16
    while (cap < generation * 2) cap *= 2
    this.mask = cap - 1
    this.cur = new Table(cap, width)
    this.prev = new Table(cap, width)
  }

  /** The slot of (hi, lo) in the newer generation, carried over from the older one; -1 when not kept. */
  find(hi: number, lo: number): number {
    const s = this.cur.slot(hi, lo, this.mask)
    if (this.cur.keys[2 * s + 1] !== 0 || this.cur.keys[2 * s] !== 0) return s
    const p = this.prev.slot(hi, lo, this.mask)
    if (this.prev.keys[2 * p + 1] === 0 && this.prev.keys[2 * p] === 0) return -1
    // Still in use: carried into the newer generation, so that a hot key survives the turn.
    const w = this.width
    const kept = w ? this.prev.values.slice(p * w, p * w + w) : null
    const n = this.add(hi, lo)
    if (kept) this.cur.values.set(kept, n * w)
    return n
  }

  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0
  }

  /** The slot of (hi, lo) in the newer generation; a key not kept is added with its values zero. */
  insert(hi: number, lo: number): number {
    const s = this.find(hi, lo)
    return s >= 0 ? s : this.add(hi, lo)
  }

  /** Puts a key that the newer generation does not hold into it, turning the generations when it is full. */
  private add(hi: number, lo: number): number {
    if (this.cur.count >= this.generation) {
      const old = this.prev
      this.prev = this.cur
      this.cur = old.clear()
    }
    const s = this.cur.slot(hi, lo, this.mask)
    this.cur.keys[2 * s] = hi
    this.cur.keys[2 * s + 1] = lo
    this.cur.count++
    return s
  }

  remove(hi: number, lo: number): void {
    for (const t of [this.cur, this.prev]) {
      const s = t.slot(hi, lo, this.mask)
      if (t.keys[2 * s + 1] === 0 && t.keys[2 * s] === 0) continue
      t.keys[2 * s] = 0
      t.keys[2 * s + 1] = 1
    }
  }

  /** The values of the newer generation: key slot `s` owns [s * width, (s + 1) * width). */
  get values(): Float64Array {
    return this.cur.values
  }

  get size(): number {
    return this.cur.count + this.prev.count
  }
}

class Table {
  readonly keys: Uint32Array
  readonly values: Float64Array
  count = 0
  constructor(cap: number, width: number) {
    this.keys = new Uint32Array(cap * 2)
    this.values = new Float64Array(cap * width)
  }

  /** The slot holding (hi, lo), or the empty slot where it would go. */
  slot(hi: number, lo: number, mask: number): number {
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b)
    h ^= h >>> 13
    let s = h & mask
    for (;;) {
      const kh = this.keys[2 * s]!
      const kl = this.keys[2 * s + 1]!
      if ((kh === hi && kl === lo) || (kh === 0 && kl === 0)) return s
      s = (s + 1) & mask
    }
  }

  clear(): this {
    this.keys.fill(0)
    this.values.fill(0)
    this.count = 0
    return this
  }
}

/**
 * Two independent 32-bit hashes of `s` (FNV-1a and a murmur-style lane, each with a
 * final avalanche), written to `out`. Two different keys share both with a chance of
 * about 2^-62; with 200,000 kept ids, a new id is taken for a recent one about once
 * in 10^13 events. The low word is at least 2 (see BoundedKeys).
 */
export function hashKey(s: string, out: Uint32Array): void {
  let a = 0x811c9dc5
  let b = 0x9747b28c ^ s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  out[0] = fmix(a)
  out[1] = fmix(b) | 2
}

function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
