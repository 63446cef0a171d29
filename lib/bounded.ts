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
