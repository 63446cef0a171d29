// Alerts: triggers and their last deliveries (Settings, admins), and each user's digest
// (Account). The API is in alerts/routes.ts; a trigger made here is one of what the API
// takes (pages, company conditions, one action of each kind at most).
import { useState } from 'preact/hooks'
import type { DeliveryList, MailSettings, Trigger, TriggerList } from '../../../lib/api-types.ts'
import { api } from './api.ts'
import type { Lang } from './i18n.ts'
import { formSubmit, Status, type T, useApi } from './ui.tsx'

const split = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

/** What a trigger's conditions and actions are, in a line. */
function summary(tr: Trigger, t: T): string {
  const w = tr.when
  const when = [
    w.pages ? `${t('pages')}: ${w.pages.join(', ')}` : '',
    w.countries ? w.countries.join(', ') : '',
    w.min_lead_score !== undefined ? `${t('leadScore')} ≥ ${w.min_lead_score}` : '',
    w.min_visits !== undefined ? `${t('visits')} ≥ ${w.min_visits}` : '',
    w.first_visit_only ? t('firstVisitOnly') : '',
  ].filter(Boolean)
  const actions = tr.actions.map((a) =>
    a.type === 'webhook'
      ? `webhook ${a.url}`
      : a.type === 'slack'
        ? 'Slack'
        : a.type === 'email'
          ? a.to.join(', ')
          : a.type === 'tag'
            ? `#${a.tag}`
            : `→ ${a.owner}`,
  )
  return `${when.join(' · ') || t('anyCompanyVisit')} ⇒ ${actions.join(', ')}`
}

