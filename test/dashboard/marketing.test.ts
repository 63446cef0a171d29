// Filters, grouped sources, exit pages, goals, intervals and site time zones (issue 16),
// on a known set of visits whose every figure is worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rollupDays } from '../../aggregates/rollup.ts'
import { hashPassword } from '../../auth/users.ts'
import { loadConfig } from '../../lib/config.ts'
import { dayLock } from '../../lib/lock.ts'
import { makeApp, pageview, send, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>

const a = { vid: 'visitor-a-0001' }
const at = (day: string, time: string) => `2026-11-${day} ${time}.000`
// Seven visits of six visitors on 10 and 11 November (UTC).
const KNOWN = [
  // V1: a, from Google (google.nl), three pages, leaves on /blog/two.
  eventRow({ ...a, sid: 'v1', ts: at('10', '10:00:00'), path: '/', source: 'Google', referrer_source: 'google.nl' }),
  eventRow({ ...a, sid: 'v1', ts: at('10', '10:01:00'), path: '/blog/one' }),
  eventRow({ ...a, sid: 'v1', ts: at('10', '10:02:00'), path: '/blog/two' }),
  // V2: b, from Google (google.com), Firefox, one page, signs up (plan pro).
  eventRow({
    vid: 'visitor-b-0001',
    sid: 'v2',
    ts: at('10', '11:00:00'),
    path: '/pricing',
    source: 'Google',
    referrer_source: 'google.com',
    browser: 'Firefox',
  }),
  eventRow({ vid: 'visitor-b-0001', sid: 'v2', ts: at('10', '11:01:00'), path: '/pricing', type: 'event', name: 'signup', props: { plan: 'pro' } }),
  // V3: c, newsletter campaign with content and term, two pages, signs up (plan free).
  eventRow({
    vid: 'visitor-c-0001',
    sid: 'v3',
    ts: at('10', '12:00:00'),
    path: '/blog/one',
    source: 'newsletter',
    utm_source: 'newsletter',
    utm_content: 'hero',
    utm_term: 'analytics',
  }),
  eventRow({ vid: 'visitor-c-0001', sid: 'v3', ts: at('10', '12:05:00'), path: '/pricing' }),
  eventRow({ vid: 'visitor-c-0001', sid: 'v3', ts: at('10', '12:06:00'), path: '/pricing', type: 'event', name: 'signup', props: { plan: 'free' } }),
  // V4: d, direct, from Belgium, one page.
  eventRow({ vid: 'visitor-d-0001', sid: 'v4', ts: at('11', '09:00:00'), path: '/', country: 'BE' }),
  // V5: a again, "Newsletter" spelled with a capital, one page.
  eventRow({ ...a, sid: 'v5', ts: at('11', '10:00:00'), path: '/blog/one', source: 'Newsletter', utm_source: 'Newsletter' }),
  // V6: e, from DuckDuckGo on a phone.
  eventRow({
    vid: 'visitor-e-0001',
    sid: 'v6',
    ts: at('11', '11:00:00'),
    path: '/docs',
    source: 'DuckDuckGo',
    referrer_source: 'duckduckgo.com',
    device: 'mobile',
  }),
  // V7: f, newsletter again (lower case: the most common spelling).
  eventRow({ vid: 'visitor-f-0001', sid: 'v7', ts: at('11', '12:00:00'), path: '/', source: 'newsletter', utm_source: 'newsletter' }),
]

const RANGE = 'site=example.com&from=2026-11-10&to=2026-11-11'
const q = (filters: unknown) => `&filters=${encodeURIComponent(JSON.stringify(filters))}`
const get = async (report: string, extra = '') => (await agent.get(`/api/stats/${report}?${RANGE}${extra}`).expect(200)).body
const figures = async (extra = '') => {
  const s = await get('summary', extra)
  return { visitors: s.visitors, visits: s.visits, pageviews: s.pageviews }
}
const names = (rows: Array<{ name: string; visitors: number }>) => rows.map((r) => [r.name, r.visitors])

beforeAll(async () => {
  // Ten years of raw events: the fixed dates below stay within them.
  t = await makeApp({ RAW_RETENTION_DAYS: '3650' })
  await t.db.insert('events', KNOWN.slice(0, 6))
  await t.db.insert('events', KNOWN.slice(6))
  await t.db.insert('events', [
    // 23:30 UTC on the 10th is 00:30 on the 11th in Amsterdam.
    eventRow({ site: 'shop.example.org', vid: 'tz-visitor-1', sid: 'tz1', ts: at('10', '23:30:00'), path: '/late' }),
    // The night clocks went back in Amsterdam (25 October 2026): 02:30 happened twice.
    eventRow({ site: 'shop.example.org', vid: 'tz-visitor-2', sid: 'tz2', ts: '2026-10-25 00:30:00.000', path: '/a' }),
    eventRow({ site: 'shop.example.org', vid: 'tz-visitor-3', sid: 'tz3', ts: '2026-10-25 01:30:00.000', path: '/b' }),
  ])
  agent = await t.login()
})
afterAll(async () => {
  await t.close()
})

describe('filters', () => {
  it('counts every visitor, visit and page view without filters', async () => {
    expect(await figures()).toEqual({ visitors: 6, visits: 7, pageviews: 10 })
  })

  it('source is Google: the visits credited to Google, matched in any case', async () => {
    expect(await figures(q([['is', 'source', ['Google']]]))).toEqual({ visitors: 2, visits: 2, pageviews: 4 })
    expect(await figures(q([['is', 'source', ['google']]]))).toEqual({ visitors: 2, visits: 2, pageviews: 4 })
  })

  it('page contains: visits that saw such a page, and only the matching page views count', async () => {
    // V1 (2 blog pages), V3 (1), V5 (1); "contains" ignores case.
    expect(await figures(q([['contains', 'page', ['/BLOG']]]))).toEqual({ visitors: 2, visits: 3, pageviews: 4 })
  })

  it('two filters combine with AND', async () => {
    expect(
      await figures(
        q([
          ['is', 'source', ['Google']],
          ['contains', 'page', ['/blog']],
        ]),
      ),
    ).toEqual({ visitors: 1, visits: 1, pageviews: 2 })
  })

  it('page is_not: visits that never saw the page', async () => {
    // V1, V4, V5, V6, V7.
    expect(await figures(q([['is_not', 'page', ['/pricing']]]))).toEqual({ visitors: 4, visits: 5, pageviews: 7 })
  })

  it('several values of one filter match any of them', async () => {
    expect(await figures(q([['is', 'country', ['BE', 'DE']]]))).toEqual({ visitors: 1, visits: 1, pageviews: 1 })
    expect(await figures(q([['is', 'browser', ['Firefox', 'Safari']]]))).toEqual({ visitors: 1, visits: 1, pageviews: 1 })
  })

  it('event is signup: visits with the custom event', async () => {
    expect(await figures(q([['is', 'event', ['signup']]]))).toEqual({ visitors: 2, visits: 2, pageviews: 3 })
  })

  it('entry and exit page filters look at the first and last page of a visit', async () => {
    expect(await figures(q([['is', 'entry_page', ['/blog/one']]]))).toEqual({ visitors: 2, visits: 2, pageviews: 3 })
    expect(await figures(q([['is', 'exit_page', ['/pricing']]]))).toEqual({ visitors: 2, visits: 2, pageviews: 3 })
  })

  it('Direct / None filters the visits without a source', async () => {
    expect(await figures(q([['is', 'source', ['Direct / None']]]))).toEqual({ visitors: 1, visits: 1, pageviews: 1 })
  })

  it('filters every list, the timeseries and the companies list alike', async () => {
    const f = q([['is', 'source', ['Google']]])
    expect(names((await get('pages', f)).results)).toEqual([
      ['/', 1],
      ['/blog/one', 1],
      ['/blog/two', 1],
      ['/pricing', 1],
    ])
    expect(names((await get('browsers', f)).results)).toEqual([
      ['Chrome', 1],
      ['Firefox', 1],
    ])
    const days = (await get('timeseries', f)).results.map((p: { date: string; visits: number }) => [p.date, p.visits])
    expect(days).toEqual([
      ['2026-11-10', 2],
      ['2026-11-11', 0],
    ])
    const companies = (await agent.get(`/api/companies?${RANGE}${f}`).expect(200)).body
    expect(companies.filters).toEqual([['is', 'source', ['Google']]])
  })

  it("companies count only their visits that match: page views of matching pages, the visit's pages", async () => {
    const acme = '0123456789abcdef'
    await t.db.insert('companies', [{ company_id: acme, name: 'Acme B.V.', domain: 'acme.example', network_type: 'business', evidence: '[]' }])
    await t.db.insert('enriched_sessions', [
      { site: 'example.com', sid: 'v1', day: '2026-11-10', network_type: 'business', company_id: acme, network: '192.0.2.0/24' },
      { site: 'example.com', sid: 'v3', day: '2026-11-10', network_type: 'business', company_id: acme, network: '192.0.2.0/24' },
    ])
    const acmeRow = async (filters: unknown) => {
      const rows = (await agent.get(`/api/companies?${RANGE}${q(filters)}`).expect(200)).body.results
      return rows.map((r: Record<string, unknown>) => [r.name, r.visits, r.pageviews, r.visitors])
    }
    expect(await acmeRow([['is', 'source', ['Google']]])).toEqual([['Acme B.V.', 1, 3, 1]])
    expect(await acmeRow([['contains', 'page', ['/blog']]])).toEqual([['Acme B.V.', 2, 3, 2]])
    expect(
      await acmeRow([
        ['is', 'source', ['Google']],
        ['contains', 'page', ['/blog']],
      ]),
    ).toEqual([['Acme B.V.', 1, 2, 1]])
    expect(await acmeRow([['is', 'source', ['Bing']]])).toEqual([])
    await t.db.command("DELETE FROM enriched_sessions WHERE company_id = '0123456789abcdef'")
  })

  it('a page filter narrows the pages list to the matching pages', async () => {
    expect(names((await get('pages', q([['contains', 'page', ['blog']]]))).results)).toEqual([
      ['/blog/one', 2],
      ['/blog/two', 1],
    ])
  })

  it('answers the same once the days are rolled up into visits', async () => {
    const reports = ['summary', 'sources', 'pages', 'exit-pages', 'events', 'timeseries']
    const f = q([['contains', 'page', ['/blog']]])
    const read = () => Promise.all(reports.flatMap((r) => [get(r), get(r, f)]))
    const before = await read()
    expect(await t.count('visits')).toBe(0)
    await dayLock.run(() =>
      rollupDays(t.db, [
        { day: '2026-11-10', sites: ['example.com'] },
        { day: '2026-11-11', sites: ['example.com'] },
      ]),
    )
    expect(await t.count('visits', "site = 'example.com'")).toBe(7)
    expect(await read()).toEqual(before)
    // Rolled up again (as the job does for the last two days): not counted twice.
    await dayLock.run(() => rollupDays(t.db, [{ day: '2026-11-10', sites: ['example.com'] }]))
    expect(await t.count('visits', "site = 'example.com'")).toBe(7)
    expect(await read()).toEqual(before)
  })
})

describe('every route takes every kind of filter', () => {
  const ALL = [
    ['is', 'page', ['/']],
    ['is_not', 'entry_page', ['/x']],
    ['contains', 'exit_page', ['o']],
    ['is', 'source', ['Direct / None', 'Google']],
    ['is_not', 'referrer', ['example.net']],
    ['contains', 'utm_source', ['news']],
    ['is_not', 'utm_medium', ['cpc']],
    ['is_not', 'utm_campaign', ['x']],
    ['is_not', 'utm_content', ['x']],
    ['is_not', 'utm_term', ['x']],
  ]
  const MORE = [
    ['is', 'browser', ['Chrome']],
    ['is_not', 'os', ['iOS']],
    ['is', 'device', ['desktop']],
    ['is', 'country', ['NL']],
    ['is_not', 'event', ['x']],
  ]
  it.each([
    'summary',
    'timeseries',
    'timeseries?interval=hour&from=2026-11-10&to=2026-11-11&site=example.com',
    'pages',
    'entry-pages',
    'exit-pages',
    'sources',
    'referrers',
    'utm?by=term',
    'browsers',
    'os',
    'devices',
    'countries',
    'events',
    'goals',
    'realtime',
  ])('%s', async (report) => {
    for (const filters of [ALL, MORE]) {
      const [path, extra] = report.split('?')
      const url = extra?.includes('site=') ? `/api/stats/${path}?${extra}` : `/api/stats/${path}?${RANGE}${extra ? `&${extra}` : ''}`
      await agent.get(`${url}${q(filters)}`).expect(200)
    }
    await agent.get(`/api/companies?${RANGE}${q(ALL)}`).expect(200)
  })
})

describe('bad filters get a 400 that names the problem', () => {
  const long = 'x'.repeat(1025)
  it.each([
    ['not JSON', 'filters=[is', /filters must be JSON/],
    ['not an array', `filters=${encodeURIComponent('{"is":"x"}')}`, /JSON array/],
    ['an unknown dimension', q([['is', 'colour', ['red']]]).slice(1), /dimension must be one of page, entry_page/],
    ['an unknown operator', q([['matches', 'page', ['/']]]).slice(1), /operator must be one of is, is_not, contains/],
    ['a filter of the wrong shape', q([['is', 'page']]).slice(1), /\[operator, dimension, \[values\]\]|values/],
    ['values that are not strings', q([['is', 'page', [1]]]).slice(1), /string/],
    ['no values', q([['is', 'page', []]]).slice(1), /at least one value/],
    ['more than 10 filters', q(Array.from({ length: 11 }, () => ['is', 'page', ['/']])).slice(1), /at most 10 filters/],
    ['a value over 1 KB', q([['contains', 'page', [long]]]).slice(1), /at most 1024 bytes/],
    ['filters given twice', 'filters=[]&filters=[]', /given once/],
  ])('%s', async (_name, param, message) => {
    const res = await agent.get(`/api/stats/summary?${RANGE}&${param}`).expect(400)
    expect(res.body.error).toMatch(message)
    expect(res.body.field).toBe('filters')
  })

  it('and on /api/companies too', async () => {
    const res = await agent.get(`/api/companies?${RANGE}${q([['is', 'colour', ['red']]])}`).expect(400)
    expect(res.body.error).toMatch(/dimension/)
  })
})

describe('sources, referrers, exit pages, UTM and events', () => {
  it('ranks grouped sources by visitors, merging spellings under the most common one, with Direct / None', async () => {
    expect(names((await get('sources')).results)).toEqual([
      ['newsletter', 3],
      ['Google', 2],
      ['Direct / None', 1],
      ['DuckDuckGo', 1],
    ])
  })

  it("a source filter turns the referrers list into that source's referrer hosts", async () => {
    expect(names((await get('referrers', q([['is', 'source', ['Google']]]))).results)).toEqual([
      ['google.nl', 1],
      ['google.com', 1],
    ])
  })

  it('exit pages: where visits ended, with the exit rate against the page views of the page', async () => {
    expect((await get('exit-pages')).results).toEqual([
      { name: '/', visitors: 2, exits: 2, pageviews: 3, exit_rate: 67 },
      { name: '/pricing', visitors: 2, exits: 2, pageviews: 2, exit_rate: 100 },
      { name: '/blog/one', visitors: 1, exits: 1, pageviews: 3, exit_rate: 33 },
      { name: '/blog/two', visitors: 1, exits: 1, pageviews: 1, exit_rate: 100 },
      { name: '/docs', visitors: 1, exits: 1, pageviews: 1, exit_rate: 100 },
    ])
  })

  it('UTM content and term', async () => {
    expect(names((await get('utm', '&by=content')).results)).toEqual([['hero', 1]])
    expect(names((await get('utm', '&by=term')).results)).toEqual([['analytics', 1]])
    expect(names((await get('utm', '&by=source')).results)).toEqual([['newsletter', 3]])
  })
})

describe('goals', () => {
  let signup = ''
  let blog = ''
  beforeAll(async () => {
    signup = (await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'signup' }).expect(201)).body.id
    blog = (await agent.post('/api/sites/example.com/goals').send({ kind: 'page', match: '/blog/*' }).expect(201)).body.id
  })

  it('lists, refuses a duplicate or a bad goal with a message, and deletes', async () => {
    const list = (await agent.get('/api/sites/example.com/goals').expect(200)).body.results
    expect(list.map((g: { kind: string; match: string }) => [g.kind, g.match])).toEqual([
      ['event', 'signup'],
      ['page', '/blog/*'],
    ])
    expect((await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'signup' }).expect(409)).body.error).toMatch(/already/)
    expect((await agent.post('/api/sites/example.com/goals').send({ kind: 'click', match: 'x' }).expect(400)).body.error).toMatch(/kind must be/)
    expect((await agent.post('/api/sites/example.com/goals').send({ kind: 'page', match: 'pricing' }).expect(400)).body.error).toMatch(/starts with \//)
    const tmp = (await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'tmp' }).expect(201)).body.id
    await agent.delete(`/api/sites/example.com/goals/${tmp}`).expect(200)
    await agent.delete(`/api/sites/example.com/goals/${tmp}`).expect(404)
  })

  it('unique and total conversions and the conversion rate per goal', async () => {
    const body = await get('goals')
    expect(body.visitors).toBe(6)
    // Ties in unique conversions go by name: "signup" before "Visit /blog/*".
    expect(body.results.map((g: Record<string, unknown>) => [g.id, g.name, g.unique_conversions, g.total_conversions, g.conversion_rate])).toEqual([
      [signup, 'signup', 2, 2, 33.3],
      [blog, 'Visit /blog/*', 2, 4, 33.3],
    ])
  })

  it('conversion rates follow the filters', async () => {
    const body = await get('goals', q([['is', 'source', ['Google']]]))
    expect(body.visitors).toBe(2)
    expect(body.results.map((g: Record<string, unknown>) => [g.id, g.unique_conversions, g.conversion_rate])).toEqual([
      [signup, 1, 50],
      [blog, 1, 50],
    ])
  })

  it("breaks a custom-event goal down by one of its properties, and refuses a page goal's", async () => {
    const body = await get(`goals/${signup}/props/plan`)
    expect(body.results).toEqual([
      { name: 'free', unique_conversions: 1, total_conversions: 1, conversion_rate: 16.7 },
      { name: 'pro', unique_conversions: 1, total_conversions: 1, conversion_rate: 16.7 },
    ])
    expect((await agent.get(`/api/stats/goals/${blog}/props/plan?${RANGE}`).expect(400)).body.error).toMatch(/page goal/)
    expect((await get(`goals/signup/props/plan`, q([['is', 'source', ['Google']]]))).results.map((r: { name: string }) => r.name)).toEqual(['pro'])
  })

  it('a viewer reads goals but cannot change them', async () => {
    const viewer = { email: 'viewer@example.com', password: 'viewer password' }
    await t.db.insert('users', [{ email: viewer.email, password_hash: await hashPassword(viewer.password), role: 'viewer' }])
    const v = await t.login(undefined, viewer)
    await v.get('/api/sites/example.com/goals').expect(200)
    await v.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'x' }).expect(403)
    await v.delete(`/api/sites/example.com/goals/${signup}`).expect(403)
    await v.patch('/api/sites/example.com').send({ timezone: 'UTC' }).expect(403)
  })
})

