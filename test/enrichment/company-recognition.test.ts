// End to end: consented page views from different networks, through the collector
// and the enrichment job, to company visits in the API. Fixture IP data; clients are
// given their address through X-Forwarded-For from a trusted (loopback) proxy.
import { ingestStats } from '../../collector/counters.ts'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../auth/users.ts'
import { leadScore } from '../../dashboard/companies.ts'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['login']>>

beforeAll(async () => {
  t = await makeApp({ TRUST_PROXY: 'loopback' })
  admin = await t.login()
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.reset()
  for (const table of [
    'enriched_sessions',
    'companies',
    'company_visits',
    'company_directory',
    'form_domains',
    'network_domains',
    'suppressions',
    'site_settings',
  ]) {
    await t.db.command('TRUNCATE TABLE {t:Identifier}', { t: table })
  }
  // The suppressions and learned domains held in memory follow the tables.
  await t.deps.intel.parts.knowledge.refresh(t.db, 0.5)
})

/** One visit: the given pages in order, from `ip`. */
async function visit(ip: string, paths: string[], site = 'example.com') {
  const vid = rid()
  const sid = rid()
  for (const path of paths) {
    await send(t.app, pageview({ site, vid, sid, url: `https://${site}${path}`, title: `Title of ${path}` }), { 'X-Forwarded-For': ip }).expect(202)
  }
  return { vid, sid }
}

const enrich = async () => {
  await t.flush()
  const s = await t.deps.scheduler!.runNow('enrich-visits')
  expect(s.last_error).toBeNull()
  return s.last_rows
}

const companies = async (query = '') => (await admin.get(`/api/companies?site=example.com${query}`).expect(200)).body.results as Array<Record<string, unknown>>

