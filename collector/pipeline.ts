// What happens to an event, in order. Each step passes the event on, or ends it
// with an outcome from a closed set. The order is part of the privacy promise:
// consent is checked before anything about the visitor is looked at or kept.
import type { Config } from '../lib/config.ts'
import { hostBelongsToSite, normaliseDomain } from '../lib/domain.ts'
import { isOwnHost, parseOrigin } from '../lib/origin.ts'
import type { Sites } from '../lib/sites.ts'
import type { GeoReader } from '../enrichment/geo.ts'
import type { EventBody } from './body.ts'
import type { IngestBudget } from './budget.ts'
import type { RecentIds } from './dedup.ts'
import type { Optouts } from '../privacy/optouts.ts'
import { networkOf, parseIp } from '../lib/ip.ts'
import { isFreeMail, registrableDomain } from './free-mail.ts'
import { isBotAgent, parseAgent, parsePageUrl, referrerSource } from './parse.ts'
import { sourceOf } from './sources.ts'
import type { EventRow, EventWriter, FormRow, IpRow } from './writer.ts'
import { chTime } from '../lib/db.ts'

/** Dropped events are answered 202, like stored ones: the sender learns nothing. */
// free_mail and no_ip concern form submissions only: a free-mail domain or an unknown
// network tells nothing about a company.
export const DROP_REASONS = ['opted_out', 'gpc', 'dnt', 'bot', 'duplicate', 'free_mail', 'no_ip'] as const
export type DropReason = (typeof DROP_REASONS)[number]

/** Rejected events get an error the sender can act on. */
export type RejectReason =
  | 'unknown_site'
  | 'wrong_origin'
  | 'wrong_page'
  | 'no_consent'
  | 'disk_full'
  | 'site_budget'
  | 'budget'
  | 'overloaded'
  | 'not_journaled'
export const REJECT_REASONS: Record<RejectReason, { status: number; message: string; field?: string; headers?: Record<string, string> }> = {
  unknown_site: { status: 403, message: 'site is not registered with this Spoor server', field: 'site' },
  wrong_origin: { status: 403, message: 'the page origin does not belong to this site' },
  wrong_page: { status: 403, message: 'the page URL does not belong to this site (its host must be the site or one of its subdomains)', field: 'url' },
  no_consent: { status: 403, message: 'analytics consent is required: send consent.analytics = true only after the visitor agreed', field: 'consent' },
  disk_full: { status: 507, message: 'the server is short of disk space; nothing is stored until its operator makes room', headers: { 'Retry-After': '300' } },
  site_budget: { status: 429, message: 'this site has used up its events for today (SITE_EVENTS_PER_DAY)', field: 'site', headers: { 'Retry-After': '3600' } },
  budget: { status: 429, message: 'this server has stored its events for today (EVENTS_PER_DAY)', headers: { 'Retry-After': '3600' } },
  overloaded: { status: 503, message: 'the collector is catching up; retry later', headers: { 'Retry-After': '5' } },
  not_journaled: { status: 503, message: 'the event could not be recorded; retry later', headers: { 'Retry-After': '5' } },
}

export type Outcome =
  // `durable` resolves once the rows are in the journal on disk: the 202 waits for it.
  | { kind: 'stored'; durable: Promise<void> }
  // `site`: a drop always follows knownSite, so it is a registered site (sites bound what is counted).
  | { kind: 'dropped'; reason: DropReason; site: string }
  | { kind: 'rejected'; reason: RejectReason }

/** What the route hands over: the validated body and the few request facts the steps need. */
export interface Incoming {
  body: EventBody
  ip: string
  userAgent: string
  origin: string | undefined
  ownHost: string | undefined
  /** PUBLIC_URL's host: behind a proxy that rewrites Host, the demo's origin is this. */
  publicHost: string
  gpc: boolean
  dnt: boolean
  optoutCookie: boolean
  receivedAt: Date
}

export interface PipelineDeps {
  config: Pick<Config, 'keepQueryParams'>
  sites: Sites
  optouts: Optouts
  recentIds: RecentIds
  geo: GeoReader
  writer: EventWriter
  budget: IngestBudget
}

interface Ctx {
  in: Incoming
  site: string
  row?: EventRow
  ipRow?: IpRow | null
  form?: FormRow
}

type Step = (ctx: Ctx, deps: PipelineDeps) => Outcome | undefined

const drop = (ctx: Ctx, reason: DropReason): Outcome => ({ kind: 'dropped', reason, site: ctx.site })
const reject = (reason: RejectReason): Outcome => ({ kind: 'rejected', reason })

const knownSite: Step = (ctx, { sites }) => {
  const site = normaliseDomain(ctx.in.body.site)
  if (!site || !sites.has(site)) return reject('unknown_site')
  ctx.site = site
  return undefined
}

// Browsers send Origin with every cross-site POST. A page of another site must not
// count for this one; the Spoor server's own pages (the demo) may. The page URL must
// belong to the site too: without an Origin (a script, not a browser), any URL was
// counted as a page of the site.
const rightOrigin: Step = (ctx) => {
  const { origin, ownHost } = ctx.in
  const page = ctx.in.body.url
  if (!hostBelongsToSite(page.hostname, ctx.site) && !isOwnHost(page.host, ownHost, ctx.in.publicHost)) return reject('wrong_page')
  if (!origin) return undefined
  const u = parseOrigin(origin)
  if (!u) return reject('wrong_origin')
  if (hostBelongsToSite(u.hostname, ctx.site) || isOwnHost(u.host, ownHost, ctx.in.publicHost)) return undefined
  return reject('wrong_origin')
}

