// An erasure on a ClickHouse server with two collectors (issue 18, defect 3): the visitor
// keeps browsing on the other collector, which learns of the opt-out only at its next
// refresh; once the erasure answers "done", none of the visitor's events is left.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { createLogger } from '../../lib/logger.ts'
import { createApp } from '../../server/app.ts'
import { assemble } from '../../server/main.ts'
import { CHROME_UA, pageview, rid } from '../helpers/app.ts'
import { type ClickHouseHttp, startClickHouseHttp } from '../helpers/clickhouse-http.ts'
import { fixtureIntel } from '../helpers/intel.ts'

const PASSWORD = 'harness secret'
let ch: ClickHouseHttp
const dirs: string[] = []
const collectors: Array<Awaited<ReturnType<typeof assemble>>> = []

async function collector() {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-collector-'))
  dirs.push(dir)
  const config = loadConfig({
    ROLE: 'collector',
    CLICKHOUSE_URL: ch.url,
    CLICKHOUSE_USER: 'spoor',
    CLICKHOUSE_PASSWORD: PASSWORD,
    CLICKHOUSE_DATABASE: 'spoor',
    DATA_DIR: dir,
    SITES: 'example.com',
    DEMO: 'false',
    LOG_LEVEL: 'silent',
    FLUSH_INTERVAL_MS: '500',
  })
  const deps = await assemble(config, createLogger('silent'), { intel: fixtureIntel() })
  collectors.push(deps)
  return { deps, app: createApp(deps) }
}

beforeAll(async () => {
  ch = await startClickHouseHttp({ user: 'spoor', password: PASSWORD })
})
afterAll(async () => {
  for (const c of collectors) await c.close()
  await ch?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const send = (app: ReturnType<typeof createApp>, body: object) =>
  request(app).post('/api/event').set('Content-Type', 'text/plain').set('User-Agent', CHROME_UA).send(JSON.stringify(body))

describe('erasure with two collectors', () => {
  it("leaves none of the visitor's events when it answers done, though the other collector kept accepting them", { timeout: 90_000 }, async () => {
    const a = await collector()
    const b = await collector()
    const vid = rid()
    const sid = rid()
    for (let i = 0; i < 3; i++) await send(b.app, pageview({ vid, sid, url: `https://example.com/${i}` })).expect(202)
    await b.deps.writer.flush()
    // The visitor browses on at collector B while collector A takes the erasure.
    let browsing = true
    let acceptedDuring = 0
    const browse = (async () => {
      for (let i = 0; browsing; i++) {
        const res = await send(b.app, pageview({ vid, sid, url: `https://example.com/later/${i}` }))
        if (res.status === 202) acceptedDuring++
        await new Promise((r) => setTimeout(r, 200))
      }
    })()
    const res = await request(a.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid }))
      .expect(200)
    expect(res.body.status).toBe('done')
    const left = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    browsing = false
    await browse
    expect(acceptedDuring).toBeGreaterThan(0)
    expect(Number(left[0]?.n)).toBe(0)
    // And after: B refuses the visitor, and nothing of it arrives later.
    await b.deps.writer.flush()
    const [after] = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    expect(Number(after?.n)).toBe(0)
  })
})
