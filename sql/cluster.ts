// The migrations' DDL for a replicated ClickHouse cluster (CLICKHOUSE_CLUSTER, issue 18
// defect 7). The numbered files stay written for one server; each statement is turned
// into its cluster form as it runs, so the two never drift apart. docs/cluster.md says
// which topologies this serves, and what was and was not tested.
import type { Db } from '../lib/db.ts'
import { ConfigError } from '../lib/config.ts'
import { maskStrings, quoteEnd, stripComments } from './text.ts'

/**
 * `on-cluster`: an Atomic database on every host of a cluster of one shard; each DDL
 * carries ON CLUSTER and each MergeTree table names its own Keeper path.
 * `replicated-database`: a database of engine Replicated, which replicates DDL itself;
 * tables take the database's default Keeper path and replica name.
 */
export type Topology = { kind: 'on-cluster'; cluster: string } | { kind: 'replicated-database' }

/**
 * The Keeper path of every replicated table. {uuid} and not {database}/{table}: the
 * migrations swap tables with EXCHANGE (008, 009) and drop and re-create `_v2` tables,
 * and the migration lock is renamed aside and made again. A path built from the name
 * would follow the name, not the table: the swapped tables would keep each other's old
 * paths, and a table made again under a dropped one's name would find that path still
 * in Keeper (an Atomic database removes it only database_atomic_delay_before_drop_table_sec,
 * 480 s, later) and fail with REPLICA_ALREADY_EXISTS. A UUID belongs to one table for its
 * life; ON CLUSTER gives the table the same UUID on every host. {shard}: each shard would
 * be its own replication group, as in ClickHouse's default_replica_path.
 */
export const KEEPER_PATH = '/clickhouse/tables/{uuid}/{shard}'
const REPLICA_NAME = '{replica}'

const NAME = '[A-Za-z_][A-Za-z0-9_]*'
// The keyword in any case; the engine's name as ClickHouse spells it (names are case-sensitive).
const ENGINE = /\b[Ee][Nn][Gg][Ii][Nn][Ee]\s*=\s*(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite|Coalescing)?MergeTree\b/g

// Where ON CLUSTER goes in each kind of statement the migrations use: after the name the
// statement is about (after the second one for EXCHANGE and RENAME).
const HEADS: RegExp[] = [
  new RegExp(`^(CREATE\\s+(?:MATERIALIZED\\s+)?(?:TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME})`, 'i'),
  new RegExp(`^(DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?${NAME})`, 'i'),
  new RegExp(`^(ALTER\\s+TABLE\\s+${NAME})`, 'i'),
  new RegExp(`^(EXCHANGE\\s+TABLES\\s+${NAME}\\s+AND\\s+${NAME})`, 'i'),
  new RegExp(`^(RENAME\\s+TABLE\\s+${NAME}\\s+TO\\s+${NAME})`, 'i'),
  new RegExp(`^(TRUNCATE\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${NAME})`, 'i'),
]

export class ClusterDdlError extends Error {
  override name = 'ClusterDdlError'
}

/**
 * The statement as it runs on the cluster. A data copy (INSERT … SELECT) stays as it is:
 * it runs once, on the replica this process talks to, and the target table, replicated,
 * carries the rows to the other replicas; run on every host it would copy them once per
 * replica. A statement of a kind not known here is refused rather than run on one host.
 */
export function clusterStatement(statement: string, topology: Topology): string {
  // Comments out first: a keyword in one is not the statement's.
  const sql = stripComments(statement).trim()
  if (/^INSERT\s+INTO\b/i.test(sql)) return sql
  // A view without TO stores its rows in an inner table of the engine it names, which
  // would be one more table to make replicated: every view here writes TO a table.
  if (/^CREATE\s+MATERIALIZED\s+VIEW\b/i.test(sql) && !new RegExp(`\\bTO\\s+${NAME}\\s+AS\\b`, 'i').test(sql)) {
    throw new ClusterDdlError(`a materialized view on a cluster must write TO a table of its own: ${sql.slice(0, 120)}`)
  }
  const replicated = replicateEngines(sql, topology)
  // A Replicated database runs every DDL on each of its replicas by itself.
  if (topology.kind === 'replicated-database') return replicated
  for (const head of HEADS) {
    const m = head.exec(replicated)
    if (!m) continue
    // `db.table`: the head ends at `db`, and ON CLUSTER would split the name.
    if (/^\s*\./.test(replicated.slice(m[1]!.length))) {
      throw new ClusterDdlError(`a name qualified by its database has no cluster form here (the migrations use the current database): ${sql.slice(0, 120)}`)
    }
    return `${m[1]} ON CLUSTER \`${topology.cluster}\`${replicated.slice(m[1]!.length)}`
  }
  throw new ClusterDdlError(`no cluster form for this statement (add one to sql/cluster.ts): ${sql.slice(0, 120)}`)
}

