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
import { useSplitRoles } from '../helpers/split-roles.ts'

describe('migrations a rolling upgrade can run', () => {
  it(`no migration from ${ROLLING_SINCE} on drops, detaches, empties, renames, exchanges or replaces what running collectors write, drops or renames its columns, or deletes its rows`, () => {
    const since = readMigrations().filter((m) => m.version >= ROLLING_SINCE)
    expect(since.flatMap(rollingUpgradeProblems)).toEqual([])
  })

  it('the check names each such statement and name, however written, and lets ALTER … MODIFY QUERY, ADD COLUMN and new tables pass', () => {
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
        'drop table `events`',
        '/* c */ DROP TABLE events',
        '-- a note\nDROP\n  TABLE form_domains',
        'DROP TABLE spoor.events',
        'DROP TABLE `spoor`.`visit_ips` SYNC',
        'DROP TABLE IF EXISTS other, daily_stats',
        'RENAME TABLE a TO x, events TO y',
        'REPLACE TABLE events ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM events',
        'DETACH VIEW daily_stats_mv',
        'DETACH TABLE dropped_events',
        'ALTER TABLE events DROP COLUMN x',
        'ALTER TABLE spoor.events RENAME COLUMN x TO y',
        'ALTER TABLE sessions DROP PARTITION 202601',
        'ALTER TABLE `daily_breakdown` DETACH PARTITION tuple()',
        "ALTER TABLE daily_stats DELETE WHERE site = 'a'",
        "DELETE FROM daily_stats WHERE site = 'a'",
        'EXCHANGE TABLES other AND spoor.events_parse_check',
        'CREATE TABLE IF NOT EXISTS new_table (x UInt8) ENGINE = MergeTree ORDER BY x',
        'DROP TABLE IF EXISTS company_inbox',
        'ALTER TABLE events MODIFY COLUMN x LowCardinality(String)',
        'ALTER TABLE company_inbox DELETE WHERE 1',
      ],
    }
    expect(rollingUpgradeProblems(m).map((p) => p.split(',')[0])).toEqual([
      '099_example.sql statement 1 drops daily_stats_mv',
      '099_example.sql statement 3 exchanges events',
      '099_example.sql statement 4 renames sessions',
      '099_example.sql statement 5 empties visit_ips',
      '099_example.sql statement 6 replaces daily_breakdown_mv',
      '099_example.sql statement 10 drops events',
      '099_example.sql statement 11 drops events',
      '099_example.sql statement 12 drops form_domains',
      '099_example.sql statement 13 drops events',
      '099_example.sql statement 14 drops visit_ips',
      '099_example.sql statement 15 drops daily_stats',
      '099_example.sql statement 16 renames events',
      '099_example.sql statement 17 replaces events',
      '099_example.sql statement 18 detaches daily_stats_mv',
      '099_example.sql statement 19 detaches dropped_events',
      '099_example.sql statement 20 drops a column of events',
      '099_example.sql statement 21 renames a column of events',
      '099_example.sql statement 22 drops partitions of sessions',
      '099_example.sql statement 23 drops partitions of daily_breakdown',
      '099_example.sql statement 24 deletes rows of daily_stats',
      '099_example.sql statement 25 deletes rows of daily_stats',
      '099_example.sql statement 26 exchanges events_parse_check',
    ])
  })
})

describe('a view changed while two collectors insert', () => {
  const roles = useSplitRoles()
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spoor-rolling-'))
  })
  afterAll(() => {
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
