// Overview: the filters, the five figures with their change, the chart, realtime visitors
// and the ranked lists (each row filters the view); for admins, what was dropped.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import {
  type BreakdownRow,
  DIRECT_NONE,
  type DroppedReason,
  type DroppedStats,
  type EntryPageRow,
  type ExitPageRow,
  type Filter,
  type FilterDimension,
  type GoalRow,
  type GoalStats,
  type RangeSummary,
  type Realtime as RealtimeVisitors,
  type StatsResults,
  type Summary,
  type Timeseries,
} from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { Chart } from './chart.tsx'
import { FilterChips, goalFilter, valueLabel } from './filters.tsx'
import { type Counted, countryName, type Lang, percent } from './i18n.ts'
import { intervalOf, navigate, previousRange, statsQuery, type ViewState } from './state.ts'
import { change, type Column, duration, fmt, RankedList, Status, type T, useApi } from './ui.tsx'

const FIGURES: Array<keyof Summary> = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration']

function show(key: keyof Summary, v: number): string {
  if (key === 'bounce_rate') return percent(v)
  if (key === 'visit_duration') return duration(v)
  return fmt(v)
}

/** What every list needs to know of the view. */
interface Ctx {
  s: ViewState
  t: T
  /** site=&from=&to=&filters= */
  qs: string
}

/**
 * One ranked list of GET /api/stats/<report>; `dim` is the filter a click on a row sets.
 * Exit pages, entry pages and goals have rows of their own shapes.
 */
function Report<R extends { name: string }>(props: {
  c: Ctx
  report: string
  file?: string
  title: string
  dim?: FilterDimension
  filterOf?: (r: R) => Filter | null
  nameLabel: string
  columns: Array<Column<R>>
  label?: (r: R) => string
  tabs?: ComponentChildren
  empty?: ComponentChildren
  extra?: string
}) {
  const { c } = props
  const r = useApi<StatsResults<R>>(`/api/stats/${props.report}?${c.qs}${props.extra ?? ''}`)
  const dim = props.dim
  return (
    <RankedList<R>
      title={props.title}
      file={props.file ?? props.report}
      rows={r.data?.results ?? null}
      loading={r.loading}
      error={r.error}
      t={c.t}
      nameLabel={props.nameLabel}
      columns={props.columns}
      label={props.label ?? (dim ? (row) => valueLabel(dim, row.name, c.t) : undefined)}
      filters={c.s.filters}
      filterOf={props.filterOf ?? (dim ? (row) => ['is', dim, [row.name]] : undefined)}
      tabs={props.tabs}
      empty={props.empty}
    />
  )
}

const UTM = ['source', 'medium', 'campaign', 'content', 'term'] as const
type UtmBy = (typeof UTM)[number]

function UtmCard(props: { c: Ctx; visitors: Column<BreakdownRow> }) {
  const { c } = props
  // Campaigns first: the tab people open a UTM report for.
  const [by, setBy] = useState<UtmBy>('campaign')
  const tabs = (
    <div class="tabs" role="tablist">
      {UTM.map((b) => (
        <button type="button" role="tab" aria-selected={b === by} class={b === by ? 'link active' : 'link'} key={b} onClick={() => setBy(b)}>
          {c.t(`utm_tab_${b}`)}
        </button>
      ))}
    </div>
  )
  return (
    <Report<BreakdownRow>
      c={c}
      report="utm"
      extra={`&by=${by}`}
      title={c.t('utm')}
      dim={`utm_${by}`}
      nameLabel={c.t(`dim_utm_${by}`)}
      columns={[props.visitors]}
      tabs={tabs}
    />
  )
}

