// Erasure end to end: visitors come in through the beacon path, one asks to be
// forgotten; then every table is searched for its id, and the figures are compared
// with a recount from the raw events that are left.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rollupVisitRows } from '../../aggregates/rollup.ts'
import { dayLock } from '../../lib/lock.ts'
import { eraseVisitor, resumeErasures } from '../../privacy/erasure.ts'
import { vidHash } from '../../privacy/hash.ts'
import { createLogger } from '../../lib/logger.ts'
import { journalDir, makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

let t: TestApp
const log = createLogger('silent')
const opts = () => ({ optouts: t.deps.optouts, rawRetentionDays: 180 })

beforeAll(async () => {
  t = await makeApp({ TRUST_PROXY: 'loopback' })
})
afterAll(async () => {
  await t.close()
})

/** A visitor's visit through the collector: pages in order, from `ip`, with a form on the way. */
async function visitor(ip: string, paths: string[], opts: { form?: string; referrer?: string } = {}) {
  const vid = rid()
  const sid = rid()
  for (const [i, path] of paths.entries()) {
    const ref = i === 0 ? (opts.referrer ?? '') : ''
    await send(t.app, pageview({ vid, sid, url: `https://example.com${path}?utm_campaign=spring`, referrer: ref, title: path }), {
      'X-Forwarded-For': ip,
    }).expect(202)
  }
  if (opts.form) await send(t.app, pageview({ vid, sid, type: 'form', domain: opts.form }), { 'X-Forwarded-For': ip }).expect(202)
  return vid
}

/** Every table of the database, as text, with the ones that mention `needle`. */
async function tablesHolding(needle: string): Promise<{ searched: string[]; holding: string[] }> {
  await t.flush()
  const tables = await t.db.query<{ name: string }>(
    "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View%' ORDER BY name",
  )
  const holding: string[] = []
  for (const { name } of tables) {
    // Rows a lightweight DELETE only masked count too: the id must be gone from disk.
    const rs = await t.db.client.query({
      query: 'SELECT * FROM {t:Identifier}',
      query_params: { t: name },
      format: 'JSONEachRow',
      clickhouse_settings: { apply_deleted_mask: 0 },
    })
    const rows = await rs.json()
    if (JSON.stringify(rows).includes(needle)) holding.push(name)
  }
  return { searched: tables.map((x) => x.name), holding }
}

const REPORTS = [
  'summary',
  'timeseries',
  'pages',
  'entry-pages',
  'exit-pages',
  'sources',
  'referrers',
  'utm',
  'browsers',
  'os',
  'devices',
  'countries',
  'events',
]

/** Every report of a site, without the site's own name in it. */
async function figures(agent: Awaited<ReturnType<TestApp['login']>>, site: string) {
  const today = new Date().toISOString().slice(0, 10)
  const out: Record<string, unknown> = {}
  for (const r of REPORTS) {
    const body = (await agent.get(`/api/stats/${r}?site=${site}&from=${today}&to=${today}`).expect(200)).body as Record<string, unknown>
    delete body.site
    out[r] = body
  }
  return out
}

describe('erasure', () => {
  it('leaves no table holding the visitor id, and figures equal a recount without the visitor', async () => {
    const gone = await visitor(ipIn(NETS.acme), ['/', '/pricing', '/about'], { form: 'acme-widgets.example', referrer: 'https://www.google.com/' })
    const stays = await visitor(ipIn(NETS.university), ['/', '/docs'], { referrer: 'https://news.example.net/' })
    const other = await visitor(ipIn(NETS.acme, 44), ['/pricing'])
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    await t.deps.optouts.add(gone) // an opt-out record too: it must keep only a hash
    // Today's visit rows written into `visits`, as the job does for finished days.
    const today = new Date().toISOString().slice(0, 10)
    await dayLock.run(() => rollupVisitRows(t.db, today))
    const before = await tablesHolding(gone)
    expect(before.holding).toContain('visits')
    // A company visit: its row is copied for the companies list (sql/025).
    expect(before.holding).toContain('company_sessions')
    expect(before.holding.length).toBeGreaterThanOrEqual(3)

    const res = await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid: gone }))
      .expect(200)
    expect(res.body).toMatchObject({ status: 'done', events: 3, sessions: 1, days_rebuilt: 1 })

    const after = await tablesHolding(gone)
    expect(after.searched).toEqual(
      expect.arrayContaining([
        'events',
        'visit_ips',
        'sessions',
        'visits',
        'company_sessions',
        'daily_stats',
        'form_domains',
        'enriched_sessions',
        'optouts',
        'erasure_requests',
        'privacy_audit',
      ]),
    )
    expect(after.holding).toEqual([])
    // The others are untouched.
    expect(await t.count('events', 'vid IN {v:Array(String)}', { v: [stays, other] })).toBe(3)
    // The opt-out still holds (by hash), and the audit log says what was done.
    expect(t.deps.optouts.has(gone)).toBe(true)
    const [a] = await t.db.query<{ action: string; subject: string; actor: string }>(
      "SELECT action, subject, actor FROM privacy_audit WHERE action = 'erasure'",
    )
    expect(a).toEqual({ action: 'erasure', subject: vidHash(gone), actor: 'visitor' })

    // Recount: the remaining raw events copied to a second site, whose aggregates are
    // built from scratch by the same views. Every report must be the same.
    await t.deps.sites.add('recount.example')
    // (The filter sits in a subquery: in ClickHouse a WHERE would see the replaced site.)
    await t.db.command("INSERT INTO events SELECT * REPLACE ('recount.example' AS site) FROM (SELECT * FROM events WHERE site = 'example.com')")
    // Today's visit rows are in `visits`: the copied events show once they are written again.
    await dayLock.run(() => rollupVisitRows(t.db, today))
    const agent = await t.login()
    expect(await figures(agent, 'example.com')).toEqual(await figures(agent, 'recount.example'))
    expect(((await figures(agent, 'example.com')).summary as { visitors: number }).visitors).toBe(2)
    // Today back to unrolled, as in production (the job rolls up finished days only): the
    // next tests read today's visits from the raw events.
    await t.db.command('TRUNCATE TABLE visit_days')
  })

  it('is idempotent: asking again finds nothing left', async () => {
    const vid = await visitor(ipIn(NETS.comcast), ['/'])
    await t.flush()
    expect(await eraseVisitor(t.db, log, vid, 'visitor', opts())).toMatchObject({ events: 1 })
    expect(await eraseVisitor(t.db, log, vid, 'visitor', opts())).toMatchObject({ events: 0, days_rebuilt: 0 })
  })

  it('completes after a restart that interrupted it half-way', async () => {
    const vid = await visitor(ipIn(NETS.comcast, 3), ['/', '/pricing'])
    await t.flush()
    const agent = await t.login()
    const before = await figures(agent, 'example.com')
    await expect(eraseVisitor(t.db, log, vid, 'admin', { ...opts(), failAfterDeletes: true })).rejects.toThrow(/interrupted/)
    // Deleted, but the figures still count the visitor: the request is not done.
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    const [pending] = await t.db.query<{ status: string }>("SELECT status FROM erasure_requests FINAL WHERE status != 'done'")
    expect(pending?.status).toBe('erasing')
    await t.restart()
    expect(await resumeErasures(t.db, log, { rawRetentionDays: 180 }, 0)).toBe(1)
    expect((await tablesHolding(vid)).holding).toEqual([])
    expect(await t.count('erasure_requests', "status != 'done'")).toBe(0)
    // Its result still counts the two events, deleted before the restart.
    const [done] = await t.db.query<{ result: string }>("SELECT result FROM erasure_requests FINAL WHERE status = 'done' AND vid_hash = {h:String}", {
      h: vidHash(vid),
    })
    expect(JSON.parse(done!.result).events).toBe(2)
    // The resumed erasure rebuilt the day: one visitor and two page views fewer.
    const after = await figures(await t.login(), 'example.com')
    expect((after.summary as { visitors: number }).visitors).toBe((before.summary as { visitors: number }).visitors - 1)
    expect((after.summary as { pageviews: number }).pageviews).toBe((before.summary as { pageviews: number }).pageviews - 2)
  })

  it('refuses a malformed visitor id with 400', async () => {
    await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'application/json')
      .send({ vid: "x' OR 1=1" })
      .expect(400)
  })
})

