// "Deleted" means gone from disk: not masked (a lightweight DELETE only hides rows;
// apply_deleted_mask = 0 reads them back), not in an old part waiting to be cleaned up,
// not in ClickHouse's record of a mutation's text. Each test first finds the bytes it
// looks for on disk, so that not finding them later means something.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import request from 'supertest'

let t: TestApp
beforeAll(async () => {
  t = await makeApp({ TRUST_PROXY: 'loopback' })
})
afterAll(async () => {
  await t.close()
})

/** Files under the data directory that contain `needle`. */
function filesWith(needle: Buffer): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      let st: ReturnType<typeof statSync>
      try {
        st = statSync(p)
      } catch {
        continue // removed meanwhile (a part being cleaned up)
      }
      if (st.isDirectory()) walk(p)
      else if (st.size < 64 * 1024 * 1024) {
        try {
          if (readFileSync(p).includes(needle)) out.push(p)
        } catch {
          // removed meanwhile
        }
      }
    }
  }
  walk(t.deps.config.dataDir)
  return out
}

/** Waits (at most 150 s; old parts of events live 60 s, the others go at once: sql/013) until no file holds `needle`. */
async function goneFromDisk(needle: Buffer): Promise<string[]> {
  const deadline = Date.now() + 150_000
  for (;;) {
    const left = filesWith(needle)
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise((r) => setTimeout(r, 2000))
  }
}

/** Waits (at most 10 s) until some file holds `needle`: what makes "gone from disk" later mean something. */
const onDisk = (needle: Buffer) => expect.poll(() => filesWith(needle).length, { timeout: 10_000, interval: 500 }).toBeGreaterThan(0)

/** An IPv6 address of random-looking bytes, and its 16 bytes as ClickHouse stores them. */
function addressOf(): { ip: string; bytes: Buffer } {
  const bytes = Buffer.from(`2001db8${rid().slice(0, 25)}`, 'hex')
  const ip = (bytes.toString('hex').match(/.{4}/g) ?? []).join(':')
  return { ip, bytes }
}

describe('an erased visitor id', () => {
  it('is in no table (also with apply_deleted_mask = 0), no mutation record and no file of the data directory', async () => {
    const vid = rid()
    for (const path of ['/', '/pricing', '/about']) await send(t.app, pageview({ vid, url: `https://example.com${path}` })).expect(202)
    await t.flush()
    expect(await t.count('events', 'vid = {v:String}', { v: vid })).toBe(3)
    // The check can see it: in some file first (polled: once, under a loaded full suite,
    // a walk found it in none, as parts were being replaced).
    await onDisk(Buffer.from(vid))
    await request(t.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid }))
      .expect(200)
    for (const table of ['events', 'visit_ips', 'form_domains', 'sessions', 'erasure_requests']) {
      const [r] = await t.db.query<{ n: string }>(
        `SELECT count() AS n FROM {t:Identifier} WHERE position(toString(tuple(*)), {v:String}) > 0 SETTINGS apply_deleted_mask = 0`,
        { t: table, v: vid },
      )
      expect({ table, rows: Number(r?.n) }).toEqual({ table, rows: 0 })
    }
    const mutations = await t.db.query<{ command: string }>('SELECT command FROM system.mutations')
    expect(mutations.length).toBeGreaterThan(0)
    expect(mutations.filter((m) => m.command.includes(vid))).toEqual([])
    expect(await goneFromDisk(Buffer.from(vid))).toEqual([])
  }, 180_000)
})

describe('a full IP address', () => {
  it('is gone from disk once the enrichment job has decided its visit', async () => {
    const { ip, bytes } = addressOf()
    const ev = pageview()
    await send(t.app, ev, { 'X-Forwarded-For': ip }).expect(202)
    await t.flush()
    await onDisk(bytes)
    await t.deps.scheduler!.runNow('enrich-visits')
    const [r] = await t.db.query<{ n: string }>('SELECT count() AS n FROM visit_ips WHERE sid = {sid:String} SETTINGS apply_deleted_mask = 0', { sid: ev.sid })
    expect(Number(r?.n)).toBe(0)
    expect(await goneFromDisk(bytes)).toEqual([])
  }, 180_000)

  it('is gone from disk within its retention, though no job decided its visit: the hourly job deletes it 2 hours early', async () => {
    const { ip, bytes } = addressOf()
    const sid = rid()
    // 6 days and 23 hours old: the next hourly run is the last before 7 days.
    await t.db.insert('visit_ips', [{ site: 'example.com', sid, vid: rid(), ip, ts: Math.floor(Date.now() / 1000) - (7 * 24 - 1) * 3600 }])
    await onDisk(bytes)
    await t.deps.scheduler!.runNow('ip-retention')
    const [r] = await t.db.query<{ n: string }>('SELECT count() AS n FROM visit_ips WHERE sid = {sid:String} SETTINGS apply_deleted_mask = 0', { sid })
    expect(Number(r?.n)).toBe(0)
    expect(await goneFromDisk(bytes)).toEqual([])
  }, 180_000)
})
