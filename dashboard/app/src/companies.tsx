// The Leadinfo-style inbox: recognised companies with filters, search, sort and CSV
// export, and a company page with its profile and visit timeline.
import { useState } from 'preact/hooks'
import type { CompanyList, CompanyProfile } from '../../../lib/api-types.ts'
import { download, toCsv } from './csv.ts'
import { FilterChips } from './filters.tsx'
import { countryName } from './i18n.ts'
import { filtersParam, navigate, type ViewState } from './state.ts'
import { duration, fmt, Status, type T, useApi } from './ui.tsx'

const FILTERS = ['q', 'country', 'industry', 'size', 'network_type', 'page', 'min_visits', 'sort'] as const
const CSV_COLUMNS = [
  'name',
  'domain',
  'city',
  'country',
  'industry',
  'employee_range',
  'network_type',
  'visits',
  'pageviews',
  'visitors',
  'duration',
  'last_visit',
  'lead_score',
  'pages',
]

export function Companies(props: { s: ViewState; t: T }) {
  const { s, t } = props
  // The inbox and its CSV hold up to 1,000 companies (the API's maximum per request).
  const params = new URLSearchParams({ site: s.site, from: s.from, to: s.to, limit: '1000' })
  for (const f of FILTERS) {
    const v = s.query.get(f)
    if (v) params.set(f, v)
  }
  // The overview's filters (source, pages, country …) narrow the inbox to the companies of the matching visits.
  const filters = filtersParam(s.filters)
  if (filters) params.set('filters', filters)
  const list = useApi<CompanyList>(`/api/companies?${params}`)
  const set = (k: string) => (e: Event) => navigate(null, { [k]: (e.target as HTMLInputElement).value })
  const rows = list.data?.results ?? []
  return (
    <div>
      <FilterChips filters={s.filters} t={t} />
      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <input type="search" placeholder={t('search')} value={s.query.get('q') ?? ''} onChange={set('q')} aria-label={t('search')} />
        <input placeholder={t('country')} value={s.query.get('country') ?? ''} onChange={set('country')} maxLength={2} size={4} aria-label={t('country')} />
        <input placeholder={t('industry')} value={s.query.get('industry') ?? ''} onChange={set('industry')} aria-label={t('industry')} />
        <input placeholder={t('employees')} value={s.query.get('size') ?? ''} onChange={set('size')} size={8} aria-label={t('employees')} />
        <select value={s.query.get('network_type') ?? ''} onChange={set('network_type')} aria-label={t('networkType')}>
          <option value="">{t('networkType')}</option>
          <option value="business">business</option>
          <option value="education">education</option>
          <option value="government">government</option>
        </select>
        <input placeholder={t('pageVisited')} value={s.query.get('page') ?? ''} onChange={set('page')} aria-label={t('pageVisited')} />
        <input
          type="number"
          min={0}
          placeholder={t('minVisits')}
          value={s.query.get('min_visits') ?? ''}
          onChange={set('min_visits')}
          aria-label={t('minVisits')}
        />
        <select value={s.query.get('sort') ?? 'last_visit'} onChange={set('sort')} aria-label={t('sort')}>
          <option value="last_visit">{t('lastVisit')}</option>
          <option value="lead_score">{t('leadScore')}</option>
          <option value="visits">{t('visits')}</option>
          <option value="pageviews">{t('pageviews')}</option>
          <option value="name">{t('name')}</option>
        </select>
        <button
          type="button"
          disabled={rows.length === 0}
          onClick={() => download('companies.csv', toCsv(rows as unknown as Array<Record<string, unknown>>, CSV_COLUMNS))}
          data-testid="companies-csv"
        >
          {t('export')}
        </button>
      </form>
      <Status loading={list.loading && !list.data} error={list.error} t={t} />
      {list.data && rows.length === 0 ? <p class="card empty">{t('noCompanies')}</p> : null}
      {rows.length > 0 ? (
        <table class="card companies" data-testid="companies">
          <thead>
            <tr>
              <th>{t('company')}</th>
              <th>{t('location')}</th>
              <th>{t('industry')}</th>
              <th>{t('employees')}</th>
              <th class="num">{t('visits')}</th>
              <th class="num">{t('pageviews')}</th>
              <th>{t('lastVisit')}</th>
              <th class="num">{t('leadScore')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <a
                    href={`/companies/${c.id}?${new URLSearchParams({ site: s.site, period: s.period, from: s.from, to: s.to })}`}
                    onClick={(e) => (e.preventDefault(), navigate(`/companies/${c.id}`))}
                  >
                    {c.name}
                  </a>
                  <div class="muted">{c.domain}</div>
                </td>
                <td>{[c.city, c.country && countryName(c.country)].filter(Boolean).join(', ')}</td>
                <td>{c.industry}</td>
                <td>{c.employee_range}</td>
                <td class="num">{fmt(c.visits)}</td>
                <td class="num">{fmt(c.pageviews)}</td>
                <td>{c.last_visit.slice(0, 16)}</td>
                <td class="num">
                  <span class="score">{c.lead_score}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

export function CompanyPage(props: { s: ViewState; t: T; id: string }) {
  const { s, t } = props
  const p = useApi<CompanyProfile>(`/api/companies/${encodeURIComponent(props.id)}?site=${encodeURIComponent(s.site)}&from=${s.from}&to=${s.to}`)
  const [showEvidence, setShowEvidence] = useState(false)
  const c = p.data?.company
  const field = (label: string, v: unknown) =>
    v ? (
      <div>
        <dt>{label}</dt>
        <dd>{String(v)}</dd>
      </div>
    ) : null
  return (
    <div>
      <p>
        <a href="/companies" onClick={(e) => (e.preventDefault(), navigate('/companies'))}>
          ← {t('back')}
        </a>
      </p>
      <Status loading={p.loading} error={p.error} t={t} />
      {c ? (
        <>
          <section class="card">
            <h2 data-testid="company-name">{String(c.name)}</h2>
            <dl class="profile">
              {field(t('domain'), c.domain)}
              {field(t('address'), [c.address, c.postcode, c.city].filter(Boolean).join(', '))}
              {field(t('country'), c.country)}
              {field(t('industry'), c.industry)}
              {field(t('employees'), c.employee_range)}
              {field(t('phone'), c.phone)}
              {field(t('website'), c.website)}
              {field(t('registration'), c.registration_number)}
              {field(t('networkType'), c.network_type)}
            </dl>
            <button type="button" class="link" onClick={() => setShowEvidence(!showEvidence)}>
              {t('evidence')}
            </button>
            {showEvidence && Array.isArray(c.evidence) ? (
              <ul class="evidence">
                {c.evidence.map((e, i) => (
                  <li key={i}>
                    <strong>{e.source}</strong>: {e.says}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section class="card">
            <h3>{t('timeline')}</h3>
            <ol class="timeline" data-testid="timeline">
              {p.data!.timeline.map((v, i) => (
                <li key={i}>
                  <div class="muted">
                    {v.started.slice(0, 16)} · {duration((Date.parse(v.ended.replace(' ', 'T')) - Date.parse(v.started.replace(' ', 'T'))) / 1000)}
                  </div>
                  <ul>
                    {v.pages.map((pg, j) => (
                      <li key={j}>
                        <span class="muted">{pg.ts.slice(11, 19)}</span> <span class="path">{pg.path}</span> <span class="title">{pg.title}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </div>
  )
}
