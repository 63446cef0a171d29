// The migrations on a replicated cluster (CLICKHOUSE_CLUSTER, sql/cluster.ts), checked by
// the embedded engine. chDB has no Keeper and no cluster, so ON CLUSTER DDL cannot run
// here: every statement is parsed by the engine's own parser (formatQuerySingleLine), and
// every replicated table is made for real, as one host would make it, up to where it needs
// Keeper (a replicated table without Keeper is made read-only): its engine arguments,
// columns, keys, TTL and settings, and the Keeper path its macros expand to.
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ClickHouseClient, createClient } from '@clickhouse/client'
import { Session } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../lib/config.ts'
import { type Db, openDb, type Params, wrap } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { ClusterDdlError, clusterStatement, KEEPER_PATH, topologyOf } from '../../sql/cluster.ts'
import { migrate, readMigrations, sourcesOf } from '../../sql/migrate.ts'
import { assemble } from '../../server/main.ts'
import { startClickHouseHttp } from '../helpers/clickhouse-http.ts'
import { fixtureIntel } from '../helpers/intel.ts'

const CLUSTER = 'spoor-cluster'
const ON_CLUSTER = `ON CLUSTER \`${CLUSTER}\``
const log = createLogger('silent')

// One data directory per test process, started with the macros every host of a cluster
// has ({shard}, {replica}); nothing else of a cluster can be configured here.
const dir = join(tmpdir(), `spoor-cluster-${process.env.VITEST_POOL_ID ?? '0'}-${process.pid}`)
let engine: Session
let db: Db

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const configFile = `${dir}.xml`
  writeFileSync(
    configFile,
    '<clickhouse><zookeeper><implementation>testkeeper</implementation></zookeeper><macros><shard>01</shard><replica>r1</replica></macros></clickhouse>\n',
  )
  engine = new Session(dir, { connectionArgs: [`--config-file=${configFile}`] })
  type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>
  db = wrap(createClient({ connection: createChdbConnection({ path: dir }) as unknown as Connection }) as ClickHouseClient, true)
  // The plain schema, for the statements that copy another table's columns (AS visits).
  await migrate(db, log)
})
afterAll(async () => {
  await db?.close()
  engine?.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(`${dir}.xml`, { force: true })
})

/** A server as far as migrate and topologyOf ask it: records what it is sent. */
function fakeServer(opts: { engine?: string; database?: string; shards?: number; hosts?: number; replicated?: boolean; bookkeeping?: string } = {}) {
  const sent: Array<{ sql: string; params: Params }> = []
  let owner = ''
  const fake = {
    sent,
    async query<T>(sql: string, params: Params = {}): Promise<T[]> {
      if (sql.includes('system.databases')) return [{ name: opts.database ?? 'spoor', engine: opts.engine ?? 'Atomic' }] as T[]
      if (sql.includes('system.tables')) return (opts.bookkeeping ? [{ engine: opts.bookkeeping }] : []) as T[]
      if (sql.includes('system.clusters')) return [{ hosts: String(opts.hosts ?? 2), shards: String(opts.shards ?? 1) }] as T[]
      if (sql.includes('system.replicas')) return (opts.replicated ? (params as { names: string[] }).names.map((name) => ({ name })) : []) as T[]
      if (sql.includes('argMax(owner')) return [{ owner }] as T[]
      return []
    },
    async command(sql: string, params: Params = {}) {
      sent.push({ sql, params })
    },
    async insert(table: string, rows: readonly object[]) {
      if (table === 'schema_migrations_lock') owner = (rows[0] as { owner: string }).owner
    },
  }
  return fake as unknown as Db & { sent: typeof sent }
}

const formatted = async (sql: string) => {
  const [r] = await db.query<{ f: string }>('SELECT formatQuerySingleLine({q:String}) AS f', { q: sql })
  return r!.f
}
const ddlOf = (sent: Array<{ sql: string }>) => sent.map((s) => s.sql).filter((s) => !/^(INSERT|SYSTEM)\b/.test(s))
const everyStatement = () => readMigrations().flatMap((m) => m.statements)
const engineOf = (f: string) => /\bENGINE = `?(\w+)`?(?:\((.*?)\))?(?: PARTITION| PRIMARY| ORDER| TTL| SETTINGS|$)/.exec(f)

