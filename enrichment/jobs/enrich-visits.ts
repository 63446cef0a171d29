// Every minute: decide for each new visit whether it came from a company, write the
// company visits, and delete the visit's IP rows, which are then no longer needed
// (most addresses are gone within minutes, all within IP_RETENTION_DAYS).
// Reruns never double-count: decisions replace by (site, sid), and company_visits
// are recomputed per (site, company, day) from events, replacing the earlier row.
import { applyDeletedMask, type Db, msOf, paramChunks } from '../../lib/db.ts'
import { dayLock } from '../../lib/lock.ts'
import type { Knowledge } from '../company.ts'
import type { IpIntel, LookupResult } from '../lookup.ts'
import { applySuppressions } from '../suppress.ts'
import { recomputeCompanyVisits } from '../../aggregates/company-visits.ts'
import { copyCompanySessions, visitDaysOf } from '../../aggregates/company-sessions.ts'
import { adoptNamedOwners } from '../candidates.ts'
import { pagePattern } from '../../lib/pages.ts'
import { isoDay } from '../../lib/timezone.ts'

// A visit whose pages do not (yet) include a counted page waits this long for one:
// the beacon's session cookie lasts 30 minutes.
const IDLE_MS = 31 * 60_000
// Visits per run: a lookup costs microseconds, the queries around it dominate.
const BATCH = 5000

export interface EnrichContext {
  db: Db
  intel: IpIntel
  knowledge: Knowledge
  minConfidence: number
}

interface PendingVisit {
  site: string
  sid: string
  ip: string
  day: string
  last_ts: string
}

/** A visit's row in enriched_sessions: its network type, and the company it is counted for. */
export interface Decision {
  site: string
  sid: string
  day: string
  network_type: string
  company_id: string
  network: string
  /** Review-queue candidates only (see LookupResult.candidate): AS, owner and country. */
  asn: number
  owner: string
  country: string
}

/**
 * Adds the rows enrichment writes for one visit: its decision, and the company's record
 * when `company` (the lookup's, or null when the visit does not count) names one.
 */
export function decide(
  visit: { site: string; sid: string; day: string },
  r: LookupResult,
  company: LookupResult['company'],
  decided: Decision[],
  companies: Map<string, Record<string, unknown>>,
): void {
  // The network is kept for company visits (suppression by range) and for organisations
  // the review queue offers; never for providers or owners that read like a person.
  const candidate = !company && r.network_type === 'unknown' ? r.candidate : null
  decided.push({
    site: visit.site,
    sid: visit.sid,
    day: visit.day,
    network_type: r.network_type,
    company_id: company?.id ?? '',
    network: company || candidate ? (r.network ?? '') : '',
    asn: candidate ? (r.asn ?? 0) : 0,
    owner: candidate ?? '',
    country: candidate ? r.country : '',
  })
  if (company) companies.set(company.id, companyRecord(r, company))
}

/** A company's row in `companies`, from the lookup that named it. */
export function companyRecord(r: LookupResult, company: NonNullable<LookupResult['company']>): Record<string, unknown> {
  const { id, ...profile } = company
  return { company_id: id, ...profile, network_type: r.network_type, asn: r.asn ?? 0, as_org: r.as_org ?? '', evidence: JSON.stringify(r.evidence) }
}

