// The triggers job (every minute, after enrichment): today's company visits that match a
// trigger fire it, at most once per trigger, company and local day of the site.
//
// A visit counts once enrichment has decided it is a company's (enriched_sessions), so a
// consumer, mobile or hosting address can never fire anything. A visit that goes on
// after its decision is looked at again on every run: a company that reads the pricing
// page ten minutes into its visit fires then. Visits whose last page view is older than
// the trigger do not fire it (a new trigger does not alert on the morning's visits).
import type { Db } from '../lib/db.ts'
import type { Logger } from '../lib/logger.ts'
import { errorFields } from '../lib/errors.ts'
import { chTime, isoOf } from '../lib/db.ts'
import { DIRECT_NONE, type Trigger, type WebhookBody } from '../lib/api-types.ts'
import { addDays, localDay, startOfLocalDay, utcSpan } from '../lib/timezone.ts'
import { leadScore } from '../dashboard/companies.ts'
import { pagePattern } from '../lib/pages.ts'
import { updateInbox } from '../dashboard/inbox.ts'
import { deliveryId, enqueue, type NewDelivery } from './deliveries.ts'
import { alertMail, type Lang, MAX_PAGES, slackMessage } from './messages.ts'
import { listTriggers } from './triggers.ts'

export interface FireContext {
  db: Db
  log?: Logger
  publicUrl: string
  timezone: (site: string) => string
  now?: Date
}

// Pages of one visit looked at (a visit of more is a crawler's or a very long one), and
// the characters of a path kept (a path can be 2,048): bounds what a run holds and sends.
const VISIT_PAGES = 500
const PATH_CHARS = 300
// Company visits of a site looked at per run, the latest first: far above a day of one
// site's company visits (the bench's 10 M page views have about 2,000 companies a month).
const MAX_VISITS = 20_000
// Companies' figures for min_visits and min_lead_score: the last 30 days, as the companies list's default.
const FIGURE_DAYS = 30

interface VisitRow {
  sid: string
  company_id: string
  started: string
  last: string
  source: string
  pages: Array<[string, string]>
}

interface CompanyFacts {
  company_id: string
  name: string
  domain: string
  country: string
  city: string
  industry: string
  employee_range: string
  network_type: string
  visits: string
  duration: string
  pages: string
  first_seen: string
}

// What a company without rows in company_visits has as first_seen (the LEFT JOIN's default).
const NO_TIME = '1970-01-01 00:00:00.000'

/** Runs every enabled trigger over today's company visits; returns how many fired. */
export async function fireTriggers(ctx: FireContext): Promise<number> {
  const triggers = await listTriggers(ctx.db, { enabledOnly: true })
  const bySite = new Map<string, Trigger[]>()
  for (const t of triggers) bySite.set(t.site, [...(bySite.get(t.site) ?? []), t])
  let fired = 0
  for (const [site, list] of bySite) fired += await fireSite(ctx, site, list)
  return fired
}

