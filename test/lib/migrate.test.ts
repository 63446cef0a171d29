// The migration runner: each file once, recorded; a failure stops loudly.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../lib/logger.ts'
import { MigrationError, migrate, readMigrations } from '../../lib/migrate.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  // Not the defaults (180 and 7), so that a hard-coded TTL would fail the retention test.
  t = await makeApp({ RAW_RETENTION_DAYS: '90', IP_RETENTION_DAYS: '5' })
})
afterAll(async () => {
  await t.close()
})
const log = createLogger('silent')

describe('migrations', () => {
  it('records every file in sql/ once, and a second run applies nothing', async () => {
    const files = readMigrations().map((m) => m.name)
    const rows = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations FINAL ORDER BY version')
    expect(rows.map((r) => r.name)).toEqual(files)
    expect(await migrate(t.db, log)).toBe(0)
  })

  it('stops at a failing statement, naming the file, and does not record it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-sql-'))
    writeFileSync(join(dir, '900_good.sql'), 'CREATE TABLE IF NOT EXISTS mig_probe (x UInt8) ENGINE = MergeTree ORDER BY x;\n')
    writeFileSync(join(dir, '901_broken.sql'), 'CREATE TABLE mig_broken (x NoSuchType) ENGINE = MergeTree ORDER BY x;\n')
    await expect(migrate(t.db, log, dir)).rejects.toThrow(MigrationError)
    await expect(migrate(t.db, log, dir)).rejects.toThrow(/901_broken\.sql failed at statement 1/)
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations FINAL WHERE version >= 900')
    expect(rows.map((r) => Number(r.version))).toEqual([900])
  })

  it('sets RAW_RETENTION_DAYS on events and sessions, and IP_RETENTION_DAYS on visit_ips', async () => {
    const rows = await t.db.query<{ name: string; q: string }>(
      "SELECT name, create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name IN ('events', 'sessions', 'visit_ips') ORDER BY name",
    )
    expect(rows.map((r) => r.name)).toEqual(['events', 'sessions', 'visit_ips'])
    expect(rows[0]?.q).toMatch(/TTL toDateTime\(ts\) \+ toIntervalDay\(_CAST\(90, 'UInt32'\)\)/)
    expect(rows[1]?.q).toMatch(/TTL day \+ toIntervalDay\(_CAST\(90, 'UInt32'\)\)/)
    expect(rows[2]?.q).toMatch(/TTL ts \+ toIntervalDay\(_CAST\(5, 'UInt32'\)\)/)
  })
})
