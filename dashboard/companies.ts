// Recognised companies for the sales team (the Leadinfo-style inbox), and the admin
// routes that steer recognition: directory import, suppressions, learned domains,
// and which pages of a site count.
import express, { type Request, Router } from 'express'
import { requireAdmin } from '../auth/users.ts'
import { z } from 'zod'
import type { Knowledge } from '../enrichment/company.ts'
import { NETWORK_TYPES } from '../enrichment/classify.ts'
import { decodeText, importDirectory } from '../enrichment/directory.ts'
import { DBIP_ATTRIBUTION as DBIP } from '../enrichment/sources/dbip.ts'
import { addSuppression, removeSuppression, SUPPRESSION_KINDS } from '../enrichment/suppress.ts'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { parseOr400 } from '../lib/validate.ts'
import type { Sites } from '../lib/sites.ts'
import { matchingVisits, parseRange, type RangeQuery } from './stats.ts'
import type {
  CompanyDetails,
  CompanyList,
  CompanyPages,
  CompanyProfile,
  CompanyRow,
  CompanyVisit,
  DirectoryImport,
  Evidence,
  NetworkDomainList,
  NetworkDomainRow,
  Ok,
  SuppressionAdded,
  SuppressionList,
  SuppressionRow,
} from '../lib/api-types.ts'

const Filters = z.object({
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'country must be a two-letter code')
    .transform((c) => c.toUpperCase())
    .optional(),
  industry: z.string().max(200).optional(),
  size: z.string().max(50).optional(),
  network_type: z.enum(NETWORK_TYPES, { message: `network_type must be one of ${NETWORK_TYPES.join(', ')}` }).optional(),
  page: z.string().max(2048).optional(),
  min_visits: z
    .string()
    .regex(/^\d{1,6}$/, 'min_visits must be a whole number')
    .transform(Number)
    .optional(),
  q: z.string().max(200).optional(),
  sort: z
    .enum(['last_visit', 'visits', 'pageviews', 'visitors', 'duration', 'name', 'lead_score'], {
      message: 'sort must be last_visit, visits, pageviews, visitors, duration, name or lead_score',
    })
    .optional(),
  order: z.enum(['asc', 'desc'], { message: 'order must be asc or desc' }).optional(),
})

// Fixed SQL fragments chosen by name: values are never concatenated.
const SORTS = {
  last_visit: 'last_seen',
  visits: 'visits',
  pageviews: 'pageviews',
  visitors: 'visitors',
  duration: 'duration',
  name: 'lower(name)',
  // The same formula as leadScore(), in SQL, so that sorting by it works before LIMIT.
  lead_score: 'least(1, length(pages) / 10) * 40 + least(1, visits / 5) * 30 + least(1, duration / 900) * 30',
} as const

/**
 * Lead score, 0–100: how much a company looked around. Distinct pages weigh most
 * (up to 40 points at 10 pages), then visits (up to 30 at 5 visits), then time on site
 * (up to 30 at 15 minutes). A single one-page visit scores 10.
 */
export function leadScore(c: { pages: number; visits: number; duration: number }): number {
  const part = (v: number, full: number, points: number) => Math.min(1, v / full) * points
  return Math.round(part(c.pages, 10, 40) + part(c.visits, 5, 30) + part(c.duration, 900, 30))
}

const PROFILE =
  'company_id, name, domain, address, postcode, city, country, industry, employee_range, phone, website, registration_number, network_type, asn, as_org, evidence'

// The rows of one visit in enriched_sessions (partitioned by month of `day`) share their
// `day`: the enrichment decides a visit once, suppression copies the row. So FINAL need
// not merge across partitions: 7-16 ms less for a month of site1 on the bench's data.
export const FINAL_PER_PARTITION = 'SETTINGS do_not_merge_across_partitions_select_final = 1'

export class CompanyQueries {
  /** `fromEvents`: with filters, the visits grouped from the raw events (the bench's baseline, as StatsQueries'). */
  constructor(
    private readonly db: Db,
    private readonly opts: { fromEvents?: boolean } = {},
  ) {}

