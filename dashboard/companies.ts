// Recognised companies for the sales team (the Leadinfo-style inbox), and the admin
// routes that steer recognition: directory import, suppressions, learned domains,
// and which pages of a site count.
import express, { type Request, Router } from 'express'
import { requireAdmin, type Users } from '../auth/users.ts'
import { z } from 'zod'
import { globMatch, likePattern } from '../lib/pages.ts'
import type { Knowledge } from '../enrichment/company.ts'
import { NETWORK_TYPES } from '../enrichment/classify.ts'
import { decodeText, importDirectory } from '../enrichment/directory.ts'
import { DBIP_ATTRIBUTION as DBIP } from '../enrichment/sources/dbip.ts'
import { addSuppression, removeSuppression, SUPPRESSION_KINDS } from '../enrichment/suppress.ts'
import { type Db, FINAL_PER_PARTITION, PARAM_BYTES, paramFits } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { parseOr400 } from '../lib/validate.ts'
import type { Sites } from '../lib/sites.ts'
import { utcSpan } from '../lib/timezone.ts'
import { GOALS_OF_SITE } from './goals.ts'
import { INBOX_STATUSES, inboxOf, inboxRouter, MAX_TAG_LENGTH } from './inbox.ts'
import { matchingCompanyVisits, parseRange, type RangeQuery } from './stats.ts'
import type {
  CompanyDetails,
  CompanyList,
  CompanyPages,
  CompanyProfile,
  CompanyRow,
  CompanyVisit,
  DirectoryImport,
  Evidence,
  InboxStatus,
  LeadScoreParts,
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
  status: z.enum(INBOX_STATUSES, { message: `status must be one of ${INBOX_STATUSES.join(', ')}` }).optional(),
  owner: z.string().min(1, 'owner must be an e-mail, or none for unassigned').max(254, 'owner must be an e-mail of at most 254 characters').optional(),
  tag: z.string().min(1, 'tag must not be empty').max(MAX_TAG_LENGTH, `tag may be at most ${MAX_TAG_LENGTH} characters`).optional(),
})

// Fixed SQL fragments chosen by name: values are never concatenated.
const SORTS = {
  last_visit: 'v.last_at',
  visits: 'visits',
  pageviews: 'pageviews',
  visitors: 'visitors',
  duration: 'duration',
  name: 'lower(name)',
  // The same formula as leadScore(), in SQL, so that sorting by it works before LIMIT.
  lead_score: 'least(1, v.npages / 10) * 40 + least(1, visits / 5) * 30 + least(1, duration / 900) * 30',
} as const

/**
 * Lead score, 0–100: how much a company looked around. Distinct pages weigh most
 * (up to 40 points at 10 pages), then visits (up to 30 at 5 visits), then time on site
 * (up to 30 at 15 minutes). A single one-page visit scores 10.
 */
export function leadScore(c: { pages: number; visits: number; duration: number }): number {
  const p = scoreParts(c)
  return Math.round(p.pages + p.visits + p.duration)
}

const scoreParts = (c: { pages: number; visits: number; duration: number }): LeadScoreParts => {
  const part = (v: number, full: number, points: number) => Math.min(1, v / full) * points
  return { pages: part(c.pages, 10, 40), visits: part(c.visits, 5, 30), duration: part(c.duration, 900, 30) }
}

/** The points of each part of leadScore(), to one decimal: what the list explains on hover. */
export function leadScoreParts(c: { pages: number; visits: number; duration: number }): LeadScoreParts {
  const p = scoreParts(c)
  const r = (v: number) => Math.round(v * 10) / 10
  return { pages: r(p.pages), visits: r(p.visits), duration: r(p.duration) }
}

const PROFILE =
  'company_id, name, domain, address, postcode, city, country, industry, employee_range, phone, website, registration_number, network_type, asn, as_org, evidence'

/** Tests of what makes a page important, by tier: 0 a page goal, 1 a page that counts for company recognition. */
export type Importance = Array<{ tier: number; test: (path: string) => boolean }>

/**
 * A company's pages, the most important first: those matching a page goal, then those
 * matching a pattern of the pages that count, then the rest; within each, the order
 * given (the most seen first).
 */
