// The database client: what one query sets does not change the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paramChunks } from '../../lib/db.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

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

describe('bound parameters stay within what a ClickHouse server takes in a URL', () => {
  const ids = (n: number, len: number) => Array.from({ length: n }, (_, i) => String(i).padStart(len, 'x'))

  it('refuses a list over 128 KiB in the URL, naming it, on the embedded engine too', async () => {
    const long = ids(4000, 40)
    const sql = 'SELECT count() AS n FROM numbers(3) WHERE toString(number) IN {ids:Array(String)}'
    await expect(t.db.query(sql, { ids: long })).rejects.toThrow(/parameter ids would take \d+ bytes of the URL; a ClickHouse server refuses more than 131072/)
    // Calls made on the client itself are checked too.
    await expect(t.db.client.command({ query: `SELECT 1 WHERE 'a' IN {ids:Array(String)}`, query_params: { ids: long } })).rejects.toThrow(/parameter ids/)
    // The same list in pieces passes.
    const pieces = paramChunks(long)
    expect(pieces.length).toBeGreaterThan(1)
    for (const p of pieces) await t.db.query(sql, { ids: p })
  })

  it("answers the stats of a day whose live visits' ids would not fit in one URL field", async () => {
    // 1,900 visits with 64-character ids (any token the beacon is sent): under the 2,000
    // visits named in the query, but 139,000 bytes as a list.
    const day = new Date().toISOString().slice(0, 10)
    const sids = ids(1900, 64)
    await t.deps.sites.add('long-ids.example')
    await t.db.insert(
      'events',
      sids.map((sid, i) => eventRow({ site: 'long-ids.example', hostname: 'long-ids.example', vid: `v${i}`, sid, ts: `${day} 00:00:01.000` })),
    )
    // Today not rolled up at all: every visit of it is live, and named in the query if it can be.
    await t.db.command('TRUNCATE TABLE visit_days')
    const agent = await t.login()
    const res = await agent.get(`/api/stats/summary?site=long-ids.example&from=${day}&to=${day}`).expect(200)
    expect(res.body.visits).toBe(1900)
  })
})
