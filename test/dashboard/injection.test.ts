// SQL injection strings in every parameter of every dashboard API route: nothing
// changes, nothing leaks (no password hash, no other site's data), and every answer
// is a 2xx or a 4xx. Every value reaches ClickHouse as a bound parameter; this proves it
// from outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, pageview, send, type TestApp } from '../helpers/app.ts'

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>

const SECRET_PAGE = '/shop-secret-page'
const PAYLOADS = [
  "' OR '1'='1",
  "example.com' OR site != '",
  "x' UNION ALL SELECT email, password_hash FROM users --",
  '1; DROP TABLE events',
  "'); TRUNCATE TABLE users; --",
  '{site:String}',
  "\\' OR 1=1 #",
  "2026-11-01' OR 1=1 FORMAT JSONEachRow --",
  '%27%20OR%201%3D1',
  'example.com\u0000',
]

const today = new Date().toISOString().slice(0, 10)
const BASE = { site: 'example.com', from: '2026-10-01', to: today }
const STATS = ['summary', 'timeseries', 'entry-pages', 'realtime', 'utm', 'pages', 'referrers', 'browsers', 'os', 'devices', 'countries', 'events']
const COMPANY_FILTERS = ['q', 'country', 'industry', 'size', 'network_type', 'page', 'min_visits', 'sort', 'order', 'limit']

beforeAll(async () => {
  t = await makeApp()
  agent = await t.login()
  await send(t.app, pageview({ url: 'https://example.com/pricing' })).expect(202)
  await send(t.app, pageview({ site: 'shop.example.org', url: `https://shop.example.org${SECRET_PAGE}` })).expect(202)
  await t.flush()
})
afterAll(async () => {
  await t.close()
})

const counts = async () => {
  const [r] = await t.db.query<Record<string, string>>(
    'SELECT (SELECT count() FROM events) AS events, (SELECT count() FROM users FINAL WHERE deleted = 0) AS users, (SELECT count() FROM sites FINAL WHERE deleted = 0) AS sites, (SELECT count() FROM daily_stats) AS daily',
  )
  return r
}

describe('SQL injection', () => {
  it('changes nothing and leaks nothing through any parameter of any read route', async () => {
    const before = await counts()
    const calls: Array<[string, Record<string, string>]> = []
    for (const report of STATS) {
      for (const key of ['site', 'from', 'to', 'limit', 'by']) for (const p of PAYLOADS) calls.push([`/api/stats/${report}`, { ...BASE, [key]: p }])
    }
    for (const key of ['site', 'from', 'to', ...COMPANY_FILTERS]) for (const p of PAYLOADS) calls.push(['/api/companies', { ...BASE, [key]: p }])
    for (const p of PAYLOADS) {
      calls.push([`/api/companies/${encodeURIComponent(p)}`, BASE])
      calls.push([`/api/stats/${encodeURIComponent(p)}`, BASE])
      calls.push([`/api/sites/${encodeURIComponent(p)}/company-pages`, {}])
    }
    const bad: string[] = []
    for (const [path, query] of calls) {
      const res = await agent.get(path).query(query)
      const text = res.text
      if (res.status >= 500) bad.push(`${path} ${JSON.stringify(query)} → ${res.status}`)
      // The payload itself may be echoed in an error message; a hash or the other site's page may not appear.
      if (text.includes('scrypt$') || text.includes(SECRET_PAGE)) bad.push(`${path} ${JSON.stringify(query)} leaked: ${text.slice(0, 200)}`)
    }
    // The visitor's and the admin's downloads take the id in a POST body.
    for (const p of PAYLOADS) {
      for (const [path, res] of [
        ['/api/privacy/export', await agent.post('/api/privacy/export').type('form').send({ vid: p })],
        ['/api/admin/export', await agent.post('/api/admin/export').set('X-Spoor-Request', '1').send({ vid: p })],
      ] as const) {
        if (res.status >= 500) bad.push(`${path} ${JSON.stringify(p)} → ${res.status}`)
        if (res.text.includes('scrypt$') || res.text.includes(SECRET_PAGE)) bad.push(`${path} leaked: ${res.text.slice(0, 200)}`)
      }
    }
    expect(calls.length).toBeGreaterThan(700)
    expect(bad).toEqual([])
    expect(await counts()).toEqual(before)
  }, 120_000)

  it('stores injection strings sent to write routes as plain text, or refuses them with 400', async () => {
    const before = await counts()
    for (const p of PAYLOADS) {
      const site = await agent.post('/api/sites').send({ domain: p })
      expect(site.status, `POST /api/sites ${p}`).toBe(400)
      const user = await agent.post('/api/users').send({ email: p, password: p.padEnd(12, 'x'), role: 'viewer' })
      expect(user.status, `POST /api/users ${p}`).toBe(400)
      const erase = await agent.post('/api/admin/erase').send({ vid: p })
      expect(erase.status, `POST /api/admin/erase ${p}`).toBe(400)
    }
    // A suppression's name and reason are free text: kept exactly as sent.
    const odd = PAYLOADS[2]!
    const created = await agent.post('/api/suppressions').send({ kind: 'name', value: odd, reason: PAYLOADS[4] })
    expect(created.status).toBeLessThan(300)
    const list = (await agent.get('/api/suppressions').expect(200)).body.results as Array<{ value: string; reason: string }>
    expect(list.find((s) => s.value === odd)?.reason).toBe(PAYLOADS[4])
    expect(await counts()).toEqual(before)
  })
})