describe('geolocation at collection', () => {
  it('stores the country and city of the address with the event (never the address itself)', async () => {
    const ev = pageview()
    await send(t.app, ev, { 'X-Forwarded-For': ipIn(NETS.university) }).expect(202)
    await t.flush()
    const [row] = await t.db.query<Record<string, unknown>>('SELECT * FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(row).toMatchObject({ country: 'NL', city: 'Amsterdam' })
    expect(JSON.stringify(row)).not.toContain('2001:db8')
    expect((await admin.get('/api/stats/countries?site=example.com').expect(200)).body.results).toEqual([expect.objectContaining({ name: 'NL', visitors: 1 })])
  })
})

describe('company visits', () => {
  it('a visit from a company network becomes a company visit with its pages, and its IP rows are deleted', async () => {
    await visit(ipIn(NETS.acme), ['/', '/pricing', '/about'])
    expect(await t.count('visit_ips')).toBeGreaterThan(0)
    expect(await enrich()).toBe(1)
    const list = await companies()
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({
      name: 'Acme Manufacturing B.V.',
      country: 'NL',
      city: 'Utrecht',
      network_type: 'business',
      visits: 1,
      pageviews: 3,
      visitors: 1,
    })
    expect([...(list[0]!.pages as string[])].sort()).toEqual(['/', '/about', '/pricing'])
    expect(await t.count('visit_ips')).toBe(0)
  })

  it.each([
    ['a consumer ISP', NETS.comcast],
    ['a mobile carrier', NETS.mobile],
    ['a hosting provider', NETS.cloud],
    ['a network held by a private person', NETS.person],
  ])('a visit from %s never becomes a company', async (_name, net) => {
    await visit(ipIn(net), ['/', '/pricing'])
    expect(await enrich()).toBe(1)
    expect(await companies()).toEqual([])
    expect(await t.count('companies')).toBe(0)
    const [d] = await t.db.query<{ network_type: string; company_id: string; network: string }>(
      'SELECT network_type, company_id, network FROM enriched_sessions FINAL',
    )
    expect(d?.company_id).toBe('')
    expect(d?.network).toBe('') // no network kept for visits that are not company visits
  })

  it('recognises universities and ministries on IPv6', async () => {
    await visit(ipIn(NETS.university), ['/'])
    await visit(ipIn(NETS.ministry), ['/docs'])
    await enrich()
    const list = await companies('&sort=name&order=asc')
    expect(list.map((c) => [c.name, c.network_type])).toEqual([
      ['Ministerie van Voorbeeldzaken', 'government'],
      ['University of Example', 'education'],
    ])
  })

  it('never counts a visit twice when the job runs again, while a later page of the visit is added', async () => {
    const v = await visit(ipIn(NETS.acme), ['/', '/pricing'])
    await enrich()
    await enrich()
    expect((await companies())[0]).toMatchObject({ visits: 1, pageviews: 2 })
    // The visit goes on after its decision: the new page counts, the visit does not double.
    await send(t.app, pageview({ vid: v.vid, sid: v.sid, url: 'https://example.com/contact' }), { 'X-Forwarded-For': ipIn(NETS.acme) }).expect(202)
    await enrich()
    expect((await companies())[0]).toMatchObject({ visits: 1, pageviews: 3 })
    expect(await t.count('visit_ips')).toBe(0)
  })

  it('filters, searches and sorts the companies list', async () => {
    await visit(ipIn(NETS.acme, 11), ['/', '/pricing'])
    await visit(ipIn(NETS.acme, 12), ['/pricing'])
    await visit(ipIn(NETS.university), ['/'])
    await enrich()
    const names = async (q: string) => (await companies(q)).map((c) => c.name)
    expect(await names('&sort=visits')).toEqual(['Acme Manufacturing B.V.', 'University of Example'])
    expect(await names('&network_type=education')).toEqual(['University of Example'])
    expect(await names('&page=/pricing')).toEqual(['Acme Manufacturing B.V.'])
    expect(await names('&min_visits=2')).toEqual(['Acme Manufacturing B.V.'])
    expect(await names('&q=univ')).toEqual(['University of Example'])
    expect(await names('&country=DE')).toEqual([])
    // Sorting by lead score in SQL gives the order of leadScore() in code.
    const byScore = await companies('&sort=lead_score')
    const scores = byScore.map((c) => c.lead_score as number)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(scores[0]).toBe(leadScore({ pages: 2, visits: 2, duration: 0 }))
    await admin.get('/api/companies?site=example.com&sort=size').expect(400)
    await admin.get('/api/companies?site=example.com&network_type=isp%27--').expect(400)
  })

  it('shows a company page: profile, evidence and the visit timeline with the pages in order', async () => {
    await visit(ipIn(NETS.acme), ['/', '/pricing', '/about'])
    await enrich()
    const [c] = await companies()
    const body = (await admin.get(`/api/companies/${String(c!.id)}?site=example.com`).expect(200)).body
    expect(body.company).toMatchObject({ name: 'Acme Manufacturing B.V.', network_type: 'business', asn: 64500 })
    expect(body.company.evidence).toContainEqual({ source: 'ip-location-db/asn', says: 'AS64500 Acme Manufacturing B.V.' })
    expect(body.timeline).toHaveLength(1)
    expect(body.timeline[0].pages.map((p: { path: string }) => p.path)).toEqual(['/', '/pricing', '/about'])
    expect(body.attribution.url).toBe('https://db-ip.com')
    expect(JSON.stringify(body)).not.toContain(ipIn(NETS.acme))
    await admin.get('/api/companies/0000000000000000?site=example.com').expect(404)
    await admin.get('/api/companies/not-an-id?site=example.com').expect(400)
  })
})

describe('pages that count for company recognition', () => {
  it('with /pricing* set, only visits that saw a pricing page become company visits', async () => {
    await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: ['/pricing*'] })
      .expect(200)
    await visit(ipIn(NETS.acme, 21), ['/', '/pricing/enterprise'])
    await visit(ipIn(NETS.university), ['/', '/about'])
    await enrich()
    expect((await companies()).map((c) => c.name)).toEqual(['Acme Manufacturing B.V.'])
    // The other visit may still reach a pricing page: it waits, its IP row with it.
    expect(await t.count('visit_ips', "site = 'example.com'")).toBe(1)
  })

  it('a visit that ended without a counted page is decided without a company', async () => {
    await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: ['/pricing'] })
      .expect(200)
    const old = new Date(Date.now() - 40 * 60_000).toISOString().slice(0, 19).replace('T', ' ')
    await t.db.insert('visit_ips', [{ site: 'example.com', sid: 'ended-visit-1', vid: 'v-ended-1', ip: ipIn(NETS.acme), ts: old }])
    await enrich()
    const [d] = await t.db.query<{ company_id: string }>("SELECT company_id FROM enriched_sessions FINAL WHERE sid = 'ended-visit-1'")
    expect(d?.company_id).toBe('')
    expect(await t.count('visit_ips')).toBe(0)
  })

  it('refuses patterns that are not paths', async () => {
    const res = await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: ['pricing'] })
      .expect(400)
    expect(res.body.error).toMatch(/starting with \//)
  })

  it("refuses patterns that would not fit in a ClickHouse server's URL field once escaped", async () => {
    // Naming a candidate binds them as one parameter; % and _ are escaped for LIKE, and the
    // client doubles that backslash: 9 bytes for each % in the URL, about 100,200 here. A
    // count that left out either escape (6 or 3 bytes each) would let these through.
    const patterns = Array.from({ length: 100 }, (_, i) => `/${i}${'%'.repeat(110)}`)
    const res = await admin.put('/api/sites/example.com/company-pages').send({ patterns }).expect(400)
    expect(res.body.error).toMatch(/at most 96 KiB together once escaped/)
    // As many plain paths are fine.
    await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: Array.from({ length: 100 }, (_, i) => `/pricing/${i}/${'a'.repeat(280)}`) })
      .expect(200)
  })
})

