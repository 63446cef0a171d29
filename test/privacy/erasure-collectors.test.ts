// An erasure on a ClickHouse server with two collectors (issue 18, defect 3): the visitor
// keeps browsing on the other collector, which learns of the opt-out only at its next
// refresh; once the erasure is done, none of the visitor's events is left.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pageview, rid, send } from '../helpers/app.ts'
import { type Processes, splitRoles } from '../helpers/split-roles.ts'
import { resumeErasures } from '../../privacy/erasure.ts'
import { createLogger } from '../../lib/logger.ts'

let roles: Processes

beforeAll(async () => {
  roles = await splitRoles()
})
afterAll(async () => {
  await roles?.close()
})

describe('erasure with two collectors', () => {
  it("leaves none of the visitor's events once done, though the other collector kept accepting them until it refreshed", { timeout: 90_000 }, async () => {
    const a = await roles.start('collector', { FLUSH_INTERVAL_MS: '500' })
    const b = await roles.start('collector', { FLUSH_INTERVAL_MS: '500' })
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
      .expect(202)
    // Recorded and opted out at once; erased by the jobs process once the request is old
    // enough for every collector to have refreshed (2 minutes there; 15 s here).
    expect(res.body.status).toBe('pending')
    await new Promise((r) => setTimeout(r, 16_000))
    browsing = false
    await browse
    expect(acceptedDuring).toBeGreaterThan(0)
    const jobs = await roles.start('jobs')
    expect(await resumeErasures(jobs.deps.db, createLogger('silent'), { rawRetentionDays: 180 }, 15)).toBe(1)
    const [request_] = await a.deps.db.query<{ status: string }>('SELECT status FROM erasure_requests FINAL WHERE id = {id:String}', { id: res.body.id })
    expect(request_?.status).toBe('done')
    const left = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    expect(Number(left[0]?.n)).toBe(0)
    // And after: B refuses the visitor, and nothing of it arrives later.
    await send(b.app, pageview({ vid, sid, url: 'https://example.com/after' })).expect(202)
    await b.deps.writer.flush()
    const [after] = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    expect(Number(after?.n)).toBe(0)
  })
})
