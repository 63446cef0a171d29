// The Leadinfo-style inbox: recognised companies with filters, search, sort, CSV
// export and bulk actions (status, owner, tags), and a company page with its profile,
// its inbox state and notes, and the visit timeline in the site's time zone.
import { useState } from 'preact/hooks'
import {
  type CompanyList,
  type CompanyNote,
  type CompanyNoteList,
  type CompanyProfile,
  type CompanyRow,
  INBOX_STATUS_VALUES,
  type InboxState,
  type InboxStatus,
  type OwnerList,
} from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { download, toCsv } from './csv.ts'
import { FilterChips } from './filters.tsx'
import { type Counted, countryName, number } from './i18n.ts'
import { filtersParam, navigate, type ViewState } from './state.ts'
import { duration, fmt, Status, type T, useApi } from './ui.tsx'

const FILTERS = ['q', 'country', 'industry', 'size', 'network_type', 'page', 'min_visits', 'sort', 'status', 'owner', 'tag'] as const
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
  'status',
  'owner',
  'tags',
  'latest_source',
  'pages',
]

const statusLabel = (st: InboxStatus, t: T) => t(`status_${st}`)

/** "Pages seen: 12 of 40 · Visits: 6 of 30 · …": how the lead score was made, for the bar's hover. */
function scoreTitle(c: Pick<CompanyRow, 'lead_score_parts'>, t: T): string {
  const p = c.lead_score_parts
  const n = (v: number) => number(v, { maximumFractionDigits: 1 })
  return t('scoreParts').replace('{pages}', n(p.pages)).replace('{visits}', n(p.visits)).replace('{duration}', n(p.duration))
}

/** Tags as typed in one field: "hot, pricing" → ['hot', 'pricing']. */
const splitTags = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

function StatusSelect(props: { value: string; onChange: (v: string) => void; t: T; label: string; first?: [string, string] }) {
  return (
    <select value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)} aria-label={props.label}>
      {props.first ? <option value={props.first[0]}>{props.first[1]}</option> : null}
      {INBOX_STATUS_VALUES.map((st) => (
        <option key={st} value={st}>
          {statusLabel(st, props.t)}
        </option>
      ))}
    </select>
  )
}

function OwnerSelect(props: { value: string; onChange: (v: string) => void; owners: string[]; label: string; options: Array<[string, string]> }) {
  return (
    <select value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)} aria-label={props.label}>
      {props.options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
      {props.owners.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  )
}

