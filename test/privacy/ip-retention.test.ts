// IP addresses never outlive IP_RETENTION_DAYS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp({ IP_RETENTION_DAYS: '3' })
})
afterAll(async () => {
  await t.close()
})

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 19).replace('T', ' ')

describe('IP retention', () => {
  it('the table TTL removes IP rows older than IP_RETENTION_DAYS once parts are merged', async () => {
    await t.db.insert('visit_ips', [
      { site: 'example.com', sid: 'ttl-old', vid: 'v1', ip: '192.0.2.1', ts: daysAgo(4) },
      { site: 'example.com', sid: 'ttl-new', vid: 'v2', ip: '192.0.2.2', ts: daysAgo(2) },
    ])
    await t.db.command('OPTIMIZE TABLE visit_ips FINAL')
    const left = await t.db.query<{ sid: string }>("SELECT sid FROM visit_ips WHERE sid LIKE 'ttl-%'")
    expect(left.map((r) => r.sid)).toEqual(['ttl-new'])
    await t.db.command('TRUNCATE TABLE visit_ips')
  })

  it('the hourly job deletes IP rows that a lagging merge left behind, and keeps younger ones', async () => {
    // Stand-in for a merge that has not run yet: a TTL far beyond the retention.
    await t.db.command('ALTER TABLE visit_ips MODIFY TTL ts + INTERVAL 30 DAY')
    await t.db.insert('visit_ips', [
      { site: 'example.com', sid: 'old-session-1', vid: 'v1', ip: '192.0.2.1', ts: daysAgo(5) },
      { site: 'example.com', sid: 'old-session-2', vid: 'v2', ip: '2001:db8::1', ts: daysAgo(3.1) },
      { site: 'example.com', sid: 'new-session-1', vid: 'v3', ip: '192.0.2.3', ts: daysAgo(1) },
    ])
    expect(await t.count('visit_ips')).toBe(3)
    const state = await t.deps.scheduler!.runNow('ip-retention')
    expect(state.last_error).toBeNull()
    expect(state.last_rows).toBe(2)
    const left = await t.db.query<{ sid: string }>('SELECT sid FROM visit_ips ORDER BY sid')
    expect(left.map((r) => r.sid)).toEqual(['new-session-1'])
  })

  it('lists each job with its schedule and last run for the API', async () => {
    await t.db.command('TRUNCATE TABLE visit_ips')
    await t.db.insert('visit_ips', [{ site: 'example.com', sid: 'listed-1', vid: 'v9', ip: '192.0.2.9', ts: daysAgo(4) }])
    const before = (await t.deps.scheduler!.runNow('ip-retention')).runs
    const agent = await t.login()
    const body = (await agent.get('/api/jobs').expect(200)).body
    expect(body.runs_here).toBe(true)
    expect(body.jobs).toContainEqual(
      expect.objectContaining({ name: 'ip-retention', schedule: '17 * * * *', runs: before, failures: 0, last_rows: 1, last_error: null }),
    )
    expect(body.jobs.map((j: { name: string }) => j.name)).toContain('rollup-visits')
  })
})