  async list(q: RangeQuery & z.infer<typeof Filters>): Promise<CompanyRow[]> {
    const sort = SORTS[q.sort ?? 'last_visit']
    const dir = q.order === 'asc' ? 'ASC' : 'DESC'
    // With stats filters (?filters=), only the company's visits that match them count:
    // worked out from visit rows and each visit's company instead of company_visits.
    const m = q.filters.length ? await matchingVisits(this.db, q, this.opts.fromEvents) : null
    const figures = m
      ? `SELECT company_id, count() AS visits, sum(pv) AS pageviews, uniqExact(who) AS visitors, sum(dur) AS duration,
                min(t0) AS first_seen, max(t1) AS last_seen, arraySlice(arrayDistinct(arrayFlatten(groupArray(seen))), 1, 200) AS pages
         FROM (
           SELECT e.company_id AS company_id, visitor AS who, ${m.pageviews} AS pv, duration AS dur,
                  start AS t0, end AS t1, pages AS seen
           FROM (${m.sql}) AS mv
           INNER JOIN (SELECT sid, company_id FROM enriched_sessions FINAL WHERE site = {site:String} AND day BETWEEN {d0:Date} AND {d1:Date} AND company_id != '') AS e ON e.sid = mv.sid
         )
         GROUP BY company_id`
      : `SELECT company_id, sum(visits) AS visits, sum(pageviews) AS pageviews, uniqMerge(visitors) AS visitors,
                sum(duration) AS duration, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                arraySlice(arrayDistinct(arrayFlatten(groupArray(pages))), 1, 200) AS pages
         FROM company_visits FINAL
         WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
         GROUP BY company_id`
    const rows = await this.db.query<CompanyRow>(
      `SELECT c.company_id AS id, c.name AS name, c.domain AS domain, c.city AS city, c.country AS country,
              c.industry AS industry, c.employee_range AS employee_range, c.network_type AS network_type,
              v.visits AS visits, v.pageviews AS pageviews, v.visitors AS visitors, v.duration AS duration,
              toString(v.first_seen) AS first_visit, toString(v.last_seen) AS last_visit, v.pages AS pages
       FROM (${figures}) AS v
       INNER JOIN (SELECT * FROM companies FINAL) AS c ON c.company_id = v.company_id
       WHERE ({country:String} = '' OR c.country = {country:String})
         AND ({industry:String} = '' OR positionCaseInsensitiveUTF8(c.industry, {industry:String}) > 0)
         AND ({size:String} = '' OR c.employee_range = {size:String})
         AND ({network_type:String} = '' OR c.network_type = {network_type:String})
         AND ({page:String} = '' OR arrayExists(p -> startsWith(p, {page:String}), v.pages))
         AND v.visits >= {min_visits:UInt32}
         AND ({q:String} = '' OR positionCaseInsensitiveUTF8(c.name, {q:String}) > 0 OR positionCaseInsensitiveUTF8(c.domain, {q:String}) > 0)
       ORDER BY ${sort} ${dir}, lower(name) ASC
       LIMIT {limit:UInt32}
       ${m ? FINAL_PER_PARTITION : ''}`,
      {
        ...m?.params,
        site: q.site,
        from: q.from,
        to: q.to,
        limit: q.limit,
        country: q.country ?? '',
        industry: q.industry ?? '',
        size: q.size ?? '',
        network_type: q.network_type ?? '',
        page: q.page ?? '',
        min_visits: q.min_visits ?? 0,
        q: q.q ?? '',
      },
    )
    return rows.map((r) => {
      const c = { ...r, visits: Number(r.visits), pageviews: Number(r.pageviews), visitors: Number(r.visitors), duration: Number(r.duration) }
      return { ...c, lead_score: leadScore({ pages: c.pages.length, visits: c.visits, duration: c.duration }) }
    })
  }

  /** Profile, figures per day, and the visits with the pages seen (as long as raw events are kept). */
  async profile(id: string, q: { site: string; from: string; to: string }): Promise<Pick<CompanyProfile, 'company' | 'days' | 'timeline'> | null> {
    const [company] = await this.db.query<Omit<CompanyDetails, 'id' | 'evidence'> & { company_id: string; evidence: string }>(
      `SELECT ${PROFILE} FROM companies FINAL WHERE company_id = {id:String}`,
      { id },
    )
    if (!company) return null
    const days = await this.db.query<{ date: string; visits: number; pageviews: number; visitors: number; duration: number; pages: string[] }>(
      `SELECT toString(day) AS date, visits, pageviews, finalizeAggregation(visitors) AS visitors, duration, pages
       FROM company_visits FINAL WHERE site = {site:String} AND company_id = {id:String} AND day BETWEEN {from:Date} AND {to:Date}
       ORDER BY day DESC`,
      { ...q, id },
    )
    const events = await this.db.query<{ sid: string; ts: string; path: string; title: string }>(
      `SELECT sid, toString(ts) AS ts, path, title FROM events
       WHERE site = {site:String} AND type = 'pageview' AND toDate(ts) BETWEEN {from:Date} AND {to:Date}
         AND sid IN (SELECT sid FROM enriched_sessions FINAL WHERE site = {site:String} AND company_id = {id:String})
       ORDER BY ts DESC LIMIT 1000`,
      { ...q, id },
    )
    // Visits in order, newest first; the session id stays on the server.
    const visits = new Map<string, CompanyVisit>()
    for (const e of [...events].reverse()) {
      const v = visits.get(e.sid) ?? { started: e.ts, ended: e.ts, pages: [] }
      v.ended = e.ts
      v.pages.push({ ts: e.ts, path: e.path, title: e.title })
      visits.set(e.sid, v)
    }
    const { company_id, evidence, ...rest } = company
    return {
      company: { id: company_id, ...rest, evidence: JSON.parse(evidence || '[]') as Evidence[] },
      days: days.map((d) => ({ ...d, visits: Number(d.visits), pageviews: Number(d.pageviews), visitors: Number(d.visitors), duration: Number(d.duration) })),
      timeline: [...visits.values()].reverse(),
    }
  }
}

