// Daily check of every retention in force: ClickHouse TTLs remove expired rows at
// merge time, which can lag; this deletes what is left and reports, per table, what it
// removed (the job's log line and /api/jobs).
import { applyDeletedMask, type Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'
import { EXPIRIES, expiredOf, type Retention } from './retention.ts'

export async function enforceRetention(db: Db, r: Retention, log: Logger, only?: ReadonlyArray<keyof Retention>): Promise<number> {
  const removed: Record<string, number> = {}
  let total = 0
  for (const e of EXPIRIES) {
    if (only && !only.includes(e.limit)) continue
    const { table } = e
    const expired = expiredOf(e)
    const params = { t: table, v: r[e.limit] }
    const [row] = await db.query<{ n: string }>(`SELECT count() AS n FROM {t:Identifier} WHERE ${expired}`, params)
    const n = Number(row?.n ?? 0)
    if (n > 0) {
      await db.command(`DELETE FROM {t:Identifier} WHERE ${expired}`, params)
      // Gone from disk, not only masked.
      await applyDeletedMask(db, table)
      removed[table] = n
      total += n
    }
  }
  if (total > 0) log.info({ removed }, 'retention: expired rows deleted')
  return total
}
