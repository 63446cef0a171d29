// The review queue (issue 17), end to end: page views through X-Forwarded-For from a
// trusted (loopback) proxy, the enrich-visits job, then the API. Fixture IP data: the
// shared networks plus organisations that no list or word rule names.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { type FixtureNet, fixtureIntel, ipIn, NETS } from '../helpers/intel.ts'

const MORE = {
  // Organisations: no provider, no person, no trade word: 'unknown', offered for naming.
  zwaluw: { cidr: '198.18.2.0/24', asn: 64510, org: 'Zwaluw Studio B.V.', country: 'NL', city: 'Rotterdam' },
  zwaluw2: { cidr: '198.18.3.0/24', asn: 64510, org: 'Zwaluw Studio B.V.', country: 'NL', city: 'Rotterdam' },
  kestrel: { cidr: '2001:db8:3::/48', asn: 64511, org: 'Kestrel Analytics GmbH', country: 'DE', city: 'Berlin' },
  // A provider no curated list holds, known by its words only.
  broadband: { cidr: '198.18.4.0/24', asn: 64512, org: 'Example Broadband Internet', country: 'NL', city: 'Utrecht' },
  // A person's network that the word rules alone know as one.
  pieter: { cidr: '198.18.5.0/24', asn: 64513, org: 'Pieter Bakker', country: 'NL', city: 'Zwolle' },
} satisfies Record<string, FixtureNet>

let t: TestApp
let admin: Awaited<ReturnType<TestApp['login']>>

beforeAll(async () => {
  const intel = fixtureIntel({ nets: [...Object.values(NETS), ...Object.values(MORE)] })
  t = await makeApp({ TRUST_PROXY: 'loopback' }, { intel })
  admin = await t.login()
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.reset()
  for (const table of ['enriched_sessions', 'companies', 'company_visits', 'company_directory', 'candidate_dismissals', 'suppressions', 'site_settings']) {
    await t.db.command('TRUNCATE TABLE {t:Identifier}', { t: table })
  }
  await t.deps.intel.parts.knowledge.refresh(t.db, 0.5)
})

/** One visit: the given pages in order, from `ip`. */
async function visit(ip: string, paths: string[], site = 'example.com') {
  const vid = rid()
  const sid = rid()
  for (const path of paths) {
    await send(t.app, pageview({ site, vid, sid, url: `https://${site}${path}`, title: path }), { 'X-Forwarded-For': ip }).expect(202)
  }
  return { vid, sid }
}

const enrich = async () => {
  await t.flush()
  const s = await t.deps.scheduler!.runNow('enrich-visits')
  expect(s.last_error).toBeNull()
  return s.last_rows
}

type Row = { owner: string; asn: number; country: string; network: string; networks: string[]; visits: number; pages: string[]; last_visit: string }
const queue = async (query = '') => (await admin.get(`/api/companies/candidates?site=example.com${query}`).expect(200)).body.results as Row[]
const companies = async () => (await admin.get('/api/companies?site=example.com').expect(200)).body.results as Array<Record<string, unknown>>

