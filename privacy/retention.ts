// How long each table keeps its rows: one list for the TTLs set at every start
// (applyRetention) and the retention jobs that deletes what a lagging TTL left
// (enforce-retention.ts).
import type { Db } from '../lib/db.ts'

export interface Retention {
  rawRetentionDays: number
  ipRetentionDays: number
  companyRetentionMonths: number
  aggregateRetentionMonths: number
}

export interface Expiry {
  table: string
  /** What dates a row: a day, or a DateTime (events' DateTime64 is cast, as TTL wants). */
  dated: 'day' | 'ts' | 'toDateTime(ts)' | 'hour' | 'toDateTime(created_at)'
  unit: 'Day' | 'Month'
  limit: keyof Retention
  /** At most this many units, whatever the limit (a fixed number: fixed SQL). */
  cap?: number
}

export const EXPIRIES: readonly Expiry[] = [
  { table: 'events', dated: 'toDateTime(ts)', unit: 'Day', limit: 'rawRetentionDays' },
  // These hold visitor or session ids: they go with the raw events.
  { table: 'sessions', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  { table: 'enriched_sessions', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  { table: 'visits', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  { table: 'company_sessions', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  // Sums of visit rows (with visitor sketches): only read within the raw events' reach.
  { table: 'visit_totals', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  { table: 'visit_totals_days', dated: 'day', unit: 'Day', limit: 'rawRetentionDays' },
  // IP addresses and the networks of form submitters: at most a week.
  { table: 'visit_ips', dated: 'ts', unit: 'Day', limit: 'ipRetentionDays' },
  { table: 'form_domains', dated: 'ts', unit: 'Day', limit: 'ipRetentionDays' },
  { table: 'company_visits', dated: 'day', unit: 'Month', limit: 'companyRetentionMonths' },
  { table: 'daily_stats', dated: 'day', unit: 'Month', limit: 'aggregateRetentionMonths' },
  { table: 'daily_breakdown', dated: 'day', unit: 'Month', limit: 'aggregateRetentionMonths' },
  { table: 'daily_visits', dated: 'day', unit: 'Month', limit: 'aggregateRetentionMonths' },
  { table: 'daily_entry_pages', dated: 'day', unit: 'Month', limit: 'aggregateRetentionMonths' },
  // Alerts tell of a visit's pages: 30 days for the Settings list, never longer than the
  // raw events (an erasure finds their visit only while those are kept).
  { table: 'deliveries', dated: 'toDateTime(created_at)', unit: 'Day', limit: 'rawRetentionDays', cap: 30 },
  // Counts of dropped events per site, hour and reason: no ids, aggregates like the above.
  { table: 'dropped_events', dated: 'hour', unit: 'Month', limit: 'aggregateRetentionMonths' },
]

// Fixed SQL per shape; the limit is always bound as {v:UInt32}.
/** The table's TTL expression. */
const amount = (e: Expiry) => (e.cap === undefined ? '{v:UInt32}' : `least({v:UInt32}, ${e.cap})`)
export const ttlOf = (e: Expiry) => `${e.dated} + toInterval${e.unit}(${amount(e)})`
/**
 * The condition of a row past its limit. Addresses (ipRetentionDays) are deleted 2 hours
 * early: the job runs hourly, and the promise is that no address is on disk after the limit.
 */
export const expiredOf = (e: Expiry) =>
  `${e.dated} < ${e.dated === 'day' ? 'today()' : 'now()'} - toInterval${e.unit}(${amount(e)})${e.limit === 'ipRetentionDays' ? ' + toIntervalHour(2)' : ''}`

/**
 * Retention is configuration, not schema: re-applied at every start. Only the
 * metadata changes (materialize_ttl_after_modify = 0); the new TTL applies at the next
 * merge, and the retention jobs delete what a merge has not reached yet.
 */
export async function applyRetention(db: Db, r: Retention): Promise<void> {
  for (const e of EXPIRIES) {
    await db.client.command({
      query: `ALTER TABLE {t:Identifier} MODIFY TTL ${ttlOf(e)}`,
      query_params: { t: e.table, v: r[e.limit] },
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    })
  }
}
