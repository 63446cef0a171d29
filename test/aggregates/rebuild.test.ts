// A day rebuild (erasure's) against flushes of other processes: collectors on a ClickHouse
// server write between its delete and its insert, which no lock of this process stops.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { rebuildDay, rebuildDueDays } from '../../aggregates/rebuild.ts'
import { DAILY_BREAKDOWN_MV, DAILY_STATS_MV, type View } from '../../aggregates/views.ts'
import type { Db } from '../../lib/db.ts'
import { makeApp, rid, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.reset()
})

const day = new Date().toISOString().slice(0, 10)
/** The embedded database as one of several processes on a server sees it (db.shared): there the rebuild checks its sums. */
const shared = (): Db => ({ ...t.db, shared: true })
/** `n` page views and a custom event of one visit today, written as a collector's flush writes them (the views fill the aggregates). */
async function flush(n: number) {
  const vid = rid()
  const sid = rid()
  const ts = `${day} 12:00:00.000`
  await t.db.insert('events', [...Array.from({ length: n }, () => eventRow({ vid, sid, ts })), eventRow({ vid, sid, ts, type: 'event', name: 'Signup' })])
}

/** Page views and events of (example.com, today) as `view.target` holds them, and as the raw events count them. */
async function sums(view: View) {
  const [stored] = await t.db.query<{ pv: string; ev: string }>(
    "SELECT sum(pageviews) AS pv, sum(events) AS ev FROM {t:Identifier} WHERE site = 'example.com' AND day = {day:Date}",
    { t: view.target, day },
  )
  const [raw] = await t.db.query<{ pv: string; ev: string }>(
    `SELECT sum(pageviews) AS pv, sum(events) AS ev FROM (${view.select("(SELECT * FROM events WHERE site = 'example.com') AS events")})`,
  )
  return { stored: [Number(stored?.pv), Number(stored?.ev)], raw: [Number(raw?.pv), Number(raw?.ev)] }
}

describe('rebuilding a day while other processes write it', () => {
  it.each([
    // Page views of the two flushes: 65, in five of daily_breakdown's kinds (page, browser, os, device, country).
    { view: DAILY_STATS_MV, pageviews: 65 },
    { view: DAILY_BREAKDOWN_MV, pageviews: 65 * 5 },
  ])('a flush between the delete and the insert of $view.target is counted once, not twice', async ({ view, pageviews }) => {
    await flush(40)
    let interleaved = 0
    await rebuildDay(shared(), view, 'example.com', day, {
      afterDelete: async () => {
        if (interleaved++ === 0) await flush(25)
      },
    })
    // The first rebuild counted the flush twice (its view rows and its events); the check saw it and rebuilt.
    expect(interleaved).toBe(2)
    const { stored, raw } = await sums(view)
    expect(raw[0]).toBe(pageviews)
    expect(stored).toEqual(raw)
  })

  it('gives up after 6 rebuilds with an error naming the table and the day, when every one is interleaved', async () => {
    await flush(3)
    await expect(rebuildDay(shared(), DAILY_STATS_MV, 'example.com', day, { afterDelete: () => flush(1) })).rejects.toThrow(
      new RegExp(`daily_stats of example.com on ${day} still disagreed with the raw events after 6 rebuilds`),
    )
  })

  it('a checked rebuild with no flush in between rebuilds once', async () => {
    await flush(10)
    let rebuilds = 0
    await rebuildDay(shared(), DAILY_STATS_MV, 'example.com', day, {
      afterDelete: async () => {
        rebuilds++
      },
    })
    expect(rebuilds).toBe(1)
    const { stored, raw } = await sums(DAILY_STATS_MV)
    expect(stored).toEqual([10, 1])
    expect(raw).toEqual([10, 1])
  })
})

describe('days left to rebuild once over', () => {
  it('rebuilds the listed days that are over, drops those past raw retention unrebuilt, and keeps today listed', async () => {
    const ago = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)
    await t.db.command('TRUNCATE TABLE rebuild_days')
    // Three page views two days ago, whose day sums an erasure left wrong (here: gone).
    const vid = rid()
    await t.db.insert(
      'events',
      Array.from({ length: 3 }, () => eventRow({ vid, sid: vid, ts: `${ago(2)} 12:00:00.000` })),
    )
    await t.db.client.command({
      query: 'ALTER TABLE daily_stats DELETE WHERE day = {d:Date}',
      query_params: { d: ago(2) },
      clickhouse_settings: { mutations_sync: '2' },
    })
    const pageviews = async () =>
      Number(
        (await t.db.query<{ pv: string }>("SELECT sum(pageviews) AS pv FROM daily_stats WHERE site = 'example.com' AND day = {d:Date}", { d: ago(2) }))[0]?.pv,
      )
    expect(await pageviews()).toBe(0)
    await t.db.insert('rebuild_days', [
      { site: 'example.com', day: ago(2) },
      { site: 'example.com', day: ago(200) },
      { site: 'example.com', day },
    ])
    expect(await rebuildDueDays(t.db, { rawRetentionDays: 180 })).toBe(1)
    expect(await pageviews()).toBe(3)
    const left = await t.db.query<{ d: string }>('SELECT toString(day) AS d FROM rebuild_days')
    expect(left.map((r) => r.d)).toEqual([day])
  })
})
