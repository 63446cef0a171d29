// Every scheduled job, in one table. Jobs run in exactly one process (ROLE=all or
// ROLE=jobs), never overlap themselves, and are safe to rerun.
import { schedule, type ScheduledTask } from 'node-cron'
import { type Db, isoOf } from '../lib/db.ts'
import { errorFields } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { Knowledge } from '../enrichment/company.ts'
import { enrichVisits } from '../enrichment/jobs/enrich-visits.ts'
import type { Retention } from '../privacy/retention.ts'
import { enforceRetention } from '../privacy/enforce-retention.ts'
import { learnDomains, MIN_CONFIDENCE } from '../enrichment/jobs/learn-domains.ts'
import { rebuildDueDays } from '../aggregates/rebuild.ts'
import { forgetRemovedTags } from '../dashboard/inbox.ts'
import { rollupToday, rollupVisits } from '../aggregates/rollup.ts'
import { resumeErasures } from '../privacy/erasure.ts'
import type { IpIntel } from '../enrichment/lookup.ts'
import type { JobState } from '../lib/api-types.ts'
import { type Deliverer, dropDigestTexts } from '../alerts/deliveries.ts'
import { queueDigests } from '../alerts/digest.ts'
import { fireTriggers } from '../alerts/fire.ts'

export type { JobState }

export interface JobContext {
  db: Db
  log: Logger
  intel: IpIntel
  knowledge: Knowledge
  retention: Retention
  formDomainMinVisitors: number
  /** Writes the collector's journal, in a process that collects (ROLE=all). */
  flush?: () => Promise<void>
  /** Triggers and digests (alerts/): absent in a context that sends nothing. */
  alerts?: { publicUrl: string; timezone: (site: string) => string; deliverer: Deliverer }
}

interface JobDef {
  name: string
  /** cron expression, UTC */
  schedule: string
  description: string
  /** Returns the number of rows handled. */
  run: (ctx: JobContext) => Promise<number>
}

export const JOBS: readonly JobDef[] = [
  {
    name: 'enrich-visits',
    schedule: '* * * * *',
    description: "decide for new visits whether they came from a company, write company visits, delete the visits' IP rows",
    run: (ctx) => enrichVisits({ db: ctx.db, intel: ctx.intel, knowledge: ctx.knowledge, minConfidence: MIN_CONFIDENCE }),
  },
  {
    name: 'learn-domains',
    schedule: '*/10 * * * *',
    description: 'link company networks to business e-mail domains submitted in forms by FORM_DOMAIN_MIN_VISITORS or more visitors',
    run: (ctx) => learnDomains(ctx.db, ctx.intel, ctx.formDomainMinVisitors),
  },
  {
    name: 'reload-ip-data',
    schedule: '*/5 * * * *',
    description: 'reopen IP databases whose files were replaced (a broken new file keeps the old reader)',
    run: async (ctx) => (await ctx.intel.reload()).filter((r) => r === 'reloaded').length,
  },
  {
    name: 'erasure',
    schedule: '* * * * *',
    description: "finish erasure requests (a restart's, and on a server all of them), and rebuild the totals of days they touched once the day is over",
    run: async (ctx) => {
      // The rebuilds also when resuming failed: they do not depend on it.
      const [erased, rebuilt] = await Promise.allSettled([
        resumeErasures(ctx.db, ctx.log, { ...ctx.retention, flush: ctx.flush }),
        rebuildDueDays(ctx.db, { rawRetentionDays: ctx.retention.rawRetentionDays, log: ctx.log }),
      ])
      if (erased.status === 'rejected') throw erased.reason
      if (rebuilt.status === 'rejected') throw rebuilt.reason
      return erased.value + rebuilt.value
    },
  },
  {
    name: 'ip-retention',
    schedule: '17 * * * *',
    description: 'delete IP addresses and form networks older than IP_RETENTION_DAYS (hourly, so none outlives its limit by more than an hour)',
    run: (ctx) => enforceRetention(ctx.db, ctx.retention, ctx.log, ['ipRetentionDays']),
  },
  {
    name: 'retention',
    schedule: '30 3 * * *',
    description:
      'delete whatever a lagging TTL left past every retention in force, and report per table what it removed; forget inbox tags removed over a day ago (daily)',
    run: async (ctx) => (await enforceRetention(ctx.db, ctx.retention, ctx.log)) + (await forgetRemovedTags(ctx.db)),
  },
  {
    name: 'visits-today',
    schedule: '*/2 * * * *',
    description: "write today's visits so far into visits, so that the stats API groups only the last minutes' visits from the raw events",
    run: (ctx) => rollupToday(ctx.db),
  },
  {
    name: 'rollup-visits',
    schedule: '5 * * * *',
    description: "roll finished days' visits, bounces, durations and entry pages up from sessions (hourly; the last two days again each time)",
    run: (ctx) => rollupVisits(ctx.db),
  },
  {
    name: 'triggers',
    // Half a minute after enrich-visits, which decides the visits a trigger fires on.
    schedule: '30 * * * * *',
    description:
      "fire triggers on today's company visits that match them (once per trigger, company and day), and start sending their webhooks, Slack messages and e-mails",
    run: async (ctx) => {
      if (!ctx.alerts) return 0
      const fired = await fireTriggers({ db: ctx.db, log: ctx.log, publicUrl: ctx.alerts.publicUrl, timezone: ctx.alerts.timezone })
      // Not awaited: a slow receiver (10 s an attempt) must not hold up the next run's fires.
      if (fired > 0) void ctx.alerts.deliverer.kick()
      return fired
    },
  },
  {
    name: 'digests',
    // Hourly from 07:00 UTC: a run missed (a restart, ClickHouse away) is made up by the
    // next; a digest's id is its user and period, so none goes twice.
    schedule: '0 * * * *',
    description: 'queue the daily digests (from 07:00 UTC) and the weekly ones (from Monday 07:00 UTC) of the companies that visited, and start sending them',
    run: async (ctx) => {
      if (!ctx.alerts || new Date().getUTCHours() < 7) return 0
      const n = (await queueDigests(ctx.db, ctx.alerts.publicUrl, 'daily')) + (await queueDigests(ctx.db, ctx.alerts.publicUrl, 'weekly'))
      await dropDigestTexts(ctx.db)
      if (n > 0) void ctx.alerts.deliverer.kick()
      return n
    },
  },
]

