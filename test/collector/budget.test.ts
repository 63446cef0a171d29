// What the internet may cost the disk: a daily budget of stored events per site and in
// all, read from ClickHouse so that every collector process counts the same day, and a
// floor of free disk space below which nothing is stored (review finding: 150 MB in 11 s
// from one network before its per-network limit answered).
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IngestBudget } from '../../collector/budget.ts'
import { makeApp, pageview, send, type TestApp } from '../helpers/app.ts'

describe('the daily event budget', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp({ SITE_EVENTS_PER_DAY: '5', EVENTS_PER_DAY: '8' })
  })
  afterAll(async () => {
    await t.close()
  })

  it('refuses a site past SITE_EVENTS_PER_DAY and all sites past EVENTS_PER_DAY with 429, storing nothing more', async () => {
    for (let i = 0; i < 5; i++) await send(t.app, pageview()).expect(202)
    const site = await send(t.app, pageview()).expect(429)
    expect(site.body).toMatchObject({ field: 'site' })
    expect(site.body.error).toMatch(/SITE_EVENTS_PER_DAY/)
    expect(site.headers['retry-after']).toBeDefined()
    const other = (n: number) => pageview({ site: 'shop.example.org', url: `https://shop.example.org/${n}` })
    for (let i = 0; i < 3; i++) await send(t.app, other(i)).expect(202)
    const all = await send(t.app, other(9)).expect(429)
    expect(all.body.error).toMatch(/EVENTS_PER_DAY/)
    expect(await t.count('events')).toBe(8)
  })

  it('is counted from ClickHouse: another process that starts now sees the day as used', async () => {
    await t.flush()
    const another = new IngestBudget(t.db, t.deps.config)
    await another.refresh()
    expect(another.take('example.com')).toBe('all')
    expect(another.snapshot().events_today).toBe(8)
  })
})

describe('the free-space floor (MIN_FREE_DISK_MB)', () => {
  let t: TestApp
  beforeAll(async () => {
    // More free space than any test machine has: the floor is crossed from the start.
    t = await makeApp({ MIN_FREE_DISK_MB: '10000000' })
  })
  afterAll(async () => {
    await t.close()
  })

  it('refuses events with 507 before the disk is full, and stores nothing', async () => {
    const res = await send(t.app, pageview()).expect(507)
    expect(res.body.error).toMatch(/disk space/)
    expect(res.headers['retry-after']).toBe('300')
    expect(await t.count('events')).toBe(0)
  })

  it('shows the headroom on /health, which says degraded', async () => {
    const res = await request(t.app).get('/health').expect(503)
    expect(res.body).toMatchObject({ status: 'degraded', min_free_disk_mb: 10_000_000 })
    expect(res.body.free_disk_mb).toBeGreaterThan(0)
    expect(res.body.free_disk_mb).toBeLessThan(10_000_000)
  })
})
