// What a migration must not do while processes of the previous version keep running on
// the same ClickHouse server (a rolling upgrade, issue 18 defect 2): collectors insert
// into the events and its views throughout. A view dropped and created again misses
// every insert in between, with nothing to tell; a table dropped, renamed or exchanged
// fails or misplaces the inserts. `ALTER TABLE <view> MODIFY QUERY` changes a view in
// place (test/sql/rolling-upgrade.test.ts: nothing missed under two collectors' load).
import type { readMigrations } from './migrate.ts'
import { VIEWS } from '../aggregates/views.ts'
import { JOURNAL_TABLES } from '../collector/journal.ts'

type Migration = ReturnType<typeof readMigrations>[number]

/** The first migration held to this: 001-022 ran before rolling upgrades were supported. */
export const ROLLING_SINCE = 23

/** What collectors of any version write while they run: their tables, the views on events and the views' tables. */
export const WRITTEN_WHILE_RUNNING: ReadonlySet<string> = new Set([
  ...Object.values(JOURNAL_TABLES),
  'dropped_events',
  ...VIEWS.flatMap((v) => [v.name, v.target]),
])

const NAME = '`?(\\w+)`?'
const STATEMENTS: Array<[RegExp, string]> = [
  [new RegExp(`^DROP\\s+(?:TABLE|VIEW|DICTIONARY)\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i'), 'drops'],
  [new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i'), 'empties'],
  [new RegExp(`^RENAME\\s+TABLE\\s+${NAME}`, 'i'), 'renames'],
  [new RegExp(`^EXCHANGE\\s+TABLES\\s+${NAME}\\s+AND\\s+${NAME}`, 'i'), 'exchanges'],
  [new RegExp(`^CREATE\\s+OR\\s+REPLACE\\s+(?:TABLE|VIEW|MATERIALIZED\\s+VIEW)\\s+${NAME}`, 'i'), 'replaces'],
]

/** Why `m` would lose or refuse inserts of running collectors: one line per statement, none when it is safe. */
export function rollingUpgradeProblems(m: Migration): string[] {
  const out: string[] = []
  m.statements.forEach((statement, i) => {
    for (const [re, verb] of STATEMENTS) {
      const hit = re.exec(statement.trim())
      const names = hit?.slice(1).filter((n): n is string => n !== undefined && WRITTEN_WHILE_RUNNING.has(n)) ?? []
      for (const name of names)
        out.push(
          `${m.name} statement ${i + 1} ${verb} ${name}, which running collectors write: change a view with ALTER TABLE … MODIFY QUERY, a table with ALTER TABLE … ADD/MODIFY COLUMN`,
        )
    }
  })
  return out
}
