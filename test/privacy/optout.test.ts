// The opt-out link of the privacy policy, and spoor('optout') from the site.
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { vidHash } from '../../privacy/hash.ts'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'

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

describe('GET /optout', () => {
  it('explains in English by default and in Dutch for a Dutch browser', async () => {
    const en = await request(t.app).get('/optout').set('Accept-Language', 'en-GB,en;q=0.9').expect(200)
    expect(en.text).toContain('What is collected')
    expect(en.text).toContain('deleted within 7 days')
    const nl = await request(t.app).get('/optout').set('Accept-Language', 'nl-NL,nl;q=0.9,en;q=0.5').expect(200)
    expect(nl.text).toContain('Wat wordt verzameld')
    expect(nl.text).toContain('lang="nl"')
  })

  it('can be switched to the other language', async () => {
    const res = await request(t.app).get('/optout?lang=nl').set('Accept-Language', 'en').expect(200)
    expect(res.text).toContain('Afmelden voor statistieken')
    expect(res.text).toContain('href="/optout?lang=en"')
  })

  it('shows whether this browser is opted out', async () => {
    const before = await request(t.app).get('/optout?lang=en').expect(200)
    expect(before.text).toContain('This browser is not opted out.')
    const after = await request(t.app).get('/optout?lang=en').set('Cookie', 'spoor_optout=1').expect(200)
    expect(after.text).toContain('This browser is opted out')
    expect(after.text).toContain('Opt back in')
  })

  it('never echoes an unvalidated visitor id into the page', async () => {
    const res = await request(t.app)
      .get('/optout?vid=%22%3E%3Cscript%3Ealert(1)%3C/script%3E')
      .set('Cookie', 'spoor_id=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E')
      .expect(200)
    expect(res.text).not.toContain('<script>alert(1)')
  })

  it('never takes the visitor id from the query string (it would sit in access logs and Referer headers)', async () => {
    const vid = rid()
    const res = await request(t.app).get(`/optout?lang=en&vid=${vid}`).expect(200)
    expect(res.text).not.toContain(vid)
  })
})

describe('POST /optout', () => {
  it('sets a long-lived cookie and records the visitor id, after which no event of it is stored', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    const res = await request(t.app).post('/optout').type('form').send({ action: 'optout', vid, lang: 'en' }).expect(303)
    expect(res.headers.location).toBe(`/optout?lang=en&done=optout#vid=${vid}`)
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toMatch(/spoor_optout=1/)
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1])
    expect(maxAge).toBeGreaterThanOrEqual(399 * 86400)
    expect(await t.count('optouts', 'vid_hash = {h:String}', { h: vidHash(vid) })).toBe(1)
    await send(t.app, pageview({ vid })).expect(202)
    expect(await t.count('events')).toBe(1)
  })

  it('opts back in: the cookie is cleared and the visitor id leaves the list', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    await request(t.app).post('/optout').type('form').send({ action: 'optout', vid }).expect(303)
    expect(t.deps.optouts.has(vid)).toBe(true)
    const res = await request(t.app).post('/optout').type('form').send({ action: 'optin', vid }).expect(303)
    expect(String(res.headers['set-cookie'])).toMatch(/spoor_optout=;/)
    expect(t.deps.optouts.has(vid)).toBe(false)
    await send(t.app, pageview({ vid })).expect(202)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(2)
  })

  it('refuses a post from another site, so nobody can opt a visitor back in behind their back', async () => {
    const res = await request(t.app).post('/optout').set('Origin', 'https://evil.example.net').type('form').send({ action: 'optin', vid: rid() }).expect(403)
    expect(res.body.error).toMatch(/opt-out page itself/)
  })

  it('refuses a post from a sandboxed frame (Origin: null)', async () => {
    await request(t.app).post('/optout').set('Origin', 'null').type('form').send({ action: 'optin', vid: rid() }).expect(403)
  })

  it('refuses a cross-site post that only says so in Sec-Fetch-Site', async () => {
    await request(t.app).post('/optout').set('Sec-Fetch-Site', 'cross-site').type('form').send({ action: 'optin', vid: rid() }).expect(403)
  })

  it('links back to the privacy policy of a registered site, with #spoor-optout after an opt-out', async () => {
    const back = 'https://www.example.com/privacy'
    const res = await request(t.app).post('/optout').type('form').send({ action: 'optout', lang: 'en', return: back }).expect(303)
    const page = await request(t.app).get(res.headers.location!).set('Cookie', 'spoor_optout=1').expect(200)
    expect(page.text).toContain('href="https://www.example.com/privacy#spoor-optout"')
    expect(page.text).toContain('Back to example.com')
  })

  it.each([
    ['a tab', '/%09/evil.example/'],
    ['a line feed', '/%0A/evil.example/'],
    ['a carriage return', '/%0D/evil.example/'],
    ['a backslash', '/%5Cevil.example/'],
    ['a scheme-relative URL', '//evil.example/'],
    ['a scheme without slashes', 'https:evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['a dot segment before a double slash', '/.//evil.example/'],
    ["Spoor's own origin with a double-slash path", 'http://localhost:8080//evil.example/'],
  ])('never links back to another origin hidden in the return address (%s)', async (_name, ret) => {
    const page = await request(t.app).get(`/optout?return=${ret}`).expect(200)
    expect(page.text).not.toContain('id="back"')
    expect(page.text.toLowerCase()).not.toContain('evil.example')
    expect(page.text).not.toContain('javascript:')
  })

  it("links back to a path of Spoor's own (the demo)", async () => {
    const page = await request(t.app).get('/optout?return=%2Fdemo%3Fa%3D1').expect(200)
    expect(page.text).toContain('<a id="back" href="/demo?a=1">')
  })

  it('never links back to a site that is not registered (no open redirect)', async () => {
    const page = await request(t.app).get('/optout?return=https%3A%2F%2Fevil.example.net%2F').expect(200)
    expect(page.text).not.toContain('evil.example.net')
  })

  it.each([
    ['no action', {}],
    ['an unknown action', { action: 'delete-everything' }],
    ['a malformed visitor id', { action: 'optout', vid: "x' OR 1=1" }],
  ])('refuses %s with 400', async (_name, form) => {
    await request(t.app).post('/optout').type('form').send(form).expect(400)
  })
})

