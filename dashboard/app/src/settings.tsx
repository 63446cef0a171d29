// Settings for admins: sites (snippet, time zone, goals, pages that count), users,
// suppressions, the review queue of unnamed organisations, the opt-out link, retention
// in force and the scheduled jobs.
import { useState } from 'preact/hooks'
import type {
  AuditLog,
  CandidateList,
  CandidateNamed,
  CandidateRow,
  CompanyPages,
  ErasureResult,
  Goal,
  GoalList,
  JobList,
  PasswordSet,
  Settings,
  SiteChanged,
  SuppressionList,
  User,
  UserList,
  VisitorExport,
} from '../../../lib/api-types.ts'
import { DeliveriesCard, TriggersCard } from './alerts.tsx'
import { api } from './api.ts'
import { download } from './csv.ts'
import { navigate } from './state.ts'
import { formSubmit, Status, type T, useApi } from './ui.tsx'

function Copy(props: { text: string; t: T }) {
  const [done, setDone] = useState(false)
  return (
    <button type="button" class="link" onClick={() => navigator.clipboard?.writeText(props.text).then(() => setDone(true))}>
      {done ? props.t('copied') : props.t('copy')}
    </button>
  )
}

/** The time zones a site can have: the browser's IANA names, UTC first. */
function timeZones(current: string): string[] {
  let all: string[] = []
  try {
    all = Intl.supportedValuesOf('timeZone')
  } catch {
    // A browser without the list offers UTC and the zone in force.
  }
  const zones = ['UTC', ...all.filter((z) => z !== 'UTC')]
  return current && !zones.includes(current) ? [current, ...zones] : zones
}