export function TriggersCard(props: { t: T; sites: string[] }) {
  const { t } = props
  const triggers = useApi<TriggerList>('/api/triggers')
  const [msg, setMsg] = useState('')
  const done = () => (setMsg(''), triggers.reload())
  return (
    <section class="card" data-testid="triggers">
      <h3>{t('triggers')}</h3>
      <p class="muted">{t('triggersHelp')}</p>
      <Status loading={triggers.loading && !triggers.data} error={triggers.error} t={t} />
      <ul>
        {(triggers.data?.results ?? []).map((tr) => (
          <li key={tr.id} data-testid="trigger">
            <b>{tr.name}</b> <span class="muted">{tr.site}</span> {tr.enabled ? '' : <span class="muted">({t('off')})</span>}
            <div class="muted">{summary(tr, t)}</div>
            <button
              type="button"
              class="link"
              onClick={() => api(`/api/triggers/${tr.id}`, { method: 'PATCH', json: { enabled: !tr.enabled } }).then(done, (e: Error) => setMsg(e.message))}
            >
              {tr.enabled ? t('disable') : t('enable')}
            </button>{' '}
            <button
              type="button"
              class="link"
              onClick={() =>
                api<{ queued: string[] }>(`/api/triggers/${tr.id}/test`, { method: 'POST' }).then(
                  () => setMsg(t('testQueued')),
                  (e: Error) => setMsg(e.message),
                )
              }
            >
              {t('sendTest')}
            </button>{' '}
            <button type="button" class="link" onClick={() => api(`/api/triggers/${tr.id}`, { method: 'DELETE' }).then(done, (e: Error) => setMsg(e.message))}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('newTrigger')}</summary>
        <form
          class="trigger-form"
          onSubmit={formSubmit(setMsg)(
            '/api/triggers',
            (f) => {
              const num = (k: string) => (f.get(k) ? Number(f.get(k)) : undefined)
              const when: Trigger['when'] = {}
              if (split(f.get('pages')).length) when.pages = split(f.get('pages'))
              if (split(f.get('countries')).length) when.countries = split(f.get('countries'))
              if (num('min_lead_score') !== undefined) when.min_lead_score = num('min_lead_score')
              if (num('min_visits') !== undefined) when.min_visits = num('min_visits')
              if (f.get('first_visit_only')) when.first_visit_only = true
              const actions: Trigger['actions'] = []
              if (f.get('webhook')) actions.push({ type: 'webhook', url: String(f.get('webhook')), secret: String(f.get('secret')) })
              if (f.get('slack')) actions.push({ type: 'slack', url: String(f.get('slack')) })
              if (split(f.get('to')).length) actions.push({ type: 'email', to: split(f.get('to')) })
              if (f.get('tag')) actions.push({ type: 'tag', tag: String(f.get('tag')) })
              if (f.get('owner')) actions.push({ type: 'assign', owner: String(f.get('owner')) })
              return { name: f.get('name'), site: f.get('site'), when, actions }
            },
            done,
          )}
        >
          <label>
            {t('name')}
            <input name="name" required maxLength={200} />
          </label>
          <label>
            {t('site')}
            <select name="site">
              {props.sites.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            {t('pages')} <input name="pages" placeholder="/pricing*, /contact" />
          </label>
          <label>
            {t('countries')} <input name="countries" placeholder="NL, BE" />
          </label>
          <label>
            {t('leadScore')} ≥ <input name="min_lead_score" type="number" min={0} max={100} />
          </label>
          <label>
            {t('visits')} ≥ <input name="min_visits" type="number" min={1} />
          </label>
          <label>
            <input name="first_visit_only" type="checkbox" /> {t('firstVisitOnly')}
          </label>
          <fieldset>
            <legend>{t('actions')}</legend>
            <label>
              Webhook URL <input name="webhook" type="url" placeholder="https://crm.example.com/hooks/spoor" />
            </label>
            <label>
              {t('webhookSecret')} <input name="secret" minLength={16} />
            </label>
            <label>
              Slack URL <input name="slack" type="url" placeholder="https://hooks.slack.com/services/…" />
            </label>
            <label>
              {t('emailTo')} <input name="to" placeholder="sales@example.com" />
            </label>
            <label>
              {t('triggerTag')} <input name="tag" maxLength={40} />
            </label>
            <label>
              {t('triggerAssign')} <input name="owner" type="email" />
            </label>
          </fieldset>
          <button type="submit">{t('add')}</button>
        </form>
      </details>
      <p role="status">{msg}</p>
    </section>
  )
}

export function DeliveriesCard(props: { t: T }) {
  const { t } = props
  const list = useApi<DeliveryList>('/api/deliveries?limit=50')
  const [msg, setMsg] = useState('')
  return (
    <section class="card" data-testid="deliveries">
      <h3>{t('deliveries')}</h3>
      <Status loading={list.loading && !list.data} error={list.error} t={t} />
      {list.data && list.data.results.length === 0 ? <p class="muted">{t('noDeliveries')}</p> : null}
      <table>
        <tbody>
          {(list.data?.results ?? []).map((d) => (
            <tr key={d.id} data-testid="delivery">
              <td>{d.created_at.slice(0, 16).replace('T', ' ')}</td>
              <td>{d.trigger_name}</td>
              <td>{d.kind}</td>
              <td class={d.status === 'failed' ? 'error' : ''}>{t(d.status)}</td>
              <td class="num">{d.attempts}</td>
              <td class="muted">{d.last_error}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  onClick={() =>
                    api(`/api/deliveries/${d.id}/resend`, { method: 'POST' }).then(
                      () => (setMsg(t('testQueued')), list.reload()),
                      (e: Error) => setMsg(e.message),
                    )
                  }
                >
                  {t('resend')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status">{msg}</p>
    </section>
  )
}

/** The user's digest e-mail: off, daily or weekly, in the language the dashboard is shown in. */
export function DigestCard(props: { t: T; lang: Lang }) {
  const { t } = props
  const mail = useApi<MailSettings>('/api/me/mail')
  const [msg, setMsg] = useState('')
  return (
    <section class="card" data-testid="digest">
      <h3>{t('digest')}</h3>
      <Status loading={mail.loading && !mail.data} error={mail.error} t={t} />
      {mail.data ? (
        <label>
          {t('digestHelp')}{' '}
          <select
            value={mail.data.digest}
            onChange={(e) =>
              api<MailSettings>('/api/me/mail', { method: 'PUT', json: { digest: (e.target as HTMLSelectElement).value, lang: props.lang } }).then(
                () => (setMsg(t('saved')), mail.reload()),
                (err: Error) => setMsg(err.message),
              )
            }
          >
            <option value="off">{t('off')}</option>
            <option value="daily">{t('daily')}</option>
            <option value="weekly">{t('weekly')}</option>
          </select>
        </label>
      ) : null}
      <p role="status">{msg}</p>
    </section>
  )
}
