// Triggers end to end: page views from company and consumer networks (X-Forwarded-For
// from a trusted loopback proxy, fixture IP data), the enrichment job, the triggers job,
// and what a local webhook receiver and a real SMTP server get.
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { queueDigests } from '../../alerts/digest.ts'
import { enqueue } from '../../alerts/deliveries.ts'
import type { Delivery, WebhookBody } from '../../lib/api-types.ts'
import { localDay } from '../../lib/timezone.ts'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { ipIn, NETS } from '../helpers/intel.ts'
import { type MailBox, type Receiver, smtpServer, webhookReceiver } from '../helpers/receivers.ts'

const SECRET = 'a webhook secret of some length'
const SALES = { email: 'sales@example.com', password: 'sales team password' }

let t: TestApp
let admin: Awaited<ReturnType<TestApp['login']>>
let hook: Receiver
let mail: MailBox

beforeAll(async () => {
  mail = await smtpServer()
  t = await makeApp({
    TRUST_PROXY: 'loopback',
    PUBLIC_URL: 'http://stats.example.com',
    SMTP_URL: mail.url,
    MAIL_FROM: 'Spoor <alerts@stats.example.com>',
    DELIVERY_FIRST_RETRY_SECONDS: '1',
  })
  admin = await t.login()
  await t.deps.users.upsert(SALES.email, SALES.password, 'viewer')
})
afterAll(async () => {
  await t.close()
  await mail.close()
})
beforeEach(async () => {
  await t.reset()
  for (const table of [
    'enriched_sessions',
    'companies',
    'company_visits',
    'company_inbox_fields',
    'triggers',
    'trigger_fires',
    'deliveries',
    'mail_settings',
  ]) {
    await t.db.command('TRUNCATE TABLE {t:Identifier}', { t: table })
  }
  hook = await webhookReceiver(SECRET)
  mail.mails.length = 0
  return () => hook.close()
})

/** One visit: the pages in order, from `ip`. */
async function visit(ip: string, paths: string[], ids = { vid: rid(), sid: rid() }) {
  for (const path of paths) {
    await send(t.app, pageview({ ...ids, url: `https://example.com${path}` }), { 'X-Forwarded-For': ip }).expect(202)
  }
  return ids
}

/** The pipeline as the scheduler runs it: enrichment, then the triggers job (which sends what is due). */
async function runJobs() {
  await t.flush()
  for (const job of ['enrich-visits', 'triggers']) {
    const s = await t.deps.scheduler!.runNow(job)
    expect(s.last_error, job).toBeNull()
  }
  // The triggers job starts sending and does not wait: this waits for that pass.
  await t.deps.deliverer!.runOnce()
}

const trigger = async (over: Record<string, unknown> = {}) =>
  (
    await admin
      .post('/api/triggers')
      .send({
        name: 'Pricing readers',
        site: 'example.com',
        when: { pages: ['/tarieven*'] },
        actions: [{ type: 'webhook', url: hook.url, secret: SECRET }],
        ...over,
      })
      .expect(201)
  ).body as { id: string }

const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

const deliveries = async () => (await admin.get('/api/deliveries?site=example.com').expect(200)).body.results as Delivery[]

