// Retention per kind of data: ClickHouse TTLs remove what is past its limit at merge
// time, and the daily retention job deletes what a lagging merge left and reports it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'
import { chTime } from '../../lib/db.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp({ RAW_RETENTION_DAYS: '30', COMPANY_RETENTION_MONTHS: '2', AGGREGATE_RETENTION_MONTHS: '3' })
})
afterAll(async () => {
  await t.close()
})

const ago = (days: number) => new Date(Date.now() - days * 86_400_000)
const ts = chTime
const day = (d: Date) => d.toISOString().slice(0, 10)

function event(id: string, when: Date) {
  return eventRow({
    event_id: id,
    vid: `vid-${id}`,
    sid: `sid-${id}`,
    ts: ts(when),
    browser_version: '1',
    os: 'Linux',
    os_version: '',
    screen: 0,
    country: '',
  })
}

async function ids(table: string, column: string): Promise<string[]> {
  return (await t.db.query<{ v: string }>(`SELECT toString({c:Identifier}) AS v FROM {t:Identifier} ORDER BY v`, { t: table, c: column })).map((r) => r.v)
}

describe('TTLs', () => {
  it('removes raw events past RAW_RETENTION_DAYS, aggregates past AGGREGATE_RETENTION_MONTHS, company visits past COMPANY_RETENTION_MONTHS', async () => {
    await t.db.insert('events', [event('old-event', ago(40)), event('young-event', ago(5))])
    await t.db.insert('company_visits', [
      {
        site: 'example.com',
        company_id: 'old-company',
        day: day(ago(75)),
        visits: 1,
        pageviews: 1,
        pages: [],
        first_seen: ts(ago(75)),
        last_seen: ts(ago(75)),
        duration: 0,
      },
      {
        site: 'example.com',
        company_id: 'young-company',
        day: day(ago(10)),
        visits: 1,
        pageviews: 1,
        pages: [],
        first_seen: ts(ago(10)),
        last_seen: ts(ago(10)),
        duration: 0,
      },
    ])
    await t.db.insert('daily_visits', [
      { site: 'example.com', day: day(ago(120)), visits: 1, bounces: 1, duration_sum: 0 },
      { site: 'example.com', day: day(ago(20)), visits: 2, bounces: 1, duration_sum: 5 },
    ])
    for (const table of ['events', 'company_visits', 'daily_visits', 'daily_stats', 'sessions'])
      await t.db.command('OPTIMIZE TABLE {t:Identifier} FINAL', { t: table })
    expect(await ids('events', 'event_id')).toEqual(['young-event'])
    expect(await ids('company_visits', 'company_id')).toEqual(['young-company'])
    expect(await ids('daily_visits', 'day')).toEqual([day(ago(20))])
    // Aggregates outlive the raw events (3 months here); the per-visit rows, which hold ids, do not.
    expect(await ids('daily_stats', 'day')).toEqual([day(ago(40)), day(ago(5))])
    expect(await ids('sessions', 'sid')).toEqual(['sid-young-event'])
  })
})

describe('retention job', () => {
  it('deletes what a lagging merge left past each limit, reports the count, and keeps younger rows', async () => {
    // Stand-in for merges that have not run: TTLs far beyond the limits.
    await t.db.command('ALTER TABLE events MODIFY TTL toDateTime(ts) + INTERVAL 10 YEAR')
    for (const table of ['company_visits', 'daily_visits', 'sessions'])
      await t.db.command('ALTER TABLE {t:Identifier} MODIFY TTL day + INTERVAL 10 YEAR', { t: table })
    await t.db.insert('events', [event('lagging-event', ago(45)), event('fresh-event', ago(2))])
    await t.db.insert('company_visits', [
      {
        site: 'example.com',
        company_id: 'lagging-company',
        day: day(ago(90)),
        visits: 1,
        pageviews: 1,
        pages: [],
        first_seen: ts(ago(90)),
        last_seen: ts(ago(90)),
        duration: 0,
      },
    ])
    await t.db.insert('daily_visits', [{ site: 'example.com', day: day(ago(200)), visits: 1, bounces: 0, duration_sum: 0 }])
    const state = await t.deps.scheduler!.runNow('retention')
    expect(state.last_error).toBeNull()
    // The lagging event and its visit row (30 days), the company visit (2 months), the rolled-up day (3 months).
    expect(state.last_rows).toBe(4)
    expect(await ids('events', 'event_id')).toEqual(['fresh-event', 'young-event'])
    expect(await ids('sessions', 'sid')).toEqual(['sid-fresh-event', 'sid-young-event'])
    expect(await ids('company_visits', 'company_id')).toEqual(['young-company'])
    expect(await ids('daily_visits', 'day')).toEqual([day(ago(20))])
  })

  it('shows the retention in force in the settings', async () => {
    const agent = await t.login()
    expect((await agent.get('/api/settings').expect(200)).body.retention).toEqual({
      ip_days: 7,
      raw_event_days: 30,
      aggregate_months: 3,
      company_visit_months: 2,
    })
  })
})