/** The cluster form of a CREATE TABLE as one host runs it: without ON CLUSTER, which gives all hosts one UUID; here the UUID is given. */
function asOneHost(sql: string, uuid: string): { name: string; sql: string } {
  const m = /^CREATE TABLE (?:IF NOT EXISTS )?([A-Za-z_][A-Za-z0-9_]*)/.exec(sql)
  if (!m) throw new Error(`not a CREATE TABLE: ${sql.slice(0, 80)}`)
  const name = `${m[1]}__replicated`
  return { name, sql: `CREATE TABLE ${name} UUID '${uuid}'${sql.slice(m[0].length).replace(` ${ON_CLUSTER}`, '')}` }
}

async function createsEachReplicatedTable(creates: string[]) {
  const made: Array<{ name: string; uuid: string }> = []
  try {
    for (const create of creates) {
      const uuid = randomUUID()
      const local = asOneHost(create, uuid)
      await db.command(local.sql)
      made.push({ name: local.name, uuid })
    }
    const rows = await db.query<{ table: string; zookeeper_path: string; replica_name: string }>(
      'SELECT table, zookeeper_path, replica_name FROM system.replicas WHERE database = currentDatabase() ORDER BY table',
    )
    expect(rows.map((r) => r.table)).toEqual(made.map((t) => t.name).sort())
    for (const t of made) {
      const row = rows.find((r) => r.table === t.name)
      expect(row?.zookeeper_path).toBe(`/clickhouse/tables/${t.uuid}/01`)
      expect(row?.replica_name).toBe('r1')
    }
    expect(new Set(rows.map((r) => r.zookeeper_path)).size).toBe(made.length)
  } finally {
    for (const t of made) await db.command(`DROP TABLE IF EXISTS ${t.name} SYNC`)
  }
}

/** As many replicated tables as the plain migrations make MergeTree ones (bookkeeping: +2). */
const replicatedTables = () => everyStatement().filter((s) => /^CREATE TABLE/.test(s) && /ENGINE\s*=\s*\w*MergeTree/.test(s)).length + 2

describe('migrations with CLICKHOUSE_CLUSTER on a cluster of one shard', () => {
  it('sends every DDL, the bookkeeping and the migration lock included, with ON CLUSTER, and the engine parses each', async () => {
    const server = fakeServer()
    expect(await migrate(server, log, undefined, { lock: true, cluster: CLUSTER })).toBe(readMigrations().length)
    const ddl = ddlOf(server.sent)
    const files = everyStatement().filter((s) => !/^INSERT\b/.test(s))
    // The files' own, plus schema_migrations, and the lock made and dropped.
    expect(ddl).toHaveLength(files.length + 3)
    expect(ddl[0]).toMatch(/^CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER `spoor-cluster`/)
    expect(ddl[1]).toMatch(/^CREATE TABLE schema_migrations_lock ON CLUSTER `spoor-cluster`/)
    expect(ddl.at(-1)).toBe(`DROP TABLE IF EXISTS schema_migrations_lock ${ON_CLUSTER} SYNC`)
    for (const s of ddl) expect(await formatted(s), s.slice(0, 120)).toContain(`ON CLUSTER \`${CLUSTER}\``)
  })

  it('makes every MergeTree table a Replicated*MergeTree with the {uuid}/{shard} Keeper path and {replica}, and no other engine changes', async () => {
    const server = fakeServer()
    await migrate(server, log, undefined, { lock: true, cluster: CLUSTER })
    const creates = ddlOf(server.sent).filter((s) => /^CREATE TABLE/.test(s))
    const engines: string[] = []
    for (const create of creates) {
      const f = await formatted(create)
      const e = engineOf(f)
      expect(e, f.slice(0, 200)).not.toBeNull()
      engines.push(e![1]!)
      if (/MergeTree/.test(e![1]!)) {
        expect(e![1]).toMatch(/^Replicated(Replacing|Summing|Aggregating)?MergeTree$/)
        expect(e![2]).toMatch(new RegExp(`^'${KEEPER_PATH.replace(/[{}]/g, '\\$&')}', '\\{replica\\}'(, \\w+)?$`))
      }
    }
    // The parse checks stay Null tables on every host; nothing else is not replicated.
    expect(engines.filter((e) => !e.startsWith('Replicated')).sort()).toEqual(['Null', 'Null', 'Null'])
    expect(engines.filter((e) => e.startsWith('Replicated'))).toHaveLength(replicatedTables())
  })

  it('the engine accepts each replicated table as a host makes it, and gives each its own Keeper path', async () => {
    const server = fakeServer()
    await migrate(server, log, undefined, { lock: true, cluster: CLUSTER })
    await createsEachReplicatedTable(ddlOf(server.sent).filter((s) => /^CREATE TABLE/.test(s) && /ENGINE = Replicated/.test(s)))
  })

  it('runs each data copy once, as written, after the replicas it reads have fetched what others have', async () => {
    const server = fakeServer({ replicated: true })
    await migrate(server, log, undefined, { cluster: CLUSTER })
    const inserts = everyStatement().filter((s) => /^INSERT\b/.test(s))
    expect(inserts.length).toBeGreaterThan(0)
    expect(server.sent.map((s) => s.sql).filter((s) => /^INSERT\b/.test(s))).toEqual(inserts)
    // The tables each copy reads, synced just before it: 008's two copies read events,
    // then the old daily_breakdown and events.
    const syncedBefore = (insert: string) => {
      const out: string[] = []
      for (let i = server.sent.findIndex((s) => s.sql === insert) - 1; i >= 0 && server.sent[i]!.sql.startsWith('SYSTEM SYNC REPLICA {t'); i--) {
        out.unshift((server.sent[i]!.params as { t: string }).t)
      }
      return out.sort()
    }
    expect(syncedBefore(inserts[0]!)).toEqual(['events'])
    expect(syncedBefore(inserts[1]!)).toEqual(['daily_breakdown', 'events'])
    expect(server.sent.map((s) => s.sql)).toContain('SYSTEM SYNC REPLICA schema_migrations')
  })
})

