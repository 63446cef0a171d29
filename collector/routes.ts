// The public, unauthenticated side of Spoor: the beacon script, the event
// endpoint and the opt-out endpoint for the beacon.
import cors from 'cors'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Request, type Response, Router } from 'express'
import getRawBody from 'raw-body'
import { normaliseDomain } from '../lib/domain.ts'
import { parseOrigin } from '../lib/origin.ts'
import { NetworkLimit, perMinute } from '../lib/rate-limit.ts'
import type { Config } from '../lib/config.ts'
import { asHttpError, HttpError, sendHttpError, sendInternalError } from '../lib/errors.ts'
import type { Sites } from '../lib/sites.ts'
import { type Beacon, CONSENT_ADAPTERS, EXTENSIONS_PATH, type Script } from './beacon.ts'
import { beaconObject, parseEventBody } from './body.ts'
import { isToken, TOKEN_RULE } from '../lib/validate.ts'
import type { DroppedCounts } from './dropped.ts'
import { type PipelineDeps, REJECT_REASONS, processEvent } from './pipeline.ts'
import { OPTOUT_COOKIE, recordOptout } from '../privacy/optout-page.ts'
import type { Optouts } from '../privacy/optouts.ts'
import type { Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'
import type { OptedOut, Ok } from '../lib/api-types.ts'

/** 8 KB: a page view is about 0.5 KB, the longest URL and title and ten properties fit; anything near the limit is not a beacon. */
const MAX_BODY = 8 * 1024

export interface CollectorDeps extends PipelineDeps {
  config: PipelineDeps['config'] & Pick<Config, 'collectLimitPerMinute' | 'publicUrl'>
  publicHost: string
  db: Db
  beacon: Beacon
  counters: DroppedCounts
  optouts: Optouts
  sites: Sites
  log: Logger
}

/** CORS for the beacon: registered site origins (and Spoor's own pages) only. */
export function siteCors(sites: Sites) {
  // credentials: the spoor_optout cookie of Spoor's own domain must travel with the beacon.
  // origin: true reflects the request's Origin; both option sets are made once, not per request.
  const allow = { origin: true, credentials: true, methods: ['POST'], maxAge: 86_400 }
  const refuse = { ...allow, origin: false }
  return cors((req, cb) => {
    const origin = req.headers.origin
    cb(null, origin !== undefined && allowedOrigin(origin, req.headers.host, sites) ? allow : refuse)
  })
}

/** Whether a page of `origin` may send beacons here: a registered site, or Spoor's own pages (the demo). */
function allowedOrigin(origin: string, host: string | undefined, sites: Sites): boolean {
  const u = parseOrigin(origin)
  return u !== null && (sites.siteForHost(u.hostname) !== null || u.host === host)
}

/** The one cookie the collector reads, found without parsing every cookie of the request. */
const OPTED_OUT = new RegExp(`(?:^|;\\s*)${OPTOUT_COOKIE}=1(?:;|$)`)
const ACCEPTED = JSON.stringify({ ok: true } satisfies Ok)

/**
 * Mounted before helmet and cookie-parser: the event endpoint is the one route that
 * takes every page view, and the dashboard's headers (a content security policy for
 * HTML, frame options) mean nothing on a 202 with a JSON body. Measured with
 * `npm run bench`: the full middleware stack cost about a third of the endpoint's
 * CPU time. Responses here carry nosniff and nothing else they do not need.
 */
export function collectorRouter(deps: CollectorDeps): Router {
  const r = Router()
  r.use(['/script.js', EXTENSIONS_PATH, '/consent', '/api/event', '/api/optout'], (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    next()
  })
  const allowSites = siteCors(deps.sites)

  r.get('/script.js', (req, res) => sendScript(req, res, deps.beacon))
  // The automatic events (outbound links, downloads, 404) that data-outbound, data-downloads and data-404 load.
  r.get(EXTENSIONS_PATH, (req, res) => sendScript(req, res, deps.beacon.extensions))
  // The consent adapters that data-consent loads; a name outside the list is a typo on the site's script tag.
  r.get('/consent/:file', (req, res) => {
    const name = /^(\w{1,16})\.js$/.exec(req.params.file)?.[1]
    const script = name === undefined ? undefined : deps.beacon.adapters.get(name)
    if (!script)
      throw new HttpError(
        404,
        `no consent adapter at ${req.path}: data-consent must be "callback" (the default), ${CONSENT_ADAPTERS.map((a) => `"${a}"`).join(' or ')}`,
      )
    sendScript(req, res, script)
  })

  r.options(['/api/event', '/api/optout'], allowSites)
  // POST /api/event is answered by eventEndpoint (below), ahead of every router.

  // spoor('optout') on the site's own page. Each call adds a row that every process
  // keeps in memory, so it is limited: 20 a minute per client network is far beyond
  // what a person clicking an opt-out button does.
  const optoutLimit = perMinute(20, 'opt-out requests')
  r.post('/api/optout', allowSites, optoutLimit, async (req, res) => {
    const b = beaconObject(await readBeaconJson(req), 'opt-out')
    const site = typeof b.site === 'string' ? normaliseDomain(b.site) : null
    if (!site || !deps.sites.has(site)) {
      const { status, message, field } = REJECT_REASONS.unknown_site
      throw new HttpError(status, message, field)
    }
    if (b.vid !== undefined && !isToken(b.vid)) throw new HttpError(400, `vid ${TOKEN_RULE}`, 'vid')
    await recordOptout(req, res, deps, b.vid, 'beacon')
    res.status(202).json({ ok: true, opted_out: true } satisfies OptedOut)
  })

  return r
}

/** A script that other sites' pages load: cacheable, gzipped when the browser takes it. */
function sendScript(req: Request, res: Response, script: Script): void {
  // Loaded by other sites' pages: helmet's same-origin resource policy must not apply.
  res.set({
    'Content-Type': 'application/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=3600',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ETag: script.etag,
    Vary: 'Accept-Encoding',
  })
  if (req.headers['if-none-match'] === script.etag) return void res.status(304).end()
  if (req.acceptsEncodings('gzip') === 'gzip') res.set('Content-Encoding', 'gzip').send(script.gzip)
  else res.send(script.js)
}

const EVENT_PATH = '/api/event'
const BEACON_TYPES = new Set(['application/json', 'text/plain'])

/**
 * The body of a beacon request (event and opt-out) as parsed JSON, with body-parser's
 * rules and error types (the one error handler turns them into messages): JSON sent as
 * application/json or text/plain (sendBeacon's type) in UTF-8, not compressed, at
 * most MAX_BODY, an object or array at the top; an empty body is {}.
 */
async function readBeaconJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  const semi = type.indexOf(';')
  if (!BEACON_TYPES.has((semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase())) return undefined
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new HttpError(415, `unsupported charset "${charset.slice(0, 40)}": send UTF-8`)
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new HttpError(415, 'send the event uncompressed')
  const text = await getRawBody(req, { length: req.headers['content-length'], limit: MAX_BODY, encoding: 'utf8' })
  const first = /\S/.exec(text)?.[0]
  if (first === undefined) return {}
  if (first !== '{' && first !== '[') throw new HttpError(400, 'request body is not valid JSON', 'body')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'body')
  }
}