function GoalsCard(props: { c: Ctx; admin: boolean }) {
  const { c } = props
  const { t } = c
  const empty = (
    <div class="muted" data-testid="goals-empty">
      <p>{t('noGoals')}</p>
      {props.admin ? (
        <p>
          <a href="/settings" onClick={(e) => (e.preventDefault(), navigate('/settings'))}>
            {t('setUpGoals')}
          </a>
        </p>
      ) : (
        <p>{t('goalsByAdmin')}</p>
      )}
    </div>
  )
  const r = useApi<GoalStats>(`/api/stats/goals?${c.qs}`)
  return (
    <RankedList<GoalRow>
      title={t('goals')}
      file="goals"
      rows={r.data?.results ?? null}
      loading={r.loading}
      error={r.error}
      t={t}
      nameLabel={t('goal')}
      columns={[
        { label: t('unique_conversions'), value: (g) => g.unique_conversions },
        { label: t('total_conversions'), value: (g) => g.total_conversions },
        { label: t('conversion_rate'), value: (g) => g.conversion_rate, show: percent },
      ]}
      label={(g) => (g.kind === 'event' ? g.match : `${t('goalVisit')} ${g.match}`)}
      filters={c.s.filters}
      filterOf={goalFilter}
      empty={empty}
    />
  )
}

