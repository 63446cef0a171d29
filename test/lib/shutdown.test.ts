// SIGTERM under load loses nothing acknowledged: the real server process, killed
// while events wait in its buffer, then started again on the same data directory.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startChild } from '../../bench/proc.ts'
import { ADMIN, CHROME_UA, pageview } from '../helpers/app.ts'

const dir = mkdtempSync(join(tmpdir(), 'spoor-shutdown-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// The server as `npm start` runs it, on this test's data directory.
const startServer = (extra: Record<string, string> = {}) =>
  startChild('lib/server.ts', { DATA_DIR: dir, SITES: 'example.com', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DEMO: 'false', LOG_LEVEL: 'warn', ...extra })

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

describe('shutdown', () => {
  it('writes every acknowledged event when the process gets SIGTERM', async () => {
    // A 5 s flush interval: at SIGTERM the events are surely still in the buffer.
    const first = await startServer({ FLUSH_INTERVAL_MS: '5000', FLUSH_MAX_ROWS: '100000' })
    let base = first.url
    let accepted = 0
    const batch = Array.from({ length: 200 }, () => pageview())
    await Promise.all(
      batch.map(async (ev) => {
        const res = await fetch(`${base}/api/event`, { method: 'POST', body: JSON.stringify(ev), headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA } })
        if (res.status === 202) accepted++
      }),
    )
    expect(accepted).toBe(200)
    expect(await first.stop()).toBe(0)

    const second = await startServer()
    base = second.url
    try {
      const login = await fetch(`${base}/api/login`, { method: 'POST', body: JSON.stringify(ADMIN), headers: { 'Content-Type': 'application/json' } })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const today = new Date().toISOString().slice(0, 10)
      const summary = (await (await fetch(`${base}/api/stats/summary?site=example.com&from=${today}&to=${today}`, { headers: { Cookie: cookie } })).json()) as { pageviews: number }
      expect(summary.pageviews).toBe(accepted)
      // A beacon retried after the restart still counts once: the last hour's ids are remembered.
      for (const ev of batch.slice(0, 10)) {
        const res = await fetch(`${base}/api/event`, { method: 'POST', body: JSON.stringify(ev), headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA } })
        expect(res.status).toBe(202)
      }
      await new Promise((r) => setTimeout(r, 1500)) // the default flush interval is 1 s
      const again = (await (await fetch(`${base}/api/stats/summary?site=example.com&from=${today}&to=${today}`, { headers: { Cookie: cookie } })).json()) as { pageviews: number }
      expect(again.pageviews).toBe(accepted)
    } finally {
      await second.stop()
    }
  }, 90_000)

  it('refuses to start on a bad configuration value, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/server.ts'], {
      env: { ...process.env, PORT: 'eighty', IP_RETENTION_DAYS: '30', DATA_DIR: join(dir, 'never') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    expect(await exited(child)).toBe(1)
    expect(err).toMatch(/PORT: expected a whole number, got "eighty"/)
    expect(err).toMatch(/IP_RETENTION_DAYS: must be between 1 and 7, got 30/)
  }, 30_000)
})
