// The one place that reads process.env. Everything else receives the typed,
// frozen Config (or the slice of it that it needs).
import { isIP } from 'node:net'
import { join } from 'node:path'
import { z } from 'zod'
import { normaliseDomain } from './domain.ts'
import { isTimeZone } from './timezone.ts'

// An unset variable stays undefined: for a setting read only when another is unset.
const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .optional()
  .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v)))

const bool = (fallback: boolean) => optionalBool.transform((v) => v ?? fallback)

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number, got "${v}"` })
        return z.NEVER
      }
      const n = Number(v)
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${n}` })
        return z.NEVER
      }
      return n
    })

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

// Express's `trust proxy`: false (default: X-Forwarded-For is ignored, so a client
// cannot choose its IP and with it its company), a hop count, or addresses/CIDRs.
const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): boolean | number | string[] => {
    if (v === undefined || v === '' || v === 'false') return false
    if (v === 'true') return true
    if (/^\d+$/.test(v)) return Number(v)
    const entries = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    for (const e of entries) {
      const [addr, bits] = e.split('/')
      const named = ['loopback', 'linklocal', 'uniquelocal'].includes(e)
      if (!named && (!addr || isIP(addr) === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits)))) {
        ctx.addIssue({ code: 'custom', message: `"${e}" is not true, false, a hop count, an IP, a CIDR or loopback/linklocal/uniquelocal` })
        return z.NEVER
      }
    }
    return entries
  })

