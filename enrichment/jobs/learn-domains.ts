// Form-domain learning, as Leadinfo does: a company network (IPv4 /24, IPv6 /48) is
// linked to a business e-mail domain once FORM_DOMAIN_MIN_VISITORS distinct consenting
// visitors from it submitted that domain in a form. Free-mail domains never get here.
//
// confidence = share × (1 − 0.5^visitors), where share is the domain's part of all
// visitors of the network who submitted a form: 2 of 2 visitors → 0.75, 3 of 3 → 0.88,
// 2 of 4 (two domains) → 0.38. Mappings below 0.5 are kept but not used.
// Only networks that are themselves company networks are learned: a domain must never
// turn a home or mobile line into a company.
import type { Db } from '../../lib/db.ts'
import { COMPANY_TYPES } from '../classify.ts'
import type { IpIntel } from '../lookup.ts'

export const MIN_CONFIDENCE = 0.5

export async function learnDomains(db: Db, intel: IpIntel, minVisitors: number): Promise<number> {
  const rows = await db.query<{ network: string; domain: string; visitors: string; total: string }>(
    `SELECT network, domain, visitors, total FROM (
       SELECT network, domain, uniqExact(vid) AS visitors,
              sum(uniqExact(vid)) OVER (PARTITION BY network) AS total
       FROM form_domains GROUP BY network, domain
     )
     WHERE visitors >= {min:UInt32}
       AND network NOT IN (SELECT network FROM network_domains FINAL WHERE removed = 1)
     ORDER BY network, visitors DESC
     LIMIT 1 BY network`,
    { min: minVisitors },
  )
  const learned = []
  for (const r of rows) {
    const base = r.network.split('/')[0]!
    const { network_type } = await intel.lookupIp(base, { place: false })
    if (!COMPANY_TYPES.includes(network_type)) continue
    const visitors = Number(r.visitors)
    const confidence = (visitors / Math.max(visitors, Number(r.total))) * (1 - 0.5 ** visitors)
    learned.push({ network: r.network, domain: r.domain, visitors, confidence, removed: 0 })
  }
  if (learned.length > 0) await db.insert('network_domains', learned)
  return learned.length
}
