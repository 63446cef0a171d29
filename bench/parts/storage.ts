// Part 2: rows a second through the collector's write path (EventWriter: batches of
// FLUSH_MAX_ROWS, deduplication tokens, the day lock) into the events table with its
// materialized views, next to one plain client.insert of the same rows into the same
// schema. Then bytes on disk per stored event, after merges.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventWriter } from '../../collector/writer.ts'
import { loadConfig } from '../../lib/config.ts'
import { openDb } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate } from '../../sql/migrate.ts'
import { memoryOf } from '../proc.ts'
import type { PartResult } from '../report.ts'
import { eventRows } from '../rows.ts'
import { benchSites } from '../traffic.ts'

export interface StorageOptions {
  rows: number
}

const VIEW_TARGETS = ['daily_stats', 'sessions', 'daily_breakdown']

export async function run(o: StorageOptions): Promise<PartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-storage-'))
  const db = await openDb({ dataDir: dir, clickhouse: null } as never)
  const log = createLogger('warn')
  try {
    await migrate(db, log)
    const sites = benchSites(20)
    const rows = eventRows(sites, o.rows)
    const time = async (f: () => Promise<void>) => {
      const t0 = performance.now()
      await f()
      return (performance.now() - t0) / 1000
    }
    const truncate = async () => {
      for (const t of ['events', ...VIEW_TARGETS]) await db.command(`TRUNCATE TABLE ${t}`)
    }
    const count = async () => Number((await db.query<{ n: string }>('SELECT count() AS n FROM events'))[0]?.n)

    // Warm up (the first insert creates the parts directories and caches).
    await db.insert('events', rows.slice(0, 1000))
    await truncate()

    // Baseline: one plain insert of all rows, views firing as they always do.
    const plainSecs = await time(() => db.insert('events', rows))
    if ((await count()) !== rows.length) throw new Error('plain insert did not store every row')
    await truncate()

    // The collector's path, with the configuration's defaults (5,000 rows a batch), the
    // journal included: rows arrive in groups of 200 (a busy collector's few
    // milliseconds), each group written and synced to the journal before the next.
    const writer = new EventWriter(db, loadConfig({ DATA_DIR: dir }), log)
    const writerSecs = await time(async () => {
      for (let i = 0; i < rows.length; i += 200) await Promise.all(rows.slice(i, i + 200).map((r) => writer.push(r, null)))
      await writer.flush()
    })
    await writer.close()
    const stored = await count()
    if (stored !== rows.length) throw new Error(`writer stored ${stored} of ${rows.length} rows`)

    // The same rows without views: what the views cost.
    await db.command('CREATE TABLE events_plain AS events')
    const noViewSecs = await time(() => db.insert('events_plain', rows))

    for (const t of ['events', ...VIEW_TARGETS]) await db.command(`OPTIMIZE TABLE ${t} FINAL`)
    const parts = await db.query<{ table: string; bytes: string; rows: string }>(
      `SELECT table, sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts
       WHERE active AND database = currentDatabase() AND table IN {t:Array(String)} GROUP BY table`,
      { t: ['events', ...VIEW_TARGETS] },
    )
    const bytes = Object.fromEntries(parts.map((p) => [p.table, Number(p.bytes)]))
    const eventBytes = (bytes.events ?? 0) / rows.length
    const allBytes = parts.reduce((s, p) => s + Number(p.bytes), 0) / rows.length
    const writerRate = rows.length / writerSecs
    const plainRate = rows.length / plainSecs
    return {
      part: 'storage',
      details: {
        options: o,
        writerSecs,
        plainSecs,
        noViewSecs,
        bytes,
        tableRows: Object.fromEntries(parts.map((p) => [p.table, Number(p.rows)])),
        rssMb: memoryOf(process.pid),
      },
      rows: [
        {
          part: 'storage',
          metric: 'rows/s through the write path',
          value: writerRate,
          unit: 'rows/s',
          baseline: { label: 'one plain insert', value: plainRate },
          ratio: writerRate / plainRate,
        },
        { part: 'storage', metric: 'rows/s into events without views', value: rows.length / noViewSecs, unit: 'rows/s' },
        { part: 'storage', metric: 'bytes per event on disk (events)', value: eventBytes, unit: 'B' },
        { part: 'storage', metric: 'bytes per event with aggregates', value: allBytes, unit: 'B' },
      ],
    }
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