describe('intervals', () => {
  it('hourly buckets for a day, every hour listed', async () => {
    const body = (await agent.get('/api/stats/timeseries?site=example.com&from=2026-11-10&to=2026-11-10&interval=hour').expect(200)).body
    expect(body.interval).toBe('hour')
    expect(body.results).toHaveLength(24)
    const busy = body.results.filter((p: { visits: number }) => p.visits > 0).map((p: { date: string; visits: number }) => [p.date, p.visits])
    expect(busy).toEqual([
      ['2026-11-10 10:00', 1],
      ['2026-11-10 11:00', 1],
      ['2026-11-10 12:00', 1],
    ])
  })

  it('refuses hours for more than 7 days', async () => {
    const res = await agent.get('/api/stats/timeseries?site=example.com&from=2026-11-01&to=2026-11-08&interval=hour').expect(400)
    expect(res.body.error).toMatch(/up to 7 days; this one has 8/)
  })

  it('weeks start on Monday, months on the 1st', async () => {
    const weeks = (await agent.get('/api/stats/timeseries?site=example.com&from=2026-11-01&to=2026-11-16&interval=week').expect(200)).body.results
    expect(weeks.map((p: { date: string; visits: number }) => [p.date, p.visits])).toEqual([
      ['2026-10-26', 0],
      ['2026-11-02', 0],
      ['2026-11-09', 7],
      ['2026-11-16', 0],
    ])
    const months = (await agent.get('/api/stats/timeseries?site=example.com&from=2026-10-15&to=2026-11-30&interval=month').expect(200)).body.results
    expect(months.map((p: { date: string; visits: number }) => [p.date, p.visits])).toEqual([
      ['2026-10-01', 0],
      ['2026-11-01', 7],
    ])
  })
})