const SuppressionBody = z.object({
  kind: z.enum(SUPPRESSION_KINDS, { message: `kind must be one of ${SUPPRESSION_KINDS.join(', ')}` }),
  value: z.string({ message: 'value is required' }),
  reason: z.string().max(300).default(''),
})

const CompanyPagesBody = z.object({
  patterns: z.array(z.string().min(1).max(300).regex(/^\//, 'each pattern is a path starting with /, * matches anything')).max(100),
})

export function companiesRouter(deps: { db: Db; sites: Sites; knowledge: Knowledge }): Router {
  const r = Router()
  const queries = new CompanyQueries(deps.db)
  const filters = (req: Request) => {
    return parseOr400(Filters, req.query, 'query')
  }

  r.get('/api/companies', async (req, res) => {
    const range = parseRange(req, deps.sites)
    const rows = await queries.list({ ...range, ...filters(req) })
    res.json({ site: range.site, from: range.from, to: range.to, filters: range.filters, results: rows, attribution: DBIP } satisfies CompanyList)
  })

  r.get('/api/companies/:id', async (req, res) => {
    const id = String(req.params.id)
    if (!/^[0-9a-f]{16}$/.test(id)) throw new HttpError(400, 'a company id is 16 hexadecimal characters', 'id')
    const range = parseRange(req, deps.sites)
    const p = await queries.profile(id, range)
    if (!p) throw new HttpError(404, 'no such company (it may have been suppressed)')
    res.json({ site: range.site, from: range.from, to: range.to, ...p, attribution: DBIP } satisfies CompanyProfile)
  })

  // Admin: company directory import. CSV with a header row, or JSON lines.
  r.post(
    '/api/companies/directory',
    requireAdmin,
    // Bytes, decoded like the file of `npm run import-companies`: Excel's plain CSV is
    // Windows-1252 and curl sends no charset, which express.text would read as UTF-8.
    express.raw({ type: ['text/csv', 'application/x-ndjson', 'application/jsonl', 'text/plain'], limit: '50mb' }),
    async (req, res) => {
      if (!Buffer.isBuffer(req.body)) throw new HttpError(415, 'send the directory as text/csv (with a header row) or application/x-ndjson')
      const format = (req.get('content-type') ?? '').includes('csv') ? 'csv' : 'jsonl'
      const report = await importDirectory(deps.db, decodeText(req.body).text, format)
      res.json({ ...report, rejected: report.rejected.slice(0, 1000), rejected_total: report.rejected.length } satisfies DirectoryImport)
    },
  )

  r.get('/api/suppressions', requireAdmin, async (_req, res) => {
    const rows = await deps.db.query<SuppressionRow>(
      'SELECT id, kind, value, reason, toString(created_at) AS created_at FROM suppressions FINAL WHERE deleted = 0 ORDER BY created_at DESC',
    )
    res.json({ results: rows } satisfies SuppressionList)
  })
  r.post('/api/suppressions', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const b = parseOr400(SuppressionBody, req.body)
    const out = await addSuppression(deps.db, deps.knowledge, b.kind, b.value, b.reason)
    res.status(201).json({ id: out.id, companies_removed: out.removed } satisfies SuppressionAdded)
  })
  r.delete('/api/suppressions/:id', requireAdmin, async (req, res) => {
    if (!(await removeSuppression(deps.db, String(req.params.id)))) throw new HttpError(404, 'no such suppression')
    res.json({ ok: true } satisfies Ok)
  })

  r.get('/api/network-domains', requireAdmin, async (_req, res) => {
    const rows = await deps.db.query<NetworkDomainRow>(
      'SELECT network, domain, visitors, confidence, toString(learned_at) AS learned_at FROM network_domains FINAL WHERE removed = 0 ORDER BY confidence DESC',
    )
    res.json({ results: rows } satisfies NetworkDomainList)
  })
  r.post('/api/network-domains/remove', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const network = (req.body as { network?: unknown } | undefined)?.network
    if (typeof network !== 'string' || network.length > 64) throw new HttpError(400, 'network is required, e.g. "192.0.2.0/24"', 'network')
    const [row] = await deps.db.query<{ domain: string }>('SELECT domain FROM network_domains FINAL WHERE network = {network:String} AND removed = 0', {
      network,
    })
    if (!row) throw new HttpError(404, 'no learned domain for this network')
    await deps.db.insert('network_domains', [{ network, domain: row.domain, visitors: 0, confidence: 0, removed: 1 }])
    res.json({ ok: true } satisfies Ok)
  })

  r.get('/api/sites/:site/company-pages', async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    const [row] = await deps.db.query<{ company_pages: string[] }>('SELECT company_pages FROM site_settings FINAL WHERE site = {site:String}', { site })
    res.json({ site, patterns: row?.company_pages ?? [] } satisfies CompanyPages)
  })
  r.put('/api/sites/:site/company-pages', requireAdmin, express.json({ limit: '32kb' }), async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    const b = parseOr400(CompanyPagesBody, req.body, 'patterns')
    await deps.db.insert('site_settings', [{ site, company_pages: b.patterns }])
    res.json({ site, patterns: b.patterns } satisfies CompanyPages)
  })
  return r
}
