// The only module that knows whether ClickHouse is embedded (chDB) or a server.
// Everything above it speaks @clickhouse/client with bound parameters.
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import { Session } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { type Config, ConfigError } from './config.ts'

export type Params = object

/** A moment as ClickHouse's DateTime64(3) text, UTC: '2026-11-25 17:53:20.123'. */
export const chTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '')

/** ClickHouse's UTC DateTime text (chTime's, or toString of a UTC column) as ISO 8601: '2026-11-25T17:53:20.123Z'. */
export const isoOf = (t: string) => `${t.replace(' ', 'T')}Z`

/** The same text as milliseconds since 1970. */
export const msOf = (t: string) => Date.parse(isoOf(t))

// A ClickHouse server's defaults: one URL field (http_max_field_value_size, code 1000
// past it) and the whole URI. Bound parameters travel in the URL.
const FIELD_LIMIT = 128 * 1024
const URI_LIMIT = 1024 * 1024

// A list of unbounded length goes in pieces of at most this many characters as sent
// (percent-encoded): three quarters of a field, room to spare.
export const PARAM_BYTES = (FIELD_LIMIT * 3) / 4

// The rows of one visit in enriched_sessions (partitioned by month of `day`) share their
// `day`: the enrichment decides a visit once, suppression and naming copy the row. So
// FINAL need not merge across partitions: 7-16 ms less for a month of site1 on the
// bench's data. The same holds for company_visits and company_sessions (their keys hold
// the day they are partitioned by).
export const FINAL_PER_PARTITION = 'SETTINGS do_not_merge_across_partitions_select_final = 1'

