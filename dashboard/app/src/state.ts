// The view's state lives in the URL (path + query), so a view can be shared and reloaded.
export type Period = 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'custom'

export interface ViewState {
  path: string
  site: string
  period: Period
  from: string
  to: string
  compare: boolean
  query: URLSearchParams
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const addDays = (s: string, n: number) => day(new Date(Date.parse(`${s}T00:00:00Z`) + n * 86_400_000))

export function rangeOf(period: Period, from: string, to: string): { from: string; to: string } {
  const today = day(new Date())
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

/** The period just before [from, to], of the same length. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1
  return { from: addDays(from, -days), to: addDays(from, -1) }
}

export function readState(): ViewState {
  const q = new URLSearchParams(location.search)
  const period = (q.get('period') as Period | null) ?? '30d'
  const r = rangeOf(period, q.get('from') ?? '', q.get('to') ?? '')
  return { path: location.pathname, site: q.get('site') ?? '', period, from: r.from, to: r.to, compare: q.get('compare') !== '0', query: q }
}

/** Changes the URL (keeping the other parameters) and tells the app to re-render. */
export function navigate(path: string | null, params: Record<string, string | null> = {}): void {
  const q = new URLSearchParams(location.search)
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === '') q.delete(k)
    else q.set(k, v)
  }
  const qs = q.toString()
  history.pushState(null, '', `${path ?? location.pathname}${qs ? `?${qs}` : ''}`)
  dispatchEvent(new PopStateEvent('popstate'))
}
