// Dropped events counted per site, hour and reason in ClickHouse (sql/014), through the
// real collector, and read back with GET /api/stats/dropped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DroppedCounts } from '../../collector/dropped.ts'
import { hashPassword } from '../../auth/users.ts'
import { isoDay } from '../../lib/timezone.ts'
import { createApp } from '../../server/app.ts'
import type { Db } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { applyRetention } from '../../privacy/retention.ts'
import { enforceRetention } from '../../privacy/enforce-retention.ts'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'

const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'
const VIEWER = { email: 'viewer@example.com', password: 'viewer password' }
const ZERO = { opted_out: 0, gpc: 0, dnt: 0, bot: 0, duplicate: 0, free_mail: 0, no_ip: 0 }
const log = createLogger('silent')

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
  await t.db.insert('users', [{ email: VIEWER.email, password_hash: await hashPassword(VIEWER.password), role: 'viewer' }])
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.reset()
})

const DAY = 86_400_000
const today = () => isoDay(new Date())
const dayOffset = (n: number) => isoDay(new Date(Date.now() + n * DAY))

async function dropped(site: string, from: string, to: string) {
  const admin = await t.login()
  return (await admin.get(`/api/stats/dropped?site=${site}&from=${from}&to=${to}`).expect(200)).body
}

const rows = async () => Number((await t.db.query<{ n: string }>('SELECT count() AS n FROM dropped_events'))[0]?.n)