export async function enrichVisits(ctx: EnrichContext): Promise<number> {
  const { db, intel, knowledge } = ctx
  await knowledge.refresh(db, ctx.minConfidence)
  const pending = await db.query<PendingVisit>(
    `SELECT site, sid, argMin(IPv6NumToString(ip), ts) AS ip, toString(toDate(min(ts))) AS day, toString(max(ts)) AS last_ts
     FROM visit_ips
     WHERE (site, sid) NOT IN (SELECT site, sid FROM enriched_sessions WHERE day >= today() - 8)
     GROUP BY site, sid ORDER BY min(ts) LIMIT {batch:UInt32}`,
    { batch: BATCH },
  )
  // Decided visits whose IP rows arrived after their decision (the visit went on).
  const leftovers = await db.query<{ site: string; sid: string }>(
    `SELECT DISTINCT site, sid FROM visit_ips WHERE (site, sid) IN (SELECT site, sid FROM enriched_sessions WHERE day >= today() - 8) LIMIT {batch:UInt32}`,
    { batch: BATCH },
  )
  // Nothing new to decide: the visits that go on still change today's company visits.
  if (pending.length === 0 && leftovers.length === 0) {
    return dayLock.run(async () => {
      await adoptNamedOwners(db, knowledge)
      await recomputeCompanyVisits(db, [])
      return 0
    })
  }

  const results = new Map<string, LookupResult>()
  for (const ip of new Set(pending.map((p) => p.ip))) results.set(ip, await intel.lookupIp(ip, { place: false }))

  // Sites that count only some pages: which of these visits saw one?
  const settings = await db.query<{ site: string; company_pages: string[] }>('SELECT site, company_pages FROM site_settings FINAL')
  const patterns = new Map(settings.map((s) => [s.site, pagePattern(s.company_pages)]))
  const needPages = pending.filter((p) => results.get(p.ip)?.company && patterns.get(p.site))
  const pagesBySid = new Map<string, string[]>()
  if (needPages.length > 0) {
    const sites = [...new Set(needPages.map((p) => p.site))]
    for (const keys of paramChunks(needPages.map((p) => `${p.site}/${p.sid}`))) {
      const rows = await db.query<{ site: string; sid: string; paths: string[] }>(
        `SELECT site, sid, groupUniqArray(path) AS paths FROM events
         WHERE type = 'pageview' AND site IN {sites:Array(String)} AND concat(site, '/', sid) IN {keys:Array(String)} GROUP BY site, sid`,
        { sites, keys },
      )
      for (const r of rows) pagesBySid.set(`${r.site}/${r.sid}`, r.paths)
    }
  }

  const decided: Decision[] = []
  const companies = new Map<string, Record<string, unknown>>()
  const now = Date.now()
  for (const p of pending) {
    const r = results.get(p.ip)!
    let company = r.company
    const pattern = patterns.get(p.site)
    if (company && pattern) {
      const seen = (pagesBySid.get(`${p.site}/${p.sid}`) ?? []).some((path) => pattern.test(path))
      if (!seen) {
        // Not yet: the visit may still reach a counted page; decide once it is over.
        if (now - msOf(p.last_ts) < IDLE_MS) continue
        company = null
      }
    }
    decide(p, r, company, decided, companies)
  }

  // The writing part under dayLock, the lookups (reverse DNS can take seconds) outside it:
  // a visit an erasure removed meanwhile has no IP rows left and is not written back.
  return dayLock.run(async () => {
    // The keys travel in pieces: a server refuses a URL field over 128 KiB (about 2,000 keys).
    const alive = new Set<string>()
    for (const keys of paramChunks(decided.map((d) => `${d.site}/${d.sid}`))) {
      const rows = await db.query<{ k: string }>(
        "SELECT DISTINCT concat(site, '/', sid) AS k FROM visit_ips WHERE concat(site, '/', sid) IN {keys:Array(String)}",
        {
          keys,
        },
      )
      for (const r of rows) alive.add(r.k)
    }
    const write = decided.filter((d) => alive.has(`${d.site}/${d.sid}`))
    if (companies.size > 0) await db.insert('companies', [...companies.values()])
    if (write.length > 0) await db.insert('enriched_sessions', write)

    // The full IP has served its purpose for every decided visit.
    const done = [...write, ...leftovers].map((d) => `${d.site}/${d.sid}`)
    if (done.length > 0) {
      for (const keys of paramChunks(done)) await db.command("DELETE FROM visit_ips WHERE concat(site, '/', sid) IN {keys:Array(String)}", { keys })
      // A lightweight DELETE only masks the rows: the parts are rewritten without them.
      await applyDeletedMask(db, 'visit_ips')
    }

    const companyDays = [...new Set(write.filter((d) => d.company_id).map((d) => d.day))]
    await recomputeCompanyVisits(db, companyDays)
    // Late decisions on finished days; today's visits are copied once the day is over.
    const today = isoDay(new Date())
    await copyCompanySessions(
      db,
      visitDaysOf(companyDays).filter((d) => d < today),
    )
    // After the writes: this run's lookups may predate an admin naming their owner.
    await adoptNamedOwners(db, knowledge)
    // A suppression added while this run looked companies up must still win.
    if (companies.size > 0) await applySuppressions(db, knowledge)
    return write.length
  })
}
