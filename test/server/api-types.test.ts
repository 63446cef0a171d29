// The types of lib/api-types.ts against what the API really answers: each sample below
// must have every field of its type (the type check sees to that), and the test that the
// real answer has exactly those fields. A field renamed, added or dropped on one side
// only fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobList, JobState, Me, Settings, Timeseries, TimeseriesPoint } from '../../lib/api-types.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

const settings: Settings = {
  public_url: '',
  optout_url: '',
  optout_link: '',
  snippets: {},
  demo_site: null,
  retention: { ip_days: 0, raw_event_days: 0, aggregate_months: 0, company_visit_months: 0 },
  company_network_types: [],
  reverse_dns: false,
  attribution: { text: '', url: '' },
}
const me: Me = { email: '', role: 'viewer' }
const job: JobState = {
  name: '',
  schedule: '',
  description: '',
  running: false,
  last_run: null,
  last_duration_ms: null,
  last_rows: null,
  last_error: null,
  runs: 0,
  failures: 0,
}
const jobs: JobList = { jobs: [job], runs_here: false }
const point: TimeseriesPoint = { date: '', visitors: 0, visits: 0, pageviews: 0, bounce_rate: 0, visit_duration: 0 }
const timeseries: Timeseries = { site: '', from: '', to: '', timezone: 'UTC', filters: [], interval: 'day', results: [point] }

const keys = (o: object) => Object.keys(o).sort()

let t: TestApp
let agent: Awaited<ReturnType<TestApp['login']>>
beforeAll(async () => {
  t = await makeApp()
  agent = await t.login()
})
afterAll(async () => {
  await t.close()
})

describe('API answers have the fields of their declared types', () => {
  it('GET /api/settings', async () => {
    const body = (await agent.get('/api/settings').expect(200)).body
    expect(keys(body)).toEqual(keys(settings))
    expect(keys(body.retention)).toEqual(keys(settings.retention))
    expect(keys(body.attribution)).toEqual(keys(settings.attribution))
  })

  it('GET /api/me', async () => {
    expect(keys((await agent.get('/api/me').expect(200)).body)).toEqual(keys(me))
  })

  it('GET /api/jobs', async () => {
    const body = (await agent.get('/api/jobs').expect(200)).body
    expect(keys(body)).toEqual(keys(jobs))
    expect(body.jobs.length).toBeGreaterThan(0)
    for (const j of body.jobs) expect(keys(j)).toEqual(keys(job))
  })

  it('GET /api/stats/timeseries', async () => {
    const body = (await agent.get('/api/stats/timeseries?site=example.com&from=2026-01-01&to=2026-01-03').expect(200)).body
    expect(keys(body)).toEqual(keys(timeseries))
    expect(body.results).toHaveLength(3)
    for (const p of body.results) expect(keys(p)).toEqual(keys(point))
  })
})
