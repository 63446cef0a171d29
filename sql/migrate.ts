// Applies sql/NNN_name.sql in order, once each, and records what it applied.
// A failing statement stops the start with the file and the statement named.
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

export async function migrate(db: Db, log: Logger, dir = SQL_DIR): Promise<number> {
  await db.command(`CREATE TABLE IF NOT EXISTS schema_migrations
    (version UInt32, name String, applied_at DateTime('UTC') DEFAULT now())
    ENGINE = ReplacingMergeTree ORDER BY version`)
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