async function fireSite(ctx: FireContext, site: string, triggers: Trigger[]): Promise<number> {
  const { db } = ctx
  const now = ctx.now ?? new Date()
  const tz = ctx.timezone(site)
  const today = localDay(tz, now)
  const [d0, d1] = utcSpan(today, today, tz)
  const t0 = chTime(startOfLocalDay(today, tz))
  const t1 = chTime(startOfLocalDay(addDays(today, 1), tz))
  const params = { site, d0, d1, t0, t1, today, since: addDays(d1, -(FIGURE_DAYS - 1)), pages: VISIT_PAGES, plen: PATH_CHARS, visits: MAX_VISITS }
  const companyVisits = `SELECT sid, company_id FROM enriched_sessions FINAL WHERE site = {site:String} AND day BETWEEN {d0:Date} AND {d1:Date} AND company_id != ''`

  // A visit starts at its first event, as company_visits' first_seen (first_visit_only
  // compares the two); its pages are its first VISIT_PAGES page views, paths cut at PATH_CHARS.
  const visits = (
    await db.query<VisitRow>(
      `SELECT ev.sid AS sid, v.company_id AS company_id, toString(min(ev.ts)) AS started, toString(max(ev.ts)) AS last,
              argMinIf(ev.source, ev.ts, ev.type = 'pageview') AS source,
              arraySlice(arrayMap(x -> (x.1, toString(x.2)), arraySort(x -> x.2, groupArrayIf((substring(ev.path, 1, {plen:UInt32}), ev.ts), ev.type = 'pageview'))), 1, {pages:UInt32}) AS pages
       FROM events AS ev INNER JOIN (${companyVisits}) AS v ON v.sid = ev.sid
       WHERE ev.site = {site:String} AND toDate(ev.ts) BETWEEN {d0:Date} AND {d1:Date}
       GROUP BY sid, company_id
       HAVING countIf(ev.type = 'pageview') > 0 AND min(ev.ts) >= {t0:DateTime64(3)} AND min(ev.ts) < {t1:DateTime64(3)}
       ORDER BY last DESC LIMIT {visits:UInt32}`,
      params,
    )
  ).reverse()
  if (visits.length === 0) return 0
  const facts = new Map(
    (
      await db.query<CompanyFacts>(
        `SELECT c.company_id AS company_id, c.name AS name, c.domain AS domain, c.country AS country, c.city AS city, c.industry AS industry,
                c.employee_range AS employee_range, c.network_type AS network_type, f.visits AS visits, f.duration AS duration, f.pages AS pages,
                toString(f.first_seen) AS first_seen
         FROM (SELECT * FROM companies FINAL WHERE company_id IN (SELECT company_id FROM (${companyVisits}))) AS c
         LEFT JOIN (
           SELECT company_id, sumIf(visits, day >= {since:Date}) AS visits, sumIf(duration, day >= {since:Date}) AS duration,
                  length(arrayDistinct(arrayFlatten(groupArrayIf(pages, day >= {since:Date})))) AS pages, min(first_seen) AS first_seen
           FROM company_visits FINAL WHERE site = {site:String} AND company_id IN (SELECT company_id FROM (${companyVisits}))
           GROUP BY company_id
         ) AS f ON f.company_id = c.company_id`,
        params,
      )
    ).map((c) => [c.company_id, c]),
  )
  // As inboxOf (dashboard/inbox.ts) reads it, but by subquery: a day's company ids as a list
  // parameter could pass a server's 128 KiB URL field. No row: status 'new', no tags.
  const inbox = new Map(
    (
      await db.query<{ company_id: string; status: string; tags: string[] }>(
        `SELECT company_id, status, tags FROM company_inbox WHERE site = {site:String} AND company_id IN (SELECT company_id FROM (${companyVisits}))`,
        params,
      )
    ).map((r) => [r.company_id, r]),
  )
  const done = new Set(
    (
      await db.query<{ k: string }>(
        "SELECT concat(trigger_id, '/', company_id) AS k FROM trigger_fires FINAL WHERE day = {today:Date} AND trigger_id IN {ids:Array(String)}",
        { today, ids: triggers.map((t) => t.id) },
      )
    ).map((r) => r.k),
  )
  const langs = new Map((await db.query<{ email: string; lang: string }>('SELECT email, lang FROM mail_settings FINAL')).map((r) => [r.email, r.lang as Lang]))

  let fired = 0
  for (const trigger of triggers) {
    const pattern = pagePattern(trigger.when.pages ?? [])
    // Per company, its latest visit of today that matches the trigger's page condition.
    const chosen = new Map<string, VisitRow>()
    for (const v of visits) {
      if (isoOf(v.last) < trigger.created_at) continue
      if (pattern && !v.pages.some(([p]) => pattern.test(p))) continue
      chosen.set(v.company_id, v)
    }
    for (const [companyId, v] of chosen) {
      if (done.has(`${trigger.id}/${companyId}`)) continue
      const c = facts.get(companyId)
      if (!c) continue // suppressed since
      const state = inbox.get(companyId) ?? { status: 'new', tags: [] as string[] }
      const score = leadScore({ pages: Number(c.pages ?? 0), visits: Number(c.visits ?? 0), duration: Number(c.duration ?? 0) })
      if (!matches(trigger, c, state, score, v)) continue
      await fire(ctx, trigger, site, today, tz, c, v, score, langs)
      fired++
    }
  }
  return fired
}

