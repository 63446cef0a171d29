// The admin Spoor creates when it starts without ADMIN_EMAIL: its password is printed at
// every start until the first login (a start that failed loses nothing), never after, in
// one log line only, and never stored as text.
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { FIRST_ADMIN, Users } from '../../auth/users.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { createLogger } from '../../lib/logger.ts'
import { assemble, start } from '../../server/main.ts'
import { testDataDir } from '../helpers/app.ts'
import { fixtureIntel } from '../helpers/intel.ts'

const dir = testDataDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const configFor = (port: number) =>
  loadConfig({ DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', SITES: 'example.com', DEMO: 'false', FLUSH_INTERVAL_MS: '50', LOG_LEVEL: 'info' })

/** A port nobody listens on now; `hold` keeps it taken until release() (another program on Spoor's port). */
async function port(hold = false): Promise<{ port: number; release: () => Promise<void> }> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const n = (s.address() as { port: number }).port
  const release = () => new Promise<void>((resolve) => s.close(() => resolve()))
  if (!hold) await release()
  return { port: n, release }
}

/** Starts Spoor as `npm start` does (lib/main.ts), its log lines collected as the terminal shows them. */
async function startSpoor(p: number, lines: string[]) {
  const log = createLogger('info', { write: (line: string) => void lines.push(line) })
  const running = await start(configFor(p), log, { intel: fixtureIntel() })
  return { ...running, url: `http://127.0.0.1:${p}` }
}

const printed = (lines: string[]) => /with password ([A-Za-z0-9_-]+) /.exec(lines.join(''))?.[1] ?? null

const login = (url: string, password: string) =>
  fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: FIRST_ADMIN, password }) })

describe('the admin created without ADMIN_EMAIL', () => {
  it('the generated admin password is shown again until the first login', async () => {
    rmSync(dir, { recursive: true, force: true })
    // 1. The first start fails: another program holds the port. No password was made or shown.
    const taken = await port(true)
    const failed: string[] = []
    await expect(startSpoor(taken.port, failed)).rejects.toThrow(/EADDRINUSE/)
    await taken.release()
    expect(failed.join('')).not.toMatch(/password/)

    // 2. The next start prints one; the operator misses it (or stops before logging in).
    const second: string[] = []
    let s = await startSpoor((await port()).port, second)
    const p1 = printed(second)
    expect(p1).toMatch(/^[A-Za-z0-9_-]{16}$/)
    // In one line, its message (redaction covers fields, not messages), at warn.
    const withP1 = second.filter((l) => l.includes(p1!))
    expect(withP1).toHaveLength(1)
    expect(JSON.parse(withP1[0]!)).toMatchObject({ level: 40, msg: expect.stringContaining(`log in as ${FIRST_ADMIN} with password ${p1}`) })
    await s.stop()

    // 3. Started again on the same data: a new password, and it logs in.
    const third: string[] = []
    s = await startSpoor((await port()).port, third)
    const p2 = printed(third)
    expect(p2).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(p2).not.toBe(p1)
    const res = await login(s.url, p2!)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ email: FIRST_ADMIN, role: 'admin' })
    // The first login made p2 the password: the one printed before no longer opens anything.
    expect((await login(s.url, p1!)).status).toBe(401)
    await s.stop()

    // 4. After that login: nothing printed, nothing reset.
    const fourth: string[] = []
    s = await startSpoor((await port()).port, fourth)
    expect(printed(fourth)).toBeNull()
    expect(fourth.join('')).toContain('log in with an existing account')
    expect((await login(s.url, p2!)).status).toBe(200)
    await s.stop()
  })

  it('two processes starting together each print a password that works until the first login, and neither is stored as text', async () => {
    rmSync(dir, { recursive: true, force: true })
    const deps = await assemble(configFor(8080), createLogger('silent'), { intel: fixtureIntel() })
    try {
      // Two processes on one ClickHouse server (ROLE=dashboard twice): two Users on one database.
      const a = await new Users(deps.db).firstLoginPassword(FIRST_ADMIN)
      const b = await new Users(deps.db).firstLoginPassword(FIRST_ADMIN)
      expect(a).not.toBeNull()
      expect(b).not.toBeNull()
      expect(a).not.toBe(b)
      const stored = JSON.stringify([...(await deps.db.query('SELECT * FROM users')), ...(await deps.db.query('SELECT * FROM first_login_passwords'))])
      expect(stored).not.toContain(a!)
      expect(stored).not.toContain(b!)
      const app = createApp(deps)
      // The earlier one works although another was printed after it: not only the last.
      await request(app).post('/api/login').send({ email: FIRST_ADMIN, password: a }).expect(200)
      await request(app).post('/api/login').send({ email: FIRST_ADMIN, password: b }).expect(401)
      expect(await new Users(deps.db).firstLoginPassword(FIRST_ADMIN)).toBeNull()
    } finally {
      await deps.close()
    }
  })
})
