// Spoor's processes with the roles split (ROLE=collector, dashboard, jobs) on one
// ClickHouse HTTP harness, each with its own data and journal directory: what several
// machines run against a server. In this test process (start), or as the real server in
// a child process (spawn), which can be killed with SIGKILL and started again on its
// data directory; and the harness can be stopped and started again (outage).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, START_SCRIPT, startChild } from '../../bench/proc.ts'
import { loadConfig } from '../../lib/config.ts'
import { createLogger } from '../../lib/logger.ts'
import { createApp } from '../../server/app.ts'
import { assemble } from '../../server/main.ts'
import { ADMIN, CHROME_UA } from './app.ts'
import { type ClickHouseHttp, startClickHouseHttp } from './clickhouse-http.ts'
import { fixtureIntel } from './intel.ts'
import { afterAll, beforeAll } from 'vitest'

export type Role = 'collector' | 'dashboard' | 'jobs'

/** A role in a child process, and its data directory (its journal is `dir`/journal). */
export interface Spawned extends Child {
  dir: string
}

export interface Processes {
  /** The harness they share (a new one after each outage, on the same directory and port). */
  readonly ch: ClickHouseHttp
  start(role: Role, env?: Record<string, string>): Promise<{ deps: Awaited<ReturnType<typeof assemble>>; app: ReturnType<typeof createApp> }>
  /**
   * The server as `npm start` runs it (its Node flags), with `role`, in a child process on
   * 127.0.0.1; `dir`: a data directory of an earlier one (a restart on its journal), else a new one.
   */
  spawn(role: Role, env?: Record<string, string>, dir?: string): Promise<Spawned>
  /**
   * Stops the harness, waits `ms` (or runs `during`), and starts it again on its directory
   * and port: a database outage. Resolves with how long it was down, in ms.
   */
  outage(during: number | (() => Promise<unknown>)): Promise<number>
  /** Stops every child (SIGTERM: pending events written) and closes every process started, removes their directories, and stops the harness. */
  close(): Promise<void>
}

const USER = 'spoor'
const PASSWORD = 'harness secret'

/**
 * splitRoles for the enclosing file or describe: started before its tests, closed after.
 * The object stands for the harness once it is up (its methods close over their state).
 */
export function useSplitRoles(): Processes {
  let roles: Processes | undefined
  beforeAll(async () => {
    roles = await splitRoles()
  })
  afterAll(async () => {
    await roles?.close()
  })
  return new Proxy({} as Processes, { get: (_, key) => Reflect.get(roles!, key) })
}

/** A fresh HTTP harness, and the processes to start on it. */
async function splitRoles(): Promise<Processes> {
  const path = mkdtempSync(join(tmpdir(), 'spoor-ch-http-'))
  let ch = await startClickHouseHttp({ path, user: USER, password: PASSWORD })
  const dirs: string[] = [path]
  const running: Array<Awaited<ReturnType<typeof assemble>>> = []
  const children: Spawned[] = []
  const base = () => ({
    CLICKHOUSE_URL: ch.url,
    CLICKHOUSE_USER: USER,
    CLICKHOUSE_PASSWORD: PASSWORD,
    CLICKHOUSE_DATABASE: 'spoor',
    SITES: 'example.com',
    DEMO: 'false',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  })
  const newDir = (role: Role) => {
    const dir = mkdtempSync(join(tmpdir(), `spoor-${role}-`))
    dirs.push(dir)
    return dir
  }
  return {
    get ch() {
      return ch
    },
    async start(role, env = {}) {
      const config = loadConfig({ ...base(), ROLE: role, DATA_DIR: newDir(role), ...env })
      const deps = await assemble(config, createLogger('silent'), { intel: fixtureIntel() })
      running.push(deps)
      return { deps, app: createApp(deps) }
    },
    async spawn(role, env = {}, dir = newDir(role)) {
      // No IP location data: loading it costs a child a second of start, and nothing here looks at places.
      const child = await startChild(START_SCRIPT, { ...base(), LOG_LEVEL: 'error', DBIP: 'off', ...env, ROLE: role, DATA_DIR: dir })
      const spawned = { ...child, dir }
      children.push(spawned)
      return spawned
    },
    async outage(during) {
      const { port } = ch
      const down = Date.now()
      await ch.stop()
      if (typeof during === 'number') await new Promise((r) => setTimeout(r, during))
      else await during()
      ch = await startClickHouseHttp({ path, port, user: USER, password: PASSWORD })
      return Date.now() - down
    },
    async close() {
      for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) await c.stop()
      for (const d of running) await d.close()
      await ch.stop()
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    },
  }
}

/** POSTs an event to a spawned collector as the beacon does from a page of example.com (text/plain, a browser, the page's Origin). */
export function postEvent(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/event`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': CHROME_UA, Origin: 'https://example.com' },
  })
}

/** Resolves once a spawned process has nothing left in its journal (its /health says so). */
export async function drained(child: Child, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const health = (await (await fetch(`${child.url}/health`)).json()) as { pending_events: number }
    if (health.pending_events === 0) return
    if (Date.now() > until) throw new Error(`${child.url} still has ${health.pending_events} rows in its journal after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
