// A ClickHouse HTTP interface for tests, served over chDB in a child process
// (clickhouse-http-server.ts): Spoor's server path (CLICKHOUSE_URL) without a server.
// A child, because chDB binds one data directory per process and the test process may
// hold its own.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../bench/proc.ts'

export interface ClickHouseHttp {
  url: string
  port: number
  path: string
  user: string
  password: string
  pid: number
  /** The harness's output on stderr so far (chDB's own messages). */
  stderr(): string
  /** SIGTERM, wait for the exit; removes the data directory unless it was given. */
  stop(): Promise<void>
}

export const HARNESS_SCRIPT = 'test/helpers/clickhouse-http-server.ts'

/**
 * `path`: the data directory, kept after stop() (a fresh temporary one, removed, without);
 * `port`: 0 for any. Both given again after a stop, the harness comes back where Spoor's
 * processes look for it: a database outage and its end.
 */
export async function startClickHouseHttp(
  opts: { path?: string; port?: number; user?: string; password?: string; timeoutMs?: number } = {},
): Promise<ClickHouseHttp> {
  const path = opts.path ?? mkdtempSync(join(tmpdir(), 'spoor-ch-http-'))
  const user = opts.user ?? 'default'
  const password = opts.password ?? ''
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, HARNESS_SCRIPT)], {
    cwd: ROOT,
    env: { ...process.env, CH_HTTP_PATH: path, CH_HTTP_USER: user, CH_HTTP_PASSWORD: password, CH_HTTP_PORT: String(opts.port ?? 0) },
    // The IPC channel closes when this process dies, however it dies: the harness then
    // stops too, instead of holding its chDB directory as an orphan.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-8000)
  })
  child.unref()
  child.channel?.unref()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the ClickHouse HTTP harness did not start within ${opts.timeoutMs ?? 30_000} ms:\n${err}`))
    }, opts.timeoutMs ?? 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = /^\{"port":(\d+)\}$/m.exec(out)
      if (line) {
        clearTimeout(timer)
        resolve(Number(line[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the ClickHouse HTTP harness exited with ${code} before it listened:\n${err}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    path,
    user,
    password,
    pid: child.pid!,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      if (!opts.path) rmSync(path, { recursive: true, force: true })
    },
  }
}
