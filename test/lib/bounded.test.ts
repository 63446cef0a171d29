// The bounded map behind the collector's caches and recent ids.
import { describe, expect, it } from 'vitest'
import { BoundedMap, memoize } from '../../lib/bounded.ts'

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
