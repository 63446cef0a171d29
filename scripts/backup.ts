// npm run backup -- DIR: a ClickHouse BACKUP of Spoor's whole database (docs/backup.md).
// Embedded, DIR is a new directory here; the running Spoor takes the backup if there is
// one (it holds the engine, and writes what its collector acknowledged first), else
// this process does. With CLICKHOUSE_URL, DIR is a path on the ClickHouse server.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { loadConfig } from '../lib/config.ts'
import { openDb } from '../lib/db.ts'
import { stagingDir } from '../lib/db.ts'
import { BackupError, backupDatabase, type Manifest, stageBackup } from '../ops/backup.ts'
import { openHere, rowCounts, run, usage } from '../ops/cli.ts'
import { askRunning } from '../ops/socket.ts'

const args = process.argv.slice(2).filter((a) => a !== '--')
if (args.length !== 1 || args[0]!.startsWith('-'))
  usage('npm run backup -- DIR   (a new or empty directory; with CLICKHOUSE_URL a path on the ClickHouse server)')
const given = args[0]!

/** The running Spoor's answer to POST /backup, or null when none runs on DATA_DIR. */
async function askForBackup(dataDir: string, body: object): Promise<{ staged?: string; manifest: Manifest } | null> {
  const answer = await askRunning(dataDir, 'POST', '/backup', body)
  if (answer === null) return null
  if (answer.status !== 200) throw new BackupError(`the running Spoor did not take the backup: ${String(answer.json.error ?? answer.status)}`)
  return answer.json as unknown as { staged?: string; manifest: Manifest }
}

/** A rename within one filesystem; a copy across two. */
function moveInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true })
  try {
    // rename(2) replaces an empty directory.
    renameSync(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
    cpSync(from, to, { recursive: true })
    rmSync(from, { recursive: true, force: true })
  }
  // It holds visitor ids and IP addresses.
  chmodSync(to, 0o700)
}

await run('backup', async () => {
  const config = loadConfig()
  const started = Date.now()
  let manifest: Manifest
  let where: string
  if (config.clickhouse) {
    const body = { to: given }
    const asked = await askForBackup(config.dataDir, body)
    if (asked) manifest = asked.manifest
    else {
      const db = await openDb(config)
      try {
        manifest = await backupDatabase(db, given, { source: 'server' })
      } finally {
        await db.close()
      }
    }
    where = `${given} on the ClickHouse server ${new URL(config.clickhouse.url).host}`
  } else {
    const out = resolve(given)
    if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
      throw new BackupError(`${out} already exists and is not an empty directory: name a new one, so that no backup is overwritten`)
    }
    let staged: string
    const asked = await askForBackup(config.dataDir, {})
    if (asked?.staged) {
      staged = asked.staged
      manifest = asked.manifest
    } else {
      if (!existsSync(join(config.dataDir, 'metadata')))
        throw new BackupError(`DATA_DIR ${resolve(config.dataDir)} holds no embedded ClickHouse data (no Spoor has run there)`)
      const db = await openHere(config, stagingDir(config.dataDir))
      try {
        ;({ dir: staged, manifest } = await stageBackup(db, config.dataDir))
      } finally {
        await db.close()
      }
    }
    moveInto(staged, out)
    where = out
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  process.stdout.write(
    `backup of ${manifest.tables.length} tables (schema ${manifest.schema}) in ${where}, ${seconds} s, BACKUP itself ${manifest.seconds.toFixed(1)} s\nrows: ${rowCounts(manifest.tables)}\n`,
  )
})
