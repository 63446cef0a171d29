// Spoor's processes with the roles split (ROLE=collector, dashboard, jobs) in this test
// process, each with its own data and journal directory, on one ClickHouse HTTP harness:
// what several machines run against a server.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config.ts'
import { createLogger } from '../../lib/logger.ts'
import { createApp } from '../../server/app.ts'
import { assemble } from '../../server/main.ts'
import { ADMIN } from './app.ts'
import { type ClickHouseHttp, startClickHouseHttp } from './clickhouse-http.ts'
import { fixtureIntel } from './intel.ts'

export type Role = 'collector' | 'dashboard' | 'jobs'

export interface Processes {
  /** The harness they share. */
  ch: ClickHouseHttp
  start(role: Role, env?: Record<string, string>): Promise<{ deps: Awaited<ReturnType<typeof assemble>>; app: ReturnType<typeof createApp> }>
  /** Closes every process started (pending events written), removes their directories, and stops the harness. */
  close(): Promise<void>
}

/** A fresh HTTP harness, and the processes to start on it. */
export async function splitRoles(): Promise<Processes> {
  const ch = await startClickHouseHttp({ user: 'spoor', password: 'harness secret' })
  const dirs: string[] = []
  const running: Array<Awaited<ReturnType<typeof assemble>>> = []
  return {
    ch,
    async start(role, env = {}) {
      const dir = mkdtempSync(join(tmpdir(), `spoor-${role}-`))
      dirs.push(dir)
      const config = loadConfig({
        ROLE: role,
        CLICKHOUSE_URL: ch.url,
        CLICKHOUSE_USER: ch.user,
        CLICKHOUSE_PASSWORD: ch.password,
        CLICKHOUSE_DATABASE: 'spoor',
        DATA_DIR: dir,
        SITES: 'example.com',
        DEMO: 'false',
        LOG_LEVEL: 'silent',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        ...env,
      })
      const deps = await assemble(config, createLogger('silent'), { intel: fixtureIntel() })
      running.push(deps)
      return { deps, app: createApp(deps) }
    },
    async close() {
      for (const d of running) await d.close()
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
      await ch.stop()
    },
  }
}
