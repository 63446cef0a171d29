// The sales inbox (issue 17) through the real app: page views from company networks go
// through the collector and the enrichment job, then viewers and admins work the list.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { leadScore } from '../../dashboard/companies.ts'
import { forgetRemovedTags, updateInbox } from '../../dashboard/inbox.ts'
import type { CompanyRow, InboxState } from '../../lib/api-types.ts'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

const SALES = { email: 'sales@example.com', password: 'sales password 1' }
const COLLEAGUE = { email: 'colleague@example.com', password: 'colleague password' }

let t: TestApp
let admin: Awaited<ReturnType<TestApp['login']>>
let sales: Awaited<ReturnType<TestApp['login']>>

beforeAll(async () => {
  t = await makeApp({ TRUST_PROXY: 'loopback' })
  await t.deps.users.upsert(SALES.email, SALES.password, 'viewer')
  await t.deps.users.upsert(COLLEAGUE.email, COLLEAGUE.password, 'viewer')
  admin = await t.login()
  sales = await t.login(t.app, SALES)
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.reset()
  for (const table of ['enriched_sessions', 'companies', 'company_visits', 'company_inbox_fields', 'company_notes', 'goals', 'site_settings', 'suppressions']) {
    await t.db.command('TRUNCATE TABLE {t:Identifier}', { t: table })
  }
  await t.deps.intel.parts.knowledge.refresh(t.db, 0.5)
})

/** One visit: the given pages in order, from `ip`, with an optional referrer and query on the first. */
async function visit(ip: string, paths: string[], first: { referrer?: string; query?: string } = {}) {
  const vid = rid()
  const sid = rid()
  for (const [i, path] of paths.entries()) {
    const url = `https://example.com${path}${i === 0 && first.query ? `?${first.query}` : ''}`
    await send(t.app, pageview({ vid, sid, url, referrer: i === 0 ? (first.referrer ?? '') : '', title: `Title of ${path}` }), {
      'X-Forwarded-For': ip,
    }).expect(202)
  }
}

async function enrich() {
  await t.flush()
  const s = await t.deps.scheduler!.runNow('enrich-visits')
  expect(s.last_error).toBeNull()
}

/** Acme, the university and the ministry, each with one visit. */
async function threeCompanies(): Promise<Record<'acme' | 'university' | 'ministry', string>> {
  await visit(ipIn(NETS.acme), ['/', '/pricing'])
  await visit(ipIn(NETS.university), ['/'])
  await visit(ipIn(NETS.ministry), ['/docs'])
  await enrich()
  const rows = await list(admin)
  const id = (name: string) => rows.find((r) => r.name.includes(name))!.id
  return { acme: id('Acme'), university: id('University'), ministry: id('Ministerie') }
}

async function list(agent: typeof admin, query = ''): Promise<CompanyRow[]> {
  return (await agent.get(`/api/companies?site=example.com${query}`).expect(200)).body.results as CompanyRow[]
}

const names = (rows: CompanyRow[]) => rows.map((r) => r.name).sort()