describe('rights on the opt-out page', () => {
  it('offers a download and erasure for the visitor id of the link, and answers with what was done', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    await send(t.app, pageview({ vid, url: 'https://example.com/pricing' })).expect(202)
    await t.flush()
    const page = await request(t.app).get('/optout?lang=en').set('Cookie', `spoor_id=${vid}.tpe8j4`).expect(200)
    expect(page.text).toContain('<form method="post" action="/api/privacy/export">')
    expect(page.text).not.toContain(`?vid=`)
    expect(page.text).toContain('value="erase"')
    const res = await request(t.app).post('/optout').type('form').send({ action: 'erase', vid, lang: 'en' }).expect(303)
    const done = await request(t.app).get(res.headers.location!).expect(200)
    expect(done.text).toContain('your data is erased (2 page views and events)')
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    const audit = await t.db.query<{ action: string }>("SELECT action FROM privacy_audit WHERE action = 'erasure'")
    expect(audit.length).toBeGreaterThan(0)
  })

  it('says that an opt-out or erasure covers only the visitor id it names, and names it', async () => {
    const vid = rid()
    const en = await request(t.app).get('/optout?lang=en').set('Cookie', `spoor_id=${vid}.tpe8j4`).expect(200)
    expect(en.text).toContain(`the visitor id <code id="vid-prefix">${vid.slice(0, 8)}</code>…`)
    expect(en.text).toMatch(/An opt-out or an erasure covers the visitor id it names, and nothing else\./)
    expect(en.text).toMatch(/an earlier opt-out or erasure does not cover those/)
    const none = await request(t.app).get('/optout?lang=nl').expect(200)
    expect(none.text).toMatch(/<p data-novid>Deze pagina noemt geen bezoekers-id/)
  })

  it('offers erasure in the same step as the opt-out, checked, and does both', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    await t.flush()
    const page = await request(t.app).get('/optout?lang=en').set('Cookie', `spoor_id=${vid}.tpe8j4`).expect(200)
    expect(page.text).toMatch(/<input type="checkbox" name="erase" value="1" checked> Also erase everything already stored under this visitor id/)
    const res = await request(t.app).post('/optout').type('form').send({ action: 'optout', erase: '1', vid, lang: 'en' }).expect(303)
    expect(res.headers.location).toBe(`/optout?lang=en&done=optout&erased=1#vid=${vid}`)
    const done = await request(t.app).get(res.headers.location!).set('Cookie', 'spoor_optout=1').expect(200)
    expect(done.text).toContain('you are opted out, and the data stored under this visitor id is erased (1 page views and events)')
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    expect(t.deps.optouts.has(vid)).toBe(true)
  })

  it('opts out without erasing when the box is unticked', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    await request(t.app).post('/optout').type('form').send({ action: 'optout', vid }).expect(303)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(1)
    expect(t.deps.optouts.has(vid)).toBe(true)
  })

  it('refuses an erase field other than "1" before changing anything', async () => {
    const vid = rid()
    const res = await request(t.app).post('/optout').type('form').send({ action: 'optout', erase: 'yes', vid }).expect(400)
    expect(res.body.error).toMatch(/erase must be "1"/)
    expect(t.deps.optouts.has(vid)).toBe(false)
  })

  it('reads the visitor id from the spoor_id cookie ("<id>.<consent time>") when Spoor shares the site\'s host', async () => {
    const vid = rid()
    const page = await request(t.app).get('/optout?lang=en').set('Cookie', `spoor_id=${vid}.tpe8j4`).expect(200)
    expect(page.text).toContain(`<input type="hidden" name="vid" value="${vid}">`)
  })

  it('refuses erasure without a visitor id, saying where to get one', async () => {
    const res = await request(t.app).post('/optout').type('form').send({ action: 'erase' }).expect(400)
    expect(res.body.error).toMatch(/needs the visitor id/)
  })
})

describe("spoor('optout') from the site", () => {
  it('records the visitor id sent by the beacon and drops its later events', async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    const res = await request(t.app)
      .post('/api/optout')
      .set('Content-Type', 'text/plain')
      .set('Origin', 'https://example.com')
      .send(JSON.stringify({ site: 'example.com', vid }))
      .expect(202)
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com')
    expect(t.deps.optouts.has(vid)).toBe(true)
    await send(t.app, pageview({ vid })).expect(202)
    expect(await t.count('events')).toBe(1)
  })

  it('refuses a malformed visitor id with 400', async () => {
    await request(t.app).post('/api/optout').set('Content-Type', 'application/json').send({ site: 'example.com', vid: 123 }).expect(400)
  })

  it('refuses an opt-out for a site that is not registered', async () => {
    const res = await request(t.app).post('/api/optout').set('Content-Type', 'application/json').send({ site: 'evil.example.net', vid: rid() }).expect(403)
    expect(res.body.field).toBe('site')
  })

  it('limits opt-out requests per client to 20 a minute', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) {
      statuses.push((await request(t.app).post('/api/optout').set('Content-Type', 'application/json').send({ site: 'example.com', vid: rid() })).status)
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5)
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(20)
  })
})