export class Scheduler {
  private readonly states = new Map<string, JobState>()
  private readonly tasks: ScheduledTask[] = []

  constructor(
    private readonly ctx: JobContext,
    private readonly log: Logger,
    private readonly jobs: readonly JobDef[] = JOBS,
    private readonly retryDelaysMs: readonly number[] = [2000, 8000],
  ) {
    for (const j of jobs) {
      this.states.set(j.name, {
        name: j.name,
        schedule: j.schedule,
        description: j.description,
        running: false,
        last_run: null,
        last_duration_ms: null,
        last_rows: null,
        last_error: null,
        runs: 0,
        failures: 0,
      })
    }
  }

  start(): void {
    for (const j of this.jobs) {
      this.tasks.push(schedule(j.schedule, () => this.runNow(j.name).then(() => undefined), { name: j.name, noOverlap: true, timezone: 'UTC' }))
    }
  }

  /** Runs one job now unless it is already running; never throws. */
  async runNow(name: string): Promise<JobState> {
    const job = this.jobs.find((j) => j.name === name)
    const state = this.states.get(name)
    if (!job || !state) throw new Error(`no job named ${name}`)
    if (state.running) return state
    state.running = true
    const started = Date.now()
    try {
      // A failing run is retried twice (after 2 s and 8 s: long enough for a ClickHouse
      // restart or a file being replaced), then left to the next scheduled run.
      for (let attempt = 0; ; attempt++) {
        try {
          state.last_rows = await job.run(this.ctx)
          state.last_error = null
          if (state.last_rows > 0) this.log.info({ job: name, rows: state.last_rows, ms: Date.now() - started }, 'job done')
          break
        } catch (err) {
          state.failures++
          state.last_error = (err as Error).message
          this.log.error({ job: name, attempt: attempt + 1, ...errorFields(err) }, 'job failed')
          if (attempt >= this.retryDelaysMs.length) break
          await new Promise((r) => setTimeout(r, this.retryDelaysMs[attempt]))
        }
      }
    } finally {
      state.running = false
      state.runs++
      state.last_run = new Date(started).toISOString()
      state.last_duration_ms = Date.now() - started
    }
    await this.ctx.db
      ?.insert('job_runs', [
        {
          name,
          started_at: state.last_run.replace('T', ' ').replace('Z', ''),
          duration_ms: state.last_duration_ms,
          rows: state.last_error ? 0 : (state.last_rows ?? 0),
          error: state.last_error ?? '',
          failures: state.failures,
        },
      ])
      .catch((err: unknown) => this.log.warn({ job: name, ...errorFields(err) }, 'could not record the job run'))
    return state
  }

  list(): JobState[] {
    return [...this.states.values()]
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop()
  }
}

/** The jobs' state as recorded in job_runs: the same answer in every process. */
export async function recordedJobStates(db: Db): Promise<JobState[]> {
  const rows = await db.query<{
    name: string
    last_run: string
    last_duration_ms: number
    last_rows: string
    last_error: string
    runs: string
    failures: number
  }>(
    `SELECT name, toString(max(started_at)) AS last_run, argMax(duration_ms, started_at) AS last_duration_ms,
            argMax(rows, started_at) AS last_rows, argMax(error, started_at) AS last_error, count() AS runs,
            argMax(failures, started_at) AS failures
     FROM job_runs GROUP BY name`,
  )
  const byName = new Map(rows.map((r) => [r.name, r]))
  return JOBS.map((j) => {
    const r = byName.get(j.name)
    return {
      name: j.name,
      schedule: j.schedule,
      description: j.description,
      running: false,
      last_run: r ? isoOf(r.last_run) : null,
      last_duration_ms: r ? Number(r.last_duration_ms) : null,
      last_rows: r ? Number(r.last_rows) : null,
      last_error: r?.last_error ? r.last_error : null,
      runs: r ? Number(r.runs) : 0,
      failures: r ? Number(r.failures) : 0,
    }
  })
}
