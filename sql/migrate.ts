// Applies sql/NNN_name.sql in order, once each, and records what it applied.
// A failing statement stops the start with the file and the statement named.
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'
import { ConfigError } from '../lib/config.ts'
import { bookkeepingEngine, clusterStatement, type Topology, topologyOf } from './cluster.ts'
import { stripComments } from './text.ts'

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
    const statements = stripComments(text)
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
 * `cluster` (CLICKHOUSE_CLUSTER): every statement, the bookkeeping and the lock included,
 * runs in its cluster form (sql/cluster.ts), so that they are one truth on every replica.
 * `lock` defaults to db.shared (the server path), `cluster` to db.cluster: there, without
 * a cluster, a database migrated for a cluster is refused (oneServer).
 */
export async function migrate(db: Db, log: Logger, dir = SQL_DIR, opts: { lock?: boolean; cluster?: string } = {}): Promise<number> {
  const lock = opts.lock ?? db.shared
  const cluster = opts.cluster ?? db.cluster
  const topology = cluster ? await topologyOf(db, cluster) : lock ? await oneServer(db) : null
  const ddl = (statement: string) => db.command(topology ? clusterStatement(statement, topology) : statement)
  await ddl(`CREATE TABLE IF NOT EXISTS schema_migrations
    (version UInt32, name String, applied_at DateTime('UTC') DEFAULT now())
    ENGINE = ReplacingMergeTree ORDER BY version`)
  if (!lock) return apply(db, log, dir, topology)
  const release = await acquire(db, log, ddl)
  try {
    return await apply(db, log, dir, topology)
  } finally {
    await release()
  }
}

async function apply(db: Db, log: Logger, dir: string, topology: Topology | null): Promise<number> {
  // What another process recorded through another replica, before it is read here: a
  // lagging replica would otherwise apply a migration again.
  if (topology) await db.command('SYSTEM SYNC REPLICA schema_migrations')
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations FINAL')).map((r) => Number(r.version)))
  let applied = 0
  for (const m of readMigrations(dir)) {
    if (done.has(m.version)) continue
    for (const [i, statement] of m.statements.entries()) {
      try {
        if (topology && /^INSERT\b/i.test(statement)) await syncSources(db, statement)
        await db.command(topology ? clusterStatement(statement, topology) : statement)
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

/**
 * Without CLICKHOUSE_CLUSTER on a server, the mirror of topologyOf's check: a database
 * whose bookkeeping is replicated was migrated for a cluster, and a process started
 * without the variable would run later migrations on this one host, making plain
 * MergeTree tables the other replicas never get. One query, before anything is sent.
 */
async function oneServer(db: Db): Promise<null> {
  const engine = await bookkeepingEngine(db)
  if (engine?.startsWith('Replicated')) {
    throw new ConfigError(
      `invalid configuration:\n  CLICKHOUSE_CLUSTER: unset, but this database was migrated for a cluster (schema_migrations is ${engine}); set CLICKHOUSE_CLUSTER to its cluster, as its other processes have it (docs/cluster.md)`,
    )
  }
  return null
}

/**
 * A data copy runs once, on the replica this process talks to, and reads that replica's
 * tables: each replicated table it reads (after FROM or any JOIN) first fetches what the
 * other replicas already have (SYSTEM SYNC REPLICA), so that a replica that lags does not
 * copy less. A name qualified by a database is synced by its table name in this database,
 * the only one the migrations use.
 */
export function sourcesOf(statement: string): string[] {
  const sql = stripComments(statement)
  const re = /\b(?:FROM|JOIN)\s+(?:`?[A-Za-z_][A-Za-z0-9_]*`?\s*\.\s*)?`?([A-Za-z_][A-Za-z0-9_]*)`?/gi
  return [...new Set([...sql.matchAll(re)].map((m) => m[1]!))]
}

async function syncSources(db: Db, statement: string): Promise<void> {
  const names = sourcesOf(statement)
  if (names.length === 0) return
  const replicated = await db.query<{ name: string }>(
    'SELECT table AS name FROM system.replicas WHERE database = currentDatabase() AND table IN {names:Array(String)}',
    { names },
  )
  for (const { name } of replicated) await db.command('SYSTEM SYNC REPLICA {t:Identifier}', { t: name })
}

// The lock is a table: creating a table that exists fails (TABLE_ALREADY_EXISTS), so of
// several processes exactly one creates it. Its holder writes a heartbeat; a lock whose
// holder has been silent for STALE_MS (it crashed mid-migration) is taken over.
const LOCK = 'schema_migrations_lock'
const HEARTBEAT_MS = 10_000
const STALE_MS = 60_000
const WAIT_MS = 250
const TABLE_ALREADY_EXISTS = '57'

// ON CLUSTER answers with the first host's error, its code in the text: "There was an
// error on [host:9000]: Code: 57. … (TABLE_ALREADY_EXISTS)".
const alreadyExists = (err: unknown) =>
  (err as { code?: string }).code === TABLE_ALREADY_EXISTS || /\bCode: 57\b|TABLE_ALREADY_EXISTS/.test(String((err as Error).message ?? ''))

async function acquire(db: Db, log: Logger, ddl: (statement: string) => Promise<void>): Promise<() => Promise<void>> {
  const owner = randomUUID()
  let waited = false
  for (;;) {
    try {
      await ddl(`CREATE TABLE ${LOCK} (owner String, beat DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY tuple()`)
      break
    } catch (err) {
      if (!alreadyExists(err)) throw err
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
      const took = await ddl(`RENAME TABLE ${LOCK} TO ${stale}`).then(
        () => true,
        () => false,
      )
      if (!took) continue
      // Another waiter may have taken the stale lock over and made a fresh one between our
      // look and the rename: that one is given back.
      const [got] = await db.query<{ owner: string }>(`SELECT argMax(owner, beat) AS owner FROM ${stale}`)
      if (got?.owner !== held.owner) {
        await ddl(`RENAME TABLE ${stale} TO ${LOCK}`).catch(() => undefined)
        continue
      }
      log.warn({ silent_ms: Number(held.silent) }, 'took over the migration lock of a process that stopped while migrating')
      await ddl(`DROP TABLE IF EXISTS ${stale} SYNC`)
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
    await ddl(`DROP TABLE IF EXISTS ${LOCK} SYNC`)
  }
}