/** Bulk actions on the selected rows: set status, assign, add a tag. */
function BulkBar(props: { site: string; ids: string[]; owners: string[]; t: T; n: Counted; onDone: () => void }) {
  const { t } = props
  const [tag, setTag] = useState('')
  const [error, setError] = useState('')
  const run = (body: Record<string, unknown>) =>
    api(`/api/companies/bulk?site=${encodeURIComponent(props.site)}`, { json: { ids: props.ids, ...body } }).then(
      () => (setError(''), setTag(''), props.onDone()),
      (e: Error) => setError(e.message),
    )
  return (
    <div class="card bulk" data-testid="bulk">
      <strong>{props.n('selected', props.ids.length)}</strong>
      <StatusSelect value="" label={t('setStatus')} t={t} first={['', t('setStatus')]} onChange={(v) => v && run({ status: v })} />
      <OwnerSelect
        value="-"
        label={t('assignTo')}
        owners={props.owners}
        options={[
          ['-', t('assignTo')],
          ['', t('unassigned')],
        ]}
        onChange={(v) => v !== '-' && run({ owner: v || null })}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (tag.trim()) run({ add_tags: [tag.trim()] })
        }}
      >
        <input value={tag} onInput={(e) => setTag((e.target as HTMLInputElement).value)} placeholder={t('tag')} maxLength={40} aria-label={t('addTag')} />
        <button type="submit">{t('addTag')}</button>
      </form>
      {error ? (
        <span class="error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  )
}

export function Companies(props: { s: ViewState; t: T; n: Counted }) {
  const { s, t } = props
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const owners = (useApi<OwnerList>('/api/companies/owners').data?.results ?? []).map((o) => o.email)
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
  const picked = rows.filter((r) => selected.has(r.id)).map((r) => r.id)
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelected(next)
  }
  const choose = (k: string) => (v: string) => navigate(null, { [k]: v })
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
        <StatusSelect value={s.query.get('status') ?? ''} onChange={choose('status')} t={t} label={t('status')} first={['', t('notIgnored')]} />
        <OwnerSelect
          value={s.query.get('owner') ?? ''}
          onChange={choose('owner')}
          owners={owners}
          label={t('owner')}
          options={[
            ['', t('anyOwner')],
            ['none', t('unassigned')],
          ]}
        />
        <input placeholder={t('tag')} value={s.query.get('tag') ?? ''} onChange={set('tag')} maxLength={40} size={10} aria-label={t('tag')} />
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
      {picked.length > 0 ? (
        <BulkBar site={s.site} ids={picked} owners={owners} t={t} n={props.n} onDone={() => (setSelected(new Set()), list.reload())} />
      ) : null}
      <Status loading={list.loading && !list.data} error={list.error} t={t} />
      {list.data && rows.length === 0 ? <p class="card empty">{t('noCompanies')}</p> : null}
      {rows.length > 0 ? (
        <table class="card companies" data-testid="companies">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label={t('selectAll')}
                  checked={picked.length === rows.length}
                  onChange={(e) => setSelected(new Set((e.target as HTMLInputElement).checked ? rows.map((r) => r.id) : []))}
                />{' '}
                {t('company')}
              </th>
              <th>{t('status')}</th>
              <th>{t('owner')}</th>
              <th>{t('location')}</th>
              <th class="num">{t('visits')}</th>
              <th>{t('lastVisit')}</th>
              <th>{t('latestSource')}</th>
              <th>{t('pages')}</th>
              <th>{t('leadScore')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid="company-row">
                <td>
                  {/* In the company's cell: the first cell's link is what a reader (and the browser tests) look for. */}
                  <input type="checkbox" aria-label={`${t('selectRow')} ${c.name}`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />{' '}
                  <a
                    href={`/companies/${c.id}?${new URLSearchParams({ site: s.site, period: s.period, from: s.from, to: s.to })}`}
                    onClick={(e) => (e.preventDefault(), navigate(`/companies/${c.id}`))}
                  >
                    {c.name}
                  </a>
                  <div class="muted">{c.domain}</div>
                  {c.tags.length ? (
                    <div class="tags">
                      {c.tags.map((tag) => (
                        <span class="tag" key={tag}>
                          {tag}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </td>
                <td>
                  <span class={`status status-${c.status}`}>{statusLabel(c.status, t)}</span>
                </td>
                <td>{c.owner ?? <span class="muted">{t('unassigned')}</span>}</td>
                <td>
                  {[c.city, c.country && countryName(c.country)].filter(Boolean).join(', ')}
                  <div class="muted">{[c.industry, c.employee_range].filter(Boolean).join(' · ')}</div>
                </td>
                <td class="num">{fmt(c.visits)}</td>
                <td>{c.last_visit.slice(0, 16)}</td>
                <td>{c.latest_source === null ? '' : c.latest_source || t('directNone')}</td>
                <td class="pages" title={c.pages.join('\n')}>
                  {c.pages.slice(0, 3).map((p) => (
                    <div class="path" key={p}>
                      {p}
                    </div>
                  ))}
                  {c.pages.length > 3 ? <div class="muted">+{fmt(c.pages.length - 3)}</div> : null}
                </td>
                <td>
                  <span class="scorebar" title={scoreTitle(c, t)} data-testid="score">
                    <span class="fill" style={{ width: `${c.lead_score}%` }} />
                    <span class="value">{c.lead_score}</span>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

/** The company's status, owner and tags on this site, each saved as it is changed. */
function InboxControls(props: { site: string; id: string; state: InboxState; t: T }) {
  const { t } = props
  const owners = (useApi<OwnerList>('/api/companies/owners').data?.results ?? []).map((o) => o.email)
  const [state, setState] = useState(props.state)
  const [tags, setTags] = useState(props.state.tags.join(', '))
  const [error, setError] = useState('')
  const save = (patch: Record<string, unknown>) =>
    api<InboxState>(`/api/companies/${props.id}?site=${encodeURIComponent(props.site)}`, { method: 'PATCH', json: patch }).then(
      (next) => (setState(next), setTags(next.tags.join(', ')), setError('')),
      (e: Error) => setError(e.message),
    )
  return (
    <section class="card inbox" data-testid="inbox">
      <span>
        {t('status')} <StatusSelect value={state.status} onChange={(v) => save({ status: v })} t={t} label={t('status')} />
      </span>
      <span>
        {t('owner')}{' '}
        <OwnerSelect
          value={state.owner ?? ''}
          onChange={(v) => save({ owner: v || null })}
          owners={state.owner && !owners.includes(state.owner) ? [state.owner, ...owners] : owners}
          label={t('owner')}
          options={[['', t('unassigned')]]}
        />
      </span>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save({ tags: splitTags(tags) })
        }}
      >
        <label>
          {t('tags')}{' '}
          <input value={tags} onInput={(e) => setTags((e.target as HTMLInputElement).value)} placeholder={t('tagsHint')} aria-label={t('tags')} size={30} />
        </label>{' '}
        <button type="submit">{t('save')}</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}

/** A UTC time of the API ('YYYY-MM-DD HH:MM:SS.mmm') as the wall-clock time of `zone`, 'YYYY-MM-DD HH:MM'. */
function inZone(utc: string, zone: string): string {
  const at = new Date(`${utc.replace(' ', 'T')}Z`)
  try {
    // Swedish writes dates as ISO does.
    return new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(at)
  } catch {
    return `${utc.slice(0, 16)} UTC`
  }
}

function Notes(props: { site: string; id: string; timezone: string; t: T }) {
  const { t } = props
  const path = `/api/companies/${props.id}/notes?site=${encodeURIComponent(props.site)}`
  const notes = useApi<CompanyNoteList>(path)
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  return (
    <section class="card notes" data-testid="notes">
      <h3>{t('notes')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          api<CompanyNote>(path, { json: { text } }).then(
            () => (setText(''), setError(''), notes.reload()),
            (err: Error) => setError(err.message),
          )
        }}
      >
        <textarea value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} rows={3} maxLength={5000} aria-label={t('addNote')} />
        <button type="submit" disabled={!text.trim()}>
          {t('addNote')}
        </button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <Status loading={notes.loading && !notes.data} error={notes.error} t={t} />
      {notes.data && notes.data.results.length === 0 ? <p class="muted">{t('noNotes')}</p> : null}
      <ul>
        {(notes.data?.results ?? []).map((n) => (
          <li key={n.id}>
            <div class="muted">
              {n.author} · {inZone(n.created_at, props.timezone)} ({props.timezone})
            </div>
            <div class="note">{n.text}</div>
          </li>
        ))}
      </ul>
    </section>
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
          <InboxControls key={`${s.site}/${c.id}`} site={s.site} id={c.id} state={p.data!.inbox} t={t} />
          <Notes key={`notes-${s.site}/${c.id}`} site={s.site} id={c.id} timezone={p.data!.timezone} t={t} />
          <section class="card">
            <h3>{t('timeline')}</h3>
            <p class="muted" data-testid="timezone-named">
              {t('timesIn').replace('{zone}', p.data!.timezone)}
            </p>
            <ol class="timeline" data-testid="timeline">
              {p.data!.timeline.map((v, i) => {
                const utm = [v.utm_source, v.utm_medium, v.utm_campaign, v.utm_content, v.utm_term].filter(Boolean).join(' / ')
                return (
                  <li key={i}>
                    <div class="muted">
                      {v.started.slice(0, 16)} ({p.data!.timezone}) ·{' '}
                      {duration((Date.parse(v.ended.replace(' ', 'T')) - Date.parse(v.started.replace(' ', 'T'))) / 1000)}
                    </div>
                    <div class="attribution" data-testid="visit-attribution">
                      {t('dim_source')}: {v.source || t('directNone')}
                      {v.referrer ? ` · ${t('referrer')}: ${v.referrer}` : ''}
                      {utm ? ` · ${t('utmTags')}: ${utm}` : ''}
                    </div>
                    <ul>
                      {v.pages.map((pg, j) => (
                        <li key={j}>
                          <span class="muted">{pg.ts.slice(11, 19)}</span> <span class="path">{pg.path}</span> <span class="title">{pg.title}</span>
                        </li>
                      ))}
                    </ul>
                  </li>
                )
              })}
            </ol>
          </section>
        </>
      ) : null}
    </div>
  )
}