describe('suppression', () => {
  it('removes a suppressed company and never recognises it again', async () => {
    await visit(ipIn(NETS.acme), ['/'])
    await enrich()
    const [c] = await companies()
    const res = await admin.post('/api/suppressions').send({ kind: 'company', value: c!.id, reason: 'asked by e-mail' }).expect(201)
    expect(res.body.companies_removed).toBe(1)
    expect(await companies()).toEqual([])
    expect(await t.count('company_visits', 'company_id = {id:String}', { id: c!.id })).toBe(0)
    await visit(ipIn(NETS.acme, 99), ['/pricing'])
    await enrich()
    expect(await companies()).toEqual([])
    expect(await t.count('companies')).toBe(0)
  })

  it('suppresses by address range, and by name', async () => {
    await visit(ipIn(NETS.acme), ['/'])
    await visit(ipIn(NETS.university), ['/'])
    await enrich()
    await admin.post('/api/suppressions').send({ kind: 'range', value: '198.51.100.0/25' }).expect(201)
    await admin.post('/api/suppressions').send({ kind: 'name', value: 'university of example' }).expect(201)
    expect(await companies()).toEqual([])
    // Later visits from the range, or of the named company, are never recognised either.
    await visit(ipIn(NETS.acme, 77), ['/pricing'])
    await visit(ipIn(NETS.university, 9), ['/pricing'])
    await enrich()
    expect(await companies()).toEqual([])
    expect(await t.count('companies')).toBe(0)
  })

  it('lets a visitor stop the recognition of their organisation from the opt-out page', async () => {
    const ip = ipIn(NETS.acme)
    const page = await request(t.app).get('/optout?lang=en').set('X-Forwarded-For', ip).expect(200)
    expect(page.text).toContain('Your network belongs to Acme Manufacturing B.V.')
    const other = await request(t.app).get('/optout?lang=en').set('X-Forwarded-For', ipIn(NETS.comcast)).expect(200)
    expect(other.text).not.toContain('Your organisation')
    await request(t.app).post('/optout').set('X-Forwarded-For', ip).type('form').send({ action: 'organisation', lang: 'en' }).expect(303)
    const rows = await t.db.query<{ kind: string; value: string }>('SELECT kind, value FROM suppressions FINAL ORDER BY kind')
    expect(rows).toEqual([
      { kind: 'company', value: expect.stringMatching(/^[0-9a-f]{16}$/) },
      { kind: 'range', value: '198.51.100.0/24' },
    ])
    await visit(ip, ['/pricing'])
    await enrich()
    expect(await companies()).toEqual([])
  })

  it.each([
    [{ kind: 'domain', value: 'not a domain' }, /not a domain name/],
    [{ kind: 'range', value: '300.1.1.0/24' }, /not an address or CIDR/],
    [{ kind: 'company', value: "x' OR 1=1" }, /16 hexadecimal/],
    [{ kind: 'person', value: 'x' }, /kind must be one of/],
  ])('refuses a malformed suppression %j', async (body, message) => {
    const res = await admin.post('/api/suppressions').send(body).expect(400)
    expect(res.body.error).toMatch(message)
  })

  it('is for admins only', async () => {
    await t.db.insert('users', [{ email: 'viewer@example.com', password_hash: await hashPassword('viewer password'), role: 'viewer' }])
    const viewer = await t.login(t.app, { email: 'viewer@example.com', password: 'viewer password' })
    await viewer.get('/api/companies?site=example.com').expect(200)
    const res = await viewer.post('/api/suppressions').send({ kind: 'name', value: 'Acme' }).expect(403)
    expect(res.body.error).toBe('only an admin may do this')
    await viewer.post('/api/companies/directory').set('Content-Type', 'text/csv').send('name\nAcme').expect(403)
  })
})

