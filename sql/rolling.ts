// What a migration must not do while processes of the previous version keep running on
// the same ClickHouse server (a rolling upgrade, issue 18 defect 2): collectors insert
// into the events and its views throughout. A view dropped and created again misses
// every insert in between, with nothing to tell; a table dropped, detached, renamed or
// exchanged fails or misplaces the inserts; a column dropped or renamed fails the old
// collectors' inserts that name it; rows or partitions deleted from a table a view fills
// lose what the view wrote. `ALTER TABLE <view> MODIFY QUERY` changes a view in place
// (test/sql/rolling-upgrade.test.ts: nothing missed under two collectors' load).
//
// What this covers: the tables and views collectors write. Old dashboard and jobs
// processes running during the upgrade are not covered: a migration may change what
// only they write or read (docs/storage.md).
import type { readMigrations } from './migrate.ts'
import { VIEWS } from '../aggregates/views.ts'
import { JOURNAL_TABLES } from '../collector/journal.ts'
import { stripComments } from './text.ts'

type Migration = ReturnType<typeof readMigrations>[number]

/**
 * The first migration held to this: 001-023 ran, or were written, before rolling upgrades
 * were supported (023 drops the old company_inbox, which only dashboards write).
 */
export const ROLLING_SINCE = 24

/**
 * What collectors of any version write while they run: their tables, the Null twins the
 * writer inserts into to tell a bad row from a bad server (`*_parse_check`), the views on
 * events and the views' tables.
 */
const WRITTEN_WHILE_RUNNING: ReadonlySet<string> = new Set([
  ...Object.values(JOURNAL_TABLES),
  ...Object.values(JOURNAL_TABLES).map((t) => `${t}_parse_check`),
  'dropped_events',
  ...VIEWS.flatMap((v) => [v.name, v.target]),
])

// After normalising (no comments, no backquotes, one space between words, upper-case
// keywords matched case-insensitively): a name, with the database it may be qualified by.
const NAME = '(?:\\w+\\.)?\\w+'
const LIST = `${NAME}(?: ?, ?${NAME})*`
const FIX = 'change a view with ALTER TABLE … MODIFY QUERY, a table with ALTER TABLE … ADD COLUMN'

type Rule = { re: RegExp; verb: string; names: (m: RegExpExecArray) => string[] }
const list = (s: string | undefined) => (s ?? '').split(',').map((n) => n.trim())
const RULES: Rule[] = [
  { re: new RegExp(`^DROP (?:TEMPORARY )?(?:TABLE|VIEW|DICTIONARY) (?:IF EXISTS )?(${LIST})`, 'i'), verb: 'drops', names: (m) => list(m[1]) },
  { re: new RegExp(`^DETACH (?:TABLE|VIEW|DICTIONARY) (?:IF EXISTS )?(${LIST})`, 'i'), verb: 'detaches', names: (m) => list(m[1]) },
  { re: new RegExp(`^TRUNCATE (?:TEMPORARY )?(?:TABLE )?(?:IF EXISTS )?(${NAME})`, 'i'), verb: 'empties', names: (m) => list(m[1]) },
  // Both sides: a name written to is taken by another table too.
  {
    re: new RegExp(`^RENAME (?:TABLE |DICTIONARY )?(${NAME} TO ${NAME}(?: ?, ?${NAME} TO ${NAME})*)`, 'i'),
    verb: 'renames',
    names: (m) => list(m[1]).flatMap((pair) => pair.split(/ TO /i)),
  },
  { re: new RegExp(`^EXCHANGE (?:TABLES|DICTIONARIES) (${NAME}) AND (${NAME})`, 'i'), verb: 'exchanges', names: (m) => [m[1]!, m[2]!] },
  {
    re: new RegExp(`^(?:CREATE OR REPLACE|REPLACE) (?:TEMPORARY )?(?:TABLE|VIEW|MATERIALIZED VIEW|DICTIONARY) (?:IF NOT EXISTS )?(${NAME})`, 'i'),
    verb: 'replaces',
    names: (m) => [m[1]!],
  },
  { re: new RegExp(`^DELETE FROM (${NAME})`, 'i'), verb: 'deletes rows of', names: (m) => [m[1]!] },
]

// What an ALTER TABLE may not do to a table collectors write. ADD COLUMN is safe: old
// collectors do not name the new column, which takes its default. MODIFY COLUMN is left
// to review: a widening change (UInt16 → UInt32, adding Nullable or LowCardinality)
// keeps old collectors' inserts parsing, while a change to a type their values do not
// parse as would fail them, and telling the two apart needs the types.
const ALTER = new RegExp(`^ALTER TABLE (${NAME})(?: ON CLUSTER \\S+)? (.*)$`, 'i')
const ALTER_COMMANDS: Array<[RegExp, string]> = [
  [/\bDROP COLUMN\b/i, 'drops a column of'],
  [/\bRENAME COLUMN\b/i, 'renames a column of'],
  [/\b(?:DROP|DETACH) (?:PARTITION|PART)\b/i, 'drops partitions of'],
  [/(?:^|, ?)DELETE (?:IN PARTITION \S+ )?WHERE\b/i, 'deletes rows of'],
]

/** The statement as the rules read it: no comments or backquotes, whitespace collapsed. */
function normalise(statement: string): string {
  return stripComments(statement)
    .replaceAll('`', '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([.,]) ?/g, (_all, p: string) => (p === '.' ? '.' : ', '))
    .trim()
}

const bare = (name: string) => name.slice(name.lastIndexOf('.') + 1)

/** Why `m` would lose or refuse inserts of running collectors: one line per statement and name, none when it is safe. */
export function rollingUpgradeProblems(m: Migration): string[] {
  const out: string[] = []
  const flag = (i: number, verb: string, names: string[]) => {
    for (const name of new Set(names.map(bare))) {
      if (WRITTEN_WHILE_RUNNING.has(name)) out.push(`${m.name} statement ${i + 1} ${verb} ${name}, which running collectors write: ${FIX}`)
    }
  }
  m.statements.forEach((statement, i) => {
    const sql = normalise(statement)
    for (const rule of RULES) {
      const hit = rule.re.exec(sql)
      if (hit) flag(i, rule.verb, rule.names(hit))
    }
    const alter = ALTER.exec(sql)
    // MODIFY QUERY is followed by a SELECT, whose words are not commands.
    if (alter && !/^MODIFY QUERY\b/i.test(alter[2]!)) {
      for (const [re, verb] of ALTER_COMMANDS) if (re.test(alter[2]!)) flag(i, verb, [alter[1]!])
    }
  })
  return out
}