describe('triggers fire on company visits only', () => {
  it('a company reading a matching page gets one signed webhook with the documented body; consumer, mobile, hosting and person networks send nothing', async () => {
    const tr = await trigger()
    await visit(ipIn(NETS.acme), ['/', '/tarieven/zakelijk'])
    await visit(ipIn(NETS.comcast), ['/tarieven'])
    await visit(ipIn(NETS.mobile), ['/tarieven'])
    await visit(ipIn(NETS.cloud), ['/tarieven'])
    await visit(ipIn(NETS.person), ['/tarieven'])
    await runJobs()

    expect(hook.received).toHaveLength(1)
    const got = hook.received[0]!
    expect(got.signed).toBe(true)
    const body = JSON.parse(got.raw) as WebhookBody
    expect(got.headers['x-spoor-delivery']).toBe(body.delivery)
    expect(Object.keys(body).sort()).toEqual(['company', 'dashboard_url', 'delivery', 'site', 'trigger', 'visit'])
    expect(body.trigger).toEqual({ id: tr.id, name: 'Pricing readers' })
    expect(body.site).toBe('example.com')
    expect(body.company).toMatchObject({ name: 'Acme Manufacturing B.V.', country: 'NL', city: 'Utrecht' })
    expect(Object.keys(body.company).sort()).toEqual(['city', 'country', 'domain', 'employees', 'id', 'industry', 'name'])
    expect(body.visit.pages.map((p) => p.path)).toEqual(['/', '/tarieven/zakelijk'])
    expect(body.visit.source).toBe('Direct / None')
    expect(body.visit.lead_score).toBeGreaterThan(0)
    expect(body.dashboard_url).toBe(`http://stats.example.com/companies/${body.company.id}?site=example.com`)
    // No visitor id, session id or address anywhere in what left.
    const ids = await t.db.query<{ vid: string; sid: string }>("SELECT DISTINCT vid, sid FROM events WHERE site = 'example.com'")
    for (const r of ids) {
      expect(got.raw).not.toContain(r.vid)
      expect(got.raw).not.toContain(r.sid)
    }
    expect(got.raw).not.toContain(ipIn(NETS.acme))
    expect(got.raw).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/)
    const [d] = await deliveries()
    expect(d).toMatchObject({ id: body.delivery, kind: 'webhook', status: 'delivered', attempts: 1, last_code: 200 })
  })

  it('fires at most once per company, trigger and day, however many matching visits follow', async () => {
    await trigger()
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    await visit(ipIn(NETS.acme, 11), ['/tarieven'])
    await visit(ipIn(NETS.acme, 12), ['/tarieven/extra'])
    await runJobs()
    await runJobs()
    expect(hook.received).toHaveLength(1)
    expect(await deliveries()).toHaveLength(1)
  })

  it("records a fire on the site's local day, not the UTC day", async () => {
    // A zone whose day is not UTC's now: UTC+14 from 10:00 UTC on, else UTC-12 (before 12:00 UTC).
    const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Etc/GMT+12'
    expect(localDay(zone)).not.toBe(localDay('UTC'))
    await admin.patch('/api/sites/example.com').send({ timezone: zone }).expect(200)
    try {
      await trigger()
      await visit(ipIn(NETS.acme), ['/tarieven'])
      await runJobs()
      const [fire] = await t.db.query<{ day: string }>('SELECT toString(day) AS day FROM trigger_fires')
      expect(fire!.day).toBe(localDay(zone))
    } finally {
      await admin.patch('/api/sites/example.com').send({ timezone: 'UTC' }).expect(200)
    }
  })

  it('a fire that died after queueing its deliveries and before recording itself sends nothing twice when run again', async () => {
    await trigger()
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    // The fire's record gone, as if the run had died just before writing it.
    await t.db.command('TRUNCATE TABLE trigger_fires')
    await runJobs()
    expect(hook.received).toHaveLength(1)
    expect(await deliveries()).toHaveLength(1)
    expect(await t.count('trigger_fires')).toBe(1)
  })

  it('a visit that reaches the page after it was decided fires on the next run', async () => {
    await trigger()
    const ids = await visit(ipIn(NETS.acme), ['/', '/about'])
    await runJobs()
    expect(hook.received).toHaveLength(0)
    await visit(ipIn(NETS.acme), ['/tarieven'], ids)
    await runJobs()
    expect(hook.received).toHaveLength(1)
    expect((JSON.parse(hook.received[0]!.raw) as WebhookBody).visit.pages.map((p) => p.path)).toEqual(['/', '/about', '/tarieven'])
  })

  it('company conditions: a trigger for another country, a higher lead score or more visits does not fire; a disabled trigger neither', async () => {
    await trigger({ name: 'Germans', when: { countries: ['de'] } })
    await trigger({ name: 'Hot leads', when: { min_lead_score: 90 } })
    await trigger({ name: 'Regulars', when: { min_visits: 3 } })
    await trigger({ name: 'Off', enabled: false, when: {} })
    const nl = await trigger({ name: 'Dutch businesses', when: { countries: ['nl'], network_types: ['business'], first_visit_only: true } })
    await visit(ipIn(NETS.acme), ['/', '/tarieven'])
    await runJobs()
    expect(hook.received.map((r) => (JSON.parse(r.raw) as WebhookBody).trigger.id)).toEqual([nl.id])
  })

  it("first_visit_only fires on a company's first visit, not on a later day's", async () => {
    const firstOnly = await trigger({ when: { first_visit_only: true } })
    const first = await visit(ipIn(NETS.acme), ['/'])
    await runJobs()
    expect(hook.received).toHaveLength(1)
    // That visit moved to last week, as if today were a later day: today's visit is not the first.
    const [row] = await t.db.query<{ id: string }>('SELECT company_id AS id FROM company_visits FINAL LIMIT 1')
    const id = row!.id
    await t.db.insert('company_visits', [
      {
        site: 'example.com',
        company_id: id,
        day: isoDay(-7),
        visits: 1,
        pageviews: 1,
        pages: ['/'],
        first_seen: `${isoDay(-7)} 10:00:00.000`,
        last_seen: `${isoDay(-7)} 10:00:00.000`,
        duration: 0,
      },
    ])
    for (const table of ['events', 'enriched_sessions'])
      await t.db.command(`ALTER TABLE ${table} DELETE WHERE sid = {sid:String} SETTINGS mutations_sync = 2`, { sid: first.sid })
    await t.db.command('TRUNCATE TABLE trigger_fires')
    await visit(ipIn(NETS.acme, 11), ['/tarieven'])
    await runJobs()
    // Not fired (a fire of the same day would also find its delivery queued: its id is the
    // day's), while the same trigger without first_visit_only fires on a new visit (the control).
    expect(await t.count('trigger_fires')).toBe(0)
    const control = await trigger({ name: 'Control', when: {} })
    await visit(ipIn(NETS.acme, 12), ['/tarieven'])
    await runJobs()
    const fired = await t.db.query<{ trigger_id: string }>('SELECT trigger_id FROM trigger_fires')
    expect(fired.map((f) => f.trigger_id)).toEqual([control.id])
    expect(fired.map((f) => f.trigger_id)).not.toContain(firstOnly.id)
  })
})