// How @clickhouse/client writes a string in a parameter: quoted, with backslash, quote, tab, newline
// and CR escaped; the URL then encodes it as a form does (URLSearchParams).
const ESCAPED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const escaped = (v: string) => v.replace(/[\\'\t\n\r]/g, (c) => ESCAPED[c]!)
/** Bytes of `text` as a URL field value (as a form encodes it). */
const urlLength = (text: string) => new URLSearchParams({ x: text }).toString().length - 2

/** A bound value as the client writes it: an array's strings quoted, a lone string as it is. */
const formatted = (v: unknown, inArray = false): string =>
  Array.isArray(v) ? `[${v.map((x) => formatted(x, true)).join(',')}]` : typeof v === 'string' ? (inArray ? `'${escaped(v)}'` : escaped(v)) : String(v)

/**
 * Refuses, before sending, bound parameters a ClickHouse server would refuse in the URL
 * (code 1000, "Field value too long"), naming the parameter. On both engines: chDB has no
 * URL, so without this a list that grows with the data passes every test and fails only
 * on a server (issue 18, defect 1). Such a list goes in pieces (paramChunks) or is read
 * by a subquery.
 */
function checkParams(params: Record<string, unknown> | undefined): void {
  let total = 0
  for (const [name, v] of Object.entries(params ?? {})) {
    // A UTF-16 unit takes at most 9 bytes encoded: short values (dates, numbers, ids) are
    // counted at that, not encoded.
    const raw = formatted(v)
    if (raw.length * 9 <= 4096) {
      total += raw.length * 9
      continue
    }
    const n = urlLength(raw)
    if (n > FIELD_LIMIT) {
      throw new Error(
        `parameter ${name} would take ${n} bytes of the URL; a ClickHouse server refuses more than ${FIELD_LIMIT} (http_max_field_value_size): bind it in pieces (paramChunks) or read it with a subquery`,
      )
    }
    total += n
  }
  if (total > URI_LIMIT) throw new Error(`the parameters would take ${total} bytes of the URL; a ClickHouse server refuses a URI over ${URI_LIMIT}`)
}

// "[" and "]" (%5B, %5D), and a comma (%2C) after each value but the last.
const LIST_BYTES = 6
const itemBytes = (v: string) => urlLength(formatted(v, true)) + 3

/** Whether `values` fit in one Array(String) parameter of at most `budget` characters in the URL. */
export const paramFits = (values: readonly string[], budget = PARAM_BYTES): boolean => values.reduce((size, v) => size + itemBytes(v), LIST_BYTES) <= budget

/** `values` in pieces whose Array(String) parameter stays under `budget` characters in the URL. */
export function paramChunks(values: readonly string[], budget = PARAM_BYTES): string[][] {
  const out: string[][] = []
  let piece: string[] = []
  let size = LIST_BYTES
  for (const v of values) {
    const n = itemBytes(v)
    if (piece.length > 0 && size + n > budget) {
      out.push(piece)
      piece = []
      size = LIST_BYTES
    }
    piece.push(v)
    size += n
  }
  if (piece.length > 0) out.push(piece)
  return out
}

export interface Db {
  readonly client: ClickHouseClient
  /**
   * Other processes may write this ClickHouse too (a server, CLICKHOUSE_URL): a lock in
   * this process's memory (lib/lock.ts) does not keep their writes out.
   */
  readonly shared: boolean
  /** CLICKHOUSE_CLUSTER: the cluster the migrations write their DDL for; null for one server. */
  readonly cluster: string | null
  query<T>(query: string, params?: Params): Promise<T[]>
  command(query: string, params?: Params): Promise<void>
  insert(table: string, rows: readonly object[], settings?: ClickHouseSettings): Promise<void>
  /** Rows already serialised as JSON lines (JSONEachRow), each ending in "\n". */
  insertText(table: string, text: string, settings?: ClickHouseSettings): Promise<void>
  /** Embedded: hands memory freed by ClickHouse back to the OS. A server manages its own: no-op. */
  releaseMemory(): Promise<void>
  close(): Promise<void>
}

// The client's own logger writes failed requests to the console, error text included,
// and ClickHouse's text can quote row data (an IP among it). Spoor logs failures itself,
// code and type only (collector/writer.ts).
const QUIET = { level: ClickHouseLogLevel.OFF }

// What the operator can do when another process holds DATA_DIR; a script passes its own.
const IN_USE_FIX = 'stop it, give this process a DATA_DIR of its own, or set CLICKHOUSE_URL to run several processes on one ClickHouse server'

/** Where the running engine writes backups: the one path it may write them to (docs/backup.md). */
export const stagingDir = (dataDir: string) => join(resolve(dataDir), 'backup-staging')
/** chDB takes the allowed backup path only when its engine starts. */
export const engineArgs = (backupsPath: string) => [`--backups.allowed_path=${resolve(backupsPath)}`]

/**
 * `backupsPath`: where the embedded engine may write and read backups (ops/backup.ts);
 * the staging directory in DATA_DIR unless a restore names its backup. A DATA_DIR that
 * cannot be used, or that another process holds, is the operator's to fix: a ConfigError
 * naming it and the fix (`inUseFix`: each script has its own for the second case).
 */
export async function openDb(config: Pick<Config, 'clickhouse' | 'dataDir'>, opts: { backupsPath?: string; inUseFix?: string } = {}): Promise<Db> {
  if (config.clickhouse) {
    const { url, user, password, database, cluster } = config.clickhouse
    // The database must exist before a client can be bound to it.
    const bootstrap = createClient({ url, username: user, password, log: QUIET })
    try {
      if (!cluster) await bootstrap.command({ query: 'CREATE DATABASE IF NOT EXISTS {db:Identifier}', query_params: { db: database } })
      else {
        // On every host of the cluster, and only when missing: a Replicated database the
        // operator made (docs/cluster.md) is its own cluster, not one of remote_servers.
        // The name was checked in lib/config.ts (letters, digits, _ . -).
        const rs = await bootstrap.query({
          query: 'SELECT count() AS n FROM system.databases WHERE name = {db:String}',
          query_params: { db: database },
          format: 'JSONEachRow',
        })
        const [found] = await rs.json<{ n: string | number }>()
        if (Number(found?.n ?? 0) === 0) {
          await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS {db:Identifier} ON CLUSTER \`${cluster}\``, query_params: { db: database } })
        }
      }
    } finally {
      await bootstrap.close()
    }
    // session_timezone: Spoor's days are UTC days (today(), DateTime64 parameters); a
    // server in another zone read them in its own (a review saw rebuild_days rows never
    // deleted on a server east of UTC). The embedded engine below likewise.
    return wrap(
      paramsChecked(
        createClient({ url, username: user, password, database, request_timeout: 30_000, log: QUIET, clickhouse_settings: { session_timezone: 'UTC' } }),
      ),
      false,
      cluster ?? null,
    )
  }
  // chDB locks its data directory per process ("Cannot lock file .../status"):
  // one process per DATA_DIR. It always works in its own `default` database.
  const path = resolve(config.dataDir)
  const named = path === config.dataDir ? `DATA_DIR=${path}` : `DATA_DIR=${config.dataDir} (${path})`
  try {
    mkdirSync(path, { recursive: true })
    // mkdir succeeds on an existing directory this user may not write to; chDB would then
    // fail with its own text on stderr and an error that only says "Failed to create connection".
    accessSync(path, constants.W_OK)
  } catch (err) {
    throw new ConfigError(unusableDataDir(named, path, err))
  }
  // chdb types its Connection against its own copy of @clickhouse/client-common;
  // the shapes are the same (chdb's parity tests), the declarations are not.
  type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>
  // The first connection to a directory starts the engine with its arguments, and
  // createChdbConnection takes none: this session starts it with the backups path.
  let engine: Session
  let connection: Connection
  try {
    engine = new Session(path, { connectionArgs: engineArgs(opts.backupsPath ?? stagingDir(path)) })
    try {
      connection = createChdbConnection({ path }) as unknown as Connection
    } catch (err) {
      engine.close()
      throw err
    }
  } catch (err) {
    // chDB 3.4.0 prints its reason ("Cannot lock file …/status") to stderr itself and
    // throws only "Failed to create connection"; the status file names the process that
    // holds the directory, unless that one runs in another PID namespace (a container).
    const pid = lockHolder(path)
    const inUseFix = opts.inUseFix ?? IN_USE_FIX
    if (pid !== null) throw new ConfigError(`another Spoor or chDB process (PID ${pid}) is already using ${named}; one process per data directory: ${inUseFix}`)
    if ((err as { code?: unknown }).code !== 'CHDB_CONNECTION' && !/lock|connection|session/i.test((err as Error).message ?? '')) throw err
    throw new ConfigError(
      `the embedded ClickHouse could not open ${named}; its reason is printed above. If another process uses the directory (one in another container, say): ${inUseFix}`,
    )
  }
  const db = wrap(settingsPerQuery(paramsChecked(createClient({ connection }))), true)
  // As on a server (above): chDB takes the machine's zone (TZ) otherwise, and keeps a SET
  // for the rest of its session (settingsPerQuery).
  await db.command("SET session_timezone = 'UTC'")
  return {
    ...db,
    async close() {
      await db.close()
      engine.close()
    },
  }
}