describe('dropped events', () => {
  it('drops are counted per reason and site in the period', async () => {
    // The range is yesterday and today, so that midnight during the test changes nothing.
    const from = dayOffset(-1)
    const to = today()
    const optedOut = rid()
    await t.deps.optouts.add(optedOut)
    const sends: Array<[unknown, Record<string, string>]> = [
      [pageview(), { 'User-Agent': HEADLESS }],
      [pageview(), { 'User-Agent': 'curl/8.5.0' }],
      [pageview(), { 'User-Agent': '' }],
      [pageview(), { DNT: '1' }],
      [pageview(), { DNT: '1' }],
      [pageview(), { 'Sec-GPC': '1' }],
      [pageview(), { Cookie: 'spoor_optout=1' }],
      [pageview({ vid: optedOut }), {}],
      // Counted for the other site only.
      [pageview({ site: 'shop.example.org', url: 'https://shop.example.org/' }), { 'User-Agent': 'curl/8.5.0' }],
    ]
    for (const [body, headers] of sends) await send(t.app, body, headers).expect(202)
    // Stored, and one of them sent again: a duplicate.
    const twice = pageview()
    for (const ev of [twice, twice, pageview()]) await send(t.app, ev).expect(202)
    // Refused with an error, not dropped: no consent, an unknown site.
    await send(t.app, pageview({ consent: { analytics: false } }), { 'User-Agent': HEADLESS }).expect(403)
    await send(t.app, pageview({ site: 'unknown.example', url: 'https://unknown.example/' }), { 'User-Agent': HEADLESS }).expect(403)
    // The hour buckets at the range's edges: the first second counts, a second either side does not.
    const counts = t.deps.counters
    counts.add('example.com', 'gpc', Date.parse(`${from}T00:00:00Z`))
    counts.add('example.com', 'gpc', Date.parse(`${from}T00:00:00Z`) - 1000)
    counts.add('example.com', 'gpc', Date.parse(`${to}T00:00:00Z`) + DAY)
    await t.flush()

    expect(await dropped('example.com', from, to)).toEqual({
      site: 'example.com',
      from,
      to,
      total: 10,
      reasons: { ...ZERO, bot: 3, dnt: 2, gpc: 2, opted_out: 2, duplicate: 1 },
    })
    expect((await dropped('shop.example.org', from, to)).reasons).toEqual({ ...ZERO, bot: 1 })
    // The stored page views are not among them.
    const admin = await t.login()
    expect((await admin.get(`/api/stats/summary?site=example.com&from=${from}&to=${to}`).expect(200)).body.pageviews).toBe(2)
    // Nothing about a visitor is kept: site, hour, reason and a count.
    const columns = await t.db.query<{ name: string }>('DESCRIBE TABLE dropped_events')
    expect(columns.map((c) => c.name)).toEqual(['site', 'hour', 'reason', 'events'])
  })

  it('takes the parameters of the other stats routes: the last 30 days by default, 400 for a bad date, 404 for an unknown site', async () => {
    t.deps.counters.add('example.com', 'bot', Date.now() - 29 * DAY)
    t.deps.counters.add('example.com', 'bot', Date.now() - 31 * DAY)
    await t.flush()
    const admin = await t.login()
    const body = (await admin.get('/api/stats/dropped?site=example.com').expect(200)).body
    expect([body.from, body.to, body.total]).toEqual([dayOffset(-29), today(), 1])
    expect((await admin.get('/api/stats/dropped?site=example.com&from=2026-13-01').expect(400)).body.field).toBe('from')
    expect((await admin.get('/api/stats/dropped?site=nowhere.example').expect(404)).body.field).toBe('site')
  })

  it("two processes' counts add up", async () => {
    // A second collector on the same ClickHouse, with its own counts, as a second process
    // behind a load balancer would be. Both send the same, so both flushes are the same rows.
    const other = new DroppedCounts(t.db, log)
    const second = createApp({ ...t.deps, counters: other })
    for (const app of [t.app, second]) {
      await send(app, pageview(), { 'User-Agent': HEADLESS }).expect(202)
      await send(app, pageview(), { DNT: '1' }).expect(202)
    }
    await Promise.all([t.deps.counters.flush(), other.flush()])
    // Each process appended its own rows; neither read nor replaced the other's.
    expect(await rows()).toBeGreaterThanOrEqual(4)
    const expected = { ...ZERO, bot: 2, dnt: 2 }
    expect((await dropped('example.com', today(), today())).reasons).toEqual(expected)
    // Once merged, one row per site, hour and reason holds the sum.
    await t.db.command('OPTIMIZE TABLE dropped_events FINAL')
    const [keys] = await t.db.query<{ n: string }>('SELECT count() AS n FROM (SELECT DISTINCT site, hour, reason FROM dropped_events)')
    expect(await rows()).toBe(Number(keys?.n))
    expect((await dropped('example.com', today(), today())).reasons).toEqual(expected)
  })

  it('counts a flush whose answer was lost once when it is tried again', async () => {
    // ClickHouse stores the batch, but the answer does not arrive (a timeout on the server path).
    let lose = true
    const flaky: Db = {
      ...t.db,
      async insert(table, values, settings) {
        await t.db.insert(table, values, settings)
        if (lose) throw new Error('socket hang up')
      },
    }
    const counts = new DroppedCounts(flaky, log)
    counts.add('example.com', 'bot')
    counts.add('example.com', 'bot')
    await expect(counts.flush()).rejects.toThrow('socket hang up')
    lose = false
    counts.add('example.com', 'dnt')
    await counts.flush()
    expect(counts.pending).toBe(0)
    expect((await dropped('example.com', today(), today())).reasons).toEqual({ ...ZERO, bot: 2, dnt: 1 })
  })

  it('viewers cannot see dropped counts', async () => {
    const viewer = await t.login(t.app, VIEWER)
    const res = await viewer.get('/api/stats/dropped?site=example.com').expect(403)
    expect(res.body.error).toBe('only an admin may see dropped events')
    // Before the parameters are looked at: a viewer learns nothing, not even which sites exist.
    await viewer.get('/api/stats/dropped?site=nowhere.example').expect(403)
  })

  it('an unknown site adds no row of its own: refusals are counted per reason only, whatever site they name', async () => {
    // Bots for sites that are not registered, one new name each time (a flood of made-up
    // names), and a registered site's name with a page of another host.
    for (let i = 0; i < 20; i++) {
      await send(t.app, pageview({ site: `${rid()}.example`, url: 'https://example.com/' }), { 'User-Agent': HEADLESS }).expect(403)
    }
    await send(t.app, pageview({ site: 'not a domain', url: 'https://example.com/' }), { 'User-Agent': HEADLESS }).expect(403)
    await send(t.app, pageview({ url: 'https://evil.example.net/' }), { 'User-Agent': HEADLESS }).expect(403)
    await t.flush()
    const written = await t.db.query<{ site: string; reason: string; n: string }>(
      'SELECT site, reason, sum(events) AS n FROM dropped_events GROUP BY site, reason ORDER BY reason',
    )
    expect(written.map((r) => r.site)).toEqual(written.map(() => ''))
    expect(written.length).toBeLessThanOrEqual(2)
    expect(written.reduce((a, r) => a + Number(r.n), 0)).toBe(22)
  })

  it('writes the counts at shutdown, and they survive a restart', async () => {
    await send(t.app, pageview(), { DNT: '1' }).expect(202)
    await send(t.app, pageview(), { 'Sec-GPC': '1' }).expect(202)
    // No flush: stopping the process writes them.
    await t.restart()
    expect((await dropped('example.com', today(), today())).reasons).toEqual({ ...ZERO, dnt: 1, gpc: 1 })
  })

  it('keeps the counts as long as aggregate statistics (AGGREGATE_RETENTION_MONTHS)', async () => {
    const [table] = await t.db.query<{ q: string }>(
      "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = 'dropped_events'",
    )
    expect(table?.q).toMatch(/TTL hour \+ toIntervalMonth\(_CAST\(25, 'UInt32'\)\)/)
    // Stand-in for a merge that has not run (the TTL applies to an insert's rows already).
    await t.db.command('ALTER TABLE dropped_events MODIFY TTL hour + INTERVAL 10 YEAR')
    const counts = new DroppedCounts(t.db, log)
    counts.add('example.com', 'bot', Date.now() - 800 * DAY)
    counts.add('example.com', 'bot', Date.now() - 700 * DAY)
    await counts.flush()
    // What a lagging merge left past the limit goes with the daily retention job.
    expect(await enforceRetention(t.db, t.deps.config, log, ['aggregateRetentionMonths'])).toBe(1)
    expect(await rows()).toBe(1)
    await applyRetention(t.db, t.deps.config)
  })
})
