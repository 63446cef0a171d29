// Sizing: what a million page views cost in disk and memory, for docs/deployment.md.
// 1. A million page views from the bench traffic (the collector's parsers, 20 sites, a
//    month), with their IP rows, into a fresh embedded data directory through Spoor's
//    migrations and views; each visit's address classified by the real lookup (country
//    on the event, network type and company for the visit, as the enrich-visits job
//    decides), company visits and visit roll-ups computed by the jobs' own functions;
//    every table merged; bytes on disk per table from system.parts, and du.
// 2. The real server (npm start's script and flags) on that directory: RSS idle, under
//    full beacon load, and while the dashboard's routes read the month, from /proc.
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { EventRow, IpRow } from '../../collector/writer.ts'
import { Knowledge } from '../../enrichment/company.ts'
import { recomputeCompanyVisits } from '../../aggregates/company-visits.ts'
import { rollupVisits } from '../../aggregates/rollup.ts'
import { type Decision, decide } from '../../enrichment/jobs/enrich-visits.ts'
import { MIN_CONFIDENCE } from '../../enrichment/jobs/learn-domains.ts'
import { IpIntel } from '../../enrichment/lookup.ts'
import { loadConfig } from '../../lib/config.ts'
import { openDb } from '../../lib/db.ts'
import { dayLock } from '../../lib/lock.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate } from '../../sql/migrate.ts'
import { type Child, memoryOf, resetPeak, START_SCRIPT, sessionCookie, startChild } from '../proc.ts'
import { percentile, type PartResult, type Row } from '../report.ts'
import { storedViews } from '../rows.ts'
import { benchSites, Traffic } from '../traffic.ts'
import { load } from './ingest.ts'

export interface SizingOptions {
  /** Page views stored (the figures are given per million). */
  pageviews: number
  /** Seconds of full beacon load on the server. */
  loadSeconds: number
  /** Seconds of dashboard reads on the server. */
  dashboardSeconds: number
  connections: number
}

const DAYS = 30
const CHUNK = 50_000
// What each table is, for the table in docs/deployment.md; anything else is summed as "other".
const TABLES: Array<[string, string]> = [
  ['events', 'raw page views and events (`RAW_RETENTION_DAYS`, 180)'],
  ['sessions', 'one row per visit (`RAW_RETENTION_DAYS`)'],
  ['enriched_sessions', 'network type and company per visit (`RAW_RETENTION_DAYS`)'],
  ['company_sessions', 'visit rows of company visits, for the companies list with filters (`RAW_RETENTION_DAYS`)'],
  ['daily_stats', 'visitors and page views per site and day (25 months)'],
  ['daily_breakdown', 'pages, referrers, browsers, countries… per day (25 months)'],
  ['daily_visits', 'visits, bounces, duration per day (25 months)'],
  ['daily_entry_pages', 'entry pages per day (25 months)'],
  ['company_visits', 'company visits per day (`COMPANY_RETENTION_MONTHS`, 13)'],
  ['companies', 'recognised companies'],
]
const TRANSIENT = 'visit_ips'

