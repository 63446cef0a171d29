// Part 4: the dashboard API on 10 million page views. The rows are generated inside
// ClickHouse (INSERT … SELECT FROM numbers(), so the materialized views fill as they
// do in production), the jobs that run on a live server (company visits, visit
// roll-ups) are run once, and then every dashboard call is timed through the real
// HTTP app with a session, next to the summary computed from the raw events table.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recomputeCompanyVisits } from '../../aggregates/company-visits.ts'
import { rollupDays, rollupToday } from '../../aggregates/rollup.ts'
import { createApp } from '../../server/app.ts'
import { CompanyQueries } from '../../dashboard/companies.ts'
import { type RangeQuery, StatsQueries } from '../../dashboard/stats.ts'
import type { CompanyRow, Filter } from '../../lib/api-types.ts'
import { loadConfig } from '../../lib/config.ts'
import { dayLock } from '../../lib/lock.ts'
import { createLogger } from '../../lib/logger.ts'
import { assemble } from '../../server/main.ts'
import { isoDay } from '../../lib/timezone.ts'
import { serve, sessionCookie } from '../proc.ts'
import { percentile, type PartResult, type Row } from '../report.ts'

export interface QueryOptions {
  /** Page views to generate (10 million by default). */
  rows: number
  /** Timed calls per API route (after 3 untimed ones). */
  repeat: number
}

const SITES = ['site1.example.com', 'site2.example.com', 'site3.example.com']
const COMPANIES = 2000
const CHUNK = 1_000_000
// Timed calls of each filtered question asked of the raw events (after one untimed call).
const RAW_REPEAT = 3

const samePages = (rows: CompanyRow[]) => rows.map((r) => ({ ...r, pages: [...r.pages].sort() }))

/** The figures of a summary answer, without the range it echoes. */
const pickFigures = (a: Record<string, unknown>) => ({
  visitors: a.visitors,
  visits: a.visits,
  pageviews: a.pageviews,
  bounce_rate: a.bounce_rate,
  visit_duration: a.visit_duration,
})

// One page view per number n. Four page views make a visit, except that one visit in
// five is split into single-page visits (about half of all visits bounce); a visit
// belongs to one of a million visitors, each visitor to one site; the day is one of
// the last 30 (today's part of the day only), pages follow a long tail (Zipf over 500).
const GENERATE = `
INSERT INTO events (event_id, site, ts, type, name, vid, sid, hostname, path, query, title, referrer_source, source,
                    utm_source, utm_medium, utm_campaign, utm_content, utm_term, browser, browser_version,
                    os, os_version, device, screen, country, city)
SELECT
  lower(hex(cityHash64(n, 'e'))) AS event_id,
  arrayElement({sites:Array(String)}, 1 + v % 3) AS site,
  toDateTime64(today() - 29 + d, 3, 'UTC') + toIntervalSecond(if(d = 29, secs % greatest(1, toUInt32(now() - toDateTime(today()))), secs)) + toIntervalSecond(pos * (20 + cityHash64(n) % 100)) AS ts,
  'pageview' AS type, '' AS name,
  lower(concat(hex(cityHash64(v, 1)), hex(cityHash64(v, 2)))) AS vid,
  lower(concat(hex(cityHash64(s, 3)), hex(cityHash64(s, 4)), if(split, toString(pos), ''))) AS sid,
  site AS hostname,
  concat('/', arrayElement(['blog', 'products', 'docs', 'pricing', 'about', 'careers', 'news', 'cases'], 1 + p % 8), '/page-', toString(p)) AS path,
  '' AS query,
  concat('Page ', toString(p)) AS title,
  if(pos = 0 OR split, arrayElement(['', '', '', 'google.com', 'google.com', 'bing.com', 'duckduckgo.com', 'linkedin.com', 't.co', 'news.ycombinator.com'], 1 + cityHash64(s, 'r') % 10), '') AS referrer_source,
  if(utm, 'newsletter', transform(referrer_source, ['google.com', 'bing.com', 'duckduckgo.com', 'linkedin.com', 't.co', 'news.ycombinator.com'], ['Google', 'Bing', 'DuckDuckGo', 'LinkedIn', 'Twitter', 'Hacker News'], '')) AS source,
  if(utm, 'newsletter', '') AS utm_source, if(utm, 'email', '') AS utm_medium, if(utm, concat('week', toString(cityHash64(s) % 52)), '') AS utm_campaign,
  '' AS utm_content, '' AS utm_term,
  arrayElement(['Chrome', 'Chrome', 'Chrome', 'Mobile Safari', 'Safari', 'Edge', 'Firefox', 'Samsung Internet', 'Opera'], 1 + b) AS browser,
  arrayElement(['131', '131', '130', '17', '17', '131', '133', '25', '115'], 1 + b) AS browser_version,
  arrayElement(['Windows', 'Android', 'Windows', 'iOS', 'Mac OS', 'Windows', 'Linux', 'Android', 'Windows'], 1 + b) AS os,
  '' AS os_version,
  arrayElement(['desktop', 'mobile', 'desktop', 'mobile', 'desktop', 'desktop', 'desktop', 'mobile', 'desktop'], 1 + b) AS device,
  arrayElement([1920, 412, 1536, 390, 1440, 1366, 1920, 412, 1920], 1 + b) AS screen,
  arrayElement(['NL', 'NL', 'NL', 'DE', 'BE', 'GB', 'US', 'FR', 'ES', 'IT', 'PL', 'SE'], 1 + cityHash64(v, 'c') % 12) AS country,
  '' AS city
FROM (
  SELECT number AS n, intDiv(n, 4) AS s, n % 4 AS pos,
         cityHash64(s, 'v') % 1000000 AS v,
         cityHash64(s, 'd') % 30 AS d,
         toUInt32(cityHash64(s, 't') % 80000) AS secs,
         cityHash64(s, 'x') % 5 = 0 AS split,
         cityHash64(s, 'u') % 100 < 5 AS utm,
         cityHash64(v, 'b') % 9 AS b,
         toUInt32(floor(exp((cityHash64(n, 'p') % 1000000) / 1000000 * log(501)))) - 1 AS p
  FROM numbers({start:UInt64}, {count:UInt64})
)`