describe('erasure of finished days', () => {
  it('corrects rolled-up days too: their figures equal a recount without the visitor', async () => {
    // A finished day inside every retention.
    const d = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)
    const ev = (id: string, vid: string, sid: string, time: string, path: string, site = 'example.com') =>
      eventRow({ event_id: id, site, hostname: site, vid, sid, ts: `${d} ${time}`, path, browser_version: '1', os: 'Linux', os_version: '', screen: 0 })
    const gone = rid()
    await t.db.insert('events', [
      ev('r1', gone, 'sess-gone', '10:00:00.000', '/c'),
      ev('r2', gone, 'sess-gone', '10:05:00.000', '/d'),
      ev('r3', 'visitor-stays', 'sess-stays', '11:00:00.000', '/a'),
    ])
    await t.deps.scheduler!.runNow('rollup-visits')
    expect(await t.count('daily_visits', "day = {d:Date} AND site = 'example.com'", { d })).toBe(1)
    await eraseVisitor(t.db, log, gone, 'visitor', { optouts: t.deps.optouts, rawRetentionDays: 3650 })
    // Recount: the day's remaining raw events on a second site, rolled up the same way.
    await t.deps.sites.add('recount2.example')
    await t.db.insert('events', [ev('r9', 'visitor-stays', 'sess-stays', '11:00:00.000', '/a', 'recount2.example')])
    await t.deps.scheduler!.runNow('rollup-visits')
    const agent = await t.login()
    const range = `from=${d}&to=${d}`
    for (const r of ['summary', 'entry-pages', 'pages']) {
      const a = (await agent.get(`/api/stats/${r}?site=example.com&${range}`).expect(200)).body
      const b = (await agent.get(`/api/stats/${r}?site=recount2.example&${range}`).expect(200)).body
      delete a.site
      delete b.site
      expect(a, r).toEqual(b)
    }
  })
})