describe('the review queue', () => {
  it('lists an organisation no list names with its owner, AS, country, network, visits and pages, most visits first', async () => {
    await visit(ipIn(MORE.zwaluw, 11), ['/', '/pricing'])
    await visit(ipIn(MORE.zwaluw, 12), ['/about'])
    await visit(ipIn(MORE.zwaluw2, 5), ['/'])
    await visit(ipIn(MORE.kestrel), ['/docs'])
    expect(await enrich()).toBe(4)
    const res = await admin.get('/api/companies/candidates?site=example.com').expect(200)
    const rows = res.body.results as Row[]
    expect(rows.map((r) => r.owner)).toEqual(['Zwaluw Studio B.V.', 'Kestrel Analytics GmbH'])
    expect(rows[0]).toMatchObject({ asn: 64510, country: 'NL', network: '198.18.2.0/24', visits: 3 })
    expect(rows[0]!.networks).toEqual(['198.18.2.0/24', '198.18.3.0/24'])
    expect([...rows[0]!.pages].sort()).toEqual(['/', '/about', '/pricing'])
    expect(rows[0]!.last_visit).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
    expect(rows[1]).toMatchObject({ asn: 64511, country: 'DE', network: '2001:db8:3::/48', visits: 1, pages: ['/docs'] })
    // Networks, never an address.
    expect(JSON.stringify(res.body)).not.toContain(ipIn(MORE.zwaluw, 11))
    expect(JSON.stringify(res.body)).not.toContain(ipIn(MORE.kestrel))
    expect(await queue('&limit=1')).toHaveLength(1)
  })

  it.each([
    ['a consumer ISP on the curated list', NETS.comcast],
    ['a mobile carrier', NETS.mobile],
    ['a hosting provider', NETS.cloud],
    ['an access provider known by its words', MORE.broadband],
    ['an owner that reads like a private person', NETS.person],
    ['another owner that reads like a private person', MORE.pieter],
  ])('never lists %s, and keeps nothing of its network', async (_name, net) => {
    await visit(ipIn(net), ['/', '/pricing'])
    await visit(ipIn(MORE.kestrel), ['/'])
    expect(await enrich()).toBe(2)
    expect((await queue()).map((r) => r.owner)).toEqual(['Kestrel Analytics GmbH'])
    const rows = await t.db.query<{ network: string; asn: number; owner: string; country: string }>(
      "SELECT network, asn, owner, country FROM enriched_sessions FINAL WHERE owner != 'Kestrel Analytics GmbH'",
    )
    expect(rows).toEqual([{ network: '', asn: 0, owner: '', country: '' }])
  })

  it('never lists a recognised company', async () => {
    await visit(ipIn(NETS.acme), ['/'])
    await enrich()
    expect(await companies()).toHaveLength(1)
    expect(await queue()).toEqual([])
  })

  it('leaves out an organisation that asked not to be recognised', async () => {
    await visit(ipIn(MORE.zwaluw), ['/'])
    await visit(ipIn(MORE.kestrel), ['/'])
    await enrich()
    await admin.post('/api/suppressions').send({ kind: 'name', value: 'Zwaluw Studio B.V.' }).expect(201)
    await admin.post('/api/suppressions').send({ kind: 'range', value: '2001:db8:3::/48' }).expect(201)
    expect(await queue()).toEqual([])
    await admin.post('/api/companies/candidates/name').send({ network: MORE.zwaluw.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }).expect(400)
  })

  it('is for admins only: viewers get 403 on every route', async () => {
    await t.deps.users.upsert('sales@example.com', 'viewer password', 'viewer')
    const viewer = await t.login(t.app, { email: 'sales@example.com', password: 'viewer password' })
    await viewer.get('/api/companies/candidates?site=example.com').expect(403)
    await viewer.post('/api/companies/candidates/name').send({ network: MORE.zwaluw.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }).expect(403)
    await viewer.post('/api/companies/candidates/dismiss').send({ network: MORE.zwaluw.cidr }).expect(403)
  })
})