export function rankPages(pages: string[], important: Importance): string[] {
  if (important.length === 0) return pages
  const tier = (p: string) => Math.min(2, ...important.filter((x) => x.test(p)).map((x) => x.tier))
  return pages
    .map((p, i) => ({ p, i, t: tier(p) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.p)
}

/**
 * The inbox's part of the list's WHERE (fixed fragments; values bound as {status},
 * {owner}, {tag}): ignored companies only when asked for, then status, owner ('none':
 * nobody) and tag (any case). Sets of company ids, not a join: joining the inbox made
 * the unfiltered list 10 ms slower on 2,000 companies.
 */
function inboxCondition(q: { status?: InboxStatus; owner?: string; tag?: string }): string {
  const ids = (where: string) => `(SELECT company_id FROM company_inbox WHERE site = {site:String} AND ${where})`
  const parts: string[] = []
  if (q.status === undefined) parts.push(`v.company_id NOT IN ${ids("status = 'ignored'")}`)
  else if (q.status === 'new') parts.push(`v.company_id NOT IN ${ids("status NOT IN ('', 'new')")}`)
  else parts.push(`v.company_id IN ${ids('status = {status:String}')}`)
  if (q.owner === 'none') parts.push(`v.company_id NOT IN ${ids("owner != ''")}`)
  else if (q.owner !== undefined) parts.push(`v.company_id IN ${ids('owner = {owner:String}')}`)
  if (q.tag !== undefined) parts.push(`v.company_id IN ${ids('arrayExists(t -> lowerUTF8(t) = lowerUTF8({tag:String}), tags)')}`)
  return parts.join(' AND ')
}

// What makes a page important on the site: its page goals (0), then the pages that count
// for company recognition (1). A column of the list's query: a query of its own cost 2-4 ms.
const IMPORTANT = `(SELECT groupArray((o, p)) FROM (
     SELECT 0 AS o, match AS p FROM (${GOALS_OF_SITE}) WHERE kind = 'page'
     UNION ALL
     SELECT 1 AS o, arrayJoin(company_pages) AS p FROM site_settings FINAL WHERE site = {site:String}))`

/** The pages of `ids` in the range, each once per day seen, read after the LIMIT by company_visits' key (site, company). */
async function pagesOf(db: Db, q: { site: string; from: string; to: string }, ids: string[]): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; seen: string[] }>(
    `SELECT company_id AS id, groupArrayArray(pages) AS seen FROM company_visits FINAL
     WHERE site = {site:String} AND company_id IN {ids:Array(String)} AND day BETWEEN {from:Date} AND {to:Date}
     GROUP BY company_id
     ${FINAL_PER_PARTITION}`,
    { site: q.site, from: q.from, to: q.to, ids },
  )
  return new Map(rows.map((r) => [r.id, r.seen]))
}