describe('status, owner and tags', () => {
  it('a viewer sets status, owner and tags, and they persist for everyone', async () => {
    const { acme } = await threeCompanies()
    const res = await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ status: 'follow_up', owner: COLLEAGUE.email, tags: ['Hot', ' pricing '] })
      .expect(200)
    const state = res.body as InboxState
    expect(state).toMatchObject({
      id: acme,
      site: 'example.com',
      status: 'follow_up',
      owner: COLLEAGUE.email,
      tags: ['Hot', 'pricing'],
      updated_by: SALES.email,
    })
    expect(state.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
    // Read back by another user, after a restart: nothing lived in memory.
    await t.restart()
    admin = await t.login()
    sales = await t.login(t.app, SALES)
    const row = (await list(admin)).find((r) => r.id === acme)!
    expect(row).toMatchObject({ status: 'follow_up', owner: COLLEAGUE.email, tags: ['Hot', 'pricing'] })
    const profile = (await admin.get(`/api/companies/${acme}?site=example.com`).expect(200)).body
    expect(profile.inbox).toMatchObject({ status: 'follow_up', owner: COLLEAGUE.email, tags: ['Hot', 'pricing'] })
  })

  it('a company without a row is new, unowned and untagged; a change keeps the fields it does not name', async () => {
    const { acme } = await threeCompanies()
    expect((await list(sales)).every((r) => r.status === 'new' && r.owner === null && r.tags.length === 0)).toBe(true)
    await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ owner: SALES.email, tags: ['a'] })
      .expect(200)
    const res = await sales.patch(`/api/companies/${acme}?site=example.com`).send({ status: 'in_crm' }).expect(200)
    expect(res.body).toMatchObject({ status: 'in_crm', owner: SALES.email, tags: ['a'] })
    const cleared = await sales.patch(`/api/companies/${acme}?site=example.com`).send({ owner: null, tags: [] }).expect(200)
    expect(cleared.body).toMatchObject({ status: 'in_crm', owner: null, tags: [] })
  })

  it('changes made at once to other fields or tags of one company are all kept', async () => {
    const { acme } = await threeCompanies()
    const at = `/api/companies/${acme}?site=example.com`
    // As the web app sends them when status and owner are picked one after the other, with a trigger tagging meanwhile.
    await Promise.all([
      sales.patch(at).send({ status: 'follow_up' }).expect(200),
      admin.patch(at).send({ owner: SALES.email }).expect(200),
      sales
        .post('/api/companies/bulk?site=example.com')
        .send({ ids: [acme], add_tags: ['hot'] })
        .expect(200),
      updateInbox(t.db, 'example.com', acme, { add_tags: ['from-trigger'] }, 'trigger:t1'),
    ])
    const row = (await list(admin)).find((r) => r.id === acme)!
    expect(row).toMatchObject({ status: 'follow_up', owner: SALES.email })
    expect([...row.tags].sort()).toEqual(['from-trigger', 'hot'])
  })

  it('changes at once that together would pass 20 tags leave at most 20, and the ones refused say so', async () => {
    const { acme } = await threeCompanies()
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        updateInbox(t.db, 'example.com', acme, { add_tags: Array.from({ length: 15 }, (_, j) => `t${i}-${j}`) }, SALES.email),
      ),
    )
    const row = (await list(admin)).find((r) => r.id === acme)!
    expect(row.tags.length).toBeLessThanOrEqual(20)
    const refused = results.filter((r) => r.status === 'rejected')
    expect(refused.length).toBeGreaterThan(0)
    for (const r of refused) expect(String((r as PromiseRejectedResult).reason)).toMatch(/at most 20 tags/)
  })

  it('a company with more than 20 tags (as changes at once left them before) still takes a status, an owner and a removal', async () => {
    const { acme } = await threeCompanies()
    const at = '2026-01-01 00:00:00.000'
    await t.db.insert(
      'company_inbox_fields',
      Array.from({ length: 25 }, (_, i) => ({
        site: 'example.com',
        company_id: acme,
        field: 'tag',
        key: `x${i}`,
        value: `x${i}`,
        present: 1,
        updated_at: at,
        updated_by: 'x',
      })),
    )
    await sales.patch(`/api/companies/${acme}?site=example.com`).send({ status: 'follow_up', owner: SALES.email }).expect(200)
    await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [acme], remove_tags: ['x0'] })
      .expect(200)
    const row = (await list(admin)).find((r) => r.id === acme)!
    expect(row).toMatchObject({ status: 'follow_up', owner: SALES.email })
    expect(row.tags).toHaveLength(24)
    // But no more tags.
    await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [acme], add_tags: ['more'] })
      .expect(400)
  })

  it('forgets tags removed over a day ago with every older version of them, and keeps one added again since', async () => {
    const { acme } = await threeCompanies()
    const row = (key: string, present: number, daysAgo: number) => ({
      site: 'example.com',
      company_id: acme,
      field: 'tag',
      key,
      value: key,
      present,
      updated_at: new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace('T', ' ').replace('Z', ''),
      updated_by: SALES.email,
    })
    // In separate inserts (parts), as they are written: an old `present` 1 row may outlive the merge.
    for (const r of [row('old', 1, 3), row('old', 0, 2), row('back', 1, 3), row('back', 0, 2), row('back', 1, 0), row('fresh', 1, 1), row('fresh', 0, 0)])
      await t.db.insert('company_inbox_fields', [r])
    expect(await forgetRemovedTags(t.db)).toBe(1)
    // 'old' is gone with all its rows; the others stay (merges may have folded their versions).
    const left = await t.db.query<{ key: string }>("SELECT DISTINCT key FROM company_inbox_fields WHERE field = 'tag' ORDER BY key")
    expect(left.map((r) => r.key)).toEqual(['back', 'fresh'])
    expect((await list(admin)).find((r) => r.id === acme)!.tags).toEqual(['back'])
  })

  it('keeps tags in the order they were given', async () => {
    const { acme } = await threeCompanies()
    await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ tags: ['b', 'a', 'C'] })
      .expect(200)
    await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [acme], add_tags: ['0', 'z'] })
      .expect(200)
    expect((await list(admin)).find((r) => r.id === acme)!.tags).toEqual(['b', 'a', 'C', '0', 'z'])
  })

  it('the inbox is per site: a change on one site leaves the other untouched', async () => {
    const { acme } = await threeCompanies()
    await sales.patch(`/api/companies/${acme}?site=example.com`).send({ status: 'in_crm' }).expect(200)
    const other = await t.deps.db.query<{ n: string }>("SELECT count() AS n FROM company_inbox WHERE site = 'shop.example.org'")
    expect(Number(other[0]?.n)).toBe(0)
    const state = await updateInbox(t.db, 'shop.example.org', acme, { add_tags: ['shop'] }, 'trigger:t1')
    expect(state).toMatchObject({ status: 'new', tags: ['shop'], updated_by: 'trigger:t1' })
    expect((await list(admin)).find((r) => r.id === acme)!.tags).toEqual([])
  })

  it('deduplicates tags case-insensitively, keeping the first spelling', async () => {
    const { acme } = await threeCompanies()
    const res = await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ tags: ['CRM', 'crm', ' Crm ', 'lead'] })
      .expect(200)
    expect(res.body.tags).toEqual(['CRM', 'lead'])
  })

  it.each([
    ['an unknown status', { status: 'done' }, 'status'],
    ['an owner who is not a user', { owner: 'stranger@example.com' }, 'owner'],
    ['an owner that is not a string', { owner: 42 }, 'owner'],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    ['a tag over 40 characters', { tags: ['x'.repeat(41)] }, 'tags'],
    ['an empty tag', { tags: ['  '] }, 'tags'],
    ['tags that are not strings', { tags: [1] }, 'tags.0'],
    ['an unknown field', { stauts: 'new' }, 'body'],
    ['nothing to change', {}, 'body'],
    ['a body that is not an object', [1], 'body'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const { acme } = await threeCompanies()
    const res = await sales.patch(`/api/companies/${acme}?site=example.com`).send(body).expect(400)
    expect(res.body.field).toBe(field)
    expect(res.body.error).toBeTruthy()
    expect(await t.count('company_inbox_fields')).toBe(0)
  })

  it("says what is wrong with a bad tag after the field's name", async () => {
    const { acme } = await threeCompanies()
    const error = async (body: object) => (await sales.patch(`/api/companies/${acme}?site=example.com`).send(body).expect(400)).body.error
    expect(await error({ tags: ['x'.repeat(41)] })).toBe('tags has a tag over 40 characters')
    expect(await error({ tags: ['  '] })).toBe('tags has an empty tag')
  })

  it('refuses an owner whose account was deleted', async () => {
    const { acme } = await threeCompanies()
    await t.deps.users.upsert('gone@example.com', 'a long password', 'viewer')
    await admin.delete('/api/users/gone@example.com').expect(200)
    const res = await sales.patch(`/api/companies/${acme}?site=example.com`).send({ owner: 'gone@example.com' }).expect(400)
    expect(res.body.field).toBe('owner')
  })

  it('answers 404 for an unknown company, 400 for a malformed id, 404 for an unknown site', async () => {
    await threeCompanies()
    const res = await sales.patch('/api/companies/0123456789abcdef?site=example.com').send({ status: 'in_crm' }).expect(404)
    expect(res.body.error).toMatch(/no such company/)
    expect((await sales.patch('/api/companies/nothex?site=example.com').send({ status: 'in_crm' }).expect(400)).body.field).toBe('id')
    expect((await sales.patch('/api/companies/0123456789abcdef?site=nowhere.example').send({ status: 'in_crm' }).expect(404)).body.field).toBe('site')
    expect((await sales.patch('/api/companies/0123456789abcdef').send({ status: 'in_crm' }).expect(400)).body.field).toBe('site')
  })

  it('needs the CSRF header like every other change', async () => {
    const { acme } = await threeCompanies()
    const res = await sales.patch(`/api/companies/${acme}?site=example.com`).set('X-Spoor-Request', '').send({ status: 'in_crm' })
    expect(res.status).toBe(403)
  })
})