describe('naming a candidate', () => {
  it("turns the owner's past visits into company visits on their own days, and it leaves the queue", async () => {
    await visit(ipIn(MORE.zwaluw, 11), ['/', '/pricing'])
    await visit(ipIn(MORE.zwaluw2, 12), ['/about'])
    await visit(ipIn(MORE.kestrel), ['/'])
    await enrich()
    const before = await t.db.query<{ sid: string; day: string }>(
      "SELECT sid, toString(day) AS day FROM enriched_sessions FINAL WHERE owner = 'Zwaluw Studio B.V.' ORDER BY sid",
    )
    const res = await admin
      .post('/api/companies/candidates/name')
      .send({ network: '198.18.2.0/24', name: 'Zwaluw Ontwerp', domain: 'https://www.Zwaluw.nl/', industry: 'Design' })
      .expect(201)
    expect(res.body).toMatchObject({
      company: { name: 'Zwaluw Ontwerp', domain: 'zwaluw.nl' },
      owner: 'Zwaluw Studio B.V.',
      network: '198.18.2.0/24',
      visits: 2,
    })
    const list = await companies()
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ id: res.body.company.id, name: 'Zwaluw Ontwerp', domain: 'zwaluw.nl', network_type: 'business', visits: 2, pageviews: 3 })
    expect([...(list[0]!.pages as string[])].sort()).toEqual(['/', '/about', '/pricing'])
    expect((await queue()).map((r) => r.owner)).toEqual(['Kestrel Analytics GmbH'])
    // Each visit keeps its day: the rows of one visit share it (FINAL per partition).
    const after = await t.db.query<{ sid: string; day: string }>(
      'SELECT sid, toString(day) AS day FROM enriched_sessions FINAL WHERE company_id = {id:String} ORDER BY sid',
      { id: res.body.company.id },
    )
    expect(after).toEqual(before)
    const profile = (await admin.get(`/api/companies/${res.body.company.id}?site=example.com`).expect(200)).body
    expect(profile.company).toMatchObject({ name: 'Zwaluw Ontwerp', industry: 'Design', asn: 64510 })
    expect(profile.timeline).toHaveLength(2)
  })

  it('makes the next visits company visits through the normal enrichment', async () => {
    await visit(ipIn(MORE.zwaluw), ['/'])
    await enrich()
    const named = await admin
      .post('/api/companies/candidates/name')
      .send({ network: MORE.zwaluw.cidr, name: 'Zwaluw Ontwerp', domain: 'zwaluw.nl' })
      .expect(201)
    await visit(ipIn(MORE.zwaluw2, 99), ['/contact'])
    await enrich()
    expect((await companies())[0]).toMatchObject({ id: named.body.company.id, name: 'Zwaluw Ontwerp', visits: 2 })
    expect(await queue()).toEqual([])
  })

  it('on a site that counts only some pages, attributes only the past visits that saw one', async () => {
    await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: ['/pricing*'] })
      .expect(200)
    await visit(ipIn(MORE.zwaluw, 11), ['/', '/pricing/team'])
    await visit(ipIn(MORE.zwaluw, 12), ['/about'])
    await enrich()
    const res = await admin.post('/api/companies/candidates/name').send({ network: MORE.zwaluw.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }).expect(201)
    expect(res.body.visits).toBe(1)
    expect((await companies())[0]).toMatchObject({ visits: 1, pageviews: 2 })
  })

  it('adopts a visit decided after the naming with an older directory (a run that looked up before it)', async () => {
    await visit(ipIn(MORE.zwaluw), ['/'])
    await enrich()
    await admin.post('/api/companies/candidates/name').send({ network: MORE.zwaluw.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }).expect(201)
    // What that run would have written: an 'unknown' decision of the named owner.
    const late = await visit(ipIn(MORE.zwaluw, 50), ['/late'])
    await t.flush()
    await t.db.insert('enriched_sessions', [
      {
        site: 'example.com',
        sid: late.sid,
        day: new Date().toISOString().slice(0, 10),
        network_type: 'unknown',
        company_id: '',
        network: MORE.zwaluw.cidr,
        asn: 64510,
        owner: 'Zwaluw Studio B.V.',
        country: 'NL',
      },
    ])
    await enrich()
    expect((await companies())[0]).toMatchObject({ visits: 2 })
  })

  it.each([
    ['a consumer ISP', NETS.comcast, 'isp'],
    ['a mobile carrier', NETS.mobile, 'mobile'],
    ['a hosting provider', NETS.cloud, 'hosting'],
    ['an access provider known by its words', MORE.broadband, 'isp'],
  ])('refuses to name %s, whatever the client says', async (_name, net, type) => {
    await visit(ipIn(net), ['/'])
    await enrich()
    const res = await admin.post('/api/companies/candidates/name').send({ network: net.cidr, name: 'Some Company', domain: 'company.example' }).expect(400)
    expect(res.body).toMatchObject({ field: 'network', error: expect.stringContaining(`a ${type} network`) })
    expect(await t.count('company_directory')).toBe(0)
    expect(await companies()).toEqual([])
  })

  it('refuses to name a network whose owner reads like a private person', async () => {
    await visit(ipIn(NETS.person), ['/'])
    await enrich()
    const res = await admin.post('/api/companies/candidates/name').send({ network: NETS.person.cidr, name: 'De Vries', domain: 'devries.example' }).expect(400)
    expect(res.body.field).toBe('network')
    expect(await t.count('company_directory')).toBe(0)
  })

  it('answers 404 for an organisation that never visited, and 409 for a company already recognised', async () => {
    await admin.post('/api/companies/candidates/name').send({ network: MORE.kestrel.cidr, name: 'Kestrel', domain: 'kestrel.example' }).expect(404)
    await admin.post('/api/companies/candidates/name').send({ network: NETS.acme.cidr, name: 'Acme', domain: 'acme.example' }).expect(409)
  })
})