/** Bytes the files under `dir` take on disk (st_blocks, as du counts them), less the directories in `skip`. */
export function diskUsage(dir: string, skip: ReadonlySet<string> = new Set()): number {
  let sum = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (skip.has(p)) continue
    try {
      sum += lstatSync(p).blocks * 512
      if (e.isDirectory()) sum += diskUsage(p, skip)
    } catch (err) {
      // A part ClickHouse deleted while we walked.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
  return sum
}

const mb = (bytes: number) => bytes / 1e6
const fmtMb = (bytes: number) => (bytes >= 10e6 ? Math.round(mb(bytes)).toLocaleString('en-US') : mb(bytes).toFixed(bytes >= 1e5 ? 1 : 2))
const int = (n: number) => Math.round(n).toLocaleString('en-US')

interface TableSize {
  table: string
  rows: number
  bytes: number
}

async function fill(dir: string, o: SizingOptions, sites: string[]) {
  const log = createLogger('warn')
  const db = await openDb({ dataDir: dir, clickhouse: null })
  try {
    await migrate(db, log)
    const empty = diskUsage(dir)
    const knowledge = Knowledge.empty()
    // The server's defaults: DB-IP Country for the event's country, business, education
    // and government networks may name a company.
    const config = loadConfig({ DATA_DIR: dir })
    const intel = await IpIntel.open(config, knowledge)
    await knowledge.refresh(db, MIN_CONFIDENCE)

    const t0 = performance.now()
    let events: EventRow[] = []
    let ips: IpRow[] = []
    const decided: Decision[] = []
    const companies = new Map<string, Record<string, unknown>>()
    const spanMs = DAYS * 86_400_000
    // About 20 visitors browsing at once: a visit's pages come a minute or so apart.
    for (const v of storedViews(sites, o.pageviews, { start: Date.now() - spanMs, spanMs, seed: 11, activeVisitors: 20 })) {
      const place = intel.lookup(v.ip)
      v.row.country = place?.country ?? ''
      v.row.city = place?.city ?? ''
      events.push(v.row)
      if (v.firstOfVisit) {
        ips.push({ site: v.row.site, sid: v.row.sid, vid: v.row.vid, ip: v.ip, ts: v.row.ts.slice(0, 19) })
        // What the enrich-visits job decides for the visit, with its own function.
        const r = await intel.lookupIp(v.ip, { place: false })
        decide({ site: v.row.site, sid: v.row.sid, day: v.row.ts.slice(0, 10) }, r, r.company, decided, companies)
      }
      if (events.length >= CHUNK) {
        await db.insert('events', events)
        await db.insert('visit_ips', ips)
        events = []
        ips = []
      }
    }
    await db.insert('events', events)
    await db.insert('visit_ips', ips)
    for (let i = 0; i < decided.length; i += CHUNK) await db.insert('enriched_sessions', decided.slice(i, i + CHUNK))
    await db.insert('companies', [...companies.values()])
    const loadSecs = (performance.now() - t0) / 1000
    process.stderr.write(`  sizing: ${int(o.pageviews)} page views, ${int(decided.length)} visits stored in ${loadSecs.toFixed(0)} s\n`)

    // The jobs' own functions: company visits for every day, visit roll-ups for every finished day.
    const days = Array.from({ length: DAYS + 1 }, (_, i) => new Date(Date.now() - (DAYS - i) * 86_400_000).toISOString().slice(0, 10))
    await dayLock.run(() => recomputeCompanyVisits(db, days))
    await rollupVisits(db)

    // A server that has run for a while has merged its parts (and its aggregates' rows).
    const tables = (await db.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'")).map(
      (t) => t.name,
    )
    for (const t of tables) await db.command('OPTIMIZE TABLE {t:Identifier} FINAL', { t })
    const parts = await db.query<{ table: string; rows: string; bytes: string }>(
      `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table`,
    )
    // Parts replaced by the merges wait up to old_parts_lifetime (60 s for events, sql/013)
    // before ClickHouse deletes them: their directories are not counted.
    const outdated = async () =>
      new Set((await db.query<{ path: string }>('SELECT path FROM system.parts WHERE NOT active AND database = currentDatabase()')).map((p) => resolve(p.path)))
    const sizes: TableSize[] = parts.map((p) => ({ table: p.table, rows: Number(p.rows), bytes: Number(p.bytes) }))
    const withIps = diskUsage(dir, await outdated())
    // The enrichment job deletes a visit's IP row once it has decided (within minutes),
    // and nothing is kept longer than IP_RETENTION_DAYS: not part of the steady state.
    await db.command(`TRUNCATE TABLE ${TRANSIENT}`)
    const steady = diskUsage(dir, await outdated())
    const companyVisits = decided.filter((d) => d.company_id !== '').length
    return { empty, withIps, steady, sizes, visits: decided.length, companyVisits, companies: companies.size, loadSecs }
  } finally {
    await db.close()
  }
}

/** The dashboard's routes for the three busiest sites, by `clients` clients at once (a page load asks for several), for `secs` seconds. */
async function readDashboard(url: string, sites: string[], secs: number, clients = 4) {
  const password = 'bench password long enough'
  const cookie = await sessionCookie(url, 'bench@example.com', password)
  const routes = ['summary', 'timeseries', 'pages', 'referrers', 'browsers', 'countries', 'entry-pages']
  const calls = sites.slice(0, 3).flatMap((site) => [...routes.map((r) => `/api/stats/${r}?site=${site}`), `/api/companies?site=${site}`])
  const ms: number[] = []
  const until = Date.now() + secs * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; Date.now() < until; i++) {
        const t0 = performance.now()
        const res = await fetch(url + calls[i % calls.length]!, { headers: { cookie } })
        if (!res.ok) throw new Error(`${calls[i % calls.length]} answered ${res.status}: ${await res.text()}`)
        await res.arrayBuffer()
        ms.push(performance.now() - t0)
      }
    }),
  )
  return ms.sort((a, b) => a - b)
}

