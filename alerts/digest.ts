// Digests (issue 17): each user who chose one gets, every morning (from 07:00 UTC) or every
// Monday, the companies of the day or week (Monday to Sunday) before: new and returning ones, top 20 by
// lead score, with the pages they saw and a link each. Queued as deliveries with an id
// per user and period, so a rerun of the job sends nothing twice.
import type { Db } from '../lib/db.ts'
import { addDays } from '../lib/timezone.ts'
import { leadScore } from '../dashboard/companies.ts'
import { deliveryId, enqueue, type NewDelivery } from './deliveries.ts'
import { type DigestCompany, digestMail, type Lang } from './messages.ts'

const TOP = 20

export type Frequency = 'daily' | 'weekly'

/**
 * Queues the digests of `freq` for the last whole period (UTC): yesterday, or the last
 * week from Monday to Sunday. Returns how many were new (a period's digest is queued once).
 */
export async function queueDigests(db: Db, publicUrl: string, freq: Frequency, now = new Date()): Promise<number> {
  const today = now.toISOString().slice(0, 10)
  // The last Sunday before today (Monday: yesterday).
  const to = freq === 'daily' ? addDays(today, -1) : addDays(today, -(((now.getUTCDay() + 6) % 7) + 1))
  const from = freq === 'daily' ? to : addDays(to, -6)
  const users = await db.query<{ email: string; lang: Lang; token: string }>(
    `SELECT m.email AS email, m.lang AS lang, m.token AS token FROM mail_settings AS m FINAL
     INNER JOIN (SELECT email FROM users FINAL WHERE deleted = 0) AS u ON u.email = m.email
     WHERE m.frequency = {freq:String}`,
    { freq },
  )
  if (users.length === 0) return 0
  const rows = await db.query<{ site: string; id: string; name: string; domain: string; visits: string; duration: string; pages: string[]; before: number }>(
    `SELECT v.site AS site, v.company_id AS id, c.name AS name, c.domain AS domain, v.visits AS visits, v.duration AS duration, v.pages AS pages,
            p.before AS before
     FROM (
       SELECT site, company_id, sum(visits) AS visits, sum(duration) AS duration, arraySlice(arrayDistinct(arrayFlatten(groupArray(pages))), 1, 200) AS pages
       FROM company_visits FINAL WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY site, company_id
     ) AS v
     INNER JOIN (SELECT company_id, name, domain FROM companies FINAL) AS c ON c.company_id = v.company_id
     LEFT JOIN (SELECT site, company_id, 1 AS before FROM company_visits WHERE day < {from:Date} GROUP BY site, company_id) AS p
       ON p.site = v.site AND p.company_id = v.company_id`,
    { from, to },
  )
  const companies: DigestCompany[] = rows
    .map((r) => ({
      name: r.name,
      domain: r.domain,
      site: r.site,
      visits: Number(r.visits),
      returning: Number(r.before) === 1,
      pages: r.pages,
      lead_score: leadScore({ pages: r.pages.length, visits: Number(r.visits), duration: Number(r.duration) }),
      url: `${publicUrl}/companies/${r.id}?site=${encodeURIComponent(r.site)}&from=${from}&to=${to}`,
    }))
    .sort((a, b) => b.lead_score - a.lead_score || b.visits - a.visits || a.name.localeCompare(b.name))
    .slice(0, TOP)
  // Nothing to tell: no e-mail (a digest of nothing teaches people to ignore it).
  if (companies.length === 0) return 0
  const out: NewDelivery[] = users.map((u) => ({
    id: deliveryId('digest', u.email, freq, to),
    site: '',
    trigger_id: '',
    trigger_name: `${freq} digest`,
    kind: 'email',
    target: u.email,
    body: JSON.stringify(digestMail(companies, freq, u.lang, `${publicUrl}/digest/unsubscribe?token=${u.token}`)),
  }))
  return enqueue(db, out, now)
}
