// Company visits per (site, company, day), recomputed from events of the visits that
// enrichment attributed to a company, with the source of the day's latest visit: shared by the enrich job (new decisions) and
// erasure (a visitor's visits leave the figures). A rerun replaces, never adds.
import type { Db } from '../lib/db.ts'

/**
 * Company visits per (site, company, day) for the given days plus today and
 * yesterday (visits still going on), from events of the visits attributed to a company.
 */
export async function recomputeCompanyVisits(db: Db, days: string[]): Promise<void> {
  await db.command(
    `INSERT INTO company_visits (site, company_id, day, visits, pageviews, visitors, pages, first_seen, last_seen, duration, latest_source)
     SELECT site, company_id, day, count() AS visits, sum(pv) AS pageviews, uniqState(vid) AS visitors,
            arraySlice(arrayDistinct(arrayFlatten(groupArray(paths))), 1, 200) AS pages,
            min(t0) AS first_seen, max(t1) AS last_seen, sum(dateDiff('second', t0, t1)) AS duration, argMax(src, t1) AS latest_source
     FROM (
       SELECT e.site AS site, s.company_id AS company_id, toDate(e.ts) AS day, e.sid AS sid, any(e.vid) AS vid,
              countIf(e.type = 'pageview') AS pv, groupUniqArrayIf(e.path, e.type = 'pageview') AS paths,
              min(e.ts) AS t0, max(e.ts) AS t1,
              -- The visit's source, as in aggregates/visits.ts: its first page view's (events before sql/016 have none).
              argMinIf(multiIf(e.source != '', e.source, e.utm_source != '', e.utm_source, e.referrer_source), e.ts, e.type = 'pageview') AS src
       FROM events AS e
       INNER JOIN (SELECT site, sid, company_id FROM enriched_sessions FINAL WHERE company_id != '') AS s
         ON e.site = s.site AND e.sid = s.sid
       WHERE toDate(e.ts) IN {days:Array(Date)} OR toDate(e.ts) >= today() - 1
       GROUP BY site, company_id, day, sid
     )
     GROUP BY site, company_id, day`,
    { days },
  )
}