describe('after erasure', () => {
  it('collects nothing more from the erased visitor id', async () => {
    const vid = await visitor(ipIn(NETS.comcast, 70), ['/'])
    await request(t.app).post('/api/privacy/erase').set('Origin', 'https://example.com').set('Content-Type', 'application/json').send({ vid }).expect(200)
    await send(t.app, pageview({ vid })).expect(202)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
  })
})

describe('see my data', () => {
  it('downloads everything stored for the visitor id, without the IP address', async () => {
    const vid = await visitor(ipIn(NETS.acme, 50), ['/', '/pricing'], { form: 'acme-widgets.example' })
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    const res = await request(t.app).post('/api/privacy/export').type('form').send({ vid }).expect(200)
    expect(res.headers['content-disposition']).toMatch(/attachment/)
    expect(res.body.events.map((e: { path: string }) => e.path)).toEqual(['/', '/pricing'])
    expect(res.body.visits).toEqual([expect.objectContaining({ company: 'Acme Manufacturing B.V.', network_type: 'business' })])
    expect(res.body.form_domains).toEqual([expect.objectContaining({ domain: 'acme-widgets.example' })])
    expect(res.body.ip_addresses.note).toMatch(/not part of this download/)
    expect(JSON.stringify(res.body)).not.toContain(ipIn(NETS.acme, 50))
    const [a] = await t.db.query<{ subject: string }>("SELECT subject FROM privacy_audit WHERE action = 'export' ORDER BY ts DESC LIMIT 1")
    expect(a?.subject).toBe(vidHash(vid))
  })
})

describe('for the operator', () => {
  it('lets an admin export and erase by visitor id, and read the audit log', async () => {
    const vid = await visitor(ipIn(NETS.comcast, 60), ['/', '/about'])
    await t.flush()
    const admin = await t.login()
    expect((await admin.post('/api/admin/export').send({ vid }).expect(200)).body.events).toHaveLength(2)
    // Never in the URL, where a proxy's access log keeps it.
    expect((await admin.get(`/api/admin/export?vid=${vid}`).expect(405)).body.error).toMatch(/POST/)
    expect((await admin.post('/api/admin/erase').send({ vid }).expect(200)).body).toMatchObject({ status: 'done', events: 2 })
    const log = (await admin.get('/api/audit').expect(200)).body.results as Array<{ action: string; actor: string; subject: string }>
    expect(
      log
        .filter((a) => a.subject === vidHash(vid))
        .map((a) => `${a.action}/${a.actor}`)
        .sort(),
    ).toEqual(['erasure/admin', 'export/admin'])
    expect(JSON.stringify(log)).not.toContain(vid)
  })
})

describe('events still in the buffer', () => {
  it('are written and erased with the rest', async () => {
    const vid = rid()
    // A long flush interval: the events are surely still buffered when the erasure comes.
    const { EventWriter } = await import('../../collector/writer.ts')
    const { createApp } = await import('../../server/app.ts')
    const writer = new EventWriter(t.db, { flushIntervalMs: 60_000, flushMaxRows: 1000, journalDir: journalDir(), journalMaxBytes: 1_000_000 }, log)
    const app = createApp({ ...t.deps, writer })
    await send(app, pageview({ vid })).expect(202)
    expect(writer.pending).toBeGreaterThan(0)
    const res = await request(app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'application/json')
      .send({ vid })
      .expect(200)
    expect(res.body.events).toBe(1)
    expect(writer.pending).toBe(0)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
  })
})

describe("the visitor id is a bearer token: kept out of URLs, taken only from the visitor's own sites", () => {
  it('refuses the download by GET with 405, saying to POST the id', async () => {
    const res = await request(t.app).get(`/api/privacy/export?vid=${rid()}`).expect(405)
    expect(res.body.error).toMatch(/POST/)
  })

  it.each([
    ['no Origin (a script, not a browser)', {}],
    ['the Origin of another site', { Origin: 'https://evil.example.net' }],
    ['an Origin that is no URL', { Origin: 'null' }],
  ])('refuses an erasure request with %s', async (_name, headers) => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    const res = await request(t.app).post('/api/privacy/erase').set(headers).set('Content-Type', 'application/json').send({ vid }).expect(403)
    expect(res.body.field).toBe('origin')
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(1)
  })

  it("accepts one from a registered site's page and from Spoor's own", async () => {
    const vid = rid()
    await send(t.app, pageview({ vid })).expect(202)
    await request(t.app).post('/api/privacy/erase').set('Origin', 'https://www.example.com').set('Content-Type', 'application/json').send({ vid }).expect(200)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', t.deps.config.publicUrl)
      .set('Content-Type', 'application/json')
      .send({ vid: rid() })
      .expect(200)
  })
})
