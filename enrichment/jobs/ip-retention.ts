// Deletes IP rows older than IP_RETENTION_DAYS. The table's TTL does the same at
// merge time, but merges can lag; this makes "gone within a week" hold regardless.
import type { Db } from '../../lib/db.ts'

export async function purgeExpiredIps(db: Db, days: number): Promise<number> {
  const [before] = await db.query<{ n: string }>(
    'SELECT count() AS n FROM visit_ips WHERE ts < now() - toIntervalDay({days:UInt32})',
    { days },
  )
  const n = Number(before?.n ?? 0)
  if (n > 0) await db.command('DELETE FROM visit_ips WHERE ts < now() - toIntervalDay({days:UInt32})', { days })
  return n
}
