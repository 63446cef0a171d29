// The stats API on a known set of events: every figure is worked out by hand below.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, pageview, send, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>

interface Raw {
  vid: string
  sid: string
  ts: string
  path: string
  type?: 'pageview' | 'event'
  name?: string
  site?: string
  referrer_source?: string
  utm_source?: string
  utm_campaign?: string
  browser?: string
  os?: string
  device?: string
  country?: string
}

function row(r: Raw) {
  return eventRow(r)
}

// Visitor A: two visits on day 1. B: a bounce on each day. C: one visit on day 2, plus a signup.
const A = { vid: 'visitor-a-0001', browser: 'Chrome', device: 'desktop', country: 'NL' }
const B = { vid: 'visitor-b-0001', browser: 'Firefox', os: 'Android', device: 'mobile', country: 'BE' }
const C = { vid: 'visitor-c-0001', browser: 'Chrome', device: 'desktop', country: 'NL' }
const KNOWN = [
  row({ ...A, sid: 'sess-a1-00001', ts: '2026-11-01 10:00:00.000', path: '/', referrer_source: 'google.com', utm_source: 'news', utm_campaign: 'launch' }),
  row({ ...A, sid: 'sess-a1-00001', ts: '2026-11-01 10:01:00.000', path: '/pricing' }),
  row({ ...A, sid: 'sess-a1-00001', ts: '2026-11-01 10:03:00.000', path: '/about' }),
  row({ ...B, sid: 'sess-b1-00001', ts: '2026-11-01 11:00:00.000', path: '/pricing', referrer_source: 'news.ycombinator.com' }),
  row({ ...A, sid: 'sess-a2-00001', ts: '2026-11-01 15:00:00.000', path: '/pricing' }),
  row({ ...A, sid: 'sess-a2-00001', ts: '2026-11-01 15:00:30.000', path: '/' }),
  row({ ...B, sid: 'sess-b2-00001', ts: '2026-11-02 09:00:00.000', path: '/' }),
  row({ ...C, sid: 'sess-c1-00001', ts: '2026-11-02 09:10:00.000', path: '/' }),
  row({ ...C, sid: 'sess-c1-00001', ts: '2026-11-02 09:12:00.000', path: '/pricing' }),
  row({ ...C, sid: 'sess-c1-00001', ts: '2026-11-02 09:13:00.000', path: '/pricing', type: 'event', name: 'signup' }),
  // Outside the range or the site: must not count.
  row({ vid: 'visitor-d-0001', sid: 'sess-d1-00001', ts: '2026-11-03 09:00:00.000', path: '/' }),
  row({ vid: 'visitor-e-0001', sid: 'sess-e1-00001', ts: '2026-11-01 09:00:00.000', path: '/', site: 'shop.example.org' }),
]

beforeAll(async () => {
  // Ten years of raw events: the fixed dates below stay within them.
  t = await makeApp({ RAW_RETENTION_DAYS: '3650' })
  // Two inserts, as two flushes would make them: visits must merge across blocks.
  await t.db.insert('events', KNOWN.slice(0, 5))
  await t.db.insert('events', KNOWN.slice(5))
  agent = await t.login()
})
afterAll(async () => {
  await t.close()
})

const RANGE = 'site=example.com&from=2026-11-01&to=2026-11-02'
const get = async (report: string, extra = '') => (await agent.get(`/api/stats/${report}?${RANGE}${extra}`).expect(200)).body

