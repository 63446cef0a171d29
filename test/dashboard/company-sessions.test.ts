// The companies list under stats filters reads finished days from company_sessions
// (sql/025), a copy of the company visits' rows. Every way a visit of a finished day
// becomes, or stops being, a company's must reach that copy: the rollup, a decision
// made after the rollup, the naming of a candidate, a suppression. Each answer is
// compared with the same question asked of the raw events (CompanyQueries fromEvents),
// which joins the events' visits with the decisions and reads no copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyCompanySessions } from '../../aggregates/company-sessions.ts'
import { CompanyQueries } from '../../dashboard/companies.ts'
import type { CompanyRow } from '../../lib/api-types.ts'
import { addDays, isoDay } from '../../lib/timezone.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { eventRow } from '../helpers/events.ts'
import { type FixtureNet, fixtureIntel, ipIn, NETS } from '../helpers/intel.ts'

// An organisation no list names: the review queue offers it for naming.
const ZWALUW = { cidr: '198.18.2.0/24', asn: 64510, org: 'Zwaluw Studio B.V.', country: 'NL', city: 'Rotterdam' } satisfies FixtureNet

let t: TestApp
let admin: Awaited<ReturnType<TestApp['login']>>
// Finished days inside the enrichment's reach (8 days): D and the day after.
const D = addDays(isoDay(new Date()), -4)
const D1 = addDays(D, 1)
const GOOGLE = [['is', 'source', ['Google']]]

beforeAll(async () => {
  t = await makeApp({ TRUST_PROXY: 'loopback' }, { intel: fixtureIntel({ nets: [...Object.values(NETS), ZWALUW] }) })
  admin = await t.login()
  await t.reset()
  for (const table of ['enriched_sessions', 'companies', 'company_visits', 'company_sessions', 'suppressions', 'candidate_dismissals', 'site_settings']) {
    await t.db.command('TRUNCATE TABLE {t:Identifier}', { t: table })
  }
  await t.deps.intel.parts.knowledge.refresh(t.db, 0.5)
})
afterAll(async () => {
  await t.close()
})

/** A visit of day D (or over its midnight): its events and the IP rows enrichment reads. */
async function visit(sid: string, ip: string, source: string, times: Array<[string, string]>) {
  const vid = `vid-${sid}`
  await t.db.insert(
    'events',
    times.map(([ts, path]) => eventRow({ vid, sid, ts, path, source, referrer_source: source })),
  )
  await t.db.insert('visit_ips', [{ site: 'example.com', sid, vid, ip, ts: times[0]![0] }])
}

const api = async (filters: unknown, from = D, to = D1): Promise<CompanyRow[]> =>
  (await admin.get(`/api/companies?site=example.com&from=${from}&to=${to}&filters=${encodeURIComponent(JSON.stringify(filters))}`).expect(200)).body.results
const fromEvents = (filters: unknown, from = D, to = D1) =>
  new CompanyQueries(t.db, { fromEvents: true }).list({ site: 'example.com', from, to, timezone: 'UTC', limit: 100, filters } as never)
const figures = (rows: CompanyRow[]) => rows.map((r) => [r.name, r.visits, r.pageviews, r.visitors, [...r.pages].sort()])
const job = async (name: string) => {
  const s = await t.deps.scheduler!.runNow(name)
  expect(s.last_error).toBeNull()
}
/** Visit rows in company_sessions, each once (FINAL), with a company. */
const copied = async () => Number((await t.db.query<{ n: string }>("SELECT count() AS n FROM company_sessions FINAL WHERE company_id != ''"))[0]?.n)