describe('company directory', () => {
  it('imports CSV, reports rejected rows with line and reason, and enriches recognised companies', async () => {
    const csv = [
      'name,domain,address,postcode,city,country,industry,employees,phone,website,kvk',
      'Acme Manufacturing B.V.,acme-widgets.example,Stationsplein 1,3511 AB,Utrecht,NL,Manufacturing,50-199,+31 30 123 4567,https://acme-widgets.example,12345678',
      ',,,,,,,,,,',
      'Bad Country Ltd,bad.example,,,,Netherlands,,,,,',
      'Broken Domain,not a domain,,,,,,,,,',
    ].join('\n')
    const res = await admin.post('/api/companies/directory').set('Content-Type', 'text/csv').send(csv).expect(200)
    expect(res.body).toMatchObject({ rows: 4, imported: 1 })
    expect(res.body.rejected).toEqual([
      { line: 3, reason: 'row needs a name or a domain' },
      { line: 4, reason: 'country must be a two-letter country code' },
      { line: 5, reason: 'domain "not a domain" is not a domain name' },
    ])
    await visit(ipIn(NETS.acme), ['/pricing'])
    await enrich()
    const [c] = await companies()
    expect(c).toMatchObject({ name: 'Acme Manufacturing B.V.', domain: 'acme-widgets.example', industry: 'Manufacturing', employee_range: '50-199' })
    expect((await companies('&size=50-199')).map((x) => x.name)).toEqual(['Acme Manufacturing B.V.'])
    expect(await companies('&size=1-9')).toEqual([])
    expect(c!.lead_score).toBe(leadScore({ pages: 1, visits: 1, duration: 0 }))
    const page = (await admin.get(`/api/companies/${String(c!.id)}?site=example.com`).expect(200)).body
    expect(page.company).toMatchObject({ registration_number: '12345678', address: 'Stationsplein 1', phone: '+31 30 123 4567' })
  })

  it('imports what Excel with Dutch settings saves: semicolons, Windows-1252, CRLF', async () => {
    const csv = Buffer.from('naam;domain;city\r\nCaf\xe9 Zo\xeb B.V.;cafe-zoe.example;Utrecht\r\n', 'latin1')
    const res = await admin.post('/api/companies/directory').set('Content-Type', 'text/csv').send(csv).expect(200)
    expect(res.body).toMatchObject({ rows: 1, imported: 1, rejected: [], delimiter: ';' })
    expect(await t.db.query('SELECT name, city FROM company_directory FINAL')).toEqual([{ name: 'Café Zoë B.V.', city: 'Utrecht' }])
  })

  it('imports JSON lines and refuses what is not JSON', async () => {
    const body = '{"name":"Example University","domain":"uni.example","industry":"Education"}\nnot json\n[1]'
    const res = await admin.post('/api/companies/directory').set('Content-Type', 'application/x-ndjson').send(body).expect(200)
    expect(res.body).toMatchObject({
      rows: 3,
      imported: 1,
      rejected: [
        { line: 2, reason: 'not valid JSON' },
        { line: 3, reason: 'not an object' },
      ],
    })
  })
})

