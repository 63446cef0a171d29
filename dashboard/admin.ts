// Admin settings behind the dashboard: sites, users, and what is in force
// (retention, opt-out link, tracking snippet). Reading settings is open to every
// logged-in user; changing them is for admins.
import express, { Router } from 'express'
import { z } from 'zod'
import type { Config } from '../lib/config.ts'
import type { Db } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { parseOr400 } from '../lib/validate.ts'
import type { Sites } from '../lib/sites.ts'
import { DEMO_SITE } from '../collector/demo.ts'
import type { Ok, PasswordSet, Settings, SiteAdded, SiteChanged, User, UserList } from '../lib/api-types.ts'
import { NewPassword, requireAdmin, type Users } from '../auth/users.ts'

const NewUser = z.object({
  email: z.email({ message: 'email must be an e-mail address' }).max(320),
  password: NewPassword,
  role: z.enum(['admin', 'viewer'], { message: 'role must be admin or viewer' }),
})

const SitePatch = z.object({
  timezone: z.string({ message: 'timezone is required, such as "Europe/Amsterdam"' }).min(1).max(64, 'timezone may be at most 64 characters'),
})

export function snippet(publicUrl: string, site: string): string {
  return (
    `<script>window.spoor=window.spoor||function(){(spoor.q=spoor.q||[]).push(arguments)}</script>\n` +
    `<script defer src="${publicUrl}/script.js" data-site="${site}"></script>`
  )
}

export function adminRouter(deps: { db: Db; sites: Sites; users: Users; config: Config }): Router {
  const r = Router()
  const json = express.json({ limit: '8kb' })
  const { config } = deps

  r.get('/api/settings', (_req, res) => {
    res.json({
      public_url: config.publicUrl,
      optout_url: `${config.publicUrl}/optout`,
      optout_link: `<a href="${config.publicUrl}/optout?return=https://example.com/privacy">Opt out of website statistics</a>`,
      snippets: Object.fromEntries(deps.sites.list().map((s) => [s, snippet(config.publicUrl, s)])),
      demo_site: config.demo ? DEMO_SITE : null,
      retention: {
        ip_days: config.ipRetentionDays,
        raw_event_days: config.rawRetentionDays,
        aggregate_months: config.aggregateRetentionMonths,
        company_visit_months: config.companyRetentionMonths,
      },
      company_network_types: config.companyNetworkTypes,
      reverse_dns: config.rdns,
      attribution: { text: 'IP Geolocation by DB-IP', url: 'https://db-ip.com' },
    } satisfies Settings)
  })

  r.post('/api/sites', requireAdmin, json, async (req, res) => {
    const domain = (req.body as { domain?: unknown } | undefined)?.domain
    if (typeof domain !== 'string') throw new HttpError(400, 'domain is required, e.g. "example.com"', 'domain')
    const site = await deps.sites.add(domain)
    res.status(201).json({ site, snippet: snippet(config.publicUrl, site) } satisfies SiteAdded)
  })
  // The site's time zone: its days and hours from now on, for every stored day too (visit
  // rows have UTC times and are grouped by zone when read; the sums per local day are
  // summed again by the rollup job, and not read until then: aggregates/totals.ts).
  r.patch('/api/sites/:site', requireAdmin, json, async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    const b = parseOr400(SitePatch, req.body)
    await deps.sites.setTimezone(site, b.timezone)
    res.json({ site, timezone: b.timezone } satisfies SiteChanged)
  })
  r.delete('/api/sites/:site', requireAdmin, async (req, res) => {
    const site = deps.sites.registered(String(req.params.site))
    // The site stops collecting; its data stays until retention removes it.
    await deps.sites.remove(site)
    res.json({ ok: true } satisfies Ok)
  })

  r.get('/api/users', requireAdmin, async (_req, res) => {
    res.json({ results: await deps.users.list() } satisfies UserList)
  })
  // Creates a user, or sets an existing one's password and role (ending its sessions
  // when the password is new). To reset only a password: the route below.
  r.post('/api/users', requireAdmin, json, async (req, res) => {
    const b = parseOr400(NewUser, req.body)
    await deps.users.upsert(b.email, b.password, b.role)
    res.status(201).json({ email: b.email.toLowerCase(), role: b.role } satisfies User)
  })
  // An admin's reset: a new password, and every session of the user ends.
  r.post('/api/users/:email/password', requireAdmin, json, async (req, res) => {
    const email = String(req.params.email).toLowerCase()
    // One's own password needs the current one: a session left open must not be enough.
    if (email === req.user?.email) throw new HttpError(400, 'change your own password with POST /api/me/password (it asks for the current one)')
    const password = NewPassword.safeParse((req.body as { password?: unknown } | undefined)?.password)
    if (!password.success) throw new HttpError(400, password.error.issues[0]?.message ?? 'invalid password', 'password')
    const ended = await deps.users.setPassword(email, password.data)
    if (ended === null) throw new HttpError(404, 'no such user')
    res.json({ email, sessions_ended: ended } satisfies PasswordSet)
  })
  r.delete('/api/users/:email', requireAdmin, async (req, res) => {
    const email = String(req.params.email).toLowerCase()
    if (email === req.user?.email) throw new HttpError(400, 'you cannot remove yourself')
    if (!(await deps.users.remove(email))) throw new HttpError(404, 'no such user')
    res.json({ ok: true } satisfies Ok)
  })
  return r
}
