// The shapes every JSON route answers with, shared by the server and the web app
// (dashboard/app), and the few constants both must agree on (filter names): no
// imports, so that both can read it. The server checks each answer
// against its type (`satisfies`, or a typed return value), so a field renamed there
// fails the type check of the web app that reads it.

// ---- Wrappers ----------------------------------------------------------------

/** The site and range (inclusive UTC days, YYYY-MM-DD) an answer is about. */
export interface SiteRange {
  site: string
  from: string
  to: string
}

/** A list for a site and range. */
export type RangeResults<T> = SiteRange & { results: T[] }

/** A plain list. */
export interface Results<T> {
  results: T[]
}

/** A change that has nothing more to say: DELETE routes, POST /api/logout, POST /api/network-domains/remove, POST /api/event (202). */
export interface Ok {
  ok: true
}

/** Every 4xx and 5xx answer of every route (lib/errors.ts); `field` names the input at fault. */
export interface ErrorBody {
  error: string
  field?: string
}

// ---- Process ------------------------------------------------------------------

/** GET /health (200 when ok, 503 when degraded) */
export interface Health {
  status: 'ok' | 'degraded'
  role: 'all' | 'collector' | 'jobs' | 'dashboard'
  db: 'ok' | 'unreachable'
  pending_events: number
  free_disk_mb: number
  min_free_disk_mb: number
  events_today: number
  events_per_day: number
}

/**
 * GET /api/ingest: outcomes of events in every process since `since` (the last 24 whole UTC
 * hours), per reason, from ClickHouse; `pending`: events this process has not written yet.
 */
export interface IngestStats {
  since: string
  stored: number
  dropped: Record<string, number>
  rejected: Record<string, number>
  pending: number
}

/** One scheduled job (server/jobs.ts), as GET /api/jobs lists it. */
export interface JobState {
  name: string
  schedule: string
  description: string
  running: boolean
  last_run: string | null
  last_duration_ms: number | null
  last_rows: number | null
  last_error: string | null
  runs: number
  failures: number
}

/** GET /api/jobs; runs_here: whether this process runs the jobs (else the states are read from job_runs). */
export interface JobList {
  jobs: JobState[]
  runs_here: boolean
}

// ---- Accounts -----------------------------------------------------------------

export type Role = 'admin' | 'viewer'

/** A dashboard user: POST /api/users (201), and each row of GET /api/users. */
export interface User {
  email: string
  role: Role
}

/** GET /api/me and POST /api/login: who is logged in. */
export type Me = User

/** GET /api/users (admins) */
export type UserList = Results<User>

/** POST /api/me/password and POST /api/users/:email/password */
export interface PasswordSet {
  email: string
  /**
   * Sessions logged out: for /api/me/password the user's sessions in other browsers
   * (this one goes on with a new cookie), for an admin's reset every session of the user.
   */
  sessions_ended: number
}

// ---- Sites and settings -------------------------------------------------------

/** GET /api/sites: the registered sites, sorted, and each one's IANA time zone. */
export interface SiteList {
  sites: string[]
  timezones: Record<string, string>
}

/** PATCH /api/sites/:site */
export interface SiteChanged {
  site: string
  timezone: string
}

/** POST /api/sites (201): the site as registered (normalised), with its tracking snippet. */
export interface SiteAdded {
  site: string
  snippet: string
}

/** The credit DB-IP's licence asks for: GET /api/settings, /api/companies, /api/companies/:id. */
export interface Attribution {
  text: string
  url: string
}

/** GET /api/settings: what is in force. */
export interface Settings {
  public_url: string
  optout_url: string
  optout_link: string
  /** Tracking snippet per registered site. */
  snippets: Record<string, string>
  demo_site: string | null
  retention: { ip_days: number; raw_event_days: number; aggregate_months: number; company_visit_months: number }
  company_network_types: ReadonlyArray<'business' | 'education' | 'government'>
  reverse_dns: boolean
  attribution: Attribution
}

/** GET and PUT /api/sites/:site/company-pages: the pages whose visits count for company recognition. */
export interface CompanyPages {
  site: string
  patterns: string[]
}

// ---- Stats ----------------------------------------------------------------------

/** How a filter compares: `contains` is case-insensitive; several values match any of them. */
export const FILTER_OPERATORS = ['is', 'is_not', 'contains'] as const
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** What a filter looks at (docs/api.md, "Filters", says per dimension what matches). */
export const FILTER_DIMENSIONS = [
  'page',
  'entry_page',
  'exit_page',
  'source',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'browser',
  'os',
  'device',
  'country',
  'event',
] as const
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number]

/** One filter of `?filters=` (a JSON array of them, combined with AND). */
export type Filter = [FilterOperator, FilterDimension, string[]]

/** The name the sources list gives traffic without a referrer or campaign; also a filter value. */
export const DIRECT_NONE = 'Direct / None'

