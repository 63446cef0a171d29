// The delivery queue: webhooks, Slack messages and e-mails are written to `deliveries`
// (sql/021) before anything is sent, and the deliverer, in the process that runs the
// jobs, sends whatever is due. A failed attempt is retried with backoff for 24 hours; a
// restart or a crash loses nothing (the row is still pending), at worst an attempt is
// repeated, which the receiver recognises by X-Spoor-Delivery.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { applyDeletedMask, chTime, type Db, isoOf, msOf } from '../lib/db.ts'
import { errorFields } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { Delivery } from '../lib/api-types.ts'
import type { Mailer } from './mail.ts'

/** A receiver answers within this, or the attempt failed (issue 17). */
export const RECEIVER_TIMEOUT_MS = 10_000
/** Retries stop this long after the delivery was made (or resent). */
export const GIVE_UP_MS = 24 * 3600_000
// Delays after each failed attempt, as multiples of the first (10 s by default:
// 10 s, 30 s, 1 min, 3 min, 10 min, 30 min, 1 h, then every 2 h until 24 h: 19 attempts in all).
const BACKOFF = [1, 3, 6, 18, 60, 180, 360, 720] as const
// Sent at once per pass; one slow receiver (10 s) does not hold up the others for long.
const PARALLEL = 4
const BATCH = 100

export type DeliveryKind = Delivery['kind']

export interface NewDelivery {
  id: string
  site: string
  trigger_id: string
  trigger_name: string
  /** The visit an alert tells of, so that its visitor's erasure deletes the row ('' for tests and digests). */
  sid?: string
  kind: DeliveryKind
  /** The URL, or the e-mail recipient. */
  target: string
  /** Exactly what is sent: the JSON text, or for e-mail the JSON of the message. */
  body: string
  /** For webhooks: the HMAC of the body with the trigger's secret, fixed for every retry. */
  secret?: string
}

/** A stable id for what a fire of a trigger sends (so a rerun of a fire queues nothing twice). */
export const deliveryId = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)
export const randomDeliveryId = () => randomBytes(16).toString('hex')

export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

/** Queues deliveries not queued before (by id); returns how many were new. */
export async function enqueue(db: Db, items: NewDelivery[], now = new Date()): Promise<number> {
  if (items.length === 0) return 0
  const known = new Set(
    (await db.query<{ id: string }>('SELECT id FROM deliveries WHERE id IN {ids:Array(String)}', { ids: items.map((d) => d.id) })).map((r) => r.id),
  )
  const fresh = items.filter((d) => !known.has(d.id))
  if (fresh.length === 0) return 0
  const at = chTime(now)
  await db.insert(
    'deliveries',
    fresh.map(({ secret, ...d }) => ({
      ...d,
      sid: d.sid ?? '',
      signature: secret ? signature(secret, d.body) : '',
      status: 'pending',
      attempts: 0,
      next_at: at,
      last_code: 0,
      last_error: '',
      created_at: at,
      // updated_at, the row's version, is the server's now64(3) (the column's default):
      // one clock for every process that writes a version.
    })),
  )
  return fresh.length
}

interface Row {
  id: string
  site: string
  trigger_id: string
  trigger_name: string
  sid: string
  kind: DeliveryKind
  target: string
  body: string
  signature: string
  status: Delivery['status']
  attempts: number
  next_s: string
  last_code: number
  last_error: string
  created_s: string
  /** The version read: a new one is written only over it (a resend or an erasure meanwhile wins). */
  updated_s: string
}

const ROW =
  'id, site, trigger_id, trigger_name, sid, kind, target, body, signature, status, attempts, toString(next_at) AS next_s, last_code, last_error, toString(created_at) AS created_s, toString(updated_at) AS updated_s'

/**
 * Writes a new version of delivery {id}, copied from the version {seen} with the columns
 * `set` changed, only if that version is still the newest: a row an erasure deleted
 * meanwhile is not written back, and a resend meanwhile is not overwritten. The version
 * is the server's clock (now64), the same for every process. `set` is fixed SQL.
 */
