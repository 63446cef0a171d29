// The review queue (issue 17): organisations that visited but were not named, for an
// admin to name (a directory entry; their past visits become company visits) or to
// dismiss. Privacy first: only visits whose network type is 'unknown' and whose owner
// reads like an organisation ever carry what the queue shows (enrich-visits' decide()),
// and every row is judged again by the classifier before it is shown or named, so that
// a provider's network (ISP, mobile, hosting) or a person's never appears: naming one
// would name the private persons behind it.
import express, { Router } from 'express'
import { z } from 'zod'
import { requireAdmin } from '../auth/users.ts'
import { attributeOwnerVisits, CANDIDATE } from '../enrichment/candidates.ts'
import { companyId, nameKey } from '../enrichment/company.ts'
import { countryCode, domainName, text } from '../enrichment/directory.ts'
import { companyRecord } from '../enrichment/jobs/enrich-visits.ts'
import { MIN_CONFIDENCE } from '../enrichment/jobs/learn-domains.ts'
import type { IpIntel, LookupResult } from '../enrichment/lookup.ts'
import { looksLikePerson } from '../enrichment/rules.ts'
import { type Db, FINAL_PER_PARTITION } from '../lib/db.ts'
import { HttpError } from '../lib/errors.ts'
import { parseCidr } from '../lib/ip.ts'
import { dayLock } from '../lib/lock.ts'
import type { Sites } from '../lib/sites.ts'
import { parseOr400 } from '../lib/validate.ts'
import { parseRange } from './stats.ts'
import type { CandidateDismissed, CandidateList, CandidateNamed, CandidateRow } from '../lib/api-types.ts'

// Rows a call may ask for; pages and networks per row are capped in the query.
const MAX_LIMIT = 500
const PROVIDER_TYPES = new Set(['isp', 'mobile', 'hosting'])

const network = z
  .string({ message: 'network is required, e.g. "192.0.2.0/24"' })
  .trim()
  .max(64, 'network is longer than 64 characters')
  .refine((n) => n.includes('/') && parseCidr(n) !== null, 'network must be a network such as "192.0.2.0/24" or "2001:db8::/48"')

const NameBody = z.object({
  network,
  name: z.string({ message: 'name is required' }).trim().min(1, 'name is required').max(300, 'name is longer than 300 characters'),
  domain: domainName.refine((d) => d !== '', 'is required, e.g. "example.com"'),
  country: countryCode,
  city: text(100),
  industry: text(200),
  employee_range: text(50),
  website: text(300),
})

const DismissBody = z.object({ network })

/** Who the network belongs to now, asked of the classifier without reverse DNS (nothing leaves the machine). */
async function judge(intel: IpIntel, net: string): Promise<LookupResult> {
  return intel.lookupIp(net.split('/')[0]!, { rdns: false, place: false })
}

/** Whether the classifier still offers this network's owner for naming. */
const isCandidate = (r: LookupResult): r is LookupResult & { candidate: string } =>
  r.network_type === 'unknown' && r.candidate !== null && !looksLikePerson(r.candidate)

export class CandidateQueries {
  constructor(
    private readonly db: Db,
    private readonly intel: IpIntel,
  ) {}

  async list(q: { site: string; from: string; to: string; limit: number }): Promise<CandidateRow[]> {
    // Visits of the range whose owner was recorded as a candidate (only 'unknown' ones are).
    // FINAL within each month's partition: 580 -> 190 ms for 30 days of 2 M decided
    // visits (200k candidates, 6 M page views), as a named visit's rows keep their day.
    const unnamed = `SELECT sid, day, network, asn, owner, country FROM enriched_sessions FINAL
       WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
         AND ${CANDIDATE}`
    const rows = await this.db.query<CandidateRow>(
      `SELECT c.owner AS owner, topK(1)(c.asn)[1] AS asn, topK(1)(c.country)[1] AS country,
              topK(1)(c.network)[1] AS network, topK(20)(c.network) AS networks, count() AS visits,
              arraySlice(groupUniqArrayArray(50)(e.paths), 1, 50) AS pages,
              toString(greatest(max(e.t1), toDateTime64(max(c.day), 3, 'UTC'))) AS last_visit
       FROM (${unnamed}) AS c
       LEFT JOIN (
         SELECT sid, groupUniqArrayIf(50)(path, type = 'pageview') AS paths, max(ts) AS t1 FROM events
         WHERE site = {site:String} AND toDate(ts) BETWEEN {from:Date} AND {to:Date} + 1 AND sid IN (SELECT sid FROM (${unnamed}))
         GROUP BY sid
       ) AS e ON e.sid = c.sid
       WHERE c.owner NOT IN (SELECT owner FROM candidate_dismissals FINAL)
       GROUP BY c.owner
       ORDER BY visits DESC, owner ASC
       LIMIT {limit:UInt32}
       ${FINAL_PER_PARTITION}`,
      q,
    )
    const out: CandidateRow[] = []
    for (const r of rows) {
      // Judged again now: a provider list or a directory entry newer than the visit, a
      // suppression, or a rule change takes the owner out of the queue.
      const now = await judge(this.intel, r.network)
      if (!isCandidate(now) || looksLikePerson(r.owner)) continue
      out.push({ ...r, asn: Number(r.asn), visits: Number(r.visits) })
    }
    return out
  }