function Realtime(props: { s: ViewState; n: Counted }) {
  const [n, setN] = useState<number | null>(null)
  // Visitors of the last 5 minutes: the site and the filters, no range.
  const q = new URLSearchParams({ site: props.s.site })
  if (props.s.filters.length) q.set('filters', JSON.stringify(props.s.filters))
  const qs = q.toString()
  useEffect(() => {
    let live = true
    setN(null)
    const load = () =>
      api<RealtimeVisitors>(`/api/stats/realtime?${qs}`).then(
        (r) => live && setN(r.visitors),
        () => {},
      )
    void load()
    // Every 30 s: "visitors in the last 5 minutes" does not need more.
    const timer = setInterval(load, 30_000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [qs])
  return (
    <p class="realtime" data-testid="realtime" data-value={n ?? ''}>
      <span class="dot" /> {n === null ? '…' : props.n('realtime', n)}
    </p>
  )
}

/**
 * "Not counted: 12 bots, 3 with Do Not Track …", largest first. When nothing was stored,
 * why, after the largest reason: a test with curl or a headless browser is otherwise a
 * silent dead end (the collector answers a dropped event like a stored one).
 */
function Dropped(props: { d: DroppedStats; nothingStored: boolean; t: T; n: Counted }) {
  const { d, t, n } = props
  const reasons = (Object.keys(d.reasons) as DroppedReason[]).filter((r) => d.reasons[r] > 0).sort((a, b) => d.reasons[b] - d.reasons[a])
  const top = reasons[0]
  if (top === undefined) return null
  return (
    <section class={`card dropped${props.nothingStored ? ' empty' : ''}`} data-testid="dropped" title={t('droppedTitle')}>
      <p>
        <strong>{t('notCounted')}</strong> {reasons.map((r) => n(`drop_${r}`, d.reasons[r])).join(', ')}
      </p>
      {props.nothingStored ? (
        <p class="hint" data-testid="dropped-hint">
          {n('allDropped', d.total)} {t(`why_${top}`)}
        </p>
      ) : null}
    </section>
  )
}

export function Overview(props: { s: ViewState; t: T; n: Counted; lang: Lang; admin: boolean; demoSite: string | null; snippet: string | null }) {
  const { s, t } = props
  const qs = statsQuery(s).toString()
  const c: Ctx = { s, t, qs }
  const interval = intervalOf(s.from, s.to)
  const now = useApi<RangeSummary>(`/api/stats/summary?${qs}`)
  const before = useApi<RangeSummary>(s.compare ? `/api/stats/summary?${statsQuery(s, previousRange(s.from, s.to))}` : null)
  const series = useApi<Timeseries>(`/api/stats/timeseries?${qs}&interval=${interval}`)
  // Admins only (the API refuses viewers): how the collector judged the traffic, not filtered.
  const dropped = useApi<DroppedStats>(props.admin ? `/api/stats/dropped?${statsQuery({ ...s, filters: [] })}` : null)
  const empty = now.data !== null && now.data.pageviews === 0 && s.filters.length === 0
  // Everything that arrived was dropped: that, not a missing snippet, is why the figures are empty.
  const allDropped = empty && (dropped.data?.total ?? 0) > 0
  const visitors: Column<{ visitors: number }> = { label: t('col_visitors'), value: (r) => r.visitors }
  const source = s.filters.find((f) => f[1] === 'source' && f[0] === 'is' && f[2].length === 1)?.[2][0]
  return (
    <div>
      <Realtime s={s} n={props.n} />
      <FilterChips filters={s.filters} t={t} />
      <section class="figures" data-testid="figures">
        {FIGURES.map((k) => (
          <div class="figure" key={k} data-testid={`figure-${k}`}>
            <span class="muted">{t(k)}</span>
            <strong data-value={now.data ? String(now.data[k]) : ''}>{now.data ? show(k, now.data[k]) : '…'}</strong>
            {s.compare && now.data && before.data ? (
              <span class="change" title={t('vsPrevious')}>
                {change(now.data[k], before.data[k], t)}
              </span>
            ) : null}
          </div>
        ))}
      </section>
      <Status loading={now.loading && !now.data} error={now.error} t={t} />
      {props.admin && dropped.data ? <Dropped d={dropped.data} nothingStored={allDropped} t={t} n={props.n} /> : null}
      {empty && !allDropped ? (
        <div class="card empty" data-testid="empty">
          <p>{s.site === props.demoSite ? t('noDataDemo') : t('noData')}</p>
          {s.site === props.demoSite ? (
            <p>
              <a href="/demo" target="_blank" rel="noopener">
                {t('openDemo')}
              </a>
            </p>
          ) : props.snippet ? (
            <pre class="snippet">{props.snippet}</pre>
          ) : null}
        </div>
      ) : null}
      <section class="card">
        <h3>{t(`chart_${series.data?.interval ?? interval}`)}</h3>
        {series.data ? (
          <Chart points={series.data.results} interval={series.data.interval} labels={[t('when'), t('visitors'), t('pageviews')]} lang={props.lang} />
        ) : (
          <Status loading={series.loading} error={series.error} t={t} />
        )}
      </section>
      <div class="grid">
        <Report<BreakdownRow> c={c} report="sources" title={t('sources')} dim="source" nameLabel={t('dim_source')} columns={[visitors]} />
        <Report<BreakdownRow>
          c={c}
          report="referrers"
          title={source ? `${t('referrers')}: ${source === DIRECT_NONE ? t('directNone') : source}` : t('referrers')}
          dim="referrer"
          nameLabel={t('dim_referrer')}
          columns={[visitors]}
        />
        <Report<BreakdownRow>
          c={c}
          report="pages"
          title={t('pages')}
          dim="page"
          nameLabel={t('dim_page')}
          columns={[visitors, { label: t('col_pageviews'), value: (r) => r.pageviews }]}
        />
        <UtmCard c={c} visitors={visitors} />
        <Report<EntryPageRow>
          c={c}
          report="entry-pages"
          title={t('entry-pages')}
          dim="entry_page"
          nameLabel={t('dim_entry_page')}
          columns={[visitors, { label: t('col_bounce_rate'), value: (r) => r.bounce_rate, show: percent }]}
        />
        <Report<ExitPageRow>
          c={c}
          report="exit-pages"
          title={t('exit-pages')}
          dim="exit_page"
          nameLabel={t('dim_exit_page')}
          columns={[
            { label: t('exits'), value: (r) => r.exits },
            { label: t('exit_rate'), value: (r) => r.exit_rate, show: percent },
          ]}
        />
        <Report<BreakdownRow>
          c={c}
          report="countries"
          title={t('countries')}
          dim="country"
          nameLabel={t('dim_country')}
          columns={[visitors]}
          label={(r) => countryName(r.name)}
        />
        <Report<BreakdownRow> c={c} report="devices" title={t('devices')} dim="device" nameLabel={t('dim_device')} columns={[visitors]} />
        <Report<BreakdownRow> c={c} report="browsers" title={t('browsers')} dim="browser" nameLabel={t('dim_browser')} columns={[visitors]} />
        <Report<BreakdownRow> c={c} report="os" title={t('os')} dim="os" nameLabel={t('dim_os')} columns={[visitors]} />
        <GoalsCard c={c} admin={props.admin} />
        <Report<BreakdownRow>
          c={c}
          report="events"
          title={t('events')}
          dim="event"
          nameLabel={t('dim_event')}
          columns={[visitors, { label: t('total_events'), value: (r) => r.events ?? 0 }]}
        />
      </div>
    </div>
  )
}
