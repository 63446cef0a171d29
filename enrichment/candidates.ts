// Review-queue candidates (issue 17) once an admin named them: the owner's past visits
// become company visits, as if the directory had known the owner all along. Future
// visits need nothing from here: enrichment finds the owner in the directory.
import { recomputeCompanyVisits } from '../aggregates/company-visits.ts'
import { copyCompanySessions } from '../aggregates/company-sessions.ts'
import type { Db } from '../lib/db.ts'
import { companyId, type Knowledge } from './company.ts'
import { likePattern } from '../lib/pages.ts'

/** A decided visit of a review-queue candidate: its network's owner is known, no company is (enrichment records only 'unknown' ones so). */
export const CANDIDATE = "network_type = 'unknown' AND company_id = '' AND owner != ''"
const UNNAMED = `owner IN {owners:Array(String)} AND ${CANDIDATE}`

/**
 * Rewrites the 'unknown' decisions of the visits from `owners` as visits of company
 * `id`, and recomputes company_visits for the days those visits have events on. Each
 * rewritten row keeps its visit's `day`: the rows of one visit must share it
 * (FINAL_PER_PARTITION in lib/db.ts). On a site that counts only some pages,
 * only visits that saw one are attributed, as enrichment would have. The caller holds
 * dayLock. Returns how many visits were attributed.
 */
export async function attributeOwnerVisits(db: Db, owners: string[], id: string): Promise<number> {
  const sites = (await db.query<{ site: string }>(`SELECT DISTINCT site FROM enriched_sessions FINAL WHERE ${UNNAMED}`, { owners })).map((r) => r.site)
  if (sites.length === 0) return 0
  const settings = await db.query<{ site: string; company_pages: string[] }>(
    'SELECT site, company_pages FROM site_settings FINAL WHERE site IN {sites:Array(String)}',
    { sites },
  )
  for (const site of sites) {
    const likes = (settings.find((s) => s.site === site)?.company_pages ?? []).map(likePattern)
    await db.command(
      `INSERT INTO enriched_sessions (site, sid, day, network_type, company_id, network, asn, owner, country)
       SELECT site, sid, day, 'business', {id:String}, network, asn, owner, country
       FROM enriched_sessions FINAL
       WHERE site = {site:String} AND ${UNNAMED}
         AND (empty({likes:Array(String)})
              OR sid IN (SELECT sid FROM events WHERE site = {site:String} AND type = 'pageview' AND arrayExists(l -> path LIKE l, {likes:Array(String)})))`,
      { id, site, owners, likes },
    )
  }
  const mine = '(site, sid) IN (SELECT site, sid FROM enriched_sessions FINAL WHERE company_id = {id:String} AND owner IN {owners:Array(String)})'
  const [n] = await db.query<{ n: string }>(
    'SELECT count() AS n FROM enriched_sessions FINAL WHERE company_id = {id:String} AND owner IN {owners:Array(String)}',
    { id, owners },
  )
  // company_visits is per UTC day of the events: a visit over midnight touches two.
  const days = await db.query<{ d: string }>(`SELECT DISTINCT toString(toDate(ts)) AS d FROM events WHERE site IN {sites:Array(String)} AND ${mine}`, {
    id,
    owners,
    sites,
  })
  await recomputeCompanyVisits(
    db,
    days.map((r) => r.d),
  )
  await copyCompanySessions(
    db,
    days.map((r) => r.d),
  )
  return Number(n?.n ?? 0)
}

/**
 * Visits decided with a directory that did not name their owner yet, though an admin
 * had named it meanwhile (a run that looked up before the naming and wrote after it, or
 * another process): attributed on the next run. Only the last two days can hold such
 * visits; the naming itself attributed everything older. The caller holds dayLock.
 */
export async function adoptNamedOwners(db: Db, knowledge: Knowledge): Promise<number> {
  const owners = await db.query<{ owner: string }>(`SELECT DISTINCT owner FROM enriched_sessions WHERE day >= today() - 1 AND ${CANDIDATE}`)
  let n = 0
  for (const { owner } of owners) {
    // Only owners named through the queue: their company row was written by the naming.
    if (knowledge.directory('', owner)?.owner) n += await attributeOwnerVisits(db, [owner], companyId(owner))
  }
  return n
}
