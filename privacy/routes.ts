// The visitor's rights, from the opt-out page or the site (spoor('erase')): erasure
// and a download of their data; and the admin's: the same by visitor id, and the audit log.
import express, { Router } from 'express'
import type { Config } from '../lib/config.ts'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import { isOwnOrigin, parseOrigin } from '../lib/origin.ts'
import { perMinute } from '../lib/rate-limit.ts'
import type { Sites } from '../lib/sites.ts'
import { isToken, TOKEN_RULE } from '../lib/validate.ts'
import { requireAdmin } from '../auth/users.ts'
import { audit } from './audit.ts'
import { eraseVisitor } from './erasure.ts'
import { exportVisitor } from './export.ts'
import { vidHash } from './hash.ts'
import type { EventWriter } from '../collector/writer.ts'
import type { Optouts } from './optouts.ts'
import type { AuditEntry, AuditLog, ErasureResult, VisitorExport } from '../lib/api-types.ts'

const vidOf = (v: unknown): string => {
  if (!isToken(v)) throw new HttpError(400, `vid ${TOKEN_RULE}`, 'vid')
  return v
}

interface Deps {
  db: Db
  log: Logger
  config: Pick<Config, 'ipRetentionDays' | 'rawRetentionDays' | 'publicUrl' | 'clickhouse'>
  sites: Sites
  writer: Pick<EventWriter, 'flush'>
  optouts: Optouts
}

/** The download, recorded in the audit log. */
async function exported(deps: Deps, vid: string, by: 'visitor' | 'admin'): Promise<VisitorExport> {
  const data = await exportVisitor(deps.db, vid, deps.config.ipRetentionDays)
  await audit(deps.db, 'export', vidHash(vid), by, { events: data.events.length })
  return data
}

/**
 * Erasures a process runs or queues at once. Each is seconds of mutations on a large
 * table, and they run one after another (dayLock): beyond this the answer is 503 with
 * Retry-After instead of an ever longer queue of open requests.
 */
const MAX_ERASURES_IN_FLIGHT = 4
let inFlight = 0

/** Erasure as both routes and the opt-out page ask for it: events still in the writer's buffer are erased too. */
export async function erase(deps: Deps, vid: string, by: 'visitor' | 'admin'): Promise<ErasureResult> {
  if (inFlight >= MAX_ERASURES_IN_FLIGHT) throw new HttpError(503, 'erasures are queued up; retry in a minute', undefined, { 'Retry-After': '60' })
  inFlight++
  try {
    return await eraseVisitor(deps.db, deps.log, vid, by, {
      optouts: deps.optouts,
      rawRetentionDays: deps.config.rawRetentionDays,
      flush: () => deps.writer.flush(),
    })
  } finally {
    inFlight--
  }
}

/**
 * spoor('erase') posts from a page of a registered site (or one of Spoor's own). Browsers
 * always say where a POST comes from; a request without Origin is a script holding
 * someone's id, and a page of another site is not the visitor's own site.
 */
function fromSiteOrSpoor(deps: Pick<Deps, 'sites' | 'config'>): express.RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin')
    const u = origin ? parseOrigin(origin) : null
    if (!u || !(deps.sites.siteForHost(u.hostname) !== null || isOwnOrigin(origin!, req, deps.config.publicUrl))) {
      throw new HttpError(403, "erasure requests come from a page of a registered site (spoor('erase')) or from the opt-out page", 'origin')
    }
    next()
  }
}

/** Public: the visitor id is the proof, as for the opt-out (it lives in the visitor's own cookie). */
export function visitorPrivacyRouter(deps: Deps, cors: express.RequestHandler): Router {
  const r = Router()
  // Per client network: a person asks once; a crawler of ids gets nowhere. Separate
  // budgets, so that downloads never block an erasure behind an office's shared address.
  const eraseLimit = perMinute(20, 'erasure requests')
  const exportLimit = perMinute(10, 'data downloads')
  const body = express.json({ type: ['application/json', 'text/plain'], limit: '4kb' })
  r.options('/api/privacy/erase', cors)
  r.post('/api/privacy/erase', cors, eraseLimit, fromSiteOrSpoor(deps), body, async (req, res) => {
    const vid = vidOf((req.body as { vid?: unknown } | undefined)?.vid)
    const result = await erase(deps, vid, 'visitor')
    res.status(result.status === 'pending' ? 202 : 200).json(result satisfies ErasureResult)
  })
  // A POST (the opt-out page's form, or fetch): the visitor id is a bearer token for
  // the visitor's history, and a URL ends up in access logs, proxies and Referer headers.
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 })
  r.get('/api/privacy/export', () => {
    throw new HttpError(405, 'send the visitor id in the body of a POST (form field or JSON "vid"), never in the URL', 'vid')
  })
  r.post('/api/privacy/export', exportLimit, form, body, async (req, res) => {
    const data = await exported(deps, vidOf((req.body as { vid?: unknown } | undefined)?.vid), 'visitor')
    res.set({ 'Content-Disposition': 'attachment; filename="spoor-my-data.json"', 'Cache-Control': 'no-store' }).json(data satisfies VisitorExport)
  })
  return r
}

/** Admin, behind the session and CSRF guard. */
export function adminPrivacyRouter(deps: Deps): Router {
  const r = Router()
  r.post('/api/admin/erase', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const vid = vidOf((req.body as { vid?: unknown } | undefined)?.vid)
    const result = await erase(deps, vid, 'admin')
    res.status(result.status === 'pending' ? 202 : 200).json(result satisfies ErasureResult)
  })
  // POST like the visitor's own download: an id in a URL stays in a proxy's access log.
  r.get('/api/admin/export', requireAdmin, () => {
    throw new HttpError(405, 'send the visitor id in the JSON body of a POST ({ "vid": "…" }), never in the URL', 'vid')
  })
  r.post('/api/admin/export', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const vid = vidOf((req.body as { vid?: unknown } | undefined)?.vid)
    res.set('Cache-Control', 'no-store').json((await exported(deps, vid, 'admin')) satisfies VisitorExport)
  })
  r.get('/api/audit', requireAdmin, async (_req, res) => {
    const rows = await deps.db.query<AuditEntry>('SELECT toString(ts) AS time, action, subject, actor, detail FROM privacy_audit ORDER BY ts DESC LIMIT 1000')
    res.json({ results: rows } satisfies AuditLog)
  })
  return r
}