describe('the inbox in triggers', () => {
  const companies = async () =>
    (await admin.get('/api/companies?site=example.com').expect(200)).body.results as Array<{ id: string; owner: string | null; tags: string[] }>

  it("tag and assign actions set the company's inbox row; an owner removed since does not stop the other actions", async () => {
    await t.deps.users.upsert('gone@example.com', 'a password long enough', 'viewer')
    await trigger({
      actions: [
        { type: 'assign', owner: 'gone@example.com' },
        { type: 'tag', tag: 'hot lead' },
        { type: 'webhook', url: hook.url, secret: SECRET },
      ],
    })
    await admin.delete('/api/users/gone@example.com').expect(200)
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    expect(hook.received).toHaveLength(1)
    const [c] = await companies()
    expect(c).toMatchObject({ tags: ['hot lead'] })
    expect(c!.owner ?? '').toBe('')
    await trigger({ name: 'Assign', when: {}, actions: [{ type: 'assign', owner: SALES.email }] })
    await visit(ipIn(NETS.acme, 11), ['/'])
    await runJobs()
    expect((await companies())[0]).toMatchObject({ owner: SALES.email, tags: ['hot lead'] })
    const [row] = await t.db.query<{ updated_by: string }>('SELECT updated_by FROM company_inbox')
    expect(row!.updated_by).toMatch(/^trigger:[0-9a-f]{16}$/)
  })

  it('status and tags conditions follow the inbox: the company fires once a sales user marks it so', async () => {
    await trigger({ when: { status: 'follow_up', tags: ['key account'] } })
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    expect(hook.received).toHaveLength(0)
    const [c] = await companies()
    const sales = await t.login(undefined, SALES)
    await sales.patch(`/api/companies/${c!.id}?site=example.com`).send({ status: 'follow_up' }).expect(200)
    await runJobs()
    expect(hook.received).toHaveLength(0)
    await sales
      .patch(`/api/companies/${c!.id}?site=example.com`)
      .send({ tags: ['Key Account'] })
      .expect(200)
    await runJobs()
    expect(hook.received).toHaveLength(1)
  })
})

