// The logged-in user's own account, for viewers too (they see no settings): change the
// password. The server ends the other sessions and renews this one (POST /api/me/password).
import { useState } from 'preact/hooks'
import type { PasswordSet } from '../../../lib/api-types.ts'
import { api } from './api.ts'
import { DigestCard } from './alerts.tsx'
import type { Lang } from './i18n.ts'
import type { T } from './ui.tsx'

export function AccountView(props: { t: T; email: string; lang: Lang }) {
  const { t } = props
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null)
  return (
    <>
      <section class="card account" data-testid="account">
        <h3>{t('changePassword')}</h3>
        <p class="muted">{props.email}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.target as HTMLFormElement
            const f = new FormData(form)
            if (f.get('password') !== f.get('repeat')) return setMsg({ ok: false, text: t('passwordsDiffer') })
            api<PasswordSet>('/api/me/password', { json: { current: f.get('current'), password: f.get('password') } }).then(
              (r) => {
                form.reset()
                setMsg({ ok: true, text: `${t('passwordChanged')}: ${r.sessions_ended}` })
              },
              (err: Error) => setMsg({ ok: false, text: err.message }),
            )
          }}
        >
          <label>
            {t('currentPassword')}
            <input name="current" type="password" autoComplete="current-password" required />
          </label>
          <label>
            {t('newPassword')}
            <input name="password" type="password" autoComplete="new-password" minLength={8} required />
          </label>
          <label>
            {t('repeatPassword')}
            <input name="repeat" type="password" autoComplete="new-password" minLength={8} required />
          </label>
          <button type="submit">{t('changePassword')}</button>
        </form>
        {msg ? (
          <p class={msg.ok ? '' : 'error'} role={msg.ok ? 'status' : 'alert'} data-testid="account-message">
            {msg.text}
          </p>
        ) : null}
      </section>
      <DigestCard t={t} lang={props.lang} />
    </>
  )
}
