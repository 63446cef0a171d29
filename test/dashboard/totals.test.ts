// Ranges without filters read whole local days from visit_totals (sql/017) and the rest
// from visit rows. Each test compares the answer without filters with the answer under a
// filter that every visit matches (which is always read from visit rows): the two must
// be the same, and must stay the same through a change of time zone and an erasure; the
// same holds for the sums over a range (visit_totals_ranges, sql/018) made from them.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRanges, MAX_RANGE_KEYS, MAX_RANGE_ROWS, wholeRanges } from '../../aggregates/ranges.ts'
import { rollupDays, rollupVisitRows } from '../../aggregates/rollup.ts'
import { dayLock } from '../../lib/lock.ts'
import { addDays, isoDay } from '../../lib/timezone.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>

const today = isoDay(new Date())
const day = (n: number) => addDays(today, -n)
// Midday UTC: the same local day in every zone used here.
const at = (n: number, hh: number, mm = 0) => `${day(n)} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000`
const DAYS = [day(3), day(2), day(1)]

// One route of each way of reading the sums (the other breakdowns are read as sources and UTM are).
const ROUTES = ['summary', 'timeseries?interval=week', 'pages', 'entry-pages', 'exit-pages', 'sources', 'utm?by=campaign', 'events', 'goals']
// Every visit matches it, and it sends the query to the visit rows.
const ALL = `&filters=${encodeURIComponent(JSON.stringify([['is_not', 'page', ['/no-such-page']]]))}`
const RANGE = `site=example.com&from=${day(3)}&to=${today}`

const read = async (extra = '') => {
  const bodies = await Promise.all(ROUTES.map(async (r) => (await agent.get(`/api/stats/${r}${r.includes('?') ? '&' : '?'}${RANGE}${extra}`).expect(200)).body))
  return Object.fromEntries(
    bodies.map((b, i) => [
      ROUTES[i],
      b.results ?? { visitors: b.visitors, visits: b.visits, pageviews: b.pageviews, bounce_rate: b.bounce_rate, visit_duration: b.visit_duration },
    ]),
  )
}
const summed = async (tz?: string) =>
  (
    await t.db.query<{ d: string }>(
      `SELECT toString(day) AS d FROM visit_totals_days WHERE site = 'example.com' ${tz ? 'GROUP BY day HAVING argMax(timezone, gen) = {tz:String}' : 'GROUP BY day'} ORDER BY d`,
      { tz },
    )
  ).map((r) => r.d)
/** Rows of visit_totals_ranges on disk, masked or not. */
const rangeRowsOnDisk = async () =>
  Number((await t.db.query<{ n: string }>('SELECT count() AS n FROM visit_totals_ranges SETTINGS apply_deleted_mask = 0'))[0]?.n)
const roll = () =>
  dayLock.run(() =>
    rollupDays(
      t.db,
      DAYS.map((d) => ({ day: d, sites: ['example.com'] })),
    ),
  )

beforeAll(async () => {
  t = await makeApp()
  await t.db.insert('events', [
    // Three days ago: one visitor only, from Google, two pages, a signup.
    eventRow({ vid: 'only-visitor-0001', sid: 's1', ts: at(3, 12), path: '/', source: 'Google', referrer_source: 'google.nl' }),
    eventRow({ vid: 'only-visitor-0001', sid: 's1', ts: at(3, 12, 2), path: '/pricing' }),
    eventRow({ vid: 'only-visitor-0001', sid: 's1', ts: at(3, 12, 3), path: '/pricing', type: 'event', name: 'signup' }),
    // Two days ago: a newsletter visit ("Newsletter" and "newsletter" are one source), and a bounce on a phone.
    eventRow({ vid: 'visitor-b-0001', sid: 's2', ts: at(2, 11), path: '/blog/one', source: 'Newsletter', utm_source: 'Newsletter', utm_campaign: 'week1' }),
    eventRow({ vid: 'visitor-b-0001', sid: 's2', ts: at(2, 11, 5), path: '/blog/two' }),
    eventRow({ vid: 'visitor-c-0001', sid: 's3', ts: at(2, 13), path: '/docs', device: 'mobile', country: 'BE' }),
    // Yesterday: b again, and c from the newsletter.
    eventRow({ vid: 'visitor-b-0001', sid: 's4', ts: at(1, 12), path: '/pricing', source: 'newsletter', utm_source: 'newsletter' }),
    eventRow({ vid: 'visitor-c-0001', sid: 's5', ts: at(1, 14), path: '/blog/one', source: 'newsletter', utm_source: 'newsletter' }),
    eventRow({ vid: 'visitor-c-0001', sid: 's5', ts: at(1, 14, 1), path: '/pricing', type: 'event', name: 'signup' }),
  ])
  // Today: a visit read from the raw events.
  await t.db.insert('events', [eventRow({ vid: 'visitor-d-0001', sid: 's6', ts: `${isoDay(new Date())} 00:00:01.000`, path: '/docs' })])
  agent = await t.login()
  await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'signup' }).expect(201)
  await agent.post('/api/sites/example.com/goals').send({ kind: 'page', match: '/blog/*' }).expect(201)
})
afterAll(async () => {
  await t.close()
})