/** The site, its time zone, the range in the site's local days (inclusive, YYYY-MM-DD) and the filters an answer is about. */
export type StatsRange = SiteRange & { timezone: string; filters: Filter[] }

/** A ranked list of GET /api/stats/*. */
export type StatsResults<T> = StatsRange & { results: T[] }

/** The five figures of a range (GET /api/stats/summary) or of one bucket (GET /api/stats/timeseries). */
export interface Summary {
  visitors: number
  visits: number
  pageviews: number
  bounce_rate: number
  visit_duration: number
}

/** GET /api/stats/summary */
export type RangeSummary = StatsRange & Summary

/** Buckets of GET /api/stats/timeseries: `hour` for ranges up to 7 days. */
export type Interval = 'hour' | 'day' | 'week' | 'month'

/**
 * One bucket of GET /api/stats/timeseries, every bucket of the range, 0 when nothing
 * happened. `date`: the bucket's start in the site's time zone, YYYY-MM-DD (weeks start
 * on Monday, months on the 1st) or YYYY-MM-DD HH:00 for hours.
 */
export type TimeseriesPoint = Summary & { date: string }

/** GET /api/stats/timeseries */
export type Timeseries = StatsResults<TimeseriesPoint> & { interval: Interval }

/**
 * One row of GET /api/stats/{pages,sources,referrers,browsers,os,devices,countries,events,utm}.
 * Pages: visits that saw the page, and page views of it. Events: visits with the event, and `events` the times it happened.
 */
export interface BreakdownRow {
  name: string
  visitors: number
  pageviews: number
  /** Not for pages. */
  visits?: number
  bounce_rate?: number
  visit_duration?: number
  /** Events only. */
  events?: number
}

/** GET /api/stats/{pages,sources,referrers,browsers,os,devices,countries,events} */
export type Breakdown = StatsResults<BreakdownRow>

/** GET /api/stats/utm */
export type UtmBreakdown = Breakdown & { by: 'source' | 'medium' | 'campaign' | 'content' | 'term' }

/** One row of GET /api/stats/entry-pages: the page a visit started on. */
export interface EntryPageRow {
  name: string
  visitors: number
  visits: number
  bounce_rate: number
}

/** GET /api/stats/entry-pages */
export type EntryPages = StatsResults<EntryPageRow>

/** One row of GET /api/stats/exit-pages: the page a visit ended on; exit_rate = exits ÷ page views of the page, in %. */
export interface ExitPageRow {
  name: string
  visitors: number
  exits: number
  pageviews: number
  exit_rate: number
}

/** GET /api/stats/exit-pages */
export type ExitPages = StatsResults<ExitPageRow>

/** A goal of a site: a custom event name, or a page path pattern where * stands for any characters. */
export interface Goal {
  id: string
  kind: 'event' | 'page'
  match: string
}

/** GET /api/sites/:site/goals */
export type GoalList = { site: string } & Results<Goal>

/**
 * One goal of GET /api/stats/goals: unique conversions (visitors who converted), total
 * conversions (events, or page views of matching pages), and conversion rate (visitors
 * who converted ÷ visitors of the range and filters, in %, one decimal).
 */
export interface GoalRow extends Goal {
  name: string
  unique_conversions: number
  total_conversions: number
  conversion_rate: number
}

/** GET /api/stats/goals; `visitors`: all visitors of the range and filters, the rate's denominator. */
export type GoalStats = StatsResults<GoalRow> & { visitors: number }

/** One value of a custom event property of GET /api/stats/goals/:goal/props/:key. */
export interface GoalPropRow {
  name: string
  unique_conversions: number
  total_conversions: number
  conversion_rate: number
}

/** GET /api/stats/goals/:goal/props/:key */
export type GoalProps = StatsResults<GoalPropRow> & { goal: Goal; key: string }

/** GET /api/stats/realtime: visitors in the last 5 minutes. */
export interface Realtime {
  site: string
  visitors: number
}

/** Why an event was answered 202 and not stored: DROP_REASONS of collector/pipeline.ts (dashboard/stats.ts checks that they match). */
export type DroppedReason = 'opted_out' | 'gpc' | 'dnt' | 'bot' | 'duplicate' | 'free_mail' | 'no_ip'

/** GET /api/stats/dropped (admins): events dropped in the range, per reason (every reason, 0 included). */
export interface DroppedStats {
  site: string
  from: string
  to: string
  total: number
  reasons: Record<DroppedReason, number>
}

// ---- Companies ------------------------------------------------------------------

