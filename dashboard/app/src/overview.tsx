// Overview: the five figures with their change, the chart, realtime visitors and the ranked
// lists; for admins, what was dropped.
import { useEffect, useState } from 'preact/hooks'
import type {
  Breakdown,
  DroppedReason,
  DroppedStats,
  EntryPages,
  RangeSummary,
  Realtime as RealtimeVisitors,
  Summary,
  Timeseries,
  UtmBreakdown,
} from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { Chart } from './chart.tsx'
import type { Counted } from './i18n.ts'
import { previousRange, type ViewState } from './state.ts'
import { change, duration, fmt, RankedList, Status, type T, useApi } from './ui.tsx'

const FIGURES: Array<keyof Summary> = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration']
const LISTS = ['pages', 'entry-pages', 'referrers', 'utm', 'browsers', 'os', 'devices', 'countries'] as const

function show(key: keyof Summary, v: number): string {
  if (key === 'bounce_rate') return `${v}%`
  if (key === 'visit_duration') return duration(v)
  return fmt(v)
}

function List(props: { s: ViewState; report: (typeof LISTS)[number]; t: T; qs: string }) {
  const r = useApi<Breakdown | EntryPages | UtmBreakdown>(`/api/stats/${props.report}?${props.qs}`)
  // Pages are ranked by page views (see dashboard/stats.ts), every other list by visitors.
  const metric = props.report === 'pages' ? 'pageviews' : 'visitors'
  return (
    <RankedList
      title={props.t(props.report)}
      rows={r.data?.results ?? null}
      t={props.t}
      file={props.report}
      loading={r.loading}
      error={r.error}
      metric={metric}
    />
  )
}

function Realtime(props: { site: string; t: T }) {
  const [n, setN] = useState<number | null>(null)
  useEffect(() => {
    let live = true
    const load = () =>
      api<RealtimeVisitors>(`/api/stats/realtime?site=${encodeURIComponent(props.site)}`).then(
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
  }, [props.site])
  return (
    <p class="realtime" data-testid="realtime">
      <span class="dot" /> <strong>{n === null ? '…' : fmt(n)}</strong> {props.t('realtime')}
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

export function Overview(props: { s: ViewState; t: T; n: Counted; admin: boolean; demoSite: string | null; snippet: string | null }) {
  const { s, t } = props
  const qs = `site=${encodeURIComponent(s.site)}&from=${s.from}&to=${s.to}`
  const prev = previousRange(s.from, s.to)
  const now = useApi<RangeSummary>(`/api/stats/summary?${qs}`)
  const before = useApi<RangeSummary>(s.compare ? `/api/stats/summary?site=${encodeURIComponent(s.site)}&from=${prev.from}&to=${prev.to}` : null)
  const series = useApi<Timeseries>(`/api/stats/timeseries?${qs}`)
  // Admins only (the API refuses viewers): how the collector judged the traffic.
  const dropped = useApi<DroppedStats>(props.admin ? `/api/stats/dropped?${qs}` : null)
  const empty = now.data !== null && now.data.pageviews === 0
  // Everything that arrived was dropped: that, not a missing snippet, is why the figures are empty.
  const allDropped = empty && (dropped.data?.total ?? 0) > 0
  return (
    <div>
      <Realtime site={s.site} t={t} />
      <section class="figures" data-testid="figures">
        {FIGURES.map((k) => (
          <div class="figure" key={k} data-testid={`figure-${k}`}>
            <span class="muted">{t(k)}</span>
            <strong data-value={now.data ? String(now.data[k]) : ''}>{now.data ? show(k, now.data[k]) : '…'}</strong>
            {s.compare && now.data && before.data ? (
              <span class="change" title={t('vsPrevious')}>
                {change(now.data[k], before.data[k])}
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
        <h3>{t('chartTitle')}</h3>
        {series.data ? (
          <Chart points={series.data.results} labels={[t('visitors'), t('pageviews')]} />
        ) : (
          <Status loading={series.loading} error={series.error} t={t} />
        )}
      </section>
      <div class="grid">
        {LISTS.map((l) => (
          <List key={l} s={s} report={l} t={t} qs={qs} />
        ))}
      </div>
    </div>
  )
}
