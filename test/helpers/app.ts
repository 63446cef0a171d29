// A real Spoor app on a real embedded ClickHouse, one data directory per test
// process (chDB allows one process per directory and one directory per process).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import type { App } from '../../server/app.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { createLogger } from '../../lib/logger.ts'
import { assemble } from '../../server/main.ts'
import type { IpIntel } from '../../enrichment/lookup.ts'
import { fixtureIntel } from './intel.ts'

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' }
export const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
export const FIREFOX_UA = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0'

export function testDataDir(): string {
  return join(tmpdir(), `spoor-test-${process.env.VITEST_POOL_ID ?? '0'}-${process.pid}`)
}

/** A fresh journal directory for a writer a test makes itself (one process per journal). */
export function journalDir(): string {
  return mkdtempSync(join(tmpdir(), 'spoor-journal-'))
}

export type TestApp = Awaited<ReturnType<typeof makeApp>>

export async function makeApp(env: Record<string, string> = {}, given: { intel?: IpIntel } = {}) {
  const dir = testDataDir()
  rmSync(dir, { recursive: true, force: true })
  const config = loadConfig({
    DATA_DIR: dir,
    SITES: 'example.com,shop.example.org',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    FLUSH_INTERVAL_MS: '50',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  })
  // Fixture IP data unless a test brings its own: loading the real tables takes a second per file.
  const open = () => assemble(config, createLogger(config.logLevel), { intel: given.intel ?? fixtureIntel() })
  let deps = await open()
  let app = createApp(deps)
  return {
    get app() {
      return app
    },
    get deps() {
      return deps
    },
    get db() {
      return deps.db
    },
    /** Writes pending events, and the counts of dropped events, into ClickHouse. */
    async flush() {
      await deps.writer.flush()
      await deps.counters.flush()
    },
    async close() {
      await deps.close()
      rmSync(dir, { recursive: true, force: true })
    },
    /** Stops this app and starts a new one on the same data, as a process restart would. */
    async restart() {
      await deps.close()
      deps = await open()
      app = createApp(deps)
    },
    /** Counts rows of a table, optionally for one site, after writing what is pending. */
    async count(table: string, where = '1', params: Record<string, unknown> = {}): Promise<number> {
      await deps.writer.flush()
      const rows = await deps.db.query<{ n: string }>(`SELECT count() AS n FROM {t:Identifier} WHERE ${where}`, { t: table, ...params })
      return Number(rows[0]?.n ?? 0)
    },
    /** A supertest agent holding an admin session cookie, sending the dashboard's CSRF header as the web app does. */
    async login(app_?: App, who: { email: string; password: string } = ADMIN) {
      const agent = request.agent(app_ ?? app)
      agent.set('X-Spoor-Request', '1')
      await agent.post('/api/login').send(who).expect(200)
      return agent
    },
    /** Empties every data table between tests (not sites or users). */
    async reset() {
      await deps.writer.flush()
      await deps.counters.flush()
      for (const t of ['events', 'visit_ips', 'daily_stats', 'sessions', 'daily_breakdown', 'optouts', 'dropped_events', 'visits', 'visit_days']) {
        await deps.db.command('TRUNCATE TABLE {t:Identifier}', { t })
      }
      await deps.optouts.refresh()
    },
  }
}

export const rid = () => randomBytes(16).toString('hex')

export interface BeaconBody {
  site: string
  type: 'pageview' | 'event' | 'form'
  url: string
  referrer?: string
  title?: string
  screen?: number
  consent?: { analytics: boolean }
  vid: string
  sid: string
  id: string
  name?: string
  props?: Record<string, unknown>
  domain?: string
}

/** A consented page view as the beacon sends it; override any field. */
export function pageview(over: Partial<BeaconBody> = {}): BeaconBody {
  return {
    site: 'example.com',
    type: 'pageview',
    url: 'https://example.com/',
    referrer: '',
    title: 'Home',
    screen: 1440,
    consent: { analytics: true },
    vid: rid(),
    sid: rid(),
    id: rid(),
    ...over,
  }
}

/** POSTs like navigator.sendBeacon does: text/plain, a browser user agent. */
export function send(app: App, body: unknown, headers: Record<string, string> = {}) {
  return request(app)
    .post('/api/event')
    .set('Content-Type', 'text/plain;charset=UTF-8')
    .set('User-Agent', CHROME_UA)
    .set(headers)
    .send(typeof body === 'string' ? body : JSON.stringify(body))
}

/** What a writer set aside in `journalDir` (rejected-YYYY-MM-DD.jsonl files), as one text. */
export function rejectedRows(journalDir: string): string {
  return readdirSync(journalDir)
    .filter((f) => /^rejected-.*\.jsonl$/.test(f))
    .map((f) => readFileSync(join(journalDir, f), 'utf8'))
    .join('')
}