/** A site's goals: a custom event name, or a page path where * matches anything. */
function Goals(props: { site: string; t: T }) {
  const { t } = props
  const path = `/api/sites/${encodeURIComponent(props.site)}/goals`
  const goals = useApi<GoalList>(path)
  const [msg, setMsg] = useState('')
  const rows = goals.data?.results ?? []
  return (
    <div class="goals" data-testid="goals-settings">
      <h5>{t('goals')}</h5>
      <Status loading={goals.loading && !goals.data} error={goals.error} t={t} />
      {goals.data && rows.length === 0 ? <p class="muted">{t('noGoalsSet')}</p> : null}
      <ul>
        {rows.map((g: Goal) => (
          <li key={g.id} data-testid="goal">
            <span class="muted">{g.kind === 'event' ? t('goalEvent') : t('goalPage')}:</span> <code>{g.match}</code>{' '}
            <button
              type="button"
              class="link"
              onClick={() => api(`${path}/${encodeURIComponent(g.id)}`, { method: 'DELETE' }).then(goals.reload, (e: Error) => setMsg(e.message))}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          const form = e.target as HTMLFormElement
          const f = new FormData(form)
          api<Goal>(path, { json: { kind: f.get('kind'), match: f.get('match') } }).then(
            () => (form.reset(), setMsg(''), goals.reload()),
            (err: Error) => setMsg(err.message),
          )
        }}
      >
        <select name="kind" aria-label={t('kind')}>
          <option value="event">{t('goalEvent')}</option>
          <option value="page">{t('goalPage')}</option>
        </select>{' '}
        <input name="match" required maxLength={500} placeholder={t('goalMatch')} aria-label={t('goalMatch')} size={44} />{' '}
        <button type="submit">{t('addGoal')}</button> <span role="status">{msg}</span>
      </form>
    </div>
  )
}

function TimeZone(props: { site: string; timezone: string; t: T; onChanged: () => void }) {
  const { t } = props
  const [msg, setMsg] = useState('')
  return (
    <p class="timezone">
      <label>
        {t('timezone')}{' '}
        <select
          value={props.timezone}
          data-testid="timezone"
          onChange={(e) =>
            api<SiteChanged>(`/api/sites/${encodeURIComponent(props.site)}`, {
              method: 'PATCH',
              json: { timezone: (e.target as HTMLSelectElement).value },
            }).then(
              () => (setMsg(t('saved')), props.onChanged()),
              (err: Error) => setMsg(err.message),
            )
          }
        >
          {timeZones(props.timezone).map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>{' '}
      <span role="status">{msg}</span>
      <br />
      <span class="muted">{t('timezoneHint')}</span>
    </p>
  )
}

function SiteCard(props: { site: string; snippet: string; timezone: string; t: T; onRemoved: () => void; onChanged: () => void }) {
  const { site, t } = props
  const pages = useApi<CompanyPages>(`/api/sites/${encodeURIComponent(site)}/company-pages`)
  const [text, setText] = useState<string | null>(null)
  const [msg, setMsg] = useState('')
  const value = text ?? (pages.data?.patterns ?? []).join('\n')
  return (
    <li class="site">
      <h4>{site}</h4>
      <p>
        {t('snippet')} <Copy text={props.snippet} t={t} />
      </p>
      <pre class="snippet">{props.snippet}</pre>
      <TimeZone site={site} timezone={props.timezone} t={t} onChanged={props.onChanged} />
      <Goals site={site} t={t} />
      <label>
        {t('companyPages')}
        <textarea rows={3} value={value} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <button
        type="button"
        onClick={() =>
          api(`/api/sites/${encodeURIComponent(site)}/company-pages`, {
            method: 'PUT',
            json: {
              patterns: value
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            },
          }).then(
            () => setMsg(t('saved')),
            (e: Error) => setMsg(e.message),
          )
        }
      >
        {t('save')}
      </button>{' '}
      <button
        type="button"
        class="danger"
        onClick={() =>
          confirm(`${t('remove')} ${site}?`) &&
          api(`/api/sites/${encodeURIComponent(site)}`, { method: 'DELETE' }).then(props.onRemoved, (e: Error) => setMsg(e.message))
        }
      >
        {t('remove')}
      </button>{' '}
      <span role="status">{msg}</span>
    </li>
  )
}

// One user of the list, with an admin's password reset; one's own password is changed
// under Account, which asks for the current one.
function UserRow(props: { user: User; self: boolean; t: T; onRemoved: () => void; onError: (msg: string) => void }) {
  const { user, t } = props
  const [resetting, setResetting] = useState(false)
  const [done, setDone] = useState('')
  const path = `/api/users/${encodeURIComponent(user.email)}`
  return (
    <li data-testid="user">
      {user.email} · {user.role}{' '}
      {props.self ? (
        <a href="/account" onClick={(e) => (e.preventDefault(), navigate('/account'))}>
          {t('changePassword')}
        </a>
      ) : (
        <button type="button" class="link" onClick={() => (setResetting(!resetting), setDone(''))}>
          {resetting ? t('cancel') : t('resetPassword')}
        </button>
      )}{' '}
      <button type="button" class="link" onClick={() => api(path, { method: 'DELETE' }).then(props.onRemoved, (e: Error) => props.onError(e.message))}>
        {t('remove')}
      </button>{' '}
      <span role="status">{done}</span>
      {resetting ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const password = new FormData(e.target as HTMLFormElement).get('password')
            api<PasswordSet>(`${path}/password`, { json: { password } }).then(
              (r) => {
                setResetting(false)
                setDone(`${t('passwordSet')}: ${r.sessions_ended}`)
              },
              (err: Error) => props.onError(err.message),
            )
          }}
        >
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            aria-label={t('newPassword')}
            placeholder={t('newPassword')}
          />{' '}
          <button type="submit">{t('setPassword')}</button>
        </form>
      ) : null}
    </li>
  )
}

/** One organisation of the review queue, with its Name form and Dismiss. */
function Candidate(props: { c: CandidateRow; t: T; onDone: (msg: string) => void; onError: (msg: string) => void }) {
  const { c, t } = props
  const [naming, setNaming] = useState(false)
  return (
    <li data-testid="candidate">
      <strong>{c.owner}</strong>{' '}
      <span class="muted">
        AS{c.asn} · {c.country || '–'} · {c.network}
      </span>{' '}
      · {t('visits')}: {c.visits} · {t('lastVisit')}: {c.last_visit.slice(0, 16)}
      <br />
      <span class="muted">
        {t('pages')}: {c.pages.slice(0, 8).join(', ')}
        {c.pages.length > 8 ? ' …' : ''}
      </span>{' '}
      <button type="button" class="link" onClick={() => setNaming(!naming)}>
        {naming ? t('cancel') : t('nameCandidate')}
      </button>{' '}
      <button
        type="button"
        class="link"
        onClick={() =>
          api('/api/companies/candidates/dismiss', { json: { network: c.network } }).then(
            () => props.onDone(''),
            (e: Error) => props.onError(e.message),
          )
        }
      >
        {t('dismiss')}
      </button>
      {naming ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const f = new FormData(e.target as HTMLFormElement)
            api<CandidateNamed>('/api/companies/candidates/name', {
              json: { network: c.network, name: f.get('name'), domain: f.get('domain'), country: c.country },
            }).then(
              (r) => props.onDone(`${r.company.name}: ${t('namedAs')} (${r.visits})`),
              (err: Error) => props.onError(err.message),
            )
          }}
        >
          <input name="name" required maxLength={300} defaultValue={c.owner} aria-label={t('companyName')} placeholder={t('companyName')} />{' '}
          <input name="domain" required maxLength={253} placeholder="example.com" aria-label={t('domain')} />{' '}
          <button type="submit">{t('nameCandidate')}</button>
        </form>
      ) : null}
    </li>
  )
}

