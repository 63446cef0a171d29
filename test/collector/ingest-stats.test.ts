// GET /api/ingest with the roles split on a ClickHouse server (issue 18, defect 6): the
// dashboard process collects nothing itself, and still shows what both collectors
// stored, dropped and refused, as they wrote it to ClickHouse.
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ADMIN, pageview, send } from '../helpers/app.ts'
import { useSplitRoles } from '../helpers/split-roles.ts'

const roles = useSplitRoles()

describe('GET /api/ingest with the roles split', () => {
  it("adds up both collectors' stored, dropped and refused events on the dashboard process", async () => {
    const a = await roles.start('collector')
    const b = await roles.start('collector')
    const dashboard = await roles.start('dashboard')
    for (let i = 0; i < 3; i++) await send(a.app, pageview()).expect(202)
    await send(a.app, pageview({ consent: { analytics: false } })).expect(403)
    for (let i = 0; i < 2; i++) await send(b.app, pageview()).expect(202)
    await send(b.app, pageview(), { 'User-Agent': 'curl/8.5.0' }).expect(202)
    await send(b.app, pageview({ site: 'unknown.example' })).expect(403)
    await send(b.app, 'not json').expect(400)
    for (const c of [a, b]) {
      await c.deps.writer.flush()
      await c.deps.counters.flush()
    }
    const admin = request.agent(dashboard.app)
    admin.set('X-Spoor-Request', '1')
    await admin.post('/api/login').send(ADMIN).expect(200)
    const stats = (await admin.get('/api/ingest').expect(200)).body
    expect(stats).toMatchObject({ stored: 5, pending: 0 })
    expect(stats.dropped).toMatchObject({ bot: 1, opted_out: 0 })
    expect(stats.rejected).toMatchObject({ no_consent: 1, unknown_site: 1, invalid: 1, wrong_origin: 0 })
    expect(Date.parse(stats.since)).toBeLessThanOrEqual(Date.now() - 23 * 3600_000)
    // The per-site list of drops (the overview's hint) holds no refusal.
    const dropped = (await admin.get('/api/stats/dropped?site=example.com').expect(200)).body
    expect(dropped.total).toBe(1)
  })
})