/**
 * Each `ENGINE = …MergeTree(args)` outside string literals made Replicated: the Keeper
 * path and replica first, then the engine's own arguments, found by balanced parentheses
 * (`ReplacingMergeTree(toUInt64(v))`, `SummingMergeTree((a, b))`).
 */
function replicateEngines(sql: string, topology: Topology): string {
  const masked = maskStrings(sql)
  let out = ''
  let from = 0
  for (const m of masked.matchAll(ENGINE)) {
    const start = m.index
    let end = start + m[0].length
    let args = ''
    const open = /^\s*\(/.exec(masked.slice(end))
    if (open) {
      const close = closingParen(sql, end + open[0].length - 1)
      if (close === -1) throw new ClusterDdlError(`unbalanced parentheses in the engine's arguments: ${sql.slice(0, 120)}`)
      args = sql.slice(end + open[0].length, close).trim()
      end = close + 1
    }
    const engine = `Replicated${m[1] ?? ''}MergeTree`
    const replacement =
      topology.kind === 'replicated-database'
        ? `ENGINE = ${args ? `${engine}(${args})` : engine}`
        : `ENGINE = ${engine}('${KEEPER_PATH}', '${REPLICA_NAME}'${args ? `, ${args}` : ''})`
    out += sql.slice(from, start) + replacement
    from = end
  }
  return out + sql.slice(from)
}

/** Where the parenthesis opened at `open` closes, string literals and quoted names skipped; -1 when it does not. */
function closingParen(sql: string, open: number): number {
  let depth = 0
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]
    if (c === "'" || c === '"' || c === '`') {
      i = quoteEnd(sql, i) - 1
    } else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  return -1
}

/** The engine of this database's `schema_migrations`: Replicated* once migrated for a cluster; null before any migration. */
export async function bookkeepingEngine(db: Db): Promise<string | null> {
  const [r] = await db.query<{ engine: string }>("SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'")
  return r?.engine ?? null
}

/**
 * What CLICKHOUSE_CLUSTER names, checked on the server before anything is migrated: a
 * cluster the server knows, of one shard (several shards are not supported yet:
 * docs/cluster.md), and a database that is not ClickHouse Cloud's, which replicates
 * every table by itself.
 */
export async function topologyOf(db: Db, cluster: string): Promise<Topology> {
  const [database] = await db.query<{ name: string; engine: string }>('SELECT name, engine FROM system.databases WHERE name = currentDatabase()')
  const engine = database?.engine ?? ''
  if (engine === 'Shared') {
    throw new ConfigError(
      'invalid configuration:\n  CLICKHOUSE_CLUSTER: this is ClickHouse Cloud (database engine Shared), which makes every MergeTree table a SharedMergeTree by itself: unset CLICKHOUSE_CLUSTER',
    )
  }
  const [shards] = await db.query<{ hosts: string; shards: string }>(
    'SELECT count() AS hosts, uniqExact(shard_num) AS shards FROM system.clusters WHERE cluster = {cluster:String}',
    { cluster },
  )
  if (Number(shards?.hosts ?? 0) === 0) {
    throw new ConfigError(
      `invalid configuration:\n  CLICKHOUSE_CLUSTER: the server knows no cluster "${cluster}" (SELECT cluster FROM system.clusters lists those it knows)`,
    )
  }
  if (Number(shards?.shards) > 1) {
    throw new ConfigError(
      `invalid configuration:\n  CLICKHOUSE_CLUSTER: cluster "${cluster}" has ${shards?.shards} shards; Spoor supports one shard with any number of replicas, not several shards yet (docs/cluster.md)`,
    )
  }
  // Tables made for one server stay plain MergeTree: the migrations that made them are
  // recorded and never run again, so setting CLICKHOUSE_CLUSTER later converts nothing.
  const bookkeeping = await bookkeepingEngine(db)
  if (bookkeeping && !bookkeeping.startsWith('Replicated')) {
    throw new ConfigError(
      `invalid configuration:\n  CLICKHOUSE_CLUSTER: database ${database?.name} was migrated for one server (schema_migrations is ${bookkeeping}); its tables are not replicated, and Spoor does not convert them (docs/cluster.md)`,
    )
  }
  if (engine === 'Replicated') {
    // Its own cluster, named after it, is the one its DDL goes to.
    if (cluster !== database?.name) {
      throw new ConfigError(
        `invalid configuration:\n  CLICKHOUSE_CLUSTER: database ${database?.name} is a Replicated database, which is its own cluster: set CLICKHOUSE_CLUSTER=${database?.name}`,
      )
    }
    return { kind: 'replicated-database' }
  }
  return { kind: 'on-cluster', cluster }
}
