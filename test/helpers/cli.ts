// Spoor's commands as an operator runs them: a child process with its own environment,
// its exit code and its output.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { ROOT } from '../../bench/proc.ts'

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

const script = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[name]!

/** `npm run <name>`'s node arguments from package.json (`node --import tsx server/start.ts` for start), so that a moved entry file moves the tests with it. */
export const npmArgs = (name: string): string[] => script(name).split(' ').filter(Boolean).slice(1)

/** The path of the entry file `npm run <name>` runs. */
export const entryOf = (name: string): string => npmArgs(name).at(-1)!

/** Runs `node args` in the repository with `env` over this process's environment; killed after `timeoutMs`. `as`: another user's ids. */
export function runNode(args: string[], env: Record<string, string>, timeoutMs = 60_000, as?: { uid: number; gid: number }): Promise<Ran> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...as })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** A port nothing listens on now: for a start that must fail before it listens (should it not fail, it does not collide with another test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}