describe('privacy', () => {
  it("a visitor's erasure deletes the alerts that tell of their visits from disk, sent or waiting", async () => {
    await trigger()
    await trigger({ name: 'Also', actions: [{ type: 'webhook', url: hook.url, secret: SECRET }] })
    hook.answers.push(500)
    const gone = await visit(ipIn(NETS.acme), ['/tarieven'])
    await visit(ipIn(NETS.university), ['/tarieven'])
    await runJobs()
    expect((await deliveries()).map((d) => d.status).sort()).toEqual(['delivered', 'delivered', 'delivered', 'pending'])
    expect(await t.count('deliveries', 'sid = {sid:String}', { sid: gone.sid })).toBeGreaterThan(0)
    await admin.post('/api/admin/erase').send({ vid: gone.vid }).expect(200)
    // Every version of the rows, masked or not: gone from the parts.
    const [left] = await t.db.query<{ n: string; sids: string[] }>(
      'SELECT count() AS n, groupUniqArray(sid) AS sids FROM deliveries SETTINGS apply_deleted_mask = 0',
    )
    expect(Number(left!.n)).toBeGreaterThan(0)
    expect(left!.sids).not.toContain(gone.sid)
    expect((await deliveries()).map((d) => d.status)).toEqual(['delivered', 'delivered'])
  })
})

describe('erasure during sending', () => {
  it('an alert in flight when its visitor is erased is not written back, and not sent again', async () => {
    await trigger()
    hook.answers.push({ after: 1500, status: 500 })
    const gone = await visit(ipIn(NETS.acme), ['/tarieven'])
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    await t.deps.scheduler!.runNow('triggers')
    await hook.waitFor(1)
    await admin.post('/api/admin/erase').send({ vid: gone.vid }).expect(200)
    await t.deps.deliverer!.runOnce()
    expect(await t.count('deliveries', 'sid = {sid:String} SETTINGS apply_deleted_mask = 0', { sid: gone.sid })).toBe(0)
    await t.deps.deliverer!.runOnce(Date.now() + 60_000)
    expect(hook.received).toHaveLength(1)
  })

  it('an alert a fire queued for a visit erased meanwhile is deleted, never sent', async () => {
    const gone = await visit(ipIn(NETS.acme), ['/tarieven'])
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    // As if a fire had read the visit just before its erasure: the decision is gone, the alert queued.
    await t.db.command('ALTER TABLE enriched_sessions DELETE WHERE sid = {sid:String} SETTINGS mutations_sync = 2', { sid: gone.sid })
    await enqueue(t.db, [
      { id: 'a'.repeat(32), site: 'example.com', trigger_id: '', trigger_name: 'x', sid: gone.sid, kind: 'webhook', target: hook.url, body: '{}' },
    ])
    await t.deps.deliverer!.runOnce()
    expect(hook.received).toHaveLength(0)
    expect(await t.count('deliveries', 'sid = {sid:String} SETTINGS apply_deleted_mask = 0', { sid: gone.sid })).toBe(0)
  })
})