async function writeOver(db: Db, id: string, seen: string, set: Record<string, string>, params: Record<string, unknown>): Promise<void> {
  const col = (c: string) => set[c] ?? c
  await db.command(
    `INSERT INTO deliveries (id, site, trigger_id, trigger_name, sid, kind, target, body, signature, status, attempts, next_at, last_code, last_error, created_at, updated_at)
     SELECT id, site, trigger_id, trigger_name, sid, kind, target, ${col('body')}, signature, ${col('status')}, ${col('attempts')}, ${col('next_at')},
            ${col('last_code')}, ${col('last_error')}, ${col('created_at')}, greatest(now64(3), updated_at + toIntervalMillisecond(1))
     FROM deliveries FINAL WHERE id = {id:String} AND updated_at = {seen:DateTime64(3)}`,
    { ...params, id, seen },
  )
}

/** The newest deliveries, for Settings (bodies left out: they are what was sent, and large). */
export async function listDeliveries(db: Db, opts: { site?: string; limit: number }): Promise<Delivery[]> {
  const rows = await db.query<Omit<Row, 'body'>>(
    `SELECT ${ROW.replace(' body,', '')} FROM deliveries FINAL
     WHERE {site:String} = '' OR site = {site:String} ORDER BY created_at DESC, id LIMIT {limit:UInt32}`,
    { site: opts.site ?? '', limit: opts.limit },
  )
  return rows.map((r) => ({
    id: r.id,
    site: r.site,
    trigger_id: r.trigger_id,
    trigger_name: r.trigger_name,
    kind: r.kind,
    target: r.target,
    status: r.status,
    attempts: Number(r.attempts),
    next_attempt: r.status === 'pending' ? isoOf(r.next_s) : null,
    last_code: Number(r.last_code) || null,
    last_error: r.last_error,
    created_at: isoOf(r.created_s),
    updated_at: isoOf(r.updated_s),
  }))
}

/** Sends a delivery again from the start (same id, same body): from Settings. 'none' when there is none, 'emptied' for a delivered digest. */
export async function resend(db: Db, id: string, now = new Date()): Promise<'queued' | 'none' | 'emptied'> {
  const [r] = await db.query<Row>(`SELECT ${ROW} FROM deliveries FINAL WHERE id = {id:String}`, { id })
  if (!r) return 'none'
  if (r.body === '') return 'emptied'
  await writeOver(
    db,
    id,
    r.updated_s,
    { status: "'pending'", attempts: '0', next_at: '{at:DateTime64(3)}', created_at: '{at:DateTime64(3)}' },
    { at: chTime(now) },
  )
  return 'queued'
}

/** What one attempt came to: `code` the HTTP status (0 when none came back). */
interface Outcome {
  ok: boolean
  code: number
  error: string
}