describe('notes', () => {
  it('round trip: notes come back newest first with their author and time', async () => {
    const { acme } = await threeCompanies()
    const first = await sales.post(`/api/companies/${acme}/notes?site=example.com`).send({ text: 'Called, call back in May' }).expect(201)
    expect(first.body).toMatchObject({ author: SALES.email, text: 'Called, call back in May' })
    expect(first.body.id).toMatch(/^[0-9a-f]{16}$/)
    await new Promise((r) => setTimeout(r, 5))
    await admin.post(`/api/companies/${acme}/notes?site=example.com`).send({ text: '  Sent the offer  ' }).expect(201)
    const notes = (await sales.get(`/api/companies/${acme}/notes?site=example.com`).expect(200)).body.results
    expect(notes.map((n: { author: string; text: string }) => [n.author, n.text])).toEqual([
      ['admin@example.com', 'Sent the offer'],
      [SALES.email, 'Called, call back in May'],
    ])
    expect(notes[0].created_at > notes[1].created_at).toBe(true)
    // Per site.
    expect((await sales.get(`/api/companies/${acme}/notes?site=shop.example.org`).expect(200)).body.results).toEqual([])
  })

  it.each([
    ['no text', {}],
    ['empty text', { text: '   ' }],
    ['text over 5,000 characters', { text: 'x'.repeat(5001) }],
  ])('refuses a note with %s', async (_what, body) => {
    const { acme } = await threeCompanies()
    const res = await sales.post(`/api/companies/${acme}/notes?site=example.com`).send(body).expect(400)
    expect(res.body.field).toBe('text')
  })

  it('answers 404 for the notes of an unknown company', async () => {
    await sales.get('/api/companies/0123456789abcdef/notes?site=example.com').expect(404)
    await sales.post('/api/companies/0123456789abcdef/notes?site=example.com').send({ text: 'x' }).expect(404)
  })
})