function matches(t: Trigger, c: CompanyFacts, state: { status: string; tags: string[] }, score: number, v: VisitRow): boolean {
  const w = t.when
  const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase())
  if (w.min_visits !== undefined && Number(c.visits ?? 0) < w.min_visits) return false
  if (w.min_lead_score !== undefined && score < w.min_lead_score) return false
  if (w.countries && !w.countries.includes(c.country.toUpperCase())) return false
  if (w.industries && !lower(w.industries).some((i) => c.industry.toLowerCase().includes(i))) return false
  if (w.employees && !w.employees.includes(c.employee_range)) return false
  if (w.network_types && !w.network_types.includes(c.network_type)) return false
  if (w.tags && !lower(w.tags).some((tag) => lower(state.tags).includes(tag))) return false
  if (w.status && !w.status.includes(state.status)) return false
  // The company's first visit: none started before this one (as long as company visits are kept).
  if (w.first_visit_only && c.first_seen > NO_TIME && c.first_seen < v.started) return false
  return true
}

/**
 * The deliveries of a trigger's webhook, Slack and e-mail actions, each with the body
 * made for its own id: `idFor(action index, e-mail address)` names them (the fire's are
 * derived, so a fire run twice queues them once; a test's are random).
 */
export function deliveriesOf(
  trigger: Trigger,
  base: Pick<NewDelivery, 'site' | 'trigger_id' | 'trigger_name'> & Partial<Pick<NewDelivery, 'sid'>>,
  body: (delivery: string) => WebhookBody,
  idFor: (action: number, to?: string) => string,
  langOf: (email: string) => Lang,
  tz: string,
): NewDelivery[] {
  const out: NewDelivery[] = []
  for (const [i, a] of trigger.actions.entries()) {
    if (a.type === 'webhook' || a.type === 'slack') {
      const id = idFor(i)
      const b = body(id)
      out.push({
        ...base,
        id,
        kind: a.type,
        target: a.url,
        body: a.type === 'webhook' ? JSON.stringify(b) : slackMessage(b),
        secret: a.type === 'webhook' ? a.secret : undefined,
      })
    } else if (a.type === 'email') {
      for (const to of a.to) {
        const id = idFor(i, to)
        out.push({ ...base, id, kind: 'email', target: to, body: JSON.stringify(alertMail(body(id), langOf(to), tz)) })
      }
    }
  }
  return out
}

async function fire(
  ctx: FireContext,
  trigger: Trigger,
  site: string,
  day: string,
  tz: string,
  c: CompanyFacts,
  v: VisitRow,
  score: number,
  langs: Map<string, Lang>,
): Promise<void> {
  const body = (delivery: string): WebhookBody => ({
    delivery,
    trigger: { id: trigger.id, name: trigger.name },
    site,
    company: { id: c.company_id, name: c.name, domain: c.domain, country: c.country, city: c.city, industry: c.industry, employees: c.employee_range },
    visit: {
      started: isoOf(v.started),
      source: v.source || DIRECT_NONE,
      pages: v.pages.slice(0, MAX_PAGES).map(([path, at]) => ({ path, at: isoOf(at) })),
      lead_score: score,
    },
    dashboard_url: `${ctx.publicUrl}/companies/${c.company_id}?site=${encodeURIComponent(site)}`,
  })
  const out = deliveriesOf(
    trigger,
    { site, trigger_id: trigger.id, trigger_name: trigger.name, sid: v.sid },
    body,
    (action, to) => deliveryId(trigger.id, c.company_id, day, String(action), ...(to ? [to] : [])),
    (to) => langs.get(to.toLowerCase()) ?? 'en',
    tz,
  )
  for (const a of trigger.actions) {
    if (a.type !== 'tag' && a.type !== 'assign') continue
    // An owner removed since the trigger was made, or a company at its 20 tags: the other actions still go.
    const patch = a.type === 'tag' ? { add_tags: [a.tag] } : { owner: a.owner }
    await updateInbox(ctx.db, site, c.company_id, patch, `trigger:${trigger.id}`).catch((err: unknown) =>
      ctx.log?.warn({ trigger: trigger.id, action: a.type, ...errorFields(err) }, 'a trigger could not change the inbox'),
    )
  }
  await enqueue(ctx.db, out, ctx.now)
  // Written last: a run that dies before this fires again, and finds its deliveries queued.
  await ctx.db.insert('trigger_fires', [{ trigger_id: trigger.id, company_id: c.company_id, day, site }])
}