// One visit in 50 that saw a /pricing page signs up a minute after it (a custom event with a plan).
const SIGNUPS = `
INSERT INTO events (event_id, site, ts, type, name, vid, sid, hostname, path, title, source, browser, os, device, country, props)
SELECT concat(event_id, 's'), site, ts + INTERVAL 1 MINUTE, 'event', 'signup', vid, sid, hostname, path, title, source, browser, os, device, country,
       map('plan', arrayElement(['free', 'pro', 'team'], 1 + cityHash64(sid) % 3))
FROM events WHERE type = 'pageview' AND startsWith(path, '/pricing') AND cityHash64(sid, 'g') % 50 = 0`

// 8% of visitors come from one of 2,000 companies, as the enrichment job would have decided.
const ENRICH = `
INSERT INTO enriched_sessions (site, sid, day, network_type, company_id, network)
SELECT site, sid, min(toDate(ts)) AS day, 'business', lower(hex(cityHash64('company', intDiv(cityHash64(any(vid), 'co'), 100) % ${COMPANIES}))), '198.51.100.0/24'
FROM events WHERE cityHash64(vid, 'co') % 100 < 8 GROUP BY site, sid`

const COMPANY_ROWS = `
INSERT INTO companies (company_id, name, domain, city, country, industry, employee_range, network_type, asn, as_org, evidence)
SELECT lower(hex(cityHash64('company', number))), concat('Company ', toString(number), ' B.V.'), concat('company', toString(number), '.example'),
       arrayElement(['Amsterdam', 'Utrecht', 'Rotterdam', 'Berlin', 'Antwerp'], 1 + number % 5), arrayElement(['NL', 'NL', 'NL', 'DE', 'BE'], 1 + number % 5),
       arrayElement(['Software', 'Manufacturing', 'Logistics', 'Finance'], 1 + number % 4), '50-199', 'business', 64500 + number, concat('Company ', toString(number)), '[]'
FROM numbers(${COMPANIES})`