const consent: Step = (ctx) => (ctx.in.body.consent?.analytics === true ? undefined : reject('no_consent'))

// Nothing is accepted below the free-space floor: a full disk would stop ClickHouse itself.
const room: Step = (_ctx, { budget }) => (budget.diskLow ? reject('disk_full') : undefined)

// Only events that will be stored take from the day's budget.
const withinBudget: Step = (ctx, { budget }) => {
  const left = budget.take(ctx.site)
  return left === 'ok' ? undefined : reject(left === 'site' ? 'site_budget' : 'budget')
}

const optedOut: Step = (ctx, { optouts }) => (ctx.in.optoutCookie || optouts.has(ctx.in.body.vid) ? drop(ctx, 'opted_out') : undefined)

const privacySignals: Step = (ctx) => (ctx.in.gpc ? drop(ctx, 'gpc') : ctx.in.dnt ? drop(ctx, 'dnt') : undefined)

// isbot knows crawlers, HeadlessChrome, curl, python-requests and the like. Every
// real browser sends a user agent, so an empty one is a script too.
const bot: Step = (ctx) => (ctx.in.userAgent === '' || isBotAgent(ctx.in.userAgent) ? drop(ctx, 'bot') : undefined)

const duplicate: Step = (ctx, { recentIds }) => (recentIds.has(`${ctx.site}/${ctx.in.body.id}`) ? drop(ctx, 'duplicate') : undefined)

// A form submission keeps only the registrable e-mail domain and the /24 or /48 it came from.
const formDomain: Step = (ctx) => {
  const { body, ip, receivedAt } = ctx.in
  if (body.type !== 'form') return undefined
  const domain = registrableDomain(body.domain ?? '')
  if (!domain || isFreeMail(domain)) return drop(ctx, 'free_mail')
  const parsed = parseIp(ip)
  if (!parsed) return drop(ctx, 'no_ip')
  ctx.form = { site: ctx.site, network: networkOf(parsed), vid: body.vid, domain, ts: chTime(receivedAt).slice(0, 19) }
  return undefined
}

const enrich: Step = (ctx, { config, geo }) => {
  if (ctx.form) return undefined
  const { body, ip, userAgent, receivedAt } = ctx.in
  const page = parsePageUrl(body.url, config.keepQueryParams)
  const referrer = referrerSource(body.referrer, ctx.site, page.hostname)
  const place = ip ? geo.lookup(ip) : null
  const at = chTime(receivedAt)
  ctx.row = {
    event_id: body.id,
    site: ctx.site,
    ts: at,
    type: body.type === 'event' ? 'event' : 'pageview',
    name: body.type === 'event' ? (body.name ?? '') : '',
    vid: body.vid,
    sid: body.sid,
    ...page,
    title: body.title,
    referrer_source: referrer,
    source: sourceOf(body.url, page.utm_source, referrer),
    ...parseAgent(userAgent, body.screen),
    screen: body.screen ?? 0,
    country: place?.country ?? '',
    city: place?.city ?? '',
    props: Object.fromEntries(Object.entries(body.props ?? {}).map(([k, v]) => [k, String(v)])),
  }
  ctx.ipRow = ip ? { site: ctx.site, sid: body.sid, vid: body.vid, ip, ts: at.slice(0, 19) } : null
  return undefined
}

// One IP row per visit and address is enough for enrichment; a visit of ten pages would
// otherwise write ten, and the enrichment job delete nine of them again.
const write: Step = (ctx, { writer, recentIds }) => {
  if (!writer.hasRoom()) return reject('overloaded')
  let durable: Promise<void>
  if (ctx.form) durable = writer.pushForm(ctx.form)
  else {
    const ip = ctx.ipRow && recentIds.firstForVisit(ctx.ipRow.site, ctx.ipRow.sid, ctx.ipRow.ip) ? ctx.ipRow : null
    durable = writer.push(ctx.row!, ip)
  }
  const key = `${ctx.site}/${ctx.in.body.id}`
  recentIds.add(key)
  // Not journaled (a disk error): the sender is told to retry, and the retry must not
  // be taken for a duplicate of an event that was never kept.
  durable.catch(() => recentIds.forget(key))
  return { kind: 'stored', durable }
}

export const STEPS: ReadonlyArray<readonly [string, Step]> = [
  ['knownSite', knownSite],
  ['rightOrigin', rightOrigin],
  ['consent', consent],
  ['room', room],
  ['optedOut', optedOut],
  ['privacySignals', privacySignals],
  ['bot', bot],
  ['duplicate', duplicate],
  ['formDomain', formDomain],
  ['withinBudget', withinBudget],
  ['enrich', enrich],
  ['write', write],
]

export function processEvent(incoming: Incoming, deps: PipelineDeps): Outcome {
  const ctx: Ctx = { in: incoming, site: '' }
  for (const [, step] of STEPS) {
    const outcome = step(ctx, deps)
    if (outcome) return outcome
  }
  throw new Error('pipeline ended without an outcome')
}
