// Applies sql/NNN_name.sql in order, once each, and records what it applied.
// A failing statement stops the start with the file and the statement named.
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'

export const SQL_DIR = new URL('./', import.meta.url).pathname

export class MigrationError extends Error {
  override name = 'MigrationError'
}

interface Migration {
  version: number
  name: string
  statements: string[]
}

export function readMigrations(dir = SQL_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
  return files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8')
    // Statements end with ";" at the end of a line; comments are dropped first.
    const statements = text
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join('\n')
      .split(/;\s*$/m)
      .map((s) => s.trim())
      .filter(Boolean)
    return { version: Number(file.slice(0, 3)), name: file, statements }
  })
}

/**
 * Applies what is not applied yet. `lock`: several processes may start at once on one
 * ClickHouse server (issue 18: four at once crashed on each other's tables and recorded
 * a migration twice), so one of them migrates while the others wait, then find nothing
 * left to do. The embedded engine needs none: chDB serves one process per directory.
 */
export async function migrate(db: Db, log: Logger, dir = SQL_DIR, opts: { lock?: boolean } = {}): Promise<number> {
  await db.command(`CREATE TABLE IF NOT EXISTS schema_migrations
    (version UInt32, name String, applied_at DateTime('UTC') DEFAULT now())
    ENGINE = ReplacingMergeTree ORDER BY version`)
  if (!opts.lock) return apply(db, log, dir)
  const release = await acquire(db, log)
  try {
    return await apply(db, log, dir)
  } finally {
    await release()
  }
}

async function apply(db: Db, log: Logger, dir: string): Promise<number> {
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations FINAL')).map((r) => Number(r.version)))
  let applied = 0
  for (const m of readMigrations(dir)) {
    if (done.has(m.version)) continue
    for (const [i, statement] of m.statements.entries()) {
      try {
        await db.command(statement)
      } catch (err) {
        throw new MigrationError(`migration ${m.name} failed at statement ${i + 1}: ${(err as Error).message}\n${statement.slice(0, 400)}`)
      }
    }
    await db.insert('schema_migrations', [{ version: m.version, name: m.name }])
    log.info({ migration: m.name }, 'applied migration')
    applied++
  }
  return applied
}

// The lock is a table: creating a table that exists fails (TABLE_ALREADY_EXISTS), so of
// several processes exactly one creates it. Its holder writes a heartbeat; a lock whose
// holder has been silent for STALE_MS (it crashed mid-migration) is taken over.
const LOCK = 'schema_migrations_lock'
const HEARTBEAT_MS = 10_000
const STALE_MS = 60_000
const WAIT_MS = 250
const TABLE_ALREADY_EXISTS = '57'

async function acquire(db: Db, log: Logger): Promise<() => Promise<void>> {
  const owner = randomUUID()
  let waited = false
  for (;;) {
    try {
      await db.command(`CREATE TABLE ${LOCK} (owner String, beat DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY tuple()`)
      break
    } catch (err) {
      if ((err as { code?: string }).code !== TABLE_ALREADY_EXISTS) throw err
    }
    if (!waited) log.info('another process is migrating the database: waiting for it')
    waited = true
    // Silent since its last beat, or since it was made when it has none (its maker died first).
    const [held] = await db
      .query<{ silent: string; owner: string }>(
        `SELECT toInt64(dateDiff('millisecond', ifNull((SELECT maxOrNull(beat) FROM ${LOCK}), toDateTime64(metadata_modification_time, 3)), now64(3))) AS silent,
                (SELECT argMax(owner, beat) FROM ${LOCK}) AS owner
         FROM system.tables WHERE database = currentDatabase() AND name = {lock:String}`,
        { lock: LOCK },
      )
      .catch(() => [] as Array<{ silent: string; owner: string }>)
    if (held && Number(held.silent) > STALE_MS) {
      // Renaming is what only one process can do: of several waiters, one takes it over.
      const stale = `${LOCK}_stale_${randomUUID().replaceAll('-', '')}`
      const took = await db.command(`RENAME TABLE ${LOCK} TO ${stale}`).then(
        () => true,
        () => false,
      )
      if (!took) continue
      // Another waiter may have taken the stale lock over and made a fresh one between our
      // look and the rename: that one is given back.
      const [got] = await db.query<{ owner: string }>(`SELECT argMax(owner, beat) AS owner FROM ${stale}`)
      if (got?.owner !== held.owner) {
        await db.command(`RENAME TABLE ${stale} TO ${LOCK}`).catch(() => undefined)
        continue
      }
      log.warn({ silent_ms: Number(held.silent) }, 'took over the migration lock of a process that stopped while migrating')
      await db.command(`DROP TABLE IF EXISTS ${stale} SYNC`)
      continue
    }
    await new Promise((r) => setTimeout(r, WAIT_MS))
  }
  const beat = () => db.insert(LOCK, [{ owner }])
  await beat()
  const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS)
  timer.unref()
  return async () => {
    clearInterval(timer)
    // Only our own: a lock taken over from us (we were silent too long) is another's now.
    const [last] = await db.query<{ owner: string }>(`SELECT argMax(owner, beat) AS owner FROM ${LOCK}`).catch(() => [] as Array<{ owner: string }>)
    if (last?.owner !== owner) return void log.error('the migration lock was taken over while this process migrated: it was silent for over a minute')
    await db.command(`DROP TABLE IF EXISTS ${LOCK} SYNC`)
  }
}
