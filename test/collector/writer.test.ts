// The batch writer: nothing acknowledged is lost when ClickHouse fails for a while.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Journal } from '../../collector/journal.ts'
import { EventWriter } from '../../collector/writer.ts'
import { createApp } from '../../server/app.ts'
import type { Db } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { journalDir, makeApp, rejectedRows, pageview, send, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

/** The real database, except that the next `failures` inserts throw. */
function flaky(db: Db, failures: { left: number }): Db {
  return {
    ...db,
    insertText: async (table, text, settings) => {
      if (failures.left > 0) {
        failures.left--
        throw new Error('ClickHouse unavailable (injected)')
      }
      return db.insertText(table, text, settings)
    },
  }
}

const log = createLogger('silent')

describe('EventWriter', () => {
  it("a restart reads the left journal's newest event ids, at most as many as asked, past a torn line, and gives them oldest first", async () => {
    const dir = journalDir()
    const j = new Journal(dir)
    await new Promise<void>((resolve, reject) =>
      j.append(
        [
          ['e', '{"site":"example.com","event_id":"one"}'],
          ['e', '{"site":"example.com","event_id'],
          ['e', '{"site":"example.com","event_id":"two"}'],
        ],
        (err) => (err ? reject(err) : resolve()),
      ),
    )
    // Killed here: no close.
    const writer = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: dir, journalMaxBytes: 1_000_000 }, log)
    expect(writer.leftoverKeys()).toEqual(['example.com/one', 'example.com/two'])
    expect(writer.leftoverKeys(1)).toEqual(['example.com/two'])
    await writer.close()
  })

  it('keeps events whose insert failed and writes them on a later flush', async () => {
    const failures = { left: 2 }
    const writer = new EventWriter(
      flaky(t.db, failures),
      { flushIntervalMs: 10_000, flushMaxRows: 100, journalDir: journalDir(), journalMaxBytes: 1_000_000 },
      log,
    )
    const app = createApp({ ...t.deps, writer })
    const evs = [pageview(), pageview(), pageview()]
    for (const ev of evs) await send(app, ev).expect(202)
    await expect(writer.flush()).rejects.toThrow(/injected/)
    await expect(writer.flush()).rejects.toThrow(/injected/)
    expect(writer.pending).toBe(6) // 3 events and their 3 IP rows
    await writer.flush()
    expect(writer.pending).toBe(0)
    const ids = evs.map((e) => e.id)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids })).toBe(3)
  })

  it('answers 503 with Retry-After once the journal is full, and stores only what it acknowledged', async () => {
    const failures = { left: 1_000 }
    const writer = new EventWriter(flaky(t.db, failures), { flushIntervalMs: 10_000, flushMaxRows: 100, journalDir: journalDir(), journalMaxBytes: 1 }, log)
    const app = createApp({ ...t.deps, writer })
    const accepted = [pageview()]
    for (const ev of accepted) await send(app, ev).expect(202)
    // ClickHouse is failing: the rows stay in the journal, which is now over its limit.
    await expect(writer.flush()).rejects.toThrow(/injected/)
    expect(writer.journalBytes).toBeGreaterThan(1)
    const refused = pageview()
    const res = await send(app, refused).expect(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body.error).toMatch(/retry later/)
    expect(writer.pending).toBe(2)
    failures.left = 0
    await writer.flush()
    expect(writer.journalBytes).toBe(0)
    const ids = [...accepted, refused].map((e) => e.id)
    const rows = await t.db.query<{ event_id: string }>('SELECT event_id FROM events WHERE event_id IN {ids:Array(String)}', { ids })
    expect(rows.map((r) => r.event_id).sort()).toEqual(accepted.map((e) => e.id).sort())
  })

  it('stores a batch once when an insert reached ClickHouse but its answer was lost, aggregates included', async () => {
    // The insert happens, then the client sees a failure (a timeout on the server
    // path): the retry carries the same deduplication token.
    let lose = 1
    const sentSettings: unknown[] = []
    const lossy: Db = {
      ...t.db,
      insertText: async (table, text, settings) => {
        if (table === 'events') sentSettings.push(settings)
        await t.db.insertText(table, text, settings)
        if (table === 'events' && lose-- > 0) throw new Error('response lost (injected)')
      },
    }
    const writer = new EventWriter(lossy, { flushIntervalMs: 10_000, flushMaxRows: 100, journalDir: journalDir(), journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer })
    const site = 'shop.example.org'
    const evs = [pageview({ site, url: 'https://shop.example.org/a' }), pageview({ site, url: 'https://shop.example.org/b' })]
    for (const ev of evs) await send(app, ev).expect(202)
    await expect(writer.flush()).rejects.toThrow(/injected/)
    await writer.flush()
    // The retry is the same block under the same token, and the views deduplicate it too.
    expect(sentSettings).toHaveLength(2)
    expect(sentSettings[1]).toEqual(sentSettings[0])
    expect(sentSettings[0]).toMatchObject({ insert_deduplication_token: expect.stringMatching(/.+/), deduplicate_blocks_in_dependent_materialized_views: 1 })
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids: evs.map((e) => e.id) })).toBe(2)
    const [agg] = await t.db.query<{ pv: string }>('SELECT sum(pageviews) AS pv FROM daily_stats WHERE site = {site:String}', { site })
    expect(Number(agg?.pv)).toBe(2)
  })

  it('writes everything pending on close', async () => {
    const writer = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: journalDir(), journalMaxBytes: 1_000_000 }, log)
    writer.start()
    const app = createApp({ ...t.deps, writer })
    const evs = Array.from({ length: 20 }, () => pageview())
    for (const ev of evs) await send(app, ev).expect(202)
    expect(writer.pending).toBe(40)
    await writer.close()
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids: evs.map((e) => e.id) })).toBe(20)
  })

  it('flushes by itself once a batch reaches flushMaxRows', async () => {
    const writer = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 5, journalDir: journalDir(), journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer })
    const evs = Array.from({ length: 5 }, () => pageview())
    for (const ev of evs) await send(app, ev).expect(202)
    // Not started (no timer) and never flushed here: only the fifth push can write them.
    await vi.waitFor(() => expect(writer.pending).toBe(0), { timeout: 5000 })
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids: evs.map((e) => e.id) })).toBe(5)
  })

  it('writes rows that arrive during an insert with the next flush, in one insert per table, and a flush called meanwhile waits for them', async () => {
    const inserts: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slow: Db = {
      ...t.db,
      insertText: async (table, text, settings) => {
        inserts.push(`${table}:${text.split('\n').length - 1}`)
        if (inserts.length === 1) await gate
        return t.db.insertText(table, text, settings)
      },
    }
    const writer = new EventWriter(slow, { flushIntervalMs: 10_000, flushMaxRows: 100, journalDir: journalDir(), journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer })
    const first = [pageview(), pageview()]
    for (const ev of first) await send(app, ev).expect(202)
    const running = writer.flush()
    // Ten more arrive while the first insert is held up.
    const later = Array.from({ length: 10 }, () => pageview())
    for (const ev of later) await send(app, ev).expect(202)
    const after = writer.flush()
    release()
    await running
    await after
    // One insert per table per flush: the first flush did not chase the new arrivals row by row.
    expect(inserts).toEqual(['events:2', 'visit_ips:2', 'events:10', 'visit_ips:10'])
    const ids = [...first, ...later].map((e) => e.id)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids })).toBe(12)
  })

  it('a process that died after part of a segment was inserted: the next one writes the segment again, and each row is stored once', async () => {
    const dir = journalDir()
    // Events go in, then the answer of the visit_ips insert is "lost" and the process dies.
    const dying: Db = {
      ...t.db,
      insertText: async (table, text, settings) => {
        await t.db.insertText(table, text, settings)
        if (table === 'visit_ips') throw new Error('killed (injected)')
      },
    }
    const first = new EventWriter(dying, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: dir, journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer: first })
    const evs = Array.from({ length: 30 }, () => pageview())
    for (const ev of evs) await send(app, ev).expect(202)
    await expect(first.flush()).rejects.toThrow(/killed/)
    const ids = evs.map((e) => e.id)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids })).toBe(30)
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(0)

    // The next process on the same journal (never closed: the first one was killed).
    const second = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: dir, journalMaxBytes: 1_000_000 }, log)
    expect(second.pending).toBe(60) // 30 events and their 30 IP rows, read back from disk
    await second.flush()
    expect(second.pending).toBe(0)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids })).toBe(30)
    expect(await t.count('visit_ips', 'sid IN {sids:Array(String)}', { sids: evs.map((e) => e.sid) })).toBe(30)
    await second.close()
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual([])
  })

  it('keeps retrying with backoff while ClickHouse fails, and writes everything once it is back', async () => {
    const failures = { left: 4 }
    let attempts = 0
    const counting = flaky(t.db, failures)
    const db: Db = { ...counting, insertText: (table, text, settings) => (attempts++, counting.insertText(table, text, settings)) }
    const writer = new EventWriter(db, { flushIntervalMs: 50, flushMaxRows: 1000, journalDir: journalDir(), journalMaxBytes: 1_000_000, retryBaseMs: 25 }, log)
    writer.start()
    const app = createApp({ ...t.deps, writer })
    const evs = Array.from({ length: 25 }, () => pageview())
    for (const ev of evs) await send(app, ev).expect(202)
    // Backoff doubles from 50 ms (retryBaseMs 25): 50, 100, 200, 400 ms before the fifth try.
    const t0 = Date.now()
    await vi.waitFor(() => expect(writer.pending).toBe(0), { timeout: 10_000, interval: 20 })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700)
    expect(failures.left).toBe(0)
    expect(attempts).toBeGreaterThan(4)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids: evs.map((e) => e.id) })).toBe(25)
    await writer.close()
  }, 20_000)

  it('sets a row ClickHouse refuses aside (rejected-DAY.jsonl), stores the rest of its segment, and holds nothing up', async () => {
    const dir = journalDir()
    const writer = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: dir, journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer })
    const good = Array.from({ length: 9 }, () => pageview())
    for (const ev of good.slice(0, 5)) await send(app, ev).expect(202)
    // A row that passed every check of ours but that ClickHouse cannot parse (a time that is none).
    const bad = eventRow({ event_id: 'refused-row-0001', vid: 'v-refused', sid: 's-refused', ts: 'not a time' })
    await writer.push(bad, null)
    for (const ev of good.slice(5)) await send(app, ev).expect(202)
    await writer.flush()
    expect(writer.pending).toBe(0)
    expect(await t.count('events', 'event_id IN {ids:Array(String)}', { ids: good.map((e) => e.id) })).toBe(9)
    const rejected = rejectedRows(dir)
    expect(rejected.trim().split('\n')).toHaveLength(1)
    expect(rejected).toContain('refused-row-0001')
    // The next segment goes through as usual.
    const later = pageview()
    await send(app, later).expect(202)
    await writer.flush()
    expect(await t.count('events', 'event_id = {id:String}', { id: later.id })).toBe(1)
    await writer.close()
  })
})
