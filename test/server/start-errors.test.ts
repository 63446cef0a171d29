// `npm start` on a DATA_DIR it cannot use is the operator's to fix, not a bug: one line
// naming DATA_DIR, the path and the fix, exit code 1, no stack trace.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startChild } from '../../bench/proc.ts'
import { entryOf, freePort, npmArgs, runNode } from '../helpers/cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'spoor-start-errors-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const start = async (dataDir: string, as?: { uid: number; gid: number }) =>
  runNode(npmArgs('start'), { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', DEMO: 'false', LOG_LEVEL: 'warn' }, 60_000, as)
// Root writes to a directory whatever its mode says: as root, the read-only cases start
// Spoor as `nobody` (65534), whom the mode does stop.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined
// chDB itself prints ClickHouse's "Code: 76. DB::Exception: Cannot lock file …" on stderr
// before Spoor can say anything; every other line is Spoor's.
const spoorLines = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Code: 76.'))
const STACK = /^\s+at /m

describe('npm start on a DATA_DIR it cannot use', () => {
  it('refuses a DATA_DIR below a regular file in one line naming it and the fix, without a stack trace', async () => {
    const file = join(dir, 'file.txt')
    writeFileSync(file, '')
    const dataDir = join(file, 'data')
    const r = await start(dataDir)
    expect(r.code).toBe(1)
    expect(spoorLines(r.stderr)).toEqual([
      expect.stringContaining(
        `Spoor did not start: DATA_DIR=${dataDir} cannot be used: a part of the path is a file, not a directory (ENOTDIR). Fix: set DATA_DIR to a directory`,
      ),
    ])
    expect(r.stderr).not.toMatch(STACK)
  }, 60_000)

  it.each([
    ['a directory it may not write to', ''],
    ['a directory it may not create', 'data'],
  ])(
    'refuses %s, naming the user and chown as the fix',
    async (_, below) => {
      const locked = join(dir, `read-only-${below || 'self'}`)
      mkdirSync(locked)
      chmodSync(dir, 0o755)
      chmodSync(locked, 0o555)
      const dataDir = below ? join(locked, below) : locked
      const r = await start(dataDir, asUser)
      expect(r.code).toBe(1)
      expect(spoorLines(r.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Spoor did not start: DATA_DIR=${dataDir} cannot be used: \\S+ may not create or write to it \\((EACCES|EPERM)\\)\\. Fix: create it for \\S+ \\(mkdir -p ${dataDir} && chown `,
          ),
        ),
      ])
      expect(r.stderr).not.toMatch(STACK)
    },
    60_000,
  )

  it('refuses a DATA_DIR that a running Spoor holds, naming that process and the fix, and leaves it running', async () => {
    const held = join(dir, 'held')
    const first = await startChild(entryOf('start'), { DATA_DIR: held, DEMO: 'false', LOG_LEVEL: 'warn' })
    try {
      const r = await start(held)
      expect(r.code).toBe(1)
      expect(spoorLines(r.stderr)).toEqual([
        `Spoor did not start: another Spoor or chDB process (PID ${first.proc.pid}) is already using DATA_DIR=${held}; one process per data directory: stop it, give this process a DATA_DIR of its own, or set CLICKHOUSE_URL to run several processes on one ClickHouse server`,
      ])
      expect(r.stderr).not.toMatch(STACK)
      expect((await fetch(`${first.url}/health`)).ok).toBe(true)

      // A holder this process cannot see (another container): the status file names a PID that is not running here.
      writeFileSync(join(held, 'status'), 'PID: 999999999\n')
      const unseen = await start(held)
      expect(unseen.code).toBe(1)
      expect(unseen.stderr).toMatch(/^Code: 76\. DB::Exception: Cannot lock file/m)
      expect(spoorLines(unseen.stderr)).toEqual([
        `Spoor did not start: the embedded ClickHouse could not open DATA_DIR=${held}; its reason is printed above. If another process uses the directory (one in another container, say): stop it, give this process a DATA_DIR of its own, or set CLICKHOUSE_URL to run several processes on one ClickHouse server`,
      ])
      expect(unseen.stderr).not.toMatch(STACK)
    } finally {
      expect(await first.stop()).toBe(0)
    }
  }, 120_000)
})
