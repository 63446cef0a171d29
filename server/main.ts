// Parse config, open ClickHouse, migrate, wire the parts, listen (server/start.ts calls main()).
// SIGTERM/SIGINT: stop accepting, write every acknowledged event, then exit.
import { errorFields, unreachable } from '../lib/errors.ts'
import { createServer, type Server } from 'node:http'
import { buildBeacon } from '../collector/beacon.ts'
import { IngestBudget } from '../collector/budget.ts'
import { DroppedCounts } from '../collector/dropped.ts'
import { RecentIds } from '../collector/dedup.ts'
import { DEMO_SITE } from '../collector/demo.ts'
import { Optouts, REFRESH_MS } from '../privacy/optouts.ts'
import { EventWriter } from '../collector/writer.ts'
import { FIRST_ADMIN, Users } from '../auth/users.ts'
import { Knowledge } from '../enrichment/company.ts'
import { IpIntel } from '../enrichment/lookup.ts'
import { Scheduler } from './jobs.ts'
import { MIN_CONFIDENCE } from '../enrichment/jobs/learn-domains.ts'
import { type AppDeps, createApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from '../lib/config.ts'
import { type Db, openDb } from '../lib/db.ts'
import { createLogger, type Logger } from '../lib/logger.ts'
import { migrate } from '../sql/migrate.ts'
import { applyRetention } from '../privacy/retention.ts'
import { resumeErasures } from '../privacy/erasure.ts'
import { listenOps } from '../ops/socket.ts'
import { Sites } from '../lib/sites.ts'
import { Deliverer } from '../alerts/deliveries.ts'
import { createMailer } from '../alerts/mail.ts'

/**
 * How to log in, logged once Spoor listens. Without ADMIN_EMAIL and without users, an
 * admin is created that awaits its first login, and every start until that login logs a
 * new password for it: a start that fails after creating it (port taken) loses nothing,
 * and the password is made only where it will be shown. Only its hash is stored.
 */
async function loginHint(users: Users, config: Config): Promise<{ text: string; printsPassword: boolean }> {
  if (config.admin) return { text: `log in as ${config.admin.email} with ADMIN_PASSWORD`, printsPassword: false }
  const password = await users.firstLoginPassword(FIRST_ADMIN)
  if (password === null) return { text: 'log in with an existing account (set ADMIN_EMAIL and ADMIN_PASSWORD to add or reset an admin)', printsPassword: false }
  return {
    text: `no ADMIN_EMAIL/ADMIN_PASSWORD set: log in as ${FIRST_ADMIN} with password ${password} (a new one at every start until the first login; each one printed, by any Spoor process, works until then)`,
    printsPassword: true,
  }
}

// A ClickHouse server may come up after Spoor: containers started together, or a collector
// restarted during an outage (it exited within a second before; test/server/four-roles).
// Waited for this long, then the start fails and a service manager starts it again.
const SERVER_WAIT_MS = 60_000

async function openWhenUp(config: Config, log: Logger): Promise<Db> {
  const until = Date.now() + SERVER_WAIT_MS
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await openDb(config)
    } catch (err) {
      if (!config.clickhouse || !unreachable(err) || Date.now() + delay > until) throw err
      log.warn({ ...errorFields(err), retry_in_ms: delay }, 'the ClickHouse server cannot be reached yet; waiting for it')
      await new Promise((r) => setTimeout(r, delay))
    }
  }
}

/**
 * Everything createApp needs, opened and ready; `close` writes pending events and
 * closes ClickHouse. Tests may bring their own IP intelligence (fixture databases).
 */
