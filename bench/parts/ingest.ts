// Part 1 (and 6): page views through the real server against a bare Express endpoint,
// then a run at half the measured maximum for latency, then a count of what was stored.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { openDb } from '../../lib/db.ts'
import { type Child, cpuOf, memoryOf, resetPeak, START_SCRIPT, startChild } from '../proc.ts'
import type { PartResult } from '../report.ts'
import { benchSites, Traffic } from '../traffic.ts'

export interface IngestOptions {
  /** Seconds of each measured run. */
  duration: number
  connections: number
}

export interface Run {
  rate: number
  accepted: number
  refused: number
  other: number
  errors: number
  timeouts: number
  p50: number
  p99: number
  requests: number
  /** Cores the server used during the run: all threads, and the JavaScript thread alone. */
  serverCores?: number
  serverMainCores?: number
  /** Cores this (load generating) process used. */
  clientCores?: number
}

/** Ids of the events a run sent: answered 202, and sent without consent (must never be stored). */
export interface Sent {
  acknowledged: string[]
  unconsented: string[]
}

export async function load(
  url: string,
  pid: number,
  traffic: Traffic,
  o: { duration: number; connections: number; overallRate?: number },
  sent?: Sent,
): Promise<Run> {
  const cpu0 = cpuOf(pid)
  const me0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await autocannon({
    url,
    connections: o.connections,
    duration: o.duration,
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/event',
        // One request in flight per connection (no pipelining): the connection's
        // context says which event a response answers.
        setupRequest: (req, context) => {
          const b = traffic.next()
          if (!b.consented) sent?.unconsented.push(b.id)
          ;(context as { id?: string }).id = b.id
          return { ...req, body: b.body, headers: b.headers }
        },
        onResponse: (status, _body, context) => {
          if (status === 202) sent?.acknowledged.push((context as { id: string }).id)
        },
      },
    ],
  })
  const codes = result.statusCodeStats ?? {}
  const count = (code: string) => codes[code as `${number}`]?.count ?? 0
  const accepted = count('202')
  const refusedSeen = count('403')
  const total = Object.values(codes).reduce((s, c) => s + (c?.count ?? 0), 0)
  const secs = (performance.now() - t0) / 1000
  const cpu1 = cpuOf(pid)
  const me = process.cpuUsage(me0)
  return {
    serverCores: (cpu1.total - cpu0.total) / secs,
    serverMainCores: (cpu1.main - cpu0.main) / secs,
    clientCores: (me.user + me.system) / 1e6 / secs,
    rate: total / result.duration,
    accepted,
    refused: refusedSeen,
    other: total - accepted - refusedSeen,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: total,
  }
}

