// The view's state lives in the URL (path + query), so a view can be shared and reloaded.
import { FILTER_DIMENSIONS, FILTER_OPERATORS, type Filter, type FilterDimension, type FilterOperator, type Interval } from '../../../lib/api-types.ts'

export type Period = 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'custom'

export interface ViewState {
  path: string
  site: string
  period: Period
  from: string
  to: string
  compare: boolean
  /** Of `?filters=`, combined with AND; at most one per dimension. */
  filters: Filter[]
  query: URLSearchParams
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const addDays = (s: string, n: number) => day(new Date(Date.parse(`${s}T00:00:00Z`) + n * 86_400_000))

/** Today's date (YYYY-MM-DD) in an IANA time zone: the sites' days are local days. */
export function todayIn(timezone: string | undefined, now = new Date()): string {
  if (!timezone) return day(now)
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
    return `${get('year')}-${get('month')}-${get('day')}`
  } catch {
    // An unknown zone (a browser older than the server's tz database): UTC.
    return day(now)
  }
}

export function rangeOf(period: Period, from: string, to: string, timezone?: string): { from: string; to: string } {
  const today = todayIn(timezone)
  switch (period) {
    case 'today':
      return { from: today, to: today }
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) }
    case '7d':
      return { from: addDays(today, -6), to: today }
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today }
    case 'custom':
      return { from: from || addDays(today, -29), to: to || today }
    default:
      return { from: addDays(today, -29), to: today }
  }
}

export const daysIn = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1

/** The period just before [from, to], of the same length. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  return { from: addDays(from, -daysIn(from, to)), to: addDays(from, -1) }
}

/** The chart's buckets: hours for one day (today, yesterday), weeks or months for long ranges, else days. */
export function intervalOf(from: string, to: string): Interval {
  const n = daysIn(from, to)
  if (n <= 1) return 'hour'
  if (n > 731) return 'month'
  if (n > 120) return 'week'
  return 'day'
}

const OPERATORS: readonly FilterOperator[] = FILTER_OPERATORS
export const DIMENSIONS: readonly FilterDimension[] = FILTER_DIMENSIONS

/** `?filters=` as the API reads it; anything malformed (a hand-edited URL) is left out, not an error. */
export function parseFilters(text: string | null): Filter[] {
  if (!text) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  const out: Filter[] = []
  for (const f of raw) {
    if (!Array.isArray(f) || f.length !== 3) continue
    const [op, dim, values] = f as unknown[]
    if (!OPERATORS.includes(op as FilterOperator) || !DIMENSIONS.includes(dim as FilterDimension)) continue
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) continue
    out.push([op as FilterOperator, dim as FilterDimension, values as string[]])
  }
  return out
}

/** The value of `?filters=`; null (no parameter) when there are none. */
export const filtersParam = (filters: readonly Filter[]): string | null => (filters.length ? JSON.stringify(filters) : null)

/** Adds a filter, replacing the one on the same dimension: clicking Google, then Bing, shows Bing. */
export const withFilter = (filters: readonly Filter[], f: Filter): Filter[] => [...filters.filter((x) => x[1] !== f[1]), f]

export const withoutFilter = (filters: readonly Filter[], dim: FilterDimension): Filter[] => filters.filter((x) => x[1] !== dim)

/** `site=&from=&to=&filters=` of the view, for the stats routes and the companies list. */
export function statsQuery(s: Pick<ViewState, 'site' | 'from' | 'to' | 'filters'>, range: { from: string; to: string } = s): URLSearchParams {
  const q = new URLSearchParams({ site: s.site, from: range.from, to: range.to })
  const f = filtersParam(s.filters)
  if (f) q.set('filters', f)
  return q
}

/** The view in the URL; `timezones` (of GET /api/sites) puts "today" in the site's time zone. */
export function readState(timezones?: Record<string, string>): ViewState {
  const q = new URLSearchParams(location.search)
  const site = q.get('site') ?? ''
  const period = (q.get('period') as Period | null) ?? '30d'
  const r = rangeOf(period, q.get('from') ?? '', q.get('to') ?? '', timezones?.[site])
  return {
    path: location.pathname,
    site,
    period,
    from: r.from,
    to: r.to,
    compare: q.get('compare') !== '0',
    filters: parseFilters(q.get('filters')),
    query: q,
  }
}

/** The URL of this view with some parameters changed (null or '' removes one). */
export function hrefWith(path: string | null, params: Record<string, string | null> = {}): string {
  const q = new URLSearchParams(location.search)
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === '') q.delete(k)
    else q.set(k, v)
  }
  const qs = q.toString()
  return `${path ?? location.pathname}${qs ? `?${qs}` : ''}`
}

/** Changes the URL (keeping the other parameters) and tells the app to re-render. */
export function navigate(path: string | null, params: Record<string, string | null> = {}): void {
  history.pushState(null, '', hrefWith(path, params))
  dispatchEvent(new PopStateEvent('popstate'))
}

/** Shows the view with these filters. */
export const setFilters = (filters: readonly Filter[]) => navigate(null, { filters: filtersParam(filters) })