/** One row of GET /api/companies */
export interface CompanyRow {
  id: string
  name: string
  domain: string
  city: string
  country: string
  industry: string
  employee_range: string
  network_type: string
  visits: number
  pageviews: number
  visitors: number
  duration: number
  first_visit: string
  last_visit: string
  /** Distinct paths seen, the most important first (dashboard/inbox.ts, rankPages). */
  pages: string[]
  lead_score: number
  /** The points each part gave the score (leadScoreParts): `lead_score` is their sum, rounded. */
  lead_score_parts: LeadScoreParts
  status: InboxStatus
  /** A user's e-mail; null when nobody owns the company. */
  owner: string | null
  tags: string[]
  /** The grouped source of the latest visit ('' = Direct / None); null when unknown (days counted before sql/019). */
  latest_source: string | null
}

/** Points of the lead score: pages up to 40, visits up to 30, duration up to 30. */
export interface LeadScoreParts {
  pages: number
  visits: number
  duration: number
}

// ---- Inbox ----------------------------------------------------------------------

export const INBOX_STATUS_VALUES = ['new', 'follow_up', 'in_crm', 'ignored'] as const
export type InboxStatus = (typeof INBOX_STATUS_VALUES)[number]

/** PATCH /api/companies/:id: a company's state in a site's inbox (status 'new' and no owner or tags until someone sets them). */
export interface InboxState {
  id: string
  site: string
  status: InboxStatus
  owner: string | null
  tags: string[]
  /** When and by whom it last changed (a user's e-mail, or 'trigger:<id>'); null before any change. */
  updated_at: string | null
  updated_by: string | null
}

/** A note on a company: POST /api/companies/:id/notes (201), and each row of GET. */
export interface CompanyNote {
  id: string
  author: string
  text: string
  created_at: string
}

/** GET /api/companies/:id/notes, newest first. */
export interface CompanyNoteList {
  results: CompanyNote[]
}

/** POST /api/companies/bulk */
export interface BulkUpdated {
  updated: number
}

/** GET /api/companies/owners: who can own a company (every user). */
export interface OwnerList {
  results: Array<{ email: string }>
}

/** GET /api/companies */
export type CompanyList = RangeResults<CompanyRow> & { attribution: Attribution; filters: Filter[] }

/** One reason a network was judged as it was (enrichment/classify.ts), kept with the company. */
export interface Evidence {
  source: string
  says: string
}

/** The profile of GET /api/companies/:id */
export interface CompanyDetails {
  id: string
  name: string
  domain: string
  address: string
  postcode: string
  city: string
  country: string
  industry: string
  employee_range: string
  phone: string
  website: string
  registration_number: string
  network_type: string
  asn: number
  as_org: string
  evidence: Evidence[]
}

/** One day of GET /api/companies/:id, newest first. */
export interface CompanyDay {
  date: string
  visits: number
  pageviews: number
  visitors: number
  duration: number
  pages: string[]
}

/** One visit of GET /api/companies/:id, newest first, with its pages in order. */
export interface CompanyVisit {
  /** Times of the site's time zone (CompanyProfile.timezone): YYYY-MM-DD HH:MM:SS.mmm. */
  started: string
  ended: string
  /** Attribution of the visit's first page view: grouped source ('' = Direct / None), referrer host and UTM tags. */
  source: string
  referrer: string
  utm_source: string
  utm_medium: string
  utm_campaign: string
  utm_content: string
  utm_term: string
  pages: Array<{ ts: string; path: string; title: string }>
}

/** GET /api/companies/:id */
export type CompanyProfile = SiteRange & {
  /** The site's IANA time zone: the timeline's times are its wall-clock times. */
  timezone: string
  company: CompanyDetails
  days: CompanyDay[]
  timeline: CompanyVisit[]
  inbox: InboxState
  attribution: Attribution
}

/** POST /api/companies/directory (admins): rejected holds the first 1,000 rejected lines, rejected_total all of them. */
export interface DirectoryImport {
  rows: number
  imported: number
  rejected: Array<{ line: number; reason: string }>
  rejected_total: number
  /** CSV only: the field delimiter found in the header line. */
  delimiter?: string
}

/** One row of GET /api/suppressions (admins) */
export interface SuppressionRow {
  id: string
  kind: 'company' | 'domain' | 'name' | 'range'
  value: string
  reason: string
  created_at: string
}

/** GET /api/suppressions (admins) */
export type SuppressionList = Results<SuppressionRow>

/** POST /api/suppressions (201, admins) */
export interface SuppressionAdded {
  id: string
  companies_removed: number
}

/** One row of GET /api/network-domains (admins): a company network linked to an e-mail domain. */
export interface NetworkDomainRow {
  network: string
  domain: string
  visitors: number
  confidence: number
  learned_at: string
}

/** GET /api/network-domains (admins) */
export type NetworkDomainList = Results<NetworkDomainRow>

/**
 * One row of GET /api/companies/candidates (admins): an organisation that visited but
 * was not named (network type unknown, owner neither a provider nor a private person).
 */