export async function run(o: IngestOptions): Promise<PartResult> {
  const sites = benchSites(20)
  const details: Record<string, unknown> = { options: o, sites: sites.length }

  // The baseline first, with the same traffic generator (it costs the client the same).
  const bare = await startChild('bench/bare-server.ts', {})
  let bareRun: Run
  try {
    await load(bare.url, bare.proc.pid!, new Traffic(sites, 7), { duration: 2, connections: o.connections })
    bareRun = await load(bare.url, bare.proc.pid!, new Traffic(sites, 1), { duration: o.duration, connections: o.connections })
  } finally {
    await bare.stop()
  }

  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-ingest-'))
  let server: Child | undefined
  try {
    server = await startChild(START_SCRIPT, {
      DATA_DIR: dir,
      SITES: sites.join(','),
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: 'bench password long enough',
      // The load generator is the "proxy": it sets X-Forwarded-For to the visitor's address.
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
    })
    const pid = server.proc.pid!
    const idle = memoryOf(pid).rssMb
    // Forget the start's peak (building the AS table reads 21 MB of CSV): from here
    // VmHWM is the peak during ingest alone.
    resetPeak(pid)
    const traffic = new Traffic(sites, 1)
    const sent: Sent = { acknowledged: [], unconsented: [] }
    const warm = await load(server.url, pid, traffic, { duration: 2, connections: o.connections }, sent)
    const max = await load(server.url, pid, traffic, { duration: o.duration, connections: o.connections }, sent)
    const halfRate = Math.max(1, Math.round(max.rate / 2))
    const half = await load(server.url, pid, traffic, { duration: o.duration, connections: o.connections, overallRate: halfRate }, sent)
    const peak = memoryOf(pid).peakMb
    const health = (await (await fetch(`${server.url}/health`)).json()) as { pending_events: number }

    const t0 = performance.now()
    const code = await server.stop()
    const stopMs = performance.now() - t0
    if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM:\n${server.stderr()}`)

    const { stored, found, unconsentedStored, duplicates } = await verifyStored(dir, sent)
    const accepted = sent.acknowledged.length
    const inFlightBound = 3 * o.connections
    // The same traffic goes to both servers (a fifth of it refused for lack of consent
    // by Spoor), so the ratio is of requests answered; accepted events/s is shown too.
    const ratio = max.rate / bareRun.rate
    Object.assign(details, {
      bare: bareRun,
      warm,
      max,
      half,
      halfRate,
      stored,
      accepted,
      acknowledgedFound: found,
      unconsentedSent: sent.unconsented.length,
      unconsentedStored,
      duplicates,
      storedWithoutAck: stored - found,
      pendingAtEnd: health.pending_events,
      stopMs,
      idleRssMb: idle,
      peakRssMb: peak,
    })

    const failures = warm.other + max.other + half.other + warm.errors + max.errors + half.errors
    return {
      part: 'ingest',
      details,
      rows: [
        {
          part: 'ingest',
          metric: 'requests/s at full load',
          value: max.rate,
          unit: 'req/s',
          baseline: { label: 'bare Express', value: bareRun.rate },
          ratio,
          target: '≥ 0.7×',
          ok: ratio >= 0.7,
        },
        { part: 'ingest', metric: 'accepted events/s at full load', value: max.accepted / o.duration, unit: 'events/s' },
        { part: 'ingest', metric: 'p50 latency at full load', value: max.p50, unit: 'ms', baseline: { label: 'bare Express', value: bareRun.p50 } },
        { part: 'ingest', metric: 'p99 latency at full load', value: max.p99, unit: 'ms', baseline: { label: 'bare Express', value: bareRun.p99 } },
        { part: 'ingest', metric: `p99 latency at half rate (${halfRate}/s)`, value: half.p99, unit: 'ms', target: '< 20 ms', ok: half.p99 < 20 },
        {
          part: 'ingest',
          metric: 'acknowledged (202) events stored',
          value: found,
          unit: `of ${accepted}`,
          target: 'all, once, none without consent, no errors',
          ok: found === accepted && duplicates === 0 && unconsentedStored === 0 && stored - found <= inFlightBound && failures === 0,
        },
        {
          part: 'memory',
          metric: 'server peak RSS during ingest',
          value: peak,
          unit: 'MB',
          baseline: { label: 'idle after start', value: idle },
          target: '< 600 MB',
          ok: peak < 600,
        },
      ],
    }
  } finally {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Every event answered 202 must be in ClickHouse once, by id, and none sent without
 * consent. Only the events still in flight when a run's time was up (at most one per
 * connection per run) may be stored without their 202 having been counted. Opens the
 * data directory itself: the server must have stopped.
 */
export async function verifyStored(dir: string, sent: Sent): Promise<{ stored: number; found: number; unconsentedStored: number; duplicates: number }> {
  const db = await openDb({ dataDir: dir, clickhouse: null } as never)
  try {
    await db.command('CREATE TABLE bench_sent (id String, acknowledged UInt8) ENGINE = Memory')
    await db.insert('bench_sent', [...sent.acknowledged.map((id) => ({ id, acknowledged: 1 })), ...sent.unconsented.map((id) => ({ id, acknowledged: 0 }))])
    const [row] = await db.query<{ n: string; found: string; unconsented: string; distinct_ids: string }>(
      `SELECT (SELECT count() FROM events) AS n, (SELECT uniqExact(event_id) FROM events) AS distinct_ids,
              (SELECT countIf(acknowledged = 1) FROM bench_sent WHERE id IN (SELECT event_id FROM events)) AS found,
              (SELECT countIf(acknowledged = 0) FROM bench_sent WHERE id IN (SELECT event_id FROM events)) AS unconsented`,
    )
    const stored = Number(row?.n ?? 0)
    return { stored, found: Number(row?.found ?? 0), unconsentedStored: Number(row?.unconsented ?? 0), duplicates: stored - Number(row?.distinct_ids ?? 0) }
  } finally {
    await db.close()
  }
}
