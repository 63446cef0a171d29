// Today summed at the visits-today cutoff (today_totals, sql/026): a query without
// filters reads those sums and adds only the visits active since the cutoff, their new
// rows counted and their rows at the cutoff taken off. Each answer is compared with the
// one under a filter that every visit matches, which is always read from visit rows.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rollupDays, rollupToday, rollupVisitRows } from '../../aggregates/rollup.ts'
import { chTime } from '../../lib/db.ts'
import { dayLock } from '../../lib/lock.ts'
import { addDays, isoDay } from '../../lib/timezone.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>

const ROUTES = ['summary', 'timeseries?interval=day', 'pages', 'entry-pages', 'exit-pages', 'sources', 'events', 'goals']
const ALL = `&filters=${encodeURIComponent(JSON.stringify([['is_not', 'page', ['/no-such-page']]]))}`
let today = ''
let range = ''

const read = async (r: string, extra = '') => {
  const bodies = await Promise.all(ROUTES.map(async (x) => (await agent.get(`/api/stats/${x}${x.includes('?') ? '&' : '?'}${r}${extra}`).expect(200)).body))
  return Object.fromEntries(
    bodies.map((b, i) => [
      ROUTES[i],
      b.results ?? { visitors: b.visitors, visits: b.visits, pageviews: b.pageviews, bounce_rate: b.bounce_rate, visit_duration: b.visit_duration },
    ]),
  )
}
/** Some seconds ago, but today (UTC). */
const ago = (seconds: number) => chTime(new Date(Math.max(Date.now() - seconds * 1000, Date.parse(`${today}T00:00:00.500Z`))))
/** Rows of today_totals of example.com (`deleted`: on disk, masked or not). */
const count = async (where = '1', deleted = false) =>
  Number(
    (
      await t.db.query<{ n: string }>(
        `SELECT count() AS n FROM today_totals WHERE site = 'example.com' AND ${where}${deleted ? ' SETTINGS apply_deleted_mask = 0' : ''}`,
      )
    )[0]?.n,
  )
/** A page row only the sums have, under the key they were built with. */
const plant = () =>
  t.db.command(
    "INSERT INTO today_totals (site, day, cut_key, dim, value, visits, hits) SELECT site, day, cut_key, 'page', '/only-in-the-sums', 1, 7 FROM today_totals WHERE site = 'example.com' AND dim = '#'",
  )
const pages = async () => ((await agent.get(`/api/stats/pages?${range}`).expect(200)).body.results as Array<{ name: string }>).map((r) => r.name)

beforeAll(async () => {
  // The visits below must fall after midnight and before the cutoff 10 s back: not in a day's first 2 minutes.
  const intoDay = Date.now() - Date.parse(`${isoDay(new Date())}T00:00:00Z`)
  if (intoDay < 120_000) await new Promise((r) => setTimeout(r, 121_000 - intoDay))
  today = isoDay(new Date())
  range = `site=example.com&from=${addDays(today, -2)}&to=${today}`
  t = await makeApp()
  agent = await t.login()
  await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'signup' }).expect(201)
  await agent.post('/api/sites/example.com/goals').send({ kind: 'page', match: '/blog/*' }).expect(201)
  // Two days ago, summed in visit_totals: a visitor who comes back today.
  const before = `${addDays(today, -2)} 12:00:00.000`
  await t.db.insert('events', [eventRow({ vid: 'visitor-a-0001', sid: 'old1', ts: before, path: '/blog/one', source: 'Google' })])
  await dayLock.run(() =>
    rollupDays(
      t.db,
      [addDays(today, -2), addDays(today, -1)].map((day) => ({ day, sites: ['example.com'] })),
    ),
  )
  // Today before the cutoff: a (one page, a bounce so far), b (two pages and a signup), c.
  await t.db.insert('events', [
    eventRow({ vid: 'visitor-a-0001', sid: 'ta', ts: ago(90), path: '/blog/one', source: 'Google' }),
    eventRow({ vid: 'visitor-b-0001', sid: 'tb', ts: ago(85), path: '/', source: 'Newsletter' }),
    eventRow({ vid: 'visitor-b-0001', sid: 'tb', ts: ago(80), path: '/pricing' }),
    eventRow({ vid: 'visitor-b-0001', sid: 'tb', ts: ago(79), path: '/pricing', type: 'event', name: 'signup' }),
    // c also ends on a's first page: the exit page a moves off keeps a visitor.
    eventRow({ vid: 'visitor-c-0001', sid: 'tc', ts: ago(75), path: '/blog/one' }),
  ])
})
afterAll(async () => {
  await t.close()
})

describe("today's sums at the visits-today cutoff", () => {
  it('are read with the visits active since the cutoff (a bounce that went on, a new visit, an event), and answer as the visit rows do', async () => {
    await rollupToday(t.db)
    expect(await count("dim = '#'")).toBe(1)
    // After the cutoff: a goes on to a second page (no longer a bounce, a new exit page) and signs up; d is new.
    await t.db.insert('events', [
      eventRow({ vid: 'visitor-a-0001', sid: 'ta', ts: ago(0), path: '/blog/two' }),
      eventRow({ vid: 'visitor-a-0001', sid: 'ta', ts: ago(0), path: '/blog/two', type: 'event', name: 'signup' }),
      eventRow({ vid: 'visitor-d-0001', sid: 'td', ts: ago(0), path: '/' }),
    ])
    for (const r of [`site=example.com&from=${today}&to=${today}`, range]) {
      const sums = await read(r)
      expect(sums).toEqual(await read(r, ALL))
    }
    const todays = await read(`site=example.com&from=${today}&to=${today}`)
    expect(todays.summary).toMatchObject({ visitors: 4, visits: 4, pageviews: 6, bounce_rate: 50 })
    // The proof that the sums are read: a row only they have shows without filters, not with.
    await plant()
    expect(await pages()).toContain('/only-in-the-sums')
    expect((await read(range, ALL)).pages).not.toContainEqual(expect.objectContaining({ name: '/only-in-the-sums' }))
  })

  it('a newer cutoff not summed yet is read from the visit rows, and the next run sums it and drops keys older than 5 minutes', async () => {
    expect(await pages()).toContain('/only-in-the-sums')
    // The visits-today job's swap, without its sums (as between the two in another process).
    await dayLock.run(() => rollupVisitRows(t.db, today, ago(10)))
    expect(await pages()).not.toContain('/only-in-the-sums')
    expect(await read(range)).toEqual(await read(range, ALL))
    // A key built 10 minutes ago, and the one just replaced (kept: a reader may hold it).
    await t.db.command("INSERT INTO today_totals (site, day, cut_key, dim, value, built) VALUES ('example.com', today(), 1, '#', '', now() - 600)")
    await rollupToday(t.db)
    expect(await count("dim = '#'")).toBe(2)
    expect(await count('cut_key = 1')).toBe(0)
    expect(await read(range)).toEqual(await read(range, ALL))
  })

  it('an erasure takes every sum of today off the disk, and the next run sums today without the visitor', async () => {
    await rollupToday(t.db)
    expect(await count()).toBeGreaterThan(0)
    await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid: 'visitor-b-0001' }))
      .expect(200)
    expect(await count('1', true)).toBe(0)
    await rollupToday(t.db)
    expect(await count("dim = '#'")).toBe(1)
    const after = await read(range)
    expect(after).toEqual(await read(range, ALL))
    expect(after.summary).toMatchObject({ visitors: 3, visits: 4 })
  })
})