describe('webhook delivery', () => {
  const queueTest = async () => {
    const tr = await trigger()
    const { queued } = (await admin.post(`/api/triggers/${tr.id}/test`).expect(202)).body as { queued: string[] }
    return queued[0]!
  }

  it('retries a failing receiver (500, reset connection) with backoff, with the same delivery id and body, until it answers 2xx', async () => {
    const id = await queueTest()
    hook.answers.push(500, 'reset')
    const now = Date.now()
    await t.deps.deliverer!.runOnce(now)
    expect((await deliveries())[0]).toMatchObject({ id, status: 'pending', attempts: 1, last_code: 500, last_error: 'answered HTTP 500' })
    // Not due yet: the first retry waits DELIVERY_FIRST_RETRY_SECONDS (1 s here).
    expect(await t.deps.deliverer!.runOnce(now + 500)).toBe(0)
    await t.deps.deliverer!.runOnce(now + 1_500)
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 2, last_code: null })
    expect((await deliveries())[0]!.last_error).toMatch(/connection/)
    // The second retry waits 3 times as long.
    expect(await t.deps.deliverer!.runOnce(now + 3_000)).toBe(0)
    await t.deps.deliverer!.runOnce(now + 6_000)
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 3, last_code: 200, last_error: '' })
    expect(hook.received).toHaveLength(3)
    expect(new Set(hook.received.map((r) => r.headers['x-spoor-delivery']))).toEqual(new Set([id]))
    expect(new Set(hook.received.map((r) => r.raw)).size).toBe(1)
    expect(hook.received.every((r) => r.signed)).toBe(true)
    expect((JSON.parse(hook.received[0]!.raw) as WebhookBody).test).toBe(true)
  })

  it('a receiver that does not answer within 10 s is a failed attempt', { timeout: 30_000 }, async () => {
    await queueTest()
    hook.answers.push('hang')
    const started = Date.now()
    await t.deps.deliverer!.runOnce()
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_900)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'no answer within 10 s' })
  })

  it('gives up 24 hours after the delivery was made, and Settings can send it again', async () => {
    const id = await queueTest()
    hook.answers.push(503, 503)
    await t.deps.deliverer!.runOnce()
    await t.deps.deliverer!.runOnce(Date.now() + 24 * 3600_000)
    expect((await deliveries())[0]).toMatchObject({ id, status: 'failed', attempts: 2, last_code: 503 })
    await admin.post(`/api/deliveries/${id}/resend`).expect(202)
    expect((await deliveries())[0]).toMatchObject({ id, status: 'pending', attempts: 0 })
    await t.deps.deliverer!.runOnce(Date.now() + 1000)
    expect((await deliveries())[0]).toMatchObject({ id, status: 'delivered' })
    expect(hook.received.map((r) => r.headers['x-spoor-delivery'])).toEqual([id, id, id])
  })

  it('does not follow a redirect: the body goes only to the URL the trigger names', async () => {
    const elsewhere = await webhookReceiver(SECRET)
    try {
      const id = await queueTest()
      // A 307 keeps the method and body: a sender that followed it would POST the alert there.
      hook.answers.push({ status: 307, headers: { location: elsewhere.url } })
      await t.deps.deliverer!.runOnce()
      expect((await deliveries())[0]).toMatchObject({ id, status: 'pending', last_code: 307, last_error: 'answered HTTP 307' })
      expect(hook.received).toHaveLength(1)
      expect(elsewhere.received).toHaveLength(0)
    } finally {
      await elsewhere.close()
    }
  })

  it('a resend while an attempt is in flight wins: the attempt does not overwrite it', async () => {
    const id = await queueTest()
    hook.answers.push({ after: 1500, status: 500 })
    const attempt = t.deps.deliverer!.runOnce()
    await hook.waitFor(1)
    await admin.post(`/api/deliveries/${id}/resend`).expect(202)
    await attempt
    expect((await deliveries())[0]).toMatchObject({ id, status: 'pending', attempts: 0, last_code: null })
  })

  it('a Slack action posts a Slack incoming-webhook message naming the company, the pages and a link', async () => {
    await trigger({ actions: [{ type: 'slack', url: hook.url }] })
    await visit(ipIn(NETS.acme), ['/', '/tarieven'])
    await runJobs()
    expect(hook.received).toHaveLength(1)
    const msg = JSON.parse(hook.received[0]!.raw) as { text: string; blocks: Array<{ type: string; text: { type: string; text: string } }> }
    expect(msg.text).toContain('Acme Manufacturing B.V.')
    expect(msg.blocks[0]!.text.type).toBe('mrkdwn')
    expect(msg.blocks[0]!.text.text).toContain('`/tarieven`')
    expect(msg.blocks[0]!.text.text).toMatch(/<http:\/\/stats\.example\.com\/companies\/[0-9a-f]{16}\?site=example\.com\|/)
    expect(hook.received[0]!.headers['x-spoor-signature']).toBeUndefined()
  })
})

