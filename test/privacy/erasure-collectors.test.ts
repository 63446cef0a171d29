// An erasure on a ClickHouse server with two collectors (issue 18, defect 3): the visitor
// keeps browsing on the other collector, which learns of the opt-out only at its next
// refresh; once the erasure is done, none of the visitor's events is left.
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { pageview, rid, send } from '../helpers/app.ts'
import { rebuildDueDays } from '../../aggregates/rebuild.ts'
import { runNode } from '../helpers/cli.ts'
import { useSplitRoles } from '../helpers/split-roles.ts'
import { resumeErasures } from '../../privacy/erasure.ts'
import { createLogger } from '../../lib/logger.ts'

const roles = useSplitRoles()

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
    // The jobs process leaves it alone while it is younger than that.
    const jobs = await roles.start('jobs')
    expect(await resumeErasures(jobs.deps.db, createLogger('silent'), { rawRetentionDays: 180 }, 15)).toBe(0)
    const [young] = await a.deps.db.query<{ status: string }>('SELECT status FROM erasure_requests FINAL WHERE id = {id:String}', { id: res.body.id })
    expect(young?.status).toBe('pending')
    await new Promise((r) => setTimeout(r, 16_000))
    browsing = false
    await browse
    expect(acceptedDuring).toBeGreaterThan(0)
    expect(await resumeErasures(jobs.deps.db, createLogger('silent'), { rawRetentionDays: 180 }, 15)).toBe(1)
    const [request_] = await a.deps.db.query<{ status: string }>('SELECT status FROM erasure_requests FINAL WHERE id = {id:String}', { id: res.body.id })
    expect(request_?.status).toBe('done')
    const left = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    expect(Number(left[0]?.n)).toBe(0)
    // And after: B still answers 202 (a beacon learns nothing), but stores nothing of the visitor.
    await send(b.app, pageview({ vid, sid, url: 'https://example.com/after' })).expect(202)
    await b.deps.writer.flush()
    const [after] = await a.deps.db.query<{ n: string }>('SELECT count() AS n FROM events WHERE vid = {vid:String}', { vid })
    expect(Number(after?.n)).toBe(0)
  })

  it("leaves the visitor's day to be rebuilt once over, while both collectors write it, and never counts a page view twice", { timeout: 60_000 }, async () => {
    const collectors = [await roles.start('collector', { FLUSH_INTERVAL_MS: '200' }), await roles.start('collector', { FLUSH_INTERVAL_MS: '200' })]
    // The day the test before erased a visitor of is listed too: rebuilt first, as if over.
    await rebuildDueDays(collectors[0]!.deps.db, { rawRetentionDays: 180, now: Date.now() + 86_400_000 })
    const vid = rid()
    for (let i = 0; i < 3; i++) await send(collectors[0]!.app, pageview({ vid, sid: rid(), url: `https://example.com/erased/${i}` })).expect(202)
    await collectors[0]!.deps.writer.flush()
    const erasure = await request(collectors[0]!.app)
      .post('/api/privacy/erase')
      .set('Origin', 'https://example.com')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ vid }))
      .expect(202)
    // Other visitors on both collectors, flushed every 200 ms (the default is 1,000), throughout the erasure.
    let writing = true
    const load = collectors.map(async (c) => {
      while (writing) {
        await send(c.app, pageview({ vid: rid(), sid: rid(), url: 'https://example.com/busy' })).expect(202)
        await new Promise((r) => setTimeout(r, 5))
      }
    })
    // In a process of its own, as the jobs process is: in this one the collectors' flushes
    // would wait on the same in-process lock as a rebuild, which hid the double count
    // (rebuilding today under these writes counted 15-20 page views twice, each time).
    const erased = await runNode(['--import', 'tsx', 'test/helpers/erase-elsewhere.ts'], {
      CLICKHOUSE_URL: roles.ch.url,
      CLICKHOUSE_USER: roles.ch.user,
      CLICKHOUSE_PASSWORD: roles.ch.password,
      CLICKHOUSE_DATABASE: 'spoor',
    })
    expect(erased.stdout.trim(), erased.stderr).toBe('{"erased":1}')
    writing = false
    await Promise.all(load)
    for (const c of collectors) await c.deps.writer.flush()
    const db = collectors[0]!.deps.db
    const [state] = await db.query<{ status: string; result: string }>('SELECT status, result FROM erasure_requests FINAL WHERE id = {id:String}', {
      id: erasure.body.id,
    })
    expect(state?.status).toBe('done')
    expect(JSON.parse(state!.result)).toMatchObject({ events: 3, days_rebuilt: 0, days_pending: 1 })
    const sums = async () => {
      const [r] = await db.query<{ stats: string; breakdown: string; raw: string }>(
        `SELECT (SELECT sum(pageviews) FROM daily_stats WHERE site = 'example.com' AND day = today()) AS stats,
                (SELECT sum(pageviews) FROM daily_breakdown WHERE site = 'example.com' AND day = today() AND kind = 'page') AS breakdown,
                (SELECT count() FROM events WHERE site = 'example.com' AND toDate(ts) = today() AND type = 'pageview') AS raw`,
      )
      return { stats: Number(r?.stats), breakdown: Number(r?.breakdown), raw: Number(r?.raw) }
    }
    // Today: the visitor's 3 page views are gone from the events and still in the day's totals; nothing counted twice.
    const today = await sums()
    expect(today.raw).toBeGreaterThan(50)
    expect(today).toEqual({ raw: today.raw, stats: today.raw + 3, breakdown: today.raw + 3 })
    // Not while the day is open; once it is over, the erasure job rebuilds it.
    expect(await rebuildDueDays(db, { rawRetentionDays: 180 })).toBe(0)
    expect(await rebuildDueDays(db, { rawRetentionDays: 180, now: Date.now() + 86_400_000 })).toBe(1)
    expect(await sums()).toEqual({ raw: today.raw, stats: today.raw, breakdown: today.raw })
    expect(await rebuildDueDays(db, { rawRetentionDays: 180, now: Date.now() + 86_400_000 })).toBe(0)
  })
})