describe('the list', () => {
  it('filters by status, owner (or none) and tag', async () => {
    const { acme, university, ministry } = await threeCompanies()
    await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ status: 'follow_up', owner: SALES.email, tags: ['Hot'] })
      .expect(200)
    await sales.patch(`/api/companies/${university}?site=example.com`).send({ status: 'in_crm', owner: COLLEAGUE.email }).expect(200)
    await sales
      .patch(`/api/companies/${ministry}?site=example.com`)
      .send({ tags: ['hot', 'gov'] })
      .expect(200)
    expect(names(await list(sales, '&status=follow_up'))).toEqual(['Acme Manufacturing B.V.'])
    expect(names(await list(sales, '&status=new'))).toEqual(['Ministerie van Voorbeeldzaken'])
    expect(names(await list(sales, `&owner=${encodeURIComponent(COLLEAGUE.email)}`))).toEqual(['University of Example'])
    expect(names(await list(sales, '&owner=none'))).toEqual(['Ministerie van Voorbeeldzaken'])
    expect(names(await list(sales, '&tag=HOT'))).toEqual(['Acme Manufacturing B.V.', 'Ministerie van Voorbeeldzaken'])
    expect(names(await list(sales, '&tag=hot&owner=none'))).toEqual(['Ministerie van Voorbeeldzaken'])
  })

  it('ignored companies leave the default view; status=ignored shows them', async () => {
    const { acme } = await threeCompanies()
    await sales.patch(`/api/companies/${acme}?site=example.com`).send({ status: 'ignored' }).expect(200)
    expect(names(await list(sales))).toEqual(['Ministerie van Voorbeeldzaken', 'University of Example'])
    expect(names(await list(sales, '&status=ignored'))).toEqual(['Acme Manufacturing B.V.'])
    expect(names(await list(sales, '&tag=x'))).toEqual([])
  })

  it.each([
    ['status', '&status=done'],
    ['owner', `&owner=${'x'.repeat(255)}`],
    ['tag', `&tag=${'x'.repeat(41)}`],
  ])('refuses a bad %s filter with a 400 naming it', async (field, query) => {
    const res = await sales.get(`/api/companies?site=example.com${query}`).expect(400)
    expect(res.body.field).toBe(field)
  })

  it('each row explains its lead score in parts that add up to it', async () => {
    await visit(ipIn(NETS.acme), ['/', '/pricing', '/about'])
    await enrich()
    const [row] = await list(sales)
    expect(row!.lead_score_parts).toEqual({ pages: 12, visits: 6, duration: expect.any(Number) })
    const p = row!.lead_score_parts
    expect(Math.abs(p.pages + p.visits + p.duration - row!.lead_score)).toBeLessThanOrEqual(0.5)
    expect(row!.lead_score).toBe(leadScore({ pages: 3, visits: 1, duration: row!.duration }))
  })

  it('puts the pages of page goals and of the pages that count first, then the most seen', async () => {
    await visit(ipIn(NETS.acme, 11), ['/', '/blog', '/about'])
    await visit(ipIn(NETS.acme, 12), ['/about', '/pricing'])
    await visit(ipIn(NETS.acme, 13), ['/about'])
    await enrich()
    // Without goals: /about was seen on the one day as often as the others (days are counted), so by path.
    expect((await list(sales))[0]!.pages).toEqual(['/', '/about', '/blog', '/pricing'])
    await admin.post('/api/sites/example.com/goals').send({ kind: 'page', match: '/pric*' }).expect(201)
    expect((await list(sales))[0]!.pages).toEqual(['/pricing', '/', '/about', '/blog'])
    // Then the pages that count for company recognition (set after the visits were decided).
    await admin
      .put('/api/sites/example.com/company-pages')
      .send({ patterns: ['/b*'] })
      .expect(200)
    expect((await list(sales))[0]!.pages).toEqual(['/pricing', '/blog', '/', '/about'])
    // With filters, pages are counted per matching visit: /about was in all three.
    const filtered = await list(sales, `&filters=${encodeURIComponent(JSON.stringify([['contains', 'page', ['/']]]))}`)
    expect(filtered[0]!.pages).toEqual(['/pricing', '/blog', '/about', '/'])
  })

  it('gives the grouped source of the latest visit', async () => {
    await visit(ipIn(NETS.acme, 11), ['/'], { referrer: 'https://www.google.com/search?q=acme' })
    await new Promise((r) => setTimeout(r, 20))
    await visit(ipIn(NETS.acme, 12), ['/pricing'], { query: 'utm_source=newsletter&utm_medium=email' })
    await enrich()
    expect((await list(sales))[0]!.latest_source).toBe('newsletter')
    const filtered = await list(sales, `&filters=${encodeURIComponent(JSON.stringify([['is', 'page', ['/']]]))}`)
    expect(filtered[0]!.latest_source).toBe('Google')
  })
})

