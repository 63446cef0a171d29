// The migration runner: each file once, recorded; a failure stops loudly.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../lib/logger.ts'
import { MigrationError, migrate, readMigrations } from '../../sql/migrate.ts'
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
    // Without FINAL: a file applied twice would show as two rows.
    const rows = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')
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

  it('008 rebuilds ranked lists as uniqCombined states from raw events, keeps older page views, and feeds the new table', async () => {
    // Back to the state before 008: the 003 table and view, fed with two visitors' events.
    await t.db.command('DROP VIEW IF EXISTS daily_breakdown_mv')
    await t.db.command('DROP TABLE IF EXISTS daily_breakdown')
    const old = readMigrations()
      .find((m) => m.version === 3)!
      .statements.filter((s) => s.includes('daily_breakdown'))
    for (const s of old) await t.db.command(s)
    // Dates inside every retention (this app keeps raw events 90 days).
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)
    const [d1, d2, older] = [day(10), day(9), day(20)]
    const row = (vid: string, id: string) => ({
      event_id: id,
      site: 'example.com',
      ts: `${d1} 10:00:00.000`,
      type: 'pageview',
      vid,
      sid: `s-${vid}`,
      path: '/a',
      browser: 'Firefox',
    })
    await t.db.insert('events', [row('v1', 'e1'), row('v1', 'e2'), row('v2', 'e3')])
    // A day from before the raw events (long gone under RAW_RETENTION_DAYS).
    await t.db.command(
      "INSERT INTO daily_breakdown (site, kind, day, value, pageviews, events) VALUES ('example.com', 'browser', {older:Date}, 'Firefox', 7, 0)",
      { older },
    )
    await t.db.command('DELETE FROM schema_migrations WHERE version = 8')

    expect(await migrate(t.db, log)).toBe(1)
    const [type] = await t.db.query<{ t: string }>(
      "SELECT type AS t FROM system.columns WHERE database = currentDatabase() AND table = 'daily_breakdown' AND name = 'visitors'",
    )
    expect(type?.t).toBe('AggregateFunction(uniqCombined(12), String)')
    const q =
      "SELECT toString(day) AS day, uniqCombinedMerge(12)(visitors) AS visitors, sum(pageviews) AS pageviews FROM daily_breakdown WHERE kind = 'browser' AND value = 'Firefox' GROUP BY day ORDER BY day"
    type Day = { day: string; visitors: string; pageviews: string }
    expect((await t.db.query<Day>(q)).map((r) => ({ ...r, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }))).toEqual([
      { day: older, visitors: 0, pageviews: 7 },
      { day: d1, visitors: 2, pageviews: 3 },
    ])
    // The view writes into the new table.
    await t.db.insert('events', [{ ...row('v3', 'e4'), ts: `${d2} 10:00:00.000` }])
    expect((await t.db.query<Day>(q)).map((r) => Number(r.visitors))).toEqual([0, 2, 1])
  })

  it('009 rebuilds daily visitors and entry-page visitors as uniqCombined states, keeps older counts, and feeds the new table', async () => {
    // Back to the state before 009: the 003 tables and view, with two visitors' events and visits.
    for (const s of ['DROP VIEW IF EXISTS daily_stats_mv', 'DROP TABLE IF EXISTS daily_stats', 'DROP TABLE IF EXISTS daily_entry_pages']) await t.db.command(s)
    const old = readMigrations()
      .find((m) => m.version === 3)!
      .statements.filter((s) => /daily_stats|daily_entry_pages/.test(s))
    for (const s of old) await t.db.command(s)
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)
    const [d1, d2, older] = [day(12), day(11), day(40)]
    const row = (vid: string, id: string, path: string) => ({
      event_id: `m9-${id}`,
      site: 'm9.example',
      ts: `${d1} 10:00:00.000`,
      type: 'pageview',
      vid,
      sid: `m9-s-${vid}`,
      path,
    })
    await t.db.insert('events', [row('v1', '1', '/a'), { ...row('v1', '2', '/b'), ts: `${d1} 10:01:00.000` }, row('v2', '3', '/a')])
    // Rolled-up entry pages of d1 in the old type, and days from before the raw events.
    await t.db.command(
      "INSERT INTO daily_entry_pages (site, day, page, visitors, visits, bounces) SELECT 'm9.example', {d1:Date}, '/a', uniqState('x'), 2, 1",
      { d1 },
    )
    await t.db.command("INSERT INTO daily_entry_pages (site, day, page, visits, bounces) VALUES ('m9.example', {older:Date}, '/old', 5, 2)", { older })
    await t.db.command("INSERT INTO daily_stats (site, day, pageviews, events) VALUES ('m9.example', {older:Date}, 7, 1)", { older })
    await t.db.command('DELETE FROM schema_migrations WHERE version = 9')

    expect(await migrate(t.db, log)).toBe(1)
    const types = await t.db.query<{ table: string; t: string }>(
      "SELECT table, type AS t FROM system.columns WHERE database = currentDatabase() AND table IN ('daily_stats', 'daily_entry_pages') AND name = 'visitors' ORDER BY table",
    )
    expect(types).toEqual([
      { table: 'daily_entry_pages', t: 'AggregateFunction(uniqCombined(12), String)' },
      { table: 'daily_stats', t: 'AggregateFunction(uniqCombined(15), String)' },
    ])
    const stats =
      "SELECT toString(day) AS day, uniqCombinedMerge(15)(visitors) AS visitors, sum(pageviews) AS pageviews FROM daily_stats WHERE site = 'm9.example' GROUP BY day ORDER BY day"
    type Day = { day: string; visitors: string; pageviews: string }
    const num = (rows: Day[]) => rows.map((r) => ({ day: r.day, visitors: Number(r.visitors), pageviews: Number(r.pageviews) }))
    expect(num(await t.db.query<Day>(stats))).toEqual([
      { day: older, visitors: 0, pageviews: 7 },
      { day: d1, visitors: 2, pageviews: 3 },
    ])
    // d1's entry pages rolled up again from `sessions` (two visits entering on /a); the older day carried over.
    const entries = await t.db.query<{ day: string; page: string; visitors: string; visits: string; bounces: string }>(
      "SELECT toString(day) AS day, page, finalizeAggregation(visitors) AS visitors, visits, bounces FROM daily_entry_pages WHERE site = 'm9.example' ORDER BY day, page",
    )
    expect(entries.map((e) => [e.day, e.page, Number(e.visitors), Number(e.visits), Number(e.bounces)])).toEqual([
      [older, '/old', 0, 5, 2],
      [d1, '/a', 2, 2, 1],
    ])
    // The view writes into the new table.
    await t.db.insert('events', [{ ...row('v3', '4', '/c'), ts: `${d2} 10:00:00.000` }])
    expect(num(await t.db.query<Day>(stats)).map((r) => r.visitors)).toEqual([0, 2, 1])
  })

  it('010 gives events a bloom-filter index on sid', async () => {
    const [index] = await t.db.query<{ type: string; expr: string }>(
      "SELECT type_full AS type, expr FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'events' AND name = 'sid_bloom'",
    )
    expect(index).toEqual({ type: 'bloom_filter(0.001)', expr: 'sid' })
  })
})