describe('e-mail', () => {
  it('an e-mail action sends an HTML and a text part over SMTP, in the language the user chose', async () => {
    const sales = await t.login(undefined, SALES)
    await sales.put('/api/me/mail').send({ digest: 'off', lang: 'nl' }).expect(200)
    await trigger({ actions: [{ type: 'email', to: [SALES.email, 'boss@example.org'] }] })
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    expect(mail.mails).toHaveLength(2)
    const byTo = new Map(mail.mails.map((m) => [m.envelopeTo[0], m]))
    const nl = byTo.get(SALES.email)!
    expect(nl.from?.value[0]).toMatchObject({ name: 'Spoor', address: 'alerts@stats.example.com' })
    expect(nl.subject).toBe('Acme Manufacturing B.V. bezoekt example.com')
    expect(nl.text).toContain('/tarieven')
    expect(nl.html).toContain('Openen in Spoor')
    expect(byTo.get('boss@example.org')!.subject).toBe('Acme Manufacturing B.V. is visiting example.com')
  })

  it('a refused mail is retried like a webhook', async () => {
    await trigger({ actions: [{ type: 'email', to: ['boss@example.org'] }] })
    mail.refuse = 1
    await visit(ipIn(NETS.acme), ['/tarieven'])
    await runJobs()
    expect(mail.mails).toHaveLength(0)
    expect((await deliveries())[0]).toMatchObject({ kind: 'email', status: 'pending', last_code: 451 })
    await t.deps.deliverer!.runOnce(Date.now() + 1_500)
    expect(mail.mails).toHaveLength(1)
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 })
  })

  it('the daily digest lists the companies with pages and links, and its unsubscribe link turns it off', async () => {
    const sales = await t.login(undefined, SALES)
    await sales.put('/api/me/mail').send({ digest: 'daily', lang: 'en' }).expect(200)
    await visit(ipIn(NETS.acme), ['/', '/tarieven'])
    await visit(ipIn(NETS.comcast), ['/'])
    await runJobs()
    // Tomorrow morning's run: today is its "yesterday".
    const tomorrow = new Date(Date.now() + 24 * 3600_000)
    expect(await queueDigests(t.db, 'http://stats.example.com', 'daily', tomorrow)).toBe(1)
    expect(await queueDigests(t.db, 'http://stats.example.com', 'daily', tomorrow)).toBe(0)
    await t.deps.deliverer!.runOnce(tomorrow.getTime())
    expect(mail.mails).toHaveLength(1)
    // Sent: its text (many visits' pages) is not kept, and cannot be resent.
    const [digest] = (await admin.get('/api/deliveries').expect(200)).body.results as Delivery[]
    expect(digest).toMatchObject({ kind: 'email', status: 'delivered', trigger_name: 'daily digest' })
    expect(await t.count('deliveries', "body != '' SETTINGS apply_deleted_mask = 0")).toBe(0)
    await admin.post(`/api/deliveries/${digest!.id}/resend`).expect(409)
    const m = mail.mails[0]!
    expect(m.subject).toBe('Spoor: 1 company yesterday')
    expect(m.text).toContain('Acme Manufacturing B.V.')
    expect(m.text).toContain('/tarieven')
    expect(m.text).toContain('new')
    expect(m.html).toMatch(/href="http:\/\/stats\.example\.com\/companies\/[0-9a-f]{16}\?site=example\.com/)
    // The raw header lines (mailparser parses List-* headers into an object).
    const line = (key: string) => m.headerLines.find((l) => l.key === key)?.line ?? ''
    const link = /<(http:\/\/stats\.example\.com\/digest\/unsubscribe\?token=[\w-]+)>/.exec(line('list-unsubscribe'))![1]!
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const path = link.replace('http://stats.example.com', '')
    // Opening the link only asks (mail scanners open links); the POST unsubscribes.
    expect((await request(t.app).get(path).expect(200)).text).toContain('<form method="post"')
    expect((await sales.get('/api/me/mail').expect(200)).body).toEqual({ digest: 'daily', lang: 'en' })
    await request(t.app).post(path).type('form').send('List-Unsubscribe=One-Click').expect(200)
    expect((await sales.get('/api/me/mail').expect(200)).body).toEqual({ digest: 'off', lang: 'en' })
    await request(t.app).get('/digest/unsubscribe?token=not-a-known-token-at-all').expect(404)
  })
})