/** Whether a request is a page view or event for the collector: POST /api/event. */
export function isEventRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && (req.url === EVENT_PATH || (req.url ?? '').startsWith(`${EVENT_PATH}?`))
}

/**
 * POST /api/event, answered ahead of Express (server/app.ts): the one route that takes
 * every page view. It does what the cors and body-parser middlewares did for it, in
 * one function, on the plain Node request and response: those layers took about a
 * fifth of the collector's CPU time at full load. Preflight requests still go through cors.
 */
export function eventEndpoint(deps: CollectorDeps, addressOf: (req: IncomingMessage) => string): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = new NetworkLimit(deps.config.collectLimitPerMinute, 'events')
  return (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Vary', 'Origin')
    const origin = req.headers.origin
    // credentials: the spoor_optout cookie of Spoor's own domain travels with the beacon.
    if (origin !== undefined && allowedOrigin(origin, req.headers.host, deps.sites)) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Credentials', 'true')
    }
    const ip = addressOf(req)
    const handle = async () => {
      // Counted before the body is read: a flood costs as little as possible.
      limit.take(ip)
      const body = parseEventBody(await readBeaconJson(req))
      const outcome = processEvent(
        {
          body,
          ip,
          userAgent: req.headers['user-agent'] ?? '',
          origin,
          ownHost: req.headers.host,
          publicHost: deps.publicHost,
          gpc: req.headers['sec-gpc'] === '1',
          dnt: req.headers.dnt === '1',
          optoutCookie: OPTED_OUT.test(req.headers.cookie ?? ''),
          receivedAt: new Date(),
        },
        deps,
      )
      deps.counters.count(outcome)
      if (outcome.kind === 'rejected') {
        // Answered here rather than by throwing: a fifth of the bench's requests are
        // page views before consent, and an error path cost 8% of the collector's CPU time.
        const { status, message, field, headers } = REJECT_REASONS[outcome.reason]
        return sendHttpError(res, new HttpError(status, message, field, headers))
      }
      if (outcome.kind === 'stored') {
        try {
          await outcome.durable
        } catch {
          const { status, message, headers } = REJECT_REASONS.not_journaled
          return sendHttpError(res, new HttpError(status, message, undefined, headers))
        }
      }
      // Stored and dropped look the same from outside (202), as in Plausible.
      res.statusCode = 202
      res.setHeader('Content-Type', 'application/json; charset=utf-8')
      res.end(ACCEPTED)
    }
    handle().catch((err: unknown) => {
      // Malformed, oversized and wrongly typed requests are counted; the body reader's
      // own errors (size, aborted, encoding) carry their status and type.
      const httpErr = asHttpError(err)
      if (!httpErr) return sendInternalError(deps.log, err, req, res)
      if (httpErr.status === 400 || httpErr.status === 413 || httpErr.status === 415) deps.counters.countInvalid(httpErr.status)
      sendHttpError(res, httpErr)
    })
  }
}