export async function assemble(config: Config, log: Logger, given: { intel?: IpIntel } = {}): Promise<AppDeps & { close(): Promise<void> }> {
  const db = await openWhenUp(config, log)
  // On a server several processes may start at once: one migrates, the others wait.
  await migrate(db, log)
  await applyRetention(db, config)
  const knowledge = Knowledge.empty()
  const intel = given.intel ?? (await IpIntel.open(config, knowledge))
  await intel.parts.knowledge.refresh(db, MIN_CONFIDENCE)

  const sites = new Sites(db)
  await sites.refresh()
  for (const s of config.sites) await sites.add(s)
  for (const [s, tz] of Object.entries(config.siteTimezones)) if (sites.timezone(s) !== tz) await sites.setTimezone(s, tz)
  if (config.demo) await sites.add(DEMO_SITE)

  const optouts = new Optouts(db, config)
  await optouts.refresh()
  const users = new Users(db)
  if (config.admin && (config.role === 'all' || config.role === 'dashboard')) await users.upsert(config.admin.email, config.admin.password, 'admin')

  // A beacon retried across a restart must still count once: remember the last hour's ids.
  const recentIds = new RecentIds()
  for (const r of await db.query<{ k: string }>("SELECT concat(site, '/', event_id) AS k FROM events WHERE ts > now() - INTERVAL 1 HOUR")) recentIds.add(r.k)

  const writer = new EventWriter(db, config, log)
  // And the ids still in the journal a killed process left: a beacon retried after the
  // kill reaches this process before the journal is in ClickHouse.
  for (const k of writer.leftoverKeys()) recentIds.add(k)
  writer.start()
  const dropped = new DroppedCounts(db, log)
  dropped.start()
  const budget = new IngestBudget(db, config)
  await budget.refresh()
  const runsJobs = config.role === 'all' || config.role === 'jobs'
  // Deliveries are sent by the process that runs the jobs, one sender for the whole install.
  const mailer = runsJobs && config.smtpUrl ? createMailer(config.smtpUrl, config.mailFrom) : null
  const deliverer = runsJobs
    ? new Deliverer(db, log, { mailer, firstRetryMs: config.deliveryFirstRetryMs, pollMs: Math.min(5000, config.deliveryFirstRetryMs) })
    : null
  const scheduler =
    runsJobs && deliverer
      ? new Scheduler(
          {
            db,
            log,
            intel,
            knowledge: intel.parts.knowledge,
            retention: config,
            formDomainMinVisitors: config.formDomainMinVisitors,
            flush: () => writer.flush(),
            alerts: { publicUrl: config.publicUrl, timezone: (site) => sites.timezone(site), deliverer },
          },
          log,
        )
      : null

  // Suppressions, learned domains and the directory: every process needs them (the
  // opt-out page looks companies up too), the jobs process refreshes before each run as well.
  let ticks = 0
  const refresh = setInterval(() => {
    const all: Array<Promise<void>> = [sites.refresh(), optouts.refresh(), budget.refresh()]
    if (++ticks % 6 === 0) all.push(intel.parts.knowledge.refresh(db, MIN_CONFIDENCE))
    Promise.all(all).catch((err: unknown) => log.warn(errorFields(err), 'refresh of sites, opt-outs, the ingest budget or company data failed'))
  }, REFRESH_MS)
  refresh.unref()

  const close = async () => {
    clearInterval(refresh)
    await writer.close()
    await dropped.close()
    await scheduler?.stop()
    await deliverer?.stop()
    mailer?.close()
    await db.close()
  }
  return {
    config,
    db,
    log,
    sites,
    optouts,
    users,
    writer,
    budget,
    recentIds,
    counters: dropped,
    geo: intel,
    intel,
    beacon: await buildBeacon(),
    scheduler,
    deliverer,
    close,
  }
}

export interface Running {
  server: Server
  stop(): Promise<void>
}

export async function start(config: Config, log: Logger, given: { intel?: IpIntel } = {}): Promise<Running> {
  const deps = await assemble(config, log, given)
  deps.scheduler?.start()
  deps.deliverer?.start()
  // An erasure a restart interrupted is finished now: none can be in progress in this process yet.
  if (deps.scheduler)
    // On a server, not one younger than the other collectors' refresh and a flush (30 s).
    void resumeErasures(deps.db, log, { ...config, flush: () => deps.writer.flush() }, config.clickhouse ? 30 : 0).catch((err: unknown) =>
      log.error(errorFields(err), 'resuming erasures failed'),
    )
  const app = createApp(deps)
  const server = createServer(app)
  let hint: Awaited<ReturnType<typeof loginHint>> | null
  let ops: Awaited<ReturnType<typeof listenOps>> | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, config.host, () => resolve())
    })
    // npm run backup asks this process (it holds the embedded engine): docs/backup.md.
    ops = await listenOps(deps)
    hint = config.role === 'all' || config.role === 'dashboard' ? await loginHint(deps.users, config) : null
  } catch (err) {
    // Pending events written, ClickHouse closed: a caller may start again in this process.
    if (server.listening) server.close()
    await ops?.close()
    await deps.close()
    throw err
  }
  log.info(
    {
      role: config.role,
      storage: config.clickhouse
        ? `ClickHouse server ${new URL(config.clickhouse.url).host}/${config.clickhouse.database}`
        : `embedded chDB in ${config.dataDir}`,
      sites: deps.sites.list(),
    },
    'Spoor is running',
  )
  // The only line with the password, in its message, which redaction does not touch;
  // warn, so that LOG_LEVEL=warn still shows it.
  if (hint) log[hint.printsPassword ? 'warn' : 'info'](`dashboard: ${config.publicUrl}/ (${hint.text})`)
  if (config.demo) log.info(`demo site: ${config.publicUrl}/demo`)
  log.info(`beacon: <script defer src="${config.publicUrl}/script.js" data-site="example.com"></script>  opt-out link: ${config.publicUrl}/optout`)

  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting first, so that nothing is acknowledged after the last flush.
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await ops?.close()
      await deps.close()
    })())
  return { server, stop }
}

export async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Spoor did not start: ${err.message}\nSee the configuration table in README.md.\n`)
      process.exit(1)
    }
    throw err
  }
  const log = createLogger(config.logLevel)
  let running: Running
  try {
    running = await start(config, log)
  } catch (err) {
    // openDb's ConfigError (DATA_DIR unusable or held by another process) names its own fix.
    if (err instanceof ConfigError) {
      process.stderr.write(`Spoor did not start: ${err.message}\n`)
      process.exit(1)
    }
    log.fatal(errorFields(err), 'Spoor did not start')
    process.exit(1)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down: writing pending events')
      running.stop().then(
        () => process.exit(0),
        (err: Error) => {
          log.error(errorFields(err), 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
}
