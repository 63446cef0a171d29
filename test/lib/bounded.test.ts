// The bounded map behind the collector's caches and recent ids.
import { describe, expect, it } from 'vitest'
import { BoundedKeys, BoundedMap, hashKey, memoize } from '../../lib/bounded.ts'

describe('BoundedMap', () => {
  it('keeps between one and two generations of keys, forgetting the oldest generation at once', () => {
    const m = new BoundedMap<number, number>(3)
    for (let i = 0; i < 7; i++) m.set(i, i)
    // 0-2 were the first generation, 3-5 the second; setting 6 retired the first.
    expect([0, 1, 2].map((k) => m.has(k))).toEqual([false, false, false])
    expect([3, 4, 5, 6].map((k) => m.get(k))).toEqual([3, 4, 5, 6])
  })

  it('carries a key read from the older generation into the newer one, so a hot key survives', () => {
    const m = new BoundedMap<string, null>(2)
    m.set('hot', null)
    m.set('a', null)
    m.set('b', null) // 'hot' and 'a' are now the older generation
    expect(m.get('hot')).toBeNull() // a kept null is not "missing"
    m.set('c', null) // turns again: 'a' is forgotten, 'hot' was carried over
    expect(m.has('hot')).toBe(true)
    expect(m.has('a')).toBe(false)
  })
})

describe('memoize', () => {
  it('computes once per kept key, and does not keep keys over the length limit', () => {
    let calls = 0
    const f = memoize(10, (k: string) => (calls++, k.length), 8)
    f('short')
    f('short')
    expect(calls).toBe(1)
    f('much too long a key')
    f('much too long a key')
    expect(calls).toBe(3)
  })
})

describe('BoundedKeys', () => {
  it('keeps between one and two generations of keys, forgetting the oldest generation at once', () => {
    const k = new BoundedKeys(3)
    for (let i = 0; i < 7; i++) k.insert(i, 2 + i)
    expect(k.size).toBe(4)
    expect([0, 1, 2].map((i) => k.has(i, 2 + i))).toEqual([false, false, false])
    expect([3, 4, 5, 6].map((i) => k.has(i, 2 + i))).toEqual([true, true, true, true])
  })

  it('carries a key found in the older generation into the newer one, with its values', () => {
    const k = new BoundedKeys(2, 2)
    let s = k.insert(9, 9)
    k.values[2 * s] = 41
    k.values[2 * s + 1] = 42
    k.insert(1, 2)
    k.insert(1, 3) // (9, 9) and (1, 2) are now the older generation
    s = k.find(9, 9)
    expect([k.values[2 * s], k.values[2 * s + 1]]).toEqual([41, 42])
    k.insert(1, 4) // turns again: (1, 2) is forgotten, (9, 9) was carried over
    expect(k.has(9, 9)).toBe(true)
    expect(k.has(1, 2)).toBe(false)
    s = k.find(9, 9)
    expect([k.values[2 * s], k.values[2 * s + 1]]).toEqual([41, 42])
  })

  it('a removed key leaves the keys probed past it findable', () => {
    // 1,000 keys in a table of 2,048 slots: many share probe chains.
    const k = new BoundedKeys(1000)
    for (let i = 0; i < 1000; i++) k.insert(i, 7)
    for (let i = 0; i < 1000; i += 2) k.remove(i, 7)
    for (let i = 0; i < 1000; i++) expect(k.has(i, 7)).toBe(i % 2 === 1)
  })

  it('hashKey gives distinct, never-empty keys for 200,000 event ids', () => {
    const out = new Uint32Array(2)
    const seen = new Set<string>()
    for (let i = 0; i < 200_000; i++) {
      hashKey(`example.com/${i.toString(36)}-${(i * 7919).toString(16)}`, out)
      expect(out[1]! >= 2).toBe(true)
      seen.add(`${out[0]}:${out[1]}`)
    }
    expect(seen.size).toBe(200_000)
  })
})
