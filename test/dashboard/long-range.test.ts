// Ranges that reach back past the raw events: answered from the daily aggregates (UTC
// days, no filters), or refused with a message that says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'
import { addDays } from '../../lib/timezone.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>
const today = new Date().toISOString().slice(0, 10)
// 20 days of raw events: 25 days ago is before the horizon.
const old = addDays(today, -25)
const RANGE = `site=example.com&from=${addDays(old, -1)}&to=${addDays(old, 1)}`

beforeAll(async () => {
  t = await makeApp({ RAW_RETENTION_DAYS: '20', SITES: 'example.com@Europe/Amsterdam' })
  await t.db.insert('events', [
    eventRow({ vid: 'old-visitor-1', sid: 'old1', ts: `${old} 10:00:00.000`, path: '/' }),
    eventRow({ vid: 'old-visitor-1', sid: 'old1', ts: `${old} 10:01:00.000`, path: '/pricing' }),
    eventRow({ vid: 'old-visitor-2', sid: 'old2', ts: `${old} 11:00:00.000`, path: '/', referrer_source: 'google.com' }),
  ])
  agent = await t.login()
})
afterAll(async () => {
  await t.close()
})

describe('a range older than the raw events', () => {
  it('is answered from the daily aggregates, in UTC days', async () => {
    const s = (await agent.get(`/api/stats/summary?${RANGE}`).expect(200)).body
    expect([s.timezone, s.visitors, s.pageviews]).toEqual(['UTC', 2, 3])
    const days = (await agent.get(`/api/stats/timeseries?${RANGE}`).expect(200)).body.results
    expect(days.map((p: { date: string; pageviews: number }) => p.pageviews)).toEqual([0, 3, 0])
    const pages = (await agent.get(`/api/stats/pages?${RANGE}`).expect(200)).body.results
    expect(pages.map((p: { name: string }) => p.name)).toEqual(['/', '/pricing'])
    const refs = (await agent.get(`/api/stats/referrers?${RANGE}`).expect(200)).body.results
    expect(refs.map((p: { name: string }) => p.name)).toEqual(['google.com'])
  })

  it.each([
    ['filters', `/api/stats/summary?${RANGE}&filters=${encodeURIComponent('[["is","page",["/"]]]')}`, /filters need visit rows, kept 20 days/],
    ['weeks', `/api/stats/timeseries?${RANGE}&interval=week`, /interval=week needs visit rows/],
    ['grouped sources', `/api/stats/sources?${RANGE}`, /sources needs visit rows/],
    ['exit pages', `/api/stats/exit-pages?${RANGE}`, /exit pages needs visit rows/],
    ['goals', `/api/stats/goals?${RANGE}`, /goals needs visit rows/],
  ])('refuses %s with a message naming the horizon', async (_name, url, message) => {
    const res = await agent.get(url).expect(400)
    expect(res.body.error).toMatch(message)
    expect(res.body.error).toMatch(/start the range on \d{4}-\d{2}-\d{2}|use interval=day/)
  })
})