describe('the triggers API', () => {
  it.each([
    [{ actions: [{ type: 'fax', number: '1' }] }, 'actions.0.type'],
    [{ actions: [{ type: 'webhook', url: 'https://example.org/hook' }] }, 'actions.0.secret'],
    [{ actions: [{ type: 'webhook', url: 'https://example.org/hook', secret: 'short' }] }, 'actions.0.secret'],
    [{ actions: [{ type: 'webhook', url: 'ftp://example.org/hook', secret: SECRET }] }, 'actions.0.url'],
    [{ actions: [{ type: 'email', to: ['not an address'] }] }, 'actions.0.to.0'],
    [{ actions: [] }, 'actions'],
    [{ when: { pages: ['tarieven'] } }, 'when.pages.0'],
    [{ when: { min_lead_score: 101 } }, 'when.min_lead_score'],
    [{ when: { countries: ['Netherlands'] } }, 'when.countries.0'],
    [{ when: { status: 'hot' } }, 'when.status'],
    [{ when: { colour: 'red' } }, 'when'],
    [{ site: 'unknown.example' }, 'site'],
    [{ actions: [{ type: 'tag', tag: 'bad\u0007tag' }] }, 'actions.0.tag'],
    [{ actions: [{ type: 'tag', tag: 'x'.repeat(41) }] }, 'actions.0.tag'],
    [{ when: { tags: ['bad\ntag'] } }, 'when.tags.0'],
    [{ actions: [{ type: 'assign', owner: 'nobody@example.com' }] }, 'actions'],
  ])('refuses a bad trigger with a 400 naming the field (%j)', async (over, field) => {
    const res = await admin
      .post('/api/triggers')
      .send({ name: 'x', site: 'example.com', actions: [{ type: 'webhook', url: hook.url, secret: SECRET }], ...over })
      .expect(400)
    expect(res.body.field).toBe(field)
    expect(res.body.error).toEqual(expect.any(String))
  })

  it('takes the site as any of its spellings and an owner in any case, and stores them as the rest of Spoor does', async () => {
    const res = await admin
      .post('/api/triggers')
      .send({ name: 'x', site: 'WWW.Example.com', actions: [{ type: 'assign', owner: SALES.email.toUpperCase() }] })
      .expect(201)
    expect(res.body).toMatchObject({ site: 'example.com', actions: [{ type: 'assign', owner: SALES.email }] })
  })

  it('lists, changes and deletes triggers; only admins manage them', async () => {
    const tr = await trigger()
    expect((await admin.get('/api/triggers').expect(200)).body.results).toHaveLength(1)
    const changed = (
      await admin
        .patch(`/api/triggers/${tr.id}`)
        .send({ enabled: false, when: { min_visits: 2 } })
        .expect(200)
    ).body
    expect(changed).toMatchObject({ id: tr.id, enabled: false, when: { min_visits: 2 }, name: 'Pricing readers' })
    expect((await admin.get('/api/triggers').expect(200)).body.results[0]).toMatchObject({ enabled: false })
    const sales = await t.login(undefined, SALES)
    await sales.get('/api/triggers').expect(403)
    await sales.post('/api/triggers').send({}).expect(403)
    await sales.get('/api/deliveries').expect(403)
    await admin.patch('/api/triggers/0123456789abcdef').send({ enabled: true }).expect(404)
    await admin.patch('/api/triggers/nope').send({ enabled: true }).expect(400)
    await admin.delete(`/api/triggers/${tr.id}`).expect(200)
    expect((await admin.get('/api/triggers').expect(200)).body.results).toHaveLength(0)
    await admin.put('/api/me/mail').send({ digest: 'hourly', lang: 'en' }).expect(400)
  })
})
