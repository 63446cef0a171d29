// ClickHouse as a server (CLICKHOUSE_URL) that stops, then answers wrongly, then comes
// back: the writer keeps the acknowledged events in its journal, retries with backoff
// over HTTP, and stores each once when the server is back. The "server" is a stand-in
// on 127.0.0.1 that speaks enough of ClickHouse's HTTP interface for inserts and runs
// them in this test's embedded ClickHouse (these machines have no ClickHouse server).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { EventWriter } from '../../collector/writer.ts'
import { createApp } from '../../server/app.ts'
import { openDb, type Db } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { journalDir, makeApp, pageview, send, type TestApp } from '../helpers/app.ts'

let t: TestApp
let server: Server
let url = ''
let mode: 'up' | 'stopped' | 'wrong' = 'up'
const seen = { stopped: 0, wrong: 0, inserts: 0 }

const SETTINGS = new Set(['insert_deduplication_token', 'deduplicate_blocks_in_dependent_materialized_views'])

beforeAll(async () => {
  t = await makeApp()
  server = createServer((req, res) => {
    if (mode === 'stopped') {
      seen.stopped++
      req.socket.destroy() // as a stopped server: the connection goes away
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (mode === 'wrong') {
        seen.wrong++
        // As a server that is there but not the right one (another database, no such table).
        res.writeHead(404, { 'X-ClickHouse-Exception-Code': '60' })
        res.end('Code: 60. DB::Exception: Table spoor.events does not exist. (UNKNOWN_TABLE)\n')
        return
      }
      const u = new URL(req.url ?? '/', 'http://x')
      const query = u.searchParams.get('query')
      if (!query) return void res.end('') // CREATE DATABASE at open: nothing to do here
      seen.inserts++
      const settings = Object.fromEntries([...u.searchParams].filter(([k]) => SETTINGS.has(k)))
      const body = Buffer.concat(chunks).toString('utf8')
      t.db.client
        .exec({ query, values: body as never, clickhouse_settings: settings })
        .then(async (r) => {
          for await (const _ of r.stream) {
            // drain
          }
          res.end('')
        })
        .catch((err: Error) => {
          res.writeHead(500)
          res.end(err.message)
        })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((r) => server?.close(r))
  await t?.close()
})

describe('ClickHouse server outage', () => {
  it('keeps acknowledged events through a stopped and then a wrong server, and stores each once when it is back', async () => {
    const remote: Db = await openDb({ dataDir: '', clickhouse: { url, user: 'default', password: '', database: 'spoor' } })
    const writer = new EventWriter(
      remote,
      { flushIntervalMs: 50, flushMaxRows: 1000, journalDir: journalDir(), journalMaxBytes: 10_000_000, retryBaseMs: 25 },
      createLogger('silent'),
    )
    writer.start()
    const app = createApp({ ...t.deps, writer })

    mode = 'stopped'
    const during = Array.from({ length: 40 }, () => pageview())
    for (const ev of during.slice(0, 20)) await send(app, ev).expect(202)
    await vi.waitFor(() => expect(seen.stopped).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
    mode = 'wrong'
    for (const ev of during.slice(20)) await send(app, ev).expect(202)
    await vi.waitFor(() => expect(seen.wrong).toBeGreaterThanOrEqual(2), { timeout: 10_000 })
    expect(writer.pending).toBe(80) // 40 events and their IP rows, in the journal
    expect(seen.inserts).toBe(0)

    mode = 'up'
    await vi.waitFor(() => expect(writer.pending).toBe(0), { timeout: 15_000, interval: 50 })
    const ids = during.map((e) => e.id)
    const [r] = await t.db.query<{ n: string; ids: string }>(
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM events WHERE event_id IN {ids:Array(String)}',
      { ids },
    )
    expect(Number(r?.n)).toBe(40)
    expect(Number(r?.ids)).toBe(40)
    await writer.close()
    await remote.close()
  }, 40_000)
})
