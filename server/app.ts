// createApp(deps) builds the Express app and nothing else: no port, no timers,
// no database opening. main.ts wires the real parts; tests wire their own.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import cookieParser from 'cookie-parser'
import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { type Express } from 'express'
import helmet from 'helmet'
import type { Beacon } from '../collector/beacon.ts'
import type { IngestBudget } from '../collector/budget.ts'
import { ingestStats } from '../collector/counters.ts'
import type { DroppedCounts } from '../collector/dropped.ts'
import type { RecentIds } from '../collector/dedup.ts'
import { demoRouter } from '../collector/demo.ts'
import { optoutRouter } from '../privacy/optout-page.ts'
import type { Optouts } from '../privacy/optouts.ts'
import { collectorRouter, eventEndpoint, isEventRequest, siteCors } from '../collector/routes.ts'
import { clientAddress } from '../lib/client-ip.ts'
import { adminPrivacyRouter, visitorPrivacyRouter } from '../privacy/routes.ts'
import type { EventWriter } from '../collector/writer.ts'
import { accountRouter, authRouter, requireSession, type Users } from '../auth/users.ts'
import { adminRouter } from '../dashboard/admin.ts'
import { candidatesRouter } from '../dashboard/candidates.ts'
import { companiesRouter } from '../dashboard/companies.ts'
import { csrfGuard } from '../auth/csrf.ts'
import { statsRouter } from '../dashboard/stats.ts'
import { goalsRouter } from '../dashboard/goals.ts'
import type { GeoReader } from '../enrichment/geo.ts'
import { recordedJobStates, type Scheduler } from './jobs.ts'
import type { IpIntel } from '../enrichment/lookup.ts'
import type { Deliverer } from '../alerts/deliveries.ts'
import { alertsRouter, unsubscribeRouter } from '../alerts/routes.ts'
import type { Config } from '../lib/config.ts'
import type { Db } from '../lib/db.ts'
import { errorHandler, HttpError } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { Sites } from '../lib/sites.ts'
import type { ErrorBody, Health, IngestStats, JobList, Me } from '../lib/api-types.ts'

export interface AppDeps {
  config: Config
  db: Db
  log: Logger
  sites: Sites
  optouts: Optouts
  users: Users
  writer: EventWriter
  budget: IngestBudget
  recentIds: RecentIds
  counters: DroppedCounts
  geo: GeoReader
  intel: IpIntel
  beacon: Beacon
  scheduler: Scheduler | null
  /** Sends queued webhooks, Slack messages and e-mails (the process that runs the jobs). */
  deliverer: Deliverer | null
}

const WEB_DIR = new URL('../dist/dashboard/', import.meta.url).pathname

/**
 * A Node request listener (http.createServer(app), or supertest's request(app)), with
 * the Express app behind it for whoever walks its routes.
 */
export type App = ((req: IncomingMessage, res: ServerResponse) => void) & { readonly express: Express }

export function createApp(deps: AppDeps): App {
  const { config } = deps
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy)
  // HSTS and upgrade-insecure-requests only when Spoor is served over HTTPS: on a
  // plain-HTTP LAN address they would send the opt-out form to a port that is not there.
  const https = config.publicUrl.startsWith('https://')
  const collects = config.role === 'all' || config.role === 'collector'
  const serves = config.role === 'all' || config.role === 'dashboard'
  const collector = { ...deps, publicHost: new URL(config.publicUrl).host }
  // The beacon's endpoints come first: they take every page view and need neither
  // helmet's HTML headers nor parsed cookies (see collector/routes.ts).
  if (collects) app.use(collectorRouter(collector))
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': https ? [] : null } },
      strictTransportSecurity: https,
    }),
  )
  app.use(cookieParser())

  app.get('/health', async (_req, res) => {
    let db: Health['db'] = 'ok'
    try {
      await deps.db.query('SELECT 1')
    } catch {
      db = 'unreachable'
    }
    const ok = db === 'ok' && !deps.budget.diskLow
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', role: config.role, db, pending_events: deps.writer.pending, ...deps.budget.snapshot() } satisfies Health)
  })

  if (collects) {
    app.use(visitorPrivacyRouter(deps, siteCors(deps.sites)))
    app.use(optoutRouter(deps))
    if (config.demo) app.use(demoRouter())
  }
  if (serves) {
    const sessions = { users: deps.users, sessionHours: config.sessionHours, publicUrl: config.publicUrl }
    app.use(authRouter(sessions))
    app.use(unsubscribeRouter(deps.db))
    const authed = express.Router()
    authed.use('/api', requireSession(deps.users), csrfGuard(config.publicUrl))
    authed.get('/api/me', (req, res) => void res.json(req.user! satisfies Me))
    authed.use(accountRouter(sessions))
    authed.get('/api/ingest', async (_req, res) => void res.json({ ...(await ingestStats(deps.db)), pending: deps.writer.pending } satisfies IngestStats))
    // The process that runs the jobs knows them best (a run in progress); others read job_runs.
    authed.get('/api/jobs', async (_req, res) => {
      res.json({ jobs: deps.scheduler?.list() ?? (await recordedJobStates(deps.db)), runs_here: deps.scheduler !== null } satisfies JobList)
    })
    authed.use(statsRouter(deps))
    authed.use(goalsRouter(deps))
    // Before companiesRouter: its GET /api/companies/:id would take "candidates" for an id.
    authed.use(candidatesRouter({ db: deps.db, sites: deps.sites, intel: deps.intel }))
    authed.use(companiesRouter({ db: deps.db, sites: deps.sites, users: deps.users, knowledge: deps.intel.parts.knowledge }))
    authed.use(adminRouter(deps))
    authed.use(alertsRouter({ db: deps.db, sites: deps.sites, users: deps.users, publicUrl: config.publicUrl }))
    authed.use(adminPrivacyRouter(deps))
    app.use(authed)
  }

  app.use('/api', (req) => {
    throw new HttpError(404, `no such API route: ${req.method} ${req.baseUrl}${req.path}`)
  })
  if (serves) {
    // The web app (dashboard/app), built by `npm run build` (npm start and npm test run it).
    app.use('/assets', express.static(join(WEB_DIR, 'assets'), { immutable: true, maxAge: '365d', index: false }))
    app.get(['/', '/login', '/companies', '/companies/:id', '/settings', '/account'], (_req, res) => {
      const index = join(WEB_DIR, 'index.html')
      if (!existsSync(index)) return void res.status(503).type('text').send('The dashboard is not built yet: run `npm run build` (npm start does it).\n')
      res.set('Cache-Control', 'no-cache').sendFile(index)
    })
  }
  app.use((_req, res) => void res.status(404).json({ error: 'not found' } satisfies ErrorBody))
  app.use(errorHandler(deps.log))
  if (!collects) return Object.assign((req: IncomingMessage, res: ServerResponse) => app(req, res), { express: app })
  // POST /api/event does not enter Express at all: it is most of the requests, and
  // Express's setup of each request (prototypes, router walk, final handler) was 9% of
  // the collector's CPU time in the bench. The client address follows the same
  // TRUST_PROXY as req.ip everywhere else.
  const onEvent = eventEndpoint(collector, clientAddress(config.trustProxy !== false, app.get('trust proxy fn') as (addr: string, i: number) => boolean))
  return Object.assign((req: IncomingMessage, res: ServerResponse) => (isEventRequest(req) ? onEvent(req, res) : app(req, res)), { express: app })
}