// chDB's connection sends a query's settings as `SET k = v;` ahead of it, so they stay in
// its session for every later query: after one insert with a deduplication token, the
// next inserts into that table took the same token and were dropped as duplicates,
// without an error. So once any query has set one of these, every later query states it,
// at ClickHouse's default unless it sets it; one not listed here is refused. Not before:
// stating all of them on every query (SELECTs made multi-statement) took the collector's
// p99 at half load from about 25 to 77-147 ms in the bench.
export const SESSION_DEFAULTS: ClickHouseSettings = {
  async_insert: 0,
  insert_deduplication_token: '',
  insert_deduplicate: 1,
  deduplicate_blocks_in_dependent_materialized_views: 0,
  mutations_sync: '0',
  materialize_ttl_after_modify: 1,
  apply_deleted_mask: 1,
}

/** checkParams before every query, command and exec, those made on db.client included. */
function paramsChecked(client: ClickHouseClient): ClickHouseClient {
  const c = client as unknown as Record<'query' | 'command' | 'exec', (p: { query_params?: Record<string, unknown> }) => unknown>
  for (const m of ['query', 'command', 'exec'] as const) {
    const own = c[m].bind(client)
    c[m] = async (p) => {
      checkParams(p.query_params)
      return own(p)
    }
  }
  return client
}

function settingsPerQuery(client: ClickHouseClient): ClickHouseClient {
  // Never forgotten: an exec reads its body before it is sent, so queries can reach chDB
  // in another order than they were made.
  const stated: Record<string, unknown> = {}
  const fill = <P extends { clickhouse_settings?: ClickHouseSettings }>(p: P): P => {
    const own = p.clickhouse_settings
    for (const k of Object.keys(own ?? {})) {
      if (!(k in SESSION_DEFAULTS)) throw new Error(`setting ${k} is not in SESSION_DEFAULTS (lib/db.ts): chDB would keep it for every later query`)
      stated[k] = SESSION_DEFAULTS[k as keyof ClickHouseSettings]
    }
    if (!own && Object.keys(stated).length === 0) return p
    return { ...p, clickhouse_settings: { ...stated, ...own } }
  }
  const c = client as unknown as Record<'query' | 'command' | 'insert' | 'exec', (p: { clickhouse_settings?: ClickHouseSettings }) => unknown>
  const own = { query: c.query.bind(client), command: c.command.bind(client), insert: c.insert.bind(client), exec: c.exec.bind(client) }
  c.query = async (p) => own.query(fill(p))
  c.command = async (p) => own.command(fill(p))
  c.insert = async (p) => own.insert(fill(p))
  c.exec = async (p) => own.exec(fill(p))
  return client
}