  /** The owner recorded for a network's visits, or null when none of its visits was a candidate. */
  async recordedOwner(net: string): Promise<string | null> {
    const [row] = await this.db.query<{ owner: string }>(
      "SELECT owner FROM enriched_sessions WHERE network = {net:String} AND owner != '' ORDER BY decided_at DESC LIMIT 1",
      { net },
    )
    return row?.owner ?? null
  }
}

/**
 * The classifier's verdict on a network an admin wants to name or dismiss: a 400 naming
 * the reason unless it is still an organisation nobody named. The client's word is never
 * taken for the network's type.
 */
async function candidateOf(intel: IpIntel, net: string): Promise<LookupResult & { candidate: string; network: string }> {
  const r = await judge(intel, net)
  if (PROVIDER_TYPES.has(r.network_type))
    throw new HttpError(400, `network ${r.network} is a ${r.network_type} network: its visitors are private persons, and it is never named`, 'network')
  if (r.company) throw new HttpError(409, `network ${r.network} is recognised already, as ${r.company.name}`, 'network')
  if (!isCandidate(r) || !r.network)
    throw new HttpError(
      400,
      `network ${r.network ?? net} has no organisation to name (its owner is unknown, reads like a private person, or asked not to be recognised)`,
      'network',
    )
  return r as LookupResult & { candidate: string; network: string }
}

export function candidatesRouter(deps: { db: Db; sites: Sites; intel: IpIntel }): Router {
  const r = Router()
  const queries = new CandidateQueries(deps.db, deps.intel)
  const knowledge = deps.intel.parts.knowledge

  r.get('/api/companies/candidates', requireAdmin, async (req, res) => {
    const range = parseRange(req, deps.sites, MAX_LIMIT)
    const rows = await queries.list({ site: range.site, from: range.from, to: range.to, limit: range.limit })
    res.json({ site: range.site, from: range.from, to: range.to, results: rows } satisfies CandidateList)
  })

  r.post('/api/companies/candidates/name', requireAdmin, express.json({ limit: '8kb' }), async (req, res) => {
    const b = parseOr400(NameBody, req.body)
    const found = await candidateOf(deps.intel, b.network)
    if (!deps.intel.parts.companyTypes.includes('business'))
      throw new HttpError(409, 'COMPANY_NETWORK_TYPES leaves out business networks: a named organisation would not be recognised')
    const owner = found.candidate
    const recorded = await queries.recordedOwner(found.network)
    if (recorded === null) throw new HttpError(404, `no visit from network ${found.network} is in the review queue`, 'network')
    const { network: _, ...entry } = b
    // One entry per owner (key o:…): naming it again replaces the first name.
    await deps.db.insert('company_directory', [{ key: `o:${nameKey(owner)}`, ...entry, address: '', postcode: '', phone: '', registration_number: '', owner }])
    await knowledge.refresh(deps.db, MIN_CONFIDENCE)
    // The company exactly as enrichment will now make it for the owner's next visit.
    const named = await deps.intel.lookupIp(found.network.split('/')[0]!, { rdns: false })
    if (!named.company || named.company.id !== companyId(owner)) throw new Error(`naming ${found.network} did not make its owner a company`)
    const company = named.company
    const visits = await dayLock.run(async () => {
      await deps.db.insert('companies', [companyRecord(named, company)])
      return attributeOwnerVisits(deps.db, [...new Set([owner, recorded])], company.id)
    })
    res.status(201).json({
      company: { id: company.id, name: company.name, domain: company.domain },
      owner,
      network: found.network,
      visits,
    } satisfies CandidateNamed)
  })

  r.post('/api/companies/candidates/dismiss', requireAdmin, express.json({ limit: '4kb' }), async (req, res) => {
    const b = parseOr400(DismissBody, req.body)
    const net = (await judge(deps.intel, b.network)).network ?? b.network
    // By what the queue showed: a network that is no candidate (any more) has no owner recorded.
    const owner = await queries.recordedOwner(net)
    if (owner === null) throw new HttpError(404, `no visit from network ${net} is in the review queue`, 'network')
    await deps.db.insert('candidate_dismissals', [{ owner, network: net }])
    res.json({ owner, network: net } satisfies CandidateDismissed)
  })
  return r
}