describe('time zones', () => {
  const SHOP = 'site=shop.example.org'
  const visitsPerDay = async () =>
    (await agent.get(`/api/stats/timeseries?${SHOP}&from=2026-11-10&to=2026-11-11`).expect(200)).body.results.map((p: { date: string; visits: number }) => [
      p.date,
      p.visits,
    ])

  it('a site is in UTC until its zone is set; then its days are local days', async () => {
    expect(await visitsPerDay()).toEqual([
      ['2026-11-10', 1],
      ['2026-11-11', 0],
    ])
    const res = await agent.patch('/api/sites/shop.example.org').send({ timezone: 'Europe/Amsterdam' }).expect(200)
    expect(res.body).toEqual({ site: 'shop.example.org', timezone: 'Europe/Amsterdam' })
    expect((await agent.get('/api/sites').expect(200)).body.timezones['shop.example.org']).toBe('Europe/Amsterdam')
    expect(await visitsPerDay()).toEqual([
      ['2026-11-10', 0],
      ['2026-11-11', 1],
    ])
    const s = (await agent.get(`/api/stats/summary?${SHOP}&from=2026-11-11&to=2026-11-11`).expect(200)).body
    expect([s.timezone, s.visits]).toEqual(['Europe/Amsterdam', 1])
  })

  it('the day clocks go back has 25 hours, shown as 24 buckets with 02:00 counted once for both', async () => {
    const body = (await agent.get(`/api/stats/timeseries?${SHOP}&from=2026-10-25&to=2026-10-25&interval=hour`).expect(200)).body
    expect(body.results).toHaveLength(24)
    expect(body.results.find((p: { date: string }) => p.date === '2026-10-25 02:00').visits).toBe(2)
  })

  it('the day clocks go forward has no 02:00', async () => {
    const body = (await agent.get(`/api/stats/timeseries?${SHOP}&from=2026-03-29&to=2026-03-29&interval=hour`).expect(200)).body
    expect(body.results).toHaveLength(23)
    expect(body.results.map((p: { date: string }) => p.date)).not.toContain('2026-03-29 02:00')
  })

  it('refuses a zone that does not exist, with a message', async () => {
    const res = await agent.patch('/api/sites/shop.example.org').send({ timezone: 'Mars/Olympus' }).expect(400)
    expect(res.body.error).toMatch(/not an IANA time zone/)
  })

  it('SITES takes a zone after @, and refuses an unknown one', () => {
    const c = loadConfig({ DATA_DIR: '/tmp/x', SITES: 'example.com@Europe/Amsterdam,shop.example.org' })
    expect(c.sites).toEqual(['example.com', 'shop.example.org'])
    expect(c.siteTimezones).toEqual({ 'example.com': 'Europe/Amsterdam' })
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', SITES: 'example.com@Mars/Olympus' })).toThrow(/not an IANA time zone/)
  })
})