describe('bulk actions', () => {
  it('sets status, owner and tags of many companies at once', async () => {
    const { acme, university, ministry } = await threeCompanies()
    await sales
      .patch(`/api/companies/${ministry}?site=example.com`)
      .send({ tags: ['gov', 'old'] })
      .expect(200)
    const res = await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [acme, university, ministry, acme], status: 'follow_up', owner: COLLEAGUE.email, add_tags: ['Q1'], remove_tags: ['OLD'] })
      .expect(200)
    expect(res.body).toEqual({ updated: 3 })
    const rows = await list(sales, '&sort=name&order=asc')
    expect(rows.map((r) => [r.name, r.status, r.owner, r.tags])).toEqual([
      ['Acme Manufacturing B.V.', 'follow_up', COLLEAGUE.email, ['Q1']],
      ['Ministerie van Voorbeeldzaken', 'follow_up', COLLEAGUE.email, ['gov', 'Q1']],
      ['University of Example', 'follow_up', COLLEAGUE.email, ['Q1']],
    ])
    // Unassign and ignore: they leave the default view.
    expect(
      (
        await sales
          .post('/api/companies/bulk?site=example.com')
          .send({ ids: [acme, ministry], status: 'ignored', owner: null })
          .expect(200)
      ).body,
    ).toEqual({
      updated: 2,
    })
    expect(names(await list(sales))).toEqual(['University of Example'])
    expect((await list(sales, '&status=ignored')).every((r) => r.owner === null)).toBe(true)
  })

  it('skips ids that are not known companies, and counts only those it wrote', async () => {
    const { acme } = await threeCompanies()
    const res = await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [acme, '0123456789abcdef'], status: 'in_crm' })
      .expect(200)
    expect(res.body).toEqual({ updated: 1 })
  })

  it.each([
    ['no ids', { ids: [], status: 'new' }, 'ids'],
    ['more than 500 ids', { ids: Array.from({ length: 501 }, (_, i) => i.toString(16).padStart(16, '0')), status: 'new' }, 'ids'],
    ['a malformed id', { ids: ['nothex'], status: 'new' }, 'ids.0'],
    ['no action', { ids: ['0123456789abcdef'] }, 'body'],
    ['an unknown status', { ids: ['0123456789abcdef'], status: 'won' }, 'status'],
    ['an unknown owner', { ids: ['0123456789abcdef'], owner: 'nobody@example.com' }, 'owner'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const res = await sales.post('/api/companies/bulk?site=example.com').send(body).expect(400)
    expect(res.body.field).toBe(field)
  })

  it('refuses tags that would give a company more than 20, writing nothing', async () => {
    const { acme, university } = await threeCompanies()
    await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ tags: Array.from({ length: 19 }, (_, i) => `t${i}`) })
      .expect(200)
    const res = await sales
      .post('/api/companies/bulk?site=example.com')
      .send({ ids: [university, acme], add_tags: ['a', 'b'] })
      .expect(400)
    expect(res.body.field).toBe('add_tags')
    expect((await list(sales)).find((r) => r.id === university)!.tags).toEqual([])
  })
})

