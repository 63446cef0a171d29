// npm run bench [-- options]: runs the parts, prints one table, writes the JSON, and
// writes each part's table into the docs between its markers (docs/performance.md,
// docs/deployment.md). Every part runs in a process of its own (chDB: one data
// directory per process; and each part's memory is its own). See docs/performance.md.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, freemem, hostname, loadavg, release, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from './proc.ts'
import { type PartResult, type Row, table, writeDocs } from './report.ts'

const ALL = ['ingest', 'storage', 'enrichment', 'queries', 'beacon', 'sizing'] as const

const HELP = `npm run bench -- [options]
  --parts a,b,...     parts to run (default: ${ALL.join(',')})
  --duration S        seconds of each ingest run, and of the sizing part's load and
                      dashboard reads (default 15)
  --connections N     concurrent connections of the load generator (default 32)
  --rows N            page views generated for the query part (default 10000000)
  --repeat N          timed calls per dashboard route (default 30)
  --storage-rows N    rows written by the storage part (default 200000)
  --addresses N       addresses looked up by the enrichment part (default 200000)
  --pageviews N       page views stored by the sizing part (default 1000000)
  --quick             a short run: 5 s ingest, 1 million page views, 10 calls,
                      200,000 page views for sizing
  --out FILE          where the JSON goes (default bench-results/latest.json)
  --no-docs           do not write the parts' tables into docs/*.md (a --quick run
                      never does; any other run replaces the tables of its parts)`

const { values: a } = parseArgs({
  options: {
    parts: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rows: { type: 'string' },
    repeat: { type: 'string' },
    'storage-rows': { type: 'string' },
    addresses: { type: 'string' },
    pageviews: { type: 'string' },
    quick: { type: 'boolean' },
    'no-docs': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
})
if (a.help) {
  console.log(HELP)
  process.exit(0)
}

const num = (v: string | undefined, d: number, name: string) => {
  if (v === undefined) return d
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got "${v}"\n\n${HELP}`)
    process.exit(2)
  }
  return n
}
const quick = a.quick === true
const parts = (a.parts ?? ALL.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
const unknown = parts.filter((p) => !(ALL as readonly string[]).includes(p))
if (unknown.length) {
  console.error(`unknown part(s): ${unknown.join(', ')}; known: ${ALL.join(', ')}`)
  process.exit(2)
}
const options: Record<string, object> = {
  ingest: { duration: num(a.duration, quick ? 5 : 15, 'duration'), connections: num(a.connections, 32, 'connections') },
  storage: { rows: num(a['storage-rows'], quick ? 50_000 : 200_000, 'storage-rows') },
  enrichment: { addresses: num(a.addresses, quick ? 50_000 : 200_000, 'addresses') },
  queries: { rows: num(a.rows, quick ? 1_000_000 : 10_000_000, 'rows'), repeat: num(a.repeat, quick ? 10 : 30, 'repeat') },
  beacon: {},
  sizing: {
    pageviews: num(a.pageviews, quick ? 200_000 : 1_000_000, 'pageviews'),
    loadSeconds: num(a.duration, quick ? 5 : 15, 'duration'),
    dashboardSeconds: num(a.duration, quick ? 5 : 15, 'duration'),
    connections: num(a.connections, 32, 'connections'),
  },
}
const out = resolve(a.out ?? join(ROOT, 'bench-results', 'latest.json'))

function runPart(name: string): Promise<PartResult> {
  const file = join(tmpdir(), `spoor-bench-${process.pid}-${name}.json`)
  return new Promise((res, rej) => {
    // --expose-gc: the enrichment part measures the range table's memory after a collection.
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'part.ts'), name, JSON.stringify(options[name]), file], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('error', rej)
    child.on('exit', (code) => {
      if (code !== 0) return rej(new Error(`part ${name} exited with ${code}`))
      try {
        res(JSON.parse(readFileSync(file, 'utf8')) as PartResult)
      } catch (err) {
        rej(err as Error)
      } finally {
        rmSync(file, { force: true })
      }
    })
  })
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 1e8) / 10,
  freeMemoryGb: Math.round(freemem() / 1e8) / 10,
  node: process.version,
  kernel: release(),
  host: hostname(),
}
console.log(`Spoor bench on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}`)
const startedAt = new Date().toISOString()
const results: PartResult[] = []
const failures: Array<{ part: string; error: string }> = []
for (const name of parts) {
  const t0 = performance.now()
  console.log(`\n== ${name} ==`)
  try {
    const loadAverage = loadavg()[0]!
    const r = await runPart(name)
    results.push({ ...r, loadAverage })
    console.log(table(r.rows))
  } catch (err) {
    failures.push({ part: name, error: (err as Error).message })
    console.error(`part ${name} failed: ${(err as Error).message}`)
  }
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`)
}
const rows: Row[] = results.flatMap((r) => r.rows)
console.log(`\n== all parts ==\n${table(rows)}`)
mkdirSync(dirname(out), { recursive: true })
// Rows once (the table), and each part's details beside them.
const details = Object.fromEntries(results.map((r) => [r.part, r.details]))
writeFileSync(out, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), machine, options, rows, details, failures }, null, 2))
console.log(`\nwritten to ${out}`)
// A quick run's figures are for the developer, not for the docs.
if (!a['no-docs'] && !quick) {
  const docs = join(ROOT, 'docs')
  const files = Object.fromEntries(
    readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .map((f) => [join(docs, f), readFileSync(join(docs, f), 'utf8')]),
  )
  const changed = writeDocs(files, results, machine, options, startedAt.slice(0, 10))
  for (const [file, text] of Object.entries(changed)) writeFileSync(file, text)
  if (Object.keys(changed).length)
    console.log(
      `tables written into ${Object.keys(changed)
        .map((f) => f.slice(ROOT.length + 1))
        .join(', ')}`,
    )
}
const missed = rows.filter((r) => r.ok === false).map((r) => `${r.part}: ${r.metric}`)
if (missed.length) console.log(`targets missed: ${missed.join('; ')}`)
process.exit(failures.length ? 1 : 0)