describe('dismissing a candidate', () => {
  it('takes the organisation out of the queue for good: stored, not held in one process', async () => {
    await visit(ipIn(MORE.zwaluw), ['/'])
    await visit(ipIn(MORE.kestrel), ['/'])
    await enrich()
    const res = await admin.post('/api/companies/candidates/dismiss').send({ network: '198.18.2.0/24' }).expect(200)
    expect(res.body).toEqual({ owner: 'Zwaluw Studio B.V.', network: '198.18.2.0/24' })
    expect((await queue()).map((r) => r.owner)).toEqual(['Kestrel Analytics GmbH'])
    // Its later visits, from another of its networks, stay out too; and so after a restart.
    await visit(ipIn(MORE.zwaluw2), ['/'])
    await enrich()
    await t.restart()
    admin = await t.login()
    expect((await queue()).map((r) => r.owner)).toEqual(['Kestrel Analytics GmbH'])
    await admin.post('/api/companies/candidates/dismiss').send({ network: NETS.comcast.cidr }).expect(404)
  })
})

describe('privacy of the queue', () => {
  it("a visitor's download names the network and owner kept with their visit", async () => {
    const v = await visit(ipIn(MORE.zwaluw), ['/'])
    const p = await visit(ipIn(NETS.comcast), ['/'])
    await enrich()
    const mine = (await admin.post('/api/admin/export').send({ vid: v.vid }).expect(200)).body
    expect(mine.visits).toEqual([expect.objectContaining({ network_type: 'unknown', network: '198.18.2.0/24', network_owner: 'Zwaluw Studio B.V.' })])
    const isp = (await admin.post('/api/admin/export').send({ vid: p.vid }).expect(200)).body
    expect(isp.visits).toEqual([expect.objectContaining({ network_type: 'isp', network: null, network_owner: null })])
  })

  it("a visitor's erasure removes their visits from the queue", async () => {
    const v = await visit(ipIn(MORE.zwaluw), ['/'])
    await enrich()
    expect(await queue()).toHaveLength(1)
    await admin.post('/api/admin/erase').send({ vid: v.vid }).expect(200)
    expect(await queue()).toEqual([])
    expect(await t.count('enriched_sessions', 'sid = {sid:String}', { sid: v.sid })).toBe(0)
  })
})

describe('bad input', () => {
  const good = { network: MORE.zwaluw.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }
  it.each([
    ['no network', { ...good, network: undefined }, 'network'],
    ['a network that is none', { ...good, network: "198.18.2.0/24' OR 1=1" }, 'network'],
    ['an address without a prefix length', { ...good, network: '198.18.2.10' }, 'network'],
    ['no name', { ...good, name: '' }, 'name'],
    ['a name too long', { ...good, name: 'x'.repeat(301) }, 'name'],
    ['no domain', { ...good, domain: undefined }, 'domain'],
    ['a domain that is none', { ...good, domain: 'not a domain' }, 'domain'],
    ['a country that is none', { ...good, country: 'Netherlands' }, 'country'],
    ['a name of the wrong type', { ...good, name: 42 }, 'name'],
  ])('naming with %s is a 400 naming the field', async (_what, body, field) => {
    const res = await admin.post('/api/companies/candidates/name').send(body).expect(400)
    expect(res.body.field).toBe(field)
  })

  it.each([
    ['limit=501', 'limit'],
    ['limit=0', 'limit'],
    ['from=yesterday', 'from'],
  ])('listing with %s is a 400 naming the field', async (query, field) => {
    const res = await admin.get(`/api/companies/candidates?site=example.com&${query}`).expect(400)
    expect(res.body.field).toBe(field)
  })

  it('dismissing without a network is a 400 naming the field, and a JSON body that is none a 400', async () => {
    expect((await admin.post('/api/companies/candidates/dismiss').send({}).expect(400)).body.field).toBe('network')
    await admin.post('/api/companies/candidates/dismiss').set('Content-Type', 'application/json').send('{"network":').expect(400)
  })
})
