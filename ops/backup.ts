// Backups of Spoor's whole database with ClickHouse's own BACKUP and RESTORE: every
// table and view system.tables lists in it, data, definitions and schema_migrations
// alike (docs/backup.md).
//
// The embedded engine writes and reads backups only below backups.allowed_path, a
// server setting fixed when the engine starts (lib/db.ts): DATA_DIR/backup-staging in
// a running Spoor, so that whatever asks it for a backup cannot choose where it goes;
// `npm run backup` moves the staged backup to the operator's directory.
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Db, stagingDir } from '../lib/db.ts'
import { dayLock } from '../lib/lock.ts'
import { readMigrations } from '../sql/migrate.ts'

/** Spoor's description of a backup, beside ClickHouse's own index (`.backup`). */
export const MANIFEST = 'spoor-backup.json'
export const BACKUP_INDEX = '.backup'

/** A failure the operator can act on: its message is the whole story, no stack. */
export class BackupError extends Error {
  override name = 'BackupError'
}

export interface TableInfo {
  name: string
  engine: string
  /** null for views and Null tables */
  rows: number | null
}

export interface Manifest {
  spoor_backup: 1
  created_at: string
  /** The newest migration applied (sql/NNN_*.sql). */
  schema: number
  /** The database backed up: `default` embedded, CLICKHOUSE_DATABASE on a server. */
  database: string
  source: 'embedded' | 'server'
  /** As counted under the same lock as the BACKUP. */
  tables: TableInfo[]
  seconds: number
}

/** The newest migration this code knows. */
export const knownSchema = () => Math.max(0, ...readMigrations().map((m) => m.version))

// ClickHouse's text up to its stack trace (system.backups keeps one in `error`).
const firstLine = (err: unknown) =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .replace(/, Stack trace.*$/, '')

/**
 * Runs `statement` (a BACKUP or RESTORE) with ASYNC and waits for system.backups to
 * say how it ended: a server's client gives up on one request after 30 s (lib/db.ts),
 * and a large BACKUP takes longer.
 */
async function runToEnd(db: Db, statement: string, params: object): Promise<void> {
  const [started] = await db.query<{ id: string }>(`${statement} ASYNC`, params)
  if (!started) throw new Error('ClickHouse gave no operation id')
  for (;;) {
    const [s] = await db.query<{ status: string; error: string }>('SELECT status, error FROM system.backups WHERE id = {id:String}', { id: started.id })
    // system.backups lives in memory: a server that restarted has forgotten the operation.
    if (!s) throw new Error(`operation ${started.id} is gone from system.backups (did the server restart?)`)
    if (s.status === 'BACKUP_CREATED' || s.status === 'RESTORED') return
    if (s.status !== 'CREATING_BACKUP' && s.status !== 'RESTORING') throw new Error(s.error || s.status)
    // 200 ms: a backup of 1 million events took 0.3 s on chDB (docs/backup.md).
    await new Promise((r) => setTimeout(r, 200))
  }
}

// BACKUP and RESTORE take no bound identifier; a database name is checked as one
// (lib/config.ts allows no other) and quoted.
function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BackupError(`"${name}" is not a plain database name`)
  return `\`${name}\``
}

async function currentDatabase(db: Db): Promise<string> {
  return (await db.query<{ d: string }>('SELECT currentDatabase() AS d'))[0]!.d
}

export async function listTables(db: Db): Promise<TableInfo[]> {
  const rows = await db.query<{ name: string; engine: string; rows: string | null }>(
    'SELECT name, engine, toString(total_rows) AS rows FROM system.tables WHERE database = currentDatabase() AND NOT is_temporary ORDER BY name',
  )
  return rows.map((r) => ({ name: r.name, engine: r.engine, rows: r.rows === null ? null : Number(r.rows) }))
}

async function schemaVersion(db: Db): Promise<number> {
  const [r] = await db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations')
  return Number(r?.v ?? 0)
}

/**
 * BACKUP DATABASE of the connection's database to `target`, a path as ClickHouse sees
 * it. `flush` writes what the collector acknowledged first. The writer's inserts, the
 * day rebuilds and erasures wait on dayLock while the backup runs (the collector keeps
 * acknowledging into its journal), so raw events and their aggregates are of one moment.
 */