const schema = z.object({
  PORT: int(8080, 1, 65535),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'expected an absolute URL such as https://stats.example.com' }).optional(),
  ROLE: z.enum(['all', 'collector', 'jobs', 'dashboard']).default('all'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:8123' }).optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a plain identifier')
    .default('spoor'),
  // A replicated cluster of one shard (sql/cluster.ts, docs/cluster.md): the migrations make
  // Replicated*MergeTree tables with ON CLUSTER DDL. Unset on ClickHouse Cloud.
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "expected a cluster name as in the server's remote_servers (letters, digits, _ . -)")
    .optional(),
  // example.com or example.com@Europe/Amsterdam: the site's time zone (default UTC).
  SITES: list.transform((entries, ctx) => {
    const out: Array<{ domain: string; timezone: string | null }> = []
    for (const entry of entries) {
      const at = entry.indexOf('@')
      const d = at < 0 ? entry : entry.slice(0, at)
      const tz = at < 0 ? null : entry.slice(at + 1)
      const n = normaliseDomain(d)
      if (!n) {
        ctx.addIssue({ code: 'custom', message: `"${d}" is not a domain name` })
        return z.NEVER
      }
      if (tz !== null && !isTimeZone(tz)) {
        ctx.addIssue({ code: 'custom', message: `"${tz}" is not an IANA time zone (such as Europe/Amsterdam or UTC)` })
        return z.NEVER
      }
      out.push({ domain: n, timezone: tz })
    }
    return out
  }),
  ADMIN_EMAIL: z.email({ message: 'expected an e-mail address' }).optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TRUST_PROXY: trustProxy,
  // The privacy policy promises that IP addresses are deleted within a week: 7 is a hard maximum.
  IP_RETENTION_DAYS: int(7, 1, 7),
  RAW_RETENTION_DAYS: int(180, 1, 3650),
  KEEP_QUERY_PARAMS: list,
  // 1 s: the stats API promises that a page view is visible within 5 s.
  FLUSH_INTERVAL_MS: int(1000, 10, 5000),
  FLUSH_MAX_ROWS: int(5000, 1, 100_000),
  // The journal (collector/journal.ts): where accepted rows wait on disk until ClickHouse
  // has them, and how large it may grow while ClickHouse is failing before the collector
  // answers 503. 512 MB is about 600,000 events, 2.5 minutes at the bench's 4,000 a second.
  JOURNAL_DIR: z.string().min(1).optional(),
  JOURNAL_MAX_MB: int(512, 1, 1_000_000),
  // false: a journal write is in the OS's page cache before the 202, which survives the
  // process being killed or crashing but not the machine losing power. true adds an
  // fdatasync per group: on the bench machine p99 at half load went from 17 to 25-63 ms.
  JOURNAL_SYNC: bool(false),
  SESSION_HOURS: int(168, 1, 24 * 90),
  // Events a minute from one client network (/24 or /48) before the collector answers
  // 429: 50 a second, far beyond a company's staff browsing one site, far below a flood.
  COLLECT_LIMIT_PER_MINUTE: int(3000, 1, 10_000_000),
  // New opt-out list entries an hour, all processes together: far above people clicking
  // an opt-out link, and at most 9.6 M entries in the list's 400 days.
  OPTOUT_MAX_PER_HOUR: int(1000, 1, 1_000_000),
  // Events stored a day per site, and for all sites together (collector/budget.ts): a
  // site of 100 M page views a month has about 3.3 M a day. At about 205 bytes a page view
  // on disk, the total caps a day's growth near 10 GB.
  SITE_EVENTS_PER_DAY: int(10_000_000, 1, 1_000_000_000),
  EVENTS_PER_DAY: int(50_000_000, 1, 10_000_000_000),
  // Below this much free space (data and journal) the collector answers 507 and stores nothing.
  MIN_FREE_DISK_MB: int(1024, 0, 10_000_000),
  // Company recognition (enrichment/).
  MAXMIND_DB_PATHS: list,
  // country (8 MB, the default), city (134 MB in memory), or off; see enrichment/sources/dbip.ts.
  DBIP: z.enum(['country', 'city', 'off'], { message: 'expected country, city or off' }).optional(),
  // Before DBIP: true was city, false off. Still read when DBIP is not set.
  DBIP_CITY: optionalBool,
  RDNS: bool(false),
  COMPANY_NETWORK_TYPES: list.transform((types, ctx) => {
    const allowed = ['business', 'education', 'government'] as const
    const out = types.length === 0 ? [...allowed] : types
    for (const t of out) {
      if (!(allowed as readonly string[]).includes(t)) {
        ctx.addIssue({ code: 'custom', message: `"${t}" cannot produce a company; use business, education and/or government` })
        return z.NEVER
      }
    }
    return out as Array<(typeof allowed)[number]>
  }),
  FORM_DOMAIN_MIN_VISITORS: int(2, 1, 1000),
  NAME_UNVERIFIED_OWNERS: bool(false),
  COMPANY_RETENTION_MONTHS: int(13, 1, 60),
  AGGREGATE_RETENTION_MONTHS: int(25, 1, 120),
  DEMO: bool(true),
  // Alerts (alerts/): e-mail over SMTP, e.g. smtps://user:password@mail.example.com:465.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://host:port or smtps://user:password@host:port')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  // A failed webhook, Slack message or e-mail is tried again after this, then after 3, 6, 18,
  // 60, 180, 360 and 720 times this (2 h at the default), until 24 hours have passed.
  DELIVERY_FIRST_RETRY_SECONDS: int(10, 1, 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = Readonly<{
  port: number
  host: string
  publicUrl: string
  role: 'all' | 'collector' | 'jobs' | 'dashboard'
  dataDir: string
  /** `cluster`: CLICKHOUSE_CLUSTER, the replicated cluster the DDL goes to (null: one server). */
  clickhouse: Readonly<{ url: string; user: string; password: string; database: string; cluster?: string | null }> | null
  sites: readonly string[]
  /** Time zones given in SITES (example.com@Europe/Amsterdam); a site not named keeps the zone it has. */
  siteTimezones: Readonly<Record<string, string>>
  admin: Readonly<{ email: string; password: string }> | null
  trustProxy: boolean | number | string[]
  ipRetentionDays: number
  rawRetentionDays: number
  keepQueryParams: readonly string[]
  flushIntervalMs: number
  flushMaxRows: number
  journalDir: string
  journalMaxBytes: number
  journalSync: boolean
  sessionHours: number
  collectLimitPerMinute: number
  optoutMaxPerHour: number
  siteEventsPerDay: number
  eventsPerDay: number
  minFreeDiskMb: number
  maxmindDbPaths: readonly string[]
  dbip: 'country' | 'city' | 'off'
  rdns: boolean
  companyNetworkTypes: ReadonlyArray<'business' | 'education' | 'government'>
  formDomainMinVisitors: number
  nameUnverifiedOwners: boolean
  companyRetentionMonths: number
  aggregateRetentionMonths: number
  demo: boolean
  smtpUrl: string | null
  mailFrom: string
  deliveryFirstRetryMs: number
  logLevel: string
}>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, so `FOO= npm start` behaves like no FOO at all.
  const cleaned = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`)
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.ROLE !== 'all' && !e.CLICKHOUSE_URL) {
    // chDB serves exactly one process per data directory: split roles need a server.
    throw new ConfigError(`invalid configuration:\n  ROLE: "${e.ROLE}" needs CLICKHOUSE_URL (the embedded ClickHouse serves one process; use ROLE=all)`)
  }
  if (e.CLICKHOUSE_CLUSTER !== undefined && !e.CLICKHOUSE_URL) {
    // The embedded ClickHouse is one process on one machine: there is nothing to replicate to.
    throw new ConfigError(
      'invalid configuration:\n  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (a cluster is a set of ClickHouse servers; the embedded one is not)',
    )
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('invalid configuration:\n  ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither')
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    role: e.ROLE,
    dataDir: e.DATA_DIR,
    clickhouse: e.CLICKHOUSE_URL
      ? Object.freeze({
          url: e.CLICKHOUSE_URL,
          user: e.CLICKHOUSE_USER,
          password: e.CLICKHOUSE_PASSWORD,
          database: e.CLICKHOUSE_DATABASE,
          cluster: e.CLICKHOUSE_CLUSTER ?? null,
        })
      : null,
    sites: Object.freeze(e.SITES.map((s) => s.domain)),
    siteTimezones: Object.freeze(Object.fromEntries(e.SITES.flatMap((s) => (s.timezone ? [[s.domain, s.timezone]] : [])))),
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? Object.freeze({ email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD }) : null,
    trustProxy: e.TRUST_PROXY,
    ipRetentionDays: e.IP_RETENTION_DAYS,
    rawRetentionDays: e.RAW_RETENTION_DAYS,
    keepQueryParams: Object.freeze(e.KEEP_QUERY_PARAMS),
    flushIntervalMs: e.FLUSH_INTERVAL_MS,
    flushMaxRows: e.FLUSH_MAX_ROWS,
    journalDir: e.JOURNAL_DIR ?? join(e.DATA_DIR, 'journal'),
    journalMaxBytes: e.JOURNAL_MAX_MB * 1024 * 1024,
    journalSync: e.JOURNAL_SYNC,
    sessionHours: e.SESSION_HOURS,
    collectLimitPerMinute: e.COLLECT_LIMIT_PER_MINUTE,
    optoutMaxPerHour: e.OPTOUT_MAX_PER_HOUR,
    siteEventsPerDay: e.SITE_EVENTS_PER_DAY,
    eventsPerDay: e.EVENTS_PER_DAY,
    minFreeDiskMb: e.MIN_FREE_DISK_MB,
    maxmindDbPaths: Object.freeze(e.MAXMIND_DB_PATHS),
    dbip: e.DBIP ?? (e.DBIP_CITY === undefined ? 'country' : e.DBIP_CITY ? 'city' : 'off'),
    rdns: e.RDNS,
    companyNetworkTypes: Object.freeze(e.COMPANY_NETWORK_TYPES),
    formDomainMinVisitors: e.FORM_DOMAIN_MIN_VISITORS,
    nameUnverifiedOwners: e.NAME_UNVERIFIED_OWNERS,
    companyRetentionMonths: e.COMPANY_RETENTION_MONTHS,
    aggregateRetentionMonths: e.AGGREGATE_RETENTION_MONTHS,
    demo: e.DEMO,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? `Spoor <spoor@${new URL(e.PUBLIC_URL ?? 'http://localhost').hostname}>`,
    deliveryFirstRetryMs: e.DELIVERY_FIRST_RETRY_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
  })
}