// The summary the API gives, computed from raw events: what a dashboard without
// aggregates (or Spoor without its views) would run on every page load.
const RAW_SUMMARY = `
SELECT uniq(vid) AS visitors, count() AS pageviews, count(DISTINCT sid) AS visits,
       (SELECT countIf(pv = 1) FROM (SELECT sid, count() AS pv FROM events WHERE site = {site:String} AND toDate(ts) BETWEEN {from:Date} AND {to:Date} AND type = 'pageview' GROUP BY sid)) AS bounces,
       (SELECT avg(dateDiff('second', t0, t1)) FROM (SELECT sid, min(ts) AS t0, max(ts) AS t1 FROM events WHERE site = {site:String} AND toDate(ts) BETWEEN {from:Date} AND {to:Date} AND type = 'pageview' GROUP BY sid)) AS duration
FROM events WHERE site = {site:String} AND toDate(ts) BETWEEN {from:Date} AND {to:Date} AND type = 'pageview'`

export async function run(o: QueryOptions): Promise<PartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-queries-'))
  const password = 'bench password long enough'
  const config = loadConfig({ DATA_DIR: dir, SITES: SITES.join(','), ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: password, LOG_LEVEL: 'warn' })
  const deps = await assemble(config, createLogger('warn'))
  const { db } = deps
  const { base, close } = await serve(createApp(deps))
  const timings: Record<string, number> = {}
  const step = async (name: string, f: () => Promise<unknown>) => {
    const t0 = performance.now()
    await f()
    timings[name] = Math.round(performance.now() - t0)
    process.stderr.write(`  queries: ${name} ${timings[name]} ms\n`)
  }
  try {
    await step('generate page views', async () => {
      for (let start = 0; start < o.rows; start += CHUNK) {
        await db.command(GENERATE, { sites: SITES, start, count: Math.min(CHUNK, o.rows - start) })
      }
    })
    await step('custom events', () => db.command(SIGNUPS))
    await step('companies and enriched visits', async () => {
      await db.command(COMPANY_ROWS)
      await db.command(ENRICH)
    })
    const today = new Date()
    const days = Array.from({ length: 30 }, (_, i) => isoDay(new Date(today.getTime() - (29 - i) * 86_400_000)))
    await step('company visits (enrich-visits job)', () => dayLock.run(() => recomputeCompanyVisits(db, days)))
    await step('visit roll-ups (rollup-visits job)', () =>
      dayLock.run(() =>
        rollupDays(
          db,
          days.slice(0, 29).map((day) => ({ day, sites: SITES })),
        ),
      ),
    )
    await step("today's visits so far (visits-today job)", () => rollupToday(db))
    // A server that has run for a month has merged its parts; so do we.
    await step('merge', async () => {
      for (const t of [
        'daily_stats',
        'daily_breakdown',
        'sessions',
        'daily_visits',
        'daily_entry_pages',
        'company_visits',
        'companies',
        'enriched_sessions',
        'visits',
        'company_sessions',
        'visit_totals',
        'visit_totals_days',
      ])
        await db.command(`OPTIMIZE TABLE ${t} FINAL`)
    })
    const [counts] = await db.query<{ events: string; visitors: string; companies: string }>(
      `SELECT (SELECT count() FROM events) AS events, (SELECT uniq(vid) FROM events) AS visitors, (SELECT uniqExact(company_id) FROM company_visits) AS companies`,
    )

    // A session, as the dashboard gets one.
    const cookie = await sessionCookie(base, 'bench@example.com', password)
    const site = SITES[0]!
    const [top] = await db.query<{ id: string }>(
      'SELECT company_id AS id FROM company_visits WHERE site = {site:String} GROUP BY company_id ORDER BY sum(visits) DESC LIMIT 1',
      { site },
    )
    // Two goals, as a marketer sets them: a custom event and a page pattern.
    for (const goal of [
      { kind: 'event', match: 'signup' },
      { kind: 'page', match: '/pricing/*' },
    ]) {
      const res = await fetch(`${base}/api/sites/${site}/goals`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-spoor-request': '1' },
        body: JSON.stringify(goal),
      })
      if (res.status !== 201) throw new Error(`creating a goal answered ${res.status}: ${await res.text()}`)
    }
    // Every stats route (and the companies list), unfiltered, with one filter, and with
    // two (one of them "page contains"), as issue 16 asks.
    // `ask`: the same question asked of StatsQueries grouping raw events (the baseline of
    // the filtered calls), `pick`: the part of the API's answer it must equal.
    type Ask = (s: StatsQueries, q: RangeQuery, c: CompanyQueries) => Promise<unknown>
    const results = (a: { results: unknown }) => a.results
    const dayOf = (q: RangeQuery) => ({ ...q, from: isoDay(today), to: isoDay(today) })
    const routes: Array<[string, string, Ask?, ((a: never) => unknown)?]> = [
      ['summary', '/api/stats/summary', (s, q) => s.summary(q), (a: Record<string, unknown>) => pickFigures(a)],
      ['timeseries', '/api/stats/timeseries', (s, q) => s.timeseries(q, 'day'), results],
      ['hours of today', `/api/stats/timeseries?interval=hour&from=${isoDay(today)}&to=${isoDay(today)}`, (s, q) => s.timeseries(dayOf(q), 'hour'), results],
      ['pages', '/api/stats/pages', (s, q) => s.pages(q), results],
      ['entry pages', '/api/stats/entry-pages', (s, q) => s.entryPages(q), results],
      ['exit pages', '/api/stats/exit-pages', (s, q) => s.exitPages(q), results],
      ['sources', '/api/stats/sources', (s, q) => s.breakdown('sources', q), results],
      ['referrers', '/api/stats/referrers', (s, q) => s.breakdown('referrers', q), results],
      ['utm campaigns', '/api/stats/utm?by=campaign', (s, q) => s.breakdown('utm:campaign', q), results],
      ['browsers', '/api/stats/browsers', (s, q) => s.breakdown('browsers', q), results],
      ['countries', '/api/stats/countries', (s, q) => s.breakdown('countries', q), results],
      ['events', '/api/stats/events', (s, q) => s.events(q), results],
      ['goals', '/api/stats/goals', async (s, q) => (await s.goals(q)).rows, results],
      // Visitors of the last 5 minutes: timed against the raw events, not compared (the window moves between the two calls).
      ['realtime', '/api/stats/realtime', (s, q) => s.realtime(q)],
      // A company's pages come in no set order: compared sorted.
      ['companies', '/api/companies', async (_s, q, c) => samePages(await c.list(q)), (a: { results: CompanyRow[] }) => samePages(a.results)],
    ]
    const FILTERS: Array<[string, unknown[]]> = [
      ['', []],
      [', 1 filter', [['is', 'source', ['Google']]]],
      [
        ', 2 filters',
        [
          ['is', 'source', ['Google']],
          ['contains', 'page', ['/blog']],
        ],
      ],
    ]
    interface Call {
      name: string
      path: string
      limit: number
      /** Filtered stats routes: the question for the raw events, and what of the answer it must equal. */
      raw?: { ask: () => Promise<unknown>; pick?: (a: never) => unknown }
    }
    const calls: Call[] = []
    const fromEvents = new StatsQueries(db, { fromEvents: true })
    const companiesFromEvents = new CompanyQueries(db, { fromEvents: true })
    for (const [label, filters] of FILTERS) {
      for (const [name, path, ask, pick] of routes) {
        const sep = path.includes('?') ? '&' : '?'
        const f = filters.length ? `&filters=${encodeURIComponent(JSON.stringify(filters))}` : ''
        const q: RangeQuery = { site, from: days[0]!, to: isoDay(today), timezone: 'UTC', limit: 100, filters: filters as Filter[] }
        const raw = filters.length && ask ? { ask: () => ask(fromEvents, q, companiesFromEvents), pick } : undefined
        calls.push({ name: `${name}${label}`, path: `${path}${sep}site=${site}${f}`, limit: filters.length ? 200 : 100, raw })
      }
      if (!filters.length) calls.push({ name: 'company page', path: `/api/companies/${top?.id}?site=${site}`, limit: 100 })
    }
    const time = async (f: () => Promise<void>) => {
      const t0 = performance.now()
      await f()
      return performance.now() - t0
    }
    const get = (path: string) => async () => {
      const res = await fetch(base + path, { headers: { cookie } })
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
    const answer = async (path: string) => (await (await fetch(base + path, { headers: { cookie } })).json()) as never
    const measure = async (f: () => Promise<void>, n: number, warm = 3) => {
      for (let i = 0; i < warm; i++) await f()
      const ms: number[] = []
      for (let i = 0; i < n; i++) ms.push(await time(f))
      return ms.sort((a, b) => a - b)
    }
    const to = isoDay(today)
    const from = days[0]!
    // The two must say the same, or the comparison means nothing.
    const [fromRaw] = await db.query<{ pageviews: string; visits: string }>(RAW_SUMMARY, { site, from, to })
    const api = (await (await fetch(`${base}/api/stats/summary?site=${site}`, { headers: { cookie } })).json()) as { pageviews: number; visits: number }
    if (Number(fromRaw?.pageviews) !== api.pageviews || Number(fromRaw?.visits) !== api.visits) {
      throw new Error(
        `the API's summary (${api.pageviews} page views, ${api.visits} visits) differs from the raw table's (${fromRaw?.pageviews}, ${fromRaw?.visits})`,
      )
    }
    const raw = await measure(async () => void (await db.query(RAW_SUMMARY, { site, from, to })), Math.max(5, Math.round(o.repeat / 3)))
    const rawP50 = percentile(raw, 50)
    const rows: Row[] = []
    const latencies: Record<string, { p50: number; p95: number; rawP50?: number; sameAsRaw?: boolean }> = {}
    const differing: string[] = []
    let compared = 0
    for (const { name, path, limit, raw: rawCall } of calls) {
      const ms = await measure(get(path), o.repeat)
      const p50 = percentile(ms, 50)
      const p95 = percentile(ms, 95)
      latencies[name] = { p50, p95 }
      // The raw events' answer takes a second or more: a few calls are enough for its p50.
      const rawMs = rawCall ? await measure(async () => void (await rawCall.ask()), RAW_REPEAT, 1) : null
      if (rawCall?.pick) {
        const same = JSON.stringify(rawCall.pick(await answer(path))) === JSON.stringify(await rawCall.ask())
        latencies[name]!.sameAsRaw = same
        compared++
        if (!same) differing.push(name)
      }
      const row: Row = {
        part: 'queries',
        metric: `${name} p50 / p95`,
        value: p95,
        unit: `ms p95 (p50 ${p50.toFixed(1)} ms)`,
        target: `< ${limit} ms`,
        ok: p95 < limit,
      }
      if (rawMs) {
        const rawP50Of = percentile(rawMs, 50)
        latencies[name]!.rawP50 = rawP50Of
        Object.assign(row, { baseline: { label: 'raw events, p50', value: rawP50Of }, ratio: rawP50Of / p50 })
      }
      if (name === 'summary')
        Object.assign(row, {
          baseline: { label: 'raw events, p50', value: rawP50 },
          ratio: rawP50 / p50,
          target: '< 100 ms, ≥ 10× raw',
          ok: p95 < 100 && rawP50 / p50 >= 10,
        })
      rows.push(row)
    }
    // The first call for a range after the hourly job summed days again: its lists are
    // merged from the day sums then (and stored for the calls after it).
    for (const [name, path] of routes.filter(([n]) => n === 'pages' || n === 'exit pages')) {
      const ms: number[] = []
      for (let i = 0; i < Math.max(5, Math.round(o.repeat / 3)); i++) {
        await db.command('TRUNCATE TABLE visit_totals_ranges')
        ms.push(await time(get(`${path}?site=${site}`)))
      }
      ms.sort((a, b) => a - b)
      const p50 = percentile(ms, 50)
      latencies[`${name}, first call of its range`] = { p50, p95: percentile(ms, 95) }
      rows.push({
        part: 'queries',
        metric: `${name}, first call of its range, p50 / p95`,
        value: percentile(ms, 95),
        unit: `ms p95 (p50 ${p50.toFixed(1)} ms)`,
      })
    }
    rows.push({
      part: 'queries',
      metric: "filtered answers equal to the raw events' answers",
      value: compared - differing.length,
      unit: `of ${compared}${differing.length ? ` (differ: ${differing.join(', ')})` : ''}`,
      target: 'all',
      ok: differing.length === 0,
    })
    return {
      part: 'queries',
      details: {
        options: o,
        generated: { events: Number(counts?.events), visitors: Number(counts?.visitors), companies: Number(counts?.companies) },
        timingsMs: timings,
        rawSummaryMs: { p50: rawP50, p95: percentile(raw, 95) },
        latencies,
      },
      rows,
    }
  } finally {
    await close()
    await deps.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
