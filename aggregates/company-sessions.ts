// company_sessions (sql/025): the visit rows of company visits, what the companies list
// reads under stats filters instead of joining every matching visit with
// enriched_sessions. A copy of `visits` joined with the decisions, so it is copied again
// whenever either side changes for a day: the rollup (a finished day), the enrichment (a
// late decision), the naming of a candidate. A suppression deletes its companies' rows,
// erasure the visitor's. Copies replace older ones (ReplacingMergeTree), so two processes
// copying the same day at once leave one row per visit.
import { type Db, FINAL_PER_PARTITION } from '../lib/db.ts'
import { addDays } from '../lib/timezone.ts'
import { VISIT_COLUMNS, VISIT_COLUMNS_OF_V } from './visits.ts'

/**
 * Copies the company visits of the visit rows of `days` (UTC days of `visits`) into
 * company_sessions. A visit's decision is dated by the day it started, so a row of day
 * D may be decided on D - 1 (a visit over midnight). One statement for any number of
 * days: the decisions are read once.
 */
export async function copyCompanySessions(db: Db, days: readonly string[]): Promise<void> {
  if (days.length === 0) return
  const sorted = [...new Set(days)].sort()
  await db.command(
    `INSERT INTO company_sessions (${VISIT_COLUMNS}, company_id)
     SELECT ${VISIT_COLUMNS_OF_V}, e.company_id FROM visits AS v
     INNER JOIN (SELECT site, sid, company_id FROM enriched_sessions FINAL WHERE day BETWEEN {e0:Date} AND {e1:Date} AND company_id != '') AS e
       ON e.site = v.site AND e.sid = v.sid
     WHERE v.day IN {days:Array(Date)}
       -- Not a visitor being erased: on a server a copy in another process may have read
       -- the visit before the erasure's deletes and land after them.
       AND v.vid NOT IN (SELECT vid FROM erasure_requests WHERE vid != '')
     ${FINAL_PER_PARTITION}`,
    { days: sorted, e0: addDays(sorted[0]!, -1), e1: sorted[sorted.length - 1]! },
  )
}

/** The visit days a visit decided on `day` can have rows on: that day and the next. */
export const visitDaysOf = (decided: Iterable<string>): string[] => [...new Set([...decided].flatMap((d) => [d, addDays(d, 1)]))]
