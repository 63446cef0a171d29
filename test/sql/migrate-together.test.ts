// Several Spoor processes started at once on one ClickHouse server (issue 18, defect 2):
// the migrations run once, whoever starts first, and every process comes up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate, readMigrations } from '../../sql/migrate.ts'
import { type ClickHouseHttp, startClickHouseHttp } from '../helpers/clickhouse-http.ts'

const PASSWORD = 'harness secret'
let ch: ClickHouseHttp

beforeAll(async () => {
  ch = await startClickHouseHttp({ user: 'spoor', password: PASSWORD })
})
afterAll(async () => {
  await ch?.stop()
})

const open = (database: string) =>
  openDb({ dataDir: '/nonexistent-the-server-path-opens-no-directory', clickhouse: { url: ch.url, user: 'spoor', password: PASSWORD, database } })

describe('migrations on a shared server', () => {
  it('four processes migrating an empty database at once all succeed, and each migration is applied and recorded once', async () => {
    const dbs = await Promise.all([0, 1, 2, 3].map(() => open('together')))
    try {
      const results = await Promise.allSettled(dbs.map((db) => migrate(db, createLogger('silent'), undefined, { lock: true })))
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason).slice(0, 300))).toEqual([])
      const applied = results.map((r) => (r as PromiseFulfilledResult<number>).value)
      expect(applied.reduce((a, b) => a + b, 0)).toBe(readMigrations().length)
      const rows = await dbs[0]!.query<{ version: number; n: string }>('SELECT version, count() AS n FROM schema_migrations GROUP BY version HAVING n > 1')
      expect(rows).toEqual([])
      // Nothing is left holding the lock.
      expect(await migrate(dbs[1]!, createLogger('silent'), undefined, { lock: true })).toBe(0)
    } finally {
      for (const db of dbs) await db.close()
    }
  })

  it('takes over the lock of a process that stopped while migrating (no heartbeat for a minute)', async () => {
    const db = await open('crashed')
    try {
      await db.command("CREATE TABLE schema_migrations_lock (owner String, beat DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY tuple()")
      await db.command("INSERT INTO schema_migrations_lock (owner, beat) VALUES ('gone', now64(3) - INTERVAL 2 MINUTE)")
      expect(await migrate(db, createLogger('silent'), undefined, { lock: true })).toBe(readMigrations().length)
      const [lock] = await db.query<{ n: string }>("SELECT count() AS n FROM system.tables WHERE database = 'crashed' AND name = 'schema_migrations_lock'")
      expect(Number(lock?.n)).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('takes over a lock whose maker died before its first heartbeat, and two waiters take over a stale lock only once', async () => {
    const db = await open('empty-lock')
    const other = await open('empty-lock')
    try {
      await db.command("CREATE TABLE schema_migrations_lock (owner String, beat DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY tuple()")
      // The lock table's own age is what counts when it holds no beat: made over a minute ago.
      const started = Date.now()
      const results = await Promise.allSettled([db, other].map((d) => migrate(d, createLogger('silent'), undefined, { lock: true })))
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
      expect(results.reduce((a, r) => a + (r as PromiseFulfilledResult<number>).value, 0)).toBe(readMigrations().length)
      expect(Date.now() - started).toBeGreaterThan(55_000)
    } finally {
      await db.close()
      await other.close()
    }
  }, 120_000)
})
