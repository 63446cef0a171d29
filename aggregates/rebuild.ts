// Rebuilds a daily aggregate's rows for one (site, day) from the raw events, with the
// view's own SELECT over only that day's events: erasure makes the figures exact.
import type { Db } from '../lib/db.ts'
import type { View } from './views.ts'

const DAY_OF_EVENTS = '(SELECT * FROM events WHERE site = {site:String} AND toDate(ts) = {day:Date}) AS events'

/** Callers hold dayLock: the rollup and enrichment rewrite the same days. */
export async function rebuildDay(db: Db, view: View, site: string, day: string): Promise<void> {
  // A synchronous ALTER … DELETE, not a lightweight DELETE: seen here, a lightweight
  // delete racing a background merge of the same part left the old aggregate row visible.
  await db.client.command({
    query: 'ALTER TABLE {t:Identifier} DELETE WHERE site = {site:String} AND day = {day:Date}',
    query_params: { t: view.target, site, day },
    clickhouse_settings: { mutations_sync: '2' },
  })
  // insert_deduplicate = 0: an ALTER DELETE does not forget the block hashes, so a
  // resumed erasure re-inserting the same rows would otherwise be dropped as a
  // duplicate and leave the day empty.
  await db.client.command({
    query: `INSERT INTO {t:Identifier} ${view.select(DAY_OF_EVENTS)}`,
    query_params: { t: view.target, site, day },
    clickhouse_settings: { insert_deduplicate: 0 },
  })
}
