// npm run restore -- DIR [--replace]: ClickHouse's RESTORE of a backup `npm run backup`
// wrote, into DATA_DIR (embedded; Spoor must be stopped) or CLICKHOUSE_DATABASE on the
// server (DIR then a path on the server). A database that holds tables is replaced only
// with --replace. docs/backup.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../lib/config.ts'
import { openDb } from '../lib/db.ts'
import { BACKUP_INDEX, BackupError, knownSchema, MANIFEST, type Manifest, restoreDatabase } from '../ops/backup.ts'
import { openHere, rowCounts, run, usage } from '../ops/cli.ts'
import { askRunning } from '../ops/socket.ts'

const USAGE = 'npm run restore -- DIR [--replace]   (DIR as npm run backup wrote it; --replace deletes the tables DATA_DIR holds first)'
const args = process.argv.slice(2).filter((a) => a !== '--')
const flags = args.filter((a) => a.startsWith('-'))
const dirs = args.filter((a) => !a.startsWith('-'))
if (dirs.length !== 1 || flags.some((f) => f !== '--replace')) usage(USAGE)
const given = dirs[0]!
const replace = flags.includes('--replace')

/** The manifest of a backup directory on this machine, after checking it is one. */
function readManifest(dir: string): Manifest {
  if (!existsSync(dir)) throw new BackupError(`${dir} does not exist`)
  if (!statSync(dir).isDirectory()) throw new BackupError(`${dir} is not a directory: name the directory npm run backup wrote`)
  if (!existsSync(join(dir, BACKUP_INDEX))) {
    const inside = readdirSync(dir).find((f) => existsSync(join(dir, f, BACKUP_INDEX)))
    throw new BackupError(`${dir} is not a backup (no ${BACKUP_INDEX} index from ClickHouse's BACKUP)${inside ? `; ${join(dir, inside)} is one` : ''}`)
  }
  if (!existsSync(join(dir, MANIFEST))) throw new BackupError(`${dir} is a ClickHouse backup but not one npm run backup wrote (no ${MANIFEST})`)
  let m: Partial<Manifest>
  try {
    m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Partial<Manifest>
  } catch {
    throw new BackupError(`${join(dir, MANIFEST)} is not valid JSON`)
  }
  if (m.spoor_backup !== 1 || typeof m.database !== 'string' || typeof m.schema !== 'number')
    throw new BackupError(`${join(dir, MANIFEST)} is not a Spoor backup manifest this version reads`)
  return m as Manifest
}

/** Refuses a backup of a newer schema than this code's migrations: its tables may not be what this code reads. */
function checkSchema(schema: number, done: boolean): void {
  const known = knownSchema()
  if (schema <= known) return
  const what = `the backup comes from a newer Spoor (schema ${schema}; this one knows up to ${known})`
  throw new BackupError(done ? `restored, but ${what}: run that version on it` : `${what}: restore it with that version`)
}

await run('restore', async () => {
  const config = loadConfig()
  let result: Awaited<ReturnType<typeof restoreDatabase>>
  let into: string
  if (config.clickhouse) {
    // DIR is on the server; its manifest is readable only when the server is this machine.
    const local = existsSync(join(given, MANIFEST)) ? readManifest(given) : null
    if (local) checkSchema(local.schema, false)
    const db = await openDb(config)
    try {
      result = await restoreDatabase(db, given, { replace, sourceDatabase: local?.database ?? config.clickhouse.database })
    } finally {
      await db.close()
    }
    into = `database ${result.database} on ${new URL(config.clickhouse.url).host}`
  } else {
    const from = resolve(given)
    const manifest = readManifest(from)
    checkSchema(manifest.schema, false)
    if ((await askRunning(config.dataDir, 'GET', '/status')) !== null)
      throw new BackupError(`Spoor is running on DATA_DIR ${resolve(config.dataDir)}: stop it, then restore`)
    const db = await openHere(config, from)
    try {
      result = await restoreDatabase(db, from, { replace, sourceDatabase: manifest.database })
    } finally {
      await db.close()
    }
    const missing = manifest.tables.filter((t) => !result.tables.some((r) => r.name === t.name)).map((t) => t.name)
    if (missing.length > 0) throw new BackupError(`restored, but without ${missing.join(', ')}`)
    into = `DATA_DIR ${resolve(config.dataDir)}`
    const journal = existsSync(config.journalDir) ? readdirSync(config.journalDir).filter((f) => /^\d.*\.jsonl$/.test(f)) : []
    if (journal.length > 0)
      process.stderr.write(
        `note: ${config.journalDir} holds ${journal.length} journal segments of events acknowledged before the restore; Spoor writes them at its next start\n`,
      )
  }
  checkSchema(result.schema, true)
  process.stdout.write(
    `restored ${result.tables.length} tables (schema ${result.schema}) into ${into} in ${result.seconds.toFixed(1)} s\nrows: ${rowCounts(result.tables)}\n`,
  )
})
