// The collector's rules, one test each, through the real HTTP app into chDB.
import request from 'supertest'
import { ingestStats } from '../../collector/counters.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CHROME_UA, FIREFOX_UA, IPHONE_UA, makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'

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

const stored = (where = '1', params: Record<string, unknown> = {}) => t.count('events', where, params)

/** Drops and refusals as GET /api/ingest adds them up (this process's counts written first). */
async function counted() {
  await t.deps.counters.flush()
  return ingestStats(t.db)
}

describe('consent', () => {
  it('stores a page view that carries analytics consent', async () => {
    const ev = pageview({ url: 'https://example.com/pricing' })
    const res = await send(t.app, ev).expect(202)
    expect(res.body).toEqual({ ok: true })
    expect(await stored('event_id = {id:String}', { id: ev.id })).toBe(1)
  })

  it.each([
    ['without a consent field', undefined],
    ['with consent.analytics = false', { analytics: false }],
  ])('refuses a page view %s with 403 and stores nothing of it', async (_name, consent) => {
    const ev = pageview({ consent })
    const before = (await counted()).rejected.no_consent!
    const res = await send(t.app, ev).expect(403)
    expect(res.body.error).toMatch(/consent is required/)
    expect(res.body.field).toBe('consent')
    expect(await stored()).toBe(0)
    expect(await t.count('visit_ips')).toBe(0)
    expect((await counted()).rejected.no_consent).toBe(before + 1)
  })
})

describe('drop reasons: answered 202, nothing stored, reason counted', () => {
  it('drops a visitor id on the opt-out list', async () => {
    const vid = rid()
    await t.deps.optouts.add(vid)
    const before = (await counted()).dropped.opted_out!
    await send(t.app, pageview({ vid })).expect(202)
    expect(await stored()).toBe(0)
    expect((await counted()).dropped.opted_out).toBe(before + 1)
  })

  it('drops a browser carrying the spoor_optout cookie', async () => {
    const before = (await counted()).dropped.opted_out!
    await send(t.app, pageview(), { Cookie: 'spoor_optout=1' }).expect(202)
    expect(await stored()).toBe(0)
    expect((await counted()).dropped.opted_out).toBe(before + 1)
  })

  it('drops a browser that sends Sec-GPC: 1', async () => {
    const before = (await counted()).dropped.gpc!
    await send(t.app, pageview(), { 'Sec-GPC': '1' }).expect(202)
    expect(await stored()).toBe(0)
    expect((await counted()).dropped.gpc).toBe(before + 1)
  })

  it('drops a browser that sends DNT: 1', async () => {
    const before = (await counted()).dropped.dnt!
    await send(t.app, pageview(), { DNT: '1' }).expect(202)
    expect(await stored()).toBe(0)
    expect((await counted()).dropped.dnt).toBe(before + 1)
  })

  it.each([
    ['a search crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'],
    ['curl', 'curl/8.5.0'],
    ['python-requests', 'python-requests/2.32.3'],
    ['an empty user agent', ''],
  ])('drops %s as a bot', async (_name, ua) => {
    const before = (await counted()).dropped.bot!
    await send(t.app, pageview(), { 'User-Agent': ua }).expect(202)
    expect(await stored()).toBe(0)
    expect((await counted()).dropped.bot).toBe(before + 1)
  })

  it('stores a repeated event id once', async () => {
    const ev = pageview()
    const before = (await counted()).dropped.duplicate!
    await send(t.app, ev).expect(202)
    await send(t.app, ev).expect(202)
    await t.flush()
    await send(t.app, ev).expect(202)
    expect(await stored('event_id = {id:String}', { id: ev.id })).toBe(1)
    expect((await counted()).dropped.duplicate).toBe(before + 2)
    const [row] = await t.db.query<{ pv: string }>("SELECT sum(pageviews) AS pv FROM daily_stats WHERE site = 'example.com'")
    expect(Number(row?.pv)).toBe(1)
  })

  it('lets the same event id count once per site, not across sites', async () => {
    const id = rid()
    await send(t.app, pageview({ id })).expect(202)
    await send(t.app, pageview({ id, site: 'shop.example.org', url: 'https://shop.example.org/' })).expect(202)
    expect(await stored()).toBe(2)
  })
})

