// Spoor's days are UTC days on any machine: queries run in UTC whatever TZ says.
import { describe, expect, it } from 'vitest'
import { runNode } from '../helpers/cli.ts'

describe('time zone', () => {
  it('the embedded engine answers today() and timezone() in UTC on a machine in another zone (TZ=Pacific/Kiritimati, UTC+14)', {
    timeout: 60_000,
  }, async () => {
    const script = `
      import { mkdtempSync, rmSync } from 'node:fs'
      import { tmpdir } from 'node:os'
      import { join } from 'node:path'
      import { openDb } from './lib/db.ts'
      const dir = mkdtempSync(join(tmpdir(), 'spoor-utc-'))
      const db = await openDb({ clickhouse: null, dataDir: dir })
      const [r] = await db.query("SELECT timezone() AS tz, toString(today()) AS day")
      await db.close()
      rmSync(dir, { recursive: true, force: true })
      console.log(JSON.stringify(r))`
    const ran = await runNode(['--import', 'tsx', '--input-type=module', '-e', script], { TZ: 'Pacific/Kiritimati' })
    expect(JSON.parse(ran.stdout.trim()), ran.stderr).toEqual({ tz: 'UTC', day: new Date().toISOString().slice(0, 10) })
  })
})
