// The database client: what one query sets does not change the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

describe('settings are per query on the embedded engine', () => {
  it('an insert after one with a deduplication token is stored, not taken for a duplicate of it', async () => {
    await t.db.command('CREATE TABLE probe_dedup (x UInt32) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100')
    await t.db.insert('probe_dedup', [{ x: 1 }], { insert_deduplication_token: 'segment-1' })
    await t.db.insert('probe_dedup', [{ x: 2 }])
    await t.db.command('INSERT INTO probe_dedup SELECT 3')
    // The same token again is a retry: deduplicated, as the writer relies on.
    await t.db.insert('probe_dedup', [{ x: 4 }], { insert_deduplication_token: 'segment-1' })
    const rows = await t.db.query<{ x: number }>('SELECT x FROM probe_dedup ORDER BY x')
    expect(rows.map((r) => Number(r.x))).toEqual([1, 2, 3])
  })

  it('insert_deduplicate = 0 for one insert leaves deduplication on for the next', async () => {
    await t.db.command('CREATE TABLE probe_nodedup (x UInt32) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100')
    await t.db.insert('probe_nodedup', [{ x: 1 }], { insert_deduplicate: 0 })
    await t.db.insert('probe_nodedup', [{ x: 2 }], { insert_deduplication_token: 'once' })
    await t.db.insert('probe_nodedup', [{ x: 2 }], { insert_deduplication_token: 'once' })
    const rows = await t.db.query<{ x: number }>('SELECT x FROM probe_nodedup ORDER BY x')
    expect(rows.map((r) => Number(r.x))).toEqual([1, 2])
  })

  it('inserts synchronously, whatever the engine defaults to (async_insert = 1 in chDB 26.7)', async () => {
    const [before] = await t.db.query<{ a: unknown }>("SELECT getSetting('async_insert') AS a SETTINGS async_insert = 1")
    expect(Boolean(before?.a)).toBe(true)
    await t.db.command('CREATE TABLE probe_sync (x UInt32) ENGINE = MergeTree ORDER BY x')
    await t.db.insert('probe_sync', [{ x: 1 }])
    await t.db.insertText('probe_sync', '{"x":2}\n')
    const [q] = await t.db.query<{ a: unknown }>("SELECT getSetting('async_insert') AS a")
    expect(Boolean(q?.a)).toBe(false)
    expect((await t.db.query<{ x: number }>('SELECT x FROM probe_sync ORDER BY x')).map((r) => Number(r.x))).toEqual([1, 2])
  })

  it('refuses a setting it would not reset, instead of letting it stay in the session', async () => {
    await expect(t.db.client.query({ query: 'SELECT 1', clickhouse_settings: { max_threads: 1 } })).rejects.toThrow(/max_threads is not in SESSION_DEFAULTS/)
  })
})