describe('the filtered companies list over finished days (company_sessions)', () => {
  it('counts decisions made after the rollup, the same as the raw events do', async () => {
    await visit('acme-1', ipIn(NETS.acme, 11), 'Google', [
      [`${D} 09:00:00.000`, '/'],
      [`${D} 09:02:00.000`, '/pricing'],
    ])
    await visit('acme-2', ipIn(NETS.acme, 12), 'Bing', [[`${D} 10:00:00.000`, '/blog']])
    // Over midnight: a visit row on each day, one decision dated D.
    await visit('acme-3', ipIn(NETS.acme, 13), 'Google', [
      [`${D} 23:58:00.000`, '/docs'],
      [`${D1} 00:03:00.000`, '/contact'],
    ])
    await visit('uni-1', ipIn(NETS.university), 'Google', [[`${D} 11:00:00.000`, '/']])
    await visit('zwaluw-1', ipIn(ZWALUW, 20), 'Google', [[`${D1} 08:00:00.000`, '/about']])
    await job('rollup-visits')
    expect(await t.count('visit_days', 'day IN {d:Array(Date)}', { d: [D, D1] })).toBeGreaterThan(0)
    // Rolled up before any decision: nothing to copy yet.
    expect(await t.count('company_sessions')).toBe(0)
    await job('enrich-visits')
    // The late decisions reached the copy: acme-1, acme-3 on D and D1, acme-2, uni-1.
    expect(await copied()).toBe(5)
    const rows = await api(GOOGLE)
    expect(figures(rows)).toEqual([
      ['Acme Manufacturing B.V.', 3, 4, 2, ['/', '/contact', '/docs', '/pricing']],
      ['University of Example', 1, 1, 1, ['/']],
    ])
    expect(figures(rows)).toEqual(figures(await fromEvents(GOOGLE)))
    expect(figures(await api([['is', 'source', ['Bing']]]))).toEqual([['Acme Manufacturing B.V.', 1, 1, 1, ['/blog']]])
    // A range that starts the day after the visit over midnight began: its row of that
    // day counts, though its decision is dated the day before (as in company_visits).
    const second = await api(GOOGLE, D1, D1)
    expect(figures(second)).toEqual([['Acme Manufacturing B.V.', 1, 1, 1, ['/contact']]])
    expect(figures(second)).toEqual(figures(await fromEvents(GOOGLE, D1, D1)))
  })

  it('answers the same when the days are rolled up after the decisions (a copy replaces, never adds)', async () => {
    const before = figures(await api(GOOGLE))
    await t.db.command('TRUNCATE TABLE visit_days')
    await job('rollup-visits')
    expect(await copied()).toBe(5)
    expect(figures(await api(GOOGLE))).toEqual(before)
    // The rollup alone copies a finished day's company visits.
    await t.db.command('TRUNCATE TABLE company_sessions')
    await t.db.command('TRUNCATE TABLE visit_days')
    await job('rollup-visits')
    expect(await copied()).toBe(5)
    expect(figures(await api(GOOGLE))).toEqual(before)
  })

  it("counts a named candidate's past visits on finished days", async () => {
    expect((await api(GOOGLE)).map((r) => r.name)).not.toContain('Zwaluw')
    await admin.post('/api/companies/candidates/name').send({ network: ZWALUW.cidr, name: 'Zwaluw', domain: 'zwaluw.nl' }).expect(201)
    const rows = await api(GOOGLE)
    expect(figures(rows)).toContainEqual(['Zwaluw', 1, 1, 1, ['/about']])
    expect(figures(rows)).toEqual(figures(await fromEvents(GOOGLE)))
  })

  it('copies no visit of a visitor whose erasure is under way', async () => {
    // The erasure's request holds the visitor id from its start until it is done.
    await t.db.insert('erasure_requests', [
      { id: 'erasing-1', vid: 'vid-acme-1', vid_hash: 'h', status: 'erasing', plan: '', result: '', requested_by: 'visitor', requested_at: Date.now() },
    ])
    try {
      await t.db.command('TRUNCATE TABLE company_sessions')
      await copyCompanySessions(t.db, [D, D1])
      const vids = await t.db.query<{ vid: string }>('SELECT DISTINCT vid FROM company_sessions ORDER BY vid')
      expect(vids.map((r) => r.vid)).toEqual(['vid-acme-2', 'vid-acme-3', 'vid-uni-1', 'vid-zwaluw-1'])
    } finally {
      // The later tests of the file must not see an erasure under way.
      await t.db.command('TRUNCATE TABLE erasure_requests')
    }
    await copyCompanySessions(t.db, [D, D1])
    expect(await copied()).toBe(6)
  })

  it('drops a suppressed company from the copy and from the list', async () => {
    const [acme] = await t.db.query<{ id: string }>("SELECT company_id AS id FROM companies FINAL WHERE name = 'Acme Manufacturing B.V.'")
    await admin.post('/api/suppressions').send({ kind: 'company', value: acme!.id, reason: 'asked by e-mail' }).expect(201)
    expect(await t.count('company_sessions', 'company_id = {id:String}', { id: acme!.id })).toBe(0)
    const rows = await api(GOOGLE)
    expect(rows.map((r) => r.name).sort()).toEqual(['University of Example', 'Zwaluw'])
    expect(figures(rows)).toEqual(figures(await fromEvents(GOOGLE)))
  })
})