describe('form-domain learning', () => {
  const form = (ip: string, domain: string, vid = rid()) => send(t.app, pageview({ type: 'form', domain, vid }), { 'X-Forwarded-For': ip }).expect(202)

  it('links a company network to a business domain once two visitors submitted it', async () => {
    await form(ipIn(NETS.acme, 31), 'acme-widgets.example')
    await t.flush()
    expect(await t.deps.scheduler!.runNow('learn-domains')).toMatchObject({ last_rows: 0 })
    await form(ipIn(NETS.acme, 32), 'sales.acme-widgets.example')
    await t.flush()
    expect(await t.deps.scheduler!.runNow('learn-domains')).toMatchObject({ last_rows: 1 })
    const [m] = await t.db.query<{ network: string; domain: string; visitors: number; confidence: number }>(
      'SELECT network, domain, visitors, confidence FROM network_domains FINAL',
    )
    expect(m).toMatchObject({ network: '198.51.100.0/24', domain: 'acme-widgets.example', visitors: 2 })
    expect(Number(m!.confidence)).toBeCloseTo(0.75, 2)
    await visit(ipIn(NETS.acme), ['/'])
    await enrich()
    expect((await companies())[0]).toMatchObject({ name: 'Acme Manufacturing B.V.', domain: 'acme-widgets.example' })
  })

  it('never stores the address or free-mail domains, and never learns a consumer network', async () => {
    const freeMail = async () => (await t.deps.counters.flush(), (await ingestStats(t.db)).dropped.free_mail!)
    const before = await freeMail()
    await form(ipIn(NETS.acme), 'gmail.com')
    expect(await freeMail()).toBe(before + 1)
    await form(ipIn(NETS.comcast, 1), 'acme-widgets.example')
    await form(ipIn(NETS.comcast, 2), 'acme-widgets.example')
    await t.flush()
    const rows = await t.db.query<Record<string, string>>('SELECT * FROM form_domains')
    expect(rows.map((r) => [r.network, r.domain])).toEqual([
      ['203.0.113.0/24', 'acme-widgets.example'],
      ['203.0.113.0/24', 'acme-widgets.example'],
    ])
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113\.[12]\b|@/)
    await t.deps.scheduler!.runNow('learn-domains')
    expect(await t.count('network_domains')).toBe(0)
  })

  it('lets an admin remove a learned mapping, which is not learned again', async () => {
    await form(ipIn(NETS.acme, 41), 'acme-widgets.example')
    await form(ipIn(NETS.acme, 42), 'acme-widgets.example')
    await t.flush()
    await t.deps.scheduler!.runNow('learn-domains')
    expect((await admin.get('/api/network-domains').expect(200)).body.results).toHaveLength(1)
    await admin.post('/api/network-domains/remove').send({ network: '198.51.100.0/24' }).expect(200)
    await t.deps.scheduler!.runNow('learn-domains')
    expect((await admin.get('/api/network-domains').expect(200)).body.results).toEqual([])
  })

  it('refuses a form event whose domain is not a domain name', async () => {
    const res = await send(t.app, pageview({ type: 'form', domain: 'jan@example.com' })).expect(400)
    expect(res.body.field).toBe('domain')
  })
})