describe('sites and origins', () => {
  it('refuses an unregistered site with 403 naming the site field', async () => {
    const res = await send(t.app, pageview({ site: 'unknown.example.net' })).expect(403)
    expect(res.body).toMatchObject({ field: 'site' })
    expect(res.body.error).toMatch(/not registered/)
    expect(await stored()).toBe(0)
  })

  it('accepts the site name in any case and with www.', async () => {
    await send(t.app, pageview({ site: 'WWW.Example.com' })).expect(202)
    expect(await stored("site = 'example.com'")).toBe(1)
  })

  it('refuses a page of another origin posting for a registered site', async () => {
    await send(t.app, pageview(), { Origin: 'https://evil.example.net' }).expect(403)
    expect(await stored()).toBe(0)
  })

  it('refuses a page URL of another host for a registered site, also without an Origin header (a script, not a browser)', async () => {
    const res = await send(t.app, pageview({ url: 'https://attacker.example/x' })).expect(403)
    expect(res.body).toMatchObject({ field: 'url' })
    expect(res.body.error).toMatch(/page URL does not belong to this site/)
    await send(t.app, pageview({ url: 'https://example.com.attacker.example/' })).expect(403)
    await send(t.app, pageview({ url: 'https://shop.example.org/' })).expect(403)
    expect(await stored()).toBe(0)
  })

  it('accepts a page URL of the site or a subdomain, in any case', async () => {
    await send(t.app, pageview({ url: 'https://WWW.Example.com/a' })).expect(202)
    await send(t.app, pageview({ url: 'https://blog.example.com/b' })).expect(202)
    expect(await stored()).toBe(2)
  })

  it('accepts a page of the site or a subdomain of it', async () => {
    await send(t.app, pageview(), { Origin: 'https://example.com' }).expect(202)
    await send(t.app, pageview(), { Origin: 'https://blog.example.com' }).expect(202)
    expect(await stored()).toBe(2)
  })

  it('answers CORS only for registered site origins', async () => {
    const ok = await request(t.app)
      .options('/api/event')
      .set('Origin', 'https://www.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type')
    expect(ok.headers['access-control-allow-origin']).toBe('https://www.example.com')
    expect(ok.headers['access-control-allow-credentials']).toBe('true')
    const post = await send(t.app, pageview(), { Origin: 'https://www.example.com' }).expect(202)
    expect(post.headers['access-control-allow-origin']).toBe('https://www.example.com')
    const bad = await request(t.app).options('/api/event').set('Origin', 'https://evil.example.net').set('Access-Control-Request-Method', 'POST')
    expect(bad.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('malformed input: 4xx with the field named, nothing stored', () => {
  const good = pageview()
  const cases: Array<[string, unknown, number, string?]> = [
    ['not JSON', '{"site": ', 400, 'body'],
    ['a JSON array', '[1,2,3]', 400, 'body'],
    ['a JSON string', '"pageview"', 400, 'body'],
    ['null', 'null', 400, 'body'],
    ['an empty body', '', 400, 'body'],
    ['no site', { ...good, site: undefined }, 400, 'site'],
    ['a numeric site', { ...good, site: 42 }, 400, 'site'],
    ['an unknown type', { ...good, type: 'click' }, 400, 'type'],
    ['no url', { ...good, url: undefined }, 400, 'url'],
    ['a relative url', { ...good, url: '/pricing' }, 400, 'url'],
    ['a javascript: url', { ...good, url: 'javascript:alert(1)' }, 400, 'url'],
    ['a url of 5000 characters', { ...good, url: `https://example.com/${'a'.repeat(5000)}` }, 400, 'url'],
    ['a screen that is a string', { ...good, screen: 'wide' }, 400, 'screen'],
    ['a negative screen', { ...good, screen: -1 }, 400, 'screen'],
    ['a screen wider than its column holds', { ...good, screen: 70_000 }, 400, 'screen'],
    ['consent as a string', { ...good, consent: 'yes' }, 400, 'consent'],
    ['no visitor id', { ...good, vid: undefined }, 400, 'vid'],
    ['a visitor id with spaces', { ...good, vid: 'a b c d e f g h' }, 400, 'vid'],
    ['a short session id', { ...good, sid: 'abc' }, 400, 'sid'],
    ['no event id', { ...good, id: undefined }, 400, 'id'],
    ['an event id object', { ...good, id: { $ne: 1 } }, 400, 'id'],
    ['a custom event without a name', { ...good, type: 'event' }, 400, 'name'],
    ['a name of 500 characters', { ...good, type: 'event', name: 'x'.repeat(500) }, 400, 'name'],
    ['props that is an array', { ...good, type: 'event', name: 'signup', props: [1] }, 400, 'props'],
    ['31 props', { ...good, type: 'event', name: 'signup', props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) }, 400, 'props'],
    ['a nested prop', { ...good, type: 'event', name: 'signup', props: { a: { b: 1 } } }, 400, 'props.a'],
  ]

  it.each(cases)('refuses %s', async (_name, body, status, field) => {
    const res = await send(t.app, body).expect(status)
    expect(res.body.error).toEqual(expect.any(String))
    if (field) expect(res.body.field).toBe(field)
    expect(await stored()).toBe(0)
  })

  it('refuses a body over 8 KB with 413', async () => {
    const res = await send(t.app, { ...pageview(), title: 'x'.repeat(9 * 1024) }).expect(413)
    expect(res.body.error).toMatch(/too large/)
    expect(await stored()).toBe(0)
  })

  it('refuses a content type other than JSON or text/plain with 415', async () => {
    const res = await request(t.app)
      .post('/api/event')
      .set('User-Agent', CHROME_UA)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('site=example.com')
      .expect(415)
    expect(res.body.error).toMatch(/application\/json or text\/plain/)
  })

  it('refuses a charset other than UTF-8 and a compressed body with 415, and reads text/plain as sendBeacon sends it', async () => {
    const body = JSON.stringify(pageview())
    const post = (type: string, extra: Record<string, string> = {}) =>
      request(t.app).post('/api/event').set('User-Agent', CHROME_UA).set('Content-Type', type).set(extra).send(body)
    expect((await post('application/json; charset=iso-8859-1').expect(415)).body.error).toMatch(/charset "iso-8859-1"/)
    expect((await post('application/json', { 'Content-Encoding': 'gzip' }).expect(415)).body.error).toMatch(/uncompressed/)
    expect(await stored()).toBe(0)
    await post('text/plain;charset=UTF-8').expect(202)
    expect(await stored()).toBe(1)
  })

  it.each([
    ['text that is not JSON', 'site=example.com'],
    ['a JSON string', '"https://example.com/"'],
    ['JSON cut short', '{"site": "example.com", "url": '],
  ])('refuses %s with 400 naming the body', async (_name, text) => {
    const res = await request(t.app).post('/api/event').set('User-Agent', CHROME_UA).set('Content-Type', 'application/json').send(text).expect(400)
    expect(res.body).toEqual({ error: 'request body is not valid JSON', field: 'body' })
    expect(await stored()).toBe(0)
  })

  // Every body below carries consent, so a body that slipped through validation
  // would reach enrichment and the writer, where a 5xx or a poisoned batch would show.
  const INVALID: Record<string, unknown[]> = {
    site: [null, 1, [], {}, 'x'.repeat(300)],
    type: [null, 1, 'click', [], { a: 1 }],
    url: [null, 1, 'ftp://example.com/', '/relative', 'https://', 'x'.repeat(5000), ['https://example.com/']],
    referrer: [null, 1, [], {}, 'x'.repeat(5000)],
    title: [null, 1, [], { t: 'x' }],
    screen: ['wide', -1, 1.5, 70_000, [], null, 1e308],
    consent: ['yes', 1, [], { analytics: 'yes' }, { analytics: 1 }],
    vid: [null, 1, 'short', 'has space here', '<script>alert(1)</script>', 'x'.repeat(65), '\u0000'.repeat(10)],
    sid: [null, 2, 'tiny', "x' OR '1'='1", 'ä'.repeat(10)],
    id: [null, 3, 'abc', { $ne: 1 }, '../../../etc'],
    name: [null, 1, '', 'x'.repeat(121)],
    props: [
      [],
      'x',
      { a: { b: 1 } },
      { a: [1] },
      { a: null },
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])),
      { ['k'.repeat(65)]: 1 },
      { a: 'v'.repeat(501) },
    ],
  }

  it('answers a few hundred generated malformed bodies with 4xx only, keeping what was stored before', async () => {
    const keep = pageview()
    await send(t.app, keep).expect(202)
    const statuses = new Map<number, number>()
    const note = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1)
    let n = 0
    for (const [field, values] of Object.entries(INVALID)) {
      for (const v of values) {
        for (const type of ['pageview', 'event'] as const) {
          const base = type === 'event' ? pageview({ type, name: 'signup' }) : pageview()
          note((await send(t.app, { ...base, [field]: v })).status)
          n++
        }
      }
    }
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + ((i * 37) % 300) }, (_, k) => (k * 131 + i * 7) % 256))
      note((await send(t.app, bytes.toString('latin1'))).status)
      n++
    }
    expect(n).toBeGreaterThanOrEqual(250)
    for (const [s, count] of statuses) expect(s >= 400 && s < 500, `${count} answers with status ${s}`).toBe(true)
    expect(await stored()).toBe(1)
    expect(await stored('event_id = {id:String}', { id: keep.id })).toBe(1)
  })

  it('turns a lone UTF-16 surrogate (valid JSON, refused by ClickHouse) into U+FFFD, so that the batch is written', async () => {
    const ev = pageview({ title: 'cut \ud83d here', referrer: 'https://ref.example.net/\udc00', type: 'event', name: 'x\ud800', props: { k: 'v\udfff' } })
    await send(t.app, ev).expect(202)
    await t.flush()
    expect(t.deps.writer.pending).toBe(0)
    const [row] = await t.db.query<{ title: string; name: string; v: string }>("SELECT title, name, props['k'] AS v FROM events WHERE event_id = {id:String}", {
      id: ev.id,
    })
    expect(row).toEqual({ title: 'cut \ufffd here', name: 'x\ufffd', v: 'v\ufffd' })
  })

  it('stores odd but valid text (control characters, right-to-left marks, markup) as text, and keeps writing', async () => {
    const odd = "\u0000\u0007\u202e<script>alert(1)</script> '; DROP TABLE events; -- 🎉"
    const ev = pageview({
      title: odd,
      url: `https://example.com/${encodeURIComponent(odd)}`,
      referrer: `https://ref.example.net/?q=${encodeURIComponent(odd)}`,
    })
    await send(t.app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<{ title: string }>('SELECT title FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(row?.title).toBe(odd)
    expect(t.deps.writer.pending).toBe(0)
  })
})