describe('realtime', () => {
  it('counts the visitors of the last 5 minutes that match the filters', async () => {
    await send(t.app, pageview({ url: 'https://example.com/live', referrer: 'https://www.bing.com/' })).expect(202)
    await t.flush()
    const now = async (extra = '') => (await agent.get(`/api/stats/realtime?site=example.com${extra}`).expect(200)).body.visitors
    expect(await now()).toBe(1)
    expect(await now(q([['is', 'source', ['Bing']]]))).toBe(1)
    expect(await now(q([['is', 'source', ['Google']]]))).toBe(0)
  })
})

describe("today's visits so far", () => {
  it('are written up to a cutoff, and a visit active since is counted once, with its newest page view', async () => {
    const day = new Date().toISOString().slice(0, 10)
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace('T', ' ').replace('Z', '')
    const shop = { site: 'shop.example.org', hostname: 'shop.example.org' }
    await t.db.insert('events', [
      eventRow({ ...shop, vid: 'today-visitor-1', sid: 'today1', ts: ago(60), path: '/a' }),
      eventRow({ ...shop, vid: 'today-visitor-1', sid: 'today1', ts: ago(50), path: '/b' }),
      eventRow({ ...shop, vid: 'today-visitor-2', sid: 'today2', ts: ago(40), path: '/a' }),
    ])
    const today = async () => {
      const s = (await agent.get(`/api/stats/summary?site=shop.example.org&from=${day}&to=${day}`).expect(200)).body
      return [s.visits, s.pageviews, s.visitors]
    }
    expect(await today()).toEqual([2, 3, 2])
    const state = await t.deps.scheduler!.runNow('visits-today')
    expect(state.last_error).toBeNull()
    expect(await t.count('visits', "site = 'shop.example.org' AND day = today()")).toBe(2)
    // The second visit goes on after the cutoff: read from the raw events, not twice.
    await t.db.insert('events', [eventRow({ ...shop, vid: 'today-visitor-2', sid: 'today2', ts: ago(0), path: '/c' })])
    expect(await today()).toEqual([2, 4, 2])
    const pages = (await agent.get(`/api/stats/exit-pages?site=shop.example.org&from=${day}&to=${day}`).expect(200)).body.results
    expect(pages.map((r: { name: string; exits: number }) => [r.name, r.exits])).toEqual([
      ['/b', 1],
      ['/c', 1],
    ])
  })

  it('counts the same when more visits are active than the query names one by one (2,000)', async () => {
    const day = new Date().toISOString().slice(0, 10)
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '')
    const many = Array.from({ length: 2001 }, (_, i) =>
      eventRow({ site: 'shop.example.org', hostname: 'shop.example.org', vid: `busy-visitor-${i}`, sid: `busy-${i}`, ts: now, path: '/busy' }),
    )
    await t.db.insert('events', many)
    const s = (await agent.get(`/api/stats/summary?site=shop.example.org&from=${day}&to=${day}`).expect(200)).body
    expect([s.visits, s.pageviews]).toEqual([2 + 2001, 4 + 2001])
    const f = (await agent.get(`/api/stats/summary?site=shop.example.org&from=${day}&to=${day}${q([['is', 'page', ['/busy']]])}`).expect(200)).body
    expect([f.visits, f.pageviews]).toEqual([2001, 2001])
  })
})

// Last: it adds a visit to the known set.
describe('late events', () => {
  it('a day rolled up before some of its events arrived is rolled up again by the job', async () => {
    const sealed = async () => (await figures()).visits
    await dayLock.run(() => rollupDays(t.db, [{ day: '2026-11-10', sites: ['example.com'] }]))
    const before = await sealed()
    // Written days later (after an outage), for a day already in `visits`.
    await t.db.insert('events', [eventRow({ vid: 'visitor-late-01', sid: 'late1', ts: at('10', '18:00:00'), path: '/late' })])
    expect(await sealed()).toBe(before)
    const state = await t.deps.scheduler!.runNow('rollup-visits')
    expect(state.last_error).toBeNull()
    expect(await sealed()).toBe(before + 1)
  })
})