describe('stats on a known set of events', () => {
  it('summary: unique visitors across days, visits, page views, bounce rate, visit duration', async () => {
    expect(await get('summary')).toEqual({
      site: 'example.com',
      from: '2026-11-01',
      to: '2026-11-02',
      timezone: 'UTC',
      filters: [],
      visitors: 3,
      visits: 5,
      pageviews: 9,
      bounce_rate: 40, // 2 of 5 visits saw one page
      visit_duration: 66, // (180 + 0 + 30 + 0 + 120) / 5 seconds
    })
  })

  it('timeseries: one point per day, days without data as zeros', async () => {
    const body = (await agent.get('/api/stats/timeseries?site=example.com&from=2026-10-31&to=2026-11-02').expect(200)).body
    expect(body.results).toEqual([
      { date: '2026-10-31', visitors: 0, visits: 0, pageviews: 0, bounce_rate: 0, visit_duration: 0 },
      { date: '2026-11-01', visitors: 2, visits: 3, pageviews: 6, bounce_rate: 33, visit_duration: 70 },
      { date: '2026-11-02', visitors: 2, visits: 2, pageviews: 3, bounce_rate: 50, visit_duration: 60 },
    ])
  })

  it('pages: ranked by visitors, then page views, then name', async () => {
    expect((await get('pages')).results).toEqual([
      { name: '/', visitors: 3, pageviews: 4 },
      { name: '/pricing', visitors: 3, pageviews: 4 },
      { name: '/about', visitors: 1, pageviews: 1 },
    ])
  })

  it('pages: a page seen once by two visitors ranks above one seen often by one (as in Plausible), also when the limit cuts', async () => {
    const day = { ts: '2026-10-20 08:00:00.000', site: 'example.com' }
    await t.db.insert('events', [
      row({ ...day, vid: 'visitor-x-0001', sid: 'sess-x1-00001', path: '/docs' }),
      row({ ...day, vid: 'visitor-x-0001', sid: 'sess-x1-00001', path: '/docs', ts: '2026-10-20 08:01:00.000' }),
      row({ ...day, vid: 'visitor-x-0001', sid: 'sess-x1-00001', path: '/docs', ts: '2026-10-20 08:02:00.000' }),
      row({ ...day, vid: 'visitor-y-0001', sid: 'sess-y1-00001', path: '/blog' }),
      row({ ...day, vid: 'visitor-z-0001', sid: 'sess-z1-00001', path: '/blog' }),
    ])
    const on = async (extra: string) => (await agent.get(`/api/stats/pages?site=example.com&from=2026-10-20&to=2026-10-20${extra}`).expect(200)).body.results
    expect(await on('')).toEqual([
      { name: '/blog', visitors: 2, pageviews: 2 },
      { name: '/docs', visitors: 1, pageviews: 3 },
    ])
    expect(await on('&limit=1')).toEqual([{ name: '/blog', visitors: 2, pageviews: 2 }])
  })

  it('entry pages: the first page of each visit', async () => {
    expect((await get('entry-pages')).results).toEqual([
      { name: '/', visitors: 3, visits: 3, bounce_rate: 33 },
      { name: '/pricing', visitors: 2, visits: 2, bounce_rate: 50 },
    ])
  })

  it('referrers, UTM campaigns and sources', async () => {
    expect((await get('referrers')).results.map((r: { name: string; visitors: number }) => [r.name, r.visitors])).toEqual([
      ['google.com', 1],
      ['news.ycombinator.com', 1],
    ])
    expect((await get('utm')).results.map((r: { name: string }) => r.name)).toEqual(['launch'])
    expect((await get('utm', '&by=source')).results.map((r: { name: string }) => r.name)).toEqual(['news'])
  })

  it('browsers, operating systems, devices and countries by unique visitors', async () => {
    const pairs = async (report: string) => (await get(report)).results.map((r: { name: string; visitors: number }) => [r.name, r.visitors])
    expect(await pairs('browsers')).toEqual([
      ['Chrome', 2],
      ['Firefox', 1],
    ])
    expect(await pairs('os')).toEqual([
      ['Windows', 2],
      ['Android', 1],
    ])
    expect(await pairs('devices')).toEqual([
      ['desktop', 2],
      ['mobile', 1],
    ])
    expect(await pairs('countries')).toEqual([
      ['NL', 2],
      ['BE', 1],
    ])
  })

  it('custom events by name: visitors and visits with the event, and how often it happened; an event is no page view', async () => {
    // Visit C: two page views (09:10, 09:12; the event at 09:13 does not lengthen it).
    expect((await get('events')).results).toEqual([{ name: 'signup', visitors: 1, visits: 1, pageviews: 2, bounce_rate: 0, visit_duration: 120, events: 1 }])
  })

  it('limit cuts a ranked list', async () => {
    expect((await get('pages', '&limit=1')).results).toHaveLength(1)
  })
})