describe('what is kept of a page view', () => {
  it('keeps the path and UTM parameters and drops every other query parameter', async () => {
    const ev = pageview({
      url: 'https://example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=launch&email=jan@example.com&token=secret#top',
    })
    await send(t.app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<Record<string, string>>(
      'SELECT path, query, utm_source, utm_medium, utm_campaign FROM events WHERE event_id = {id:String}',
      { id: ev.id },
    )
    expect(row).toEqual({ path: '/pricing', query: '', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'launch' })
  })

  it('keeps the query parameters named in KEEP_QUERY_PARAMS', async () => {
    const app = createApp({ ...t.deps, config: loadConfig({ SITES: 'example.com', LOG_LEVEL: 'silent', KEEP_QUERY_PARAMS: 'q,page' }) })
    const ev = pageview({ url: 'https://example.com/search?q=shoes&session=abc&page=2' })
    await send(app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<{ query: string }>('SELECT query FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(row?.query).toBe('?q=shoes&page=2')
  })

  it.each([
    ['https://www.google.com/search?q=spoor', 'google.com'],
    ['https://news.ycombinator.com/item?id=1', 'news.ycombinator.com'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm'],
    ['https://example.com/other-page', ''],
    ['https://blog.example.com/post', ''],
    ['not a url', ''],
  ])('reduces the referrer %s to the source "%s"', async (referrer, source) => {
    const ev = pageview({ referrer })
    await send(t.app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<{ s: string }>('SELECT referrer_source AS s FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(row?.s).toBe(source)
  })

  it('stores the grouped source: utm_source as given, a Google referrer as Google (rules: test/collector/sources.test.ts)', async () => {
    const tagged = pageview({ url: 'https://example.com/?utm_source=newsletter', referrer: 'https://www.bing.com/' })
    const searched = pageview({ referrer: 'https://www.google.com/search?q=spoor' })
    const direct = pageview()
    for (const ev of [tagged, searched, direct]) await send(t.app, ev).expect(202)
    await t.flush()
    const rows = await t.db.query<{ event_id: string; source: string }>('SELECT event_id, source FROM events WHERE event_id IN {ids:Array(String)}', {
      ids: [tagged.id, searched.id, direct.id],
    })
    const source = new Map(rows.map((r) => [r.event_id, r.source]))
    expect([source.get(tagged.id), source.get(searched.id), source.get(direct.id)]).toEqual(['newsletter', 'Google', ''])
  })

  it.each([
    [CHROME_UA, 'Chrome', 'Windows', 'desktop'],
    [FIREFOX_UA, 'Firefox', 'Ubuntu', 'desktop'],
    [IPHONE_UA, 'Mobile Safari', 'iOS', 'mobile'],
  ])('parses the user agent into browser, OS and device (%#)', async (ua, browser, os, device) => {
    const ev = pageview()
    await send(t.app, ev, { 'User-Agent': ua }).expect(202)
    await t.flush()
    const [row] = await t.db.query<Record<string, string>>('SELECT browser, os, device FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(row).toEqual({ browser, os, device })
  })

  it('keeps the IP only in visit_ips, never in the events table', async () => {
    const ev = pageview()
    await send(t.app, ev).expect(202)
    await t.flush()
    const ips = await t.db.query<{ ip: string }>('SELECT IPv6NumToString(ip) AS ip FROM visit_ips WHERE sid = {sid:String}', { sid: ev.sid })
    expect(ips.map((r) => r.ip)).toEqual(['::ffff:127.0.0.1'])
    const [row] = await t.db.query<Record<string, unknown>>('SELECT * FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(JSON.stringify(row)).not.toContain('127.0.0.1')
  })

  it.each([
    ['203.0.113.5:54321', '::ffff:203.0.113.5'],
    ['[2001:db8::7]:443', '2001:db8::7'],
    ['2001:db8::8', '2001:db8::8'],
    ['unknown', null],
    ['999.1.1.1', null],
  ])('with TRUST_PROXY, X-Forwarded-For %j is stored as %j and never blocks the writer', async (xff, stored_) => {
    const app = createApp({ ...t.deps, config: loadConfig({ SITES: 'example.com', LOG_LEVEL: 'silent', TRUST_PROXY: 'loopback' }) })
    const ev = pageview()
    await send(app, ev, { 'X-Forwarded-For': xff }).expect(202)
    await t.flush()
    const ips = await t.db.query<{ ip: string }>('SELECT IPv6NumToString(ip) AS ip FROM visit_ips WHERE sid = {sid:String}', { sid: ev.sid })
    expect(ips.map((r) => r.ip)).toEqual(stored_ ? [stored_] : [])
    expect(await stored('event_id = {id:String}', { id: ev.id })).toBe(1)
    expect(t.deps.writer.pending).toBe(0)
  })

  it('writes one IP row per visit and address, however many pages the visit has', async () => {
    const ev = pageview()
    for (const path of ['/', '/a', '/b']) await send(t.app, { ...ev, id: rid(), url: `https://example.com${path}` }).expect(202)
    expect(await t.count('events', 'sid = {sid:String}', { sid: ev.sid })).toBe(3)
    expect(await t.count('visit_ips', 'sid = {sid:String}', { sid: ev.sid })).toBe(1)
  })

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so a client cannot choose its IP', async () => {
    const ev = pageview()
    await send(t.app, ev, { 'X-Forwarded-For': '8.8.8.8' }).expect(202)
    await t.flush()
    const ips = await t.db.query<{ ip: string }>('SELECT IPv6NumToString(ip) AS ip FROM visit_ips WHERE sid = {sid:String}', { sid: ev.sid })
    expect(ips.map((r) => r.ip)).toEqual(['::ffff:127.0.0.1'])
  })

  it('stores custom events with their name and props', async () => {
    const ev = pageview({ type: 'event', name: 'signup', props: { plan: 'pro', seats: 5, trial: true } })
    await send(t.app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<{ name: string; props: Record<string, string> }>('SELECT name, props FROM events WHERE event_id = {id:String}', {
      id: ev.id,
    })
    expect(row).toEqual({ name: 'signup', props: { plan: 'pro', seats: '5', trial: 'true' } })
  })

  it('cuts a title longer than 300 characters instead of refusing the event', async () => {
    const ev = pageview({ title: 'T'.repeat(2000) })
    await send(t.app, ev).expect(202)
    await t.flush()
    const [row] = await t.db.query<{ n: number }>('SELECT length(title) AS n FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(Number(row?.n)).toBe(300)
  })
})
