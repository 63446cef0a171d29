// The public, unauthenticated side of Spoor: the beacon script, the event
// endpoint and the opt-out endpoint for the beacon.
import cors from 'cors'
import express, { type ErrorRequestHandler, Router } from 'express'
import { normaliseDomain } from '../lib/domain.ts'
import { parseOrigin } from '../lib/origin.ts'
import { perMinute } from '../lib/rate-limit.ts'
import { HttpError } from '../lib/errors.ts'
import type { Sites } from '../lib/sites.ts'
import type { Beacon } from './beacon.ts'
import { beaconObject, isToken, parseEventBody, TOKEN_RULE } from './body.ts'
import type { Counters } from './counters.ts'
import { type PipelineDeps, REJECT_REASONS, processEvent } from './pipeline.ts'
import { OPTOUT_COOKIE, recordOptout } from './optout.ts'
import type { Optouts } from './optouts.ts'
import { clientIp } from './ip.ts'
import type { Db } from '../lib/db.ts'

/** 16 KB: a page view is about 0.5 KB; anything near the limit is not a beacon. */
export const MAX_BODY = '16kb'

export interface CollectorDeps extends PipelineDeps {
  publicHost: string
  db: Db
  beacon: Beacon
  counters: Counters
  optouts: Optouts
  sites: Sites
}

/** CORS for the beacon: registered site origins (and Spoor's own pages) only. */
export function siteCors(sites: Sites) {
  // credentials: the spoor_optout cookie of Spoor's own domain must travel with the beacon.
  // origin: true reflects the request's Origin; both option sets are made once, not per request.
  const allow = { origin: true, credentials: true, methods: ['POST'], maxAge: 86_400 }
  const refuse = { ...allow, origin: false }
  return cors((req, cb) => {
    const origin = req.headers.origin
    const u = origin ? parseOrigin(origin) : null
    const allowed = u !== null && (sites.siteForHost(u.hostname) !== null || u.host === req.headers.host)
    cb(null, allowed ? allow : refuse)
  })
}

/** The one cookie the collector reads, found without parsing every cookie of the request. */
const OPTED_OUT = new RegExp(`(?:^|;\\s*)${OPTOUT_COOKIE}=1(?:;|$)`)
const ACCEPTED = '{"ok":true}'

/**
 * Mounted before helmet and cookie-parser: the event endpoint is the one route that
 * takes every page view, and the dashboard's headers (a content security policy for
 * HTML, frame options) mean nothing on a 202 with a JSON body. Measured with
 * `npm run bench`: the full middleware stack cost about a third of the endpoint's
 * CPU time. Responses here carry nosniff and nothing else they do not need.
 */
export function collectorRouter(deps: CollectorDeps): Router {
  const r = Router()
  r.use(['/script.js', '/api/event', '/api/optout'], (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    next()
  })
  const beaconBody = express.json({ type: ['application/json', 'text/plain'], limit: MAX_BODY, strict: true })
  const allowSites = siteCors(deps.sites)

  r.get('/script.js', (req, res) => {
    // Loaded by other sites' pages: helmet's same-origin resource policy must not apply.
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ETag: deps.beacon.etag,
      Vary: 'Accept-Encoding',
    })
    if (req.headers['if-none-match'] === deps.beacon.etag) return void res.status(304).end()
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(deps.beacon.gzip)
    } else {
      res.send(deps.beacon.js)
    }
  })

  r.options(['/api/event', '/api/optout'], allowSites)

  r.post('/api/event', allowSites, beaconBody, (req, res) => {
    const body = parseEventBody(req.body)
    const outcome = processEvent(
      {
        body,
        ip: clientIp(req),
        userAgent: req.get('user-agent') ?? '',
        origin: req.get('origin'),
        ownHost: req.get('host'),
        publicHost: deps.publicHost,
        gpc: req.get('sec-gpc') === '1',
        dnt: req.get('dnt') === '1',
        optoutCookie: OPTED_OUT.test(req.headers.cookie ?? ''),
        receivedAt: new Date(),
      },
      deps,
    )
    deps.counters.count(outcome)
    if (outcome.kind === 'rejected') {
      const { status, message, field, headers } = REJECT_REASONS[outcome.reason]
      throw new HttpError(status, message, field, headers)
    }
    // Stored and dropped look the same from outside (202), as in Plausible. Written
    // directly: res.json would hash the body for an ETag nobody revalidates.
    res.status(202).setHeader('Content-Type', 'application/json; charset=utf-8')
    res.end(ACCEPTED)
  })

  // spoor('optout') on the site's own page. Each call adds a row that every process
  // keeps in memory, so it is limited: 20 a minute per client network is far beyond
  // what a person clicking an opt-out button does.
  const optoutLimit = perMinute(20, 'opt-out requests')
  r.post('/api/optout', allowSites, optoutLimit, beaconBody, async (req, res) => {
    const b = beaconObject(req.body, 'opt-out')
    const site = typeof b.site === 'string' ? normaliseDomain(b.site) : null
    if (!site || !deps.sites.has(site)) {
      const { status, message, field } = REJECT_REASONS.unknown_site
      throw new HttpError(status, message, field)
    }
    if (b.vid !== undefined && !isToken(b.vid)) throw new HttpError(400, `vid ${TOKEN_RULE}`, 'vid')
    await recordOptout(req, res, deps, b.vid, 'beacon')
    res.status(202).json({ ok: true, opted_out: true })
  })

  // Count malformed, oversized and wrongly typed beacon requests, then let the one error handler answer.
  const countInvalid: ErrorRequestHandler = (err, req, _res, next) => {
    if (req.path === '/api/event') {
      const status = err instanceof HttpError ? err.status : ((err as { status?: number }).status ?? 500)
      if (status === 400 || status === 413 || status === 415) deps.counters.countInvalid(status)
    }
    next(err)
  }
  r.use(countInvalid)
  return r
}
