// The in-memory sets of sites and opt-outs must not forget a change made while a refresh reads.
import { describe, expect, it } from 'vitest'
import { SyncedSet } from '../../lib/synced-set.ts'

describe('SyncedSet', () => {
  it('keeps an addition made while a refresh was reading an older snapshot', async () => {
    let release!: (rows: string[]) => void
    const set = new SyncedSet(() => new Promise<string[]>((r) => (release = r)))
    const refreshing = set.refresh()
    set.add('opted-out-just-now')
    release(['older'])
    await refreshing
    expect(set.has('opted-out-just-now')).toBe(true)
    expect(set.has('older')).toBe(true)
  })

  it('keeps a removal made while a refresh was reading', async () => {
    let release!: (rows: string[]) => void
    const set = new SyncedSet(() => new Promise<string[]>((r) => (release = r)))
    set.add('x')
    const refreshing = set.refresh()
    set.delete('x')
    release(['x'])
    await refreshing
    expect(set.has('x')).toBe(false)
  })

  it('takes other processes changes from the refresh', async () => {
    let rows = ['a']
    const set = new SyncedSet(async () => rows)
    await set.refresh()
    rows = ['b']
    await set.refresh()
    expect(set.values()).toEqual(['b'])
  })
})
