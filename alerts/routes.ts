// The alerts' API: triggers and their deliveries (admins), each user's mail settings,
// and the digest's unsubscribe page (no login: the token in the link is the key).
import { randomBytes } from 'node:crypto'
import express, { Router } from 'express'
import { z } from 'zod'
import { requireAdmin, type Users } from '../auth/users.ts'
import type { DeliveryList, MailSettings, Ok, Trigger, TriggerList, WebhookBody } from '../lib/api-types.ts'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { escapeHtml } from '../lib/html.ts'
import type { Sites } from '../lib/sites.ts'
import { limitParam, parseOr400 } from '../lib/validate.ts'
import { enqueue, listDeliveries, randomDeliveryId, resend } from './deliveries.ts'
import { deliveriesOf } from './fire.ts'
import { LANGS } from './messages.ts'
import { getTrigger, listTriggers, MAX_TRIGGERS, saveTrigger, TriggerBody, TriggerPatch } from './triggers.ts'

export interface AlertDeps {
  db: Db
  sites: Sites
  users: Users
  publicUrl: string
}

const ID = /^[0-9a-f]{16}$/
const DELIVERY_ID = /^[0-9a-f]{32}$/

const MailBody = z
  .object({
    digest: z.enum(['off', 'daily', 'weekly'], { message: 'digest must be off, daily or weekly' }),
    lang: z.enum(LANGS, { message: `lang must be one of ${LANGS.join(', ')}` }),
  })
  .strict()

const DeliveryQuery = z.object({
  site: z.string().max(253).optional(),
  limit: limitParam(1000),
})

async function mailSettings(db: Db, email: string): Promise<MailSettings & { token: string }> {
  const [r] = await db.query<{ frequency: MailSettings['digest']; lang: MailSettings['lang']; token: string }>(
    'SELECT frequency, lang, token FROM mail_settings FINAL WHERE email = {email:String}',
    { email },
  )
  return { digest: r?.frequency ?? 'off', lang: r?.lang ?? 'en', token: r?.token ?? '' }
}

/** Owners named in assign actions must be dashboard users. */
async function checkOwners(users: Users, actions: Trigger['actions']): Promise<void> {
  const owners = actions.flatMap((a) => (a.type === 'assign' ? [a.owner] : []))
  if (owners.length === 0) return
  const known = new Set((await users.list()).map((u) => u.email))
  const missing = owners.find((o) => !known.has(o))
  if (missing) throw new HttpError(400, `assign: ${missing} is not a dashboard user`, 'actions')
}