describe('the company page', () => {
  it('shows each visit with its source, referrer and UTM tags, in the site time zone, named', async () => {
    await admin.patch('/api/sites/example.com').send({ timezone: 'Asia/Tokyo' }).expect(200)
    try {
      await visit(ipIn(NETS.acme), ['/', '/pricing'], {
        referrer: 'https://www.google.com/',
        query: 'utm_source=newsletter&utm_medium=email&utm_campaign=winter',
      })
      await enrich()
      const [row] = await list(sales)
      const p = (await sales.get(`/api/companies/${row!.id}?site=example.com`).expect(200)).body
      expect(p.timezone).toBe('Asia/Tokyo')
      const [v] = p.timeline
      expect(v).toMatchObject({ source: 'newsletter', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'winter' })
      expect(v.referrer).toContain('google')
      expect(v.pages.map((x: { path: string }) => x.path)).toEqual(['/', '/pricing'])
      // Tokyo is UTC+9 all year.
      const [e] = await t.db.query<{ ts: string }>("SELECT toString(min(ts)) AS ts FROM events WHERE path = '/'")
      const local = new Date(Date.parse(`${e!.ts.replace(' ', 'T')}Z`) + 9 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19)
      expect(v.started.slice(0, 19)).toBe(local)
    } finally {
      await admin.patch('/api/sites/example.com').send({ timezone: 'UTC' }).expect(200)
    }
  })

  it('suppressing a company removes its inbox state and notes', async () => {
    const { acme } = await threeCompanies()
    await sales
      .patch(`/api/companies/${acme}?site=example.com`)
      .send({ status: 'follow_up', tags: ['x'] })
      .expect(200)
    await sales.post(`/api/companies/${acme}/notes?site=example.com`).send({ text: 'A note' }).expect(201)
    await admin.post('/api/suppressions').send({ kind: 'company', value: acme }).expect(201)
    expect(await t.count('company_inbox_fields', 'company_id = {id:String}', { id: acme })).toBe(0)
    expect(await t.count('company_notes', 'company_id = {id:String}', { id: acme })).toBe(0)
  })
})

describe('owners', () => {
  it('lists the users a company can be assigned to, for viewers too', async () => {
    const res = await sales.get('/api/companies/owners').expect(200)
    expect(res.body.results.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([SALES.email, COLLEAGUE.email, 'admin@example.com']))
  })
})