export async function backupDatabase(db: Db, target: string, opts: { source: Manifest['source']; flush?: () => Promise<void> }): Promise<Manifest> {
  const started = Date.now()
  try {
    await opts.flush?.()
  } catch (err) {
    throw new BackupError(`the events the collector acknowledged could not be written to ClickHouse first (${firstLine(err)}); nothing was backed up`)
  }
  return dayLock.run(async () => {
    const database = await currentDatabase(db)
    const tables = await listTables(db)
    if (!tables.some((t) => t.name === 'schema_migrations')) throw new BackupError(`the database ${database} holds no Spoor data (no schema_migrations table)`)
    const schema = await schemaVersion(db)
    try {
      await runToEnd(db, `BACKUP DATABASE ${ident(database)} TO File({to:String})`, { to: target })
    } catch (err) {
      throw new BackupError(`ClickHouse's BACKUP failed: ${firstLine(err)}`)
    }
    return {
      spoor_backup: 1,
      created_at: new Date(started).toISOString(),
      schema,
      database,
      source: opts.source,
      tables,
      seconds: (Date.now() - started) / 1000,
    }
  })
}

/** An embedded backup into DATA_DIR/backup-staging/<new name>, with its manifest; returns that directory. */
export async function stageBackup(db: Db, dataDir: string, flush?: () => Promise<void>): Promise<{ dir: string; manifest: Manifest }> {
  const staging = stagingDir(dataDir)
  // A backup holds visitor ids and IP addresses: only Spoor's account may read it.
  mkdirSync(staging, { recursive: true, mode: 0o700 })
  chmodSync(staging, 0o700)
  const dir = join(staging, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`)
  const manifest = await backupDatabase(db, dir, { source: 'embedded', flush })
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  return { dir, manifest }
}

function restoreError(err: unknown, from: string, source: string, note: string | null): BackupError {
  const text = firstLine(err)
  const after = note ? `; ${note}` : ''
  if (/BACKUP_ENTRY_NOT_FOUND/.test(text)) return new BackupError(`the backup in ${from} holds no database ${source} (${text})${after}`)
  if (/BACKUP_NOT_FOUND|SAXParseException/.test(text)) return new BackupError(`${from} is not a backup ClickHouse can read (${text})${after}`)
  return new BackupError(`ClickHouse's RESTORE failed: ${text}${after}`)
}

/**
 * RESTORE DATABASE `from` (a path as ClickHouse sees it) into the connection's
 * database, which must hold no table unless `replace`: then every table and view in
 * it is dropped first.
 */
export async function restoreDatabase(
  db: Db,
  from: string,
  opts: { replace: boolean; sourceDatabase: string },
): Promise<{ database: string; tables: TableInfo[]; schema: number; seconds: number }> {
  const started = Date.now()
  const database = await currentDatabase(db)
  const existing = await listTables(db)
  if (existing.length > 0) {
    const rows = existing.reduce((n, t) => n + (t.rows ?? 0), 0)
    if (!opts.replace) {
      throw new BackupError(
        `the database ${database} already holds ${existing.length} tables (${rows} rows); restore would replace them only with --replace, which deletes them first`,
      )
    }
    // Nothing is dropped for a backup that cannot be read: its index and definitions
    // are restored into a database of their own first (structure only, no data).
    const check = `spoor_restore_check_${randomBytes(4).toString('hex')}`
    try {
      await runToEnd(
        db,
        `RESTORE DATABASE ${ident(opts.sourceDatabase)} AS ${ident(check)} FROM File({from:String}) SETTINGS structure_only = 1, allow_different_database_def = 1`,
        { from },
      )
    } catch (err) {
      throw restoreError(err, from, opts.sourceDatabase, 'nothing was deleted')
    } finally {
      await db.command(`DROP DATABASE IF EXISTS ${ident(check)} SYNC`)
    }
    // Views first: a table that a view reads from cannot be dropped before the view.
    const views = existing.filter((t) => t.engine.endsWith('View'))
    for (const t of [...views, ...existing.filter((t) => !views.includes(t))]) {
      await db.command('DROP TABLE IF EXISTS {t:Identifier} SYNC', { t: t.name })
    }
  }
  try {
    // The database itself exists already (chDB's default, or made by openDb on a server),
    // and its engine line never matches the backup's (UUIDs): only its tables are restored.
    await runToEnd(
      db,
      `RESTORE DATABASE ${ident(opts.sourceDatabase)} AS ${ident(database)} FROM File({from:String}) SETTINGS allow_different_database_def = 1`,
      { from },
    )
  } catch (err) {
    throw restoreError(err, from, opts.sourceDatabase, null)
  }
  const tables = await listTables(db)
  const schema = tables.some((t) => t.name === 'schema_migrations') ? await schemaVersion(db) : 0
  return { database, tables, schema, seconds: (Date.now() - started) / 1000 }
}
