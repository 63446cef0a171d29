// `node --import tsx test/ops/seed.ts` with DATA_DIR: Spoor's schema, then three past
// days of page views, two recognised companies with visits, a viewer and two opt-outs,
// written as the jobs and the collector would have. A child process of its own: chDB
// serves one directory per process, and the backup test's process opens another.
import { Users } from '../../auth/users.ts'
import { loadConfig } from '../../lib/config.ts'
import { chTime, openDb } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate } from '../../sql/migrate.ts'
import { vidHash } from '../../privacy/hash.ts'
import { eventRow } from '../helpers/events.ts'

/** Page views and visitors per day back from today: what the API must report for those days. */
export const PAST = [
  { daysAgo: 3, pageviews: 20, visitors: 8 },
  { daysAgo: 2, pageviews: 35, visitors: 35 },
  { daysAgo: 1, pageviews: 12, visitors: 4 },
] as const
export const SEEDED_OPTOUTS = ['seeded-optout-one', 'seeded-optout-two']
export const VIEWER = { email: 'sales@example.com', password: 'another long secret', role: 'viewer' as const }
export const COMPANY_IDS = ['0123456789abcdef', 'fedcba9876543210']

const dayAt = (daysAgo: number, hour: number, minute: number) => {
  const d = new Date()
  d.setUTCHours(hour, minute, 0, 0)
  return new Date(d.getTime() - daysAgo * 86_400_000)
}

async function seed(): Promise<void> {
  const config = loadConfig()
  const db = await openDb(config)
  await migrate(db, createLogger('silent'))
  const events = PAST.flatMap(({ daysAgo, pageviews, visitors }) =>
    Array.from({ length: pageviews }, (_, i) =>
      eventRow({
        ts: chTime(dayAt(daysAgo, 9, i)),
        vid: `v${daysAgo}-${i % visitors}`,
        sid: `s${daysAgo}-${i % visitors}`,
        path: `/page-${i % 5}`,
        title: 'Page',
        referrer_source: i % 2 ? 'Google' : '',
      }),
    ),
  )
  await db.insert('events', events)
  await db.insert(
    'companies',
    COMPANY_IDS.map((id, i) => ({
      company_id: id,
      name: `Company ${i + 1} B.V.`,
      domain: `company${i + 1}.example`,
      country: 'NL',
      network_type: 'business',
      evidence: 'seed',
    })),
  )
  for (const [i, id] of COMPANY_IDS.entries()) {
    await db.command(
      `INSERT INTO company_visits (site, company_id, day, visits, pageviews, visitors, pages, first_seen, last_seen, duration)
       SELECT 'example.com', {id:String}, {day:Date}, {visits:UInt32}, {pv:UInt32}, uniqState(v), ['/page-0', '/page-1'], {first:DateTime64(3)}, {last:DateTime64(3)}, 300
       FROM (SELECT arrayJoin({vids:Array(String)}) AS v)`,
      {
        id,
        day: chTime(dayAt(i + 1, 0, 0)).slice(0, 10),
        visits: 2 + i,
        pv: 5 + i,
        vids: ['v1-0', 'v1-1', 'v1-2'].slice(0, 1 + i),
        first: chTime(dayAt(i + 1, 9, 0)),
        last: chTime(dayAt(i + 1, 9, 5)),
      },
    )
  }
  await new Users(db).upsert(VIEWER.email, VIEWER.password, VIEWER.role)
  await db.insert(
    'optouts',
    SEEDED_OPTOUTS.map((v) => ({ vid_hash: vidHash(v) })),
  )
  await db.close()
}

if (import.meta.url === `file://${process.argv[1]}`) await seed()