export interface CandidateRow {
  owner: string
  asn: number
  country: string
  /** The network (/24, /48) with the most visits; what naming and dismissing take. */
  network: string
  /** Its networks seen in the range, most visits first (at most 20). */
  networks: string[]
  visits: number
  /** Distinct pages seen, at most 50. */
  pages: string[]
  last_visit: string
}

/** GET /api/companies/candidates (admins) */
export type CandidateList = RangeResults<CandidateRow>

/** POST /api/companies/candidates/name (201, admins) */
export interface CandidateNamed {
  company: { id: string; name: string; domain: string }
  owner: string
  network: string
  /** Past visits that became company visits. */
  visits: number
}

/** POST /api/companies/candidates/dismiss (admins) */
export interface CandidateDismissed {
  owner: string
  network: string
}

// ---- Privacy ---------------------------------------------------------------------

/** POST /api/privacy/erase and POST /api/admin/erase (200 when done, 202 when pending) */
export interface ErasureResult {
  id: string
  /** pending: recorded, and carried out by the erasure job once ClickHouse takes the collector's journal. */
  status: 'done' | 'pending'
  events: number
  sessions: number
  days_rebuilt: number
  /**
   * Days still written by other processes (on a ClickHouse server: today, and yesterday
   * for its first 10 minutes): their daily totals still count the visitor's events, and
   * are rebuilt once the day is over. The events themselves are gone.
   */
  days_pending: number
}

/** One stored event of a visitor, in POST /api/privacy/export and GET /api/admin/export. */
export interface ExportedEvent {
  event_id: string
  site: string
  time: string
  type: string
  name: string
  path: string
  query: string
  title: string
  referrer_source: string
  utm_source: string
  utm_medium: string
  utm_campaign: string
  utm_content: string
  utm_term: string
  browser: string
  browser_version: string
  os: string
  os_version: string
  device: string
  screen: number
  country: string
  city: string
  props: Record<string, string>
  sid: string
}

/** POST /api/privacy/export and GET /api/admin/export: everything stored for one visitor id. */
export interface VisitorExport {
  visitor_id: string
  exported_at: string
  events: ExportedEvent[]
  /** network and network_owner: kept for company visits and review-queue candidates only. */
  visits: Array<{ session: string; network_type: string; company: string | null; network: string | null; network_owner: string | null }>
  form_domains: Array<{ domain: string; time: string }>
  opted_out: { since: string } | null
  ip_addresses: { stored: number; note: string }
}

/** One row of GET /api/audit (admins): subject is the SHA-256 of a visitor id, detail a JSON text. */
export interface AuditEntry {
  time: string
  action: string
  subject: string
  actor: string
  detail: string
}

/** GET /api/audit (admins): the newest 1,000 entries. */
export type AuditLog = Results<AuditEntry>

/** POST /api/optout (202) */
export interface OptedOut {
  ok: true
  opted_out: true
}

/** A trigger (GET/POST/PATCH /api/triggers, admins): `when` and `actions` as alerts/triggers.ts validates them. */
export interface Trigger {
  id: string
  site: string
  name: string
  enabled: boolean
  when: {
    pages?: string[]
    min_visits?: number
    min_lead_score?: number
    countries?: string[]
    industries?: string[]
    employees?: string[]
    network_types?: string[]
    tags?: string[]
    status?: string[]
    first_visit_only?: boolean
  }
  actions: Array<
    | { type: 'webhook'; url: string; secret: string }
    | { type: 'email'; to: string[] }
    | { type: 'slack'; url: string }
    | { type: 'tag'; tag: string }
    | { type: 'assign'; owner: string }
  >
  created_by: string
  created_at: string
}

/** GET /api/triggers */
export type TriggerList = Results<Trigger>

/** One delivery of GET /api/deliveries (admins): a webhook, Slack message or e-mail, and how its attempts went. */
export interface Delivery {
  id: string
  site: string
  trigger_id: string
  trigger_name: string
  kind: 'webhook' | 'slack' | 'email'
  target: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt: string | null
  last_code: number | null
  last_error: string
  created_at: string
  updated_at: string
}

/** GET /api/deliveries: the newest first. */
export type DeliveryList = Results<Delivery>

/** The webhook's JSON body (POST to the trigger's URL): no visitor id, no address. */
export interface WebhookBody {
  delivery: string
  trigger: { id: string; name: string }
  site: string
  company: { id: string; name: string; domain: string; country: string; city: string; industry: string; employees: string }
  visit: { started: string; source: string; pages: Array<{ path: string; at: string }>; lead_score: number }
  dashboard_url: string
  /** Only on a test sent from Settings: the company and visit are examples. */
  test?: true
}

/** GET/PUT /api/me/mail: the user's digest and the language of the mail they get. */
export interface MailSettings {
  digest: 'off' | 'daily' | 'weekly'
  lang: 'en' | 'nl'
}