describe('stats API parameters', () => {
  it.each([
    ['no site', '/api/stats/summary?from=2026-11-01&to=2026-11-02', 400, /site is required/],
    ['an impossible date', '/api/stats/summary?site=example.com&from=2026-02-30&to=2026-03-01', 400, /from must be a date/],
    ['a date in another format', '/api/stats/summary?site=example.com&from=01-11-2026', 400, /from must be a date/],
    ['from after to', '/api/stats/summary?site=example.com&from=2026-11-03&to=2026-11-01', 400, /from must not be after to/],
    ['a range of ten years', '/api/stats/summary?site=example.com&from=2016-01-01&to=2026-01-01', 400, /at most/],
    ['limit 0', '/api/stats/pages?site=example.com&limit=0', 400, /limit/],
    ['limit as text', '/api/stats/pages?site=example.com&limit=ten', 400, /limit/],
    ['an unknown utm dimension', '/api/stats/utm?site=example.com&by=gclid', 400, /by must be/],
    ['an unregistered site', '/api/stats/summary?site=other.example.net', 404, /not registered/],
    ['an unknown report', '/api/stats/weather?site=example.com', 404, /unknown report/],
    ['a site given twice', '/api/stats/summary?site=example.com&site=shop.example.org', 400, /site/],
    ['SQL in the site', "/api/stats/summary?site=example.com'%20OR%201=1--", 404, /not registered/],
  ])('answers %s with a clear error', async (_name, url, status, message) => {
    const res = await agent.get(url).expect(status)
    expect(res.body.error).toMatch(message)
  })

  it('accepts the site name in any case and with www., as the collector does', async () => {
    const body = (await agent.get('/api/stats/summary?site=WWW.Example.com&from=2026-11-01&to=2026-11-02').expect(200)).body
    expect(body).toMatchObject({ site: 'example.com', visitors: 3, pageviews: 9 })
  })

  it('defaults to the last 30 days when no dates are given', async () => {
    const body = (await agent.get('/api/stats/summary?site=example.com').expect(200)).body
    const to = new Date().toISOString().slice(0, 10)
    expect(body.to).toBe(to)
    expect((Date.parse(body.to) - Date.parse(body.from)) / 86_400_000).toBe(29)
  })
})

describe('finished days rolled up', () => {
  it('keeps every figure the same after rollup-visits, even once the per-visit rows are gone', async () => {
    const reports = ['summary', 'timeseries', 'entry-pages']
    const before = await Promise.all(reports.map((r) => get(r)))
    const state = await t.deps.scheduler!.runNow('rollup-visits')
    expect(state.last_error).toBeNull()
    expect(state.last_rows).toBeGreaterThanOrEqual(3) // 2026-11-01 and -02 for example.com, -01 for the shop
    // Per-visit rows expire with the raw events; the rolled-up figures must stand alone.
    await t.db.command("DELETE FROM sessions WHERE day <= '2026-11-03'")
    const after = await Promise.all(reports.map((r) => get(r)))
    expect(after).toEqual(before)
  })

  it('rolls a day up again without counting it twice', async () => {
    await t.deps.scheduler!.runNow('rollup-visits')
    await t.deps.scheduler!.runNow('rollup-visits')
    expect((await get('summary')).visits).toBe(5)
    expect((await get('entry-pages')).results).toEqual([
      { name: '/', visitors: 3, visits: 3, bounce_rate: 33 },
      { name: '/pricing', visitors: 2, visits: 2, bounce_rate: 50 },
    ])
  })
})

describe('freshness', () => {
  it('shows a consented page view in the summary within 5 seconds', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const url = `/api/stats/summary?site=shop.example.org&from=${today}&to=${today}`
    const before = (await agent.get(url).expect(200)).body.pageviews as number
    await send(t.app, pageview({ site: 'shop.example.org', url: 'https://shop.example.org/cart' })).expect(202)
    // The writer flushes on its own timer (FLUSH_INTERVAL_MS); poll, never longer than 5 s.
    const deadline = Date.now() + 5000
    let after = before
    while (Date.now() < deadline && after === before) {
      await new Promise((r) => setTimeout(r, 100))
      after = (await agent.get(url).expect(200)).body.pageviews
    }
    expect(after).toBe(before + 1)
  })

  it('requires a session for every stats route', async () => {
    for (const report of ['summary', 'timeseries', 'pages', 'entry-pages', 'referrers', 'utm', 'browsers', 'os', 'devices', 'countries', 'events']) {
      const res = await request(t.app).get(`/api/stats/${report}?${RANGE}`)
      expect(res.status, report).toBe(401)
    }
  })
})

describe('lead score', () => {
  it('weighs distinct pages, visits and time on site, and stays within 0 to 100', async () => {
    const { leadScore } = await import('../../dashboard/companies.ts')
    expect(leadScore({ pages: 0, visits: 0, duration: 0 })).toBe(0)
    expect(leadScore({ pages: 1, visits: 1, duration: 0 })).toBe(10) // 4 + 6
    expect(leadScore({ pages: 10, visits: 5, duration: 900 })).toBe(100)
    expect(leadScore({ pages: 200, visits: 99, duration: 99_999 })).toBe(100)
    expect(leadScore({ pages: 5, visits: 2, duration: 300 })).toBe(42) // 20 + 12 + 10
  })
})