describe('migrations in a Replicated database', () => {
  it('sends no ON CLUSTER (the database replicates its DDL) and leaves the Keeper path to the database', async () => {
    const server = fakeServer({ engine: 'Replicated', database: 'spoor' })
    await migrate(server, log, undefined, { lock: true, cluster: 'spoor' })
    const ddl = ddlOf(server.sent)
    const creates: string[] = []
    for (const s of ddl) {
      const f = await formatted(s)
      expect(f).not.toContain('ON CLUSTER')
      const e = engineOf(f)
      if (e && /MergeTree/.test(e[1]!)) {
        expect(e[1]).toMatch(/^Replicated\w*MergeTree$/)
        expect(e[2] ?? '').not.toContain("'")
        creates.push(s)
      }
    }
    expect(creates).toHaveLength(replicatedTables())
    // Without arguments a replicated table takes the server's default_replica_path, the
    // same {uuid}/{shard} path (a Replicated database puts its own shard and replica in).
    await createsEachReplicatedTable(creates)
  })
})

describe('migrations without CLICKHOUSE_CLUSTER', () => {
  it("sends the files' statements exactly as written", async () => {
    const server = fakeServer()
    await migrate(server, log, undefined, { lock: true })
    const sent = server.sent.map((s) => s.sql)
    expect(sent.slice(2, -1)).toEqual(everyStatement())
    expect(sent.join('\n')).not.toMatch(/ON CLUSTER|Replicated/)
  })

  it('refuses, on a server, a database migrated for a cluster, before sending anything', async () => {
    const server = fakeServer({ bookkeeping: 'ReplicatedReplacingMergeTree' })
    const err = await migrate(server, log, undefined, { lock: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect(String((err as Error).message)).toMatch(/migrated for a cluster \(schema_migrations is ReplicatedReplacingMergeTree\); set CLICKHOUSE_CLUSTER/)
    expect(server.sent).toEqual([])
  })

  it('reads the engine of a replicated schema_migrations as the engine reports it (a table made read-only without Keeper)', async () => {
    await db.command('RENAME TABLE schema_migrations TO schema_migrations_plain')
    try {
      await db.command(
        `CREATE TABLE schema_migrations (version UInt32, name String, applied_at DateTime('UTC') DEFAULT now()) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/${randomUUID()}/{shard}', '{replica}') ORDER BY version`,
      )
      const err = await migrate(db, log, undefined, { lock: true }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConfigError)
      expect(String((err as Error).message)).toMatch(/schema_migrations is ReplicatedReplacingMergeTree\); set CLICKHOUSE_CLUSTER/)
      expect(await db.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations_lock'")).toEqual([])
    } finally {
      await db.command('DROP TABLE IF EXISTS schema_migrations SYNC')
      await db.command('RENAME TABLE schema_migrations_plain TO schema_migrations')
    }
  })
})

describe('what CLICKHOUSE_CLUSTER may name', () => {
  it.each([
    ['several shards', { shards: 2, hosts: 4 }, /has 2 shards; Spoor supports one shard/],
    ['a cluster the server does not know', { hosts: 0, shards: 0 }, /knows no cluster "spoor-cluster"/],
    ['ClickHouse Cloud', { engine: 'Shared' }, /ClickHouse Cloud .* unset CLICKHOUSE_CLUSTER/],
    ['a database migrated for one server', { bookkeeping: 'ReplacingMergeTree' }, /migrated for one server \(schema_migrations is ReplacingMergeTree\)/],
    [
      'a Replicated database under another name',
      { engine: 'Replicated', database: 'spoor' },
      /Replicated database, which is its own cluster: set CLICKHOUSE_CLUSTER=spoor/,
    ],
  ])('refuses %s before migrating anything', async (_what, opts, message) => {
    const server = fakeServer(opts)
    const err = await migrate(server, log, undefined, { lock: true, cluster: CLUSTER }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect(String((err as Error).message)).toMatch(message)
    expect(server.sent).toEqual([])
  })

  it('refuses a cluster this engine does not know (the embedded engine knows none)', async () => {
    await expect(topologyOf(db, CLUSTER)).rejects.toThrow(/knows no cluster/)
  })
})

describe('a start with CLICKHOUSE_CLUSTER on a server', () => {
  // The HTTP harness (docs/clickhouse-server.md) is a server that knows no cluster.
  it('creates a missing database ON CLUSTER, and checks the cluster before it migrates anything', async () => {
    const ch = await startClickHouseHttp({ user: 'spoor', password: 'pw' })
    try {
      const env = { CLICKHOUSE_URL: ch.url, CLICKHOUSE_USER: 'spoor', CLICKHOUSE_PASSWORD: 'pw', DATA_DIR: join(dir, 'unused'), LOG_LEVEL: 'silent' }
      const clustered = loadConfig({ ...env, CLICKHOUSE_DATABASE: 'clustered', CLICKHOUSE_CLUSTER: CLUSTER })
      await expect(openDb(clustered)).rejects.toThrow(/cluster 'spoor-cluster' not found/)
      // The database made for the test as one server would, empty: the start stops before any table.
      await (await openDb(loadConfig({ ...env, CLICKHOUSE_DATABASE: 'clustered' }))).close()
      const err = await assemble(clustered, log, { intel: fixtureIntel() }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConfigError)
      expect(String((err as Error).message)).toMatch(/the server knows no cluster "spoor-cluster"/)
      const plain = await openDb(loadConfig({ ...env, CLICKHOUSE_DATABASE: 'clustered' }))
      try {
        expect(await plain.query("SELECT name FROM system.tables WHERE database = 'clustered'")).toEqual([])
      } finally {
        await plain.close()
      }
    } finally {
      await ch.stop()
    }
  })
})

describe('clusterStatement', () => {
  it('refuses a statement it has no cluster form for, rather than running it on one host', () => {
    expect(() => clusterStatement('OPTIMIZE TABLE events FINAL', { kind: 'on-cluster', cluster: CLUSTER })).toThrow(ClusterDdlError)
  })

  it('refuses a materialized view that would keep its rows in an inner table', () => {
    expect(() =>
      clusterStatement('CREATE MATERIALIZED VIEW v ENGINE = MergeTree ORDER BY x AS SELECT 1 AS x', { kind: 'on-cluster', cluster: CLUSTER }),
    ).toThrow(/must write TO a table/)
  })

  it('puts ON CLUSTER after the second name of EXCHANGE and RENAME, where the parser takes it', async () => {
    const topology = { kind: 'on-cluster', cluster: CLUSTER } as const
    expect(await formatted(clusterStatement('EXCHANGE TABLES a AND b', topology))).toBe(`EXCHANGE TABLES a AND b ${ON_CLUSTER}`)
    expect(await formatted(clusterStatement('RENAME TABLE a TO b', topology))).toBe(`RENAME TABLE a TO b ${ON_CLUSTER}`)
    expect(await formatted(clusterStatement('TRUNCATE TABLE IF EXISTS a', topology))).toBe(`TRUNCATE TABLE IF EXISTS a ${ON_CLUSTER}`)
  })

  const onCluster = { kind: 'on-cluster', cluster: CLUSTER } as const
  const path = `'${KEEPER_PATH}', '{replica}'`

  it('keeps engine arguments with nested parentheses whole, after the Keeper path and replica', async () => {
    expect(await formatted(clusterStatement('CREATE TABLE t (v UInt32) ENGINE = ReplacingMergeTree(toUInt64(v)) ORDER BY v', onCluster))).toBe(
      `CREATE TABLE t ${ON_CLUSTER} (\`v\` UInt32) ENGINE = ReplicatedReplacingMergeTree(${path}, toUInt64(v)) ORDER BY v`,
    )
    expect(await formatted(clusterStatement('CREATE TABLE t (a UInt32, b UInt32) ENGINE = SummingMergeTree((a, b)) ORDER BY a', onCluster))).toBe(
      `CREATE TABLE t ${ON_CLUSTER} (\`a\` UInt32, \`b\` UInt32) ENGINE = ReplicatedSummingMergeTree(${path}, (a, b)) ORDER BY a`,
    )
    expect(clusterStatement('CREATE TABLE t (v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY v', { kind: 'replicated-database' })).toBe(
      'CREATE TABLE t (v UInt32) ENGINE = ReplicatedReplacingMergeTree(v) ORDER BY v',
    )
  })

  it('refuses engine arguments whose parentheses do not close', () => {
    expect(() => clusterStatement('CREATE TABLE t (v UInt32) ENGINE = ReplacingMergeTree(toUInt64(v) ORDER BY v', onCluster)).toThrow(/unbalanced parentheses/)
  })

  it('leaves ENGINE = MergeTree in a string literal or a comment alone', () => {
    const sql = clusterStatement(
      "CREATE TABLE t (v String DEFAULT 'ENGINE = MergeTree') /* ENGINE = MergeTree */ ENGINE = Log -- ENGINE = MergeTree",
      onCluster,
    )
    expect(sql).toBe(`CREATE TABLE t ${ON_CLUSTER} (v String DEFAULT 'ENGINE = MergeTree')   ENGINE = Log`)
    expect(sql).not.toContain('Replicated')
  })

  it('refuses a name qualified by its database, which ON CLUSTER would split', () => {
    for (const statement of [
      'CREATE TABLE spoor.x (v UInt8) ENGINE = MergeTree ORDER BY v',
      'DROP TABLE IF EXISTS spoor.x',
      'ALTER TABLE spoor.x ADD COLUMN y UInt8',
      'RENAME TABLE a TO spoor.b',
    ]) {
      expect(() => clusterStatement(statement, onCluster), statement).toThrow(/qualified by its database/)
    }
    // Spelled with backquotes it fits no head, and is refused as well.
    expect(() => clusterStatement('CREATE TABLE `spoor`.`x` (v UInt8) ENGINE = MergeTree ORDER BY v', onCluster)).toThrow(ClusterDdlError)
  })

  it('syncs the tables a data copy joins, qualified or quoted, as well as those it reads FROM', async () => {
    expect(
      sourcesOf('INSERT INTO t SELECT * FROM a /* FROM hidden */ INNER JOIN spoor.b USING x LEFT JOIN `c` ON 1 WHERE x IN (SELECT x FROM `spoor`.`d`)').sort(),
    ).toEqual(['a', 'b', 'c', 'd'])
    const migrations = mkdtempSync(join(tmpdir(), 'spoor-cluster-sources-'))
    try {
      writeFileSync(join(migrations, '001_copy.sql'), 'INSERT INTO t SELECT a.x FROM a JOIN spoor.b ON a.x = b.x;\n')
      const server = fakeServer({ replicated: true })
      await migrate(server, log, migrations, { cluster: CLUSTER })
      const synced = server.sent.filter((s) => s.sql.startsWith('SYSTEM SYNC REPLICA {t')).map((s) => (s.params as { t: string }).t)
      expect(synced.sort()).toEqual(['a', 'b'])
    } finally {
      rmSync(migrations, { recursive: true, force: true })
    }
  })
})