describe('totals per local day', () => {
  it('a range without filters reads its whole days from visit_totals, and answers as the visit rows do', async () => {
    const fromVisits = await read(ALL)
    await roll()
    expect(await summed('UTC')).toEqual(DAYS)
    const fromSums = await read()
    expect(fromSums).toEqual(fromVisits)
    expect(fromSums).toMatchObject({ summary: { visitors: 4, visits: 6, pageviews: 8 } })
    // The proof that the sums are read: without the visit rows of two days ago, the
    // answer without filters is the same, and the one through visit rows is not.
    await t.db.command('ALTER TABLE visits DROP PARTITION {d:Date}', { d: day(2) })
    expect(await read()).toEqual(fromVisits)
    expect(((await read(ALL)).summary as { visits: number }).visits).toBe(4)
    await roll()
    expect(await read(ALL)).toEqual(fromVisits)
  })

  it("a range's lists are merged once into visit_totals_ranges and read from there until the next sums of days, which empty it", async () => {
    await roll()
    const first = await read()
    const ranged = await t.db.query<{ dim: string; keys: string }>(
      "SELECT dim, toString(uniqExact(range_key)) AS keys FROM visit_totals_ranges WHERE site = 'example.com' AND marker = 1 GROUP BY dim ORDER BY dim",
    )
    expect(ranged).toEqual(['entry_page', 'event', 'exit_page', 'page', 'source', 'utm_campaign'].map((dim) => ({ dim, keys: '1' })))
    // The proof that the range's rows are read: without the days' value rows, the answer is the same.
    await t.db.command("DELETE FROM visit_totals WHERE site = 'example.com' AND dim != ''")
    expect(await read()).toEqual(first)
    await roll()
    expect(await rangeRowsOnDisk()).toBe(0)
    expect(await read()).toEqual(first)
    expect(await read()).toEqual(await read(ALL))
  })

  it('a range built by two processes at once (every row twice) is read once', async () => {
    const before = await read()
    expect(await rangeRowsOnDisk()).toBeGreaterThan(0)
    await t.db.command('INSERT INTO visit_totals_ranges SELECT * FROM visit_totals_ranges')
    expect(await read()).toEqual(before)
  })

  it('a build whose rows a TRUNCATE took before its marker landed is not left marked', async () => {
    const T = "site = 'example.com' AND dim != ''"
    // The truncate of a build of day sums, between this build's rows and its marker.
    const truncatedMeanwhile = async () => {
      await t.db.command('TRUNCATE TABLE visit_totals_ranges')
      return true
    }
    expect(await buildRanges(t.db, 'example.com', '4241', T, {}, ['page'], truncatedMeanwhile)).toBe(false)
    const [left] = await t.db.query<{ n: string }>('SELECT count() AS n FROM visit_totals_ranges WHERE range_key = 4241 SETTINGS apply_deleted_mask = 0')
    expect(Number(left?.n)).toBe(0)
  })

  it('a range whose days were summed again while it was built (an erasure meanwhile) leaves the disk, and is not marked', async () => {
    const T = "site = 'example.com' AND dim != ''"
    const built = await buildRanges(t.db, 'example.com', '4242', T, {}, ['page', 'source'], async () => false)
    expect(built).toBe(false)
    const [left] = await t.db.query<{ n: string }>('SELECT count() AS n FROM visit_totals_ranges WHERE range_key = 4242 SETTINGS apply_deleted_mask = 0')
    expect(Number(left?.n)).toBe(0)
    expect(await buildRanges(t.db, 'example.com', '4243', T, {}, ['page', 'source'], async () => true)).toBe(true)
    expect([...(await wholeRanges(t.db, 'example.com', '4243', ['page', 'source', 'browser']))].sort()).toEqual(['page', 'source'])
    await t.db.command('ALTER TABLE visit_totals_ranges DELETE WHERE range_key = 4243 SETTINGS mutations_sync = 2')
  })

  // Filler for each cap: rows under one key, or marked keys.
  it.each([
    [`${MAX_RANGE_ROWS} rows`, "SELECT 'example.com', 'page', 7, toString(number), 0 FROM numbers({n:UInt32})", MAX_RANGE_ROWS, 1],
    [`${MAX_RANGE_KEYS} ranges`, "SELECT 'example.com', 'page', number + 1, '', 1 FROM numbers({n:UInt32})", MAX_RANGE_KEYS, MAX_RANGE_KEYS],
  ])('past %s of a site, a new range is read from the day sums and not stored', async (_, filler, n, keysAfter) => {
    const before = await read()
    await t.db.command('TRUNCATE TABLE visit_totals_ranges')
    await t.db.command(`INSERT INTO visit_totals_ranges (site, dim, range_key, value, marker) ${filler}`, { n })
    expect(await read()).toEqual(before)
    const [keys] = await t.db.query<{ n: string }>("SELECT uniqExact(range_key) AS n FROM visit_totals_ranges WHERE site = 'example.com'")
    expect(Number(keys?.n)).toBe(keysAfter)
    await roll()
  })

  it('summing a day again replaces its rows: read once, and the older generation deleted', async () => {
    const before = await read()
    await roll()
    await roll()
    expect(await read()).toEqual(before)
    const [left] = await t.db.query<{ n: string }>(
      `SELECT count() AS n FROM visit_totals WHERE site = 'example.com'
         AND gen NOT IN (SELECT max(gen) FROM visit_totals_days WHERE site = 'example.com' GROUP BY day)`,
    )
    expect(Number(left?.n)).toBe(0)
  })

  it('after a change of time zone, days summed in the old zone are read from visit rows until the job sums them in the new one', async () => {
    await agent.patch('/api/sites/example.com').send({ timezone: 'America/New_York' }).expect(200)
    try {
      expect(await summed('America/New_York')).toEqual([])
      const fromVisits = await read(ALL)
      expect(await read()).toEqual(fromVisits)
      await t.deps.scheduler!.runNow('rollup-visits')
      // Every local day with visit rows in its UTC days, once those are whole: the day
      // before the first (its last hours are the first's UTC morning), the first two; not
      // yesterday (its evening in New York is today in UTC, not whole yet).
      expect(await summed('America/New_York')).toEqual([day(4), day(3), day(2)])
      expect(await read()).toEqual(fromVisits)
    } finally {
      await agent.patch('/api/sites/example.com').send({ timezone: 'UTC' }).expect(200)
      await t.deps.scheduler!.runNow('rollup-visits')
    }
    expect(await summed('UTC')).toEqual(DAYS)
  })

  it('erasing a visitor sums its days again without it, a day of its own down to nothing, and the replaced sums leave the disk', async () => {
    await roll()
    // Ranges merged with the visitor in them.
    await read()
    const keys = (await t.db.query<{ k: string }>('SELECT DISTINCT toString(range_key) AS k FROM visit_totals_ranges')).map((r) => r.k)
    expect(keys.length).toBeGreaterThan(0)
    await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid: 'only-visitor-0001' }))
      .expect(200)
    const after = await read()
    expect(after).toEqual(await read(ALL))
    expect(after.summary).toMatchObject({ visitors: 3, visits: 5, pageviews: 6 })
    expect(await summed('UTC')).toEqual(DAYS)
    const [left] = await t.db.query<{ n: string }>(
      `SELECT count() AS n FROM visit_totals WHERE site = 'example.com' AND day = {d:Date} AND dim = 'page' SETTINGS apply_deleted_mask = 0`,
      { d: day(3) },
    )
    expect(Number(left?.n)).toBe(0)
    const [old] = await t.db.query<{ n: string }>(
      'SELECT count() AS n FROM visit_totals_ranges WHERE toString(range_key) IN {keys:Array(String)} SETTINGS apply_deleted_mask = 0',
      { keys },
    )
    expect(Number(old?.n)).toBe(0)
  })

  it("today's visit that went on after the visits-today cutoff counts once, with its new page view, in a range read from the sums", async () => {
    await roll()
    const before = (await read()).summary as { visits: number; pageviews: number }
    // Today rolled up to a cutoff, as the visits-today job does (a fixed one: the job's, 10 s
    // back, would fall on yesterday in a day's first seconds).
    await dayLock.run(() => rollupVisitRows(t.db, today, `${today} 00:00:02.000`))
    // d's visit of today goes on: its row in `visits` is at the cutoff, its new page view after it.
    await t.db.insert('events', [eventRow({ vid: 'visitor-d-0001', sid: 's6', ts: `${today} 00:00:03.000`, path: '/pricing' })])
    const after = await read()
    expect(after).toEqual(await read(ALL))
    expect(after.summary).toMatchObject({ visits: before.visits, pageviews: before.pageviews + 1 })
  })
})