export function alertsRouter(deps: AlertDeps): Router {
  const r = Router()
  const json = express.json({ limit: '32kb' })
  const found = async (id: string) => {
    if (!ID.test(id)) throw new HttpError(400, 'a trigger id is 16 hexadecimal characters', 'id')
    const t = await getTrigger(deps.db, id)
    if (!t) throw new HttpError(404, 'no such trigger', 'id')
    return t
  }

  r.get('/api/triggers', requireAdmin, async (req, res) => {
    const site = typeof req.query.site === 'string' ? deps.sites.registered(req.query.site) : undefined
    res.json({ results: await listTriggers(deps.db, { site }) } satisfies TriggerList)
  })
  r.post('/api/triggers', requireAdmin, json, async (req, res) => {
    const b = parseOr400(TriggerBody, req.body)
    // A site in the body: an unknown one is a bad request (400), not a missing page.
    const site = deps.sites.registered(b.site, 400)
    await checkOwners(deps.users, b.actions)
    if ((await listTriggers(deps.db)).length >= MAX_TRIGGERS) throw new HttpError(400, `at most ${MAX_TRIGGERS} triggers`)
    const t = await saveTrigger(deps.db, { ...b, site, created_by: req.user!.email })
    res.status(201).json(t satisfies Trigger)
  })
  r.patch('/api/triggers/:id', requireAdmin, json, async (req, res) => {
    const t = await found(String(req.params.id))
    const b = parseOr400(TriggerPatch, req.body)
    if (b.actions) await checkOwners(deps.users, b.actions)
    const next = await saveTrigger(deps.db, { ...t, ...b })
    res.json(next satisfies Trigger)
  })
  r.delete('/api/triggers/:id', requireAdmin, async (req, res) => {
    const t = await found(String(req.params.id))
    await saveTrigger(deps.db, t, true)
    res.json({ ok: true } satisfies Ok)
  })
  // A test of the trigger's webhooks, Slack messages and e-mails: an example company and
  // visit, marked `test: true`, through the same queue and signatures as a real fire.
  r.post('/api/triggers/:id/test', requireAdmin, async (req, res) => {
    const t = await found(String(req.params.id))
    const now = new Date()
    const body = (delivery: string): WebhookBody => ({
      delivery,
      trigger: { id: t.id, name: t.name },
      site: t.site,
      company: {
        id: '0000000000000000',
        name: 'Example B.V.',
        domain: 'example.com',
        country: 'NL',
        city: 'Utrecht',
        industry: 'Software',
        employees: '10-49',
      },
      visit: {
        started: now.toISOString(),
        source: 'Google',
        pages: [{ path: t.when.pages?.[0]?.replace(/\*/g, '') || '/', at: now.toISOString() }],
        lead_score: 50,
      },
      dashboard_url: `${deps.publicUrl}/companies`,
      test: true,
    })
    const out = deliveriesOf(t, { site: t.site, trigger_id: t.id, trigger_name: t.name }, body, randomDeliveryId, () => 'en', 'UTC')
    if (out.length === 0) throw new HttpError(400, 'this trigger sends nothing to test (only tag and assign actions)')
    await enqueue(deps.db, out)
    res.status(202).json({ queued: out.map((d) => d.id) })
  })

  r.get('/api/deliveries', requireAdmin, async (req, res) => {
    const q = parseOr400(DeliveryQuery, req.query, 'query')
    const site = q.site ? deps.sites.registered(q.site) : undefined
    res.json({ results: await listDeliveries(deps.db, { site, limit: q.limit ?? 100 }) } satisfies DeliveryList)
  })
  r.post('/api/deliveries/:id/resend', requireAdmin, async (req, res) => {
    const id = String(req.params.id)
    if (!DELIVERY_ID.test(id)) throw new HttpError(400, 'a delivery id is 32 hexadecimal characters', 'id')
    const out = await resend(deps.db, id)
    if (out === 'none') throw new HttpError(404, 'no such delivery (deliveries are kept 30 days)', 'id')
    if (out === 'emptied') throw new HttpError(409, "a digest's text is not kept once it was delivered: the next digest comes as scheduled", 'id')
    res.status(202).json({ ok: true } satisfies Ok)
  })

  r.get('/api/me/mail', async (req, res) => {
    const { token: _token, ...s } = await mailSettings(deps.db, req.user!.email)
    res.json(s satisfies MailSettings)
  })
  r.put('/api/me/mail', json, async (req, res) => {
    const b = parseOr400(MailBody, req.body)
    const email = req.user!.email
    // One token per user, kept across changes: an older digest's link keeps working.
    const token = (await mailSettings(deps.db, email)).token || randomBytes(24).toString('base64url')
    await deps.db.insert('mail_settings', [{ email, frequency: b.digest, lang: b.lang, token }])
    res.json(b satisfies MailSettings)
  })
  return r
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:32em;margin:3em auto">${body}</body></html>`

/**
 * The digest's unsubscribe link. GET shows a button (mail scanners open links; only a
 * POST unsubscribes); POST turns the digest off, also as RFC 8058's one-click POST.
 */
export function unsubscribeRouter(db: Db): Router {
  const r = Router()
  const tokenOf = (v: unknown) => {
    if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(v))
      throw new HttpError(400, 'this unsubscribe link is incomplete: copy the whole link from the e-mail')
    return v
  }
  const owner = async (token: string) => {
    const [row] = await db.query<{ email: string; lang: string }>('SELECT email, lang FROM mail_settings FINAL WHERE token = {token:String}', { token })
    if (!row) throw new HttpError(404, 'this unsubscribe link is not known (the account may have been removed)')
    return row
  }
  r.get('/digest/unsubscribe', async (req, res) => {
    const token = tokenOf(req.query.token)
    await owner(token)
    res
      .type('html')
      .send(
        page(
          'Unsubscribe',
          `<p>Stop the Spoor digest e-mails?</p><form method="post" action="/digest/unsubscribe?token=${escapeHtml(token)}"><button type="submit">Unsubscribe</button></form>`,
        ),
      )
  })
  r.post('/digest/unsubscribe', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const token = tokenOf(req.query.token)
    const row = await owner(token)
    await db.insert('mail_settings', [{ email: row.email, frequency: 'off', lang: row.lang, token }])
    res.type('html').send(page('Unsubscribed', '<p>You will get no more digest e-mails. You can choose a digest again in your account settings.</p>'))
  })
  return r
}
