// The Spoor dashboard: login, overview, companies, settings. It reads only the JSON
// API; the URL holds the view (path, site, period, filters).
import { type JSX, render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { Me, Settings, SiteList } from '../../../lib/api-types.ts'
import { AccountView } from './account.tsx'
import { api, type ApiError } from './api.ts'
import { CompanyPage, Companies } from './companies.tsx'
import { counted, initialLang, type Lang, rangeLabel, setLocale, translate } from './i18n.ts'
import { Overview } from './overview.tsx'
import { SettingsView } from './settings.tsx'
import { navigate, type Period, readState } from './state.ts'
import { type T, useApi } from './ui.tsx'
import './style.css'

function Login(props: { t: T; onLogin: (me: Me) => void }) {
  const [error, setError] = useState('')
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault()
        const f = new FormData(e.target as HTMLFormElement)
        api<Me>('/api/login', { json: { email: f.get('email'), password: f.get('password') } }).then(props.onLogin, (err: Error) => setError(err.message))
      }}
    >
      <h1>Spoor</h1>
      <label>
        {props.t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {props.t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit">{props.t('login')}</button>
    </form>
  )
}

const PERIODS: Array<[Period, Parameters<T>[0]]> = [
  ['today', 'today'],
  ['yesterday', 'yesterday'],
  ['7d', 'd7'],
  ['30d', 'd30'],
  ['month', 'month'],
  ['custom', 'custom'],
]

function App() {
  const [lang, setLang] = useState<Lang>(initialLang())
  // The URL is the state; a change of it (navigate, back, forward) renders again.
  const [, setTick] = useState(0)
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [sitesVersion, setSitesVersion] = useState(0)
  const t = translate(lang)
  setLocale(lang)
  useEffect(() => {
    const onPop = () => setTick((n) => n + 1)
    addEventListener('popstate', onPop)
    api<Me>('/api/me').then(setMe, (e: ApiError) => setMe(e.status === 401 ? null : null))
    return () => removeEventListener('popstate', onPop)
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const sites = useApi<SiteList>(me ? `/api/sites?v=${sitesVersion}` : null)
  const settings = useApi<Settings>(me ? `/api/settings?v=${sitesVersion}` : null)
  const list = sites.data?.sites ?? []
  // Today, yesterday and this month are the site's days, in its time zone.
  const s = readState(sites.data?.timezones)
  // Default site: the first registered one that is not the demo; the demo only when it is
  // the only site. /api/settings names the demo, so wait for it: deciding on the list
  // alone opened demo.localhost, which sorts before most domains.
  const demoKnown = settings.data !== null || settings.error !== null
  useEffect(() => {
    if (me && demoKnown && list.length > 0 && !list.includes(s.site)) {
      const real = list.filter((x) => x !== settings.data?.demo_site)
      history.replaceState(null, '', `${location.pathname}?${new URLSearchParams({ ...Object.fromEntries(s.query), site: real[0] ?? list[0]! })}`)
      setTick((n) => n + 1)
    }
  }, [me, demoKnown, list.join(','), settings.data?.demo_site])

  if (me === undefined) return <p class="muted">{t('loading')}</p>
  if (me === null) return <Login t={t} onLogin={(m) => (setMe(m), navigate('/'))} />

  const nav = (path: string, label: string) => (
    <a href={path} class={s.path === path || (path !== '/' && s.path.startsWith(path)) ? 'active' : ''} onClick={(e) => (e.preventDefault(), navigate(path))}>
      {label}
    </a>
  )
  const companyId = /^\/companies\/([0-9a-f]{16})$/.exec(s.path)?.[1]
  let body: JSX.Element
  if (s.path === '/account') body = <AccountView t={t} email={me.email} lang={lang} />
  else if (list.length === 0 && sites.data) body = <p class="card empty">{t('noSites')}</p>
  else if (!s.site || !sites.data) body = <p class="muted">{t('loading')}</p>
  else if (s.path === '/settings')
    body =
      me.role === 'admin' ? (
        <SettingsView t={t} email={me.email} timezones={sites.data.timezones} onSitesChanged={() => setSitesVersion((v) => v + 1)} />
      ) : (
        <p class="card">{t('adminOnly')}</p>
      )
  else if (companyId) body = <CompanyPage s={s} t={t} id={companyId} />
  else if (s.path.startsWith('/companies')) body = <Companies s={s} t={t} n={counted(lang)} />
  else
    body = (
      <Overview
        s={s}
        t={t}
        n={counted(lang)}
        lang={lang}
        admin={me.role === 'admin'}
        demoSite={settings.data?.demo_site ?? null}
        snippet={settings.data?.snippets[s.site] ?? null}
      />
    )

  return (
    <div class="shell">
      <header class="top">
        <strong class="brand">Spoor</strong>
        <nav>
          {nav('/', t('overview'))}
          {nav('/companies', t('companies'))}
          {me.role === 'admin' ? nav('/settings', t('settings')) : null}
          {nav('/account', t('account'))}
        </nav>
        <span class="spacer" />
        <select
          aria-label={t('site')}
          value={s.site}
          onChange={(e) => navigate(null, { site: (e.target as HTMLSelectElement).value })}
          data-testid="site-picker"
        >
          {list.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
        <select
          aria-label={t('period')}
          value={s.period}
          onChange={(e) => navigate(null, { period: (e.target as HTMLSelectElement).value, from: null, to: null })}
          data-testid="period"
        >
          {PERIODS.map(([p, k]) => (
            <option key={p} value={p}>
              {t(k)}
            </option>
          ))}
        </select>
        <span class="muted range" data-testid="range">
          {rangeLabel(s.from, s.to)}
        </span>
        {s.period === 'custom' ? (
          <>
            <input type="date" value={s.from} onChange={(e) => navigate(null, { from: (e.target as HTMLInputElement).value })} aria-label="from" />
            <input type="date" value={s.to} onChange={(e) => navigate(null, { to: (e.target as HTMLInputElement).value })} aria-label="to" />
          </>
        ) : null}
        <label class="compare" title={t('vsPrevious')}>
          <input type="checkbox" checked={s.compare} onChange={(e) => navigate(null, { compare: (e.target as HTMLInputElement).checked ? null : '0' })} />{' '}
          {t('compare')}
        </label>
        <button
          type="button"
          class="link"
          onClick={() => {
            const next: Lang = lang === 'en' ? 'nl' : 'en'
            localStorage.setItem('spoor_lang', next)
            setLang(next)
          }}
          data-testid="lang"
        >
          {lang === 'en' ? 'NL' : 'EN'}
        </button>
        <button type="button" class="link" onClick={() => api('/api/logout', { method: 'POST' }).then(() => setMe(null))}>
          {t('logout')}
        </button>
      </header>
      <main>{body}</main>
      <footer class="muted">
        {me.email} · <a href="https://db-ip.com">IP Geolocation by DB-IP</a>
      </footer>
    </div>
  )
}

render(<App />, document.getElementById('app')!)
