// What `npm run backup` and `npm run restore` share: one line per failure, never a
// stack, and the embedded database opened by this process when no Spoor holds it.
import { ConfigError } from '../lib/config.ts'
import { type Db, openDb } from '../lib/db.ts'
import { BackupError, type TableInfo } from './backup.ts'
import { socketPath } from './socket.ts'

export async function run(command: string, fn: () => Promise<void>): Promise<never> {
  try {
    await fn()
  } catch (err) {
    const known = err instanceof BackupError || err instanceof ConfigError
    process.stderr.write(`${command} failed: ${known ? (err as Error).message : String((err as Error)?.message ?? err).split('\n')[0]}\n`)
    process.exit(1)
  }
  process.exit(0)
}

export function usage(text: string): never {
  process.stderr.write(`usage: ${text}\n`)
  process.exit(2)
}

/** DATA_DIR opened here; chDB allows one process per directory, so a running Spoor must have been asked first. */
export async function openHere(config: Parameters<typeof openDb>[0], backupsPath: string): Promise<Db> {
  try {
    return await openDb(config, { backupsPath })
  } catch (err) {
    if ((err as { code?: string }).code === 'CHDB_CONNECTION') {
      throw new BackupError(
        `DATA_DIR ${config.dataDir} is in use by another process, and no Spoor answered on ${socketPath(config.dataDir)} (a Spoor without an ops socket: see its log): stop that process and try again`,
      )
    }
    throw err
  }
}

/** "events 1204, users 3, …": the tables that hold rows. */
export const rowCounts = (tables: readonly TableInfo[]) =>
  tables
    .filter((t) => t.rows !== null && t.rows > 0)
    .map((t) => `${t.name} ${t.rows}`)
    .join(', ')