/** Organisations that visited but were not named (admins): name one, or dismiss it. */
function ReviewQueue(props: { sites: string[]; t: T }) {
  const { t } = props
  const [chosen, setChosen] = useState('')
  const site = chosen || props.sites[0] || ''
  const list = useApi<CandidateList>(site ? `/api/companies/candidates?site=${encodeURIComponent(site)}` : null)
  const [msg, setMsg] = useState('')
  const done = (m: string) => (setMsg(m), list.reload())
  return (
    <section class="card" data-testid="review-queue">
      <h3>{t('reviewQueue')}</h3>
      <p class="muted">{t('reviewQueueHint')}</p>
      {props.sites.length > 1 ? (
        <label>
          {t('site')}{' '}
          <select value={site} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {props.sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <Status loading={list.loading && !list.data} error={list.error} t={t} />
      {list.data && list.data.results.length === 0 ? <p class="muted">{t('noCandidates')}</p> : null}
      <ul>
        {(list.data?.results ?? []).map((c) => (
          <Candidate key={c.owner} c={c} t={t} onDone={done} onError={setMsg} />
        ))}
      </ul>
      <span role="status">{msg}</span>
    </section>
  )
}

export function SettingsView(props: { t: T; email: string; timezones: Record<string, string>; onSitesChanged: () => void }) {
  const { t } = props
  const settings = useApi<Settings>('/api/settings')
  const users = useApi<UserList>('/api/users')
  const supp = useApi<SuppressionList>('/api/suppressions')
  const audit = useApi<AuditLog>('/api/audit')
  const jobs = useApi<JobList>('/api/jobs')
  const [msg, setMsg] = useState('')
  const submit = formSubmit(setMsg)
  const reloadAll = () => {
    settings.reload()
    props.onSitesChanged()
  }
  if (users.error && /admin/.test(users.error)) return <p class="card">{t('adminOnly')}</p>
  return (
    <div data-testid="settings">
      {msg ? (
        <p class="error" role="alert">
          {msg}
        </p>
      ) : null}
      <section class="card">
        <h3>{t('sites')}</h3>
        <Status loading={settings.loading} error={settings.error} t={t} />
        <ul class="sites">
          {Object.entries(settings.data?.snippets ?? {}).map(([site, snippet]) => (
            <SiteCard
              key={site}
              site={site}
              snippet={snippet}
              timezone={props.timezones[site] ?? 'UTC'}
              t={t}
              onRemoved={reloadAll}
              onChanged={props.onSitesChanged}
            />
          ))}
        </ul>
        <form onSubmit={submit('/api/sites', (f) => ({ domain: f.get('domain') }), reloadAll)}>
          <input name="domain" placeholder="example.com" required aria-label={t('addSite')} /> <button type="submit">{t('addSite')}</button>
        </form>
      </section>
      <section class="card">
        <h3>{t('users')}</h3>
        <ul>
          {(users.data?.results ?? []).map((u) => (
            <UserRow key={u.email} user={u} self={u.email === props.email} t={t} onRemoved={users.reload} onError={setMsg} />
          ))}
        </ul>
        <form onSubmit={submit('/api/users', (f) => ({ email: f.get('email'), password: f.get('password'), role: f.get('role') }), users.reload)}>
          <input name="email" type="email" placeholder={t('email')} required aria-label={t('email')} />
          <input name="password" type="password" placeholder={t('password')} minLength={8} required aria-label={t('password')} />
          <select name="role" aria-label={t('role')}>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>{' '}
          <button type="submit">{t('addUser')}</button>
        </form>
      </section>
      <section class="card">
        <h3>{t('suppressed')}</h3>
        <ul>
          {(supp.data?.results ?? []).map((x) => (
            <li key={x.id}>
              {x.kind}: {x.value} <span class="muted">{x.reason}</span>{' '}
              <button
                type="button"
                class="link"
                onClick={() => api(`/api/suppressions/${encodeURIComponent(x.id)}`, { method: 'DELETE' }).then(supp.reload, (e: Error) => setMsg(e.message))}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
        <form onSubmit={submit('/api/suppressions', (f) => ({ kind: f.get('kind'), value: f.get('value'), reason: f.get('reason') ?? '' }), supp.reload)}>
          <select name="kind" aria-label={t('kind')}>
            <option value="domain">domain</option>
            <option value="name">name</option>
            <option value="range">range</option>
            <option value="company">company id</option>
          </select>
          <input name="value" placeholder={t('value')} required aria-label={t('value')} />
          <input name="reason" placeholder={t('reason')} aria-label={t('reason')} /> <button type="submit">{t('add')}</button>
        </form>
      </section>
      <ReviewQueue sites={Object.keys(settings.data?.snippets ?? {})} t={t} />
      <section class="card">
        <h3>{t('privacy')}</h3>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const f = new FormData(e.target as HTMLFormElement)
            const vid = String(f.get('vid') ?? '')
            const action = (e.submitter as HTMLButtonElement | null)?.value
            if (action === 'export') {
              api<VisitorExport>('/api/admin/export', { json: { vid } }).then(
                (d) => download(`spoor-${vid}.json`, JSON.stringify(d, null, 2)),
                (err: Error) => setMsg(err.message),
              )
            } else if (confirm(t('eraseConfirm'))) {
              api<ErasureResult>('/api/admin/erase', { json: { vid } }).then(
                (r) => (setMsg(`${t('erased')}: ${r.events}`), audit.reload()),
                (err: Error) => setMsg(err.message),
              )
            }
          }}
        >
          <input name="vid" placeholder={t('visitorId')} required pattern="[A-Za-z0-9_-]{8,64}" aria-label={t('visitorId')} />{' '}
          <button type="submit" value="export">
            {t('exportData')}
          </button>{' '}
          <button type="submit" value="erase" class="danger">
            {t('eraseData')}
          </button>
        </form>
        <h4>{t('auditLog')}</h4>
        <table data-testid="audit">
          <tbody>
            {(audit.data?.results ?? []).slice(0, 50).map((a, i) => (
              <tr key={i}>
                <td>{a.time.slice(0, 19)}</td>
                <td>{a.action}</td>
                <td>{a.actor}</td>
                <td class="muted">{a.subject.slice(0, 12)}</td>
                <td class="muted">{a.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h3>{t('optoutLink')}</h3>
        {settings.data ? (
          <>
            <pre class="snippet">{settings.data.optout_link}</pre>
            <Copy text={settings.data.optout_link} t={t} />
          </>
        ) : null}
      </section>
      <section class="card">
        <h3>{t('retention')}</h3>
        {settings.data ? (
          <dl class="profile" data-testid="retention">
            {(
              [
                ['ipDays', settings.data.retention.ip_days, 'days'],
                ['rawDays', settings.data.retention.raw_event_days, 'days'],
                ['aggMonths', settings.data.retention.aggregate_months, 'months'],
                ['companyMonths', settings.data.retention.company_visit_months, 'months'],
              ] as const
            ).map(([label, n, unit]) => (
              <div key={label}>
                <dt>{t(label)}</dt>
                <dd>
                  {n} {t(unit)}
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
      </section>
      <TriggersCard t={t} sites={Object.keys(props.timezones)} />
      <DeliveriesCard t={t} />
      <section class="card">
        <h3>{t('jobs')}</h3>
        <table>
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>cron</th>
              <th>{t('lastRun')}</th>
              <th class="num">{t('rows')}</th>
              <th>{t('error')}</th>
            </tr>
          </thead>
          <tbody>
            {(jobs.data?.jobs ?? []).map((j) => (
              <tr key={j.name}>
                <td>{j.name}</td>
                <td>
                  <code>{j.schedule}</code>
                </td>
                <td>{j.last_run?.slice(0, 19).replace('T', ' ') ?? '–'}</td>
                <td class="num">{j.last_rows ?? '–'}</td>
                <td class="error">{j.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