export async function run(o: SizingOptions): Promise<PartResult> {
  const sites = benchSites(20)
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-sizing-'))
  let server: Child | undefined
  try {
    const f = await fill(dir, o, sites)
    const per = 1e6 / o.pageviews
    const size = (t: string) => f.sizes.find((s) => s.table === t) ?? { table: t, rows: 0, bytes: 0 }
    const named = new Set([...TABLES.map(([t]) => t), TRANSIENT])
    const other = f.sizes.filter((s) => !named.has(s.table))
    const kept = f.sizes.filter((s) => s.table !== TRANSIENT)
    const keptBytes = kept.reduce((s, t) => s + t.bytes, 0)
    const ipBytesPerVisit = size(TRANSIENT).bytes / Math.max(1, size(TRANSIENT).rows)

    server = await startChild(START_SCRIPT, {
      DATA_DIR: dir,
      SITES: sites.join(','),
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: 'bench password long enough',
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
    })
    const pid = server.proc.pid!
    await new Promise((r) => setTimeout(r, 10_000))
    const idle = memoryOf(pid)
    resetPeak(pid)
    const traffic = new Traffic(sites, 5)
    // Two seconds first, as the ingest part does: V8 compiles the collector's hot path.
    await load(server.url, pid, traffic, { duration: 2, connections: o.connections })
    resetPeak(pid)
    const run = await load(server.url, pid, traffic, { duration: o.loadSeconds, connections: o.connections })
    const loaded = memoryOf(pid)
    // For LimitNOFILE: sockets, the journal, and chDB's part files.
    const openFiles = readdirSync(`/proc/${pid}/fd`).length
    // The beacons just sent are written within a second; then the dashboard alone.
    await new Promise((r) => setTimeout(r, 2000))
    resetPeak(pid)
    const reads = await readDashboard(server.url, sites, o.dashboardSeconds)
    const reading = memoryOf(pid)
    const t0 = performance.now()
    const code = await server.stop()
    const stopMs = performance.now() - t0
    if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM:\n${server.stderr()}`)

    const rows: Row[] = [
      { part: 'sizing', metric: 'disk per 1M page views, all tables', value: mb(keptBytes * per), unit: 'MB' },
      { part: 'sizing', metric: 'disk per 1M page views, events table', value: mb(size('events').bytes * per), unit: 'MB' },
      { part: 'sizing', metric: 'disk per 1M page views, DATA_DIR (du)', value: mb((f.steady - f.empty) * per), unit: 'MB' },
      { part: 'sizing', metric: 'server RSS idle, 1M page views stored', value: idle.rssMb, unit: 'MB' },
      { part: 'sizing', metric: `server peak RSS under load (${int(run.rate)} req/s)`, value: loaded.peakMb, unit: 'MB' },
      { part: 'sizing', metric: 'server peak RSS, dashboard reading the month', value: reading.peakMb, unit: 'MB' },
    ]

    const tableRows = [
      ...TABLES.map(([t, what]) => ({ ...size(t), what })),
      ...(other.length
        ? [
            {
              table: other
                .map((s) => s.table)
                .sort()
                .join(', '),
              what: 'the other tables that hold rows here',
              rows: other.reduce((s, t) => s + t.rows, 0),
              bytes: other.reduce((s, t) => s + t.bytes, 0),
            },
          ]
        : []),
    ]
    const markdown = [
      `${int(o.pageviews)} page views over ${DAYS} days on ${sites.length} sites (${int(f.visits)} visits, ${int(f.companyVisits)} of them from ${int(f.companies)} companies), after merges; figures per million page views.`,
      '',
      '| table | holds | rows | MB on disk | bytes per page view |',
      '|---|---|---|---|---|',
      ...tableRows.map((t) => `| \`${t.table}\` | ${t.what} | ${int(t.rows * per)} | ${fmtMb(t.bytes * per)} | ${(t.bytes / o.pageviews).toFixed(1)} |`),
      `| **all tables** (system.parts) | | | **${fmtMb(keptBytes * per)}** | **${(keptBytes / o.pageviews).toFixed(0)}** |`,
      `| \`DATA_DIR\` (du, less an empty one of ${fmtMb(f.empty)} MB) | | | ${fmtMb((f.steady - f.empty) * per)} | ${((f.steady - f.empty) / o.pageviews).toFixed(0)} |`,
      '',
      `Not counted above: \`${TRANSIENT}\`, the full address of each visit, which the enrichment job deletes once it has decided (within minutes) and which never outlives \`IP_RETENTION_DAYS\`: ${(ipBytesPerVisit).toFixed(0)} bytes a visit while it is there (${int(size(TRANSIENT).rows)} rows of the last 7 days kept after the TTL merge).`,
      '',
      `| Spoor process (\`npm start\`'s flags, DB-IP Country), the ${int(o.pageviews)} page views stored | |`,
      '|---|---|',
      `| idle, 10 s after start | ${int(idle.rssMb)} MB |`,
      `| peak during start | ${int(idle.peakMb)} MB |`,
      `| peak under full beacon load (${int(run.rate)} requests/s, ${o.connections} connections, ${o.loadSeconds} s) | ${int(loaded.peakMb)} MB |`,
      `| peak while the dashboard reads the month (${reads.length} API calls by 4 clients at once in ${o.dashboardSeconds} s) | ${int(reading.peakMb)} MB |`,
      `| open files right after the load | ${openFiles} |`,
      `| stop on SIGTERM | ${(stopMs / 1000).toFixed(1)} s |`,
    ].join('\n')

    return {
      part: 'sizing',
      rows,
      markdown,
      details: {
        options: o,
        script: START_SCRIPT,
        visits: f.visits,
        companyVisits: f.companyVisits,
        companies: f.companies,
        fillSecs: f.loadSecs,
        bytes: { emptyDataDir: f.empty, dataDirWithIps: f.withIps, dataDir: f.steady, tables: f.sizes },
        memoryMb: { idle, loaded, reading },
        load: run,
        dashboardMs: { calls: reads.length, p50: percentile(reads, 50), p95: percentile(reads, 95) },
        stopMs,
        openFiles,
      },
    }
  } finally {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}