function unusableDataDir(named: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'error'
  let user = 'the user running Spoor'
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (a container with an arbitrary uid): keep the description
  }
  const elsewhere = `set DATA_DIR to a directory ${user} can write to`
  const [why, fix] =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? ['a part of the path is a file, not a directory', elsewhere]
      : code === 'EACCES' || code === 'EPERM'
        ? [`${user} may not create or write to it`, `create it for ${user} (mkdir -p ${path} && chown ${user} ${path}), or ${elsewhere}`]
        : code === 'EROFS'
          ? ['the file system is read-only', elsewhere]
          : code === 'ENOSPC'
            ? ['the disk is full', `free some space, or ${elsewhere}`]
            : [(err as Error).message, elsewhere]
  return `${named} cannot be used: ${why} (${code}). Fix: ${fix}`
}

/** The live process, other than this one, that the status file of a chDB data directory names; null when there is none. */
function lockHolder(path: string): number | null {
  let pid: number
  try {
    pid = Number(/^PID: (\d+)/m.exec(readFileSync(join(path, 'status'), 'utf8'))?.[1])
  } catch {
    return null
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    // EPERM: alive, but another user's
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}

// What every insert relies on, stated rather than left to the engine's defaults: chDB
// 26.7 (and servers from 26.2) default to async_insert = 1, which queues rows to merge
// them with other inserts and acknowledges them as the server's wait_for_async_insert
// says. The writer's batches are already large, and its flush must mean "in a part".
export const INSERT_SETTINGS: ClickHouseSettings = { async_insert: 0, insert_deduplicate: 1 }

export function wrap(client: ClickHouseClient, embedded: boolean, cluster: string | null = null): Db {
  return {
    client,
    shared: !embedded,
    cluster,
    async query<T>(query: string, params: Params = {}) {
      const rs = await client.query({ query, query_params: params as Record<string, unknown>, format: 'JSONEachRow' })
      return rs.json<T>()
    },
    async command(query: string, params: Params = {}) {
      await client.command({ query, query_params: params as Record<string, unknown> })
    },
    async insert(table: string, rows: readonly object[], settings?: ClickHouseSettings) {
      if (rows.length === 0) return
      await client.insert({ table, values: rows as object[], format: 'JSONEachRow', clickhouse_settings: { ...INSERT_SETTINGS, ...settings } })
    },
    async insertText(table: string, text: string, settings?: ClickHouseSettings) {
      if (text === '') return
      // client.insert wants objects for JSONEachRow and would encode them again; exec
      // sends the text as it is. The table is one of the writer's own names, checked
      // here because an identifier cannot be bound in a statement that carries data.
      if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`)
      const r = await client.exec({
        query: `INSERT INTO ${table} FORMAT JSONEachRow`,
        // chDB takes the text as it is; a stream of it was turned into a Buffer and back
        // into a string, two copies of every flush (3 MB a second at 4,000 events/s) that
        // live until a full garbage collection. The HTTP client needs a stream.
        values: (embedded ? text : Readable.from([text], { objectMode: false })) as Readable,
        clickhouse_settings: { ...INSERT_SETTINGS, ...settings },
      })
      for await (const _ of r.stream) {
        // an INSERT answers with an empty body; reading it frees the connection
      }
    },
    // chDB's allocator (jemalloc) keeps freed pages for reuse for several seconds; under
    // a steady stream of inserts that held about 45 MB more resident memory in the bench
    // (4,000 events/s). A purge takes under a millisecond.
    async releaseMemory() {
      if (embedded) await client.command({ query: 'SYSTEM JEMALLOC PURGE' })
    },
    close: () => client.close(),
  }
}

/**
 * Rewrites the parts of `table` that hold rows a lightweight DELETE only masked, so that
 * the rows are gone from disk (read back with apply_deleted_mask = 0 until then). The old
 * parts follow within old_parts_lifetime (sql/013).
 */
export async function applyDeletedMask(db: Db, table: string): Promise<void> {
  await db.client.command({ query: 'ALTER TABLE {t:Identifier} APPLY DELETED MASK', query_params: { t: table }, clickhouse_settings: { mutations_sync: '2' } })
}
