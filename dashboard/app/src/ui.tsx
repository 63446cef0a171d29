// Small shared pieces: data loading, formatting, ranked lists with CSV export.
// Every dynamic text is rendered as a text node: titles, URLs and company names
// come from the internet and are never HTML here.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { Filter } from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { download, toCsv } from './csv.ts'
import { type Key, number } from './i18n.ts'
import { filtersParam, hrefWith, setFilters, withFilter } from './state.ts'

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

/** A count in the chosen language's format. */
export const fmt = (n: number) => number(n)

/** A visit duration: 45 s, 3 min 5 s, 1 h 2 min (units as the language abbreviates them). */
export function duration(s: number): string {
  const unit = (v: number, u: 'second' | 'minute' | 'hour') => number(v, { style: 'unit', unit: u, unitDisplay: 'narrow' })
  if (s < 60) return unit(Math.round(s), 'second')
  const m = Math.floor(s / 60)
  return m < 60 ? `${unit(m, 'minute')} ${unit(Math.round(s % 60), 'second')}` : `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}`
}

/**
 * The change against the previous period: +12%, −3%. Against nothing (an empty previous
 * period) there is no percentage: "new" when something happened now, nothing when neither did.
 */
export function change(now: number, before: number, t: T): string {
  if (before === 0) return now === 0 ? '' : t('new')
  return number((now - before) / before, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 0 })
}

/**
 * A form's submit handler: posts what `build` makes of its fields to `path`, then empties
 * the form and calls `after`; a refusal's message goes to `setMsg` (the API names the field).
 */
export const formSubmit =
  (setMsg: (m: string) => void) =>
  (path: string, build: (f: FormData) => unknown, after: () => void) =>
  (e: Event): void => {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    api(path, { json: build(new FormData(form)) }).then(
      () => {
        form.reset()
        setMsg('')
        after()
      },
      (err: Error) => setMsg(err.message),
    )
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

/** A figure column of a ranked list. */
export interface Column<R> {
  label: string
  value: (r: R) => number
  /** Default: a count. */
  show?: (v: number) => string
}

/**
 * A ranked list with column headers, the first column drawn as a bar, and CSV export.
 * With `filterOf`, each row is a link that filters the whole view by it (same dimension:
 * replaced, another dimension: added).
 */
export function RankedList<R extends { name: string }>(props: {
  title: ComponentChildren
  /** data-testid list-<file>, and the CSV's file name. */
  file: string
  rows: R[] | null
  loading: boolean
  error: string | null
  t: T
  nameLabel: string
  columns: Array<Column<R>>
  label?: (r: R) => string
  filters?: readonly Filter[]
  filterOf?: (r: R) => Filter | null
  tabs?: ComponentChildren
  empty?: ComponentChildren
}) {
  const { t, columns } = props
  const rows = props.rows ?? []
  const bar = columns[0]?.value ?? (() => 0)
  const max = Math.max(1, ...rows.map(bar))
  const filterOf = (r: R) => {
    const f = props.filterOf?.(r)
    return f?.[2].every((v) => v !== '') ? withFilter(props.filters ?? [], f) : null
  }
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
          {t('export')}
        </button>
      </header>
      {props.tabs}
      <Status loading={props.loading && !props.rows} error={props.error} t={t} />
      {rows.length === 0 && !props.loading && !props.error ? (props.empty ?? <p class="muted">{t('nothing')}</p>) : null}
      {rows.length > 0 ? (
        <div class="cols">
          <span class="label">{props.nameLabel}</span>
          {columns.map((c) => (
            <span class="num" key={c.label}>
              {c.label}
            </span>
          ))}
        </div>
      ) : null}
      <ol>
        {rows.slice(0, 10).map((r) => {
          const text = props.label?.(r) ?? r.name
          const next = filterOf(r)
          return (
            <li key={r.name}>
              <span class="bar" style={{ width: `${(bar(r) / max) * 100}%` }} />
              {next ? (
                <a
                  class="label"
                  href={hrefWith(null, { filters: filtersParam(next) })}
                  title={`${t('filterBy')}: ${text}`}
                  onClick={(e) => {
                    e.preventDefault()
                    setFilters(next)
                  }}
                >
                  {text}
                </a>
              ) : (
                <span class="label" title={text}>
                  {text}
                </span>
              )}
              {columns.map((c) => (
                <span class="num" key={c.label} title={c.label}>
                  {(c.show ?? fmt)(c.value(r))}
                </span>
              ))}
            </li>
          )
        })}
      </ol>
    </section>
  )
}
