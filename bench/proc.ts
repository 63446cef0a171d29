// Spoor on a port of 127.0.0.1, for the bench and the tests: the real server as a
// child process (the script `npm start` runs, with its flags; its memory and CPU its own),
// or an app in this process.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { createServer as createHttpServer } from 'node:http'
import { CSRF_HEADER } from '../auth/csrf.ts'
import type { App } from '../server/app.ts'

export const ROOT = join(import.meta.dirname, '..')

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Resident set size now and at its peak (VmHWM), in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
}

/** Resets a process's peak RSS (VmHWM) to its current RSS (Linux: clear_refs 5). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

export interface Child {
  proc: ChildProcess
  url: string
  stderr: () => string
  /** SIGTERM, then wait for the exit (the server flushes what it acknowledged first). */
  stop(): Promise<number | null>
}

const START = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start

/** The Node flags `npm start` passes before --import (package.json is their one place). */
export const START_FLAGS: string[] = START.split(' --import')[0]!
  .split(' ')
  .filter((w) => w.startsWith('--'))

/** The file `npm start` runs (`node … --import tsx FILE`), so that a move of the entry point moves the bench with it. */
export const START_SCRIPT: string =
  START.split(' ')
    .filter((w) => w.endsWith('.ts'))
    .at(-1) ?? 'server/start.ts'

export async function startChild(script: string, env: Record<string, string>, ready = '/health', timeoutMs = 60_000): Promise<Child> {
  const port = await freePort()
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of each child there on exit (open it in Chrome's DevTools).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  // The server runs with the Node flags of `npm start` (package.json); BENCH_NODE_FLAGS=
  // "--max-old-space-size=256 ..." adds or overrides flags for the servers only (not the load generator).
  const flags = [...(script === START_SCRIPT ? START_FLAGS : []), ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)]
  const proc = spawn(process.execPath, [...prof, ...flags, '--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-8000)
  })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited with ${proc.exitCode} before it was ready:\n${err}`)
    try {
      const res = await fetch(url + ready)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`${script} was not ready within ${timeoutMs} ms:\n${err}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    proc,
    url,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** CPU seconds used so far by a process (all threads) and by its main (JavaScript) thread. */
/** Logs in to a Spoor at `base` and returns the session cookie, as the dashboard gets one. */
export async function sessionCookie(base: string, email: string, password: string): Promise<string> {
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ email, password }),
  })
  if (!login.ok) throw new Error(`login failed: ${login.status}`)
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

export function cpuOf(pid: number): { total: number; main: number } {
  const secs = (path: string) => {
    const stat = readFileSync(path, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 (utime, stime) in clock ticks; Linux uses 100 ticks a second.
    return (Number(f[11]) + Number(f[12])) / 100
  }
  return { total: secs(`/proc/${pid}/stat`), main: secs(`/proc/${pid}/task/${pid}/stat`) }
}

/** The app on a free port of 127.0.0.1; `close` stops it. */
export async function serve(app: App): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createHttpServer(app).listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
