// npm run backup while the real server runs and takes page views, npm run restore into
// a fresh directory, the real server on the restored data: the same figures per day,
// companies, users and opt-outs, every event acknowledged before the backup, and no
// aggregate that disagrees with its raw events.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, startChild, type Child } from '../../bench/proc.ts'
import { openDb } from '../../lib/db.ts'
import { readMigrations } from '../../sql/migrate.ts'
import { vidHash } from '../../privacy/hash.ts'
import { ADMIN, CHROME_UA, pageview } from '../helpers/app.ts'
import { COMPANY_IDS, PAST, SEEDED_OPTOUTS, VIEWER } from './seed.ts'

const root = mkdtempSync(join(tmpdir(), 'spoor-backup-'))
const source = join(root, 'data')
const restored = join(root, 'restored')
const backups = join(root, 'backups')
afterAll(() => rmSync(root, { recursive: true, force: true }))

// DBIP off: the country tables take a second to load and nothing here needs them.
const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  CLICKHOUSE_URL: '',
  SITES: 'example.com',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  DEMO: 'false',
  DBIP: 'off',
  LOG_LEVEL: 'warn',
  COLLECT_LIMIT_PER_MINUTE: '1000000',
})

/** A script of the package (scripts/NAME.ts, or the seed) as npm runs it, to its exit. */
// 'close', not 'exit': 'exit' can come before the last of stderr is read (an empty message seen under load).
function runScript(path: string, args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, path), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env(dataDir) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d))
  child.stderr.on('data', (d: Buffer) => (err += d))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err, ms: Date.now() - started })))
}

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)
const today = day(0)

async function session(base: string) {
  const login = await fetch(`${base}/api/login`, { method: 'POST', body: JSON.stringify(ADMIN), headers: { 'Content-Type': 'application/json' } })
  expect(login.status).toBe(200)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  return async <T>(path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie } })
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
}

/** What the API reports: figures per day, companies and users. */
async function figures(base: string) {
  const get = await session(base)
  const range = `site=example.com&from=${day(3)}&to=${today}`
  const days = (
    await get<{ results: Array<{ date: string; visitors: number; pageviews: number; visits: number; bounce_rate: number }> }>(`/api/stats/timeseries?${range}`)
  ).results
  const companies = (await get<{ results: unknown[] }>(`/api/companies?${range}`)).results
  const users = (await get<{ results: unknown[] }>('/api/users')).results
  const realtime = (await get<{ visitors: number }>('/api/stats/realtime?site=example.com')).visitors
  return { past: days.filter((d) => d.date !== today), today: days.find((d) => d.date === today)!, companies, users, realtime }
}

// Page views from `workers` connections until stopped, each of a new visitor, so that an
// event stored twice would show as more page views than visitors.
function load(base: string, workers = 4) {
  const sent: string[] = []
  const acked: string[] = []
  let running = true
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (running) {
        const ev = pageview()
        sent.push(ev.vid)
        const res = await fetch(`${base}/api/event`, {
          method: 'POST',
          body: JSON.stringify(ev),
          headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA },
        })
        if (res.status === 202) acked.push(ev.vid)
      }
    }),
  )
  return {
    sent,
    acked,
    stop: () => {
      running = false
      return done
    },
  }
}

const optOut = (base: string, vid: string) =>
  fetch(`${base}/optout`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ action: 'optout', vid }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })

describe('backup and restore', () => {
  it('restores a backup taken under load to the same figures, companies, users and opt-outs', async () => {
    const seeded = await runScript('test/ops/seed.ts', [], source)
    expect(seeded.code, seeded.err).toBe(0)

    let original: Child | null = await startChild('server/start.ts', env(source))
    let copy: Child | null = null
    try {
      const before = await figures(original.url)
      expect(before.past.map((d) => [d.date, d.pageviews, d.visitors])).toEqual(PAST.map((p) => [day(p.daysAgo), p.pageviews, p.visitors]))
      expect(before.companies.map((c) => (c as { id: string }).id).sort()).toEqual([...COMPANY_IDS].sort())
      expect(before.users).toContainEqual({ email: VIEWER.email, role: VIEWER.role })

      const traffic = load(original.url)
      await expect.poll(() => traffic.acked.length, { timeout: 15_000 }).toBeGreaterThan(40)
      // Three visitors opt out (their page views are written first: the list takes only stored ids).
      const optedOut = traffic.acked.slice(0, 3)
      for (const vid of optedOut) expect((await optOut(original.url, vid)).status).toBe(303)

      const ackedBefore = traffic.acked.length
      const backup = await runScript('scripts/backup.ts', [join(backups, 'one')], source)
      await new Promise((r) => setTimeout(r, 300))
      await traffic.stop()
      expect(backup.code, backup.err).toBe(0)
      expect(backup.out).toMatch(/^backup of \d+ tables \(schema \d+\) in /)
      console.info(
        `backup under load: ${backup.ms} ms for the command, ${backup.out.split('\n')[0]}; ${traffic.acked.length} page views acknowledged, ${ackedBefore} before it`,
      )
      // The running Spoor took it; nothing is left in its staging directory. Only Spoor's
      // account reaches its socket and reads the backup; its HTTP port knows no backup.
      expect(readdirSync(join(source, 'backup-staging'))).toEqual([])
      expect(statSync(join(source, 'ops')).mode & 0o777).toBe(0o700)
      expect(statSync(join(backups, 'one')).mode & 0o777).toBe(0o700)
      expect((await fetch(`${original.url}/backup`, { method: 'POST' })).status).toBe(404)

      // Spoor holds DATA_DIR: restoring over it is refused, naming why.
      const busy = await runScript('scripts/restore.ts', [join(backups, 'one')], source)
      expect(busy.code).toBe(1)
      expect(busy.err).toMatch(/Spoor is running on DATA_DIR .*: stop it, then restore/)
      expect(await original.stop()).toBe(0)
      original = null

      const restore = await runScript('scripts/restore.ts', [join(backups, 'one')], restored)
      expect(restore.code, restore.err).toBe(0)
      console.info(`restore: ${restore.ms} ms for the command, ${restore.out.split('\n')[0]}`)
      // A second restore would replace data: refused unless asked, then done.
      const again = await runScript('scripts/restore.ts', [join(backups, 'one')], restored)
      expect(again.code).toBe(1)
      expect(again.err).toMatch(/already holds \d+ tables .*--replace/)
      expect(again.err).not.toMatch(/\n\s+at /)
      const replaced = await runScript('scripts/restore.ts', [join(backups, 'one'), '--replace'], restored)
      expect(replaced.code, replaced.err).toBe(0)

      copy = await startChild('server/start.ts', env(restored))
      const after = await figures(copy.url)
      expect(after.past).toEqual(before.past)
      expect(after.companies).toEqual(before.companies)
      expect(after.users).toEqual(before.users)
      // Every page view acknowledged before the backup began, and none that was never sent
      // (each once: checked on the raw events below; visitors are an estimate above 1,000).
      expect(after.today.pageviews).toBeGreaterThanOrEqual(ackedBefore)
      expect(after.today.pageviews).toBeLessThanOrEqual(traffic.sent.length)
      expect(after.realtime).toBe(after.today.pageviews)
      expect(await copy.stop()).toBe(0)
      copy = null

      // The restored directory itself: the opt-out list, migrations recorded once (the
      // restored Spoor applied none again), and aggregates equal to their raw events.
      const db = await openDb({ dataDir: restored, clickhouse: null })
      try {
        const hashes = (await db.query<{ h: string }>('SELECT vid_hash AS h FROM optouts FINAL ORDER BY h')).map((r) => r.h)
        expect(hashes).toEqual([...SEEDED_OPTOUTS, ...optedOut].map(vidHash).sort())
        const versions = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version))
        expect(versions).toEqual(readMigrations().map((m) => m.version))
        const [agg] = await db.query<{ pv: string; raw: string }>(
          "SELECT (SELECT sum(pageviews) FROM daily_stats WHERE site = 'example.com') AS pv, (SELECT count() FROM events WHERE site = 'example.com' AND type = 'pageview') AS raw",
        )
        expect(Number(agg?.pv)).toBe(Number(agg?.raw))
        const [once] = await db.query<{ n: string; ids: string }>(
          "SELECT count() AS n, uniqExact(event_id) AS ids FROM events WHERE site = 'example.com' AND toDate(ts) = today()",
        )
        expect(Number(once?.n)).toBe(Number(once?.ids))
        expect(Number(once?.n)).toBe(after.today.pageviews)
      } finally {
        await db.close()
      }
    } finally {
      await original?.stop()
      await copy?.stop()
    }
  }, 240_000)

  // In parallel: each is a process that starts and stops at once.
  it.concurrent.for([
    ['backup', [], 2, /^usage: npm run backup -- DIR/],
    ['backup', ['existing'], 1, /existing already exists and is not an empty directory/],
    ['backup', ['new'], 1, /holds no embedded ClickHouse data/],
    ['restore', [], 2, /^usage: npm run restore -- DIR \[--replace\]/],
    ['restore', ['one', '--force'], 2, /^usage: npm run restore/],
    ['restore', ['nowhere'], 1, /nowhere does not exist/],
    ['restore', ['existing'], 1, /existing is not a backup \(no \.backup index/],
  ] as Array<[string, string[], number, RegExp]>)(
    'npm run %s %j exits %i with one line saying what is wrong',
    { timeout: 30_000 },
    async ([script, args, code, message], { expect }) => {
      mkdirSync(join(root, 'existing'), { recursive: true })
      writeFileSync(join(root, 'existing', 'notes.txt'), 'not a backup')
      const r = await runScript(
        `scripts/${script}.ts`,
        args.map((a) => (a.startsWith('-') ? a : join(root, a))),
        join(root, 'empty-data'),
      )
      expect(r.code).toBe(code)
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    },
  )
})