/** Distinct pages, the most often seen first (then by path), at most 200. */
function mostSeen(seen: string[]): string[] {
  const n = new Map<string, number>()
  for (const p of seen) n.set(p, (n.get(p) ?? 0) + 1)
  return [...n.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 200)
    .map((e) => e[0])
}

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
    // worked out from the company visits' rows instead of company_visits.
    const m = q.filters.length ? await matchingCompanyVisits(this.db, q, this.opts.fromEvents) : null
    // `npages` (distinct pages, for the lead score) and `has_page` are worked out in the
    // grouping: carrying every company's pages through the join and the sort was a third
    // of the query (2,000 companies: 27 -> 18 ms without it). The pages of the rows
    // listed are read after the LIMIT (pagesOf); with filters they are carried (`seen`),
    // as only the matching visits count.
    const figures = m
      ? `SELECT company_id, count() AS visits, sum(pv) AS pageviews, uniqExact(who) AS visitors, sum(dur) AS duration,
                min(t0) AS first_seen, max(t1) AS last_at, groupArrayArray(vp) AS seen, argMax(src, t1) AS last_source,
                uniqExactArray(vp) AS npages, if({page:String} = '', 1, arrayExists(p -> startsWith(p, {page:String}), seen)) AS has_page
         FROM (
           SELECT company_id, visitor AS who, ${m.pageviews} AS pv, duration AS dur,
                  start AS t0, end AS t1, arrayDistinct(CAST(pages, 'Array(String)')) AS vp, toNullable(toString(source)) AS src
           FROM (${m.sql})
         )
         GROUP BY company_id`
      : `SELECT company_id, sum(visits) AS visits, sum(pageviews) AS pageviews, uniqMerge(visitors) AS visitors,
                sum(duration) AS duration, min(first_seen) AS first_seen, max(last_seen) AS last_at, argMax(latest_source, last_seen) AS last_source,
                uniqExactArray(pages) AS npages, if({page:String} = '', 1, arrayExists(p -> startsWith(p, {page:String}), groupArrayArray(pages))) AS has_page
         FROM company_visits FINAL
         WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
         GROUP BY company_id`
    const rows = await this.db.query<
      Omit<CompanyRow, 'lead_score' | 'lead_score_parts' | 'status' | 'owner' | 'tags'> & { seen: string[]; important: Array<[number, string]> }
    >(
      `SELECT c.company_id AS id, c.name AS name, c.domain AS domain, c.city AS city, c.country AS country,
              c.industry AS industry, c.employee_range AS employee_range, c.network_type AS network_type,
              v.visits AS visits, v.pageviews AS pageviews, v.visitors AS visitors, v.duration AS duration,
              toString(v.first_seen) AS first_visit, toString(v.last_at) AS last_visit, ${m ? 'v.seen' : '[]'} AS seen, v.last_source AS latest_source,
              ${IMPORTANT} AS important
       FROM (${figures}) AS v
       INNER JOIN (SELECT * FROM companies FINAL) AS c ON c.company_id = v.company_id
       WHERE ({country:String} = '' OR c.country = {country:String})
         AND ({industry:String} = '' OR positionCaseInsensitiveUTF8(c.industry, {industry:String}) > 0)
         AND ({size:String} = '' OR c.employee_range = {size:String})
         AND ({network_type:String} = '' OR c.network_type = {network_type:String})
         AND v.has_page
         AND v.visits >= {min_visits:UInt32}
         AND ({q:String} = '' OR positionCaseInsensitiveUTF8(c.name, {q:String}) > 0 OR positionCaseInsensitiveUTF8(c.domain, {q:String}) > 0)
         AND ${inboxCondition(q)}
       ORDER BY ${sort} ${dir}, lower(name) ASC
       LIMIT {limit:UInt32}
       ${FINAL_PER_PARTITION}`,
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
        status: q.status ?? '',
        owner: q.owner === undefined || q.owner === 'none' ? '' : q.owner.trim().toLowerCase(),
        tag: q.tag?.trim() ?? '',
      },
    )
    const ids = rows.map((r) => r.id)
    const inbox = await inboxOf(this.db, q.site, ids)
    const days = m ? null : await pagesOf(this.db, q, ids)
    const important: Importance = (rows[0]?.important ?? []).map(([tier, p]) => ({ tier: Number(tier), test: (path: string) => globMatch(p, path) }))
    return rows.map(({ seen, important: _, ...r }) => {
      const c = { ...r, visits: Number(r.visits), pageviews: Number(r.pageviews), visitors: Number(r.visitors), duration: Number(r.duration) }
      const pages = rankPages(mostSeen(days?.get(r.id) ?? seen), important)
      const score = { pages: pages.length, visits: c.visits, duration: c.duration }
      return {
        ...c,
        pages,
        lead_score: leadScore(score),
        lead_score_parts: leadScoreParts(score),
        status: inbox.get(r.id)!.status,
        owner: inbox.get(r.id)!.owner,
        tags: inbox.get(r.id)!.tags,
      }
    })
  }

  /**
   * Profile, figures per day, and the visits with the pages seen (as long as raw events
   * are kept), each with its attribution, in the site's time zone (`q.timezone`).
   */
  async profile(
    id: string,
    q: { site: string; from: string; to: string; timezone: string },
  ): Promise<Pick<CompanyProfile, 'company' | 'days' | 'timeline'> | null> {
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
    type Row = { sid: string; ts: string; path: string; title: string } & Omit<CompanyVisit, 'started' | 'ended' | 'pages'>
    // The local days of the range, read through the UTC days they overlap (the sort key's toDate(ts)).
    const [d0, d1] = utcSpan(q.from, q.to, q.timezone)
    const events = await this.db.query<Row>(
      `SELECT sid, toString(toTimeZone(ts, {tz:String})) AS ts, path, title,
              multiIf(source != '', source, utm_source != '', utm_source, referrer_source) AS source, referrer_source AS referrer,
              utm_source, utm_medium, utm_campaign, utm_content, utm_term
       FROM events
       WHERE site = {site:String} AND type = 'pageview' AND toDate(ts) BETWEEN {d0:Date} AND {d1:Date}
         AND toDate(ts, {tz:String}) BETWEEN {from:Date} AND {to:Date}
         AND sid IN (SELECT sid FROM enriched_sessions FINAL WHERE site = {site:String} AND company_id = {id:String})
       ORDER BY ts DESC LIMIT 1000`,
      { ...q, id, tz: q.timezone, d0, d1 },
    )
    // Visits in order, newest first; the session id stays on the server. A visit's
    // attribution is its first page view's, as in the stats (aggregates/visits.ts).
    const visits = new Map<string, CompanyVisit>()
    for (const { sid, ts, path, title, ...a } of [...events].reverse()) {
      const v = visits.get(sid) ?? { started: ts, ended: ts, ...a, pages: [] }
      v.ended = ts
      v.pages.push({ ts, path, title })
      visits.set(sid, v)
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
  patterns: z
    .array(z.string().min(1).max(300).regex(/^\//, 'each pattern is a path starting with /, * matches anything'))
    .max(100)
    // Naming a candidate sends them to ClickHouse as one parameter (enrichment/candidates.ts),
    // which a server takes up to 128 KiB of: only patterns full of characters to escape reach it.
    .refine((p) => paramFits(p.map(likePattern)), `patterns may take at most ${PARAM_BYTES / 1024} KiB together once escaped`),
})

export function companiesRouter(deps: { db: Db; sites: Sites; users: Users; knowledge: Knowledge }): Router {
  const r = Router()
  // First: its GET /api/companies/owners would otherwise be taken for a company id.
  r.use(inboxRouter(deps))
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
    const inbox = (await inboxOf(deps.db, range.site, [id])).get(id)!
    res.json({ site: range.site, from: range.from, to: range.to, timezone: range.timezone, ...p, inbox, attribution: DBIP } satisfies CompanyProfile)
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
