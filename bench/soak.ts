// `npm run soak`: the real server under steady load for minutes, at half the rate the
// bench measured as its maximum. Passes when no request failed, memory did not grow
// after the warm-up, and every acknowledged event is stored once. Not part of
// `npm test`; bounded in time, talks to 127.0.0.1 only, stops by itself.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { load, type Run, type Sent, verifyStored } from './parts/ingest.ts'
import { memoryOf, ROOT, START_SCRIPT, startChild } from './proc.ts'
import { benchSites, Traffic } from './traffic.ts'

const HELP = `npm run soak -- [options]
  --minutes M       how long (default 6, at most 60; the first 2 minutes are warm-up)
  --rate R          events a second (default: half the maximum in bench-results/latest.json,
                    or half of a 10 s maximum run measured first)
  --connections N   concurrent connections (default 32)
  --window S        seconds per measured window (default 30)`

const { values: a } = parseArgs({
  options: { minutes: { type: 'string' }, rate: { type: 'string' }, connections: { type: 'string' }, window: { type: 'string' }, help: { type: 'boolean' } },
})
if (a.help) {
  console.log(HELP)
  process.exit(0)
}
const num = (v: string | undefined, d: number, name: string, max = Infinity) => {
  if (v === undefined) return d
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    console.error(`--${name} must be a number from 1 to ${max}, got "${v}"\n\n${HELP}`)
    process.exit(2)
  }
  return n
}
const minutes = num(a.minutes, 6, 'minutes', 60)
const connections = num(a.connections, 32, 'connections', 1000)
const windowS = num(a.window, 30, 'window', 600)

function benchedMax(): number | null {
  const f = join(ROOT, 'bench-results', 'latest.json')
  if (!existsSync(f)) return null
  const rate = (JSON.parse(readFileSync(f, 'utf8')) as { details?: { ingest?: { max?: { rate?: number } } } }).details?.ingest?.max?.rate
  return typeof rate === 'number' && rate > 0 ? rate : null
}

const sites = benchSites(20)
const dir = mkdtempSync(join(tmpdir(), 'spoor-soak-'))
const server = await startChild(START_SCRIPT, {
  DATA_DIR: dir,
  SITES: sites.join(','),
  ADMIN_EMAIL: 'soak@example.com',
  ADMIN_PASSWORD: 'soak password long enough',
  TRUST_PROXY: 'loopback',
  LOG_LEVEL: 'warn',
})
const pid = server.proc.pid!
const traffic = new Traffic(sites, 3)
const sent: Sent = { acknowledged: [], unconsented: [] }
let failed = false
try {
  let max = benchedMax()
  if (max === null) {
    process.stderr.write('no bench result: measuring the maximum rate for 10 s first\n')
    max = (await load(server.url, pid, traffic, { duration: 10, connections }, sent)).rate
  }
  const rate = a.rate !== undefined ? num(a.rate, 0, 'rate', 1_000_000) : Math.round(max / 2)
  console.log(`soak: ${minutes} min at ${rate} requests/s (half of ${Math.round(max)}), ${connections} connections, ${windowS} s windows`)
  console.log('| window | requests/s | p99 ms | failed | RSS MB |')
  console.log('|---|---|---|---|---|')
  const windows: Array<Run & { rss: number }> = []
  const until = Date.now() + minutes * 60_000
  while (Date.now() < until) {
    const secs = Math.max(1, Math.min(windowS, Math.round((until - Date.now()) / 1000)))
    const run = await load(server.url, pid, traffic, { duration: secs, connections, overallRate: rate }, sent)
    const rss = memoryOf(pid).rssMb
    windows.push({ ...run, rss })
    console.log(`| ${windows.length} | ${Math.round(run.rate)} | ${run.p99} | ${run.other + run.errors + run.timeouts} | ${Math.round(rss)} |`)
  }
  const code = await server.stop()
  const v = await verifyStored(dir, sent)

  // Memory: the last third of the windows against the first third after a warm-up of two
  // minutes, in which the bounded caches (recent ids, IP records, networks) fill and V8's
  // old generation grows to its working size (capped by --max-old-space-size in npm start).
  const warmup = Math.min(windows.length - 2, Math.ceil(120 / windowS))
  const settled = windows.slice(Math.max(1, warmup))
  const third = Math.max(1, Math.floor(settled.length / 3))
  const avg = (ws: typeof windows) => ws.reduce((s, w) => s + w.rss, 0) / ws.length
  const early = avg(settled.slice(0, third))
  const late = avg(settled.slice(-third))
  const failures = windows.reduce((s, w) => s + w.other + w.errors + w.timeouts, 0)
  const checks: Array<[string, boolean, string]> = [
    ['no failed requests', failures === 0, `${failures} failed`],
    ['server stopped cleanly', code === 0, `exit code ${code}`],
    [
      'memory flat (late windows within 10% or 50 MB of early ones)',
      settled.length < 2 || late <= early + Math.max(50, early * 0.1),
      `${Math.round(early)} → ${Math.round(late)} MB`,
    ],
    [
      'every acknowledged event stored once',
      v.found === sent.acknowledged.length && v.duplicates === 0,
      `${v.found} of ${sent.acknowledged.length}, ${v.duplicates} twice`,
    ],
    ['nothing stored without consent', v.unconsentedStored === 0, `${v.unconsentedStored}`],
  ]
  console.log('')
  for (const [what, ok, detail] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${detail}`)
  failed = checks.some(([, ok]) => !ok)
} finally {
  if (server.proc.exitCode === null) server.proc.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
