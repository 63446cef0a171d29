// Daily check of every retention in force: ClickHouse TTLs remove expired rows at
// merge time, which can lag; this deletes what is left and reports, per table, what it
// removed (the job's log line and /api/jobs).
import type { Db } from '../../lib/db.ts'
import type { Logger } from '../../lib/logger.ts'

export interface Retention {
  rawRetentionDays: number
  ipRetentionDays: number
  companyRetentionMonths: number
  aggregateRetentionMonths: number
}

// Fixed conditions per table, each with one bound limit.
const RULES: Array<[table: string, expired: string, limit: keyof Retention]> = [
  ['events', 'ts < now() - toIntervalDay({v:UInt32})', 'rawRetentionDays'],
  ['sessions', 'day < today() - toIntervalDay({v:UInt32})', 'rawRetentionDays'],
  ['enriched_sessions', 'day < today() - toIntervalDay({v:UInt32})', 'rawRetentionDays'],
  ['visit_ips', 'ts < now() - toIntervalDay({v:UInt32})', 'ipRetentionDays'],
  ['form_domains', 'ts < now() - toIntervalDay({v:UInt32})', 'ipRetentionDays'],
  ['company_visits', 'day < today() - toIntervalMonth({v:UInt32})', 'companyRetentionMonths'],
  ['daily_stats', 'day < today() - toIntervalMonth({v:UInt32})', 'aggregateRetentionMonths'],
  ['daily_breakdown', 'day < today() - toIntervalMonth({v:UInt32})', 'aggregateRetentionMonths'],
  ['daily_visits', 'day < today() - toIntervalMonth({v:UInt32})', 'aggregateRetentionMonths'],
  ['daily_entry_pages', 'day < today() - toIntervalMonth({v:UInt32})', 'aggregateRetentionMonths'],
]

export async function enforceRetention(db: Db, r: Retention, log: Logger, only?: ReadonlyArray<keyof Retention>): Promise<number> {
  const removed: Record<string, number> = {}
  let total = 0
  for (const [table, expired, limit] of RULES) {
    if (only && !only.includes(limit)) continue
    const params = { t: table, v: r[limit] }
    const [row] = await db.query<{ n: string }>(`SELECT count() AS n FROM {t:Identifier} WHERE ${expired}`, params)
    const n = Number(row?.n ?? 0)
    if (n > 0) {
      await db.command(`DELETE FROM {t:Identifier} WHERE ${expired}`, params)
      removed[table] = n
      total += n
    }
  }
  if (total > 0) log.info({ removed }, 'retention: expired rows deleted')
  return total
}
