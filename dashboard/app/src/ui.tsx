// Small shared pieces: data loading, formatting, ranked lists with CSV export.
// Every dynamic text is rendered as a text node: titles, URLs and company names
// come from the internet and are never HTML here.
import { useEffect, useState } from 'preact/hooks'
import type { BreakdownRow, EntryPageRow } from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { download, toCsv } from './csv.ts'
import type { Key } from './i18n.ts'

export type T = (key: Key) => string

export function useApi<R>(path: string | null): { data: R | null; error: string | null; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: R | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true })
  const [n, setN] = useState(0)
  useEffect(() => {
    if (!path) return
    let live = true
    setState((s) => ({ ...s, loading: true, error: null }))
    api<R>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: Error) => live && setState({ data: null, error: err.message, loading: false }),
    )
    return () => {
      live = false
    }
  }, [path, n])
  return { ...state, reload: () => setN((x) => x + 1) }
}

export const fmt = (n: number) => new Intl.NumberFormat().format(n)

export function duration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h ${m % 60}m`
}

export function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? '0%' : '+∞'
  const pct = Math.round(((now - before) / before) * 100)
  return `${pct > 0 ? '+' : ''}${pct}%`
}

export function Status(props: { loading: boolean; error: string | null; t: T }) {
  if (props.error)
    return (
      <p class="error" role="alert">
        {props.error}
      </p>
    )
  if (props.loading) return <p class="muted">{props.t('loading')}</p>
  return null
}

/** A row of a ranked list: of GET /api/stats/{pages,referrers,...,utm} or of /api/stats/entry-pages. */
export type RankedRow = BreakdownRow | EntryPageRow

/** `metric` is the figure the list is ranked by and shows: visitors, or page views for pages. */
export function RankedList(props: {
  title: string
  rows: RankedRow[] | null
  t: T
  file: string
  loading: boolean
  error: string | null
  metric?: 'visitors' | 'pageviews'
}) {
  const rows = props.rows ?? []
  const metric = props.metric ?? 'visitors'
  // Entry pages carry no page views.
  const value = (r: RankedRow) => (metric === 'visitors' ? r.visitors : 'pageviews' in r ? r.pageviews : 0)
  const max = Math.max(1, ...rows.map(value))
  return (
    <section class="card ranked" data-testid={`list-${props.file}`}>
      <header>
        <h3>{props.title}</h3>
        <button
          type="button"
          class="link"
          disabled={rows.length === 0}
          onClick={() =>
            download(`${props.file}.csv`, toCsv(rows as unknown as Array<Record<string, unknown>>, Object.keys(rows[0] ?? { name: '', visitors: 0 })))
          }
        >
          {props.t('export')}
        </button>
      </header>
      <Status loading={props.loading && !props.rows} error={props.error} t={props.t} />
      {rows.length === 0 && !props.loading && !props.error ? <p class="muted">{props.t('nothing')}</p> : null}
      <ol>
        {rows.slice(0, 10).map((r) => (
          <li key={r.name}>
            <span class="bar" style={{ width: `${(value(r) / max) * 100}%` }} />
            <span class="label" title={r.name}>
              {r.name}
            </span>
            <span class="num" title={props.t(metric)}>
              {fmt(value(r))}
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}
