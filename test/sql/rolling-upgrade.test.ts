// A rolling upgrade on a ClickHouse server (issue 18, defect 2): a process of the new
// version migrates while collectors of the old one keep inserting.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAILY_BREAKDOWN_MV, DAILY_STATS_MV, SESSIONS_MV } from '../../aggregates/views.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate, readMigrations, SQL_DIR } from '../../sql/migrate.ts'
import { ROLLING_SINCE, rollingUpgradeProblems } from '../../sql/rolling.ts'
import { pageview, rid, send } from '../helpers/app.ts'
import { type Processes, splitRoles } from '../helpers/split-roles.ts'

describe('migrations a rolling upgrade can run', () => {
  it(`no migration from ${ROLLING_SINCE} on drops, empties, renames, exchanges or replaces what running collectors write`, () => {
    const since = readMigrations().filter((m) => m.version >= ROLLING_SINCE)
    expect(since.flatMap(rollingUpgradeProblems)).toEqual([])
  })

  it('the check names each such statement, and lets ALTER … MODIFY QUERY and new tables pass', () => {
    const m = {
      version: 99,
      name: '099_example.sql',
      statements: [
        'DROP VIEW IF EXISTS daily_stats_mv',
        'CREATE MATERIALIZED VIEW daily_stats_mv TO daily_stats AS SELECT 1',
        'EXCHANGE TABLES other AND `events`',
        'RENAME TABLE sessions TO sessions_old',
        'TRUNCATE TABLE visit_ips',
        'CREATE OR REPLACE VIEW daily_breakdown_mv AS SELECT 1',
        `ALTER TABLE daily_stats_mv MODIFY QUERY ${DAILY_STATS_MV.select()}`,
        'DROP TABLE IF EXISTS some_new_table',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS x String',
      ],
    }
    expect(rollingUpgradeProblems(m).map((p) => p.split(',')[0])).toEqual([
      '099_example.sql statement 1 drops daily_stats_mv',
      '099_example.sql statement 3 exchanges events',
      '099_example.sql statement 4 renames sessions',
      '099_example.sql statement 5 empties visit_ips',
      '099_example.sql statement 6 replaces daily_breakdown_mv',
    ])
  })
})

describe('a view changed while two collectors insert', () => {
  let roles: Processes
  let dir: string
  beforeAll(async () => {
    roles = await splitRoles()
    dir = mkdtempSync(join(tmpdir(), 'spoor-rolling-'))
  })
  afterAll(async () => {
    await roles?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('ALTER TABLE … MODIFY QUERY in a migration misses none of their page views', { timeout: 60_000 }, async () => {
    const collectors = [await roles.start('collector', { FLUSH_INTERVAL_MS: '100' }), await roles.start('collector', { FLUSH_INTERVAL_MS: '100' })]
    // The new version's migrations: today's, and one that changes each view on events.
    for (const f of readdirSync(SQL_DIR).filter((f) => /^\d{3}_.*\.sql$/.test(f))) cpSync(join(SQL_DIR, f), join(dir, f))
    const next = readMigrations().at(-1)!.version + 1
    writeFileSync(
      join(dir, `${String(next).padStart(3, '0')}_views.sql`),
      [DAILY_STATS_MV, DAILY_BREAKDOWN_MV, SESSIONS_MV].map((v) => `ALTER TABLE ${v.name} MODIFY QUERY ${v.select()};\n`).join('\n'),
    )
    let writing = true
    let sent = 0
    const load = collectors.map(async (c) => {
      while (writing) {
        await send(c.app, pageview({ vid: rid(), sid: rid(), url: 'https://example.com/rolling' })).expect(202)
        sent++
        await new Promise((r) => setTimeout(r, 5))
      }
    })
    await new Promise((r) => setTimeout(r, 700))
    const db = collectors[0]!.deps.db
    expect(await migrate(db, createLogger('silent'), dir, { lock: true })).toBe(1)
    await new Promise((r) => setTimeout(r, 700))
    writing = false
    await Promise.all(load)
    for (const c of collectors) await c.deps.writer.flush()
    const [r] = await db.query<{ raw: string; stats: string; breakdown: string; sessions: string }>(
      `SELECT (SELECT count() FROM events WHERE site = 'example.com' AND type = 'pageview') AS raw,
              (SELECT sum(pageviews) FROM daily_stats WHERE site = 'example.com') AS stats,
              (SELECT sum(pageviews) FROM daily_breakdown WHERE site = 'example.com' AND kind = 'page') AS breakdown,
              (SELECT sum(pageviews) FROM sessions WHERE site = 'example.com') AS sessions`,
    )
    expect(Number(r?.raw)).toBe(sent)
    expect([Number(r?.stats), Number(r?.breakdown), Number(r?.sessions)]).toEqual([sent, sent, sent])
  })
})
