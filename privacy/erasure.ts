// "Forget me": every row that carries a visitor's id is deleted, and the aggregates of
// the days it touched are rebuilt from the remaining raw events, so that the figures
// equal what they would be had the visitor never been counted.
//
// A request is recorded first, with its plan (sessions, days, companies touched), and
// each step is idempotent: a restart half-way resumes from the plan (the erasure job
// runs every minute and at start).
import { randomUUID } from 'node:crypto'
import { applyDeletedMask, chTime, type Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'
import { recomputeCompanyVisits } from '../aggregates/company-visits.ts'
import { isRebuildable, rebuildDay } from '../aggregates/rebuild.ts'
import { rollupDays } from '../aggregates/rollup.ts'
import { DAILY_VIEWS } from '../aggregates/views.ts'
import { dayLock } from '../lib/lock.ts'
import { audit } from './audit.ts'
import { vidHash } from './hash.ts'
import type { ErasureResult } from '../lib/api-types.ts'

export type { ErasureResult }

interface Plan {
  /** Events found when the plan was made: after a restart in the middle they are gone already. */
  events?: number
  sids: string[]
  days: Array<{ site: string; day: string }>
  companies: string[]
}

/** The answer of a request with nothing erased (yet). */
const nothingYet = (id: string, status: ErasureResult['status']): ErasureResult => ({ id, status, events: 0, sessions: 0, days_rebuilt: 0, days_pending: 0 })

export interface ErasureOptions {
  /** The visitor is opted out first: nothing of it is collected again, even from beacons in flight. */
  optouts: { add(vid: string, opts?: { capped: boolean }): Promise<void>; seen(vid: string): Promise<boolean> }
  /** Days this old are partly expired already: their aggregates are left as they are. */
  rawRetentionDays: number
  /** Writes the collector's journal: before the check that the id was stored, and after the opt-out, so that the visitor's last events are erased too. */
  flush?: () => Promise<void>
  /** Tests: stop after the deletes, as a crash would. */
  failAfterDeletes?: boolean
}

// Every table holding the visitor's id or one of its session ids. Fixed SQL per column.
// The id is never in the statement: ClickHouse keeps a mutation's text (system.mutations
// and a mutation_N.txt file in every part, for the last 100), so the rows are named
// through the request, whose versions with the id are removed at the end.
const THE_VID = "vid IN (SELECT vid FROM erasure_requests WHERE id = {id:String} AND vid != '')"
const THE_SIDS = "sid IN (SELECT arrayJoin(JSONExtract(plan, 'sids', 'Array(String)')) FROM erasure_requests WHERE id = {id:String} AND plan != '')"
const THE_COMPANIES =
  "company_id IN (SELECT arrayJoin(JSONExtract(plan, 'companies', 'Array(String)')) FROM erasure_requests WHERE id = {id:String} AND plan != '')"
const BY_VISITOR = [
  ['sessions', THE_SIDS],
  ['enriched_sessions', THE_SIDS],
  // Alerts that tell of the visitor's visits, sent or not (alerts/deliveries.ts).
  ['deliveries', THE_SIDS],
  ['events', THE_VID],
  ['visits', THE_VID],
  ['company_sessions', THE_VID],
  ['visit_ips', THE_VID],
  ['form_domains', THE_VID],
] as const

/**
 * Records a request for `vid` and carries it out. Idempotent: a second request finds
 * nothing left. An id that was never stored costs one indexed read and changes nothing
 * (no request, no opt-out row, no mutation): the endpoint is public, and review measured
 * 1.8-3.3 s of mutations per random id on 2 M events.
 */
export async function eraseVisitor(db: Db, log: Logger, vid: string, requestedBy: 'visitor' | 'admin', opts: ErasureOptions): Promise<ErasureResult> {
  // The visitor's last events may be in the journal: in first, so that an id that was
  // stored is known as such.
  const flush = () =>
    opts.flush
      ? opts.flush().then(
          () => true,
          () => false,
        )
      : Promise.resolve(true)
  if ((await flush()) && !(await opts.optouts.seen(vid))) return nothingYet('', 'done')
  // Opted out (nothing more is collected; not subject to the hourly cap of opt-outs), the
  // request recorded, and the journal written again: events accepted meanwhile are erased too.
  await opts.optouts.add(vid, { capped: false })
  const id = randomUUID()
  const now = chTime(new Date())
  await db.insert('erasure_requests', [
    { id, vid, vid_hash: vidHash(vid), status: 'pending', plan: '', result: '', requested_by: requestedBy, requested_at: now },
  ])
  if (!(await flush())) {
    // Erasing now would leave the events still in the journal to arrive afterwards. The
    // erasure job finishes the request once a flush succeeds.
    log.warn({ erasure: id }, "erasure recorded; it is carried out once ClickHouse takes the collector's journal")
    return nothingYet(id, 'pending')
  }
  // On a server (db.shared) other collectors may have accepted the visitor's events and
  // learn of the opt-out only at their next refresh (10 s), then write what they accepted
  // within a flush: the jobs process's erasure job carries the request out once it is 2
  // minutes old. Not with the embedded engine, the only process there is.
  if (db.shared) return nothingYet(id, 'pending')
  return runErasure(db, log, id, opts)
}

/** Carries out (or resumes) one recorded request, under dayLock: no rebuild, rollup or flush interleaves. */
function runErasure(db: Db, log: Logger, id: string, opts: Omit<ErasureOptions, 'optouts'>): Promise<ErasureResult> {
  return dayLock.run(() => erase(db, log, id, opts))
}

async function erase(db: Db, log: Logger, id: string, opts: Omit<ErasureOptions, 'optouts'>): Promise<ErasureResult> {
  const [req] = await db.query<{ vid: string; vid_hash: string; status: string; plan: string; result: string; requested_by: string; requested_at: string }>(
    'SELECT vid, vid_hash, status, plan, result, requested_by, toString(requested_at) AS requested_at FROM erasure_requests FINAL WHERE id = {id:String}',
    { id },
  )
  if (!req) throw new Error(`no erasure request ${id}`)
  if (req.status === 'done') {
    // Done before a crash that came before its old versions were removed.
    await removeOldVersions(db, id)
    return JSON.parse(req.result) as ErasureResult
  }
  const base = { id, vid_hash: req.vid_hash, requested_by: req.requested_by, requested_at: req.requested_at }
  // 1. The plan, saved before anything is deleted: what to rebuild even after a restart.
  let plan: Plan
  if (req.plan) plan = JSON.parse(req.plan) as Plan
  else {
    const p = { vid: req.vid }
    const sids = (await db.query<{ sid: string }>('SELECT DISTINCT sid FROM events WHERE vid = {vid:String}', p)).map((r) => r.sid)
    const days = await db.query<{ site: string; day: string }>('SELECT DISTINCT site, toString(toDate(ts)) AS day FROM events WHERE vid = {vid:String}', p)
    // The visitor's sessions by subquery, not as a list: a heavy visitor's would pass a server's 128 KiB URL field.
    const companies = sids.length
      ? (
          await db.query<{ company_id: string }>(
            "SELECT DISTINCT company_id FROM enriched_sessions FINAL WHERE sid IN (SELECT sid FROM events WHERE vid = {vid:String}) AND company_id != ''",
            p,
          )
        ).map((r) => r.company_id)
      : []
    const [counted] = await db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', p)
    plan = { events: Number(counted?.n ?? 0), sids, days, companies }
    await db.insert('erasure_requests', [{ ...base, vid: req.vid, status: 'erasing', plan: JSON.stringify(plan), result: '' }])
  }
  // 2. Every row with the visitor's id or one of its sessions, removed from disk too
  //    (a lightweight DELETE only masks rows).
  for (const [table, where] of BY_VISITOR) {
    if (where === THE_SIDS && plan.sids.length === 0) continue
    await db.command(`DELETE FROM {t:Identifier} WHERE ${where}`, { id, t: table })
    await applyDeletedMask(db, table)
  }
  if (opts.failAfterDeletes) throw new Error('erasure interrupted (injected)')
  // 3. The aggregates of the touched days, rebuilt from what is left; days at the edge
  //    of raw retention are partly expired already and are left alone.
  //    On a server they are listed for the erasure job, which rebuilds each once no
  //    collector writes it any more (rebuildDueDays): not here, under dayLock.
  const days = plan.days.filter((d) => isRebuildable(d.day, opts.rawRetentionDays))
  if (db.shared) await db.insert('rebuild_days', days)
  else for (const { site, day } of days) for (const view of DAILY_VIEWS) await rebuildDay(db, view, site, day)
  const sitesByDay = new Map<string, string[]>()
  for (const { site, day } of days) sitesByDay.set(day, [...(sitesByDay.get(day) ?? []), site])
  // Days already rolled up are rolled up again (the alias must not shadow the column `day`).
  const rolled = await db.query<{ d: string }>('SELECT DISTINCT toString(day) AS d FROM daily_visits WHERE day IN {days:Array(Date)}', {
    days: [...sitesByDay.keys()],
  })
  await rollupDays(
    db,
    rolled.map((r) => ({ day: r.d, sites: sitesByDay.get(r.d) ?? [] })),
    true,
  )
  if (plan.companies.length > 0) {
    await db.client.command({
      // The companies by subquery, as THE_SIDS: a visitor's list has no bound.
      query: `ALTER TABLE company_visits DELETE WHERE ${THE_COMPANIES} AND day IN {days:Array(Date)}`,
      query_params: { id, days: [...sitesByDay.keys()] },
      clickhouse_settings: { mutations_sync: '2' },
    })
    await recomputeCompanyVisits(db, [...sitesByDay.keys()])
  }
  // 4. Done: the request keeps only the hash of the id; the versions with it go.
  const result: ErasureResult = {
    id,
    status: 'done',
    events: plan.events ?? 0,
    sessions: plan.sids.length,
    days_rebuilt: db.shared ? 0 : days.length,
    days_pending: db.shared ? days.length : 0,
  }
  await db.insert('erasure_requests', [{ ...base, vid: '', status: 'done', plan: '', result: JSON.stringify(result) }])
  await removeOldVersions(db, id)
  await audit(db, 'erasure', req.vid_hash, req.requested_by, result)
  log.info({ erasure: id, events: result.events, days: result.days_rebuilt }, 'visitor erased')
  return result
}

async function removeOldVersions(db: Db, id: string): Promise<void> {
  await db.command("DELETE FROM erasure_requests WHERE id = {id:String} AND vid != ''", { id })
  await applyDeletedMask(db, 'erasure_requests')
}

/**
 * Requests a restart interrupted: any still holding a visitor id that has not moved for
 * `staleSeconds` (120 for the every-minute job: a request in progress moves within
 * seconds; 0 at start, when none can be in progress in this process).
 */
export async function resumeErasures(db: Db, log: Logger, opts: Omit<ErasureOptions, 'optouts'>, staleSeconds = 120): Promise<number> {
  const stale = await db.query<{ id: string }>(
    "SELECT id FROM erasure_requests WHERE vid != '' GROUP BY id HAVING max(updated_at) <= now64(3) - toIntervalSecond({s:UInt32})",
    { s: staleSeconds },
  )
  // The collector's journal first (in a process that has one): a request recorded while
  // ClickHouse did not take it must not be erased ahead of the visitor's last events.
  if (stale.length > 0) await opts.flush?.()
  for (const r of stale) await runErasure(db, log, r.id, opts)
  return stale.length
}
