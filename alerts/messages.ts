// What a fire of a trigger and a digest say: the webhook's JSON, a Slack message, and
// e-mails with an HTML and a text part in English or Dutch. Names a company and the
// pages it read; never a visitor id or an address.
import type { WebhookBody } from '../lib/api-types.ts'
import { escapeHtml } from '../lib/html.ts'
import type { MailMessage } from './mail.ts'

export const LANGS = ['en', 'nl'] as const
export type Lang = (typeof LANGS)[number]

/** At most this many pages of a visit go into a message (a long visit stays readable, and bounded). */
export const MAX_PAGES = 50

const T = {
  en: {
    visited: (company: string, site: string) => `${company} is visiting ${site}`,
    trigger: 'Trigger',
    source: 'Source',
    pages: 'Pages',
    score: 'Lead score',
    open: 'Open in Spoor',
    location: 'Location',
    industry: 'Industry',
    employees: 'Employees',
    digestSubject: (n: number, period: string) => `Spoor: ${n} ${n === 1 ? 'company' : 'companies'} ${period}`,
    daily: 'yesterday',
    weekly: 'last week',
    isNew: 'new',
    returning: 'returning',
    unsubscribe: 'Stop these e-mails',
    why: (freq: string) => `You get this ${freq} digest because you chose it in Spoor's account settings.`,
  },
  nl: {
    visited: (company: string, site: string) => `${company} bezoekt ${site}`,
    trigger: 'Trigger',
    source: 'Bron',
    pages: "Pagina's",
    score: 'Leadscore',
    open: 'Openen in Spoor',
    location: 'Plaats',
    industry: 'Branche',
    employees: 'Medewerkers',
    digestSubject: (n: number, period: string) => `Spoor: ${n} ${n === 1 ? 'bedrijf' : 'bedrijven'} ${period}`,
    daily: 'gisteren',
    weekly: 'vorige week',
    isNew: 'nieuw',
    returning: 'terugkerend',
    unsubscribe: 'Geen e-mails meer',
    why: (freq: string) => `U ontvangt dit ${freq === 'daily' ? 'dagelijkse' : 'wekelijkse'} overzicht omdat u het koos in de accountinstellingen van Spoor.`,
  },
} as const

const place = (c: WebhookBody['company']) => [c.city, c.country].filter(Boolean).join(', ')
const time = (iso: string, lang: Lang, tz: string) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: tz,
    timeZoneName: 'short',
  }).format(new Date(iso))

/** Slack's mrkdwn: &, < and > are the only characters to escape. */
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A Slack incoming-webhook message (text for notifications, blocks for the channel). */
export function slackMessage(b: WebhookBody): string {
  const c = b.company
  const pages = b.visit.pages.map((p) => p.path)
  const title = `${c.name}${c.domain ? ` (${c.domain})` : ''} is visiting ${b.site}`
  const lines = [
    `*<${b.dashboard_url}|${slackText(title)}>*`,
    [place(c), c.industry, c.employees ? `${c.employees} employees` : ''].filter(Boolean).map(slackText).join(' · '),
    `Source: ${slackText(b.visit.source)} · Lead score: ${b.visit.lead_score}`,
    `Pages: ${pages.map((p) => `\`${slackText(p)}\``).join(' → ')}`,
    `_Trigger: ${slackText(b.trigger.name)}_`,
  ].filter(Boolean)
  return JSON.stringify({ text: slackText(title), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] })
}

/** The alert e-mail of a fire, in `lang`, times in the site's zone `tz`. */
export function alertMail(b: WebhookBody, lang: Lang, tz: string): MailMessage {
  const t = T[lang]
  const c = b.company
  const subject = t.visited(c.name, b.site)
  const facts: Array<[string, string]> = [
    [t.location, place(c)],
    [t.industry, c.industry],
    [t.employees, c.employees],
    [t.source, b.visit.source],
    [t.score, String(b.visit.lead_score)],
    [t.trigger, b.trigger.name],
  ]
  const shown = facts.filter(([, v]) => v)
  const pages = b.visit.pages.map((p) => `${time(p.at, lang, tz)}  ${p.path}`)
  const text = [
    subject,
    '',
    ...shown.map(([k, v]) => `${k}: ${v}`),
    '',
    `${t.pages}:`,
    ...pages.map((p) => `  ${p}`),
    '',
    `${t.open}: ${b.dashboard_url}`,
  ].join('\n')
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif">
<h2 style="margin:0 0 8px">${escapeHtml(subject)}</h2>
<table>${shown.map(([k, v]) => `<tr><td style="color:#666;padding-right:12px">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<p style="margin:12px 0 4px">${escapeHtml(t.pages)}</p>
<ol>${b.visit.pages.map((p) => `<li><code>${escapeHtml(p.path)}</code> <span style="color:#666">${escapeHtml(time(p.at, lang, tz))}</span></li>`).join('')}</ol>
<p><a href="${escapeHtml(b.dashboard_url)}">${escapeHtml(t.open)}</a></p>
</body></html>`
  return { subject, text, html }
}

export interface DigestCompany {
  name: string
  domain: string
  site: string
  lead_score: number
  visits: number
  returning: boolean
  pages: string[]
  url: string
}

/** The digest e-mail: the top companies by lead score of the period, with their pages and a link each. */
export function digestMail(rows: DigestCompany[], freq: 'daily' | 'weekly', lang: Lang, unsubscribe: string): MailMessage {
  const t = T[lang]
  const subject = t.digestSubject(rows.length, freq === 'daily' ? t.daily : t.weekly)
  const label = (r: DigestCompany) => (r.returning ? t.returning : t.isNew)
  const text = [
    subject,
    '',
    ...rows.flatMap((r) => [
      `${r.name}${r.domain ? ` (${r.domain})` : ''} · ${r.site} · ${label(r)} · ${t.score} ${r.lead_score}`,
      `  ${r.pages.slice(0, 10).join(', ')}`,
      `  ${r.url}`,
      '',
    ]),
    t.why(freq),
    `${t.unsubscribe}: ${unsubscribe}`,
  ].join('\n')
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif">
<h2 style="margin:0 0 8px">${escapeHtml(subject)}</h2>
${rows
  .map(
    (
      r,
    ) => `<div style="margin:12px 0"><a href="${escapeHtml(r.url)}"><b>${escapeHtml(r.name)}</b></a>${r.domain ? ` <span style="color:#666">${escapeHtml(r.domain)}</span>` : ''}
<div style="color:#666">${escapeHtml(r.site)} · ${escapeHtml(label(r))} · ${escapeHtml(t.score)} ${r.lead_score}</div>
<div>${r.pages
      .slice(0, 10)
      .map((p) => `<code>${escapeHtml(p)}</code>`)
      .join(', ')}</div></div>`,
  )
  .join('\n')}
<p style="color:#666;font-size:12px">${escapeHtml(t.why(freq))} <a href="${escapeHtml(unsubscribe)}">${escapeHtml(t.unsubscribe)}</a></p>
</body></html>`
  return { subject, text, html, unsubscribe }
}