function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${RECEIVER_TIMEOUT_MS / 1000} s`
  const code = e?.cause?.code ?? e?.code
  // Codes only: a message could quote the URL, whose path is a secret for Slack hooks.
  return code ? `could not connect or the connection broke (${code})` : 'the request failed'
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Outcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Spoor-Webhook/1', ...headers },
      // A redirect is an answer that is not 2xx: following it would send the body elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
    })
    await res.body?.cancel()
    return { ok: res.status >= 200 && res.status < 300, code: res.status, error: res.status >= 200 && res.status < 300 ? '' : `answered HTTP ${res.status}` }
  } catch (err) {
    return { ok: false, code: 0, error: describe(err) }
  }
}

export interface DelivererOptions {
  mailer: Mailer | null
  /** The first retry's delay; later ones are multiples of it (DELIVERY_FIRST_RETRY_SECONDS). */
  firstRetryMs: number
  /** How often due deliveries are looked for. */
  pollMs: number
}

export class Deliverer {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<number> | null = null

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: DelivererOptions,
  ) {}

  /** A pass now, in the background (failures logged): after a job queued deliveries. */
  kick(): Promise<void> {
    return this.runOnce().then(
      () => undefined,
      (err: unknown) => this.log.error(errorFields(err), 'sending deliveries failed'),
    )
  }

  start(): void {
    const tick = () => {
      this.kick().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.opts.pollMs)
      })
    }
    this.timer = setTimeout(tick, this.opts.pollMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => 0)
  }

  /** Sends every delivery due at `now`; returns how many were attempted. One pass at a time. */
  runOnce(now = Date.now()): Promise<number> {
    this.running ??= this.pass(now).finally(() => {
      this.running = null
    })
    return this.running
  }

  private async pass(now: number): Promise<number> {
    const due = await this.db.query<Row>(
      `SELECT ${ROW} FROM deliveries FINAL WHERE status = 'pending' AND next_at <= {now:DateTime64(3)} ORDER BY next_at LIMIT ${BATCH}`,
      { now: chTime(new Date(now)) },
    )
    // An alert whose visit is gone (erased: enriched_sessions goes before deliveries) is
    // never sent; one a fire queued while the erasure ran is deleted here.
    const sids = [...new Set(due.map((d) => d.sid).filter(Boolean))]
    const sites = [...new Set(due.filter((d) => d.sid).map((d) => d.site))]
    const alive = new Set(
      sids.length
        ? (
            await this.db.query<{ sid: string }>(
              'SELECT DISTINCT sid FROM enriched_sessions WHERE site IN {sites:Array(String)} AND sid IN {sids:Array(String)}',
              {
                sites,
                sids,
              },
            )
          ).map((r) => r.sid)
        : [],
    )
    const orphans = due.filter((d) => d.sid && !alive.has(d.sid))
    if (orphans.length) {
      await this.db.command('DELETE FROM deliveries WHERE id IN {ids:Array(String)}', { ids: orphans.map((d) => d.id) })
      await applyDeletedMask(this.db, 'deliveries')
    }
    const send = due.filter((d) => !d.sid || alive.has(d.sid))
    let next = 0
    let emptied = false
    const worker = async () => {
      while (next < send.length) if (await this.attempt(send[next++]!, now)) emptied = true
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL, send.length) }, worker))
    // Once for the pass, not per digest: each sweep is a synchronous mutation of the table.
    if (emptied) await dropDigestTexts(this.db)
    return send.length
  }

  private async send(d: Row): Promise<Outcome> {
    if (d.kind === 'webhook') return post(d.target, d.body, { 'x-spoor-signature': d.signature, 'x-spoor-delivery': d.id })
    if (d.kind === 'slack') return post(d.target, d.body, {})
    if (!this.opts.mailer) return { ok: false, code: 0, error: 'SMTP_URL is not set: e-mail cannot be sent' }
    return this.opts.mailer.send(d.target, JSON.parse(d.body))
  }

  /** One try of `d`; true when it emptied a digest's text, whose earlier versions then go (dropDigestTexts). */
  private async attempt(d: Row, now: number): Promise<boolean> {
    const out = await this.send(d)
    const attempts = Number(d.attempts) + 1
    const wait = this.opts.firstRetryMs * BACKOFF[Math.min(attempts - 1, BACKOFF.length - 1)]!
    const giveUp = msOf(d.created_s) + GIVE_UP_MS
    const status = out.ok ? 'delivered' : now + wait > giveUp ? 'failed' : 'pending'
    // A digest lists many visits' pages, and no single visit an erasure could find it by:
    // its text goes once it is sent or given up on.
    const emptied = status !== 'pending' && d.kind === 'email' && d.trigger_id === ''
    if (!out.ok) this.log.warn({ delivery: d.id, kind: d.kind, attempt: attempts, status, reason: out.error }, 'delivery attempt failed')
    await writeOver(
      this.db,
      d.id,
      d.updated_s,
      {
        body: emptied ? "''" : 'body',
        status: '{status:String}',
        attempts: '{attempts:UInt16}',
        next_at: '{next:DateTime64(3)}',
        last_code: '{code:UInt16}',
        last_error: '{error:String}',
      },
      { status, attempts, next: chTime(new Date(out.ok ? now : now + wait)), code: out.code, error: out.error },
    )
    return emptied
  }
}

/** Earlier versions of digests that are no longer pending, with their text, leave the disk (also a sweep after a crash between the two steps). */
export async function dropDigestTexts(db: Db): Promise<void> {
  await db.command(
    `DELETE FROM deliveries WHERE body != '' AND trigger_id = '' AND kind = 'email'
       AND id IN (SELECT id FROM deliveries FINAL WHERE trigger_id = '' AND status != 'pending')`,
  )
  await applyDeletedMask(db, 'deliveries')
}
